"""Scorer for cross-outlet name matching: precision/recall of "same referent" decisions.

The data is a JSON list of ``{"a": {"name", "context"}, "b": {"name", "context"}, "same": bool}``
(see ``eval/data/entity_pairs.json``); the positive class is "same".
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from storyline.errors import message
from storyline.eval.metrics import f1 as harmonic_f1
from storyline.nlp.names import same_referent
from storyline.settings import Settings


def _load(data: Path) -> list[dict]:
    try:
        pairs = json.loads(Path(data).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SystemExit(message("E310", data=data, reason=exc)) from exc
    if not isinstance(pairs, list):
        raise SystemExit(message("E311", data=data))
    return pairs


def evaluate(data: Path, limit: int | None = None, settings: Settings | None = None) -> dict:
    """Score :func:`storyline.nlp.names.same_referent` on the pairs in ``data``."""
    pairs = _load(data)
    if limit is not None:
        pairs = pairs[:limit]
    started = time.perf_counter()
    tp = fp = fn = tn = skipped = 0
    errors: list[tuple[str, str, str, str]] = []
    for pair in pairs:
        try:
            a, b, gold = pair["a"], pair["b"], bool(pair["same"])
            said, _, reason = same_referent(a["name"], a.get("context"), b["name"], b.get("context"))
        except (KeyError, TypeError):
            skipped += 1
            continue
        if said and gold:
            tp += 1
        elif said:
            fp += 1
            errors.append(("false merge", a["name"], b["name"], reason))
        elif gold:
            fn += 1
            errors.append(("missed", a["name"], b["name"], reason))
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = harmonic_f1(precision, recall)
    scored = tp + fp + fn + tn
    metrics = {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "accuracy": round((tp + tn) / scored, 4) if scored else 0.0,
        "pairs": scored,
        "positives": tp + fn,
        "negatives": fp + tn,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "true_negatives": tn,
        "skipped": skipped,
        "seconds": round(time.perf_counter() - started, 2),
    }
    console = Console()
    table = Table(title=f"Name matching on {Path(data).name}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for k in ("precision", "recall", "f1", "accuracy", "pairs", "false_positives",
              "false_negatives"):
        table.add_row(k, str(metrics[k]))
    console.print(table)
    if errors:
        err = Table(title="Errors")
        for col in ("kind", "a", "b", "reason"):
            err.add_column(col)
        for row in errors[:25]:
            err.add_row(*row)
        console.print(err)
    return metrics
