"""Web archives (.warc, .warc.gz): every HTML response record becomes a Document whose origin is
``archive.warc.gz#<target URI>``. A URI captured again with other content is another version of
that page: its origin adds the capture time (``#<target URI>@<WARC-Date>``), so both are kept.
A truncated archive yields the records read so far, then a ReadError."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecordLoader

from storyline.model import Document
from storyline.read.dates import iso_instant
from storyline.read.errors import ReadError
from storyline.read.html import decode_html, html_document
from storyline.read.origins import distinct_origin
from storyline.read.text import InputProblem

# warcio logs a warning for each target URI with a space in it ("…/a b"), which it mends; the
# build reports what matters about a record itself.
logging.getLogger("warcio").setLevel(logging.ERROR)


class _Loader(ArcWarcRecordLoader):
    """warcio's loader, for a record with no WARC-Target-URI too (warcio fails on the whole
    archive there: it calls ``str.startswith`` on the missing URI)."""

    def load_http_headers(self, rec_type, uri, stream, length):
        return super().load_http_headers(rec_type, uri or "", stream, length)


def _is_html(record) -> bool:
    if record.rec_type not in ("response", "resource"):
        return False
    if record.http_headers is not None:
        return "html" in (record.http_headers.get_header("Content-Type") or "").lower()
    # A resource record (a page saved as it is, no HTTP exchange) carries its own type.
    return record.rec_type == "resource" and "html" in (
        record.rec_headers.get_header("Content-Type") or "").lower()


def read(path: str) -> Iterator[Document | ReadError]:
    count = index = 0
    seen: set[str] = set()
    try:
        with open(path, "rb") as fh:
            records = ArchiveIterator(fh)
            records.loader = _Loader()
            for record in records:
                if record.rec_headers.get_header("Content-Length") is None:
                    # warcio reads headers cut off before their Content-Length as a record of
                    # no content; every WARC record has one (WARC 1.1, section 5.3).
                    raise EOFError("the archive ends inside a record's headers")
                wanted = _is_html(record)
                data = record.content_stream().read() if wanted else record.raw_stream.read()
                if getattr(record.raw_stream, "limit", 0):  # fewer bytes than the record declares
                    raise EOFError("the archive ends inside a record")
                if record.rec_type in ("response", "resource"):
                    index += 1
                if not wanted:
                    if record.rec_type == "response" and record.http_headers is None:
                        # Not an HTTP capture (a dns: or urn: record): say so, do not drop it.
                        target = record.rec_headers.get_header("WARC-Target-URI") or "(none)"
                        yield ReadError(f"{path}#{target}", "response record is not an HTTP "
                                        "capture (its target URI is not http or https); skipped")
                    continue
                target = record.rec_headers.get_header("WARC-Target-URI")
                uri = target or f"record{index}"
                captured = record.rec_headers.get_header("WARC-Date")
                origin = distinct_origin(f"{path}#{uri}", seen, captured)
                try:
                    html = decode_html(data)
                except InputProblem as exc:
                    yield ReadError(origin, f"record cannot be decoded as text ({exc}); skipped")
                    continue
                doc = html_document(origin, html, path, url=target or None)
                if doc is None:
                    yield ReadError(
                        origin, "HTML record has no visible text, so no article; skipped"
                    )
                    continue
                # The WARC-Date is the crawl time, not publication: it is kept out of Document.date.
                doc.captured = iso_instant(captured)
                count += 1
                yield doc
            trailing = _trailing_bytes(fh, records.offset) if not path.lower().endswith(
                ".gz") else b""
    except Exception as exc:  # noqa: BLE001 - warcio raises assorted errors on cut-off archives
        yield ReadError(
            path,
            f"archive is truncated or corrupt ({type(exc).__name__}: {exc}); "
            f"the {count} pages before it were read; re-download the archive",
        )
        return
    if trailing:
        # warcio ends quietly when the archive is cut inside the headers of a record.
        yield ReadError(
            path,
            f"archive is truncated (it ends inside a record's headers); the {count} pages "
            "before it were read; re-download the archive",
        )
        return
    if path.lower().endswith(".gz") and not _gzip_complete(path):
        # warcio stops quietly when a gzip member is cut between records: check the stream end.
        yield ReadError(
            path,
            f"archive is truncated (gzip stream ends early); the {count} pages before it "
            "were read; re-download the archive",
        )
        return
    if count == 0:
        yield ReadError(path, "archive holds no HTML response records; nothing to read")


def _trailing_bytes(fh, offset: int) -> bytes:
    """What follows the last whole record (nothing but line ends in a complete archive)."""
    fh.seek(offset)
    return fh.read(4096).strip()


def _gzip_complete(path: str) -> bool:
    """Whether every gzip member in the file ends properly (one streaming pass, no memory)."""
    import gzip
    import zlib

    try:
        with gzip.open(path, "rb") as fh:
            while fh.read(1 << 20):
                pass
    except (EOFError, OSError, zlib.error):
        return False
    return True
