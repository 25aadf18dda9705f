"""End-to-end scorer: is the account an analyst reads right?

``storyline eval account --data DIR`` builds ``DIR/docs`` into a fresh store with the real
pipeline, exports it as ``storyline export`` does, and checks the export against the hand-made
facts of ``DIR/gold.json`` (format: ``shared/data/account/README.md``): publication dates,
titles, chrome left in and article text kept, duplicates, stories and their titles, entities,
quote speakers, timeline dates, figure agreement, and the general checks every export must pass
(spans hold their text, speakers and actors are someone, every story has a title and a
summary). It prints each failed check, a table per section, then one JSON line with each
section's ``passed``/``total``/``score`` and ``account_score`` (required checks passed / total;
``optional`` items are reported, not counted).
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from storyline.eval.account_checks import (
    Check,
    Export,
    check_docs,
    check_duplicates,
    check_entities,
    check_figures,
    check_general,
    check_phrases,
    check_quotes,
    check_stories,
    check_story_titles,
    check_timeline,
    check_timeline_absent,
    figure_coverage,
)
from storyline.outputs.export import export_dict
from storyline.pipeline import build
from storyline.settings import Settings
from storyline.store import Store

SECTIONS = ("published", "titles", "chrome", "body", "duplicates", "stories", "story_titles",
            "entities_same", "entities_different", "entity_types", "not_entities", "quotes",
            "timeline", "timeline_absent", "figures", "disagreements", "general")


def score(data: dict[str, Any], gold: dict[str, Any]) -> tuple[dict[str, Any], list[Check]]:
    """Metrics and every check of one export against one gold file."""
    ex = Export(data)
    checks: list[Check] = []
    checks += check_docs(ex, gold.get("docs", {}))
    checks += check_phrases(ex, gold.get("chrome_absent", {}), "chrome", present=False)
    checks += check_phrases(ex, gold.get("body_present", {}), "body", present=True)
    checks += check_duplicates(ex, gold.get("duplicates", []))
    checks += check_stories(ex, gold.get("stories", []))
    checks += check_story_titles(ex, gold.get("story_titles", []))
    checks += check_entities(ex, gold.get("entities", {}))
    checks += check_quotes(ex, gold.get("quotes", []))
    checks += check_timeline(ex, gold.get("timeline", []))
    checks += check_timeline_absent(ex, gold.get("timeline_absent", []))
    checks += check_figures(ex, gold.get("figures", []), bool(gold.get("no_false_disagreements")))
    checks += check_general(ex)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    optional: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in checks:
        row = (optional if c.optional else counts)[c.section]
        row[0] += c.passed
        row[1] += 1
    metrics: dict[str, Any] = {}
    for section in SECTIONS:
        passed, total = counts.get(section, [0, 0])
        metrics[section] = {"passed": passed, "total": total,
                            "score": round(passed / total, 4) if total else 1.0}
        if section in optional:
            metrics[section]["optional_passed"], metrics[section]["optional_total"] = \
                optional[section]
    passed = sum(p for p, _ in counts.values())
    total = sum(t for _, t in counts.values())
    metrics["account_score"] = round(passed / total, 4) if total else 0.0
    metrics["figures"].update(figure_coverage(ex, gold.get("figures", [])))
    return metrics, checks


def build_export(docs: Path, settings: Settings | None = None) -> dict[str, Any]:
    """Build ``docs`` into a fresh temporary store and return its export."""
    with tempfile.TemporaryDirectory(prefix="storyline-account-") as tmp:
        store = Store(Path(tmp) / "account.db")
        try:
            build([str(docs)], store, settings=settings)
            return export_dict(store)
        finally:
            store.close()


def evaluate(data: Path, limit: int | None = None, settings: Settings | None = None) -> dict:
    """Build, export and score ``data`` (a folder with ``docs/`` and ``gold.json``).
    ``limit`` is accepted for the common scorer interface; the whole set is always scored."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    data = Path(data)
    gold = json.loads((data / "gold.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    export = build_export(data / "docs", settings)
    metrics, checks = score(export, gold)
    metrics["seconds"] = round(time.perf_counter() - started, 1)
    console = Console()
    for c in checks:
        if not c.passed:
            tag = "optional" if c.optional else "FAIL"
            console.print(escape(f"{tag} [{c.section}] {c.detail}"), highlight=False,
                          soft_wrap=True)
    table = Table(title=f"Account checks on {data.name}")
    for column in ("section", "passed", "total", "score"):
        table.add_column(column, justify="left" if column == "section" else "right")
    for section in SECTIONS:
        row = metrics[section]
        table.add_row(section, str(row["passed"]), str(row["total"]), f"{row['score']:.3f}")
    table.add_row("account", "", "", f"{metrics['account_score']:.3f}")
    console.print(table)
    return metrics
