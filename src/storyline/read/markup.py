"""Bounds on HTML structure, applied before a page is parsed.

libxml2 (under lxml and trafilatura) stops building a page nested more than 255 elements deep,
so a page whose article sits below that depth comes out empty; and the extractor's cost grows
with the number of attributes on a tag (50,000 attributes on one ``<p>`` took 12 s). Neither is
ever needed to read an article, so beyond :data:`MAX_DEPTH` open elements the deeper tags are
dropped (their text stays, in order) and a tag keeps its first :data:`MAX_ATTRIBUTES`
attributes; inline scripts and data URIs past :data:`MAX_INLINE` are emptied, and a page is cut
at :data:`MAX_PAGE` or after :data:`MAX_ELEMENTS` elements. One linear scan over the tags (no parse, so it cannot itself be slowed by what it
bounds); a page within the limits comes back unchanged.
"""

from __future__ import annotations

import re

MAX_DEPTH = 200  # open elements; libxml2 gives up past 255
MAX_ATTRIBUTES = 64  # attributes kept per tag
# A page saved "complete" inlines its images and scripts: megabytes no reader sees. A script or
# style body or an attribute value (a data: URI) longer than this is emptied before parsing.
MAX_INLINE = 1_000_000
# What is left is cut at a tag before this many characters: two million characters of page
# hold far more article than the language steps read (see storyline.nlp.MAX_CHARS).
MAX_PAGE = 2_000_000
# The extractor's cost follows the elements of a page (50,000 one-word paragraphs took 10 s);
# the largest of 711 real pages in the WCXB development set has under 5,000.
MAX_ELEMENTS = 10_000

_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)([^>]*)>")
_ATTRIBUTE = re.compile(r"""\s*[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")
# Elements that never hold others, or whose end tag the parser implies: they add no depth.
_FLAT = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "p", "li", "dt", "dd", "td", "th", "tr", "option", "optgroup",
    "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp",
})
_RAW = frozenset({"script", "style", "textarea", "title"})
_LONG_TAG = 1024  # characters of attributes below which a tag cannot hold too many


def _trim_attributes(attrs: str) -> str:
    kept = []
    for n, match in enumerate(_ATTRIBUTE.finditer(attrs)):
        if n == MAX_ATTRIBUTES:
            break
        attribute = match.group(0)
        if len(attribute) > MAX_INLINE:
            attribute = attribute.split("=", 1)[0] + '=""'
        kept.append(attribute)
    return "".join(kept) + (" /" if attrs.rstrip().endswith("/") else "")


def bound_markup(html: str, whole: bool = False) -> tuple[str, list[str]]:
    """``html`` within :data:`MAX_DEPTH`, :data:`MAX_ATTRIBUTES`, :data:`MAX_INLINE`,
    :data:`MAX_PAGE` and :data:`MAX_ELEMENTS`, and a note for each limit the page went past
    (none: the same string back). With ``whole`` (a feed: its length and elements are its
    entries, each bounded on its own) the page is never cut."""
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, kept)
    open_count: dict[str, int] = {}
    depth = deepest = dropped = trimmed = emptied = elements = 0
    cut_at: int | None = None
    pos = 0
    while True:
        match = _TAG.search(html, pos)
        if match is None:
            break
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if not closing:
            elements += 1
            if elements > MAX_ELEMENTS and not whole:
                cut_at = match.start()
                out.append(html[pos:cut_at])
                break
        keep_tag = match.group(0)
        if not closing and len(attrs) > _LONG_TAG and (
                attrs.count("=") > MAX_ATTRIBUTES or len(attrs) > MAX_INLINE):
            keep_tag = f"<{match.group(2)}{_trim_attributes(attrs)}>"
            trimmed += keep_tag != match.group(0)
        end = match.end()
        if not closing and name in _RAW:
            # Script and style bodies are text to the parser, not tags: skip to their end.
            close = _find_close(html, name, end)
            end = len(html) if close == -1 else close
            body = html[match.end():end]
            if len(body) > MAX_INLINE and name in ("script", "style"):
                body = ""
                emptied += 1
            out.append(html[pos:match.start()] + keep_tag + body)
            pos = end
            continue
        replacement = keep_tag
        if not closing and name not in _FLAT and not attrs.rstrip().endswith("/"):
            depth += 1
            deepest = max(deepest, depth)
            kept = depth <= MAX_DEPTH
            stack.append((name, kept))
            open_count[name] = open_count.get(name, 0) + 1
            if not kept:
                replacement = " "
                dropped += 1
        elif closing and open_count.get(name):
            # Close like the parser does: up to the innermost open element of this name.
            while stack:
                top, kept = stack.pop()
                open_count[top] -= 1
                depth -= 1
                if top == name:
                    if not kept:
                        replacement = " "
                    break
        out.append(html[pos:match.start()] + replacement)
        pos = end
    too_long = len(html) > MAX_PAGE and not whole
    if not (dropped or trimmed or emptied or cut_at is not None or too_long):
        return html, []
    if cut_at is None:
        out.append(html[pos:])
    page = "".join(out)
    notes = []
    if cut_at is not None:
        notes.append(f"HTML page of more than {MAX_ELEMENTS:,} elements: the first "
                     f"{MAX_ELEMENTS:,} were read")
    if emptied:
        notes.append(f"{emptied} inline scripts or styles over {MAX_INLINE:,} characters were "
                     "left out")
    if len(page) > MAX_PAGE and not whole:
        cut = page.rfind("<", MAX_PAGE // 2, MAX_PAGE)
        cut = MAX_PAGE if cut == -1 else cut
        notes.append(f"HTML page of {len(page):,} characters: the first {cut:,} were read")
        page = page[:cut]
    if dropped:
        notes.append(f"HTML nested {deepest} elements deep: {dropped} tags below depth "
                     f"{MAX_DEPTH} were dropped (their text is kept)")
    if trimmed:
        notes.append(f"{trimmed} HTML tags had more than {MAX_ATTRIBUTES} attributes or a "
                     f"value over {MAX_INLINE:,} characters: the rest were dropped")
    return page, notes


_CLOSERS = {name: re.compile(rf"</{name}", re.IGNORECASE) for name in _RAW}


def _find_close(html: str, name: str, start: int) -> int:
    """Where ``</name`` starts at or after ``start`` (any letter case), or -1."""
    match = _CLOSERS[name].search(html, start)
    return -1 if match is None else match.start()
