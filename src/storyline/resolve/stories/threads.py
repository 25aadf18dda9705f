"""Threads and titles: what ties stories together, and what each story is called.

A thread gathers stories about the same ongoing matter (the November 2022 Washington talks and
the June 2023 announcement of the next round), which are separate stories because they are
months apart. Stories are compared as wholes, on their entities and topic terms, with a looser
threshold than story membership and a window of about a year; linked stories form a thread
(connected components, which do not depend on the order stories are listed in).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from storyline.model import Story, stable_id
from storyline.resolve.stories.vectors import (
    StoryDoc,
    heuristic_entities,
    identity,
    tokens,
)
from storyline.settings import ThreadConfig
from storyline.timeml import day_number
from storyline.unionfind import UnionFind


def _profiles(stories: list[Story], docs: list[StoryDoc], config: ThreadConfig) -> list[dict]:
    by_id = {d.article_id: d for d in docs}
    terms, ents = [], []
    for s in stories:
        members = [by_id[a] for a in s.article_ids if a in by_id]
        terms.append([t for d in members for t in tokens(f"{d.title or ''}\n{d.lemmas or d.text}")])
        ents.append(
            [e.lower() for d in members for e in (d.entities or heuristic_entities(d.text))]
        )
    blocks: list[list[dict[Any, float]]] = []
    for texts in (terms, ents):
        try:
            counts = (
                CountVectorizer(analyzer=identity).fit_transform(texts).tocsr().astype(np.float64)
            )
        except ValueError:
            blocks.append([{} for _ in stories])
            continue
        counts.data = 1.0 + np.log(counts.data)
        # IDF against the corpus plus a pseudo-background of unrelated stories: with few
        # stories an ordinary IDF would call the terms they share (the very evidence of a
        # thread) common; with many, the background no longer matters.
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log((counts.shape[0] + config.background) / (df + 1.0))
        m = counts.multiply(idf[None, :]).tocsr()
        rows = []
        for i in range(m.shape[0]):
            idx, val = (
                m.indices[m.indptr[i] : m.indptr[i + 1]],
                m.data[m.indptr[i] : m.indptr[i + 1]],
            )
            top = sorted(zip(val.tolist(), idx.tolist()), key=lambda x: (-x[0], x[1]))[
                : config.profile_terms
            ]
            norm = math.sqrt(sum(v * v for v, _ in top)) or 1.0
            rows.append({k: v / norm for v, k in top})
        blocks.append(rows)
    out = []
    for t, e in zip(*blocks):
        we = config.entity_weight if e else 0.0
        wt = 1.0 - we if t else 0.0
        vec = {("t", k): v * math.sqrt(wt) for k, v in t.items()}
        vec.update({("e", k): v * math.sqrt(we) for k, v in e.items()})
        out.append(vec)
    return out


def link_threads(
    stories: list[Story], docs: list[StoryDoc], config: ThreadConfig | None = None
) -> dict[str, str]:
    """story id -> thread id; a story linked to nothing is a thread of its own. Also sets
    ``Story.thread_id``. Thread ids derive from the thread's earliest story id."""
    config = config or ThreadConfig()
    if not stories:
        return {}
    profiles = _profiles(stories, docs, config)
    days = []
    for s in stories:
        d0, d1 = day_number(s.start), day_number(s.end)
        days.append((d0, d1 if d1 is not None else d0))
    sets = UnionFind(range(len(stories)))
    find = sets.find

    # Candidate pairs share a profile term: an inverted index instead of all pairs.
    postings: dict = defaultdict(list)
    for i, vec in enumerate(profiles):
        for k in vec:
            postings[k].append(i)
    for i, vec in enumerate(profiles):
        dots: dict[int, float] = defaultdict(float)
        for k, w in vec.items():
            for j in postings[k]:
                if j > i:
                    dots[j] += w * profiles[j][k]
        for j, dot in dots.items():
            if dot < config.threshold:
                continue
            (a0, a1), (b0, b1) = days[i], days[j]
            if a0 is not None and b0 is not None:
                assert a1 is not None and b1 is not None  # the end day defaults to the start
                gap = max(0, b0 - a1, a0 - b1)
                if gap > config.window_days:
                    continue
            sets.union(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(stories)):
        groups[find(i)].append(i)
    result = {}
    for members in groups.values():
        first = min(
            members,
            key=lambda i: (
                day_number(stories[i].start) is None,
                day_number(stories[i].start) or 0,
                stories[i].id,
            ),
        )
        thread = stable_id("thread", stories[first].id)
        for i in members:
            stories[i].thread_id = thread
            result[stories[i].id] = thread
    return result
