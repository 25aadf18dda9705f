"""Outlets of plain-text reports: named in the text, else mapped by sources.toml, else the file."""

from __future__ import annotations

from storyline.clean import clean
from storyline.clean.meta import self_named_outlet
from storyline.outputs.report.views import Corpus
from storyline.read import ReadError, read_paths

REPORT = ("Washington is working to schedule the next round of Karabakh talks between Azerbaijan "
          "and Armenia 'soon', TURAN's U.S. correspondent reports. The State Department said "
          "the ministers would meet again in the coming weeks to continue the negotiations.\n")
PLAIN = ("The foreign ministers agreed to expedite their negotiations, State Department "
         "spokesman Ned Price said of Monday's talks in Washington between the two ministers.\n")


def test_a_report_that_names_its_own_outlet_is_published_by_it():
    assert self_named_outlet(REPORT) == "TURAN"
    assert self_named_outlet(PLAIN) is None


def test_sources_toml_names_the_outlet_of_files_that_name_none(tmp_path):
    (tmp_path / "bbc").mkdir()
    (tmp_path / "bbc" / "talks.txt").write_text(PLAIN, encoding="utf-8")
    (tmp_path / "turan.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "other.txt").write_text(PLAIN, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(
        '[outlets]\n"bbc/*.txt" = "BBC News"\n"turan.txt" = "Mapped Turan"\n', encoding="utf-8")
    docs = {d.origin.rsplit("/", 1)[-1]: d for d in read_paths([str(tmp_path)])}
    assert set(docs) == {"talks.txt", "turan.txt", "other.txt"}  # sources.toml is not an input
    assert clean(docs["talks.txt"]).publisher == "BBC News"
    assert clean(docs["turan.txt"]).publisher == "TURAN"  # the text's own word comes first
    assert clean(docs["other.txt"]).publisher is None


def test_a_broken_sources_toml_is_reported_and_the_files_still_read(tmp_path):
    (tmp_path / "a.txt").write_text(PLAIN, encoding="utf-8")
    (tmp_path / "sources.toml").write_text("[outlets\n", encoding="utf-8")
    items = list(read_paths([str(tmp_path)]))
    errors = [i for i in items if isinstance(i, ReadError)]
    assert len(errors) == 1 and errors[0].origin.endswith("sources.toml")
    assert len(items) == 2


def test_without_any_outlet_the_file_name_is_shown_marked_as_a_file():
    corpus = Corpus({"articles": [{"id": "a", "origin": "news/c01_d2.txt", "publisher": None}]})
    assert corpus.outlet("a") == "file c01_d2"
