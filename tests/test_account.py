"""The end-to-end account scorer: each gold section passes and fails as its README says."""

from __future__ import annotations

import pytest

from paths import SHARED_DATA
from storyline.eval.account import score

TEXT_A = "Israel released Eichmann's plea. “I was not a responsible leader,” Eichmann wrote."
TEXT_B = "Eichmann's plea for clemency was published on Wednesday by President Reuven Rivlin."


def _export(**changes):
    data = {
        "articles": [
            {"id": "a1", "origin": "docs/c01_d1.txt", "title": None, "duplicate_of": None,
             "published": {"value": "2016-01-27", "evidence": "text"}, "text": TEXT_A},
            {"id": "a2", "origin": "docs/c01_d2.txt", "title": "Plea published",
             "duplicate_of": None, "published": {"value": None, "evidence": None},
             "text": TEXT_B},
        ],
        "stories": [{"id": "s1", "title": "Eichmann plea released", "article_ids": ["a1", "a2"],
                     "summary": [{"text": "Israel released Eichmann's plea.",
                                  "citations": [{"article_id": "a1", "start": 0, "end": 32}]}]}],
        "entities": [{"id": "e1", "name": "Adolf Eichmann", "type": "PERSON", "aliases": [],
                      "mentions": [{"article_id": "a1", "start": 16, "end": 24,
                                    "text": "Eichmann"}]}],
        "quotes": [{"id": "q1", "text": "I was not a responsible leader,", "kind": "direct",
                    "speaker": {"name": "Adolf Eichmann", "entity_id": "e1"},
                    "occurrences": [{"article_id": "a1", "start": 34, "end": 65}]}],
        "timeline": [],
        "figures": [],
    }
    data.update(changes)
    return data


GOLD = {
    "docs": {"c01_d1": {"published": ["2016-01-27"]}, "c01_d2": {"published": None,
                                                                 "title": ["Plea published"]}},
    "chrome_absent": {"c01_d1": ["Read more"]},
    "body_present": {"c01_d2": ["published on Wednesday"]},
    "stories": [["c01_d1", "c01_d2"]],
    "story_titles": [{"stems": ["c01_d1", "c01_d2"], "any_of": ["Eichmann"], "none_of": ["Photo"]}],
    "entities": {"same": [["Adolf Eichmann", "Eichmann"]], "not_entities": ["Read More"]},
    "quotes": [{"doc": "c01_d1", "text": "not a responsible leader", "speaker": "Adolf Eichmann"}],
    "no_false_disagreements": True,
}


def test_a_right_export_passes_every_check():
    metrics, checks = score(_export(), GOLD)
    assert [c.detail for c in checks if not c.passed] == []
    assert metrics["account_score"] == 1.0
    assert metrics["published"] == {"passed": 2, "total": 2, "score": 1.0}


def test_a_guessed_date_fails_where_the_text_gives_none():
    data = _export()
    data["articles"][1]["published"] = {"value": "2016-01-28", "evidence": "story"}
    metrics, _ = score(data, GOLD)
    assert metrics["published"]["passed"] == 1


def test_an_extra_article_in_the_story_and_a_caption_title_fail():
    data = _export()
    data["articles"].append({"id": "a3", "origin": "docs/w01.html", "title": None,
                             "duplicate_of": None, "published": {"value": None}, "text": "x"})
    data["stories"][0]["article_ids"].append("a3")
    data["stories"][0]["title"] = "Photo: Eichmann in court"
    metrics, _ = score(data, GOLD)
    assert metrics["stories"]["passed"] == 0
    assert metrics["story_titles"]["passed"] == 0


def test_a_pronoun_speaker_fails_the_quote_and_the_general_check():
    data = _export()
    data["quotes"][0]["speaker"] = {"name": "he", "entity_id": None}
    metrics, checks = score(data, GOLD)
    assert metrics["quotes"]["passed"] == 0
    assert any("pronouns" in c.detail and not c.passed for c in checks)


def test_a_span_that_does_not_hold_its_text_fails_the_general_checks():
    data = _export()
    data["entities"][0]["mentions"][0]["start"] = 3
    _, checks = score(data, GOLD)
    assert any("mention spans" in c.detail and not c.passed for c in checks)


@pytest.mark.slow
def test_the_dev_set_builds_and_scores_every_section():
    dev = SHARED_DATA / "account" / "dev"
    if not dev.exists():
        pytest.skip("account dev set not present")
    from storyline.eval.account import SECTIONS, evaluate

    metrics = evaluate(dev)
    assert set(SECTIONS) <= set(metrics)
    assert 0.0 < metrics["account_score"] <= 1.0
