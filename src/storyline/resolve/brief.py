"""Cited extractive summaries of a story, and the "what is new" line of a thread.

Sentences are scored by how central they are to the story (cosine to the TF-IDF centroid of
all its sentences), how early they come in their article (news puts the gist first), and how
many *other* outlets state the same thing (a near-paraphrase in another article is
confirmation). Selection is MMR: each pick trades score against similarity to what is already
chosen, so the summary does not say one thing twice. Every summary sentence is a source
sentence verbatim and cites itself plus the other articles' sentences that say the same.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.model import Annotations, Article, Span, Story, SummarySentence
from storyline.settings import BriefSettings

log = logging.getLogger(__name__)

# (article_id, start, end, text) — one sentence of one article, offsets into its cleaned text.
SentenceRow = tuple[str, int, int, str]

# Weights and limits are in BriefSettings (storyline.settings); they were set on the Multi-News
# validation split as a whole (never per cluster).

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*")
# Scraped pages keep captions, bylines, share buttons and links; these never belong in a summary.
_BOILERPLATE = re.compile(
    r"(https?://|www\.|@\w|\bclick\b|\bsubscribe\b|\bnewsletter\b|\bcookies?\b|\bcopyright\b|©|"
    r"\ball rights reserved\b|\bsign up\b|\bfollow (us|him|her)\b|\bshare this\b|\bread more\b|"
    r"\bphoto:|\bimage:|\bcaption\b|\bgetty images\b|\bassociated press contributed\b|"
    r"\((left|right|center|centre|top|bottom|file)\)|\bjavascript\b|\bbrowser\b|\bemail\b|"
    r"\bplease\b|\bcomments?\b|\(AP\) —$)",
    re.IGNORECASE,
)


def _pieces(sentences: Sequence[SentenceRow]) -> list[SentenceRow]:
    """Each sentence cut at line breaks, trimmed, offsets kept exact.

    Sentence splitters glue a headline, a photo caption and the lede into one "sentence" when
    no full stop separates them; a summary wants the lede alone, and a line break never falls
    inside a sentence of prose.
    """
    out = []
    for article_id, start, end, text in sentences:
        if not text or start is None:
            continue
        cursor = 0
        for line in text.split("\n"):
            stripped = line.strip()
            if stripped:
                lead = cursor + len(line) - len(line.lstrip())
                out.append((article_id, start + lead, start + lead + len(stripped), stripped))
            cursor += len(line) + 1
    return out


def _cap(rows: list[SentenceRow], limit: int) -> list[SentenceRow]:
    """At most ``limit`` sentences, taking each article's lead first (the similarity matrix is
    quadratic in sentences; a story of hundreds of long articles must not exhaust memory)."""
    if len(rows) <= limit:
        return rows
    rank: dict[str, int] = {}
    order = []
    for n, row in enumerate(rows):
        rank[row[0]] = rank.get(row[0], -1) + 1
        order.append((rank[row[0]], n))
    keep = sorted(n for _, n in sorted(order)[:limit])
    return [rows[n] for n in keep]


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_candidate(text: str, b: BriefSettings) -> bool:
    """A sentence that could stand in a summary: proper length, prose, not page furniture."""
    return _candidate(text, b.min_words, b.max_words)


@functools.lru_cache(maxsize=65536)
def _candidate(text: str, min_words: int, max_words: int) -> bool:
    # Cheapest tests first; cached, as a thread's stories test the same sentences again.
    stripped = text.strip()
    if not stripped or stripped[-1] not in ".!?\"'”’)":
        return False  # headlines, captions and list items rarely end a sentence
    n = _words(text)
    if n < min_words or n > max_words:
        return False
    if _BOILERPLATE.search(text):
        return False
    letters = [c for c in stripped if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) <= 0.5 * len(letters)


# The analyser of the brief's TF-IDF (lowercased words, English stop words left out), cached
# per sentence: a thread's later stories are scored together with its earlier ones, whose
# sentences would otherwise be tokenised again for every later story.
_ANALYSE = functools.lru_cache(maxsize=131072)(TfidfVectorizer(
    stop_words="english", token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9]+\b").build_analyzer())


@functools.lru_cache(maxsize=4)
def _vectors(texts: tuple[str, ...]):
    """L2-normalised TF-IDF rows (sublinear tf, English stop words) for one story's sentences.
    Cached: a story's brief and what it adds to its thread score the same sentences."""
    vectorizer = TfidfVectorizer(analyzer=_ANALYSE, sublinear_tf=True)
    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # every sentence was stop words or empty
        return None


def _positions(sentences: Sequence[SentenceRow]) -> list[int]:
    """Index of each sentence within its own article (0 = lead)."""
    seen: dict[str, int] = {}
    out = []
    for article_id, *_ in sentences:
        out.append(seen.get(article_id, 0))
        seen[article_id] = seen.get(article_id, 0) + 1
    return out


def _confirmations(sim: np.ndarray, articles: list[str], i: int, b: BriefSettings) -> list[int]:
    """The best-matching sentence of each other article that states the same as sentence i."""
    codes = _codes(articles)
    candidates = np.nonzero((sim[i] >= b.confirm_similarity) & (codes != codes[i]))[0]
    if not candidates.size:
        return []
    # Best first within each article (ties to the earlier sentence), then one per article.
    order = candidates[np.lexsort((candidates, -sim[i, candidates], codes[candidates]))]
    _, first = np.unique(codes[order], return_index=True)
    return sorted(int(j) for j in order[first])


def _codes(articles: list[str]) -> np.ndarray:
    index: dict[str, int] = {}
    return np.array([index.setdefault(a, len(index)) for a in articles])


def _score(sentences: Sequence[SentenceRow], b: BriefSettings,
           outlets: dict[str, str] | None = None):
    """Per-sentence scores, the similarity matrix, and the source of each sentence (its outlet
    when known: copies from one outlet are not independent confirmation)."""
    texts = [s[3] for s in sentences]
    matrix = _vectors(tuple(texts))
    n = len(texts)
    if matrix is None:
        return np.zeros(n), np.eye(n), [(outlets or {}).get(s[0]) or s[0] for s in sentences]
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    centrality = matrix @ (centroid / norm) if norm else np.zeros(n)
    centrality = np.asarray(centrality).ravel()
    sim = (matrix @ matrix.T).toarray()
    articles = [(outlets or {}).get(s[0]) or s[0] for s in sentences]
    n_articles = len(set(articles))
    positions = _positions(sentences)
    codes = _codes(articles)
    scores = np.zeros(n)
    for i in range(n):
        # Distinct other sources with a near-paraphrase of sentence i.
        others = codes[(sim[i] >= b.confirm_similarity) & (codes != codes[i])]
        confirm = np.unique(others).size / max(1, n_articles - 1)
        scores[i] = (
            b.centroid_weight * centrality[i]
            + b.position_weight / (1.0 + positions[i]) ** 0.5 * (centrality[i] > 0)
            + b.confirm_weight * confirm
        )
    return scores, sim, articles


def _cite(sentences: Sequence[SentenceRow], sim: np.ndarray, articles: list[str], i: int,
          b: BriefSettings) -> list[Span]:
    spans = [Span(sentences[i][0], sentences[i][1], sentences[i][2])]
    for j in _confirmations(sim, articles, i, b):
        spans.append(Span(sentences[j][0], sentences[j][1], sentences[j][2]))
    return spans


def summarize(
    story_id: str,
    sentences: list[SentenceRow],
    n_words: int | None = None,
    outlets: dict[str, str] | None = None,
    settings: BriefSettings | None = None,
) -> list[SummarySentence]:
    """An extractive summary of about ``n_words`` words (default: the settings'), every
    sentence cited.

    ``sentences`` are every sentence of every article of the story, in article order.
    ``outlets`` maps article id → publisher; articles of one outlet do not confirm each other.
    Deterministic: same input, same output. ``story_id`` only names the story in errors/logs.
    """
    b = settings or BriefSettings()
    n_words = b.summary_words if n_words is None else n_words
    rows = _cap(_pieces(sentences), b.max_sentences)
    if not rows:
        return []
    scores, sim, articles = _score(rows, b, outlets)
    candidates = [i for i, s in enumerate(rows) if _is_candidate(s[3], b)]
    if not candidates:  # short or odd stories: fall back to whatever prose there is
        candidates = [i for i, s in enumerate(rows) if _words(s[3]) >= 3] or [
            i for i, s in enumerate(rows) if any(c.isalpha() for c in s[3])
        ]
    chosen: list[int] = []
    total = 0
    open_ = np.zeros(len(rows), dtype=bool)
    open_[candidates] = True
    redundancy = np.zeros(len(rows))  # each sentence's highest similarity to a chosen one
    while open_.any() and total < n_words:
        # MMR; argmax takes the earliest sentence on ties, so the choice is deterministic.
        value = np.where(open_, b.mmr_lambda * scores - (1 - b.mmr_lambda) * redundancy, -np.inf)
        best = int(np.argmax(value))
        open_[best] = False
        if chosen and redundancy[best] >= b.redundant_similarity:
            continue
        length = _words(rows[best][3])
        # Stop rather than overshoot the target by more than we would undershoot it.
        if chosen and total + length - n_words > b.overshoot * (n_words - total):
            break
        chosen.append(best)
        total += length
        redundancy = np.maximum(redundancy, sim[:, best])
    # Read in story order: first article first, each in its own order.
    chosen.sort()
    return [
        SummarySentence(text=rows[i][3], citations=_cite(rows, sim, articles, i, b))
        for i in chosen
    ]


def what_is_new(
    story_sentences: list[SentenceRow], earlier_sentences: list[SentenceRow],
    settings: BriefSettings | None = None,
) -> SummarySentence | None:
    """The most salient sentence of a story that the thread's earlier stories did not cover."""
    b = settings or BriefSettings()
    rows = _cap(_pieces(story_sentences), b.max_sentences)
    if not rows:
        return None
    earlier = _cap(_pieces(earlier_sentences), b.max_sentences)
    scores, sim, articles = _score(rows, b)
    covered = np.zeros(len(rows))
    if earlier:
        texts = [s[3] for s in rows] + [s[3] for s in earlier]
        matrix = _vectors(tuple(texts))
        if matrix is not None:
            cross = (matrix[: len(rows)] @ matrix[len(rows) :].T).toarray()
            covered = cross.max(axis=1)
    order = sorted(range(len(rows)), key=lambda i: (-scores[i], i))
    # Lazily: the first uncovered candidate wins, so most sentences are never tested.
    candidates = (i for i in order if _is_candidate(rows[i][3], b))
    prose = (i for i in order if any(c.isalpha() for c in rows[i][3]))
    for pool in (candidates, prose):
        for i in pool:
            if covered[i] < b.confirm_similarity:
                return SummarySentence(text=rows[i][3],
                                       citations=_cite(rows, sim, articles, i, b))
    return None


# One thread's stories in order, each as (story id, its sentences, its outlets): all a worker
# needs to write their briefs, so a thread can be summarised apart from the rest of the corpus.
ThreadJob = list[tuple[str, list[SentenceRow], dict[str, str]]]
# (story id, its summary, what it adds to the thread's earlier stories).
Brief = tuple[str, list[SummarySentence], SummarySentence | None]


def thread_jobs(stories: list[Story], articles: dict[str, Article],
                annotations: dict[str, Annotations]) -> list[ThreadJob]:
    """The stories grouped by thread, each thread in story order (start, then id)."""
    by_thread: dict[str, ThreadJob] = defaultdict(list)
    for story in sorted(stories, key=lambda s: (s.start or "", s.id)):
        sentences: list[SentenceRow] = []
        outlets = {}
        for aid in story.article_ids:
            article = articles[aid]
            if article.duplicate_of:
                continue  # a copy would only repeat its canonical article's sentences
            outlets[aid] = article.publisher or Path(article.origin).name
            for s in annotations[aid].sentences:
                sentences.append((aid, s.start, s.end, article.text[s.start:s.end]))
        by_thread[story.thread_id or story.id].append((story.id, sentences, outlets))
    return list(by_thread.values())


def brief_thread(job: ThreadJob, settings: BriefSettings | None = None) -> list[Brief]:
    """The brief of each story of one thread and, for a later story, what it adds to the
    earlier ones. A story whose brief fails keeps an empty one."""
    b = settings or BriefSettings()
    out: list[Brief] = []
    earlier: list[SentenceRow] = []
    for story_id, sentences, outlets in job:
        try:
            summary = summarize(story_id, sentences, b.summary_words, outlets, b)
            new = what_is_new(sentences, earlier, b) if earlier else None
        except Exception:  # a story without summary is still a story
            log.exception("summary failed for story %s", story_id)
            summary, new = [], None
        out.append((story_id, summary, new))
        earlier = earlier + sentences
    return out


def brief_threads(jobs: list[ThreadJob], settings: BriefSettings | None = None) -> list[Brief]:
    """:func:`brief_thread` over several threads: one task of a runner."""
    return [found for job in jobs for found in brief_thread(job, settings)]


def apply_briefs(stories: list[Story], briefs: Iterable[Brief]) -> None:
    by_id = {story.id: story for story in stories}
    for story_id, summary, new in briefs:
        by_id[story_id].summary = summary
        by_id[story_id].what_is_new = new
