"""Export the store in the DESIGN.md contract: JSON, JSON Lines and Markdown.

The JSON shape is published as a JSON Schema (``schema/export.schema.json``); tests validate
every export against it. Sections no stage has filled yet are present and empty.
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources
from typing import Any

from storyline.model import to_dict
from storyline.outputs.escape import md_text, md_url
from storyline.store import Store


def schema() -> dict:
    return json.loads(resources.files("storyline.outputs").joinpath("schema/export.schema.json")
                      .read_text(encoding="utf-8"))


def export_dict(store: Store) -> dict[str, Any]:
    annotations = store.annotations()
    articles = []
    for a in store.articles():
        ann = annotations.get(a.id)
        articles.append({
            "id": a.id,
            "origin": a.origin,
            "title": a.title,
            "publisher": a.publisher,
            "author": a.author,
            "dateline": a.dateline,
            "place": a.place,
            "url": a.url,
            "published": {"value": a.published.value, "evidence": a.published.evidence},
            "language": (ann.language if ann else None) or a.language,
            "text": a.text,
            "duplicate_of": a.duplicate_of,
            "timexes": [to_dict(t) for t in ann.timexes] if ann else [],
            "notes": list(ann.notes) if ann else [],
            "captured": a.captured,
        })
    _add_versions(articles)
    return {
        "articles": articles,
        "duplicate_groups": store.duplicate_groups(),
        "stories": [to_dict(s) for s in store.stories()],
        "entities": [_entity(e) for e in store.entities()],
        "quotes": [to_dict(q) for q in store.quotes()],
        "timeline": [to_dict(t) for t in store.timeline()],
        "figures": [to_dict(f) for f in store.figures()],
    }


def _add_versions(articles: list[dict]) -> None:
    """Give each article the ids of every article stored under its URL, newest first (by
    capture time, then publication date, then the later record of one container), when some
    other article shares the URL: a page captured twice with other text is two versions."""
    by_url: dict[str, list[dict]] = defaultdict(list)
    for a in articles:
        a["versions"] = []
        if a["url"]:
            by_url[a["url"]].append(a)
    for group in by_url.values():
        if len(group) > 1:
            ordered = sorted(group, reverse=True, key=lambda a: (
                a["captured"] or "", a["published"]["value"] or "", a["origin"]))
            for a in group:
                a["versions"] = [v["id"] for v in ordered]


def _entity(e) -> dict:
    d = to_dict(e)
    d["mentions"] = [{"article_id": m.article_id, "start": m.start, "end": m.end,
                      "text": m.text, "label": m.label, "role": m.role} for m in e.mentions]
    return d


def to_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_jsonl(data: dict) -> str:
    """One record per line, each tagged with its section (``"kind": "article"`` …)."""
    lines = []
    for section, kind in (("articles", "article"), ("stories", "story"),
                          ("entities", "entity"), ("quotes", "quote"),
                          ("timeline", "event"), ("figures", "figure"),
                          ("duplicate_groups", "duplicate_group")):
        for item in data[section]:
            lines.append(json.dumps({"kind": kind, **item}, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def to_markdown(data: dict) -> str:
    """The export as Markdown. Every article-derived string goes through ``md_text`` (URLs
    through ``md_url``), so the file renders as the text it quotes: no HTML, link, image or
    template syntax from an article survives, and only http(s) URLs become links."""
    titles = {a["id"]: a["title"] or a["origin"] for a in data["articles"]}
    out = ["# Storyline export", ""]
    for story in data["stories"] or []:
        out += [f"## {md_text(story['title']) or 'Untitled story'}", ""]
        span = " – ".join(md_text(x) for x in (story.get("start"), story.get("end")) if x)
        if span:
            out += [f"*{span}* · {len(story['article_ids'])} articles", ""]
        for s in story.get("summary") or []:
            cites = ", ".join(sorted({md_text(titles.get(c["article_id"], c["article_id"]))
                                      for c in s["citations"]}))
            out.append(f"- {md_text(s['text'])} [{cites}]")
        out += ["", "Articles:", ""]
        out += [f"- {md_text(titles.get(a, a))}" for a in story["article_ids"]]
        out.append("")
    if data["timeline"]:
        out += ["## Timeline", ""]
        out += [f"- **{md_text(t['date']) or '?'}** {md_text(t['type'])}: "
                f"{md_text(t['summary'])}" for t in data["timeline"]]
        out.append("")
    if data["quotes"]:
        out += ["## Quotes", ""]
        for q in data["quotes"]:
            out.append(f"- {md_text(q['speaker'].get('name')) or 'unknown'}: "
                       f"“{md_text(q['text'])}” ({len(q['occurrences'])} outlets)")
        out.append("")
    out += ["## Articles", ""]
    for a in data["articles"]:
        dup = f" (copy of {md_text(a['duplicate_of'])})" if a["duplicate_of"] else ""
        url = f" — {md_url(a['url'])}" if a.get("url") else ""
        out.append(f"- {md_text(a['title'] or a['origin'])} — "
                   f"{md_text(a['published']['value']) or 'undated'}"
                   f" — {md_text(a['publisher'])}{dup}{url}")
    return "\n".join(out) + "\n"
