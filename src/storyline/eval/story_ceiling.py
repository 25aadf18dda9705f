"""How much of a gold clustering the text shows plainly: a reference level for pairwise recall.

A clusterer puts two articles together on evidence: their own similarity, or a chain of
similar articles between them. Below some similarity a pair of articles is more often two
stories than one, so joining on it alone costs more precision than it brings recall. This finds
that level on the gold data (going down from the top in bands of cosines 0.05 wide, the last
band before the first in which fewer than half of the pairs are one story) and counts the gold
pairs that are linked inside their own gold cluster by a chain of pairs at or above it. A
clusterer with perfect precision that joined only on such pairs would reach that recall R and
``2R / (1 + R)`` pairwise F1. It is a reference, not a strict bound: average links add up
several weaker similarities, and on Multi-News the clusterer's recall ends slightly above R.

The similarity is the clusterer's own (body, title and entity blocks, no hubness or time
terms), so the ceiling speaks for this representation; it is a diagnostic for the scorer, not
a gate. Cost is quadratic in the documents scored (one sparse product), fine for eval sets.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from storyline.eval.metrics import f1 as harmonic_f1
from storyline.resolve.stories.vectors import StoryConfig, StoryDoc, doc_vectors

BAND = 0.05
STEP = 0.01


def similarity_matrix(docs: list[StoryDoc], config: StoryConfig | None = None) -> np.ndarray:
    vectors = doc_vectors(docs, config or StoryConfig())
    keys = {k: j for j, k in enumerate(sorted({k for v in vectors for k in v}))}
    rows, cols, vals = [], [], []
    for i, vec in enumerate(vectors):
        for k, w in vec.items():
            rows.append(i)
            cols.append(keys[k])
            vals.append(w)
    matrix = csr_matrix((vals, (rows, cols)), shape=(len(docs), max(len(keys), 1)))
    return (matrix @ matrix.T).toarray()


def decisive_level(sims: np.ndarray, same: np.ndarray) -> float:
    """Going down from the top, the last band (before the first that is not) in which at least
    half of the pairs are one gold story."""
    level = 1.0
    for tau in np.arange(1.0 - BAND, 0.0, -STEP):
        band = (sims >= tau) & (sims < tau + BAND)
        if band.any():
            if same[band].mean() < 0.5:
                break
            level = float(tau)
    return round(level, 2)


def reachable_pairs(sim: np.ndarray, gold: list[int], level: float) -> tuple[int, int]:
    """Gold pairs linked inside their gold cluster by pairs at or above ``level``, and all."""
    members: dict[int, list[int]] = {}
    for i, g in enumerate(gold):
        members.setdefault(g, []).append(i)
    reached = total = 0
    for idx in members.values():
        links = csr_matrix(sim[np.ix_(idx, idx)] >= level)
        _, component = connected_components(links, directed=False)
        reached += sum(v * (v - 1) // 2 for v in Counter(component.tolist()).values())
        total += len(idx) * (len(idx) - 1) // 2
    return reached, total


def ceiling(docs: list[StoryDoc], gold: list[int], config: StoryConfig | None = None) -> dict:
    if len(docs) < 2:
        return {"ceiling_similarity": 1.0, "pairwise_recall_ceiling": 1.0, "pairwise_f1_ceiling": 1.0}
    sim = similarity_matrix(docs, config)
    labels = np.asarray(gold)
    upper = np.triu_indices(len(gold), 1)
    level = decisive_level(sim[upper], (labels[:, None] == labels[None, :])[upper])
    reached, total = reachable_pairs(sim, gold, level)
    recall = reached / total if total else 1.0
    # Key names say "ceiling" for the single-pair evidence rule described above.
    return {
        "ceiling_similarity": level,
        "pairwise_recall_ceiling": round(recall, 4),
        "pairwise_f1_ceiling": round(harmonic_f1(1.0, recall), 4),
    }
