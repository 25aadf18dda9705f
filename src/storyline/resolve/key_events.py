"""Key events: the few timeline entries a reader of a story should see first.

A story's timeline holds every dated statement and background fact its reports make; an
analyst first wants the handful that matter. An entry ranks by how many reports carry it (one
meeting told by three outlets outweighs an aside in one), by how central its participants are
to the story (the entities its entries name most), by having a date a reader can place, and by
being an event rather than a dated fact. Works on export-shaped entries (dicts), so the report,
the web app and other tools rank alike.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

LEAST = 5
MOST = 12


def _participants(entry: Mapping[str, Any]) -> list[str]:
    return list(entry.get("actors") or []) + list(entry.get("recipients") or [])


def _placed(date: str | None) -> bool:
    return bool(date) and not str(date).startswith("XXXX")


def how_many(n: int, least: int = LEAST, most: int = MOST) -> int:
    """How many of a story's ``n`` entries are key: a quarter, at least ``least`` and at most
    ``most``, never more than there are."""
    return min(n, max(least, min(most, math.ceil(n / 4))))


def key_event_ids(entries: Sequence[Mapping[str, Any]], least: int = LEAST,
                  most: int = MOST) -> list[str]:
    """The ids of the key entries of one story's timeline, best first."""
    if not entries:
        return []
    weight: Counter[str] = Counter(p for e in entries for p in set(_participants(e)))
    top = max(weight.values(), default=0) or 1

    def score(entry: Mapping[str, Any]) -> tuple:
        reports = len({s.get("article_id") for s in entry.get("sources") or []})
        central = min(1.0, sum(weight[p] for p in set(_participants(entry))) / top)
        return (-(2.0 * reports + central + (1.0 if _placed(entry.get("date")) else 0.0)
                  + (0.5 if entry.get("type") != "OTHER" else 0.0)),
                str(entry.get("date") or "~"), str(entry.get("id")))

    ranked = sorted(entries, key=score)
    return [str(e.get("id")) for e in ranked[:how_many(len(entries), least, most)]]
