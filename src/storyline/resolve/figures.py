"""Figures across outlets: the claims of one story about one quantity, and whether they agree.

``compare_figures`` groups the claims of one story about the same quantity (same counted thing,
compatible dates) and decides agree / disagree / single by interval reasoning: each claim is the
range of values it allows ("at least 286" is 286 and up, "thousands" is 1,000 up to 100,000,
"6,500" allows for rounding), and claims agree when their ranges meet.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import replace
from typing import cast

from storyline.annotate.amounts import (
    DURATION_UNITS,
    MEASURES,
    MONEY_UNITS,
    QUALIFIER_RE,
    VAGUE,
    precision,
)
from storyline.annotate.figures import OWN_SENTENCE
from storyline.model import Figure, FigureMention, Span, stable_id
from storyline.timeml import DAY_VALUE, dates_compatible, parse_when


def interval(mention: FigureMention) -> tuple[float, float]:
    """The values a claim allows, given its qualifier and the rounding of the number written.

    A number is read as written unless it looks rounded (see :func:`precision`); "nearly 1,600"
    is a value just under 1,600 that rounds to it, not anything down to 1,360."""
    v, q = mention.value, mention.qualifier
    if q in VAGUE:
        return VAGUE[q]
    number = QUALIFIER_RE.sub("", mention.text)
    slack = max(precision(number, v), 0.005 * v)
    if mention.high is not None:  # a range: "between 200 and 300"
        return v - slack, mention.high + max(precision(number, mention.high), 0.005 * mention.high)
    if q in ("at least", "more than"):
        return v, v * 3 + slack  # "more than 280" is not a claim of 10,000
    if q in ("about", "around", "some"):
        return v * 0.85 - slack, v * 1.15 + slack
    if q == "nearly":
        return v - max(slack, 0.03 * v), v
    if q in ("up to", "fewer than"):
        return 0.0, v + slack
    return v - slack, v + slack


def agree(a: FigureMention, b: FigureMention) -> bool:
    """Whether two claims about one quantity can both be true. Rounding intervals are half open
    ("1,500" is 1,450 up to but not 1,550), so intervals that only touch do not meet."""
    if a.value == b.value and a.qualifier == b.qualifier and a.high == b.high:
        return True
    (lo1, hi1), (lo2, hi2) = interval(a), interval(b)
    return lo1 < hi2 and lo2 < hi1


# ---------------------------------------------------------------------------- comparing


_STOP = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "at",
    "and",
    "to",
    "was",
    "were",
    "is",
    "are",
    "by",
    "for",
    "with",
    "that",
    "from",
    "it",
    "its",
    "their",
    "has",
    "have",
    "had",
    "been",
    "as",
    "both",
    "sides",
    "people",
    "more",
    "than",
    "least",
    "about",
    "some",
    "around",
}


def _context(m: FigureMention) -> frozenset[str]:
    return _content_words(m.sentence or "")


@functools.lru_cache(maxsize=4096)
def _content_words(sentence: str) -> frozenset[str]:
    """A sentence's content words; cached, as every claim is compared with every other."""
    words = re.findall(r"[a-z]+", sentence.lower())
    return frozenset(w for w in words if w not in _STOP and len(w) > 2)


# How much evidence two claims of one story need to be read as one quantity. A pair that
# disagrees needs more: a false "disagree" sends an analyst after a conflict that is not there,
# while two agreeing claims kept apart only cost a row.
JOIN_AGREEING = 2.0
JOIN_DISAGREEING = 2.5


def evidence(a: FigureMention, b: FigureMention) -> float | None:
    """How strongly two claims of one story tell of one quantity (both as :func:`_comparable`
    gives them: durations in days, money in one currency), or None when something in them
    rules it out: another date or weekday, another place, or one article giving two
    different numbers (two quantities, "144 killed, including 64 in Homs")."""
    if a.unit != b.unit and "money" not in (a.unit, b.unit):
        return None  # pounds and dollars with no rate in the text to compare them by
    same = same_amount(a, b)
    if a.article_id == b.article_id and not (same and agree(a, b)):
        return None  # one article's two numbers are two quantities, unless one is the other
        # written more precisely ("$3.4 million" in the headline, "$3.44 million" below)
    if dates_compatible(a.date, b.date) is False:
        return None
    wa, wb = _weekday(a), _weekday(b)
    if wa and wb and wa != wb:
        return None  # "on Friday" is not Monday, 5 February
    if a.places and b.places and not set(a.places) & set(b.places):
        return None  # "killed in Homs" is not "died across Syria"
    day_a, day_b = _day(a.date), _day(b.date)
    if day_a and day_b and day_a != day_b:
        return None
    ca, cb = _context(a), _context(b)
    shared = len(ca & cb)
    wording = shared / min(len(ca), len(cb)) if ca and cb else 0.0
    if not _strong(a) and not (same or day_a and day_a == day_b
                               or shared >= 3 and wording >= 0.5):
        return None  # "15%" and "33%" of a story are rarely the same share
    score = 1.0 if _strong(a) else 0.0
    # both count the same specific thing ("Chinese passengers", "lawmakers voted"): the group
    # key already made them equal, and a modified noun is rarely counted twice in one story
    score += 1.0 if " " in a.what and a.what != "duration" else 0.0
    score += 2.0 if same else 0.0
    if day_a and day_a == day_b and a.date_from == b.date_from == OWN_SENTENCE:
        score += 2.0  # a day borrowed from the sentence before may be another event's
    elif dates_compatible(a.date, b.date):
        score += 1.0  # "in 2020" and "in 2020": the same time, less precisely
    score += 1.5 if wa and wa == wb and not (day_a and day_a == day_b) else 0.0
    score += 1.5 if set(a.places) & set(b.places) else 0.0
    score += 3.0 * wording if shared >= 2 else 0.0
    return score


def _weekday(m: FigureMention) -> int | None:
    """The ISO weekday of a claim dated by its own sentence: named, or its calendar day's."""
    if m.weekday:
        return m.weekday
    day = _day(m.date)
    if day and m.date_from == OWN_SENTENCE and not day.startswith("XXXX"):
        try:
            return dt.date.fromisoformat(day).isoweekday()
        except ValueError:
            return None
    return None


def _day(value: str | None) -> str | None:
    """The calendar day a claim is dated to, when it is dated to a day."""
    return value[:10] if value and DAY_VALUE.match(value) else None


def same_amount(a: FigureMention, b: FigureMention) -> bool:
    """The same number up to the rounding of how each is written ("89.4%" / "around 89%",
    "$3.4 million" / "$3.44 million"), qualifiers aside: two outlets of one story giving one
    amount of one unit report one quantity, whatever words surround it."""
    if (a.unit != b.unit and "money" not in (a.unit, b.unit)) or a.value <= 0 or b.value <= 0:
        return False
    slack = max(precision(QUALIFIER_RE.sub("", a.text), a.value),
                precision(QUALIFIER_RE.sub("", b.text), b.value), 1e-9 * a.value)
    if abs(a.value - b.value) <= slack:
        return True
    # "18,589" for "18,589.69": the whole part of a number written with decimals
    whole = [m for m in (a, b) if not re.search(r"\d[.,]\d{1,2}\b", m.text)]
    return len(whole) == 1 and a.value >= 100 and int(a.value) == int(b.value)


_DIMENSIONS = frozenset(dimension for _, dimension in MEASURES.values())


def _strong(m: FigureMention) -> bool:
    """Whether the counted thing alone pins the quantity down (the killed, troops, "lawmakers
    voted", a size), as against money, shares, levels and durations, of which a story has many:
    those also need shared wording, the same amount or the same day."""
    return (m.unit == "people" or m.what in _DIMENSIONS
            or (m.unit in m.what.split(" ") and m.what != "duration"))


def _normalised(m: FigureMention) -> FigureMention:
    if m.what != "duration":
        return m
    factor = DURATION_UNITS.get(m.unit, 1)
    high = None if m.high is None else m.high * factor
    return replace(m, value=m.value * factor, unit="days", high=high)


def _counted(m: FigureMention) -> str:
    """What a claim counts, for grouping: an amount of money is one quantity whatever verb came
    with it ("paid", "payment", "said he paid" all count the $130,000), and so is a share ("89%
    support", "89.4% of voters approved"); the evidence between two claims tells them apart."""
    if m.unit in MONEY_UNITS:
        return "money"
    return "share" if m.unit == "percent" else m.what


def _unit_class(m: FigureMention) -> str:
    if m.unit in MONEY_UNITS:
        return "money"  # one class: the currencies are told apart, or converted, in evidence
    return "duration" if m.what == "duration" else m.unit


def compare_figures(items: list[FigureMention], story_of: dict[str, str]) -> list[Figure]:
    """Group the claims about one quantity within each story and mark agree/disagree/single.

    Returns one :class:`Figure` per distinct claim (value + qualifier + unit) in a group; the
    claims of a group share ``group_id`` and ``agreement``.
    """
    buckets: dict[tuple, list[FigureMention]] = {}
    for m in sorted(items, key=lambda m: (m.article_id, m.start)):
        story = story_of.get(m.article_id, m.article_id)
        buckets.setdefault((story, _counted(m), _unit_class(m)), []).append(m)
    rates = _rates(items, story_of)
    figures: list[Figure] = []
    for (story, what, _unit), mentions in sorted(buckets.items()):
        comparable = _comparable(mentions, rates.get(story, {}))
        kept = _within_limit(mentions)
        groups = [[kept[k] for k in group] for group in _group([comparable[i] for i in kept])]
        if len(kept) < len(mentions):
            chosen = set(kept)
            groups += [[i] for i in range(len(mentions)) if i not in chosen]
        for group in groups:
            figures.extend(_figures_of(story, what, [mentions[i] for i in group],
                                       [comparable[i] for i in group]))
    return figures


# Claims of one kind one article may bring to the comparison. Grouping weighs every pair of a
# story's claims; an article listing thousands of numbers of one kind (a results table, a
# scraped spreadsheet) is a table, not claims, and would make it quadratic in its length. The
# claims past the limit are kept, each on its own.
MAX_CLAIMS_PER_ARTICLE = 100


def _within_limit(mentions: list[FigureMention]) -> list[int]:
    """Positions of the mentions that take part in grouping: each article's first
    :data:`MAX_CLAIMS_PER_ARTICLE` (``mentions`` are in article and text order)."""
    seen: Counter = Counter()
    kept = []
    for i, m in enumerate(mentions):
        seen[m.article_id] += 1
        if seen[m.article_id] <= MAX_CLAIMS_PER_ARTICLE:
            kept.append(i)
    return kept


def _rates(items: list[FigureMention], story_of: dict[str, str]
           ) -> dict[str, dict[tuple[str, str], float]]:
    """Exchange rates each story's own text gives ("$41m (£31.5m)": 1 USD = 0.768 GBP), so an
    outlet writing pounds can be compared with one writing dollars. Never a rate from outside."""
    rates: dict[str, dict[tuple[str, str], float]] = {}
    for m in items:
        for currency, value in m.converted.items():
            if m.value > 0 and value > 0:
                story = rates.setdefault(story_of.get(m.article_id, m.article_id), {})
                story.setdefault((m.unit, currency), value / m.value)
                story.setdefault((currency, m.unit), m.value / value)
    return rates


def _comparable(mentions: list[FigureMention], rates: dict[tuple[str, str], float]
                ) -> list[FigureMention]:
    """The claims as they are compared: durations in days, and money in the currency most of
    them use wherever the story's text gives the rate (others keep their own currency, and are
    compared only with claims in it)."""
    currencies = Counter(m.unit for m in mentions if m.unit in MONEY_UNITS and m.unit != "money")
    base = currencies.most_common(1)[0][0] if currencies else None
    out = []
    for m in mentions:
        rate = rates.get((m.unit, base)) if base and m.unit != base else None
        if rate is not None:
            m = replace(m, value=m.value * rate, unit=cast(str, base),
                        high=None if m.high is None else m.high * rate)
        out.append(_normalised(m))
    return out


def _group(mentions: list[FigureMention]) -> list[list[int]]:
    """Claims about one quantity, by constrained agglomeration: the best-supported pairs join
    first, and two groups join only when no two of their claims rule each other out, so a claim
    is compared with the ones it is most like, not with whichever came first. Returns the
    positions of each group's claims."""
    n = len(mentions)
    pairs = []
    scores: dict[tuple[int, int], float | None] = {}
    for i in range(n):
        for j in range(i + 1, n):
            score = evidence(mentions[i], mentions[j])
            scores[i, j] = score
            if score is None:
                continue
            agreeing = agree(mentions[i], mentions[j])
            if score >= (JOIN_AGREEING if agreeing else JOIN_DISAGREEING):
                pairs.append((-score, i, j))
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for _, i, j in sorted(pairs):
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        if any(scores[min(x, y), max(x, y)] is None for x in members[gi] for y in members[gj]):
            continue
        for x in members[gj]:
            group_of[x] = gi
        members[gi].extend(members.pop(gj))
    return [sorted(group) for _, group in sorted(members.items())]


def _figures_of(story: str, what: str, group: list[FigureMention],
                compared: list[FigureMention]) -> list[Figure]:
    """The exported figures of one group: each claim as its outlet wrote it, with the verdict
    reached on ``compared`` (the same claims in common units)."""
    articles = {m.article_id for m in group}
    consistent = all(agree(a, b) for i, a in enumerate(compared) for b in compared[i + 1 :])
    if len(articles) < 2:
        agreement = "single" if consistent else "disagree"
    else:
        agreement = "agree" if consistent else "disagree"
    dates = [cast(str, m.date) for m in group if parse_when(m.date) is not None]
    # The most specific date the group's claims give: "2022-09" over "2022".
    date = max(Counter(dates).items(), key=lambda kv: (len(kv[0]), kv[1]))[0] if dates else None
    group_id = stable_id("figgrp", story, what, *sorted(f"{m.article_id}:{m.start}" for m in group))
    # The label a reader sees: what most of the group's claims say they count, preferring a
    # word over a placeholder.
    words = Counter(m.what for m in group if m.what not in ("amount", "share"))
    label = (words or Counter(m.what for m in group)).most_common(1)[0][0]
    claims: dict[tuple, list[FigureMention]] = {}
    for m in group:
        claims.setdefault((m.value, m.qualifier, m.unit), []).append(m)
    out = []
    for (value, qualifier, unit), ms in sorted(
        claims.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))
    ):
        occurrences = [Span(m.article_id, m.start, m.end) for m in ms]
        out.append(
            Figure(
                id=stable_id("fig", group_id, value, qualifier, unit),
                what=label,
                value=value,
                qualifier=qualifier,
                unit=unit,
                date=date,
                group_id=group_id,
                agreement=agreement,
                occurrences=occurrences,
                text=ms[0].text,
            )
        )
    return out
