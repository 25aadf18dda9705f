"""The read-only web app: pages, highlighted spans, search, the JSON API, and bad requests."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from storyline.outputs.web.app import create_app, segments


@pytest.fixture(scope="module")
def client(handmade_db):
    with TestClient(create_app(handmade_db)) as c:
        yield c


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


# -- pages --------------------------------------------------------------------------------


def test_index_lists_every_story(client, handmade_export):
    r = client.get("/")
    assert r.status_code == 200
    for s in handmade_export["stories"]:
        assert f'href="/stories/{s["id"]}"' in r.text
        assert s["title"].replace("'", "&#39;") in r.text


def test_story_page_has_every_section(client, handmade_export):
    story = handmade_export["stories"][0]
    r = client.get(f"/stories/{story['id']}")
    assert r.status_code == 200
    for section in ("summary", "timeline", "quotes", "figures", "entities", "coverage"):
        assert f'id="{section}-{story["id"]}"' in r.text
    c = story["summary"][0]["citations"][0]
    assert f'href="/articles/{c["article_id"]}?start={c["start"]}&amp;end={c["end"]}#hl"' \
        in r.text


def test_entity_page_shows_aliases_quotes_and_mentions(client):
    r = client.get("/entities/e_bayramov")
    assert r.status_code == 200
    assert "Ceyhun Bayramov" in r.text
    assert r.text.count("<mark>") == 4  # one mention in each of four articles
    r = client.get("/entities/e_blinken")
    assert "courageous steps" in r.text


def test_entities_page_lists_entities(client, handmade_export):
    r = client.get("/entities")
    for e in handmade_export["entities"]:
        assert f'href="/entities/{e["id"]}"' in r.text


def test_article_page_highlights_the_cited_span(client, handmade_export):
    story = handmade_export["stories"][0]
    c = story["summary"][1]["citations"][0]
    text = next(a["text"] for a in handmade_export["articles"] if a["id"] == c["article_id"])
    r = client.get(f"/articles/{c['article_id']}", params={"start": c["start"], "end": c["end"]})
    assert r.status_code == 200
    marked = re.findall(r'<mark class="cite"[^>]*>(.*?)</mark>', r.text, re.DOTALL)
    assert _text("".join(marked)) == text[c["start"]:c["end"]]
    assert 'id="hl"' in r.text


def test_article_page_text_is_the_whole_article_with_mentions_linked(client, handmade_export):
    a = next(a for a in handmade_export["articles"] if a["title"] and "Direct" in a["title"])
    r = client.get(f"/articles/{a['id']}")
    body = r.text.split('<div class="text" id="text">')[1].split("</div>")[0]
    assert _text(body) == a["text"]
    assert '<a class="mention" href="/entities/e_bayramov" title="Jeyhun Bayramov">' \
        'Ceyhun Bayramov</a>' in body
    assert '<span class="quote"' in body


def test_article_page_marks_figures_with_their_verdict(client, handmade_export):
    a = next(a for a in handmade_export["articles"] if "at least 286" in a["text"])
    r = client.get(f"/articles/{a['id']}")
    assert '<span class="figure" title="figure: killed · agree">at least 286</span>' in r.text


@pytest.mark.parametrize("query", ["start=5&end=2", "start=-1&end=4", "start=abc&end=3",
                                   "start=0&end=99999999", "start=3"])
def test_article_page_ignores_bad_offsets(client, handmade_export, query):
    aid = handmade_export["articles"][0]["id"]
    r = client.get(f"/articles/{aid}?{query}")
    assert r.status_code == 200
    assert '<mark class="cite"' not in r.text


def test_search_finds_bayramov_in_every_article_that_names_him(client, handmade_export):
    r = client.get("/search", params={"q": "Bayramov"})
    assert r.status_code == 200
    expected = {a["id"] for a in handmade_export["articles"] if "Bayramov" in a["text"]}
    found = set(re.findall(r'class="result-title" href="/articles/([^"?]+)', r.text))
    assert found == expected
    assert "<mark>Bayramov</mark>" in r.text


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "*", "Bayramov)", "NEAR(", "x" * 5000])
def test_search_survives_fts_syntax_and_long_queries(client, query):
    assert client.get("/search", params={"q": query}).status_code == 200
    assert client.get("/api/search", params={"q": query}).status_code == 200


# -- JSON API -----------------------------------------------------------------------------


def test_api_export_is_the_export(client, handmade_export):
    from jsonschema import validate

    from storyline.outputs.export import schema

    data = client.get("/api/export").json()
    assert data == handmade_export
    validate(data, schema())


def test_api_mirrors_export_sections(client, handmade_export):
    assert client.get("/api/stories").json() == handmade_export["stories"]
    assert client.get("/api/entities").json() == handmade_export["entities"]
    a = handmade_export["articles"][0]
    assert client.get(f"/api/articles/{a['id']}").json() == a
    story = client.get("/api/stories/s_washington_2022").json()
    assert story["title"] == handmade_export["stories"][0]["title"]
    assert {t["id"] for t in story["timeline"]} == {
        t["id"] for t in handmade_export["timeline"] if t["story_id"] == "s_washington_2022"}
    assert {f["group_id"] for f in story["figures"]} >= {"g_sept", "g_2020"}


def test_api_search(client):
    data = client.get("/api/search", params={"q": "Bayramov"}).json()
    assert data["query"] == "Bayramov"
    assert len(data["results"]) == 5
    for r in data["results"]:
        article = client.get(f"/api/articles/{r['article_id']}").json()
        assert article["text"][r["start"]:r["end"]].lower().startswith("bayramov")


# -- bad requests -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/stories/nope", "/entities/nope", "/articles/nope",
                                  "/no/such/page"])
def test_unknown_ids_give_a_404_page(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "text/html" in r.headers["content-type"]
    assert "not found" in r.text and "Traceback" not in r.text


@pytest.mark.parametrize("path", ["/api/stories/nope", "/api/entities/nope",
                                  "/api/articles/nope"])
def test_unknown_ids_in_the_api_give_json_404(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.json()["detail"].endswith("not found")


@pytest.mark.parametrize("path", [
    "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
    "/static/%2e%2e/%2e%2e/store.py", "/static//etc/passwd", "/static/../../../../etc/passwd",
    "/articles/..%2f..%2fstore.py", "/assets/../app.py",
])
def test_no_file_outside_the_static_folder_is_served(client, path):
    r = client.get(path)
    assert r.status_code in (400, 404)
    assert "def create_app" not in r.text and "root:" not in r.text


def test_static_and_style_are_served(client):
    assert client.get("/static/web.css").status_code == 200
    r = client.get("/assets/report.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")


def test_pages_forbid_inline_scripts(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_app_is_read_only(client):
    assert client.post("/api/export").status_code == 405
    assert client.delete("/stories/s_washington_2022").status_code == 405


def test_hostile_article_renders_escaped(tmp_path):
    from storyline.model import Article, Entity, Mention
    from storyline.store import Store

    evil = ('<script>alert(1)</script> "\u202etxt.exe" \x00 ' + "y" * 100_000
            + ' <img src=x onerror=alert(2)> Bayramov')
    store = Store(tmp_path / "evil.db")
    with store.transaction() as cur:
        store.add_article(cur, Article(id="a_evil", origin="evil.html", text=evil,
                                       title="<b>bold</b>"), None)
    start = evil.index("Bayramov")
    entity = Entity("e_b", "<i>Bayramov</i>", "PERSON",
                    mentions=[Mention("a_evil", start, start + 8, "Bayramov", "PERSON")])
    store.replace_corpus(articles=[], duplicate_groups=[], entities=[entity], quotes=[],
                         stories=[], timeline=[], figures=[], meta={})
    store.close()
    with TestClient(create_app(tmp_path / "evil.db")) as c:
        for path in ("/articles/a_evil", "/search?q=Bayramov", "/entities/e_b", "/entities",
                     f"/articles/a_evil?start={start}&end={start + 8}"):
            r = c.get(path)
            assert r.status_code == 200, path
            assert "<script>alert" not in r.text and "<img src=x" not in r.text
            assert "<b>bold</b>" not in r.text and "<i>Bayramov</i>" not in r.text
        r = c.get("/articles/a_evil")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
        assert "\u2400" in r.text  # the NUL shown as a visible symbol


def test_story_page_puts_disagreeing_sources_side_by_side(tmp_path):
    from storyline.model import Article, Figure, Span, Story
    from storyline.store import Store

    texts = {"a_one": "Police said 6,500 people were killed in the earthquake.",
             "a_two": "Officials said the earthquake killed 5,000 people."}
    store = Store(tmp_path / "toll.db")
    with store.transaction() as cur:
        for aid, text in texts.items():
            store.add_article(cur, Article(id=aid, origin=f"{aid}.txt", text=text,
                                           publisher=aid.split("_")[1].title()), None)

    def claim(aid, written, value):
        at = texts[aid].index(written)
        return Figure(f"f_{aid}", "killed", value, None, "people", None, "g", "disagree",
                      [Span(aid, at, at + len(written))], text=written)

    store.replace_corpus(articles=[], duplicate_groups=[], entities=[], quotes=[],
                         stories=[Story("s_quake", "Earthquake toll", list(texts))],
                         timeline=[], figures=[claim("a_one", "6,500", 6500),
                                               claim("a_two", "5,000", 5000)], meta={})
    store.close()
    with TestClient(create_app(tmp_path / "toll.db")) as c:
        r = c.get("/stories/s_quake")
    assert r.status_code == 200
    panel = re.search(r'<section class="block disagreements"[^>]*>(.*?)</section>', r.text,
                      re.DOTALL)[1]
    sides = re.findall(r'<blockquote class="side">(.*?)</blockquote>', panel, re.DOTALL)
    assert len(sides) == 2
    assert "Police said <strong>6,500</strong> people were killed" in sides[0] + sides[1]
    assert "One" in panel and "Two" in panel  # the outlets
    assert 'href="/articles/a_two?start=' in panel  # each side links to its source passage


# -- the real demo build ------------------------------------------------------------------


def test_demo_build_pages_load(demo_db):
    with TestClient(create_app(demo_db)) as c:
        data = c.get("/api/export").json()
        assert c.get("/").status_code == 200
        for s in data["stories"]:
            assert c.get(f"/stories/{s['id']}").status_code == 200
        for e in data["entities"][:10]:
            assert c.get(f"/entities/{e['id']}").status_code == 200
        for a in data["articles"]:
            r = c.get(f"/articles/{a['id']}")
            assert r.status_code == 200
            if a["timexes"]:
                t = a["timexes"][0]
                assert f'<span class="timex" title="date: {t["value"]}">' in r.text
        assert "Bayramov" in c.get("/search", params={"q": "Bayramov"}).text


# -- segments -----------------------------------------------------------------------------


def test_segments_flatten_overlapping_spans_without_losing_text():
    text = "Ned Price said the ministers agreed."
    spans = [{"kind": "quote", "start": 15, "end": 35},
             {"kind": "mention", "start": 0, "end": 9, "entity_id": "e"},
             {"kind": "cite", "start": 4, "end": 20},
             {"kind": "mention", "start": 50, "end": 60, "entity_id": "out of range"}]
    segs = segments(text, spans)
    assert "".join(s["text"] for s in segs) == text
    cited = "".join(s["text"] for s in segs if s["cite"])
    assert cited == text[4:20]
    assert sum(1 for s in segs if s.get("anchor")) == 1
    assert all(s["mention"] is None or s["start"] < 9 for s in segs)


@pytest.mark.parametrize("query", ["a%00b", "%00", "Bayramov%01%1f"])
def test_control_characters_in_a_search_are_spaces_not_a_server_error(client, query):
    assert client.get(f"/search?q={query}").status_code == 200
    assert client.get(f"/api/search?q={query}").status_code == 200


def test_the_served_app_answers_only_its_own_host_names(handmade_db):
    app = create_app(handmade_db, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://localhost") as own:
        assert own.get("/").status_code == 200
    with TestClient(app, base_url="http://attacker.example") as rebound:
        assert rebound.get("/api/search?q=Bayramov").status_code == 400
