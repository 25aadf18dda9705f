"""Metadata found in the text itself: headline, byline, dateline, dates written in lines or URLs."""

from __future__ import annotations

import re

from storyline.clean.captions import caption_reason
from storyline.clean.dates import MONTH_PATTERN as _MONTH_RE
from storyline.clean.dates import parse_date_text
from storyline.clean.lines import Line, is_chrome_phrase, is_date_line

_WORD = re.compile(r"\w+")


def looks_like_headline(text: str) -> bool:
    """A headline: a few words to a long line, with no sentence-final full stop."""
    words = _WORD.findall(text)
    if not 2 <= len(words) <= 40 or len(text) > 300:
        return False
    if text.rstrip("\"'”’»)").endswith((".", ",", ";", ":")) and not text.endswith("..."):
        return False
    if is_chrome_phrase(text) or is_date_line(text) or find_dateline(text) or caption_reason(text):
        return False
    return any(ch.isupper() for ch in text[:2])


# Words that are capitalised without being names (in English headlines and menus).
_NOT_NAMES = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "with",
        "by",
        "about",
        "our",
        "your",
        "my",
        "his",
        "her",
        "their",
        "its",
        "we",
        "you",
        "i",
        "he",
        "she",
        "they",
        "it",
        "this",
        "that",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "be",
        "home",
        "news",
        "politics",
        "world",
        "business",
        "sports",
        "sport",
        "opinion",
        "share",
        "follow",
        "like",
        "comment",
        "comments",
        "reply",
        "contact",
        "menu",
        "search",
        "latest",
        "more",
        "read",
        "related",
        "tags",
        "tag",
        "video",
        "photo",
        "photos",
        "live",
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "editor",
        "staff",
        "reporter",
        "correspondent",
        "newsletter",
        "subscribe",
        "privacy",
        "policy",
        "terms",
        "cookie",
        "cookies",
        "login",
        "sign",
        "new",
        "all",
        "top",
    ]
)
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?$")
_PARTICLES = {
    "de",
    "da",
    "del",
    "van",
    "von",
    "der",
    "al",
    "el",
    "bin",
    "ibn",
    "la",
    "le",
    "di",
    "du",
}
_BY = re.compile(r"^(?:by|written by|author:?|words by|reporting by)\s+(.{3,80})$", re.IGNORECASE)


def _is_name(text: str) -> bool:
    if len(text) > 50 or any(ch.isdigit() for ch in text):
        return False
    words = text.split()
    if not 2 <= len(words) <= 4:
        return False
    for k, word in enumerate(words):
        if not _NAME_WORD.match(word):
            return False
        if word.lower().strip(".") in _NOT_NAMES:
            return False
        if word.lower() in _PARTICLES and 0 < k < len(words) - 1:
            continue
        if not word[0].isupper():
            return False
    return True


def byline_name(text: str) -> str:
    """The name(s) in a byline line, without "By" and trailing titles after a comma."""
    match = _BY.match(text.strip())
    name = match.group(1) if match else text.strip()
    return re.split(r"\s*[,|•·]\s*", name)[0].strip()


def is_byline(text: str) -> bool:
    match = _BY.match(text.strip())
    if match:
        names = re.split(r"\s*(?:,|\band\b|&)\s*", match.group(1))
        return bool(names) and _is_name(names[0])
    return _is_name(text.strip())


def find_byline(lines: list[Line], kept: list[int], first: int) -> int | None:
    """Index of a byline line at the edges of the article: before or among its first two lines,
    or among its last two lines and the three lines after it."""
    if not kept:
        return None
    head = list(range(first, min(kept[0] + 2, len(lines))))
    tail = list(range(max(kept[-1] - 1, first), min(kept[-1] + 4, len(lines))))
    for i in head + tail:
        if is_byline(lines[i].text):
            # Never take the only article line, and never a line in the middle of the article.
            if i in kept and len(kept) <= 1:
                continue
            return i
    return None


# Dateline forms. Each pattern matches at the start of the article's first line.
_DATELINE_SLASH = re.compile(
    r"^(?P<place>[^\W\d][^/\n]{1,40}?)/(?P<date>\d{1,2}\.\d{1,2}\.\d{2,4})/(?P<pub>[^\W\d][^:/\n]{1,30}):\s*"
)
_DATELINE_WIRE = re.compile(
    r"^(?P<head>[^\W\d_][^()\n]{1,60}?)\s*\((?P<pub>[^\W\d_][\w&.' -]{0,30})\)\s*[-—–:]+\s*"
)
_DATELINE_CAPS = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’ -]{1,30}[A-Z.])(?P<rest>,\s*[A-Z][\w.' ]{1,30}?)?\s*[—–]+\s*|"
    r"^(?P<place2>[A-Z][A-Z.'’ -]{1,30}[A-Z.])(?P<rest2>,\s*[A-Z][\w.' ]{1,30}?)?\s+--?\s+"
)


def find_dateline(line: str) -> tuple[str, str, str | None, str | None, int] | None:
    """(dateline as written, place, ISO date or None, publisher or None, characters to strip)
    for a line that opens with a dateline, else None."""
    match = _DATELINE_SLASH.match(line)
    if match:
        dateline = match.group(0).strip()
        return (
            dateline,
            match.group("place").strip(),
            parse_date_text(match.group("date")),
            match.group("pub").strip(),
            match.end(),
        )
    match = _DATELINE_WIRE.match(line)
    if match:
        head = match.group("head")
        place, _, rest = head.partition(",")
        when = parse_date_text(rest) if rest else None
        has_date = (
            bool(rest)
            and bool(re.search(r"\d", rest))
            and bool(re.search(_MONTH_RE, rest, re.IGNORECASE) or when)
        )
        if not has_date and rest:
            place = head  # "KYIV, Ukraine (AP) —": the region belongs to the place
        # Wire datelines open with a place name: capitalised words, no verbs in the way.
        if len(place.split()) <= 5 and all(w[0].isupper() for w in place.replace(",", " ").split()):
            return (
                match.group(0).strip(),
                place.strip(),
                when,
                match.group("pub").strip(),
                match.end(),
            )
    match = _DATELINE_CAPS.match(line)
    if match:
        place = (match.group("place") or match.group("place2")).strip()
        rest = match.group("rest") or match.group("rest2") or ""
        if sum(ch.isupper() for ch in place) >= 3:
            return match.group(0).strip(), (place + rest).strip(), None, None, match.end()
    return None


# A report that names its own outlet: "… TURAN's U.S. correspondent reports", "writes the
# Guardian's Moscow correspondent".
_SELF_NAMED = re.compile(
    r"\b(?P<outlet>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})['’]s\s+(?:[A-Z][\w.]*\s+){0,2}"
    r"(?:correspondent|bureau|reporter)\s+(?:reports|writes|said|says)\b")


def self_named_outlet(text: str) -> str | None:
    """The outlet a report names as its own in its first lines, or None."""
    found = _SELF_NAMED.search(text[:1500])
    if not found:
        return None
    outlet = found.group("outlet")
    return None if outlet.lower() in ("the", "a", "an") else outlet
