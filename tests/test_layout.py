"""The package's shape: layers without cycles, small modules, typed public functions.

import-linter (``make lint``) checks that each layer imports only the layers below it; these
tests pin what it does not: cycles through function-level imports, private names taken across
modules, module sizes, and annotations on public functions.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from paths import ROOT

PACKAGE = ROOT / "src" / "storyline"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]):
    """(imported module, imported name) for every import in the file, at any depth."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            if not base.startswith("storyline"):
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield (full, None) if full in modules else (base, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("storyline"):
                    yield alias.name, None


def test_no_import_cycles_even_through_function_level_imports():
    modules = _modules()
    graph = defaultdict(set)
    for name, path in modules.items():
        for target, _ in _imports(name, path, modules):
            if target in modules and target != name:
                graph[name].add(target)
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for name in sorted(modules):
        if name not in state:
            visit(name, [])
    assert cycles == []


def test_no_private_name_is_imported_from_another_module():
    modules = _modules()
    taken = [(name, target, imported) for name, path in modules.items()
             for target, imported in _imports(name, path, modules)
             if imported and imported.startswith("_") and target != name]
    assert taken == []


def test_at_most_twelve_modules_sit_directly_in_the_package():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_no_module_is_over_600_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 600


def test_every_public_function_has_type_hints():
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        stack = [(node, "") for node in tree.body]
        while stack:
            node, owner = stack.pop()
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                stack.extend((child, f"{node.name}.") for child in node.body)
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if node.name.startswith("_"):
                continue
            args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            args += [a for a in (node.args.vararg, node.args.kwarg) if a]
            if node.returns is None or any(a.annotation is None for a in args
                                           if a.arg not in ("self", "cls")):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {owner}{node.name}")
    assert missing == []


def test_every_annotator_is_registered_after_the_fields_it_needs():
    from storyline.annotate import annotators

    seen: set[str] = set()
    names = []
    for annotator in annotators():
        assert set(annotator.needs) <= seen, annotator.name
        seen.add(annotator.field)
        names.append(annotator.name)
    assert names == ["sentences", "entities", "timex", "quotes", "events", "figures"]


def test_an_annotator_needing_an_unfilled_field_is_refused():
    from storyline.annotate.registry import REGISTRY, register

    before = dict(REGISTRY)
    with pytest.raises(ValueError, match="needs"):
        register("tone", field="notes", needs=("sentiment",))(lambda ctx: [])
    assert REGISTRY == before
