"""Cited extractive summaries and the "what is new" line, on the seed articles."""

from __future__ import annotations

import pytest

from paths import MULTINEWS, SEEDS
from storyline import nlp
from storyline.eval.summary import split_sentences
from storyline.resolve.brief import summarize, what_is_new


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="module")
def rows(seeds):
    out = {}
    for article, text in seeds.items():
        out[article] = [(article, s.start_char, s.end_char, s.text) for s in nlp.parse(text).sents]
    return out


def _story(rows, *articles):
    return [r for a in articles for r in rows[a]]


def _words(summary) -> int:
    return sum(len(s.text.split()) for s in summary)


@pytest.mark.slow
def test_every_summary_sentence_is_a_source_span_that_cites_itself(seeds, rows):
    summary = summarize("talks", _story(rows, "000", "001", "003"), n_words=120)
    assert summary
    for sentence in summary:
        first = sentence.citations[0]
        assert seeds[first.article_id][first.start : first.end] == sentence.text
        for c in sentence.citations:
            assert 0 <= c.start < c.end <= len(seeds[c.article_id])


@pytest.mark.slow
def test_summary_is_about_the_asked_length(rows):
    story = _story(rows, "000", "001", "003")
    short = summarize("talks", story, n_words=60)
    long = summarize("talks", story, n_words=200)
    assert 30 <= _words(short) <= 100
    assert _words(long) > _words(short)


@pytest.mark.slow
def test_summary_skips_headlines_and_photo_captions(rows):
    summary = summarize("talks", _story(rows, "000", "001", "003"), n_words=200)
    texts = [s.text for s in summary]
    assert not any("\n" in t for t in texts)
    assert not any("(center)" in t for t in texts)


@pytest.mark.slow
def test_a_fact_several_outlets_report_cites_each_of_them(seeds, rows):
    summary = summarize("talks", _story(rows, "000", "001", "003"), n_words=200)
    cited = [s for s in summary if len({c.article_id for c in s.citations}) > 1]
    assert cited, "no summary sentence carries confirmation from a second outlet"
    for sentence in cited:
        ids = [c.article_id for c in sentence.citations]
        assert len(ids) == len(set(ids))  # one citation per confirming article


@pytest.mark.slow
def test_copies_confirm_each_other_but_not_when_from_one_outlet(rows):
    story = _story(rows, "002", "004")  # one June 2023 report, scraped twice
    summary = summarize("june", story, n_words=60)
    assert {c.article_id for c in summary[0].citations} == {"002", "004"}
    same_outlet = summarize("june", story, n_words=60, outlets={"002": "Turan", "004": "Turan"})
    assert [c.article_id for c in same_outlet[0].citations] == [summary[0].citations[0].article_id]


@pytest.mark.slow
def test_summary_is_deterministic(rows):
    story = _story(rows, "000", "001", "003")
    assert summarize("talks", story) == summarize("talks", list(story))


@pytest.mark.slow
def test_summary_never_repeats_itself(rows):
    summary = summarize("june", _story(rows, "002", "004"), n_words=200)
    texts = [s.text for s in summary]
    assert len(texts) == len(set(texts))


@pytest.mark.slow
def test_what_is_new_names_a_sentence_the_thread_had_not_told(seeds, rows):
    earlier = _story(rows, "000", "001", "003")
    new = what_is_new(_story(rows, "002", "004"), earlier)
    assert new is not None
    first = new.citations[0]
    assert seeds[first.article_id][first.start : first.end] == new.text
    assert first.article_id in ("002", "004")
    assert new.text not in " ".join(seeds[a] for a in ("000", "001", "003"))


@pytest.mark.parametrize(
    "sentences", [[], [("a", 0, 0, "")], [("a", 0, 3, "...")], [("a", 0, 2, "\n\n")]]
)
def test_empty_or_odd_input_gives_no_summary_not_an_error(sentences):
    assert summarize("s", sentences) == []


def test_one_short_article_still_gets_a_line():
    text = "Talks resume."
    summary = summarize("s", [("a", 0, len(text), text)])
    assert [s.text for s in summary] == [text]
    assert what_is_new([("a", 0, len(text), text)], [("b", 0, len(text), text)]) is None


def test_splitter_keeps_abbreviations_and_offsets():
    text = "Mr. Price said the U.S. would help. Talks end Monday.\n\nA new paragraph starts here"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Mr. Price said the U.S. would help.",
        "Talks end Monday.",
        "A new paragraph starts here",
    ]


@pytest.mark.skipif(not MULTINEWS.exists(), reason="shared Multi-News sample not present")
def test_scorer_reports_rouge_and_full_citation_support():
    from storyline.eval.summary import evaluate

    result = evaluate(MULTINEWS, limit=5)
    assert result["clusters"] == 5
    assert result["citation_support"] == 1.0
    assert 0.3 < result["rouge1"] < 0.7 and 0.05 < result["rouge2"] < result["rouge1"]


def test_a_huge_story_is_summarised_from_each_articles_lead():
    rows = []
    for article in range(300):
        for n in range(12):
            text = f"Report {article} says the bridge over river number {n} closed on the day {n}."
            rows.append((f"a{article}", 0, len(text), text))
    summary = summarize("big", rows, n_words=40)
    assert summary and all(s.citations for s in summary)
