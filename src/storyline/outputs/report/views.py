"""What the report and the web app show, computed from the export dict.

Both read the same export (``storyline.outputs.export.export_dict``), so the HTML never says something
the JSON does not. This module turns that dict into per-story views: outlets, cited summary,
timeline chart geometry, key quotes, figure groups, entities with their relation graph, and the
coverage matrix. Everything here is plain data; the templates only lay it out.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from pathlib import PurePosixPath
from typing import Any, cast
from urllib.parse import urlparse

from storyline.outputs.report import timeaxis
from storyline.outputs.report.graph import relation_graph
from storyline.resolve.key_events import key_event_ids
from storyline.timeml import interval

# C0/C1 control characters (except tab and newline) become their visible "control picture"
# or U+FFFD, one code point for one, so offsets into the text stay valid.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def visible(text: str | None) -> str:
    """Text safe to print: control characters and lone surrogates made visible, same length."""
    if not text:
        return ""
    text = _SURROGATE.sub("\ufffd", text)

    def picture(m: re.Match) -> str:
        c = ord(m[0])
        if c < 0x20:
            return chr(0x2400 + c)
        return "\u2421" if c == 0x7F else "\ufffd"

    return _CONTROL.sub(picture, text)


def visible_surrogates(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def shorten(text: str | None, n: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


class Corpus:
    """Look-ups over one export dict."""

    def __init__(self, data: dict):
        self.data = data
        self.articles = {a["id"]: a for a in data.get("articles") or []}
        self.entities = {e["id"]: e for e in data.get("entities") or []}
        self.stories = list(data.get("stories") or [])
        self.story_of: dict[str, str] = {}
        for s in self.stories:
            for aid in s.get("article_ids") or []:
                self.story_of.setdefault(aid, s["id"])
        # Copies belong to the story of the article they copy.
        for a in self.articles.values():
            if a.get("duplicate_of") and a["duplicate_of"] in self.story_of:
                self.story_of.setdefault(a["id"], self.story_of[a["duplicate_of"]])
        self.copies: dict[str, list[str]] = defaultdict(list)
        for a in self.articles.values():
            if a.get("duplicate_of"):
                self.copies[a["duplicate_of"]].append(a["id"])
        # Indexes, so a report over thousands of stories is not quadratic.
        self.mentions_in: dict[str, list[tuple[dict, str]]] = defaultdict(list)
        for e in self.entities.values():
            for m in e.get("mentions") or []:
                self.mentions_in[m.get("article_id")].append((m, e["id"]))
        self.quotes_in: dict[str, list[dict]] = defaultdict(list)
        for q in data.get("quotes") or []:
            for aid in {o.get("article_id") for o in q.get("occurrences") or []}:
                self.quotes_in[aid].append(q)
        self.figures_in: dict[str, list[dict]] = defaultdict(list)
        for f in data.get("figures") or []:
            for aid in {o.get("article_id") for o in f.get("occurrences") or []}:
                self.figures_in[aid].append(f)
        self.by_story: dict[str, dict[str, list[dict]]] = {
            k: defaultdict(list) for k in ("timeline", "quotes", "figures")}
        for kind, key in (("timeline", "sources"), ("quotes", "occurrences"),
                          ("figures", "occurrences")):
            for item in data.get(kind) or []:
                if kind == "timeline" and item.get("story_id"):
                    owners = {item["story_id"]}
                else:
                    owners = {self.story_of.get(s.get("article_id"))
                              for s in item.get(key) or []} - {None}
                for sid in owners:
                    self.by_story[kind][sid].append(item)

    # -- articles -------------------------------------------------------------------------

    def outlet(self, article_id: str) -> str:
        """Who published the article: publisher, else the URL's host, else the file name,
        marked as a file name ("file c01_d2") since it names no outlet."""
        a = self.articles.get(article_id)
        if not a:
            return article_id
        if a.get("publisher"):
            return a["publisher"]
        if a.get("url"):
            host = urlparse(a["url"]).netloc
            if host:
                return host.removeprefix("www.")
        origin = a.get("origin") or article_id
        host = urlparse(origin).netloc if "://" in origin else ""
        if host:
            return host.removeprefix("www.")
        name = PurePosixPath(origin.split("#")[0]).stem or article_id
        return "file " + shorten(name, 23)

    def label(self, article_id: str) -> str:
        a = self.articles.get(article_id)
        if not a:
            return article_id
        title = a.get("title") or shorten(a.get("text"), 70) or a.get("origin") or article_id
        return title

    def span_text(self, span: dict) -> str:
        a = self.articles.get(span.get("article_id"))
        if not a:
            return ""
        text = a.get("text") or ""
        try:
            return text[int(span["start"]):int(span["end"])]
        except (KeyError, TypeError, ValueError):
            return ""

    def sentence_around(self, span: dict, reach: int = 320) -> tuple[str, str, str]:
        """(before, span, after): the span inside its sentence, cut at ``reach`` characters
        either side when the sentence is longer."""
        text = (self.articles.get(span.get("article_id")) or {}).get("text") or ""
        start, end = int(span.get("start") or 0), int(span.get("end") or 0)
        if not 0 <= start <= end <= len(text):
            return "", "", ""
        left = text[max(0, start - reach) : start]
        cut = max(left.rfind(". "), left.rfind("\n"), left.rfind("? "), left.rfind("! "))
        before = left[cut + 1 :] if cut >= 0 else left
        right = text[end : end + reach]
        stop = [i for i in (right.find(". "), right.find("\n"), right.find("? "),
                            right.find("! ")) if i >= 0]
        after = right[: min(stop) + 1] if stop else right
        return before.lstrip(), text[start:end], after.rstrip()

    def cite(self, span: dict) -> dict:
        """A citation as templates use it: where it points and what it says."""
        aid = cast("str", span.get("article_id"))
        return {
            "article_id": aid,
            "start": span.get("start"),
            "end": span.get("end"),
            "outlet": self.outlet(aid),
            "title": self.label(aid),
            "text": self.span_text(span),
        }

    def entity_name(self, key: str) -> str:
        e = self.entities.get(key)
        return e["name"] if e else key

    # -- stories --------------------------------------------------------------------------

    def story_articles(self, story: dict) -> list[str]:
        ids = list(story.get("article_ids") or [])
        for aid in list(ids):
            ids += [c for c in self.copies.get(aid, []) if c not in ids]
        return ids

    def in_story(self, spans: list[dict] | None, story_ids: set[str]) -> bool:
        return any(s.get("article_id") in story_ids for s in spans or [])


def overview(corpus: Corpus) -> list[dict]:
    threads: dict[str, list[str]] = defaultdict(list)
    for s in corpus.stories:
        threads[s.get("thread_id") or s["id"]].append(s["id"])
    titles = {s["id"]: s.get("title") or s["id"] for s in corpus.stories}
    out = []
    for s in corpus.stories:
        ids = s.get("article_ids") or []
        thread = threads[s.get("thread_id") or s["id"]]
        out.append({
            "id": s["id"],
            "title": s.get("title") or "Untitled story",
            "start": s.get("start"),
            "end": s.get("end"),
            "articles": len(ids),
            "copies": sum(len(corpus.copies.get(a, [])) for a in ids),
            "outlets": _distinct(sorted(corpus.outlet(a) for a in ids)),
            "thread_id": s.get("thread_id"),
            "thread": [{"id": t, "title": titles[t]} for t in thread if t != s["id"]],
            # Shortened as text, before escaping: cut after escaping, it could end inside
            # an entity ("&#3…") and count "&lt;" as four characters.
            "thread_text": shorten("; ".join(titles[t] for t in thread if t != s["id"]), 140),
        })
    return out


def story_view(corpus: Corpus, story: dict, *, chart_width: int = 640) -> dict:
    ids = set(corpus.story_articles(story))
    canonical = [a for a in story.get("article_ids") or [] if a in corpus.articles]
    outlets = []
    for aid in canonical:
        name = corpus.outlet(aid)
        if name not in outlets:
            outlets.append(name)
    timeline = corpus.by_story["timeline"].get(story["id"], [])
    quotes = corpus.by_story["quotes"].get(story["id"], [])
    figures = corpus.by_story["figures"].get(story["id"], [])
    figure_groups = figure_view(corpus, figures)
    nums = {aid: i + 1 for i, aid in enumerate(canonical)}
    for aid in canonical:
        for copy in corpus.copies.get(aid, []):
            nums.setdefault(copy, nums[aid])
    view = {
        "id": story["id"],
        "nums": nums,
        "title": story.get("title") or "Untitled story",
        "start": story.get("start"),
        "end": story.get("end"),
        "thread_id": story.get("thread_id"),
        "outlets": outlets,
        "articles": [{"id": a, "title": corpus.label(a), "outlet": corpus.outlet(a),
                      "published": (corpus.articles[a].get("published") or {}).get("value"),
                      "copies": corpus.copies.get(a, [])} for a in canonical],
        "summary": [{"text": s.get("text", ""),
                     "citations": [corpus.cite(c) for c in s.get("citations") or []]}
                    for s in story.get("summary") or []],
        "what_is_new": None,
        "timeline": timeline_view(corpus, timeline, chart_width),
        "quotes": quote_view(corpus, quotes),
        "figures": figure_groups,
        "disagreements": disagreement_view(corpus, figure_groups),
        "entities": entity_view(corpus, ids),
        "graph": relation_graph(corpus, timeline, quotes, ids),
        "coverage": coverage(corpus, canonical, timeline, figures, quotes),
    }
    new = story.get("what_is_new")
    if new and new.get("text"):
        view["what_is_new"] = {"text": new["text"],
                               "citations": [corpus.cite(c) for c in new.get("citations") or []]}
    return view


# -- timeline ------------------------------------------------------------------------------

ROW = 26
LABEL_W = 150


def timeline_view(corpus: Corpus, entries: list[dict], width: int) -> dict:
    rows: list[dict[str, Any]] = []
    unplaced: list[dict[str, Any]] = []
    for t in entries:
        iv = interval(t.get("date"))
        item = {
            "id": t.get("id"),
            "date": t.get("date"),
            "type": t.get("type") or "",
            "summary": t.get("summary") or "",
            "actors": [corpus.entity_name(a) for a in t.get("actors") or []],
            "recipients": [corpus.entity_name(a) for a in t.get("recipients") or []],
            "location": t.get("location"),
            "sources": [corpus.cite(s) for s in t.get("sources") or []],
            "granularity": iv.granularity if iv else None,
            "interval": iv,
        }
        (rows if iv else unplaced).append(item)
    rows.sort(key=lambda r: (r["interval"].start, r["interval"].end, r["summary"]))
    plot_w = width - LABEL_W - 44  # room on the right for a "×15" count
    axis = timeaxis.make_axis([r["interval"] for r in rows], plot_w)
    chart = None
    if axis:
        # One row per distinct date: many events on one day become one marker with a count.
        by_date: dict[str, list[dict]] = {}
        for r in rows:
            by_date.setdefault(r["date"], []).append(r)
        bars = []
        for i, (value, group) in enumerate(by_date.items()):
            iv = group[0]["interval"]
            x0 = LABEL_W + axis.x(iv.start)
            x1 = LABEL_W + axis.x(iv.end)
            point = iv.granularity in ("day", "week") or x1 - x0 < 6
            cx = (x0 + x1) / 2
            bars.append({
                "y": 10 + i * ROW, "x": round(x0, 1), "w": round(max(x1 - x0, 2), 1),
                "cx": round(cx, 1), "point": point, "granularity": iv.granularity,
                "label": value, "count": len(group),
                "count_x": round((cx + 9) if point else (x0 + max(x1 - x0, 2) + 5), 1),
                "type": ", ".join(sorted({r["type"] for r in group if r["type"]})),
                "summary": "; ".join(shorten(r["summary"], 90) for r in group[:4])
                + (f"; and {len(group) - 4} more" if len(group) > 4 else ""),
            })
        rows_n = len(bars)
        height = 10 + rows_n * ROW + 34
        chart = {
            "width": width, "height": height, "axis_y": height - 30, "label_w": LABEL_W,
            "bars": bars,
            "ticks": [{"x": round(LABEL_W + x, 1), "label": lab} for x, lab in axis.ticks()],
            "breaks": [round(LABEL_W + x, 1) for x in axis.breaks()],
            "granularities": sorted({b["granularity"] for b in bars},
                                    key=lambda g: GRAN_ORDER.index(g)),
        }
    for r in rows:
        del r["interval"]
    for r in unplaced:
        del r["interval"]
    key = set(key_event_ids(entries))
    ordered = rows + unplaced
    for r in ordered:
        r["key"] = r["id"] in key
    return {"entries": ordered, "key": [r for r in ordered if r["key"]], "chart": chart}


GRAN_ORDER = ["day", "week", "month", "season", "quarter", "half", "year", "decade", "century"]


# -- quotes --------------------------------------------------------------------------------

KIND_ORDER = {"direct": 0, "partial": 1, "indirect": 2}


def quote_view(corpus: Corpus, quotes: list[dict]) -> list[dict]:
    out: list[dict[str, Any]] = []
    for q in quotes:
        occ = [corpus.cite(s) for s in q.get("occurrences") or []]
        speaker = q.get("speaker") or {}
        eid = speaker.get("entity_id")
        out.append({
            "id": q.get("id"),
            "text": q.get("text") or "",
            "kind": q.get("kind") or "",
            "cue": q.get("cue"),
            "speaker": speaker.get("name") or (corpus.entity_name(eid) if eid else None)
            or "unknown speaker",
            "speaker_id": eid if eid in corpus.entities else None,
            "occurrences": occ,
            "outlets": sorted({c["outlet"] for c in occ}),
        })
    # Key quotes first: carried by more outlets, direct before paraphrase, longer first.
    out.sort(key=lambda q: (-len(q["outlets"]), KIND_ORDER.get(q["kind"], 3), -len(q["text"])))
    return out


# -- figures -------------------------------------------------------------------------------


def _number(value) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value or "")
    if math.isfinite(v) and v == int(v):
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def figure_view(corpus: Corpus, figures: list[dict]) -> list[dict]:
    groups: dict[str | None, list[dict]] = defaultdict(list)
    for f in figures:
        groups[f.get("group_id") or f.get("id")].append(f)
    out: list[dict[str, Any]] = []
    for gid, members in groups.items():
        rows = []
        outlets: set[str] = set()
        for f in members:
            occ = [corpus.cite(s) for s in f.get("occurrences") or []]
            outlets.update(c["outlet"] for c in occ)
            shown = f.get("text") or " ".join(
                x for x in (f.get("qualifier"), _number(f.get("value")), f.get("unit")) if x)
            rows.append({
                "id": f.get("id"), "text": shown, "value": _number(f.get("value")),
                "qualifier": f.get("qualifier"), "unit": f.get("unit"), "what": f.get("what"),
                "date": f.get("date"), "agreement": f.get("agreement") or "single",
                "occurrences": occ, "outlets": sorted({c["outlet"] for c in occ}),
            })
        agreements = {r["agreement"] for r in rows}
        agreement = ("disagree" if "disagree" in agreements
                     else "agree" if "agree" in agreements else "single")
        out.append({"id": gid, "what": rows[0]["what"] or "", "unit": rows[0]["unit"] or "",
                    "date": rows[0]["date"], "agreement": agreement, "figures": rows,
                    "outlets": sorted(outlets)})
    # What more than one outlet reports comes first: that is what can be compared.
    order = {"disagree": 0, "agree": 1, "single": 2}
    out.sort(key=lambda g: (len(g["outlets"]) < 2, order.get(g["agreement"], 3), g["what"]))
    return out


def disagreement_view(corpus: Corpus, groups: list[dict], per_claim: int = 2) -> list[dict]:
    """The "Where sources disagree" panel: for each quantity outlets give incompatible values
    for, each claim in its own sentence, with its outlet and date, side by side."""
    out = []
    for g in groups:
        if g["agreement"] != "disagree":
            continue
        sides = []
        for row in g["figures"]:
            seen: set[str] = set()
            for occ in row["occurrences"]:
                if occ["outlet"] in seen or len(seen) >= per_claim:
                    continue
                seen.add(occ["outlet"])
                article = corpus.articles.get(occ["article_id"]) or {}
                before, hit, after = corpus.sentence_around(occ)
                sides.append({"figure": row["text"], "outlet": occ["outlet"],
                              "published": (article.get("published") or {}).get("value"),
                              "before": before, "hit": hit, "after": after, "cite": occ})
        out.append({"id": g["id"], "what": g["what"], "unit": g["unit"], "sides": sides})
    return out


# -- entities and their relations ----------------------------------------------------------


def entity_view(corpus: Corpus, ids: set[str], limit: int = 24) -> list[dict]:
    found: dict[str, list[dict]] = defaultdict(list)
    for aid in ids:
        for m, eid in corpus.mentions_in.get(aid, []):
            found[eid].append(m)
    out = []
    for eid, mentions in found.items():
        e = corpus.entities[eid]
        mentions.sort(key=lambda m: (m.get("article_id"), m.get("start")))
        out.append({
            "id": e["id"], "name": e.get("name") or e["id"], "type": e.get("type") or "",
            "aliases": [a for a in e.get("aliases") or [] if a != e.get("name")],
            "roles": e.get("roles") or [],
            "mentions": len(mentions),
            "articles": len({m["article_id"] for m in mentions}),
            "first": corpus.cite(mentions[0]),
        })
    out.sort(key=lambda e: (-e["articles"], -e["mentions"], e["name"]))
    return out[:limit]


def all_entities(corpus: Corpus) -> list[dict]:
    out = []
    for e in corpus.entities.values():
        mentions = e.get("mentions") or []
        out.append({
            "id": e["id"], "name": e.get("name") or e["id"], "type": e.get("type") or "",
            "aliases": [a for a in e.get("aliases") or [] if a != e.get("name")],
            "roles": e.get("roles") or [], "mentions": len(mentions),
            "articles": len({m.get("article_id") for m in mentions}),
            "first": corpus.cite(mentions[0]) if mentions else None,
            "evidence": e.get("evidence") or [],
        })
    out.sort(key=lambda e: (-e["articles"], -e["mentions"], e["name"]))
    return out


# -- coverage ------------------------------------------------------------------------------


def coverage(corpus: Corpus, article_ids: list[str], timeline: list[dict],
             figures: list[dict], quotes: list[dict]) -> dict:
    """Outlet × fact: which outlet reported which timeline entry, figure and quote. A cell
    holds the first supporting span in that outlet, so it is itself a citation."""
    outlets: list[str] = []
    for aid in article_ids:
        name = corpus.outlet(aid)
        if name not in outlets:
            outlets.append(name)
    facts: list[dict[str, Any]] = []
    for kind, items, spans_key, label in (
        ("event", timeline, "sources",
         lambda t: f"{t.get('date') or 'undated'} · {shorten(t.get('summary'), 80)}"),
        ("figure", figures, "occurrences",
         lambda f: f"{f.get('text') or _number(f.get('value'))} {f.get('what') or ''}".strip()),
        ("quote", quotes, "occurrences",
         lambda q: f"{(q.get('speaker') or {}).get('name') or 'unknown'}: "
                   f"“{shorten(q.get('text'), 70)}”"),
    ):
        for item in items:
            cells = {}
            for span in item.get(spans_key) or []:
                aid = span.get("article_id")
                canonical = corpus.articles.get(aid, {}).get("duplicate_of") or aid
                name = corpus.outlet(canonical)
                if name in outlets and name not in cells:
                    cells[name] = corpus.cite(span)
            facts.append({"kind": kind, "label": label(item),
                          "cells": [cells.get(o) for o in outlets],
                          "count": len(cells)})
    # Facts several outlets share come first: that is where coverage says the most.
    order = {"figure": 0, "event": 1, "quote": 2}
    facts.sort(key=lambda f: (-f["count"], order[f["kind"]]))
    return {"outlets": outlets, "facts": facts}


def article_view(corpus: Corpus, article: dict) -> dict:
    aid = article["id"]
    story_id = corpus.story_of.get(aid)
    story = next((s for s in corpus.stories if s["id"] == story_id), None)
    return {
        "id": aid,
        "title": article.get("title"),
        "label": corpus.label(aid),
        "outlet": corpus.outlet(aid),
        "origin": article.get("origin"),
        "url": article.get("url"),
        "author": article.get("author"),
        "dateline": article.get("dateline"),
        "published": (article.get("published") or {}).get("value"),
        "evidence": (article.get("published") or {}).get("evidence"),
        "duplicate_of": article.get("duplicate_of"),
        "duplicate_label": corpus.label(article["duplicate_of"])
        if article.get("duplicate_of") else None,
        "copies": corpus.copies.get(aid, []),
        "captured": article.get("captured"),
        # The versions of its URL, newest first (this one among them, marked).
        "versions": [{"id": v, "current": v == aid,
                      "captured": (corpus.articles.get(v) or {}).get("captured")}
                     for v in article.get("versions") or []],
        "story": {"id": story["id"], "title": story.get("title")} if story else None,
        "notes": article.get("notes") or [],
        "language": article.get("language"),
        "text": visible(article.get("text")),
        "chars": len(article.get("text") or ""),
    }


def _distinct(names: list[str]) -> list[str]:
    """Names without repeats, one spelling per outlet ("Turan" and "TURAN" are one)."""
    seen: set[str] = set()
    out = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out
