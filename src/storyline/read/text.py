"""Plain-text files (.txt, .md): decode whatever encoding they are in, one Document each.

Also holds the byte-level helpers the text, HTML and feed readers share: gzip that may be
truncated, binary detection, and encoding detection with charset-normalizer (JSONL and WARC
read their gzip streams themselves).
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator

from charset_normalizer import from_bytes

from storyline.model import Document
from storyline.read.errors import ReadError


class InputProblem(Exception):
    """Raised by the byte helpers with a one-line, user-facing reason."""


def load_bytes(path: str) -> bytes:
    """The file's bytes, gunzipped when it ends in .gz. A truncated gzip raises InputProblem."""
    with open(path, "rb") as fh:
        data = fh.read()
    if path.lower().endswith(".gz"):
        try:
            return gzip.decompress(data)
        except (EOFError, OSError, zlib.error) as exc:
            raise InputProblem(
                f"gzip data is truncated or corrupt ({exc}); re-download or re-compress the file"
            ) from exc
    return data


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when ``data`` reads as UTF-16 text that lacks its byte order
    mark (Windows tools write it so), else None. Text in Latin, Cyrillic or Greek script has a
    NUL in every other byte of UTF-16, always on the same side; binary data has them anywhere."""
    head = data[:8192]
    if len(head) < 16:
        return None
    head = head[: len(head) // 2 * 2]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.6 * half and even < 0.05 * half:
        encoding = "utf-16-le"
    elif even > 0.6 * half and odd < 0.05 * half:
        encoding = "utf-16-be"
    else:
        return None
    try:
        sample = head.decode(encoding)
    except UnicodeDecodeError:
        return None
    printable = sum(ch.isprintable() or ch in "\t\r\n" for ch in sample)
    return encoding if printable > 0.95 * len(sample) else None


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 when it is valid (the common case, and cheap to check), else the
    encoding charset-normalizer finds. Binary data raises InputProblem: NUL bytes do not occur
    in text in any 8-bit or UTF-8 encoding, only in UTF-16 (with its byte order mark, or read
    as such by :func:`utf16_without_bom`)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = utf16_without_bom(head)
        if encoding is None:
            raise InputProblem(
                "binary file, not text; remove it from the inputs or convert it to text")
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputProblem(
            "cannot detect the text encoding (binary or mixed encodings); convert it to UTF-8"
        )
    return str(best)


def read(path: str) -> Iterator[Document | ReadError]:
    try:
        body = decode(load_bytes(path))
    except InputProblem as exc:
        yield ReadError(path, str(exc))
        return
    if not body.strip():
        yield ReadError(path, "file is empty (no text); remove it or add the article text")
        return
    yield Document(origin=path, kind="text", body=body, source_path=path)
