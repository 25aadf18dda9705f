"""Article text made inert for each output: links, JSON inside a <script>, and Markdown.

Everything an article carries (text, title, author, publisher, URL) is written by whoever wrote
the page, so none of it may become markup, a script, a template or a link to code. The HTML
outputs escape text through jinja2 autoescaping; this module covers what autoescaping does not:

* ``safe_url``: only an absolute http(s) URL becomes a link (never ``javascript:``, ``data:``,
  ``vbscript:`` or a relative one), with the characters that could end an attribute or a
  Markdown autolink percent-encoded;
* ``script_json``: JSON that cannot end or confuse the <script> element that embeds it;
* ``md_text`` / ``md_url``: text and URLs that a Markdown renderer shows literally.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

__all__ = ["md_text", "md_url", "safe_url", "script_json"]

# Whitespace and control characters have no place in a link: browsers drop some of them
# ("java\tscript:" is javascript:), so a URL holding any is not linked at all.
_URL_BAD = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029]")
# Legal in no URL, but able to end an HTML attribute or a Markdown autolink ("<...>").
_URL_ENCODE = {c: f"%{ord(c):02X}" for c in "<>\"'`\\"}


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host, else None."""
    if not url or _URL_BAD.search(url):
        return None
    if not url[:8].lower().startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # "http://[::1" and the like
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return "".join(_URL_ENCODE.get(c, c) for c in url)


def script_json(obj: Any) -> str:
    """JSON to embed in a <script> element. ``<``, ``>`` and ``&`` are written as \\u escapes,
    so no ``</script>`` can end the element and no ``<!--`` can start a comment that swallows
    the page's own script; U+2028/U+2029 too, for parsers older than ES2019 that take them for
    line ends."""
    text = json.dumps(obj, ensure_ascii=False)
    for c in "<>&\u2028\u2029":
        text = text.replace(c, f"\\u{ord(c):04x}")
    return text


# -- Markdown -----------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Everything CommonMark, GFM or a templating step before it (Liquid "{{ }}", MDX "{ }", math
# "$ $") would read as syntax. All are ASCII punctuation, so a backslash makes each literal.
_MD_PUNCT = re.compile(r"([\\`*_\[\](){}!#|~$])")
# What would make a field that opens a line a list item, a heading underline or a quote.
_MD_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")


def md_text(text: str | None) -> str:
    """``text`` on one line with nothing in it a Markdown renderer would take for syntax:
    ``<``, ``>`` and ``&`` as entities (so no HTML element or entity), the rest of the syntax
    behind backslashes, and no leading list, heading or quote marker."""
    if not text:
        return ""
    # One line: a line break would let the text start a heading, a quote, a table row or a
    # link reference definition of its own.
    text = " ".join(_CONTROL.sub(" ", text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_PUNCT.sub(r"\\\1", text)
    return _MD_LINE_START.sub(
        lambda m: "\\" + m[1] if m[1] else f"{m[2]}\\{m[3]}", text, count=1)


def md_url(url: str | None) -> str:
    """An http(s) URL as a Markdown autolink (``<https://…>``); any other URL as plain text,
    so ``javascript:`` and ``data:`` are shown, never linked."""
    safe = safe_url(url)
    return f"<{safe}>" if safe else md_text(url)
