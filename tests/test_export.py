"""The export contract: JSON validated against the published schema; JSONL and Markdown."""

import json
from html.parser import HTMLParser

import jsonschema
import pytest

from paths import SEEDS
from storyline import pipeline
from storyline.outputs import export
from storyline.store import Store


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("db") / "demo.db")
    pipeline.build([str(SEEDS)], store)
    return export.export_dict(store)


@pytest.mark.slow
def test_export_of_the_demo_corpus_validates_against_the_schema(data):
    jsonschema.validate(data, export.schema())


def test_empty_store_exports_every_section_present_and_empty():
    data = export.export_dict(Store(":memory:"))
    jsonschema.validate(data, export.schema())
    for section in ("articles", "stories", "entities", "quotes", "timeline", "figures"):
        assert data[section] == []


@pytest.mark.slow
def test_schema_rejects_an_export_missing_a_section(data):
    broken = {k: v for k, v in data.items() if k != "quotes"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, export.schema())


@pytest.mark.slow
def test_every_span_in_the_export_points_at_its_own_text(data):
    texts = {a["id"]: a["text"] for a in data["articles"]}
    for a in data["articles"]:
        for t in a["timexes"]:
            assert a["text"][t["start"]:t["end"]] == t["text"]
    for e in data["entities"]:
        for m in e["mentions"]:
            assert texts[m["article_id"]][m["start"]:m["end"]] == m["text"]
    spans = [o for q in data["quotes"] for o in q["occurrences"]]
    spans += [s for t in data["timeline"] for s in t["sources"]]
    spans += [o for f in data["figures"] for o in f["occurrences"]]
    spans += [c for s in data["stories"] for x in s["summary"] for c in x["citations"]]
    for span in spans:
        assert 0 <= span["start"] < span["end"] <= len(texts[span["article_id"]])


@pytest.mark.slow
def test_jsonl_has_one_tagged_record_per_item(data):
    lines = export.to_jsonl(data).splitlines()
    kinds = [json.loads(line)["kind"] for line in lines]
    assert kinds.count("article") == len(data["articles"]) == 5
    assert kinds.count("story") == len(data["stories"])


@pytest.mark.slow
def test_markdown_lists_every_article_title(data):
    md = export.to_markdown(data)
    assert "Azerbaijan, Armenia To Resume Talks In Washington" in md
    assert md.count("\n- ") >= 5


# -- hostile text in the Markdown export ---------------------------------------------------


class _Elements(HTMLParser):
    """The elements and attributes of rendered HTML, and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _render(md: str) -> _Elements:
    """Markdown rendered the way a careless site would: raw HTML allowed and every link
    destination accepted, so only the export's own escaping stands between article text and
    markup (markdown-it's default refusal of javascript: links would hide a missing escape)."""
    markdown_it = pytest.importorskip("markdown_it")
    renderer = markdown_it.MarkdownIt("commonmark", {"html": True}).enable(
        ["table", "strikethrough"])
    renderer.validateLink = lambda url: True
    parsed = _Elements()
    parsed.feed(renderer.render(md))
    return parsed


def _markdown_of(db, tmp_path) -> str:
    from typer.testing import CliRunner

    from storyline.cli import app

    out = tmp_path / "export.md"
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--format", "md",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_markdown_export_renders_hostile_text_as_text(hostile_db, payloads, tmp_path):
    md = _markdown_of(hostile_db, tmp_path)
    html = _render(md)
    tags = {t for t, _ in html.tags}
    # Only what the export itself writes: headings, lists, emphasis and the one safe link.
    assert tags <= {"h1", "h2", "p", "ul", "li", "em", "strong", "a"}, tags
    for tag, attrs in html.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        if tag == "a":
            assert attrs["href"].startswith("https://example.org/"), attrs
            assert '"' not in attrs["href"] and "<" not in attrs["href"]
    assert sum(1 for t, _ in html.tags if t == "a") == 1  # the https URL; javascript: is text
    text = "".join(html.text)
    for name, payload in payloads.items():
        assert payload in text, name  # shown literally, {{7*7}} included
    assert "49" not in text


def test_markdown_article_text_cannot_start_its_own_block():
    from storyline.outputs.escape import md_text

    data = export.export_dict(Store(":memory:"))
    lines = ["- nested", "1. ordered", "# heading", "> quote", "| a | b |\n|---|---|",
             "Title\n===", "[ref]: javascript:alert(1)\n[ref]", "    indented code",
             "```\nfence"]
    data["articles"] = [{"id": f"a_{i}", "origin": f"{i}.txt", "title": t, "publisher": t,
                         "duplicate_of": None, "url": None,
                         "published": {"value": None, "evidence": None}}
                        for i, t in enumerate(lines)]
    html = _render(export.to_markdown(data))
    tags = [t for t, _ in html.tags]
    # One heading for the file, one for the section, then one plain list item per article.
    assert tags.count("h1") == 1 and tags.count("h2") == 1
    assert tags.count("li") == len(lines) and tags.count("ul") == 1
    assert set(tags) <= {"h1", "h2", "ul", "li"}, tags
    assert md_text("Blinken met the U.S.-brokered truce's envoys, 286 killed") \
        == "Blinken met the U.S.-brokered truce's envoys, 286 killed"  # plain prose unchanged


@pytest.mark.parametrize("url, linked", [
    ("https://example.org/news?id=1&x=2", True),
    ("HTTP://Example.org/a", True),
    ("javascript:alert(1)", False),
    ("JaVaScRiPt:alert(1)", False),
    (" javascript:alert(1)", False),
    ("java\tscript:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False),
    ("vbscript:msgbox(1)", False),
    ("//evil.example/x", False),
    ("/relative/path", False),
    ("https://", False),
    ("http://[::1", False),
])
def test_only_http_urls_become_links(url, linked):
    from storyline.outputs.escape import md_url, safe_url

    assert (safe_url(url) is not None) is linked
    html = _render(f"- {md_url(url)}\n")
    hrefs = [a["href"] for t, a in html.tags if t == "a"]
    assert (len(hrefs) == 1) is linked, hrefs


def test_urls_are_encoded_so_they_cannot_end_an_attribute():
    from storyline.outputs.escape import safe_url

    assert safe_url('https://example.org/?x="><script>') == \
        "https://example.org/?x=%22%3E%3Cscript%3E"
