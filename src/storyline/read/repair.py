"""Text repaired at the door: every string a reader hands on is valid, storable Unicode.

JSON escapes (``"\\ud800"``), undecodable file names (Python maps their bytes to lone
surrogates) and binary junk produce characters that SQLite and UTF-8 refuse, which would stop
the whole build deep in the store. Each is replaced one for one, so lengths and offsets stay:
a lone surrogate becomes U+FFFD (the replacement character), a control character other than
tab, newline and carriage return becomes a space.
"""

from __future__ import annotations

import dataclasses
import re

from storyline.model import Document

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FIELDS = ("origin", "body", "title", "url", "date", "publisher", "author", "source_path",
           "mapped_outlet")


def repair_text(text: str) -> str:
    """``text`` with lone surrogates and control characters replaced (same length)."""
    if not text.isascii() and _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub(" ", text) if _CONTROL.search(text) else text


def repair_document(doc: Document) -> Document:
    """The document with every text field repaired (the same object when nothing needed it)."""
    changes: dict[str, str] = {}
    for name in _FIELDS:
        value = getattr(doc, name)
        if isinstance(value, str):
            fixed = repair_text(value)
            if fixed != value:
                changes[name] = fixed
    return dataclasses.replace(doc, **changes) if changes else doc  # type: ignore[arg-type]
