"""JSON Lines (.jsonl, .jsonl.gz): one article per line with ``text`` or ``html``, and optional
``title``, ``url``, ``date``, ``source`` (the publisher), ``author``. A bad line is reported as
``file:line`` and the other lines are still read."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator

from storyline.model import Document
from storyline.read.dates import iso_date, iso_instant
from storyline.read.errors import ReadError
from storyline.read.text import InputProblem, decode


def _lines(path: str) -> Iterator[bytes]:
    """Raw lines; a truncated .gz stops with EOFError after the lines that were complete."""
    if path.lower().endswith(".gz"):
        with gzip.open(path, "rb") as fh:
            yield from fh
    else:
        with open(path, "rb") as fh:
            yield from fh


def _str(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# Keys scrapers give the time they fetched a page under (news-please: date_download).
_CAPTURED = ("captured", "fetched", "fetched_at", "crawled", "crawled_at", "scraped_at",
             "date_download")


def parse_record(record: object, origin: str, path: str) -> Document | str:
    """A Document from one decoded JSON value, or the reason it is not an article."""
    if not isinstance(record, dict):
        return 'line is JSON but not an object; expected {"text" or "html", "title", "url", "date", "source"}'
    html, text = (
        record.get("html"),
        record.get("text") or record.get("content") or record.get("body"),
    )
    if isinstance(html, str) and html.strip():
        kind, body = "html", html
    elif isinstance(text, str) and text.strip():
        kind, body = "text", text
    else:
        return 'record has no "text" or "html" field with content; add the article text'
    return Document(
        origin=origin,
        kind=kind,
        body=body,
        title=_str(record.get("title")),
        url=_str(record.get("url")),
        date=iso_date(_str(record.get("date") or record.get("published"))),
        publisher=_str(record.get("source") or record.get("publisher")),
        author=_str(record.get("author")),
        source_path=path,
        captured=iso_instant(next((record[k] for k in _CAPTURED if isinstance(record.get(k), str)),
                                  None)),
    )


def read(path: str) -> Iterator[Document | ReadError]:
    count = 0
    lineno = 0
    blank = 0
    try:
        for lineno, raw in enumerate(_lines(path), start=1):
            if not raw.strip():
                blank += 1
                continue
            origin = f"{path}:{lineno}"
            try:
                record = json.loads(decode(raw))
            except RecursionError:
                yield ReadError(origin, "line nests JSON too deeply to be an article record; "
                                "fix or remove this line")
                continue
            except (ValueError, InputProblem) as exc:  # JSONDecodeError, or a line that is not text
                yield ReadError(
                    origin,
                    f"line is not valid JSON ({str(exc).splitlines()[0][:80]}); fix or remove this line",
                )
                continue
            doc = parse_record(record, origin, path)
            if isinstance(doc, str):
                yield ReadError(origin, doc)
                continue
            count += 1
            yield doc
    except (EOFError, OSError, zlib.error) as exc:
        yield ReadError(
            path,
            f"file is truncated or corrupt after line {lineno} ({exc}); the {count} articles before it were read",
        )
        return
    if count == 0 and lineno == 0:
        yield ReadError(
            path, "file is empty (no JSON lines); remove it or add one article per line"
        )
    elif count == 0 and blank == lineno:
        yield ReadError(
            path, f"file holds only blank lines ({lineno}); add one JSON article per line"
        )
