"""Browser tests: Playwright driving Debian's Chromium against the web app and the report.

Never downloads a browser: skipped (with the reason) only when /usr/bin/chromium is missing.
Screenshots go to test-artifacts/ (git-ignored) for people and CI to look at.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed at /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors
    yield pg
    context.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """uvicorn serving the app in a thread on a free localhost port."""

    def __init__(self, db: Path):
        import uvicorn

        from storyline.outputs.web.app import create_app

        self.port = _free_port()
        config = uvicorn.Config(create_app(db), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            time.sleep(0.05)
        raise RuntimeError("uvicorn did not start")

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module", params=["handmade", "demo"])
def served(request):
    """The app on the hand-made corpus (every section filled) and on the real demo build."""
    db = request.getfixturevalue(f"{request.param}_db")
    from storyline.outputs.export import export_dict
    from storyline.store import Store

    store = Store(db, readonly=True)
    data = export_dict(store)
    store.close()
    with Server(db) as server:
        yield request.param, server, data


@pytest.fixture(scope="module")
def report_file(tmp_path_factory, handmade_db):
    from storyline.outputs.report import render_report
    from storyline.store import Store

    store = Store(handmade_db, readonly=True)
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_report(store), encoding="utf-8")
    store.close()
    return path


def _shot(pg, name: str, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    pg.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 0
    return path


def _cited_text(data: dict, span: dict) -> str:
    text = next(a["text"] for a in data["articles"] if a["id"] == span["article_id"])
    return text[span["start"]:span["end"]]


@pytest.mark.slow
def test_app_pages_load_and_search_finds_bayramov(served, page):
    name, server, data = served
    page.goto(server.url + "/")
    assert page.locator("h1").first.inner_text() == "Stories"
    _shot(page, f"app-{name}-stories.png")
    page.fill("header input[name=q]", "Bayramov")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Bayramov")
    results = page.locator("ol.results li")
    assert results.count() >= 1
    assert "bayramov" in page.locator("ol.results mark").first.inner_text().lower()
    _shot(page, f"app-{name}-search.png")
    if data["stories"]:
        page.goto(server.url + "/stories/" + data["stories"][0]["id"])
        assert page.locator("h1").inner_text() == data["stories"][0]["title"]
        _shot(page, f"app-{name}-story.png", full_page=True)
    page.goto(server.url + "/entities")
    assert page.locator("h1").inner_text() == "Entities"
    assert not page.errors


@pytest.mark.slow
def test_app_citation_click_highlights_the_cited_text(served, page):
    name, server, data = served
    story = next((s for s in data["stories"] if s["summary"]), None)
    if story is None:
        pytest.skip(f"{name}: no story with a summary yet")
    citation = story["summary"][0]["citations"][0]
    page.goto(server.url + "/stories/" + story["id"])
    page.locator(f"#summary-{story['id']} a.cite").first.click()
    page.wait_for_url("**/articles/**")
    mark = page.locator("mark#hl")
    assert mark.is_visible()
    # The first highlighted run begins the span; together the runs are exactly the span.
    assert "".join(page.locator("mark.cite").all_inner_texts()) == _cited_text(data, citation)
    _shot(page, f"app-{name}-article.png")


@pytest.mark.slow
def test_app_unknown_story_shows_a_404_page(served, page):
    _, server, _ = served
    response = page.goto(server.url + "/stories/no-such-story")
    assert response.status == 404
    assert "not found" in page.locator("h1").inner_text().lower()


def test_report_citation_click_opens_the_source_with_the_span_marked(report_file, page,
                                                                     handmade_export):
    page.goto(report_file.as_uri())
    assert page.locator("h1").first.inner_text() == "Storyline report"
    story = handmade_export["stories"][0]
    citation = story["summary"][1]["citations"][0]
    page.locator(f"#summary-{story['id']} a.cite").nth(1).click()
    mark = page.locator("#viewer mark")
    mark.wait_for()
    assert mark.inner_text() == _cited_text(handmade_export, citation)
    assert page.locator("#viewer").is_visible()
    _shot(page, "report-citation.png")
    assert not page.errors


def test_report_on_the_demo_build_loads_offline(demo_store, page, tmp_path):
    from storyline.outputs.report import render_report

    path = tmp_path / "demo-report.html"
    path.write_text(render_report(demo_store), encoding="utf-8")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    assert page.locator("#articles article.doc").count() == len(demo_store.articles())
    assert all(u.startswith("file:") for u in requests), requests
    _shot(page, "report-demo.png")
    story = next((s for s in demo_store.stories() if s.summary), None)
    if story is not None:
        span = story.summary[0].citations[0]
        page.locator(f"#summary-{story.id} a.cite").first.click()
        cited = demo_store.article(span.article_id).text[span.start:span.end]
        assert page.locator("#viewer mark").inner_text() == cited
    assert not page.errors


def test_report_highlight_counts_code_points_not_utf16_units(tmp_path, page):
    from storyline.outputs.report import render_export

    text = "\U0001F600\U0001F1E6\U0001F1F2 ok 𝔘𝔫𝔦 — Bayramov said talks 😀 went well."
    start = text.index("Bayramov")
    data = {"articles": [{"id": "a_1", "origin": "x.txt", "title": "T", "publisher": None,
                          "author": None, "dateline": None,
                          "published": {"value": None, "evidence": None}, "text": text,
                          "duplicate_of": None, "timexes": []}],
            "duplicate_groups": [], "entities": [], "quotes": [], "timeline": [],
            "figures": [],
            "stories": [{"id": "s", "title": "S", "article_ids": ["a_1"], "summary": [
                {"text": text[start:start + 29],
                 "citations": [{"article_id": "a_1", "start": start, "end": start + 29}]}]}]}
    path = tmp_path / "unicode.html"
    path.write_text(render_export(data), encoding="utf-8")
    page.goto(path.as_uri())
    page.locator("#summary-s a.cite").first.click()
    # 29 code points from "Bayramov" (Python's offsets), across the emoji: UTF-16 indexing
    # would be shifted by the five astral characters before it and cut the emoji in two.
    assert page.locator("#viewer mark").inner_text() == "Bayramov said talks 😀 went we"


def test_script_in_an_article_never_runs(tmp_path, page, handmade_export):
    import copy

    from storyline.outputs.report import render_export

    data = copy.deepcopy(handmade_export)
    hostile = "<script>window.pwned = 1</script><img src=x onerror='window.pwned = 2'>"
    data["articles"][0]["text"] = hostile + data["articles"][0]["text"]
    data["articles"][0]["title"] = hostile
    path = tmp_path / "hostile.html"
    path.write_text(render_export(data), encoding="utf-8")
    page.goto(path.as_uri())
    assert page.evaluate("window.pwned") is None
    assert hostile in page.locator(f"#article-{data['articles'][0]['id']} h3").inner_text()


# -- hostile content: nothing an article carries may run --------------------------------------

# Every way an injected payload could show up in the DOM: an event-handler attribute, a
# javascript:/data:/vbscript: link or source, or an element that loads or runs something.
# Finding none proves the text stayed text, whatever the Content-Security-Policy would stop.
_SINKS = r"""() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) bad.push(`${el.tagName} ${name}`);
      if (["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"].includes(name)
          && /^[\s\u0000-\u001f]*(javascript|data|vbscript):/i.test(attr.value))
        bad.push(`${el.tagName} ${name}=${attr.value}`);
    }
  }
  for (const el of document.querySelectorAll(
      "img, iframe, object, embed, base, frame, meta[http-equiv=refresh]"))
    bad.push(el.tagName);
  for (const el of document.querySelectorAll("svg:not(.timeline):not(.graph)"))
    bad.push("svg " + el.outerHTML.slice(0, 60));
  return bad;
}"""


def _watch(pg) -> None:
    """Record dialogs (alert, confirm, prompt) and CSP refusals: a refusal means a payload
    became a script or an element and only the policy stopped it, which is a failure too."""
    pg.set_default_timeout(5000)
    pg.dialogs = []
    pg.refused = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: pg.refused.append(m.text)
          if "Content Security Policy" in m.text else None)


def _assert_nothing_ran(pg, where: str) -> None:
    assert pg.evaluate("typeof window.__pwned") == "undefined", where
    assert pg.dialogs == [], where
    assert pg.evaluate(_SINKS) == [], where
    assert pg.refused == [], where
    assert not pg.errors, (where, pg.errors)
    body = pg.inner_text("body")
    # No {{7*7}} or ${7*7} was evaluated anywhere (and the literal payload is shown instead).
    assert not re.search(r"(?<!\d)49(?!\d)", body), where


def _hostile(payloads: dict) -> str:
    return " ".join(payloads.values())


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory, hostile_db):
    from storyline.outputs.report import render_report
    from storyline.store import Store

    with Store(hostile_db, readonly=True) as store:
        html = render_report(store)
    folder = tmp_path_factory.mktemp("hostile-report")
    shipped = folder / "shipped.html"
    shipped.write_text(html, encoding="utf-8")
    # The same file without its Content-Security-Policy: escaping alone must hold.
    stripped = folder / "stripped.html"
    stripped.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html),
                        encoding="utf-8")
    assert "Content-Security-Policy" not in stripped.read_text(encoding="utf-8")
    return {"shipped": shipped, "stripped": stripped}


@pytest.mark.parametrize("csp", ["shipped", "stripped"])
def test_report_runs_no_payload_from_any_field(hostile_report, hostile_export, payloads, page,
                                               csp):
    _watch(page)
    uri = hostile_report[csp].as_uri()
    hostile = _hostile(payloads)
    page.goto(uri)
    scripts = page.evaluate("Array.from(document.scripts, s => s.id || s.type || 'inline')")
    assert scripts == ["storyline-articles", "inline"]  # our data and our viewer, nothing else
    story = next(s for s in hostile_export["stories"] if s["summary"])
    assert page.inner_text(f"#story-{story['id']} h2") == hostile
    assert page.inner_text("#article-a_hostile_1 h3") == hostile
    facts = page.inner_text("#article-a_hostile_1 dl.facts")
    for field in ("Daily " + hostile, "WASHINGTON " + payloads["svg"], payloads["js"]):
        assert field in facts
    # The javascript: URL is text; the https one is a link, its quotes percent-encoded.
    assert page.locator("#article-a_hostile_1 a.source").count() == 0
    href = page.get_attribute("#article-a_hostile_2 a.source", "href")
    assert href.startswith("https://example.org/news?") and '"' not in href
    assert "{{7*7}} {% raw %} ${7*7}" in page.inner_text("footer")  # the build stamp
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    text = page.inner_text("#article-a_hostile_1 .text")
    for name in ("script", "img", "svg", "quote", "js", "close", "template", "markdown"):
        assert payloads[name] in text, name
    _assert_nothing_ran(page, "loaded")

    # Every citation opens the viewer on its (hostile) article, as text.
    cites = page.locator("a.cite")
    assert cites.count() >= 10
    for i in range(cites.count()):
        link = cites.nth(i)
        if not link.is_visible():
            continue
        link.click()
        assert page.locator("#viewer").is_visible()
        assert page.inner_text("#viewer-title") in (hostile, "Baku " + payloads["template"])
        page.keyboard.press("Escape")
    first = story["summary"][0]["citations"][0]
    page.locator(f"#summary-{story['id']} a.cite").first.click()
    assert page.inner_text("#viewer mark") == _cited_text(hostile_export, first)
    assert payloads["script"] in page.inner_text("#viewer mark")
    _shot(page, f"report-hostile-{csp}.png")
    _assert_nothing_ran(page, "after clicking every citation")

    # Hand-made fragments: not a citation, an undecodable one, one naming a built-in.
    for fragment in ("#cite-%E0-1-2", "#cite-__proto__-0-1", "#cite-constructor-0-1",
                     '#"><img src=x onerror=window.__pwned=1>', "#javascript:window.__pwned=1"):
        page.goto(uri + fragment)
        _assert_nothing_ran(page, fragment)


@pytest.fixture(scope="module")
def hostile_server(hostile_db):
    with Server(hostile_db) as server:
        yield server


def _strip_csp(route) -> None:
    response = route.fetch()
    headers = {k: v for k, v in response.headers.items()
               if k.lower() != "content-security-policy"}
    route.fulfill(response=response, headers=headers)


def _crawl(pg, base: str, start: list[str], limit: int = 60) -> list[str]:
    """Every page of the app reachable from ``start`` by its links, each checked on load."""
    seen, queue = set(), list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = pg.goto(url)
        assert response.status < 500, url
        _assert_nothing_ran(pg, url)
        for href in pg.evaluate("Array.from(document.links, a => a.href.split('#')[0])"):
            path = href[len(base):]
            if href.startswith(base) and not path.startswith(("/api/", "/static/", "/assets/")):
                queue.append(href)
    return sorted(seen)


@pytest.mark.parametrize("csp", ["shipped", "stripped"])
def test_app_runs_no_payload_on_any_page(hostile_server, hostile_export, payloads, browser,
                                         csp):
    from urllib.parse import quote

    hostile = _hostile(payloads)
    base = hostile_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if csp == "stripped":
        context.route("**/*", _strip_csp)
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    _watch(pg)
    try:
        searches = [f"{base}/search?q={quote(p, safe='')}" for p in [hostile, *payloads.values()]]
        wrong = [f"{base}/stories/{quote(payloads['svg'], safe='')}",
                 f"{base}/articles/{quote(payloads['script'], safe='')}"]
        # The JSON API carries the payloads too: served as JSON, a browser shows it as text.
        api = [f"{base}/api/articles/a_hostile_1",
               f"{base}/api/search?q={quote(payloads['script'], safe='')}"]
        visited = _crawl(pg, base, [base + "/", *searches, *wrong, *api])
        # Index, stories, every entity and article (plain and with a cited span), searches.
        for path in ("/stories/s_hostile", "/entities/e_bayramov", "/entities/e_mirzoyan",
                     "/articles/a_hostile_1", "/articles/a_hostile_2"):
            assert base + path in visited, path
        assert any("/articles/a_hostile_1?start=" in u for u in visited)

        pg.goto(base + "/stories/s_hostile")
        assert pg.inner_text("h1") == hostile
        assert payloads["template"] in pg.inner_text("#summary-s_hostile")
        pg.locator("#summary-s_hostile a.cite").first.click()
        pg.wait_for_url("**/articles/**")
        story = next(s for s in hostile_export["stories"] if s["id"] == "s_hostile")
        assert "".join(pg.locator("mark.cite").all_inner_texts()) == \
            _cited_text(hostile_export, story["summary"][0]["citations"][0])
        assert pg.inner_text("h1") == hostile
        assert pg.locator("a.source").count() == 0  # javascript: URL: shown, not linked
        assert payloads["js"] in pg.inner_text("dl.facts")
        _assert_nothing_ran(pg, "cited article")

        pg.go_back()
        pg.locator("#quotes-s_hostile a.speaker").first.click()
        pg.wait_for_url("**/entities/e_bayramov")
        assert pg.inner_text("h1").startswith(payloads["svg"] + " Bayramov")
        pg.locator("p.kwic a").first.click()
        pg.wait_for_url("**/articles/**")
        _assert_nothing_ran(pg, "entity mention")

        # The search box takes the payload back as its value, and results show it as text.
        pg.goto(base + "/")
        pg.fill("header input[name=q]", payloads["script"])
        pg.press("header input[name=q]", "Enter")
        pg.wait_for_url("**/search?q=**")
        assert pg.input_value("form.searchform input[name=q]") == payloads["script"]
        assert pg.locator("ol.results li").count() == 1
        assert pg.inner_text("ol.results a.result-title") == hostile
        assert f"match “{payloads['script']}”" in pg.inner_text("main")
        _shot(pg, f"app-hostile-search-{csp}.png")
        _assert_nothing_ran(pg, "search")
    finally:
        context.close()
