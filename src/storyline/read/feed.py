"""RSS and Atom feeds (.xml, .rss, .atom) via feedparser: one Document per entry that has
content or a summary. Entry HTML is rendered to plain text (feed fragments are not whole pages,
so page extraction would throw most of them away)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import feedparser

from storyline.model import Document
from storyline.read.errors import ReadError
from storyline.read.html import html_to_text
from storyline.read.markup import bound_markup
from storyline.read.origins import distinct_origin
from storyline.read.text import InputProblem, load_bytes


def _date(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    return None


def _captured(entry) -> str | None:
    """The entry's last update (else its publication) as a UTC instant: which of two entries
    under one link is the newer version."""
    # dict.get: feedparser's own get maps a missing update to the publication, with a warning.
    parsed = dict.get(entry, "updated_parsed") or entry.get("published_parsed")
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None


def read(path: str) -> Iterator[Document | ReadError]:
    try:
        data = load_bytes(path)
    except InputProblem as exc:
        yield ReadError(path, str(exc))
        return
    if not data.strip():
        yield ReadError(path, "file is empty; remove it or save the feed again")
        return
    # The same bounds as a page's (feedparser's strict parser looks every attribute of a tag
    # up by a linear search: one tag of 50,000 attributes took three minutes). Latin-1 maps
    # each byte to one character, so a feed within the bounds comes back byte for byte.
    bounded, feed_notes = bound_markup(data.decode("latin-1"), whole=True)
    if feed_notes:
        data = bounded.encode("latin-1")
    parsed = feedparser.parse(data)
    if not parsed.entries:
        why = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        yield ReadError(path, f"not an RSS/Atom feed or it has no entries{why}; check the file")
        return
    publisher = parsed.feed.get("title") or None
    seen: set[str] = set()
    for index, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link") or None
        # Two entries with one link (or id) are both kept, the later under its own origin.
        origin = distinct_origin(f"{path}#{link or entry.get('id') or f'entry{index}'}", seen)
        html = ""
        if entry.get("content"):
            html = max((c.get("value", "") for c in entry.content), key=len)
        html = html or entry.get("summary", "")
        notes: list[str] = list(feed_notes)
        if "<" in html:
            html, entry_notes = bound_markup(html)
            notes += entry_notes
            text = html_to_text(html)
        else:
            text = html
        if not text.strip():
            yield ReadError(origin, "feed entry has no content or summary; skipped")
            continue
        yield Document(
            origin=origin,
            kind="text",
            body=text,
            title=entry.get("title") or None,
            url=link,
            date=_date(entry),
            publisher=publisher,
            author=entry.get("author") or None,
            source_path=path,
            notes=notes,
            captured=_captured(entry),
        )
