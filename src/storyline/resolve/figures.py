"""Figures across outlets: the claims of one story about one quantity, and whether they agree.

``compare_figures`` groups the claims of one story about the same quantity (same counted thing,
compatible dates) and decides agree / disagree / single by interval reasoning: each claim is the
range of values it allows ("at least 286" is 286 and up, "thousands" is 1,000 up to 100,000,
"6,500" allows for rounding), and claims agree when their ranges meet.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import cast

from storyline.annotate.figures import DURATION_UNITS, MONEY_UNITS, QUALIFIER_RE, VAGUE, precision
from storyline.model import Figure, FigureMention, Span, stable_id
from storyline.timeml import dates_compatible, parse_when


def interval(mention: FigureMention) -> tuple[float, float]:
    """The values a claim allows, given its qualifier and the rounding of the number written."""
    v, q = mention.value, mention.qualifier
    if q in VAGUE:
        return VAGUE[q]
    number = QUALIFIER_RE.sub("", mention.text)
    slack = max(precision(number, v), 0.02 * v)
    if q in ("at least", "more than"):
        return v, v * 3 + slack  # "more than 280" is not a claim of 10,000
    if q in ("about", "around", "some"):
        return v * 0.85 - slack, v * 1.15 + slack
    if q == "nearly":
        return v * 0.85 - slack, v + slack
    if q in ("up to", "fewer than"):
        return 0.0, v + slack
    return v - slack, v + slack


def agree(a: FigureMention, b: FigureMention) -> bool:
    """Whether two claims about one quantity can both be true."""
    (lo1, hi1), (lo2, hi2) = interval(a), interval(b)
    return lo1 <= hi2 and lo2 <= hi1


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


def _context(m: FigureMention) -> set[str]:
    words = re.findall(r"[a-z]+", (m.sentence or "").lower())
    return {w for w in words if w not in _STOP and len(w) > 2}


def _same_event(a: FigureMention, b: FigureMention, strict: bool = False) -> bool:
    """Two claims whose sentences tell of the same thing (shared content words)."""
    ca, cb = _context(a), _context(b)
    if not ca or not cb:
        return False
    shared = len(ca & cb)
    if strict and shared < 3:
        return False
    return shared / min(len(ca), len(cb)) >= (0.5 if strict else 0.4)


def _fits(m: FigureMention, group: list[FigureMention]) -> tuple[bool, bool]:
    """(may join, agrees with every member)."""
    agrees = True
    for other in group:
        together = dates_compatible(m.date, other.date)
        if together is False:
            return False, False
        ok = agree(_normalised(m), _normalised(other))
        if not ok and other.article_id == m.article_id:
            return False, False  # one article's two numbers are two quantities
        if not _strong(m) and not _same_event(m, other, strict=True) and \
                not same_amount(m, other):
            return False, False  # "15%" and "33%" of a story are rarely the same share
        if not ok and together is None and not _same_event(m, other):
            return False, False
        agrees = agrees and ok
    return True, agrees


def same_amount(a: FigureMention, b: FigureMention) -> bool:
    """The same number up to the rounding of how each is written ("89.4%" / "around 89%",
    "$3.4 million" / "$3.44 million"), qualifiers aside: two outlets of one story giving one
    amount of one unit report one quantity, whatever words surround it."""
    if a.unit != b.unit or a.value <= 0 or b.value <= 0:
        return False
    slack = max(precision(QUALIFIER_RE.sub("", a.text), a.value),
                precision(QUALIFIER_RE.sub("", b.text), b.value), 1e-9 * a.value)
    return abs(a.value - b.value) <= slack


def _strong(m: FigureMention) -> bool:
    """Whether the counted thing alone pins the quantity down (the killed, troops), as against
    money, shares and durations, of which a story has many: those also need shared wording."""
    return m.unit == "people" or (m.unit == m.what and m.what != "duration")


def _normalised(m: FigureMention) -> FigureMention:
    if m.what != "duration":
        return m
    factor = DURATION_UNITS.get(m.unit, 1)
    return FigureMention(
        m.article_id,
        m.start,
        m.end,
        m.text,
        m.value * factor,
        m.qualifier,
        "days",
        m.what,
        m.date,
        m.sentence,
    )


def _counted(m: FigureMention) -> str:
    """What a claim counts, for grouping: an amount of money is one quantity whatever verb came
    with it ("paid", "payment", "said he paid" all count the $130,000)."""
    return "money" if m.unit in MONEY_UNITS else m.what


def _unit_class(m: FigureMention) -> str:
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
    figures: list[Figure] = []
    for (story, what, _unit), mentions in sorted(buckets.items()):
        # Dated claims first, so undated ones join the group their numbers and words fit.
        ordered = sorted(mentions, key=lambda m: (parse_when(m.date) is None, m.article_id, m.start))
        groups: list[list[FigureMention]] = []
        for m in ordered:
            options = [(g, _fits(m, g)) for g in groups]
            agreeing = [g for g, (ok, yes) in options if ok and yes]
            joinable = [g for g, (ok, _) in options if ok]
            target = (agreeing or joinable or cast("list[list[FigureMention] | None]", [None]))[0]
            if target is None:
                groups.append([m])
            else:
                target.append(m)
        for group in groups:
            figures.extend(_figures_of(story, what, group))
    return figures


def _figures_of(story: str, what: str, group: list[FigureMention]) -> list[Figure]:
    articles = {m.article_id for m in group}
    normalised = [_normalised(m) for m in group]
    consistent = all(agree(a, b) for i, a in enumerate(normalised) for b in normalised[i + 1 :])
    if len(articles) < 2:
        agreement = "single" if consistent else "disagree"
    else:
        agreement = "agree" if consistent else "disagree"
    dates = [cast(str, m.date) for m in group if parse_when(m.date) is not None]
    # The most specific date the group's claims give: "2022-09" over "2022".
    date = max(Counter(dates).items(), key=lambda kv: (len(kv[0]), kv[1]))[0] if dates else None
    group_id = stable_id("figgrp", story, what, *sorted(f"{m.article_id}:{m.start}" for m in group))
    # The label a reader sees: what most of the group's claims say they count.
    label = Counter(m.what for m in group).most_common(1)[0][0]
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
