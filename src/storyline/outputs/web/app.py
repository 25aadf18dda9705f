"""The local, read-only web app: stories, entities, articles with highlighted spans, search,
and a JSON API mirroring the export.

Pages are rendered on the server with the same jinja2 sections as the HTML report, from the same
export dict, so the app, the report and ``storyline export`` agree. The database is opened
read-only, one connection per request (SQLite connections are not shared across the threads
uvicorn serves requests on). Nothing is served from the file system except the app's own
``static`` folder.
"""

from __future__ import annotations

import re
import threading
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from storyline.outputs.escape import safe_url
from storyline.outputs.export import export_dict
from storyline.outputs.report import environment, views
from storyline.store import Store

WEB = resources.files("storyline.outputs.web")
REPORT = resources.files("storyline.outputs.report")

SECURITY_HEADERS = {
    # No inline script anywhere in the app: even text that escaped escaping could not run.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                               "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                               "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def cite_href(c: dict) -> str:
    aid = quote(str(c.get("article_id")), safe="")
    return f"/articles/{aid}?start={c.get('start')}&end={c.get('end')}#hl"


def _env() -> jinja2.Environment:
    env = environment(
        cite_href=cite_href,
        entity_href=lambda eid: f"/entities/{quote(str(eid), safe='')}",
        article_href=lambda aid: f"/articles/{quote(str(aid), safe='')}",
        story_href=lambda sid: f"/stories/{quote(str(sid), safe='')}",
        source_href=safe_url,
    )
    env.loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(WEB.joinpath("templates"))),
        jinja2.FileSystemLoader(str(REPORT)),
    ])
    return env


class NotFound(Exception):
    def __init__(self, what: str):
        self.what = what


class Data:
    """The export dict of one database, rebuilt only when the database file changes."""

    def __init__(self, db: Path):
        self.db = Path(db)
        self._lock = threading.Lock()
        self._key = None
        self._data: dict | None = None
        self._corpus: views.Corpus | None = None

    def _stamp(self):
        stamps = []
        for suffix in ("", "-wal"):
            p = Path(str(self.db) + suffix)
            try:
                st = p.stat()
                stamps.append((st.st_mtime_ns, st.st_size))
            except OSError:
                stamps.append(None)
        return tuple(stamps)

    def open(self) -> Store:
        return Store(self.db, readonly=True)

    def get(self) -> tuple[dict, views.Corpus]:
        with self._lock:
            key = self._stamp()
            if self._data is None or key != self._key:
                store = self.open()
                try:
                    self._data = export_dict(store)
                finally:
                    store.close()
                self._corpus = views.Corpus(self._data)
                self._key = key
            return self._data, cast("views.Corpus", self._corpus)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def segments(text: str, spans: list[dict]) -> list[dict]:
    """Cut text into flat runs, each with the set of spans covering it, so overlapping
    highlights (a mention inside a quote inside a cited span) never need nested links."""
    n = len(text)
    cuts = {0, n}
    clean = []
    for s in spans:
        start, end = s.get("start"), s.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n:
            clean.append(s)
            cuts.update((start, end))
    points = sorted(cuts)
    out = []
    for a, b in pairwise(points):
        active = [s for s in clean if s["start"] <= a and b <= s["end"]]
        seg = {"text": text[a:b], "start": a, "cite": False, "quote": None, "mention": None,
               "timex": None, "figure": None}
        for s in active:
            if s["kind"] == "cite":
                seg["cite"] = True
            elif seg.get(s["kind"]) is None:
                seg[s["kind"]] = s
        out.append(seg)
    first_cite = next((s for s in out if s["cite"]), None)
    if first_cite:
        first_cite["anchor"] = True
    return out


def _terms(q: str) -> list[str]:
    return [t for t in re.split(r"\W+", q) if t]


def _snippet(text: str, terms: list[str], width: int = 110) -> dict:
    """A window around the first hit, split into (text, hit) parts for the template."""
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\w*",
                         re.IGNORECASE) if terms else None
    m = pattern.search(text) if pattern else None
    if not m:
        return {"parts": [(views.shorten(text, 2 * width), False)], "start": None, "end": None}
    assert pattern is not None  # m is a match of pattern
    a = max(0, m.start() - width)
    b = min(len(text), m.end() + width)
    # Start and end the window on whole words.
    if a > 0:
        space = text.find(" ", a, m.start())
        a = space + 1 if space >= 0 else a
    if b < len(text):
        space = text.rfind(" ", m.end(), b)
        b = space if space >= 0 else b
    window = text[a:b]
    parts, pos = [], 0
    for hit in pattern.finditer(window):
        parts.append((window[pos:hit.start()], False))
        parts.append((hit.group(0), True))
        pos = hit.end()
    parts.append((window[pos:], False))
    parts = [(re.sub(r"\s+", " ", p), hit) for p, hit in parts]
    if a > 0:
        parts.insert(0, ("… ", False))
    if b < len(text):
        parts.append((" …", False))
    return {"parts": parts, "start": m.start(), "end": m.end()}


def create_app(db: Path, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The web app over database ``db``. With ``allowed_hosts``, a request naming any other
    host is refused (400), so that a page elsewhere cannot read the corpus through DNS
    rebinding; ``storyline serve`` always passes them."""
    data = Data(Path(db))
    env = _env()
    app = FastAPI(title="Storyline", docs_url=None, redoc_url=None, openapi_url=None)
    if allowed_hosts is not None:
        # A Host header names an IPv6 address in brackets ("[::1]:8765") and the middleware
        # compares it so: "::1" alone would refuse every request to http://[::1]:port/.
        hosts = [f"[{h}]" if ":" in h and not h.startswith("[") else h for h in allowed_hosts]
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)
    app.mount("/static", StaticFiles(directory=str(WEB.joinpath("static"))), name="static")
    report_css = REPORT.joinpath("report.css").read_text(encoding="utf-8")

    def page(name: str, status: int = 200, **context) -> HTMLResponse:
        html = env.get_template(name).render(**context)
        return HTMLResponse(views.visible_surrogates(html), status_code=status)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    def not_found(request: Request, what: str):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": f"{what} not found"}, status_code=404)
        return page("error.html", 404, title="Not found", message=f"{what} not found.")

    @app.exception_handler(NotFound)
    async def on_not_found(request: Request, exc: NotFound):
        return not_found(request, exc.what)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return not_found(request, "Page")
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code)
        return page("error.html", exc.status_code, title="Error", message=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def on_bad_request(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "bad request"}, status_code=400)
        return page("error.html", 400, title="Bad request", message="Bad request.")

    @app.exception_handler(Exception)
    async def on_error(request: Request, exc: Exception):  # never a stack trace to the client
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "internal error"}, status_code=500)
        return page("error.html", 500, title="Error",
                    message="Something went wrong reading the database.")

    @app.get("/assets/report.css", include_in_schema=False)
    def css() -> Response:
        return Response(report_css, media_type="text/css")

    # -- pages ---------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def index():
        d, corpus = data.get()
        counts = {k: len(d.get(k) or []) for k in ("articles", "stories", "entities",
                                                   "quotes", "timeline", "figures")}
        return page("index.html", overview=views.overview(corpus), counts=counts,
                    title="Stories")

    def story_or_404(corpus: views.Corpus, story_id: str) -> dict:
        story = next((s for s in corpus.stories if s["id"] == story_id), None)
        if story is None:
            raise NotFound("Story")
        return story

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def story(story_id: str):
        _, corpus = data.get()
        s = story_or_404(corpus, story_id)
        view = views.story_view(corpus, s)
        thread: list[dict[str, Any]] = next(
            (o["thread"] for o in views.overview(corpus) if o["id"] == story_id), [])
        return page("story.html", v=view, thread=thread, title=view["title"])

    @app.get("/entities", response_class=HTMLResponse)
    def entities():
        _, corpus = data.get()
        return page("entities.html", entities=views.all_entities(corpus), title="Entities")

    @app.get("/entities/{entity_id}", response_class=HTMLResponse)
    def entity(entity_id: str):
        d, corpus = data.get()
        e = corpus.entities.get(entity_id)
        if e is None:
            raise NotFound("Entity")
        return page("entity.html", title=e.get("name") or entity_id,
                    **entity_page(d, corpus, e))

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article(article_id: str, start: str | None = None, end: str | None = None):
        _, corpus = data.get()
        a = corpus.articles.get(article_id)
        if a is None:
            raise NotFound("Article")
        view = views.article_view(corpus, a)
        spans = article_spans(corpus, article_id)
        s, e = _int(start), _int(end)
        cited = None
        if s is not None and e is not None and 0 <= s < e <= view["chars"]:
            spans.append({"kind": "cite", "start": s, "end": e})
            cited = {"start": s, "end": e}
        return page("article.html", a=view, segments=segments(view["text"], spans),
                    cited=cited, title=view["label"])

    @app.get("/search", response_class=HTMLResponse)
    def search(q: str = ""):
        results = run_search(data, q)
        return page("search.html", q=q, results=results, title="Search")

    # -- JSON API ------------------------------------------------------------------------

    @app.get("/api/export")
    def api_export():
        return data.get()[0]

    @app.get("/api/stories")
    def api_stories():
        return data.get()[0]["stories"]

    @app.get("/api/stories/{story_id}")
    def api_story(story_id: str):
        _, corpus = data.get()
        s = story_or_404(corpus, story_id)
        # The same selection the story page shows.
        return {**s, **{k: corpus.by_story[k].get(story_id, [])
                        for k in ("timeline", "quotes", "figures")}}

    @app.get("/api/entities")
    def api_entities():
        return data.get()[0]["entities"]

    @app.get("/api/entities/{entity_id}")
    def api_entity(entity_id: str):
        e = data.get()[1].entities.get(entity_id)
        if e is None:
            raise NotFound("Entity")
        return e

    @app.get("/api/articles/{article_id}")
    def api_article(article_id: str):
        a = data.get()[1].articles.get(article_id)
        if a is None:
            raise NotFound("Article")
        return a

    @app.get("/api/search")
    def api_search(q: str = ""):
        return {"query": q, "results": [
            {k: r[k] for k in ("article_id", "title", "outlet", "snippet", "start", "end")}
            for r in run_search(data, q)]}

    return app


def article_spans(corpus: views.Corpus, article_id: str) -> list[dict]:
    spans = []
    for m, eid in corpus.mentions_in.get(article_id, []):
        spans.append({"kind": "mention", "start": m["start"], "end": m["end"],
                      "entity_id": eid, "name": corpus.entity_name(eid)})
    article = corpus.articles.get(article_id) or {}
    for t in article.get("timexes") or []:
        spans.append({"kind": "timex", "start": t.get("start"), "end": t.get("end"),
                      "value": t.get("value")})
    for f in corpus.figures_in.get(article_id, []):
        for o in f.get("occurrences") or []:
            if o.get("article_id") == article_id:
                spans.append({"kind": "figure", "start": o["start"], "end": o["end"],
                              "what": f"{f.get('what') or ''} · {f.get('agreement') or ''}"})
    for q in corpus.quotes_in.get(article_id, []):
        for o in q.get("occurrences") or []:
            if o.get("article_id") == article_id:
                spans.append({"kind": "quote", "start": o["start"], "end": o["end"],
                              "speaker": (q.get("speaker") or {}).get("name")})
    return spans


def entity_page(d: dict, corpus: views.Corpus, e: dict) -> dict:
    eid = e["id"]
    by_article: dict[str, list[dict]] = {}
    for m in e.get("mentions") or []:
        by_article.setdefault(m.get("article_id"), []).append(m)
    mentions = []
    for aid, ms in by_article.items():
        text = (corpus.articles.get(aid) or {}).get("text") or ""
        contexts = []
        for m in ms[:5]:
            a, b = max(0, m["start"] - 80), min(len(text), m["end"] + 80)
            contexts.append({"before": views.visible(text[a:m["start"]]).lstrip(),
                             "hit": views.visible(text[m["start"]:m["end"]]),
                             "after": views.visible(text[m["end"]:b]).rstrip(),
                             "cite": corpus.cite(m)})
        mentions.append({"article_id": aid, "title": corpus.label(aid),
                         "outlet": corpus.outlet(aid), "count": len(ms), "contexts": contexts})
    quotes = views.quote_view(corpus, [q for q in d.get("quotes") or []
                                       if (q.get("speaker") or {}).get("entity_id") == eid])
    events = [t for t in d.get("timeline") or []
              if eid in (t.get("actors") or []) or eid in (t.get("recipients") or [])]
    story_ids = {corpus.story_of.get(aid) for aid in by_article}
    stories = [{"id": s["id"], "title": s.get("title")} for s in corpus.stories
               if s["id"] in story_ids]
    return {
        "e": {"id": eid, "name": e.get("name"), "type": e.get("type"),
              "aliases": [x for x in e.get("aliases") or [] if x != e.get("name")],
              "roles": e.get("roles") or [], "evidence": e.get("evidence") or []},
        "mentions": mentions, "quotes": quotes, "stories": stories,
        "events": [{"date": t.get("date"), "type": t.get("type"), "summary": t.get("summary"),
                    "sources": [corpus.cite(s) for s in _first_per_article(t.get("sources"))]}
                   for t in events],
    }


def _first_per_article(spans) -> list[dict]:
    """One link per article: several spans in one article read as one source."""
    seen, out = set(), []
    for s in spans or []:
        if s.get("article_id") not in seen:
            seen.add(s.get("article_id"))
            out.append(s)
    return out


def run_search(data: Data, q: str) -> list[dict]:
    # NUL and other control characters are no search syntax: they are spaces.
    q = re.sub(r"[\x00-\x1f\x7f]", " ", q or "").strip()[:200]
    if not q:
        return []
    _, corpus = data.get()
    store = data.open()
    try:
        hits = store.search(q, limit=50)
    finally:
        store.close()
    terms = _terms(q)
    out = []
    for h in hits:
        a = corpus.articles.get(h["article_id"])
        if a is None:
            continue
        snip = _snippet(views.visible(a.get("text")), terms)
        out.append({
            "article_id": a["id"], "title": corpus.label(a["id"]),
            "outlet": corpus.outlet(a["id"]),
            "published": (a.get("published") or {}).get("value"),
            "duplicate_of": a.get("duplicate_of"),
            "parts": snip["parts"],
            "snippet": "".join(p for p, _ in snip["parts"]),
            "start": snip["start"], "end": snip["end"],
        })
    return out
