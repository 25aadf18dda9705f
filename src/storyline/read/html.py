"""HTML pages (.html, .htm, optionally gzipped): the page itself is the Document body; clean()
extracts the article with trafilatura. A page with no visible text at all is reported here."""

from __future__ import annotations

import re
from collections.abc import Iterator

from storyline.model import Document
from storyline.read.errors import ReadError
from storyline.read.text import InputProblem, decode, load_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_TAG = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.DOTALL | re.IGNORECASE)


def decode_html(data: bytes) -> str:
    """Honour a declared <meta charset> before guessing: pages usually say what they are."""
    match = _META_CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def has_visible_text(html: str, minimum: int = 1) -> bool:
    """Cheap check (no parsing) that the page carries some text outside tags."""
    return len(_TAG.sub(" ", html).split()) >= minimum


def html_document(
    origin: str, html: str, source_path: str | None, url: str | None = None
) -> Document | None:
    """A Document for an HTML page, or None when the page has no text at all."""
    if not has_visible_text(html):
        return None
    return Document(origin=origin, kind="html", body=html, url=url, source_path=source_path)


def read(path: str) -> Iterator[Document | ReadError]:
    try:
        html = decode_html(load_bytes(path))
    except InputProblem as exc:
        yield ReadError(path, str(exc))
        return
    if not html.strip():
        yield ReadError(path, "file is empty (no HTML); remove it or save the page again")
        return
    doc = html_document(path, html, path)
    if doc is None:
        yield ReadError(
            path,
            "HTML page has no visible text, so no article; save the full page, not a script shell",
        )
        return
    yield doc


# Elements that start a new line when a page is rendered to plain text, as a browser would.
_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tr",
    "td",
    "th",
    "ul",
    "option",
    "button",
    "label",
    "title",
    "caption",
    "tbody",
    "thead",
    "tfoot",
}
_INVISIBLE = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "svg",
    "iframe",
    "object",
    "canvas",
}


def html_to_text(html: str | bytes) -> str:
    """A page's whole visible text, one block element per line (what a scraper that copies the
    rendered page gets). The <head>, scripts and styles are not visible, so they are left out."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _INVISIBLE:
            return
        if not tag:  # comment or processing instruction: skip it but keep its tail
            if el.tail:
                parts.append(el.tail)
            return
        block = tag in _BLOCK
        if block:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    body = root.find(".//body")
    walk(body if body is not None else root)
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)
