"""Storyline: turn overlapping news reports into one sourced account of each story.

The public API, as complete as the command line::

    import storyline

    summary = storyline.build(["articles/"], db="news.db")        # storyline build
    with storyline.open_store("news.db") as store:                 # read-only
        data = storyline.export(store)                             # storyline export
        html = storyline.render_report(store)                      # storyline report
        hits = store.search("Bayramov")                            # storyline search
        stories = store.stories()                                  # storyline stories
    metrics = storyline.evaluate("stories", "multinews/validation.csv")   # storyline eval

Names are loaded on first use, so ``import storyline`` stays cheap.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storyline.pipeline import BuildSummary
    from storyline.settings import Settings
    from storyline.store import Store

__version__ = "0.1.0"

# name -> (module, attribute): what ``storyline.NAME`` is.
_EXPORTS = {
    "Settings": ("storyline.settings", "Settings"),
    "Store": ("storyline.store", "Store"),
    "StorylineError": ("storyline.errors", "StorylineError"),
    "BuildSummary": ("storyline.pipeline", "BuildSummary"),
    "Progress": ("storyline.pipeline", "Progress"),
    "analyse": ("storyline.pipeline", "analyse"),
    "read_paths": ("storyline.read", "read_paths"),
    "clean": ("storyline.clean", "clean"),
    "export_dict": ("storyline.outputs.export", "export_dict"),
    "to_json": ("storyline.outputs.export", "to_json"),
    "to_jsonl": ("storyline.outputs.export", "to_jsonl"),
    "to_markdown": ("storyline.outputs.export", "to_markdown"),
    "render_report": ("storyline.outputs.report", "render_report"),
    "create_app": ("storyline.outputs.web.app", "create_app"),
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module, attribute = _EXPORTS[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")


def build(paths: list[str] | str, db: str | Path = "storyline.db",
          settings: Settings | None = None, engine: str = "serial",
          workers: int | None = None, scheduler: str | None = None) -> BuildSummary:
    """Read, clean, deduplicate and analyse ``paths`` into the database ``db`` (incremental),
    as ``storyline build``. ``engine`` is serial, process or dask."""
    from storyline.pipeline import build as run_build
    from storyline.runners import make_runner
    from storyline.store import Store

    store = Store(db)
    runner = make_runner(engine, workers, scheduler)
    try:
        return run_build([paths] if isinstance(paths, str) else list(paths), store, runner,
                         settings)
    finally:
        runner.close()
        store.close()


def open_store(db: str | Path) -> Store:
    """An existing database, read-only (a clear error names the path when it is missing)."""
    from storyline.store import Store

    return Store(db, readonly=True)


def export(store: Store, format: str = "json") -> Any:
    """Everything in the published contract: a dict for ``json``, text for ``jsonl``/``md``."""
    from storyline.outputs import export as exp

    writers = {"jsonl": exp.to_jsonl, "md": exp.to_markdown}
    if format != "json" and format not in writers:
        raise ValueError(f"unknown export format {format!r}: use json, jsonl or md")
    data = exp.export_dict(store)
    return data if format == "json" else writers[format](data)


def evaluate(task: str, data: str | Path, limit: int | None = None,
             settings: Settings | None = None) -> dict:
    """Score a stage on gold data, as ``storyline eval TASK --data DATA``; returns the metrics."""
    module = importlib.import_module(f"storyline.eval.{task}")
    return module.evaluate(Path(data), limit=limit, settings=settings)


__all__ = ["BuildSummary", "Progress", "Settings", "Store", "StorylineError", "analyse",
           "build", "clean", "create_app", "evaluate", "export", "export_dict", "open_store",
           "read_paths", "render_report", "to_json", "to_jsonl", "to_markdown"]
