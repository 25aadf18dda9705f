"""Cleaning: a read Document becomes an Article with its text free of site chrome, and with the
title, byline, dateline and publication date found.

Cleaning never invents text; it only removes. The cleaned text is a sequence of pieces of the
original, and ``Article.offset_map`` records where each piece came from, so any span of the
cleaned text maps back to the characters the user gave.

* ``kind == "text"``: the offset map points into ``Document.body``.
* ``kind == "html"``: trafilatura extracts the article text from the page; the offset map points
  into that extracted text (an HTML page has no plain text to point into).
"""

from __future__ import annotations

import os
import re

from storyline.clean.captions import caption_reason, trailing_credit
from storyline.clean.dates import decide_published, parse_date_text, url_date
from storyline.clean.lines import (
    Line,
    classify,
    is_date_line,
    short_text,
    split_lines,
    stopwords_for,
    word_count,
)
from storyline.clean.meta import (
    byline_name,
    find_byline,
    find_dateline,
    looks_like_headline,
    self_named_outlet,
)
from storyline.errors import CATALOGUE
from storyline.model import Article, Document, Published, stable_id
from storyline.settings import CleanSettings

OffsetMap = list[tuple[int, int, int]]



class CleanError(ValueError):
    """Nothing article-like remains in a document after cleaning. The message (catalogued in
    :mod:`storyline.errors` under ``code``) says why and what to do; callers pair it with
    ``origin``, also kept on the exception."""

    def __init__(self, origin: str, code: str) -> None:
        super().__init__(CATALOGUE[code])
        self.origin = origin
        self.code = code


def article_id(doc: Document) -> str:
    """Content-derived: the same bytes from the same place always get the same id, and two
    copies of one report from different places get different ids (dedup groups them)."""
    where = doc.url or os.path.basename(doc.origin.split("#", 1)[0]) + (
        "#" + doc.origin.split("#", 1)[1] if "#" in doc.origin else ""
    )
    return stable_id("a", doc.content_hash, where)


class _Builder:
    """Assembles the cleaned text from pieces of the original, keeping the offset map."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.map: OffsetMap = []
        self.length = 0

    def add(self, original: str, start: int, end: int) -> None:
        if end <= start:
            return
        piece = original[start:end]
        if (
            self.map
            and self.map[-1][0] + self.map[-1][2] == self.length
            and self.map[-1][1] + self.map[-1][2] == start
        ):
            c, o, n = self.map[-1]
            self.map[-1] = (c, o, n + len(piece))  # contiguous in both: extend the run
        else:
            self.map.append((self.length, start, len(piece)))
        self.parts.append(piece)
        self.length += len(piece)

    def text(self) -> str:
        return "".join(self.parts)


def _join(original: str, pieces: list[tuple[int, int]]) -> tuple[str, OffsetMap]:
    """Concatenate ``original[start:end]`` pieces. Between two pieces goes the original line
    break after the first one, doubled when the original had a blank line between them, so
    even separators are characters of the original."""
    out = _Builder()
    for k, (start, end) in enumerate(pieces):
        if k:
            prev_end = pieces[k - 1][1]
            first_nl = original.find("\n", prev_end, start)
            if first_nl == -1:  # two pieces of one line: a space from the original between them
                space = original.find(" ", prev_end, start)
                if space != -1:
                    out.add(original, space, space + 1)
            else:
                out.add(original, first_nl, first_nl + 1)
                second_nl = original.find("\n", first_nl + 1, start)
                # Paragraph break only if the line after the first newline is blank.
                if second_nl != -1 and not original[first_nl + 1 : second_nl].strip():
                    out.add(original, second_nl, second_nl + 1)
        out.add(original, start, end)
    return out.text(), out.map


def clean_lines(text: str, settings: CleanSettings | None = None) -> tuple[list[Line], list[bool]]:
    """The lines of ``text`` and whether each one is article text (not chrome)."""
    lines = split_lines(text)
    settings = settings or CleanSettings()
    stoplist = stopwords_for(text)
    keep = [c == "good" for c in classify(lines, stoplist, settings)]
    if not any(keep):
        keep = short_text(lines, stoplist, settings)
    return lines, keep


def clean_text(text: str, settings: CleanSettings | None = None,
               ) -> tuple[str, OffsetMap, list[str]]:
    """Remove site chrome from scraped plain text: (cleaned text, offset map into ``text``,
    removed lines)."""
    lines, keep = clean_lines(text, settings)
    cleaned, offsets = _join(text, [_without_credit(ln) for ln, k in zip(lines, keep) if k])
    return cleaned, offsets, [ln.text for ln, k in zip(lines, keep) if not k]


def _clean_plain(doc: Document, settings: CleanSettings) -> Article:
    body = doc.body
    lines, keep = clean_lines(body, settings)
    removed: list[str] = []
    title = doc.title
    author = doc.author

    # Title: the first line, when it reads as a headline and article text follows it.
    first = 0
    if title is None and lines and looks_like_headline(lines[0].text) and any(keep[1:]):
        title = lines[0].text
        keep[0] = False
        first = 1
    elif title is not None and lines and lines[0].text == title:
        keep[0] = False
        first = 1

    kept_idx = [i for i, k in enumerate(keep) if k]
    # Byline: a lone name line at either edge of the article (the classifier usually calls it
    # chrome, being short); it is the author, not body text nor chrome.
    byline_idx = find_byline(lines, kept_idx, first)
    if byline_idx is not None:
        keep[byline_idx] = False
        if author is None:
            author = byline_name(lines[byline_idx].text)
        kept_idx = [i for i, k in enumerate(keep) if k]

    # A date line in the header zone (before the article's first line) is the publication date.
    text_date = None
    if kept_idx:
        for i in range(first, kept_idx[0]):
            if is_date_line(lines[i].text):
                text_date = parse_date_text(lines[i].text)
                if text_date:
                    break

    pieces = [_without_credit(lines[i]) for i in kept_idx]
    dateline = place = dateline_date = None
    publisher = doc.publisher
    found = find_dateline(body[pieces[0][0] : pieces[0][1]]) if pieces else None
    if found:
        # The dateline leaves the text (it is metadata) but the offset map skips over it.
        dateline, place, dateline_date, dateline_publisher, length = found
        pieces[0] = (pieces[0][0] + length, pieces[0][1])
        publisher = publisher or dateline_publisher
    if not publisher and pieces:
        publisher = self_named_outlet(body[pieces[0][0]:])
    publisher = publisher or doc.mapped_outlet
    pieces = [(s, e) for s, e in pieces if e > s]
    text, offsets = _join(body, pieces)
    for i, k in enumerate(keep):
        if not k and i != byline_idx and not (i == 0 and first == 1):
            removed.append(lines[i].text)
    if word_count(text) < settings.min_article_words:
        raise CleanError(doc.origin, "E040")
    return Article(
        id=article_id(doc),
        origin=doc.origin,
        text=text,
        title=title,
        publisher=publisher,
        author=author,
        dateline=dateline,
        place=place,
        url=doc.url,
        published=decide_published(doc, dateline_date, text_date),
        offset_map=offsets,
        removed=removed,
        content_hash=doc.content_hash,
        source_path=doc.source_path,
        captured=doc.captured,
        notes=list(doc.notes),
    )


def _without_credit(line: Line) -> tuple[int, int]:
    """The line's span, less a photo credit glued to its end."""
    cut = trailing_credit(line.text)
    return (line.start, line.start + cut) if cut else (line.start, line.end)


def _same_words(a: str, b: str) -> bool:
    return re.findall(r"\w+", a.casefold()) == re.findall(r"\w+", b.casefold())


def _clean_html(doc: Document, settings: CleanSettings) -> Article:
    from storyline.clean.html import extract

    found = extract(doc.body, doc.url)
    text = found.text
    if word_count(text) < settings.min_article_words:
        raise CleanError(doc.origin, "E041")
    published = (
        Published(doc.date, "metadata")
        if doc.date
        else Published(found.date, "metadata" if found.date else None)
    )
    if not published.value:
        value = url_date(doc.url or doc.origin)
        if value:
            published = Published(value, "url")
    title = doc.title or found.title
    skip = 0  # characters of the extracted text left out at its start
    line_end = text.find("\n")
    first_line = text if line_end == -1 else text[:line_end]
    # trafilatura keeps the page's headline as the first line: it is the title, not body text.
    if title and line_end != -1 and _same_words(first_line, title):
        skip = line_end + 1
        line_end = text.find("\n", skip)
        first_line = text[skip:] if line_end == -1 else text[skip:line_end]
    dateline = place = dl_publisher = None
    dl = find_dateline(first_line)
    if dl:
        dateline, place, dl_date, dl_publisher, length = dl
        skip += length
        if not published.value and dl_date:
            published = Published(dl_date, "dateline")
    # Captions, credits and widgets that trafilatura kept as paragraphs leave the text too.
    pieces = []
    for line in split_lines(text):
        if line.end <= skip or caption_reason(line.text):
            continue
        start, end = _without_credit(line)
        pieces.append((max(start, skip), end))
    text, offsets = _join(text, [(s, e) for s, e in pieces if e > s])
    if word_count(text) < settings.min_article_words:
        raise CleanError(doc.origin, "E041")
    return Article(
        id=article_id(doc),
        origin=doc.origin,
        text=text,
        title=title,
        publisher=doc.publisher or found.sitename or dl_publisher or doc.mapped_outlet,
        author=doc.author or found.author,
        dateline=dateline,
        place=place,
        url=doc.url or found.url,
        published=published,
        offset_map=offsets,
        removed=[],
        content_hash=doc.content_hash,
        source_path=doc.source_path,
        captured=doc.captured,
        notes=doc.notes + found.notes,
    )


def clean(doc: Document, settings: CleanSettings | None = None) -> Article:
    """The cleaned Article for a Document. Raises CleanError when no article text remains."""
    settings = settings or CleanSettings()
    if doc.kind == "html":
        return _clean_html(doc, settings)
    return _clean_plain(doc, settings)


__all__ = ["CleanError", "article_id", "clean", "clean_lines", "clean_text"]
