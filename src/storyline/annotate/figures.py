"""Numeric claims (figures) in one article.

``find_figures`` reads one article: every number spaCy tags as a quantity (cardinal, money,
percent), every duration, and every vague quantity ("thousands of people") becomes a
:class:`FigureMention` with its value, qualifier, unit, what it counts and when.
Comparing them across outlets is :mod:`storyline.resolve.figures`.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from storyline.annotate.amounts import (
    CURRENCIES,
    CURRENCY,
    CURRENCY_AT_START,
    CURRENCY_BEFORE,
    DURATION_RE,
    QUALIFIERS,
    SCALE_AFTER,
    VAGUE,
    VAGUE_RE,
    extend_left,
    measure,
    not_a_claim,
    parse_number,
    parse_range,
    strip_qualifier,
)
from storyline.annotate.counted import (
    FURNITURE,
    amount_what,
    counted,
    level_subject,
    place_words,
    what_counted,
)
from storyline.annotate.spans import SpanCover
from storyline.lexicon.calendar import MONTH_NAMES
from storyline.model import FigureMention, Timex
from storyline.nlp.components import sentence_of
from storyline.settings import FigureSettings
from storyline.timeml import parse_when

if TYPE_CHECKING:
    from spacy.tokens import Doc

# ---------------------------------------------------------------------------- dates

_MONTH_ALT = "|".join(m.title() for m in MONTH_NAMES)
_YEAR_RE = re.compile(
    rf"\b(?:({_MONTH_ALT})\s+)?((?:1[89]|20)\d0s|(?:1[89]|20)\d\d)\b"
    rf"|\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Dd]uring|[Ff]rom)\s+({_MONTH_ALT})\b"
)


def _own_timexes(text: str, start: int, end: int) -> list[Timex]:
    """Years, decades and months named in a sentence, for when no time tagger ran."""
    out = []
    for m in _YEAR_RE.finditer(text, start, end):
        if m.group(2):
            token = m.group(2)
            value = token[:3] + "X" if token.endswith("s") else token
            if m.group(1) and not token.endswith("s"):
                value = f"{token}-{MONTH_NAMES.index(m.group(1).lower()) + 1:02d}"
            s = m.start(1) if m.group(1) else m.start(2)
            out.append(Timex(s, m.end(2), text[s : m.end(2)], value, "DATE", "explicit"))
        else:
            month = MONTH_NAMES.index(m.group(3).lower()) + 1
            out.append(Timex(m.start(3), m.end(3), m.group(3), f"XXXX-{month:02d}", "DATE", "text"))
    return out


# A time tied to another clause ("six weeks before a cease-fire") or a start point ("since 2020")
# does not date the figure's own event.
_RELATIVE_TIMEX = re.compile(r"\b(before|after|later|earlier|ago)$", re.IGNORECASE)
_NOT_DATING = {"since", "until", "till", "before", "after", "by"}


_WEEKDAY_VALUE = re.compile(r"^XXXX-WXX-([1-7])")


def _vague_time(t: Timex) -> bool:
    """'recently', 'now', 'in recent months' (PXM): a time, but no calendar one."""
    value = t.value or ""
    return value.endswith("_REF") or (t.type == "DURATION" and "X" in value)


def _dated(
    timexes: list[Timex], text: str, start: int, end: int, vague: bool = False
) -> list[Timex]:
    """The sentence's calendar time expressions and weekdays (an undated article's "on Monday"
    still tells two days apart), and with ``vague``, "recently", "now"."""
    found = [
        t
        for t in timexes
        if start <= t.start
        and t.end <= end
        and (t.type == "DATE" or (vague and t.type == "DURATION"))
        and (parse_when(t.value) is not None or _WEEKDAY_VALUE.match(t.value or "")
             or (vague and _vague_time(t)))
        and not _RELATIVE_TIMEX.search(t.text)
    ]
    for t in _own_timexes(text, start, end):
        if not any(o.start < t.end and t.start < o.end for o in found):
            found.append(t)
    return sorted(found, key=lambda t: t.start)


class _Times:
    """The article's time expressions, with each sentence's dating ones found once: an article
    of thousands of figures in one long sentence would otherwise scan every expression of the
    article, and the sentence, once per figure."""

    def __init__(self, timexes: list[Timex], text: str):
        self.timexes = sorted(timexes, key=lambda t: t.start)
        self.starts = [t.start for t in self.timexes]
        self.text = text
        self.memo: dict[tuple[int, int, bool], list[Timex]] = {}

    def dated(self, start: int, end: int, vague: bool = False) -> list[Timex]:
        key = (start, end, vague)
        if key not in self.memo:
            lo = bisect.bisect_left(self.starts, start)
            hi = bisect.bisect_left(self.starts, end)
            self.memo[key] = _dated(self.timexes[lo:hi], self.text, start, end, vague)
        return self.memo[key]


# Of a sentence's dating expressions, a figure weighs the ones nearest it in the text: a
# sentence rarely holds more, and a list of a thousand dates must not cost a thousand tree walks
# per figure.
_NEAREST = 12


def _path(a) -> dict[int, int]:
    """Token index -> edges up from ``a`` to that ancestor (``a`` itself at 0)."""
    return {t.i: n for n, t in enumerate([a, *a.ancestors])}


def _tree_distance(path_a: dict[int, int], b) -> int:
    """Edges in the dependency tree between ``b`` and the token whose :func:`_path` is
    ``path_a`` (one sentence)."""
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in path_a:
            return path_a[t.i] + n
    return 99


def _nearest(candidates: list[Timex], at: int) -> list[Timex]:
    """The :data:`_NEAREST` of ``candidates`` (sorted by start) closest to offset ``at``: a
    window around ``at`` found by bisection, not a sort of the whole sentence per figure."""
    if len(candidates) <= _NEAREST:
        return candidates
    middle = bisect.bisect_left([t.start for t in candidates], at)
    window = candidates[max(0, middle - _NEAREST):middle + _NEAREST]
    return sorted(window, key=lambda t: abs(t.start - at))[:_NEAREST]


# Where a figure's date came from (FigureMention.date_from).
OWN_SENTENCE = "its sentence"
SENTENCE_BEFORE = "the sentence before"


def _when(doc, sent, anchor, text: str, timexes: _Times
          ) -> tuple[str | None, int | None, str | None]:
    """(date, weekday, where the date came from) of the figure's event: the nearest dating
    expression in its own sentence (by the parse), else the last one in the previous sentence
    ("It claimed more than 6,500 lives"). A weekday the article's date cannot place is kept as
    the weekday alone."""
    best, best_d = None, None
    # A vague time nearest the figure ("hundreds dead in recent months") leaves it undated
    # rather than borrowing another clause's date.
    candidates = _nearest(timexes.dated(sent.start_char, sent.end_char, vague=True), anchor.idx)
    path = _path(anchor)
    for t in candidates:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            continue
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        if before in _NOT_DATING:
            continue
        d = _tree_distance(path, span.root)
        if _vague_time(t) and d > 3:
            continue  # a vague time only counts when it modifies the figure's own clause
        if best_d is None or d < best_d:
            best, best_d = t.value, d
    weekday = _WEEKDAY_VALUE.match(best or "")
    if weekday:
        return None, int(weekday.group(1)), OWN_SENTENCE
    source = OWN_SENTENCE if best is not None else None
    if best is None and sent.start > 0:
        # The sentence before dates a claim that has no time of its own, but only by a
        # calendar date: its weekday may belong to another event, and a weekday keeps claims
        # apart.
        previous = sentence_of(doc, sent.start - 1)
        earlier = [t for t in timexes.dated(previous.start_char, previous.end_char)
                   if parse_when(t.value) is not None]
        if earlier:
            best, source = earlier[-1].value, SENTENCE_BEFORE
    if parse_when(best) is None:
        return None, None, None
    return best, None, source


def _restates(text: str, previous: FigureMention | None, start: int) -> bool:
    """A conversion in brackets right after another figure: "$41m (£31.5m)", "16 metres (52
    ft)". It is the same amount in another unit, not a second claim."""
    if previous is None or not 0 <= start - previous.end <= 6:
        return False
    return re.fullmatch(r"\s*\(\s*(?:about|around|approx\.?|approximately|or|some)?\s*",
                        text[previous.end : start], re.IGNORECASE) is not None

# A figure keeps its sentence as context; a "sentence" the parser never ended (a table, a list
# on one line) is kept as this many characters either side of the figure instead.
_CONTEXT_CHARS = 300


def _sentence_text(text: str, sent, start: int, end: int) -> str:
    a, b = sent.start_char, sent.end_char
    if b - a > 4 * _CONTEXT_CHARS:
        a, b = max(a, start - _CONTEXT_CHARS), min(b, end + _CONTEXT_CHARS)
    return text[a:b]


def _mention(article_id, text, start, end, value, qualifier, unit, what, when, sentence,
             high=None, places=()):
    date, weekday, source = when
    return FigureMention(
        article_id=article_id,
        start=start,
        end=end,
        text=text[start:end],
        value=float(value),
        qualifier=qualifier,
        unit=unit,
        what=what,
        date=date,
        sentence=sentence,
        high=None if high is None else float(high),
        weekday=weekday,
        places=list(places),
        date_from=source if date or weekday else None,
    )


def find_figures(article_id: str, text: str, doc: Doc | None, timexes: list[Timex],
                 settings: FigureSettings | None = None) -> list[FigureMention]:
    """Numeric claims of one article. ``doc`` is the spaCy Doc of ``text``."""
    min_bare = (settings or FigureSettings()).min_bare_value
    if doc is None or not text:
        return []
    times = _Times(list(timexes or []), text)
    out: list[FigureMention] = []
    taken = SpanCover()  # the figures found so far

    previous: FigureMention | None = None
    for ent in doc.ents:
        try:
            found = _from_entity(article_id, text, doc, ent, times, min_bare)
        except Exception:  # noqa: BLE001 - one odd number must not lose the article's others
            found = None
        if found is not None and not taken.overlaps(found.start, found.end):
            restated = _restates(text, previous, found.start)
            if not restated:
                out.append(found)
            elif previous is not None and {previous.unit, found.unit} <= CURRENCIES \
                    and previous.unit != found.unit and found.high is None:
                previous.converted[found.unit] = found.value  # one amount in two currencies
            previous = previous if restated and previous is not None else found
            taken.add(found.start, found.end)
    for m in VAGUE_RE.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        try:
            found = _vague(article_id, text, doc, span, m, times)
        except Exception:  # noqa: BLE001 - as above
            found = None
        if found is not None:
            out.append(found)
            taken.add(found.start, found.end)
    return sorted(out, key=lambda f: f.start)


def _vague(article_id, text, doc, span, match, timexes, offset=0):
    key = match.group(1).lower()
    token = span.root
    noun, verb = counted(token)
    if noun is None and token.dep_ == "nummod":  # "thousands people" never happens; guard
        return None
    if noun is not None and noun.lemma_.lower() in FURNITURE:
        return None
    what, unit = what_counted(noun, verb, token)
    if unit == "count":
        return None
    sent = sentence_of(doc, token.i)
    when = _when(doc, sent, verb or token, text, timexes)
    low = VAGUE[key][0]
    start, end = offset + match.start(), offset + match.end()
    return _mention(article_id, text, start, end, low, key, unit, what, when,
                    _sentence_text(text, sent, start, end), places=place_words(verb, noun))


def _from_entity(article_id, text, doc, ent, timexes, min_bare: int):
    label = ent.label_
    start, end = ent.start_char, ent.end_char
    raw = text[start:end]
    if label == "DATE":
        return _duration(article_id, text, doc, ent, timexes)
    if label not in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
        return None
    if not_a_claim(text, start, end):
        return None
    # The tagger often leaves the symbol outside the entity ("$" + "41" + "m"), or calls the
    # number a cardinal because of it.
    before = CURRENCY_BEFORE.search(text, max(0, start - 5), start)
    if label == "CARDINAL" and before:
        label = "MONEY"
    vague = VAGUE_RE.fullmatch(raw)
    if vague:
        return _vague(article_id, text, doc, ent, vague, timexes, offset=start)
    unit = None
    dimension = None
    if label == "MONEY":
        if before:
            start = before.start()
        scale = SCALE_AFTER.match(text[end : end + 12])
        if scale and not re.search(r"[a-z]$", raw, re.IGNORECASE):
            end += scale.end()
    start = extend_left(text, start)
    qualifier, number = strip_qualifier(text[start:end])
    if label == "PERCENT":
        number = re.sub(r"\s*(%|per ?cent|percentage points?)$", "", number, flags=re.IGNORECASE)
        unit = "percent"
    elif label == "MONEY":
        m = CURRENCY_AT_START.match(number)
        if m:
            unit = CURRENCY[m.group(1).lower()]
        words = number.split()
        if words and words[-1].lower() in CURRENCY:
            unit = CURRENCY[words[-1].lower()]
            number = " ".join(words[:-1])
        unit = unit or "money"
    elif label == "QUANTITY":
        measured = measure(number)
        if measured is None:
            return None  # a quantity in units we do not compare
        number, unit, dimension = measured
    if re.fullmatch(r"(1[89]|20)\d\d", number.strip()):
        return None  # a year the tagger called a cardinal
    high: float | None = None
    value: float | None
    span = parse_range(number)
    if span is not None:
        (value, high), qualifier = span, "between"
    else:
        # "between 2 metres (6.5 ft) and 16 metres": the tagger splits the range at the bracket
        value = parse_number(re.sub(r"^(?:between|from)\s+", "", number, flags=re.IGNORECASE))
    if value is None:
        return None
    num_token = next((t for t in reversed(ent) if t.like_num or t.pos_ == "NUM"), ent.root)
    noun, verb = counted(num_token)
    sent = sentence_of(doc, ent.start)
    if noun is not None and noun.lemma_.lower() in FURNITURE:
        return None
    if unit is None and noun is not None and noun.lower_ in ("%", "percent", "per cent"):
        unit, end = "percent", max(end, noun.idx + len(noun.text))  # "45" + "%" split by NER
        noun, verb = counted(noun)
        noun = noun if noun is not None and noun.lower_ not in ("%", "percent") else None
    if dimension is not None:
        what = dimension
    elif unit is None:
        what, unit = what_counted(noun, verb, num_token)
        spelled = not any(c.isdigit() for c in number)
        if value < min_bare and (spelled or what not in ("killed", "injured")):
            return None  # "the two sides", "one of them": not claims
        if unit == "count":
            subject = level_subject(num_token)
            if subject is None:
                return None  # a bare number with nothing counted: an age, a rank, a list position
            what, unit, verb = subject.lemma_.lower(), "level", num_token.head.head
    else:
        last = doc.char_span(start, end, alignment_mode="expand")
        what = amount_what(last[-1] if last is not None else num_token, verb, unit)
    when = _when(doc, sent, verb or num_token, text, timexes)
    return _mention(article_id, text, start, end, value, qualifier, unit, what, when,
                    _sentence_text(text, sent, start, end), high=high,
                    places=place_words(verb, noun))


def _duration(article_id, text, doc, ent, timexes):
    start, end = ent.start_char, ent.end_char
    raw = text[start:end]
    m = DURATION_RE.match(raw)
    if not m:
        return None
    # "six weeks before X" / "two years ago" point at a date, they do not measure anything
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    if after in ("ago", "before", "after", "later", "earlier", "old"):
        return None
    value = parse_number(m.group(2))
    if value is None:
        return None
    qualifier = QUALIFIERS.get((m.group(1) or "").lower())
    unit = m.group(3).lower()
    unit = unit if unit.endswith("s") else unit + "s"
    sent = sentence_of(doc, ent.start)
    when = _when(doc, sent, ent.root.head, text, timexes)
    return _mention(article_id, text, start, end, value, qualifier, unit, "duration", when,
                    _sentence_text(text, sent, start, end), places=place_words(ent.root.head))
