"""Readers: turn paths (files, directories, globs) into :class:`Document` objects.

One reader per input kind, chosen by file extension. Bad input never stops a run: each problem
becomes one :class:`ReadError` (which input, what is wrong, what to do) and reading goes on.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator

from storyline.model import Document
from storyline.read import feed, html, jsonl, text, warc
from storyline.read.errors import ReadError
from storyline.read.repair import repair_document
from storyline.read.sources import load_outlets

# Extension → reader name; longest suffixes first so ".warc.gz" wins over ".gz".
_KINDS: list[tuple[str, str]] = [
    (".warc.gz", "warc"),
    (".warc", "warc"),
    (".jsonl.gz", "jsonl"),
    (".jsonl", "jsonl"),
    (".html.gz", "html"),
    (".htm.gz", "html"),
    (".html", "html"),
    (".htm", "html"),
    (".txt", "text"),
    (".md", "text"),
    (".xml", "feed"),
    (".rss", "feed"),
    (".atom", "feed"),
]

SUPPORTED = tuple(ext for ext, _ in _KINDS)

# Articles read from one file (a JSONL export, an archive, a feed). Past it a file is a corpus
# of its own, better split so that a failure in it costs less; the rest is reported, not lost.
MAX_RECORDS_PER_FILE = 100_000


def reader_kind(path: str) -> str | None:
    """The reader for ``path`` by its extension, or None if the extension is not supported."""
    low = path.lower()
    for ext, kind in _KINDS:
        if low.endswith(ext):
            return kind
    return None


def _expand(path: str, pattern: bool = True) -> Iterator[str | ReadError]:
    """Paths, globs and directories (recursively) to file paths, in a stable order. A path
    that exists is taken as it is, brackets and all ("notes[2]/"); only one that does not is
    read as a glob pattern."""
    if pattern and any(ch in path for ch in "*?[") and not os.path.exists(path):
        matches = sorted(glob.glob(path, recursive=True))
        if not matches:
            yield ReadError(
                path, "no file matches this pattern; check the glob and quote it in the shell"
            )
        for match in matches:
            yield from _expand(match, pattern=False)
        return
    if os.path.isdir(path):
        found = False
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                if reader_kind(name):
                    found = True
                    yield os.path.join(root, name)
        if not found:
            yield ReadError(path, f"directory holds no readable files ({', '.join(SUPPORTED)})")
        return
    if not os.path.exists(path):
        yield ReadError(path, "no such file or directory; check the path")
        return
    yield path


def read_path(path: str) -> Iterator[Document | ReadError]:
    """Read one file with the reader its extension names."""
    kind = reader_kind(path)
    readers = {
        "text": text.read,
        "html": html.read,
        "jsonl": jsonl.read,
        "warc": warc.read,
        "feed": feed.read,
    }
    if kind is None:
        yield ReadError(path, f"unsupported file type; use one of {', '.join(SUPPORTED)}")
        return
    try:
        count = 0
        for item in readers[kind](path):
            if isinstance(item, Document):
                count += 1
                if count > MAX_RECORDS_PER_FILE:
                    yield ReadError(path, f"file holds more than {MAX_RECORDS_PER_FILE:,} "
                                    "articles: the rest were not read; split it into smaller files")
                    return
                item = repair_document(item)
            yield item
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the run: report the input
        yield ReadError(
            path, f"could not be read ({type(exc).__name__}: {exc}); please report this input"
        )


def read_paths(paths: list[str]) -> Iterator[Document | ReadError]:
    """Every document under ``paths`` (files, directories recursively, or globs), with one
    :class:`ReadError` per input that could not be read. Each file is read once. A folder's
    ``sources.toml`` names the outlet of documents that do not name their own."""
    seen: set[str] = set()
    for given in paths:
        outlets = load_outlets(given) if os.path.isdir(given) else None
        if isinstance(outlets, ReadError):
            yield outlets
            outlets = None
        for item in _expand(given):
            if isinstance(item, ReadError):
                yield item
                continue
            key = os.path.realpath(item)
            if key in seen:
                continue
            seen.add(key)
            for doc in read_path(item):
                if outlets and isinstance(doc, Document):
                    doc.mapped_outlet = outlets.outlet_for(item)
                yield doc


__all__ = ["MAX_RECORDS_PER_FILE", "SUPPORTED", "ReadError", "read_path", "read_paths", "reader_kind"]
