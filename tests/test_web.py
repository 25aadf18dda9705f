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


@pytest.mark.parametrize("query", ['"', '"""', "AND OR NOT", "AND OR", "*", "Bayramov*",
                                   "Bayramov)", "NEAR(", "NEAR(Bayramov Mirzoyan, 5)", "(",
                                   "^Bayramov", "-Bayramov", "title:Bayramov", "{x}:y",
                                   "'; DROP TABLE articles; --", "x" * 5000, "a " * 3000,
                                   '"' * 300, "\u2028\u3000", "Bayramov" * 600])
def test_search_survives_fts_syntax_and_long_queries(client, query):
    r = client.get("/search", params={"q": query})
    assert r.status_code == 200
    r = client.get("/api/search", params={"q": query})
    assert r.status_code == 200 and isinstance(r.json()["results"], list)


@pytest.mark.parametrize("query", ['"Bayramov', 'Bayramov"', '"Bayramov Mirzoyan',
                                   "(Bayramov", "Bayramov AND"])
def test_unbalanced_search_syntax_is_read_as_words(client, query):
    # Quotes, brackets and operators are no syntax to the user: the words still match.
    results = client.get("/api/search", params={"q": query}).json()["results"]
    assert results and all(r["snippet"] for r in results)


@pytest.mark.parametrize("raw", ["%FF", "%ED%A0%80", "%C0%AF", "%", "%zz", "a%00b%22"])
def test_undecodable_search_bytes_are_no_server_error(client, raw):
    # Not UTF-8, a lone surrogate's bytes, or a broken escape: read as U+FFFD, never a 500.
    for path in ("/search", "/api/search"):
        r = client.get(f"{path}?q={raw}")
        assert r.status_code in (200, 400), (path, r.status_code)


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


def _hostile_pages(export: dict, payloads: dict) -> list[str]:
    from urllib.parse import quote

    hostile = " ".join(payloads.values())
    pages = ["/", "/entities", "/search?q=" + quote(hostile)]
    pages += ["/search?q=" + quote(p) for p in payloads.values()]
    pages += [f"/stories/{s['id']}" for s in export["stories"]]
    pages += [f"/entities/{e['id']}" for e in export["entities"]]
    pages += [f"/articles/{a['id']}" for a in export["articles"]]
    c = next(s for s in export["stories"] if s["summary"])["summary"][0]["citations"][0]
    pages.append(f"/articles/{c['article_id']}?start={c['start']}&end={c['end']}")
    return pages


def test_hostile_corpus_pages_show_every_payload_as_text(hostile_db, hostile_export,
                                                         payloads):
    from html.parser import HTMLParser

    class Elements(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.tags: list[tuple[str, dict]] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

    shown: set[str] = set()
    with TestClient(create_app(hostile_db)) as c:
        for path in _hostile_pages(hostile_export, payloads):
            r = c.get(path)
            assert r.status_code == 200, path
            page = Elements()
            page.feed(r.text)
            tags = [t for t, _ in page.tags]
            assert "script" not in tags and "img" not in tags, path
            assert {a.get("class") for t, a in page.tags if t == "svg"} <= {"timeline", "graph"}
            for tag, attrs in page.tags:
                assert not [a for a in attrs if a.startswith("on")], (path, tag, attrs)
                href = attrs.get("href") or attrs.get("action") or "/"
                assert href.startswith(("/", "#", "https://example.org/news?")), (path, href)
            text = _text(r.text)
            shown |= {name for name, p in payloads.items() if p in text}
            assert "49" not in text, path  # no {{7*7}} or ${7*7} was ever evaluated
    assert shown == set(payloads)


def test_article_url_links_to_the_source_only_when_it_is_http(hostile_db, hostile_export):
    urls = {a["id"]: a["url"] for a in hostile_export["articles"]}
    with TestClient(create_app(hostile_db)) as c:
        js = c.get("/articles/a_hostile_1").text
        web = c.get("/articles/a_hostile_2").text
    assert urls["a_hostile_1"].startswith("javascript:")
    assert 'class="source"' not in js and 'href="javascript:' not in js
    assert re.search(r"<dt>URL</dt><dd[^>]*>javascript:window.__pwned=1</dd>", js)
    assert ('<a class="source" href="https://example.org/news?id=1&amp;x=%22%3E%3Cscript%3E'
            'window.__pwned=1%3C/script%3E" rel="noopener noreferrer nofollow">') in web


def test_thread_titles_on_the_index_are_cut_as_text_not_as_markup(hostile_db, payloads):
    with TestClient(create_app(hostile_db)) as c:
        r = c.get("/")
    line = re.search(r"Same thread: (.*?)</p>", r.text)[1]
    shown = unescape(line)
    # Cut after escaping, "&lt;" counted four and the cut could end inside an entity.
    assert shown.endswith("…") and len(shown) == 140
    assert shown.startswith(payloads["script"])
    assert not re.search(r"&[#\w]*…", line)


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


@pytest.mark.parametrize("host, status", [
    ("localhost:8765", 200), ("127.0.0.1:8765", 200), ("[::1]:8765", 200), ("LOCALHOST", 200),
    ("evil.example", 400), ("localhost.evil.example", 400), ("127.0.0.1.nip.io", 400),
    ("", 400), ("localhost:abc", 400), ("[::2]:8765", 400),
])
def test_host_names_the_serve_command_allows_and_no_other(handmade_db, host, status):
    # The hosts `storyline serve` passes by default: a rebound name is refused, the loopback
    # names are answered with any port, the IPv6 one written in brackets as browsers send it.
    app = create_app(handmade_db, allowed_hosts=["127.0.0.1", "::1", "localhost"])
    with TestClient(app) as c:
        assert c.get("/api/stories", headers={"host": host}).status_code == status
