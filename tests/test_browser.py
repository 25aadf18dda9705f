"""Browser tests: Playwright driving Debian's Chromium against the web app and the report.

Never downloads a browser: skipped (with the reason) only when /usr/bin/chromium is missing.
Screenshots go to test-artifacts/ (git-ignored) for people and CI to look at.
"""

from __future__ import annotations

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
