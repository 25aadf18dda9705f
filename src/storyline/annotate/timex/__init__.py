"""Temporal expressions: find them in text and normalize them to TIMEX3 values.

A rule grammar (regular expressions over the text, longest match wins) finds the expressions;
each rule's handler anchors the expression against the publication date (``dct``) with the
news-specific rules no general date parser has: the tense of the sentence decides whether a
bare "Tuesday" or "September" lies before or after publication, parts of periods become
``mod`` values (late last month → 2022-10 END), seasons, quarters, decades and weeks keep
their granularity. Without a publication date relative expressions get TIMEX3's unanchored
forms (XXXX-WXX-1, PAST_REF), never a guessed year. Span extent follows the TimeML
annotation of TimeBank: determiners and modifiers ("the", "late", "about") are part of the
expression, "'s" is not.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import TYPE_CHECKING

from storyline import timeml as cal
from storyline.annotate.spans import SpanCover
from storyline.annotate.timex import dates, relative  # noqa: F401 - importing registers the rules
from storyline.annotate.timex.grammar import RULES, Context, Found, mod_of, unanchored_value
from storyline.model import Timex

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["find_timexes", "mentioned_days"]


# --- the pass over a text --------------------------------------------------------------------
_REL_REF = re.compile(
    r"(?i)\b(?P<pre>(?:earlier|later|early|late)\s+)?(?P<w>the\s+(?P<a>next|following|previous|preceding|same)\s+"
    r"(?P<u1>day|week|month|year)|the\s+(?P<u2>day|week|month|year)\s+(?P<b>before|after)|"
    r"that\s+(?:same\s+)?(?P<u3>day|week|month|year))\b")


def _candidates(text: str, ctx: Context) -> list[Found]:
    out: list[Found] = []
    for pattern, handler in RULES:
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            try:
                f = handler(m, ctx)
            except (ValueError, KeyError, OverflowError, TypeError):
                f = None  # a malformed date is no expression, never a crash
            if f is not None and f.end > f.start:
                out.append(f)
    return out


def _select(found: list[Found]) -> list[Found]:
    """Longest first, then leftmost; drop anything overlapping an already chosen span."""
    chosen: list[Found] = []
    taken = SpanCover()
    for f in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if not taken.overlaps(f.start, f.end):
            chosen.append(f)
            taken.add(f.start, f.end)
    return sorted(chosen, key=lambda f: f.start)


def _strip(text: str, f: Found) -> Found:
    while f.end > f.start and text[f.end - 1] in " ,.;:" and not text[f.start:f.end].endswith(
            (".m.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sept.", "Sep.",
             "Oct.", "Nov.", "Dec.")):
        f.end -= 1
    while f.start < f.end and text[f.start] in " ,":
        f.start += 1
    return f


# A specific day, with or without a known year ("2022-11-07", "XXXX-11-07").
_DAY = re.compile(r"^(\d{4}|XXXX)-\d{2}-\d{2}$")


def mentioned_days(timexes: list[Timex]) -> list[str]:
    """The specific days an article mentions, sorted: what story clustering compares."""
    return sorted({t.value for t in timexes if t.type == "DATE" and _DAY.match(t.value or "")})


def find_timexes(text: str, dct: str | None, doc: Doc | None = None) -> list[Timex]:
    """Every temporal expression in ``text``, normalized against publication date ``dct``
    (YYYY-MM-DD, or None for unanchored values). ``doc``, a spaCy Doc of ``text``, sharpens
    the tense used to place bare weekdays and months; without it words nearby decide."""
    if not text:
        return []
    ctx = Context(text, cal.parse_dct(dct), doc)
    found = [_strip(text, f) for f in _candidates(text, ctx)]
    chosen = _select([f for f in found if f.end > f.start])
    chosen = _relative_days(text, ctx, chosen)
    out = []
    for f in chosen:
        value = f.value
        out.append(Timex(start=f.start, end=f.end, text=text[f.start:f.end], value=value,
                         type=f.type, anchor=f.anchor, mod=f.mod))
    return out


_PRECISE = {unit: re.compile(need + r"(?!\d)") for unit, need in (
    ("day", r"\d{4}-\d{2}-\d{2}"), ("week", r"\d{4}-\d{2}-\d{2}"), ("month", r"\d{4}-\d{2}"),
    ("year", r"\d{4}"))}


class _References:
    """For each unit, the dates ``chosen`` mentions precise enough for it, in text order, so
    "the latest one before here" is one binary search (a text of thousands of "the next day"
    would otherwise scan every expression once for each)."""

    def __init__(self, chosen: list[Found]):
        self.ends: dict[str, list[int]] = {}
        self.dates: dict[str, list[dt.date]] = {}
        # An undated article's "Feb. 27" (XXXX-02-27) is what a later "that day" means too.
        self.yearless: dict[str, list[tuple[int, str]]] = {
            unit: [(c.end, c.value[:size]) for c in chosen
                   if c.type in ("DATE", "TIME") and re.match(pattern, c.value)]
            for unit, pattern, size in (("day", r"XXXX-\d{2}-\d{2}", 10),
                                        ("month", r"XXXX-\d{2}(?!-W)", 7))}
        for unit, pattern in _PRECISE.items():
            ends, found = [], []
            for c in chosen:  # disjoint and in text order: their ends are in order too
                if c.type in ("DATE", "TIME") and pattern.match(c.value):
                    parts = [int(x) for x in re.findall(r"\d+", c.value[:10])[:3]] + [1, 1]
                    try:
                        found.append(dt.date(parts[0], parts[1], parts[2]))
                    except ValueError:
                        continue
                    ends.append(c.end)
            self.ends[unit], self.dates[unit] = ends, found

    def before(self, pos: int, unit: str) -> dt.date | None:
        """The latest date mentioned before ``pos`` precise enough for ``unit``."""
        k = bisect.bisect_right(self.ends[unit], pos) - 1
        return self.dates[unit][k] if k >= 0 else None

    def yearless_before(self, pos: int, unit: str) -> str | None:
        """The latest day or month without its year mentioned before ``pos`` (its value)."""
        found = self.yearless.get(unit, [])
        k = bisect.bisect_right(found, (pos, "\uffff")) - 1
        return found[k][1] if k >= 0 else None


def _relative_days(text: str, ctx: Context, chosen: list[Found]) -> list[Found]:
    """"the next day", "the following year", "that month": a step from the last date the
    text mentioned before them (the story's reference time), else from publication."""
    extra = []
    references = _References(chosen)
    taken = SpanCover((c.start, c.end) for c in chosen)
    for m in _REL_REF.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue  # inside an expression already found
        unit = (m.group("u1") or m.group("u2") or m.group("u3")).lower()
        a = (m.group("a") or m.group("b") or "").lower()
        offset = 1 if a in ("next", "following", "after") else -1 if a in ("previous", "preceding", "before") else 0
        start = m.start() if m.group("pre") else m.start("w")
        mod = mod_of(m.group("pre"))
        ref = references.before(m.start(), unit)
        anchor = "reference"
        if ref is None and ctx.dct is not None and offset != 0 and unit == "day":
            ref, anchor = ctx.dct, "publication"
        if ref is None:
            same = references.yearless_before(m.start(), unit) if offset == 0 else None
            extra.append(Found(start, m.end(), "DATE", same or unanchored_value(unit), mod,
                               "reference" if same else "none"))
            continue
        if unit == "day":
            value = (ref + dt.timedelta(days=offset)).isoformat()
        else:
            value = cal.shift(ref, unit, offset)
        extra.append(Found(start, m.end(), "DATE", value, mod, anchor))
    return sorted(chosen + extra, key=lambda f: f.start)
