"""Story clustering: every article joins the story it reports, or starts a new one.

The clusterer follows the single-pass news-stream systems (Miranda et al., EMNLP 2018;
Staykovski et al., 2019): each article is a TF-IDF vector over its body tokens (or lemmas, with
BM25 term frequency so long and short reports of one event meet), its title tokens and its
entities; articles are visited once, in a canonical order, and each joins
the most similar story among a few candidates retrieved from an inverted index, if that
similarity, damped by the time gap between article and story, clears a calibrated threshold.
Similarities are average links (mean cosine to a story's members), less the pair's
neighbourhood level (:func:`hubness`), and a consolidation step then merges stories whose
average-link similarity clears a second threshold, mending stories the single pass started
twice. The specific days articles mention (``StoryDoc.dates``) scale a similarity up when the
two sides name the same day of the year ("November 7" meets 2022-11-07) and down when both
name days and none is near (:func:`_day_factor`); on its own a shared day links nothing. Thresholds were calibrated on each half of the Multi-News validation clusters
separately; both halves favour the defaults (see the eval module).

Order independence. The canonical order (publication date, then article id; undated articles
after dated ones, by id) and the IDF (a statistic of the *set* of documents) do not depend on
the order or batch split in which articles arrived, so ``cluster(all_docs)`` returns the same
grouping however the corpus was built. Incremental builds call ``cluster`` again over every
stored article: the pass is linear in the number of articles (candidate retrieval is bounded,
see ``StoryConfig.max_candidates`` and ``posting_window``) and cheap next to the NLP stages.

Vectors are built in :mod:`.vectors`, titles and spans in :mod:`.titles`, threads (looser
links between stories, over months) in :mod:`.threads`.
"""
from __future__ import annotations

import bisect
import heapq
import math
from collections import defaultdict
from typing import cast

from storyline.model import Story, stable_id
from storyline.resolve.stories.titles import story_title
from storyline.resolve.stories.vectors import (
    StoryDoc,
    canonical_order,
    day_vectors,
    doc_vectors,
    effective_day,
    latest_mentioned_day,
)
from storyline.settings import StoryConfig


class _Story:
    """A story being built: the sum of its members' vectors, its dates and members."""

    __slots__ = ("days", "first", "hub", "index", "last", "members", "mentioned", "norm2",
                 "terms", "total")

    def __init__(self, index: int):
        self.index = index
        self.members: list[int] = []
        self.total: dict = {}
        self.norm2 = 0.0
        self.first: int | None = None
        self.last: int | None = None
        self.terms: set = set()  # index terms it is filed under
        self.hub = 0.0  # sum of the members' hubness
        self.days: dict[int, float] = {}  # the days of the year its members mention
        self.mentioned: int | None = None  # latest dated day its undated members mention

    def similarity(self, vec: dict, norm: float, linkage: str) -> float:
        if self.norm2 <= 0 or norm <= 0:
            return 0.0
        total = self.total
        dot = sum(w * total.get(k, 0.0) for k, w in vec.items())
        if linkage == "mean":
            return dot / (len(self.members) * norm)
        return dot / (math.sqrt(self.norm2) * norm)

    def add(self, i: int, vec: dict, day: int | None, days: dict | None = None,
            mentioned: int | None = None) -> None:
        self.members.append(i)
        if day is None and mentioned is not None:
            self.mentioned = mentioned if self.mentioned is None else max(self.mentioned,
                                                                          mentioned)
        for k, w in (days or {}).items():
            self.days[k] = self.days.get(k, 0.0) + w
        total = self.total
        norm2 = self.norm2
        for k, w in vec.items():
            old = total.get(k, 0.0)
            total[k] = old + w
            norm2 += 2 * old * w + w * w
        self.norm2 = norm2
        if day is not None:
            self.first = day if self.first is None else min(self.first, day)
            self.last = day if self.last is None else max(self.last, day)


_DAY_REACH = 6  # days either side of a mentioned day that still count as near it


def day_agreement(a: dict, b: dict, sigma: float) -> float:
    """How near the nearest pair of mentioned days of a and b are: 1 for the same day of the
    year, falling off as a Gaussian of the gap (wrapping round the year end)."""
    if len(a) > len(b):
        a, b = b, a
    best = 0
    for day in a:
        if day in b:
            return 1.0
        for off in range(1, _DAY_REACH + 1):
            if (day + off - 1) % 366 + 1 in b or (day - off - 1) % 366 + 1 in b:
                best = off if not best else min(best, off)
                break
    return math.exp(-0.5 * (best / sigma) ** 2) if best else 0.0


def _day_factor(a: dict, b: dict, config: StoryConfig) -> float:
    """Reports of one event mention the same days ("on November 7"); reports of two events
    that both name days, none of them near, are less likely one story. The factor scales the
    content similarity (it never adds to it), so articles that share only a date, as every
    article of a week about "Monday" does, are not drawn together."""
    if not a or not b:
        return 1.0
    agree = day_agreement(a, b, config.date_sigma_days)
    return 1.0 + config.date_boost * agree - config.date_penalty * (1.0 - agree)


def _eras_apart(first: int | None, mentioned: int | None, config: StoryConfig) -> bool:
    """A dated side that begins ``era_reach_days`` after the latest day an undated side
    mentions: the undated side was written in another era (see StoryConfig.era_reach_days)."""
    reach = config.era_reach_days
    return reach is not None and first is not None and mentioned is not None and \
        first - mentioned > reach


def _gap(story: _Story, day: int | None) -> float | None:
    if day is None or story.first is None:
        return None
    assert story.last is not None  # first and last are set together
    if story.first <= day <= story.last:
        return 0.0
    return float(min(abs(day - story.first), abs(day - story.last)))


def _top_terms(vec: dict, n: int) -> list:
    return sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def hubness(vectors: list[dict], days: list[int | None], config: StoryConfig) -> list[float]:
    """Each doc's mean similarity to its nearest neighbours in the whole set.

    Some articles resemble everything (wire round-ups, generic politics), others resemble
    little (short, idiosyncratic); a fixed threshold is too loose for the first and too strict
    for the second. Subtracting the pair's neighbourhood level (as in CSLS, Conneau et al.
    2018) evens them out. Neighbours come from a doc-level index, looking only at the docs
    nearest in canonical order under each term, so this is order-independent and linear.
    """
    if config.hub_weight <= 0:
        return [0.0] * len(vectors)
    postings: dict = defaultdict(list)
    tops = []
    for i, vec in enumerate(vectors):
        top = _top_terms(vec, config.index_terms)
        tops.append(top)
        for term, _ in top:
            postings[term].append(i)
    half = config.posting_window // 2
    out = []
    for i, vec in enumerate(vectors):
        hits: dict[int, float] = defaultdict(float)
        for term, weight in tops[i]:
            plist = postings[term]
            p = bisect.bisect_left(plist, i)
            for j in plist[max(0, p - half) : p + half + 1]:
                if j != i:
                    hits[j] += weight
        sims = []
        for j in sorted(hits, key=lambda j: (-hits[j], j))[: config.max_candidates]:
            if (
                days[i] is not None
                and days[j] is not None
                and abs(cast(int, days[i]) - cast(int, days[j])) > config.time_window_days
            ):
                continue
            other = vectors[j]
            sims.append(sum(w * other.get(k, 0.0) for k, w in vec.items()))
        sims.sort(reverse=True)
        top_k = sims[: config.hub_neighbours]
        out.append(sum(top_k) / config.hub_neighbours)
    return out


def assign(
    vectors: list[dict],
    days: list[int | None],
    config: StoryConfig,
    hubs: list[float] | None = None,
    day_vecs: list[dict] | None = None,
    mentioned: list[int | None] | None = None,
) -> list[int]:
    """The single pass: for each doc (already in canonical order) the story index it joins."""
    stories: list[_Story] = []
    postings: dict = defaultdict(list)  # term -> story indexes, in creation order
    labels: list[int] = []
    hubs = hubs if hubs is not None else [0.0] * len(vectors)
    day_vecs = day_vecs if day_vecs is not None else [{}] * len(vectors)
    mentioned = mentioned if mentioned is not None else [None] * len(vectors)
    for i, (vec, day) in enumerate(zip(vectors, days)):
        query = _top_terms(vec, config.index_terms)
        norm = math.sqrt(sum(w * w for w in vec.values()))
        hits: dict[int, float] = defaultdict(float)
        for term, weight in query:
            # Only the latest stories under a term: in date order those are the ones still
            # within reach of the time window, and it bounds the work per article.
            for s in postings.get(term, ())[-config.posting_window :]:
                hits[s] += weight
        candidates = sorted(hits, key=lambda s: (-hits[s], s))[: config.max_candidates]
        best, best_sim = None, config.threshold
        for s in candidates:
            story = stories[s]
            gap = _gap(story, day)
            if gap is not None and gap > config.time_window_days:
                continue
            if (day is None and _eras_apart(story.first, mentioned[i], config)) or \
                    _eras_apart(day, story.mentioned, config):
                continue
            sim = story.similarity(vec, norm, config.linkage)
            sim *= _day_factor(day_vecs[i], story.days, config)
            if gap:
                sim *= math.exp(-0.5 * (gap / config.time_sigma_days) ** 2)
            sim -= config.hub_weight * (hubs[i] + story.hub / len(story.members)) / 2
            if sim >= best_sim and (best is None or sim > best_sim or s < best):
                best, best_sim = s, sim
        if best is None:
            best = len(stories)
            stories.append(_Story(best))
        story = stories[best]
        story.add(i, vec, day, day_vecs[i], mentioned[i])
        story.hub += hubs[i]
        # A story is filed under the top terms of each of its members.
        for term, _ in query:
            if term not in story.terms:
                story.terms.add(term)
                postings[term].append(best)
        labels.append(best)
    if config.merge_threshold is not None:
        merged = consolidate(stories, postings, config)
        labels = [merged[label] for label in labels]
    return labels


def _story_similarity(a: _Story, b: _Story, config: StoryConfig) -> float | None:
    """Average-link similarity of two stories, damped by their time gap; None if out of reach."""
    gap = 0.0
    if a.first is not None and b.first is not None:
        assert a.last is not None and b.last is not None  # first and last are set together
        gap = float(max(0, b.first - a.last, a.first - b.last))
        if gap > config.time_window_days:
            return None
    if _eras_apart(a.first, b.mentioned, config) or _eras_apart(b.first, a.mentioned, config):
        return None
    small, large = (a.total, b.total) if len(a.total) <= len(b.total) else (b.total, a.total)
    sim = sum(w * large.get(k, 0.0) for k, w in small.items()) / (len(a.members) * len(b.members))
    sim *= _day_factor(a.days, b.days, config)
    if gap:
        sim *= math.exp(-0.5 * (gap / config.time_sigma_days) ** 2)
    return sim - config.hub_weight * (a.hub / len(a.members) + b.hub / len(b.members)) / 2


def consolidate(stories: list[_Story], postings: dict, config: StoryConfig) -> list[int]:
    """Merge stories whose average-link similarity clears ``merge_threshold``, best pair first.

    A single pass decides on each article with only the articles before it in view; a story
    that started as two halves (the second half's first article did not resemble the first
    half enough) is mended here. Candidates come from the same index, so this stays linear.
    Returns, for each story index, the index of the story it ended in.
    """
    alias = list(range(len(stories)))

    def find(i: int) -> int:
        while alias[i] != i:
            alias[i] = alias[alias[i]]
            i = alias[i]
        return i

    version = [0] * len(stories)
    heap: list = []

    def push_candidates(a: int) -> None:
        hits: dict[int, int] = defaultdict(int)
        for term in stories[a].terms:
            for s in postings.get(term, ())[-config.posting_window :]:
                b = find(s)
                if b != a:
                    hits[b] += 1
        for b in sorted(hits, key=lambda b: (-hits[b], b))[: config.max_candidates]:
            sim = _story_similarity(stories[a], stories[b], config)
            if sim is not None and sim >= cast(float, config.merge_threshold):
                lo, hi = min(a, b), max(a, b)
                heapq.heappush(heap, (-sim, lo, hi, version[lo], version[hi]))

    for a in range(len(stories)):
        push_candidates(a)
    while heap:
        _, a, b, va, vb = heapq.heappop(heap)
        if find(a) != a or find(b) != b or version[a] != va or version[b] != vb:
            continue
        # b folds into a (the earlier story), which keeps its place and so its id.
        keep, gone = stories[a], stories[b]
        for i in gone.members:
            keep.members.append(i)
        for k, w in gone.total.items():
            keep.total[k] = keep.total.get(k, 0.0) + w
        keep.norm2 = sum(v * v for v in keep.total.values())
        if gone.first is not None:
            keep.first = gone.first if keep.first is None else min(keep.first, gone.first)
            keep.last = gone.last if keep.last is None else max(keep.last, gone.last)
        keep.terms |= gone.terms
        for k, w in gone.days.items():
            keep.days[k] = keep.days.get(k, 0.0) + w
        keep.hub += gone.hub
        if gone.mentioned is not None:
            keep.mentioned = gone.mentioned if keep.mentioned is None else max(keep.mentioned,
                                                                               gone.mentioned)
        alias[b] = a
        version[a] += 1
        push_candidates(a)
    return [find(i) for i in range(len(stories))]


def cluster(docs: list[StoryDoc], config: StoryConfig | None = None) -> list[Story]:
    """Group docs into stories. Same grouping and ids for any input order or batch split."""
    config = config or StoryConfig()
    seen: set[str] = set()
    unique = []
    for d in docs:  # the same article given twice is one article
        if d.article_id not in seen:
            seen.add(d.article_id)
            unique.append(d)
    ordered = canonical_order(unique, config.date_stand_in)
    if not ordered:
        return []
    vectors = doc_vectors(ordered, config)
    days = [effective_day(d, config.date_stand_in) for d in ordered]
    labels = assign(vectors, days, config, hubness(vectors, days, config), day_vectors(ordered),
                    [latest_mentioned_day(d) for d in ordered])
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    stories = []
    for label in sorted(groups):
        rows = groups[label]
        members = [ordered[i] for i in rows]
        story = Story(id=stable_id("story", members[0].article_id), title="",
                      article_ids=[d.article_id for d in members])
        story.title = story_title(story, members)
        stories.append(story)
    return stories
