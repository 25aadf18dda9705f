"""Story vectors: the documents story clustering compares, and their weighted term vectors.

Each article is a TF-IDF vector over its body tokens (or lemmas, with BM25 term frequency so
long and short reports of one event meet), its title tokens and its entities, plus the days of
the year it mentions.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
from sklearn.preprocessing import normalize

from storyline.annotate.timex import mentioned_days as timex_days
from storyline.model import Annotations, Article, Entity
from storyline.settings import StoryConfig
from storyline.timeml import DAY_VALUE, day_number


def identity(xs: list[str]) -> list[str]:
    """The analyzer for inputs that are already token lists."""
    return xs


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
    # TIMEX3 values of the years and months it names with a year ("2018", "2018-02").
    periods: list[str] = field(default_factory=list)


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




def mentioned_days(doc: StoryDoc) -> list[tuple[str, str]]:
    """(year or "XXXX", "MM-DD") of each specific day the doc mentions; months, weeks and
    durations are too coarse to tell one event from the next and are left out."""
    out = []
    for value in doc.dates or ():
        m = DAY_VALUE.match(value) if isinstance(value, str) else None
        if m and "01" <= m.group(2) <= "12" and "01" <= m.group(3) <= "31":
            out.append((m.group(1), f"{m.group(2)}-{m.group(3)}"))
    return out


def effective_day(doc: StoryDoc, stand_in: bool = False) -> int | None:
    """The publication day; for an undated doc, the median of the year-resolved days it
    mentions (a report is written within days of what it reports), if any."""
    day = day_number(doc.published)
    if day is not None or not stand_in:
        return day
    known = sorted(
        d for d in (day_number(f"{y}-{md}") for y, md in mentioned_days(doc) if y != "XXXX") if d
    )
    return known[(len(known) - 1) // 2] if known else None


_YEAR_OR_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def latest_mentioned_day(doc: StoryDoc) -> int | None:
    """The latest day with a known year that the doc mentions (its text's own era), if any. A
    year or month it names counts by its last day once it names a day at all: a report of the
    market that recalls 1987 and 2008 by day but says "since early 2018" belongs to 2018. Years
    alone give no era (a profile of the pilot names only 1981)."""
    known = [d for d in (day_number(f"{y}-{md}") for y, md in mentioned_days(doc) if y != "XXXX")
             if d]
    for value in doc.periods if known else ():
        m = _YEAR_OR_MONTH.match(value) if isinstance(value, str) else None
        if m:
            year, month = int(m.group(1)), int(m.group(2) or 12)
            if 1 <= month <= 12:
                last = calendar.monthrange(year, month)[1]
                known.append(date(year, month, last).toordinal())
    return max(known) if known else None


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
    rows: np.ndarray[Any, Any] | list[dict[int, float]]
    if not any(items):
        return [{} for _ in items]
    try:
        counts = CountVectorizer(analyzer=identity, min_df=min_df).fit_transform(items).tocsr()
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
    out: list[dict[int, float]] = []
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


def story_docs(articles: list[Article], annotations: dict[str, Annotations],
               entities: list[Entity]) -> list[StoryDoc]:
    """The clustering input for each article: its text, date, entity names and mentioned days."""
    names_in: dict[str, list[str]] = defaultdict(list)
    for e in entities:
        for m in e.mentions:
            if e.name not in names_in[m.article_id]:
                names_in[m.article_id].append(e.name)
    return [StoryDoc(article_id=a.id, title=a.title, text=a.text, published=a.published.value,
                     entities=names_in.get(a.id, []), lemmas=None,
                     dates=timex_days(annotations[a.id].timexes),
                     periods=sorted({t.value for t in annotations[a.id].timexes
                                     if t.type == "DATE" and _YEAR_OR_MONTH.match(t.value or "")}))
            for a in articles]
