"""Publication dates of one article: dates written in lines or URLs, and the decision among them.

This is the per-article home of the publication-date decision (:func:`decide_published`); the
corpus steps that date what is still undated (copies, stories) are in
:mod:`storyline.resolve.pubdates`.
"""

from __future__ import annotations

import re
from datetime import date

from storyline.lexicon.calendar import MONTH_ABBREVIATIONS as _MONTHS
from storyline.model import Document, Published

MONTH_PATTERN = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_DATE_FORMS = [
    # 2023-06-22, 2023/06/22
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"),
    # 22.06.23, 22/06/2023 (day first: the form used outside the US, and by the seeds' wires)
    re.compile(r"(?<!\d)(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4}|\d{2})(?!\d)"),
    # 7 November 2022, 09.Jan.2026, 14 Jan 2026
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s.\-/]+{MONTH_PATTERN}[\s.,\-/]+(?P<y>\d{{4}})",
        re.IGNORECASE,
    ),
    # November 7, 2022 ; Nov 7 2022
    re.compile(
        rf"{MONTH_PATTERN}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.IGNORECASE
    ),
]


def _make(y: str, m: int | str, d: str) -> str | None:
    year = int(y)
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return date(year, int(m), int(d)).isoformat()
    except ValueError:
        return None


def parse_date_text(text: str) -> str | None:
    """ISO date from a date written in full (day, month and year), else None: a date without a
    year is not guessed here."""
    for form in _DATE_FORMS:
        match = form.search(text)
        if match:
            groups = match.groupdict()
            month = _MONTHS[groups["mon"][:3].lower()] if groups.get("mon") else groups["m"]
            value = _make(groups["y"], month, groups["d"])
            if value:
                return value
    return None


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=[/-]|$)")


def url_date(url: str | None) -> str | None:
    """The date many sites put in article URLs (``/2025/09/04/slug``)."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    return _make(*match.groups()) if match else None


def decide_published(doc: Document, dateline_date: str | None,
                     text_date: str | None) -> Published:
    """An article's publication date and its evidence, strongest first: the document's own
    metadata (HTML meta tags via htmldate, a feed entry's date, a JSONL field), the dateline,
    the date in its URL, a date line in the text. Later steps may still date an undated article:
    a dated copy lends its date (:mod:`storyline.dedup`), and its story dates it
    (:mod:`storyline.resolve.pubdates`)."""
    if doc.date:
        return Published(doc.date, "metadata")
    if dateline_date:
        return Published(dateline_date, "dateline")
    found = url_date(doc.url or doc.origin)
    if found:
        return Published(found, "url")
    if text_date:
        return Published(text_date, "text")
    return Published(None, None)
