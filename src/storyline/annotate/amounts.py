"""Amounts as written in news text: numbers, scales, currencies, qualifiers, ranges, units.

Reading "at least 286", "$41m", "Rs 500 crore", "between 200 and 300", "16 metres" into a value,
a unit and a qualifier, and how exact the written number is (:func:`precision`). Which words say
what is counted is :mod:`storyline.annotate.counted`; finding the claims is
:mod:`storyline.annotate.figures`.
"""

from __future__ import annotations

import math
import re

QUALIFIERS = {
    "at least": "at least",
    "no fewer than": "at least",
    "no less than": "at least",
    "a minimum of": "at least",
    "more than": "more than",
    "over": "more than",
    "in excess of": "more than",
    "upwards of": "more than",
    "upward of": "more than",
    "above": "more than",
    "about": "about",
    "around": "around",
    "some": "some",
    "roughly": "about",
    "approximately": "about",
    "an estimated": "about",
    "estimated": "about",
    "almost": "nearly",
    "nearly": "nearly",
    "close to": "nearly",
    "just under": "nearly",
    "up to": "up to",
    "as many as": "up to",
    "as much as": "up to",
    "as high as": "up to",
    "at most": "up to",
    "no more than": "up to",
    "fewer than": "fewer than",
    "less than": "fewer than",
    "under": "fewer than",
    "just over": "more than",
}
_QUALIFIER_ALT = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
QUALIFIER_RE = re.compile(rf"^({_QUALIFIER_ALT})\s+", re.IGNORECASE)

# Vague quantities: the range each allows. Wide on purpose: an outlet saying "thousands" of a
# toll another puts at 6,500 is not a disagreement.
VAGUE = {
    "dozens": (20.0, 200.0),
    "scores": (40.0, 200.0),
    "hundreds": (100.0, 1_000.0),
    "thousands": (1_000.0, 100_000.0),
    "tens of thousands": (10_000.0, 100_000.0),
    "hundreds of thousands": (100_000.0, 1_000_000.0),
    "millions": (1_000_000.0, 1e9),
    "billions": (1e9, 1e12),
}
VAGUE_RE = re.compile(
    r"\b(?:(?:several|many|a few)\s+)?(tens of thousands|hundreds of thousands|dozens|scores|"
    r"hundreds|thousands|millions|billions)\b",
    re.IGNORECASE,
)

_SMALL = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a": 1,
    "an": 1,
    "a dozen": 12,
    "dozen": 12,
    "half": 0.5,
}
SCALE = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "m": 1e6,
    "mn": 1e6,
    "bn": 1e9,
    "k": 1_000,
    "lakh": 1e5,
    "crore": 1e7,
}
CURRENCY = {
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "rubles": "RUB",
    "roubles": "RUB",
    "yuan": "CNY",
    "manat": "AZN",
    "dram": "AMD",
    "drams": "AMD",
    "rs": "INR",
    "rs.": "INR",
    "₹": "INR",
    "rupees": "INR",
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
    "inr": "INR",
}
# Written around the number NER marks as money ("$" + "41" + "m", "Rs" + "500" + "crore"): the
# tagger often leaves the symbol or the scale outside the entity.
_SYMBOL = r"(?:US\$|[$€£¥₹]|\b(?:Rs\.?|INR|USD|EUR|GBP))"
CURRENCY_BEFORE = re.compile(_SYMBOL + r"\s?$", re.IGNORECASE)
CURRENCY_AT_START = re.compile(r"^(" + _SYMBOL + r")\s*", re.IGNORECASE)
SCALE_AFTER = re.compile(
    r"^(?:(m|mn|bn|k)\b|\s+(million|billion|trillion|lakh|crore)\b)", re.IGNORECASE)
# The units an amount of money is written in ("money" when no currency is named).
CURRENCIES = frozenset(CURRENCY.values())
MONEY_UNITS = frozenset(["money"]) | CURRENCIES

DURATION_UNITS = {
    "day": 1,
    "days": 1,
    "week": 7,
    "weeks": 7,
    "month": 30,
    "months": 30,
    "year": 365,
    "years": 365,
    "hour": 1 / 24,
    "hours": 1 / 24,
}
_NUMBER_WORDS = "|".join(k for k in _SMALL if len(k) > 2)
DURATION_RE = re.compile(
    rf"^(?:({_QUALIFIER_ALT})\s+)?([\d.,]+|{_NUMBER_WORDS})(?:[\s-]+)"
    r"(hours?|days?|weeks?|months?|years?)$",
    re.IGNORECASE,
)


def parse_number(text: str) -> float | None:
    """'6,500' → 6500, '3.5 billion' → 3.5e9, 'thirty' → 30, 'a dozen' → 12."""
    s = text.lower().replace("–", "-").strip()
    s = CURRENCY_AT_START.sub("", s).strip()
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)
    words = s.replace("-", " ").split()
    if not words:
        return None
    total, current, seen = 0.0, 0.0, False
    for w in words:
        w = w.strip(".,")
        if re.fullmatch(r"\d+(?:\.\d+)?", w):
            current += float(w)
            seen = True
        elif re.fullmatch(r"\d+(?:\.\d+)?(m|mn|bn|k)", w):
            m = re.fullmatch(r"(\d+(?:\.\d+)?)(m|mn|bn|k)", w)
            assert m is not None  # the same pattern as the test above, with a group
            current += float(m.group(1)) * SCALE[m.group(2)]
            seen = True
        elif w in _SMALL:
            current += _SMALL[w]
            seen = True
        elif w in SCALE and len(w) > 2:
            current = (current or 1) * SCALE[w]
            if SCALE[w] >= 1_000:
                total, current = total + current, 0.0
            seen = True
        elif w in ("and", "a"):
            continue
        else:
            return None
    value = total + current
    # A run of digits longer than any real count ("1010…10") is inf as a float: no figure.
    return value if seen and math.isfinite(value) else None


def precision(text: str, value: float) -> float:
    """How far a written number may be from the true one through rounding: '6,500' → 50.

    A number is taken as rounded when it has one significant digit ("20", "2,000") or ends in
    "00" ("6,500"); one trailing zero after two or more digits ("150", "280") is as often an
    exact count as not (a tenth of all exact counts end in 0), so it is read as written."""
    try:
        return _rounding(text, value)
    except (ValueError, ZeroDivisionError, OverflowError):  # "2.5-7.6", "0": no rounding known
        return 0.0


def _rounding(text: str, value: float) -> float:
    digits = re.sub(r"[^\d.]", "", text)
    if not digits:  # spelled out ("thirty"): rounded to its own magnitude
        return max(1.0, 10 ** math.floor(math.log10(value)) / 2) if value >= 1 else 0.5
    digits = digits.strip(".")
    if "." in digits:
        scale = value / float(digits) if float(digits) else 1
        decimals = len(digits.split(".")[1])
        return 0.5 * scale * 10**-decimals
    trailing = len(digits) - len(digits.rstrip("0"))
    if digits.rstrip("0") == "":
        trailing = len(digits) - 1
    elif trailing == 1 and len(digits.rstrip("0")) >= 2:
        trailing = 0
    scale = value / float(digits) if float(digits) else 1
    return 0.5 * scale * 10**trailing

def strip_qualifier(text: str) -> tuple[str | None, str]:
    m = QUALIFIER_RE.match(text)
    if not m:
        return None, text
    return QUALIFIERS[m.group(1).lower()], text[m.end() :]


def extend_left(text: str, start: int) -> int:
    """Take in a qualifier written just before the number ("at least" outside the entity)."""
    window = text[max(0, start - 25) : start]
    for q in sorted(QUALIFIERS, key=len, reverse=True):
        m = re.search(rf"(?:^|(?<=\W)){re.escape(q)}\s+$", window, re.IGNORECASE)
        if m:
            return start - (len(window) - m.start())
    return start


_RANGE = re.compile(r"^(?:between|from)\s+(.+?)\s+(?:and|to)\s+(.+)$|^([^-–\s]+)\s*[-–]\s*([^-–\s]+)$",
                    re.IGNORECASE)


def parse_range(number: str) -> tuple[float, float] | None:
    """'between 200 and 300', 'from 5 to 8', '200-300', 'between 2 and 3 million' → (low, high)."""
    m = _RANGE.match(number.strip())
    if not m:
        return None
    low_text, high_text = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    low, high = parse_number(low_text), parse_number(high_text)
    if low is None or high is None:
        return None
    bare_high = parse_number(re.sub(r"[^\d.,]+$", "", high_text.strip()) or "x")
    if bare_high and low < bare_high <= high and not re.search(r"[a-z]", low_text, re.IGNORECASE):
        low *= high / bare_high  # the scale written once, on the top of the range
    return (low, high) if 0 <= low < high else None


# Numbers that are not claims, told by what is written around them.
_PHONE_OR_CODE = re.compile(r"^(?:[-./)]\s?\d|\.[A-Z]{1,3}\b)")
_ADDRESS = re.compile(
    r"^\s+(?:[A-Z][\w'-]*\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Drive|"
    r"Dr|Way|Place|Square|Court|Terrace|Highway)\b")


def not_a_claim(text: str, start: int, end: int) -> bool:
    """A phone number, a ticker or postcode fragment, a street address."""
    before = text[max(0, start - 2) : start]
    return bool(
        _PHONE_OR_CODE.match(text[end : end + 4])
        or re.search(r"(?:\d[-./(]|\+)\s?$", before)
        or _ADDRESS.match(text[end : end + 60])
    )


# Units of measure as written → the unit kept, and the dimension it measures.
MEASURES = {
    "m": ("m", "length"), "meter": ("m", "length"), "metre": ("m", "length"),
    "km": ("km", "distance"), "kilometer": ("km", "distance"), "kilometre": ("km", "distance"),
    "mile": ("mi", "distance"), "ft": ("ft", "length"), "foot": ("ft", "length"),
    "feet": ("ft", "length"), "kg": ("kg", "weight"), "kilogram": ("kg", "weight"),
    "tonne": ("t", "weight"), "ton": ("t", "weight"), "pound": ("lb", "weight"),
    "lb": ("lb", "weight"), "hectare": ("ha", "area"), "acre": ("acre", "area"),
}


def measure(number: str) -> tuple[str, str, str] | None:
    """'16 meters' → ('16', 'm', 'length')."""
    words = number.split()
    if len(words) < 2:
        return None
    key = words[-1].lower().rstrip(".")
    key = key[:-1] if key.endswith("s") and key[:-1] in MEASURES else key
    if key not in MEASURES:
        return None
    return " ".join(words[:-1]), *MEASURES[key]


