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
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from storyline.model import Story, stable_id
from storyline.unionfind import UnionFind

if TYPE_CHECKING:
    from storyline.stories import StoryDoc


@dataclass
class ThreadConfig:
    threshold: float = 0.22  # cosine of story profiles (entities + topic terms) to link
    window_days: float = 400.0  # stories further apart are never linked
    entity_weight: float = 0.5
    background: float = 50.0  # pseudo-stories added to the IDF denominator (see _profiles)
    profile_terms: int = 40  # each story profile keeps its top terms (bounds the pair search)


def _day(value: str | None) -> int | None:
    try:
        return date.fromisoformat(value[:10]).toordinal() if value else None
    except ValueError:
        return None


def _members(story: Story, docs: list[StoryDoc]) -> list[StoryDoc]:
    by_id = {d.article_id: d for d in docs}
    return [by_id[a] for a in story.article_ids if a in by_id]


def headline(doc: StoryDoc) -> str:
    """An article's title, or for an untitled one its opening words."""
    if doc.title and doc.title.strip():
        return " ".join(doc.title.split())
    words = doc.text.split()
    return " ".join(words[:14]) + ("…" if len(words) > 14 else "")


def story_title(story: Story, docs: list[StoryDoc]) -> str:
    """The headline of the story's most central article (closest to the sum of its members'
    vectors; a titled article is preferred), else its opening words. Also sets
    ``story.start``/``story.end`` from the members' publication dates."""
    from storyline.stories import StoryConfig, central_member, doc_vectors

    members = _members(story, docs)
    dates = sorted(d.published[:10] for d in members if _day(d.published) is not None)
    if dates:
        story.start, story.end = dates[0], dates[-1]
    if not members:
        return story.title or ""
    titled = [d for d in members if d.title and d.title.strip()] or members
    vectors = doc_vectors(titled, StoryConfig(min_df=1))
    return headline(titled[central_member(vectors)])


def main_entities(story: Story, docs: list[StoryDoc], n: int = 5) -> list[str]:
    """The entities named by the most of the story's articles (ties by name)."""
    from storyline.stories import heuristic_entities

    counts: dict[str, int] = defaultdict(int)
    for d in _members(story, docs):
        for e in set(d.entities or heuristic_entities(d.text)):
            counts[e] += 1
    return sorted(counts, key=lambda e: (-counts[e], e))[:n]


def _identity(xs):
    return xs


def _profiles(stories: list[Story], docs: list[StoryDoc], config: ThreadConfig) -> list[dict]:
    from storyline.stories import heuristic_entities, tokens

    by_id = {d.article_id: d for d in docs}
    terms, ents = [], []
    for s in stories:
        members = [by_id[a] for a in s.article_ids if a in by_id]
        terms.append([t for d in members for t in tokens(f"{d.title or ''}\n{d.lemmas or d.text}")])
        ents.append(
            [e.lower() for d in members for e in (d.entities or heuristic_entities(d.text))]
        )
    blocks = []
    for texts in (terms, ents):
        try:
            counts = (
                CountVectorizer(analyzer=_identity).fit_transform(texts).tocsr().astype(np.float64)
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
        d0, d1 = _day(s.start), _day(s.end)
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
                _day(stories[i].start) is None,
                _day(stories[i].start) or 0,
                stories[i].id,
            ),
        )
        thread = stable_id("thread", stories[first].id)
        for i in members:
            stories[i].thread_id = thread
            result[stories[i].id] = thread
    return result
