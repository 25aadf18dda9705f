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

Threads (looser links between stories, over months) and story titles live in
:mod:`storyline.threads` and are re-exported here.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
from sklearn.preprocessing import normalize

from storyline.model import Story, stable_id


@dataclass
class StoryDoc:
    """What the clusterer needs to know about one (canonical, de-duplicated) article."""

    article_id: str
    title: str | None
    text: str
    published: str | None = None  # YYYY-MM-DD
    entities: list[str] = field(default_factory=list)  # canonical names or ids
    lemmas: str | None = None  # lemmatised body, if the NLP layer ran
    # TIMEX3 values of the days it mentions ("2022-11-07", or "XXXX-11-07" without a year).
    dates: list[str] = field(default_factory=list)


@dataclass
class StoryConfig:
    """Clustering settings. Defaults were chosen on the even and on the odd half of the
    Multi-News validation clusters separately (``storyline.eval.stories``)."""

    threshold: float = 0.14  # join the best story if its (time-damped) similarity reaches this
    entity_weight: float = 0.15  # share of the similarity that comes from entities
    title_weight: float = 0.2  # share that comes from title tokens (when both have titles)
    time_sigma_days: float = 3.0  # Gaussian decay on the article-story gap (days, not weeks)
    time_window_days: float = 10.0  # stories further apart than this are never candidates
    index_terms: int = 20  # a doc's top-weighted terms used to look up candidate stories
    posting_window: int = 50  # only the latest stories per index term are looked at
    max_candidates: int = 30  # stories scored exactly per article
    max_terms: int = 250  # strongest terms kept per block and doc
    min_df: int = 2  # terms seen in one doc only cannot link docs; dropping them sharpens cosines
    idf_power: float = 2.0  # >1 leans on rarer shared terms (names, places, specifics)
    merge_threshold: float | None = 0.07  # then merge stories this similar (None: single pass only)
    hub_weight: float = 0.5  # subtract this times the mean neighbourhood similarity (see hubness)
    hub_neighbours: int = 10
    linkage: str = "mean"  # "mean": average cosine to members; "centroid": cosine to their sum
    # "bm25": term frequency saturates and is normalised by the doc's length (k1 1.2, b 0.75),
    # so a 3,000-word feature and a 100-word brief of one event meet; "log": 1 + log(tf).
    tf_mode: str = "bm25"
    # Mentioned days (StoryDoc.dates), when both sides name some: the content similarity is
    # scaled up to (1 + date_boost) when they name the same day of the year and down to
    # (1 - date_penalty) when none is within a few days (see _day_factor).
    date_boost: float = 0.25
    date_penalty: float = 0.25
    date_sigma_days: float = 2.0
    # Let an undated doc's year-resolved mentioned days stand in for its publication date in
    # the time decay. Off: on Multi-News, whose gold stories mix reports written years apart
    # and background dates, it cost 0.015 BCubed F1; the pipeline dates undated articles from
    # their story instead.
    date_stand_in: bool = False


# Capitalised runs ("Ararat Mirzoyan", "State Department"): a cheap stand-in for named
# entities when the entity layer has not run, as in the Multi-News scorer.
_CAPS = re.compile(
    r"\b(?:[A-Z][\w'-]*[a-z][\w'-]*|[A-Z]{2,})(?:[ \t]+(?:[A-Z][\w'-]*[a-z][\w'-]*|[A-Z]{2,}))*"
)
_SENT_START = re.compile(r"(?:^|[.!?\"“”]\s+|\n)\s*$")


def heuristic_entities(text: str) -> list[str]:
    """Capitalised token runs, split at stop words (title-case headlines capitalise "To",
    "In"), skipping single sentence-initial words."""
    out = []
    for m in _CAPS.finditer(text):
        run: list[str] = []
        for word in [*m.group(0).split(), ""]:
            if word and word.lower() not in ENGLISH_STOP_WORDS:
                run.append(word)
                continue
            if len(run) > 1 or (run and run[0] != m.group(0).split()[0]):
                out.append(" ".join(run).lower())
            elif run and (
                run[0].isupper() or not _SENT_START.search(text[max(0, m.start() - 3) : m.start()])
            ):
                out.append(run[0].lower())
            run = []
    return out


_DAY_VALUE = re.compile(r"^(\d{4}|XXXX)-(\d\d)-(\d\d)(?:$|T)")


def mentioned_days(doc: StoryDoc) -> list[tuple[str, str]]:
    """(year or "XXXX", "MM-DD") of each specific day the doc mentions; months, weeks and
    durations are too coarse to tell one event from the next and are left out."""
    out = []
    for value in doc.dates or ():
        m = _DAY_VALUE.match(value) if isinstance(value, str) else None
        if m and "01" <= m.group(2) <= "12" and "01" <= m.group(3) <= "31":
            out.append((m.group(1), f"{m.group(2)}-{m.group(3)}"))
    return out


def effective_day(doc: StoryDoc, stand_in: bool = False) -> int | None:
    """The publication day; for an undated doc, the median of the year-resolved days it
    mentions (a report is written within days of what it reports), if any."""
    day = _day(doc.published)
    if day is not None or not stand_in:
        return day
    known = sorted(
        d for d in (_day(f"{y}-{md}") for y, md in mentioned_days(doc) if y != "XXXX") if d
    )
    return known[(len(known) - 1) // 2] if known else None


def canonical_order(docs: list[StoryDoc], stand_in: bool = False) -> list[StoryDoc]:
    """Dated articles by date then id; undated ones after, by id (ids are content-derived)."""

    def key(d: StoryDoc):
        day = effective_day(d, stand_in)
        return (day is None, day or 0, d.article_id)

    return sorted(docs, key=key)


def _stemmer():
    """Snowball stems when NLTK is importable (it comes with rouge-score); else lower-case words.
    Stems let "talks"/"talked" and "negotiation"/"negotiations" meet without running spaCy."""
    try:
        from nltk.stem.snowball import SnowballStemmer

        return functools.lru_cache(maxsize=200_000)(SnowballStemmer("english").stem)
    except Exception:  # noqa: BLE001 - any failure just means no stemming
        return lambda w: w


_STEM = _stemmer()
_TOKEN = re.compile(r"(?u)\b[^\W\d_][\w'’-]*[^\W_]\b")


def tokens(text: str) -> list[str]:
    """Content words of a text, lower-cased and stemmed, without stop words."""
    out = []
    for w in _TOKEN.findall(text.lower()):
        if w not in ENGLISH_STOP_WORDS:
            out.append(_STEM(w))
    return out


def _tfidf(
    items: list[list[str]], min_df: int, idf_power: float, tf_mode: str = "log"
) -> list[dict[int, float]]:
    """L2-normalised rows of sublinear (log or BM25) TF times IDF**idf_power. The vocabulary
    (sorted), the IDF and the mean length are statistics of the set of documents, so they do
    not depend on input order."""
    if not any(items):
        return [{} for _ in items]
    try:
        counts = CountVectorizer(analyzer=_identity, min_df=min_df).fit_transform(items).tocsr()
    except ValueError:  # no term reaches min_df
        return [{} for _ in items]
    counts = counts.astype(np.float64)
    if tf_mode == "log":
        counts.data = 1.0 + np.log(counts.data)
    elif tf_mode == "bm25":
        k1, b = 1.2, 0.75
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        avg = lengths.mean() if len(lengths) else 1.0
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        norm = k1 * (1 - b + b * lengths[rows] / max(avg, 1e-9))
        counts.data = counts.data * (k1 + 1) / (counts.data + norm)
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0) ** idf_power
    matrix = normalize(counts.multiply(idf[None, :]).tocsr())
    indptr, indices, data = matrix.indptr, matrix.indices.tolist(), matrix.data.tolist()
    rows = [
        dict(zip(indices[indptr[i] : indptr[i + 1]], data[indptr[i] : indptr[i + 1]]))
        for i in range(n)
    ]
    return rows


_BLOCKS = 3  # keys interleave the blocks: _BLOCKS * term + block


def day_vectors(docs: list[StoryDoc]) -> list[dict[int, float]]:
    """The days of the year each doc mentions (1-366, on a leap-year calendar), so that
    "XXXX-11-07" in an undated report meets "2022-11-07" in a dated one. Publication days are
    left out: the time decay already speaks for them, and every article of a day shares one."""
    out = []
    for d in docs:
        days: dict[int, float] = {}
        for _, md in mentioned_days(d):
            try:
                doy = date.fromisoformat(f"2000-{md}").timetuple().tm_yday
            except ValueError:
                continue
            days[doy] = 1.0
        out.append(days)
    return out


def doc_vectors(docs: list[StoryDoc], config: StoryConfig) -> list[dict[int, float]]:
    """One combined sparse vector per doc: body (with title), title and entity blocks, each
    L2-normalised and scaled by the square root of its weight, so the dot product of two docs is
    the weighted sum of the per-block cosines. Keys interleave the blocks: 3 * term + block."""
    bodies = [tokens(f"{d.title or ''}\n{d.lemmas or d.text}") for d in docs]
    titles = [tokens(d.title or "") for d in docs]
    ents = [
        [e.lower() for e in d.entities] if d.entities else heuristic_entities(d.text) for d in docs
    ]
    blocks = [
        (0, 1.0, _tfidf(bodies, config.min_df, config.idf_power, config.tf_mode)),
        (1, config.title_weight, _tfidf(titles, 1, config.idf_power)),
        (2, config.entity_weight, _tfidf(ents, config.min_df, config.idf_power)),
    ]
    out = []
    for i in range(len(docs)):
        present = [(b, w, rows[i]) for b, w, rows in blocks if rows[i] and w > 0]
        if not present:
            out.append({})
            continue
        # Weights of the blocks a doc has are renormalised: an untitled article is not
        # penalised against titled ones.
        body_share = 1.0 - sum(w for b, w, _ in present if b != 0)
        total = sum(w if b != 0 else body_share for b, w, _ in present)
        vec = {}
        for b, w, row in present:
            scale = math.sqrt((body_share if b == 0 else w) / total)
            if len(row) > config.max_terms:
                # Weak terms barely move a cosine but cost time in every comparison.
                row = dict(sorted(row.items(), key=lambda kv: (-kv[1], kv[0]))[: config.max_terms])
            for k, v in row.items():
                vec[_BLOCKS * k + b] = v * scale
        out.append(vec)
    return out


class _Story:
    """A story being built: the sum of its members' vectors, its dates and members."""

    __slots__ = ("days", "first", "hub", "index", "last", "members", "norm2", "terms", "total")

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

    def similarity(self, vec: dict, norm: float, linkage: str) -> float:
        if self.norm2 <= 0 or norm <= 0:
            return 0.0
        total = self.total
        dot = sum(w * total.get(k, 0.0) for k, w in vec.items())
        if linkage == "mean":
            return dot / (len(self.members) * norm)
        return dot / (math.sqrt(self.norm2) * norm)

    def add(self, i: int, vec: dict, day: int | None, days: dict | None = None) -> None:
        self.members.append(i)
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


def _gap(story: _Story, day: int | None) -> float | None:
    if day is None or story.first is None:
        return None
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
                and abs(days[i] - days[j]) > config.time_window_days
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
) -> list[int]:
    """The single pass: for each doc (already in canonical order) the story index it joins."""
    stories: list[_Story] = []
    postings: dict = defaultdict(list)  # term -> story indexes, in creation order
    labels: list[int] = []
    hubs = hubs if hubs is not None else [0.0] * len(vectors)
    day_vecs = day_vecs if day_vecs is not None else [{}] * len(vectors)
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
        story.add(i, vec, day, day_vecs[i])
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
        gap = float(max(0, b.first - a.last, a.first - b.last))
        if gap > config.time_window_days:
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
            if sim is not None and sim >= config.merge_threshold:
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
        alias[b] = a
        version[a] += 1
        push_candidates(a)
    return [find(i) for i in range(len(stories))]


def central_member(vectors: list[dict]) -> int:
    """Index of the member closest to the members' sum (the first one on ties)."""
    if len(vectors) < 2:
        return 0
    total: dict = defaultdict(float)
    for vec in vectors:
        for k, w in vec.items():
            total[k] += w
    scores = [sum(w * total[k] for k, w in vec.items()) for vec in vectors]
    return max(range(len(vectors)), key=lambda i: (scores[i], -i))


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
    labels = assign(vectors, days, config, hubness(vectors, days, config), day_vectors(ordered))
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    stories = []
    for label in sorted(groups):
        rows = groups[label]
        members = [ordered[i] for i in rows]
        dates = sorted(d.published[:10] for d in members if _day(d.published) is not None)
        story = Story(
            id=stable_id("story", members[0].article_id),
            title="",
            article_ids=[d.article_id for d in members],
            start=dates[0] if dates else None,
            end=dates[-1] if dates else None,
        )
        # The headline of the most central titled article (any article if none has a title).
        titled = [i for i in rows if ordered[i].title and ordered[i].title.strip()] or rows
        story.title = headline(ordered[titled[central_member([vectors[i] for i in titled])]])
        stories.append(story)
    return stories


from storyline.threads import _day, _identity, headline, link_threads, main_entities, story_title

__all__ = [
    "StoryConfig",
    "StoryDoc",
    "canonical_order",
    "cluster",
    "link_threads",
    "main_entities",
    "story_title",
]
