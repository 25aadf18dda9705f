"""The self-contained HTML report: one file, inline CSS and JS, nothing fetched from anywhere.

Rendered from the export dict so the report and ``storyline export`` never disagree. Article
text goes through jinja2 autoescaping; the only script that may run is our own, pinned by its
hash in the Content-Security-Policy, so even a ``<script>`` that slipped through would not run.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import jinja2

from storyline.outputs.escape import safe_url, script_json
from storyline.outputs.report import views

if TYPE_CHECKING:
    from storyline.store import Store

__all__ = ["environment", "render_export", "render_report"]

# The report's entity index lists the most widely named entities; the rest stay in the export.
ENTITY_LIMIT = 300


def _read(name: str) -> str:
    return resources.files("storyline.outputs.report").joinpath(name).read_text(encoding="utf-8")


def environment(**globals_: Any) -> jinja2.Environment:
    """A jinja2 environment over the report templates (the web app adds its own loader).

    The templates call the globals ``cite_href``, ``entity_href``, ``article_href`` and
    ``source_href`` (an article's own URL, or None when it is not a safe http(s) link)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("storyline.outputs.report"))),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,
    )
    env.globals.update(globals_)
    return env


def report_cite_href(c: dict) -> str:
    return f"#cite-{quote(str(c.get('article_id')), safe='')}-{c.get('start')}-{c.get('end')}"


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return environment(
        cite_href=report_cite_href,
        entity_href=lambda eid: f"#entity-{quote(str(eid), safe='')}",
        article_href=lambda aid: f"#article-{quote(str(aid), safe='')}",
        source_href=safe_url,
    )


def render_export(data: dict, generated: str | None = None) -> str:
    """The report HTML for an export dict (``storyline.outputs.export.export_dict``)."""
    corpus = views.Corpus(data)
    stories = [views.story_view(corpus, s) for s in corpus.stories]
    articles = [views.article_view(corpus, a) for a in data.get("articles") or []]
    groups = []
    for g in data.get("duplicate_groups") or []:
        members = [m for m in g.get("members") or [] if m != g.get("canonical")]
        groups.append({
            "canonical": g.get("canonical"), "canonical_label": corpus.label(g.get("canonical")),
            "kind": g.get("kind"), "similarity": g.get("similarity"),
            "copies": [{"id": m, "label": corpus.label(m),
                        "origin": (corpus.articles.get(m) or {}).get("origin")} for m in members],
        })
    # The viewer reads each article's text from its (escaped) section in the Articles list, so
    # the text is in the page once; the JSON only carries what the viewer's heading shows.
    texts = {a["id"]: {"title": a["label"], "outlet": a["outlet"],
                       "published": a["published"]} for a in articles}
    js = _read("report.js")
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    counts = {
        "stories": len(stories), "articles": len(articles),
        "duplicates": sum(1 for a in articles if a["duplicate_of"]),
        "entities": len(data.get("entities") or []), "quotes": len(data.get("quotes") or []),
        "timeline": len(data.get("timeline") or []), "figures": len(data.get("figures") or []),
    }
    html = _env().get_template("report.html").render(
        css=_read("report.css"), js=js, script_hash=f"sha256-{digest}",
        overview=views.overview(corpus), stories=stories, articles=articles,
        duplicate_groups=groups, counts=counts, generated=generated,
        articles_json=script_json(texts), entities=views.all_entities(corpus),
        entity_limit=ENTITY_LIMIT,
    )
    # Lone surrogates (undecodable input) cannot be written as UTF-8: show them as U+FFFD.
    return views.visible_surrogates(html)


def render_report(store: Store) -> str:
    """The report for everything in a Store."""
    from storyline.outputs.export import export_dict

    return render_export(export_dict(store), generated=store.get_meta("built_at"))
