"""Readers: every input kind becomes Documents; every bad input becomes one ReadError and the
rest is still read. Fixtures are built by tests/fixtures/read/make_fixtures.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import SEEDS
from storyline.model import Document
from storyline.read import ReadError, read_paths
from storyline.read.html import html_to_text

FIXTURES = Path(__file__).parent / "fixtures" / "read"


def read(*paths: Path | str) -> tuple[list[Document], list[ReadError]]:
    items = list(read_paths([str(p) for p in paths]))
    return [i for i in items if isinstance(i, Document)], [
        i for i in items if isinstance(i, ReadError)
    ]


def test_seed_directory_reads_five_text_documents_with_source_path():
    docs, errors = read(SEEDS)
    assert errors == []
    assert len(docs) == 5
    assert all(d.kind == "text" and d.source_path == d.origin for d in docs)
    assert docs[2].body.startswith("Azerbaijan, Armenia To Resume Talks")


def test_glob_and_duplicate_paths_read_each_file_once():
    docs, _ = read(SEEDS / "00*.txt", SEEDS / "002_c08599c7abed9fc1.txt")
    assert len(docs) == 5


@pytest.mark.parametrize(
    "name, words",
    [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("no_article.html", "no visible text"),
        ("does-not-exist.txt", "no such file"),
    ],
)
def test_bad_input_gives_one_clear_error(name, words):
    docs, errors = read(FIXTURES / name)
    assert docs == []
    assert len(errors) == 1
    assert errors[0].origin.endswith(name)
    assert words in errors[0].reason


def test_bad_inputs_do_not_stop_the_good_ones():
    docs, errors = read(
        FIXTURES / "empty.txt", SEEDS / "000_da3f4c62721a313c.txt", FIXTURES / "binary.txt"
    )
    assert [Path(d.origin).name for d in docs] == ["000_da3f4c62721a313c.txt"]
    assert len(errors) == 2


def test_latin1_file_is_decoded_not_garbled():
    docs, errors = read(FIXTURES / "latin1.txt")
    assert errors == []
    assert "déclaré à Genève" in docs[0].body


def test_jsonl_bad_line_is_named_by_file_and_line_and_other_lines_still_read():
    docs, errors = read(FIXTURES / "articles.jsonl")
    assert [d.kind for d in docs] == ["text", "html"]
    first = docs[0]
    assert (first.title, first.url, first.date, first.publisher) == (
        "Azerbaijan, Armenia To Resume Talks In Washington 'Soon', State Department Says",
        "https://turan.az/a/1",
        "2023-06-22",
        "Turan",
    )
    assert [e.origin.rsplit(":", 1)[1] for e in errors] == ["2", "4"]
    assert "not valid JSON" in errors[0].reason


def test_truncated_gzip_jsonl_keeps_complete_lines_then_reports():
    docs, errors = read(FIXTURES / "truncated.jsonl.gz")
    assert len(docs) >= 1
    assert len(errors) == 1 and "truncated" in errors[0].reason


def test_warc_html_records_become_documents_named_by_target_uri():
    docs, errors = read(FIXTURES / "pages.warc.gz")
    assert errors == []  # the image record is skipped silently: it is not an article
    assert [d.origin.split("#", 1)[1] for d in docs] == [
        "https://turan.az/a/1",
        "https://turan.az/a/2",
    ]
    assert all(d.kind == "html" and d.source_path.endswith("pages.warc.gz") for d in docs)


def test_truncated_warc_yields_records_read_so_far_then_an_error():
    docs, errors = read(FIXTURES / "truncated.warc.gz")
    assert [d.url for d in docs] == ["https://turan.az/a/1"]
    assert len(errors) == 1 and "truncated" in errors[0].reason


def test_feed_entries_become_text_documents_with_metadata():
    docs, errors = read(FIXTURES / "feed.rss")
    assert errors == []
    (doc,) = docs
    assert doc.kind == "text" and doc.publisher == "Turan" and doc.date == "2023-06-22"
    assert doc.body.startswith("Washington is working to schedule")
    assert "<p>" not in doc.body


def test_html_to_text_puts_block_elements_on_their_own_lines_and_drops_scripts():
    html = (
        "<html><head><title>T</title><script>var x;</script></head><body><ul><li>Home</li><li>News</li></ul>"
        "<p>First <b>bold</b> paragraph.</p><p>Second.</p></body></html>"
    )
    assert html_to_text(html).split("\n") == ["Home", "News", "First bold paragraph.", "Second."]


def test_unsupported_extension_is_reported(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK\x03\x04")
    docs, errors = read(path)
    assert docs == [] and "unsupported file type" in errors[0].reason


def test_a_jsonl_file_of_only_blank_lines_is_reported_not_lost(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_text("\n   \n\t\n", encoding="utf-8")
    (error,) = list(read_paths([str(path)]))
    assert isinstance(error, ReadError)
    assert error.origin == str(path)
    assert "only blank lines" in error.reason
