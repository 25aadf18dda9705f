"""The relation graph of a story: who met, quoted or accused whom, drawn from its timeline and
quotes."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any, Protocol, cast


class Corpus(Protocol):
    """What the graph reads of :class:`storyline.outputs.report.views.Corpus`."""

    entities: dict[str, Any]
    mentions_in: dict[str, list]

    def entity_name(self, key: str) -> str: ...


def _verb(event_type: str | None) -> str:
    return (event_type or "related").replace("_", " ").lower()


def relation_graph(corpus: Corpus, timeline: list[dict], quotes: list[dict],
                   ids: set[str], size: int = 560, max_nodes: int = 10,
                   max_edges: int = 16) -> dict | None:
    """Who met / quoted / accused whom: edges from timeline actors to recipients, and from a
    quote's speaker to the entities named inside the quote. Only resolved entities are drawn
    (an unresolved phrase such as "the talks" is not someone)."""
    known = corpus.entities
    edges: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for t in timeline:
        for a in t.get("actors") or []:
            for r in t.get("recipients") or []:
                if a != r and a in known and r in known:
                    edges[(a, r)][_verb(t.get("type"))] += 1
    mentions_in = {aid: [(m["start"], m["end"], eid) for m, eid in corpus.mentions_in[aid]]
                   for aid in ids if aid in corpus.mentions_in}
    for q in quotes:
        speaker = (q.get("speaker") or {}).get("entity_id")
        if speaker not in known:
            continue
        for occ in q.get("occurrences") or []:
            for start, end, eid in mentions_in.get(occ.get("article_id"), []):
                if occ["start"] <= start and end <= occ["end"] and eid != speaker:
                    # speaker is in known (checked above), so an entity id
                    edges[(cast("str", speaker), eid)]["quoted on"] += 1
    if not edges:
        return None
    degree: Counter = Counter()
    for (a, b), verbs in edges.items():
        degree[a] += sum(verbs.values())
        degree[b] += sum(verbs.values())
    nodes = [n for n, _ in degree.most_common(max_nodes)]
    keep = set(nodes)
    chosen = sorted(((k, v) for k, v in edges.items() if k[0] in keep and k[1] in keep),
                    key=lambda kv: -sum(kv[1].values()))[:max_edges]
    linked = {n for k, _ in chosen for n in k}
    nodes = [n for n in nodes if n in linked]  # no orphan dots
    cx = cy = size / 2
    rx = size / 2 - 90 if len(nodes) > 2 else size / 4
    ry = rx * 0.62
    pos = {}
    for i, n in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / len(nodes)
        pos[n] = (cx + rx * math.cos(angle), cy + ry * math.sin(angle))
    # Fit the drawing to the nodes (room above each for its label).
    ys = [y for _, y in pos.values()]
    shift = min(ys) - 40
    height = max(ys) - min(ys) + 70
    out_nodes = [{"id": n, "name": corpus.entity_name(n), "x": round(pos[n][0], 1),
                  "y": round(pos[n][1] - shift, 1), "known": True} for n in nodes]
    out_edges = []
    for (a, b), verbs in chosen:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        y1, y2 = y1 - shift, y2 - shift
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        nx, ny = -(y2 - y1) / length, (x2 - x1) / length
        # A slight curve keeps a→b and b→a apart; stop at the target's circle so the
        # arrowhead shows.
        qx, qy = (x1 + x2) / 2 + nx * 16, (y1 + y2) / 2 + ny * 16
        ex, ey = x2 - (x2 - qx) * 10 / length, y2 - (y2 - qy) * 10 / length
        label = ", ".join(v for v, _ in verbs.most_common(2))
        out_edges.append({
            "source": corpus.entity_name(a), "target": corpus.entity_name(b),
            "path": f"M{x1:.1f} {y1:.1f} Q{qx:.1f} {qy:.1f} {ex:.1f} {ey:.1f}",
            "mx": round((x1 + x2) / 2 + nx * 8, 1), "my": round((y1 + y2) / 2 + ny * 8, 1),
            "label": label, "count": sum(verbs.values()),
            "width": round(min(1.2 + 0.6 * (sum(verbs.values()) - 1), 4), 1),
        })
    return {"width": size, "height": round(height), "nodes": out_nodes, "edges": out_edges,
            "labels": len(out_edges) <= 8}
