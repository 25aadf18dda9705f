"""Inputs that used to be lost, misread or unbounded: each is stored, or reported, within bounds.

Real sentences from the sample corpus; the damage is what scraped archives, feeds and exports
really carry (repeated URLs, missing target URIs, deep markup, text without a byte order mark).
"""

from __future__ import annotations

import io
import json

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.annotate.amounts import parse_number
from storyline.annotate.timex import find_timexes
from storyline.clean import clean
from storyline.model import Document
from storyline.nlp import MAX_CHARS, text_limit
from storyline.read import ReadError, read_paths
from storyline.read.markup import MAX_ATTRIBUTES, MAX_DEPTH, bound_markup
from storyline.read.text import decode

BLINKEN = ("U.S. Secretary of State Antony Blinken met Armenian Foreign Minister Ararat Mirzoyan "
           "and Azerbaijani Foreign Minister Jeyhun Bayramov in Washington on Monday, the State "
           "Department said, in the first such meeting since the September clashes.")
TALKS = ("The two ministers agreed to continue work on a peace treaty, and both delegations said "
         "they would meet again before the end of the year to discuss the border commission.")


def _page(text: str) -> bytes:
    return (f"<html><head><title>Talks</title></head><body><article><p>{text}</p>"
            f"<p>{TALKS}</p></article></body></html>").encode()


def _warc(path, records) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for uri, html, date in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            uri, "response", payload=io.BytesIO(html), http_headers=http,
            warc_headers_dict={"WARC-Date": date}))
    path.write_bytes(buf.getvalue())


def _read(*paths):
    items = list(read_paths([str(p) for p in paths]))
    return ([i for i in items if isinstance(i, Document)],
            [i for i in items if isinstance(i, ReadError)])


def test_a_url_captured_twice_with_new_text_keeps_both_versions(tmp_path):
    _warc(tmp_path / "crawl.warc", [
        ("https://turan.az/a/1", _page(BLINKEN), "2022-11-07T10:00:00Z"),
        ("https://turan.az/a/1", _page(BLINKEN + " An update followed."), "2022-11-08T09:00:00Z"),
    ])
    docs, errors = _read(tmp_path / "crawl.warc")
    assert errors == []
    assert len(docs) == 2 and len({d.origin for d in docs}) == 2
    assert docs[1].origin.endswith("#https://turan.az/a/1@2022-11-08T09:00:00Z")
    assert {d.url for d in docs} == {"https://turan.az/a/1"}


def test_versions_of_one_url_are_listed_newest_first(tmp_path):
    from storyline.outputs.export import export_dict
    from storyline.store import Store

    # The archive holds the later capture first: the capture time orders them, not the file.
    _warc(tmp_path / "crawl.warc", [
        ("https://turan.az/a/1", _page(BLINKEN + " An update followed."), "2022-11-08T09:00:00Z"),
        ("https://turan.az/a/1", _page(BLINKEN), "2022-11-07T10:00:00Z"),
        ("https://turan.az/a/2", _page(TALKS), "2022-11-07T11:00:00Z"),
    ])
    docs, _ = _read(tmp_path / "crawl.warc")
    assert [d.captured for d in docs] == ["2022-11-08T09:00:00Z", "2022-11-07T10:00:00Z",
                                          "2022-11-07T11:00:00Z"]
    store = Store(tmp_path / "s.db")
    articles = [clean(d) for d in docs]
    with store.transaction() as cur:
        for article in articles:
            store.add_article(cur, article, None)
    exported = {a["id"]: a for a in export_dict(store)["articles"]}
    newer, older, other = (exported[a.id] for a in articles)
    assert newer["versions"] == older["versions"] == [newer["id"], older["id"]]
    assert "An update followed." in exported[newer["versions"][0]]["text"]
    assert other["versions"] == [] and other["captured"] == "2022-11-07T11:00:00Z"
    store.close()

    from fastapi.testclient import TestClient

    from storyline.outputs.web.app import create_app

    with TestClient(create_app(tmp_path / "s.db")) as client:
        page = client.get(f"/articles/{older['id']}").text
    listed = page[page.index("Versions of this URL"):]
    assert listed.index(newer["id"]) < listed.index("this one")
    assert "captured 2022-11-08T09:00:00Z" in listed


def test_feed_and_jsonl_copies_carry_their_capture_time(tmp_path):
    (tmp_path / "news.rss").write_text(
        "<rss><channel><title>Turan</title><item><title>T</title><link>https://turan.az/a/1"
        f"</link><description>{BLINKEN}</description><pubDate>Mon, 07 Nov 2022 12:00:00 +0400"
        "</pubDate></item></channel></rss>")
    (tmp_path / "batch.jsonl").write_text(json.dumps(
        {"text": TALKS, "url": "https://turan.az/a/2", "date_download": "2022-11-08 07:30:00"}))
    docs, errors = _read(tmp_path / "news.rss", tmp_path / "batch.jsonl")
    assert errors == []
    assert sorted(d.captured for d in docs) == ["2022-11-07T08:00:00Z", "2022-11-08T07:30:00"]


def test_a_warc_record_without_target_uri_does_not_lose_the_archive(tmp_path):
    _warc(tmp_path / "crawl.warc", [("", _page(BLINKEN), "2022-11-07T10:00:00Z"),
                                    ("https://turan.az/a/2", _page(TALKS), "2022-11-07T11:00:00Z")])
    docs, errors = _read(tmp_path / "crawl.warc")
    assert [d.url for d in docs] == ["https://turan.az/a/2"]
    assert len(errors) == 1 and "not an HTTP capture" in errors[0].reason


def test_a_warc_cut_inside_the_headers_of_a_record_is_reported(tmp_path):
    _warc(tmp_path / "full.warc", [("https://turan.az/a/1", _page(BLINKEN), "2022-11-07T10:00:00Z"),
                                   ("https://turan.az/a/2", _page(TALKS), "2022-11-07T11:00:00Z")])
    data = (tmp_path / "full.warc").read_bytes()
    second = data.index(b"WARC/1.0", 10)
    # cut before the second record's Content-Length: warcio reads what is left as a record
    cut = data.index(b"WARC-Record-ID", second) + 20
    (tmp_path / "crawl.warc").write_bytes(data[:cut])
    docs, errors = _read(tmp_path / "crawl.warc")
    assert [d.url for d in docs] == ["https://turan.az/a/1"]
    assert len(errors) == 1 and "ends inside a record's headers" in errors[0].reason


def test_feed_entries_sharing_one_link_are_both_kept(tmp_path):
    items = "".join(f"<item><title>T{i}</title><link>https://turan.az/a/1</link>"
                    f"<description>{text}</description></item>"
                    for i, text in enumerate([BLINKEN, TALKS]))
    (tmp_path / "news.rss").write_text(f"<rss><channel><title>Turan</title>{items}</channel></rss>")
    docs, errors = _read(tmp_path / "news.rss")
    assert errors == [] and len({d.origin for d in docs}) == 2


def test_a_feed_with_a_tag_of_thousands_of_attributes_is_bounded_and_read(tmp_path):
    attributes = " ".join(f'data-a{i}="v{i}"' for i in range(5_000))
    items = "".join(f"<item><title>T{i}</title><link>https://turan.az/a/{i}</link>"
                    f"<description>{text}</description></item>"
                    for i, text in enumerate([BLINKEN, TALKS]))
    (tmp_path / "news.rss").write_text(
        f"<rss><channel {attributes}><title>Turan</title>{items}</channel></rss>")
    docs, errors = _read(tmp_path / "news.rss")
    assert errors == [] and [d.body for d in docs] == [BLINKEN, TALKS]
    assert all(any("more than 64 attributes" in n for n in d.notes) for d in docs)


def test_a_page_of_more_elements_than_the_limit_is_cut_with_a_note():
    from storyline.read.markup import MAX_ELEMENTS

    html = "<html><body>" + "<p>talks</p>" * (MAX_ELEMENTS + 500) + "</body></html>"
    page, notes = bound_markup(html)
    assert page.count("<p>") == MAX_ELEMENTS - 2  # html and body are elements too
    note = f"HTML page of more than {MAX_ELEMENTS:,} elements: the first {MAX_ELEMENTS:,} were read"
    assert notes == [note]
    assert bound_markup(html, whole=True) == (html, [])  # a feed is never cut


def test_a_json_line_nested_too_deep_is_reported_and_the_next_lines_read(tmp_path):
    lines = ["[" * 100_000 + "]" * 100_000, json.dumps({"text": BLINKEN}),
             json.dumps({"text": TALKS})]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n")
    docs, errors = _read(tmp_path / "batch.jsonl")
    assert [d.body for d in docs] == [BLINKEN, TALKS]
    assert len(errors) == 1 and errors[0].origin.endswith(":1") and "deeply" in errors[0].reason


def test_utf16_without_a_byte_order_mark_is_read_as_text():
    for encoding in ("utf-16-le", "utf-16-be"):
        assert decode(BLINKEN.encode(encoding)) == BLINKEN


def test_binary_data_is_still_refused():
    from storyline.read.text import InputProblem

    with pytest.raises(InputProblem):
        decode(bytes(range(256)) * 8)


def test_chinese_and_japanese_articles_survive_cleaning():
    for text in ("亚美尼亚和阿塞拜疆外长周一在华盛顿会晤，讨论和平条约。双方表示取得了进展。\n" * 3,
                 "アルメニアとアゼルバイジャンの外相は月曜日にワシントンで会談し、平和条約について協議した。\n" * 3):
        article = clean(Document(origin="zh.txt", kind="text", body=text))
        assert article.text.startswith(text[:10])


def test_an_article_below_255_nested_elements_is_read_with_a_note():
    html = ("<html><body>" + "<div>" * 300 + f"<p>{BLINKEN}</p><p>{TALKS}</p>" + "</div>" * 300
            + "</body></html>")
    article = clean(Document(origin="deep.html", kind="html", body=html))
    assert "Blinken" in article.text
    assert any(f"below depth {MAX_DEPTH}" in note for note in article.notes)


def test_a_tag_with_fifty_thousand_attributes_keeps_the_first_sixty_four():
    attributes = " ".join(f'data-x{i}="{i}"' for i in range(50_000))
    html = f"<html><body><p {attributes}>{BLINKEN}</p></body></html>"
    bounded, notes = bound_markup(html)
    assert bounded.count("data-x") == MAX_ATTRIBUTES and BLINKEN in bounded
    assert notes and "attributes" in notes[0]


def test_ordinary_markup_is_left_exactly_as_it_was():
    html = ("<html><head><script>var s = '<div><div>';</script></head><body><div class=a>"
            f"<p>{BLINKEN}<br><img src=x.png></p><ul><li>one<li>two</ul></div></body></html>")
    assert bound_markup(html) == (html, [])


def test_the_language_steps_stop_at_a_line_break_before_the_limit():
    text = "\n".join([BLINKEN] * (MAX_CHARS // len(BLINKEN) + 50))
    cut = text_limit(text)
    assert MAX_CHARS // 2 < cut <= MAX_CHARS and text[cut] == "\n"
    assert text_limit(BLINKEN) == len(BLINKEN)


def test_one_word_lines_are_cut_by_their_tokens_not_only_their_characters():
    from storyline.nlp import MAX_TOKENS

    text = "\n".join(["talks"] * 8_000)  # 48,000 characters, 16,000 words and line breaks
    cut = text_limit(text)
    assert len(text[:cut].split()) + text[:cut].count("\n") == MAX_TOKENS
    assert text[cut - 1:cut + 1] == "\nt"  # the cut falls between two lines


def test_a_number_too_long_for_a_float_is_no_figure():
    assert parse_number("10" * 200) is None
    assert parse_number("6,500") == 6500


def test_every_time_expression_in_a_long_list_of_dates_is_found():
    # (Its time is bounded by the fuzz suite's "many dates" inputs, not by a clock here.)
    text = " ".join(["Talks resumed on Monday, March 3, 2022."] * 3000)
    found = find_timexes(text, "2022-03-07", None)
    assert len(found) >= 3000 and {t.value for t in found} == {"2022-03-03"}


@pytest.mark.slow
def test_the_same_file_in_two_folders_keeps_both_origins(tmp_path):
    from storyline.outputs.export import export_dict
    from storyline.pipeline import build
    from storyline.store import Store

    for folder in ("turan", "apa"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "talks.txt").write_text(f"{BLINKEN}\n{TALKS}\n")
    with Store(tmp_path / "s.db") as store:
        summary = build([str(tmp_path / "turan"), str(tmp_path / "apa")], store)
        articles = export_dict(store)["articles"]
    assert summary.new_articles == 2 and summary.errors == []
    assert sorted(a["origin"].split("/")[-2] for a in articles) == ["apa", "turan"]
    assert sum(a["duplicate_of"] is not None for a in articles) == 1
