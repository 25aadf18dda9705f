"""Web archives (.warc, .warc.gz): every HTML response record becomes a Document whose origin is
``archive.warc.gz#<target URI>``. A truncated archive yields the records read so far, then a
ReadError."""

from __future__ import annotations

from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator

from storyline.model import Document
from storyline.read.errors import ReadError
from storyline.read.html import decode_html, html_document
from storyline.read.text import InputProblem


def read(path: str) -> Iterator[Document | ReadError]:
    count = 0
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                wanted = (
                    record.rec_type == "response"
                    and record.http_headers is not None
                    and "html" in (record.http_headers.get_header("Content-Type") or "").lower()
                )
                data = record.content_stream().read() if wanted else record.raw_stream.read()
                if getattr(record.raw_stream, "limit", 0):  # fewer bytes than the record declares
                    raise EOFError("the archive ends inside a record")
                if not wanted:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or f"record{count + 1}"
                origin = f"{path}#{uri}"
                try:
                    html = decode_html(data)
                except InputProblem as exc:
                    yield ReadError(origin, f"record cannot be decoded as text ({exc}); skipped")
                    continue
                doc = html_document(origin, html, path, url=uri)
                if doc is None:
                    yield ReadError(
                        origin, "HTML record has no visible text, so no article; skipped"
                    )
                    continue
                # The WARC-Date is the crawl time, not publication: it is kept out of Document.date.
                count += 1
                yield doc
    except Exception as exc:  # noqa: BLE001 - warcio raises assorted errors on cut-off archives
        yield ReadError(
            path,
            f"archive is truncated or corrupt ({type(exc).__name__}: {exc}); "
            f"the {count} pages before it were read; re-download the archive",
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
