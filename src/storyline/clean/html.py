"""Article extraction from HTML pages: trafilatura for the text, title, author and site name;
htmldate for the publication date (the date the page says it was first published, never the
date it was crawled)."""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.read.markup import bound_markup


@dataclass
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    date: str | None = None
    url: str | None = None
    notes: list[str] = field(default_factory=list)


def _tree(html: str):
    from trafilatura.utils import load_html

    return load_html(html)


def _words(text: str) -> set[str]:
    return {"".join(ch for ch in w.casefold() if ch.isalnum()) for w in text.split()} - {""}


def _first_h1(tree) -> str | None:
    for element in tree.iter("h1"):
        text = " ".join(element.text_content().split())
        if len(text.split()) >= 2 and len(text) <= 300:
            return text
        if text:
            return None  # a one-word <h1> is usually the site logo: no headline to use
    return None


def headline(h1: str | None, meta_title: str | None) -> str | None:
    """The page's visible headline (its first <h1>) when it agrees with the metadata title, else
    the metadata title. <title> and og:title are often rewritten for search engines ("Best X
    2025 | Site"), while the <h1> is what readers see; but some pages use <h1> for a logo or a
    section name, hence the agreement check."""
    if h1 is None:
        return meta_title
    if not meta_title:
        return h1
    return h1 if len(_words(h1) & _words(meta_title)) >= min(2, len(_words(h1))) else meta_title


def extract(html: str, url: str | None = None) -> Extracted:
    """The article in ``html``: paragraphs one per line, plus the page's metadata."""
    from trafilatura import bare_extraction

    html, notes = bound_markup(html)
    tree = _tree(html)
    if tree is None:
        return Extracted("", notes=notes)
    h1 = _first_h1(tree)  # read before trafilatura prunes the tree
    result = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        # trafilatura dates pages with htmldate; these are htmldate's options. original_date
        # prefers the first publication over "updated" dates; extensive_search stays off because
        # it guesses from any date in the text (and is slow).
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "outputformat": "%Y-%m-%d",
        },
    )
    if result is None:
        return Extracted("", notes=notes)
    doc = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    return Extracted(
        text=(doc.get("text") or "").strip(),
        title=headline(h1, doc.get("title") or None),
        author=doc.get("author") or None,
        sitename=doc.get("sitename") or None,
        date=doc.get("date") or None,
        url=doc.get("url") or url,
        notes=notes,
    )
