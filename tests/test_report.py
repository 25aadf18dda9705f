"""The self-contained HTML report: rendered from the export dict, offline, escaped, cited."""

from __future__ import annotations

import copy
import re
from datetime import date
from html import unescape
from html.parser import HTMLParser
from itertools import pairwise

import pytest

from storyline.outputs.report import render_export, render_report, views
from storyline.outputs.report.timeaxis import make_axis
from storyline.timeml import interval

EMPTY = {"articles": [], "duplicate_groups": [], "stories": [], "entities": [], "quotes": [],
         "timeline": [], "figures": []}


def _article(aid="a_1", text="Some text.", **kw):
    return {"id": aid, "origin": f"{aid}.txt", "title": kw.pop("title", None),
            "publisher": None, "author": None, "dateline": None,
            "published": {"value": None, "evidence": None}, "text": text,
            "duplicate_of": None, "timexes": [], **kw}


@pytest.fixture(scope="module")
def handmade_html(handmade_export):
    return render_export(handmade_export)


# -- self-contained and offline -------------------------------------------------------------


def test_report_fetches_nothing_from_outside(handmade_html):
    assert "<link" not in handmade_html
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:|//)""", handmade_html)
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", handmade_html)
    # Every link stays inside the file.
    for href in re.findall(r'href="([^"]*)"', handmade_html):
        assert href.startswith("#"), href


def test_only_our_own_script_may_run(handmade_html):
    scripts = re.findall(r"<script([^>]*)>", handmade_html)
    assert scripts == [' type="application/json" id="storyline-articles"', ""]
    csp = re.search(r"script-src '(sha256-[^']+)'", handmade_html)
    assert csp, "the Content-Security-Policy pins the inline script by hash"
    import base64
    import hashlib

    body = re.search(r"<script>(.*?)</script>", handmade_html, re.DOTALL)[1]
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    assert csp[1] == f"sha256-{digest}"


def test_render_report_reads_the_store_through_the_export(handmade_db, handmade_export):
    from storyline.store import Store

    store = Store(handmade_db, readonly=True)
    try:
        html = render_report(store)
    finally:
        store.close()
    for story in handmade_export["stories"]:
        assert f'id="story-{story["id"]}"' in html
    for article in handmade_export["articles"]:
        assert f'id="article-{article["id"]}"' in html


# -- citations ----------------------------------------------------------------------------


def test_every_citation_points_at_a_real_span(handmade_html, handmade_export):
    texts = {a["id"]: a["text"] for a in handmade_export["articles"]}
    links = re.findall(r'href="#cite-([^"]+)-(\d+)-(\d+)"', handmade_html)
    assert len(links) > 20
    for aid, start, end in links:
        assert aid in texts
        assert 0 <= int(start) < int(end) <= len(texts[aid])


def test_summary_sentences_link_to_the_spans_that_support_them(handmade_html, handmade_export):
    story = handmade_export["stories"][0]
    section = handmade_html.split(f'id="summary-{story["id"]}"')[1].split("</section>")[0]
    for sentence in story["summary"]:
        for c in sentence["citations"]:
            assert f'href="#cite-{c["article_id"]}-{c["start"]}-{c["end"]}"' in section


def test_citation_tooltip_shows_the_cited_words(handmade_html, handmade_export):
    corpus = views.Corpus(handmade_export)
    t = next(t for t in handmade_export["timeline"] if t["id"] == "t_1990s")
    outlet = corpus.outlet(t["sources"][0]["article_id"])
    assert f'title="{outlet}: The ensuing conflict claimed around 30,000 lives."' \
        in handmade_html


def test_each_article_text_is_in_the_report_once_and_whole(handmade_html, handmade_export):
    import html as htmllib
    import json

    blob = re.search(r'id="storyline-articles">(.*?)</script>', handmade_html, re.DOTALL)[1]
    data = json.loads(blob)
    for a in handmade_export["articles"]:
        assert "text" not in data[a["id"]]
        section = re.search(
            rf'id="article-{re.escape(a["id"])}".*?<div class="text">(.*?)</div>',
            handmade_html, re.DOTALL,
        )[1]
        assert htmllib.unescape(section) == a["text"]
        assert handmade_html.count(section) == 1


# -- sections -----------------------------------------------------------------------------


def test_empty_export_says_none_found_for_every_section():
    html = render_export(copy.deepcopy(EMPTY))
    for what in ("stories", "entities", "articles", "duplicate groups"):
        assert f"No {what} found." in html


def test_story_with_nothing_extracted_keeps_its_sections():
    data = copy.deepcopy(EMPTY)
    data["articles"] = [_article()]
    data["stories"] = [{"id": "s_1", "title": "A story", "article_ids": ["a_1"],
                        "thread_id": None, "summary": []}]
    html = render_export(data)
    for what in ("summary sentences", "timeline entries", "quotes", "figures", "entities",
                 "relations", "facts to compare across outlets"):
        assert f"No {what} found." in html


def _september_tolls_disagreeing(export: dict) -> str:
    """The report of ``export`` with the two September tolls marked as disagreeing."""
    data = copy.deepcopy(export)
    for f in data["figures"]:
        if f["group_id"] == "g_sept":
            f["agreement"] = "disagree"
    return render_export(data)


def test_disagreeing_figures_are_flagged_side_by_side(handmade_export):
    html = _september_tolls_disagreeing(handmade_export)
    group = re.search(r'<tbody class="group disagree">(.*?)</tbody>', html, re.DOTALL)[1]
    assert "at least 286" in group and "more than 280" in group
    assert '<span class="verdict disagree">disagree</span>' in group


def test_where_sources_disagree_puts_the_conflicting_sentences_side_by_side(handmade_export):
    html = _september_tolls_disagreeing(handmade_export)
    panel = re.search(r'<section class="block disagreements"[^>]*>(.*?)</section>', html,
                      re.DOTALL)[1]
    sides = re.findall(r'<blockquote class="side">(.*?)</blockquote>', panel, re.DOTALL)
    assert len(sides) == 2
    # each claim in its own sentence, the figure picked out, with the outlet that gave it
    assert any("In September, <strong>at least 286</strong> people were killed" in s
               for s in sides)
    assert any("<strong>more than 280</strong>" in s for s in sides)
    assert all('class="cite"' in s for s in sides)
    # and the panel comes before the table of figures
    assert html.index("<h3>Where sources disagree</h3>") < html.index('<table class="data figures">')


def test_no_disagreement_panel_when_sources_agree(handmade_html):
    assert 'class="block disagreements"' not in handmade_html


def test_figures_reported_by_several_outlets_come_first(handmade_export):
    corpus = views.Corpus(handmade_export)
    story = next(s for s in handmade_export["stories"] if len(s["article_ids"]) > 1)
    groups = views.story_view(corpus, story)["figures"]
    spans = [len(g["outlets"]) for g in groups]
    several = [n > 1 for n in spans]
    assert several == sorted(several, reverse=True) and several[0] and not several[-1]


def test_disagreement_panel_escapes_article_text():
    evil = "Police said <script>alert(1)</script> 6,500 people were killed."
    other = "Officials said 5,000 people were killed."
    data = copy.deepcopy(EMPTY)
    data["articles"] = [_article("a_1", evil, publisher="One"),
                        _article("a_2", other, publisher="Two")]
    data["stories"] = [{"id": "s", "title": "Toll", "article_ids": ["a_1", "a_2"],
                        "thread_id": None, "summary": []}]
    at1, at2 = evil.index("6,500"), other.index("5,000")
    data["figures"] = [
        {"id": "f1", "what": "killed", "value": 6500, "qualifier": None, "unit": "people",
         "date": None, "group_id": "g", "agreement": "disagree", "text": "6,500",
         "occurrences": [{"article_id": "a_1", "start": at1, "end": at1 + 5}]},
        {"id": "f2", "what": "killed", "value": 5000, "qualifier": None, "unit": "people",
         "date": None, "group_id": "g", "agreement": "disagree", "text": "5,000",
         "occurrences": [{"article_id": "a_2", "start": at2, "end": at2 + 5}]},
    ]
    html = render_export(data)
    panel = re.search(r'<section class="block disagreements"[^>]*>(.*?)</section>', html,
                      re.DOTALL)[1]
    assert "<script>alert" not in panel and "&lt;script&gt;" in panel
    assert "<strong>5,000</strong> people were killed." in panel


def test_figures_that_agree_are_marked_agree(handmade_html):
    group = re.findall(r'<tbody class="group (\w+)">(.*?)</tbody>', handmade_html, re.DOTALL)
    verdicts = {g: body for g, body in group}
    assert "disagree" not in verdicts
    assert any("more than 6,500" in body and "thousands" in body
               for g, body in group if g == "agree")
    assert any("about 2,000" in body for g, body in group if g == "single")


def test_key_quotes_show_speaker_cue_and_outlets(handmade_html, handmade_export):
    section = handmade_html.split('id="quotes-s_washington_2022"')[1].split("</section>")[0]
    assert "“courageous steps”" in section
    assert ">Antony Blinken</a>" in section
    assert '<span class="cue">praised</span>' in section
    corpus = views.Corpus(handmade_export)
    q = next(q for q in handmade_export["quotes"] if q["id"] == "q_courageous")
    outlets = sorted(corpus.outlet(o["article_id"]) for o in q["occurrences"])
    assert f"in {', '.join(outlets)}" in section


def test_relation_graph_draws_who_met_whom(handmade_export):
    corpus = views.Corpus(handmade_export)
    view = views.story_view(corpus, handmade_export["stories"][0])
    edges = {(e["source"], e["target"], e["label"]) for e in view["graph"]["edges"]}
    assert ("Antony Blinken", "Ararat Mirzoyan", "consult") in edges
    assert ("Antony Blinken", "Jeyhun Bayramov", "consult") in edges


def test_quote_naming_someone_links_speaker_to_them():
    text = 'Ned Price said "Blinken was clear" today.'
    data = copy.deepcopy(EMPTY)
    data["articles"] = [_article(text=text)]
    data["stories"] = [{"id": "s", "title": "t", "article_ids": ["a_1"], "summary": []}]
    data["entities"] = [
        {"id": "e_p", "name": "Ned Price", "type": "PERSON", "aliases": [], "roles": [],
         "mentions": [{"article_id": "a_1", "start": 0, "end": 9, "text": "Ned Price"}]},
        {"id": "e_b", "name": "Antony Blinken", "type": "PERSON", "aliases": [], "roles": [],
         "mentions": [{"article_id": "a_1", "start": 16, "end": 23, "text": "Blinken"}]},
    ]
    data["quotes"] = [{"id": "q", "text": "Blinken was clear", "kind": "direct",
                       "speaker": {"entity_id": "e_p", "name": "Ned Price"}, "cue": "said",
                       "occurrences": [{"article_id": "a_1", "start": 16, "end": 33}]}]
    view = views.story_view(views.Corpus(data), data["stories"][0])
    assert [(e["source"], e["target"]) for e in view["graph"]["edges"]] == \
        [("Ned Price", "Antony Blinken")]


def test_coverage_matrix_shows_which_outlet_reported_which_fact(handmade_export):
    corpus = views.Corpus(handmade_export)
    view = views.story_view(corpus, handmade_export["stories"][0])
    cov = view["coverage"]
    by_file = {a["origin"].rsplit("/", 1)[-1][:3]: corpus.outlet(a["id"])
               for a in handmade_export["articles"]}
    assert cov["outlets"] == [by_file["000"], by_file["001"], by_file["003"]]
    row = next(f for f in cov["facts"] if f["label"] == "more than 6,500 killed")
    assert [bool(c) for c in row["cells"]] == [True, False, True]
    assert row["cells"][2]["text"] == "more than 6,500"


def test_articles_section_shows_copies_dates_and_datelines(handmade_html, handmade_export):
    copy_ = next(a for a in handmade_export["articles"] if a["duplicate_of"])
    section = handmade_html.split(f'id="article-{copy_["id"]}"')[1].split("</article>")[0]
    assert "Copy of" in section and copy_["origin"] in section
    turan = next(a for a in handmade_export["articles"] if a["dateline"])
    section = handmade_html.split(f'id="article-{turan["id"]}"')[1].split("</article>")[0]
    assert "Washington D.C./22.06.23/Turan:" in section
    assert "2023-06-22" in section and "(from dateline)" in section
    assert "Alex Raufoglu" in section


def test_duplicate_groups_section_lists_each_copy(handmade_html, handmade_export):
    section = handmade_html.split('id="duplicates"')[1]
    group = handmade_export["duplicate_groups"][0]
    for member in group["members"]:
        assert f'href="#article-{member}"' in section


# -- hostile input ------------------------------------------------------------------------


def test_script_in_article_is_escaped_everywhere():
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = copy.deepcopy(EMPTY)
    data["articles"] = [_article(text=evil + " tail", title=evil)]
    data["stories"] = [{"id": "s", "title": evil, "article_ids": ["a_1"], "thread_id": None,
                        "summary": [{"text": evil, "citations": [
                            {"article_id": "a_1", "start": 0, "end": len(evil)}]}]}]
    data["quotes"] = [{"id": "q", "text": evil, "kind": "direct", "cue": evil,
                       "speaker": {"entity_id": None, "name": evil},
                       "occurrences": [{"article_id": "a_1", "start": 0, "end": 5}]}]
    html = render_export(data)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    blob = re.search(r'id="storyline-articles">(.*?)</script>', html, re.DOTALL)[1]
    assert "</script" not in blob and "\\u003cscript\\u003e" in blob


class _Markup(HTMLParser):
    """Every element and attribute of a page, and its text outside <script> and <style>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._raw = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._raw += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._raw -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._raw:
            self.text.append(data)


def test_hostile_corpus_becomes_text_never_markup(hostile_export, payloads):
    html = render_export(hostile_export)
    page = _Markup()
    page.feed(html)
    tags = [t for t, _ in page.tags]
    # Payloads in every field (titles, authors, outlets, entity names, quotes, timeline,
    # figures, summaries) and not one element of theirs: our two scripts, our two drawings.
    assert tags.count("script") == 2 and "img" not in tags and "iframe" not in tags
    assert {a.get("class") for t, a in page.tags if t == "svg"} <= {"timeline", "graph"}
    for tag, attrs in page.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            # Inside the report, or the one article URL that is http(s); never javascript:.
            assert href.startswith(("#", "https://example.org/news?")), href
    text = "".join(page.text)
    for name, payload in payloads.items():
        assert payload in text, name
    assert "{{7*7}}" in text and "${7*7}" in text and "{% raw %}" in text


def test_embedded_json_cannot_end_its_script_element():
    import json

    title = "</script><script>alert(1)</script> <!-- <script> \u2028line\u2029 & end"
    data = copy.deepcopy(EMPTY)
    data["articles"] = [_article(title=title)]
    html = render_export(data)
    blob = re.search(r'id="storyline-articles">(.*?)</script>', html, re.DOTALL)[1]
    for c in ("<", ">", "&", "\u2028", "\u2029"):
        assert c not in blob, repr(c)
    assert json.loads(blob)["a_1"]["title"] == title  # the escapes decode to the same text
    assert html.count("<script") == 2


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>",
                                 "vbscript:msgbox(1)", "//evil.example/x", "https://"])
def test_an_article_url_that_is_not_http_is_shown_not_linked(url):
    data = copy.deepcopy(EMPTY)
    data["articles"] = [_article(url=url)]
    html = render_export(data)
    assert 'class="source"' not in html
    assert not re.search(r'href="\s*(javascript|data|vbscript|//)', html, re.IGNORECASE)
    facts = re.search(r"<dt>URL</dt><dd[^>]*>(.*?)</dd>", html, re.DOTALL)[1]
    assert unescape(facts) == url


def test_an_http_article_url_links_to_the_source():
    data = copy.deepcopy(EMPTY)
    data["articles"] = [_article(url='https://example.org/news?id=1&x="><b>'),
                        _article("a_2", url="https://example.org/copy", duplicate_of="a_1")]
    html = render_export(data)
    assert ('<a class="source" href="https://example.org/news?id=1&amp;x=%22%3E%3Cb%3E" '
            'rel="noopener noreferrer nofollow">') in html
    # A copy with a URL still links to the article it copies.
    assert '<dt>Copy of</dt><dd><a href="#article-a_1">' in html


def test_huge_lines_and_odd_unicode_render_readably():
    text = ("x" * 200_000 + "\n\u202eevil\u202c \u200b zero\x00nul \x07bell "
            "\ud800 lone \U0001F600 emoji")
    data = copy.deepcopy(EMPTY)
    data["articles"] = [_article(text=text)]
    html = render_export(data)
    html.encode("utf-8")  # lone surrogates must not make the file unwritable
    body = unescape(html.split('<div class="text">')[1].split("</div>")[0])
    assert len(body) == len(text)  # one visible character for each one in the source
    assert "\u2400nul" in body and "\u2407bell" in body and "\ufffd lone" in body
    assert "\U0001F600 emoji" in body
    assert "overflow-wrap: anywhere" in html and "unicode-bidi: plaintext" in html


# -- the time axis ------------------------------------------------------------------------


@pytest.mark.parametrize("value, start, end, granularity", [
    ("2022-11-07", date(2022, 11, 7), date(2022, 11, 8), "day"),
    ("2022-11-07T14:30", date(2022, 11, 7), date(2022, 11, 8), "day"),
    ("2022-10", date(2022, 10, 1), date(2022, 11, 1), "month"),
    ("2022-12", date(2022, 12, 1), date(2023, 1, 1), "month"),
    ("2023-W24", date(2023, 6, 12), date(2023, 6, 19), "week"),
    ("2020-FA", date(2020, 9, 1), date(2020, 12, 1), "season"),
    ("2020-WI", date(2020, 12, 1), date(2021, 3, 1), "season"),
    ("2023-Q2", date(2023, 4, 1), date(2023, 7, 1), "quarter"),
    ("2023-H2", date(2023, 7, 1), date(2024, 1, 1), "half"),
    ("2020", date(2020, 1, 1), date(2021, 1, 1), "year"),
    ("199X", date(1990, 1, 1), date(2000, 1, 1), "decade"),
    ("19XX", date(1900, 1, 1), date(2000, 1, 1), "century"),
])
def test_timex_values_map_to_intervals_with_their_granularity(value, start, end, granularity):
    iv = interval(value)
    assert (iv.start, iv.end, iv.granularity) == (start, end, granularity)


@pytest.mark.parametrize("value", ["PRESENT_REF", "PAST_REF", "P6W", "", None, "2022-13",
                                   "2022-02-30", "0000", "2023-W60", "9999-12-31X", "garbage"])
def test_values_without_a_place_on_the_axis_are_left_off(value):
    assert interval(value) is None


def test_axis_keeps_order_and_cuts_long_empty_stretches():
    values = ["199X", "2020-FA", "2022-09", "2022-10", "2022-11-07"]
    ivs = [interval(v) for v in values]
    axis = make_axis(ivs, 600)
    xs = [axis.x(iv.start) for iv in ivs]
    assert xs == sorted(xs) and xs[0] >= 0 and axis.x(ivs[-1].end) <= 600
    assert len(axis.breaks()) >= 1  # the empty 2000s are cut out
    # The month of October 2022 stays wide enough to see as a bar.
    assert axis.x(ivs[3].end) - axis.x(ivs[3].start) > 20
    labels = axis.ticks()
    assert all(b[0] - a[0] >= 40 for a, b in pairwise(labels))


def test_timeline_chart_shows_granularity_and_undated_entries(handmade_export):
    data = copy.deepcopy(handmade_export)
    data["timeline"].append({"id": "t_now", "date": "PRESENT_REF", "type": "STATEMENT",
                             "summary": "Talks go on", "actors": [], "recipients": [],
                             "location": None, "story_id": "s_washington_2022", "sources": []})
    html = render_export(data)
    section = html.split('id="timeline-s_washington_2022"')[1].split("</section>")[0]
    for g in ("day", "month", "season", "decade"):
        assert f"gran-{g}" in section
    assert "<circle" in section and "<rect" in section
    assert "Talks go on" in section and "PRESENT_REF" in section


# -- the real demo build ------------------------------------------------------------------


def test_report_of_the_demo_build_shows_every_article(demo_store):
    html = render_report(demo_store)
    for a in demo_store.articles():
        assert f'id="article-{a.id}"' in html
    assert "Bayramov" in html
    assert html.count("<script>") == 1


def test_report_explains_why_name_variants_were_merged(demo_store):
    from storyline.outputs.report import render_report

    html = render_report(demo_store)
    assert "Why merged" in html
    assert "Ceyhun" in html and "Jeyhun" in html
    assert "transliteration" in html
