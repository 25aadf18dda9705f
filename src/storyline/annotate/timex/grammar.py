"""The grammar's vocabulary and building blocks: words for months, weekdays, numbers and
units, the regular-expression pieces the rules are written in, and the helpers that turn
counts and units into TIMEX3 durations. Rules register themselves in ``RULES`` with ``@rule``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from storyline.annotate.timex.tense import doc_direction, text_direction

if TYPE_CHECKING:
    from spacy.tokens import Doc

NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a dozen": 12, "dozen": 12, "a couple of": 2, "a couple": 2, "couple of": 2,
    "half a": 0.5, "half an": 0.5, "a half": 0.5,
}
VAGUE_NUMBERS = ("several", "a few", "few", "many", "some", "a number of", "dozens of")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
            "4th": 4}
UNIT_CODES = {"second": ("T", "S"), "minute": ("T", "M"), "hour": ("T", "H"), "day": ("", "D"),
              "week": ("", "W"), "weekend": ("", "WE"), "month": ("", "M"),
              "quarter": ("", "Q"), "year": ("", "Y"), "decade": ("", "DE"),
              "century": ("", "CE")}
PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
QUALIFIERS = {
    "about": "APPROX", "around": "APPROX", "roughly": "APPROX", "approximately": "APPROX",
    "some": "APPROX", "nearly": "LESS_THAN", "almost": "LESS_THAN", "less than": "LESS_THAN",
    "under": "LESS_THAN", "more than": "MORE_THAN", "over": "MORE_THAN",
    "at least": "EQUAL_OR_MORE", "at most": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS",
    "no more than": "EQUAL_OR_LESS",
    "just": None, "only": None, "another": None, "the last": None,
}
PART_MODS = {"early": "START", "earlier": "START", "beginning": "START", "start": "START",
             "first half": "START", "late": "END", "later": "END", "end": "END",
             "second half": "END", "last half": "END", "mid": "MID", "middle": "MID",
             "latter": "END", "rest": "END"}

# --- building blocks of the grammar ------------------------------------------------------
WORDNUM = (r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|"
            r"four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|"
            r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
            r"hundred")
NUM = (rf"(?:\d+\s+1/2|\d+(?:\.\d+)?|(?i:{WORDNUM}|a dozen|dozens of|a couple of|a couple|couple of|"
       r"half an?|an?|several|a few|few|many|some|a number of)(?:\s+and\s+a\s+half)?)")
UNIT = (r"(?i:seconds?|minutes?|hours?|days?|weeks?|weekends?|months?|quarters?|years?|"
        r"decades?|century|centuries)")
UNIT1 = r"(?i:second|minute|hour|day|week|month|quarter|year|decade|century)"
MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
         r"December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.|"
         r"JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)")
# Abbreviations without their period only before a day number ("Nov 7").
MONTH_D = rf"(?:{MONTH}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?=\s+\d))"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
YEAR = r"(?:1[0-9]\d\d|20\d\d)"
DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
PRE_PART = (r"(?i:(?:the\s+)?(?:early|late|mid|earlier|later)|mid-|(?:the\s+)?(?:beginning|start|"
            r"end|middle|first\s+half|second\s+half|last\s+half|rest)\s+of(?:\s+the)?)")
QUAL = (r"(?i:about|around|roughly|approximately|some|nearly|almost|less\s+than|under|(?:no\s+)?more\s+than|"
        r"over|at\s+least|at\s+most|up\s+to|just|only|another)")
SEASON = r"(?i:spring|summer|fall|autumn|winter)"
RELW = r"(?i:this|last|next|past|coming|previous|following|current|this\s+past|this\s+coming)"
B = r"(?<![\w'-])"  # a word starts here
E = r"(?![\w-]|'s\w)"  # a word ends here


@dataclass
class Found:
    start: int
    end: int
    type: str
    value: str
    mod: str | None = None
    anchor: str = "publication"
    priority: int = 0


class Context:
    """What the handlers need: the text, the publication date and a tense oracle."""

    def __init__(self, text: str, dct: dt.date | None, doc: Doc | None = None):
        self.text = text
        self.dct = dct
        self.doc = doc

    def direction(self, start: int, end: int) -> int:
        """-1 if the expression at [start, end) is spoken of in the past, +1 in the future,
        0 unknown. From the spaCy Doc when there is one, else from words near it."""
        if self.doc is not None:
            d = doc_direction(self.doc, start, end)
            if d is not None:
                return d
        return text_direction(self.text, start, end)


# --- handlers --------------------------------------------------------------------------------
def parse_number(s: str) -> float | None:
    s = re.sub(r"\s+", " ", s.lower().strip())
    half = 0.0
    if s.endswith(" and a half"):
        s, half = s[: -len(" and a half")], 0.5
    if s in VAGUE_NUMBERS:
        return None
    m = re.fullmatch(r"(\d+)\s+1/2", s)
    if m:
        return int(m.group(1)) + 0.5 + half
    if s in NUMBERS:
        return NUMBERS[s] + half
    if re.fullmatch(r"\d+(\.\d+)?", s):
        return float(s) + half
    parts = re.split(r"[- ]", s)
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        return NUMBERS[parts[0]] + NUMBERS[parts[1]] + half
    return None


def unit_of(s: str) -> str:
    s = s.lower()
    if s in ("centuries", "century"):
        return "century"
    return s.removesuffix("s")


def duration_value(n: float | None, unit: str) -> str:
    prefix, code = UNIT_CODES.get(unit, ("", "D"))
    if unit == "weekend":
        return "P2D" if n == 1 else ("PXWE" if n is None else f"P{int(n) * 2}D")
    if n is None:
        return f"P{prefix}X{code}"
    if unit == "decade":
        return f"P{_fmt(n * 10)}Y"
    if unit == "century":
        return f"P{_fmt(n * 100)}Y"
    if unit == "quarter":
        return f"P{_fmt(n * 3)}M"
    if n != int(n) and (n * 2) == int(n * 2):
        # A half unit is written in the next unit down: "2 1/2 years" is P2Y6M.
        half = {"year": "6M", "month": "15D", "day": "T12H", "hour": "30M", "minute": "30S"}
        if unit in half:
            whole = f"{int(n)}{code}" if int(n) else ""
            return f"P{prefix}{whole}{half[unit]}"
    return f"P{prefix}{_fmt(n)}{code}"


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else str(x)


def mod_of(s: str | None) -> str | None:
    if not s:
        return None
    s = re.sub(r"\s+", " ", s.lower()).replace("the ", "").replace(" of", "").strip(" -")
    s = s.replace("-", "")
    return PART_MODS.get(s)


def unanchored_value(unit: str) -> str:
    return {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE",
            "month": "XXXX-XX", "quarter": "XXXX-QX", "year": "XXXX", "decade": "XXX",
            "century": "XX"}.get(unit, "XXXX-XX-XX")


Handler = Callable[[re.Match, Context], Found | None]
Rule = tuple[re.Pattern, Handler]
RULES: list[Rule] = []
H = TypeVar("H", bound=Handler)


def rule(pattern: str, flags: int = 0) -> Callable[[H], H]:
    def wrap(fn: H) -> H:
        RULES.append((re.compile(pattern, flags), fn))
        return fn
    return wrap


def make_found(m: re.Match, type_: str, value: str, mod: str | None = None,
               anchor: str = "publication", group: int | str = 0, priority: int = 0) -> Found:
    return Found(m.start(group), m.end(group), type_, value, mod, anchor, priority)
