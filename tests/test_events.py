"""Events: PLOVER typing, actors, place and date of the sentences that report one."""

from __future__ import annotations

import json

import pytest

from paths import SEEDS
from storyline import nlp
from storyline.annotate.events import classify, find_events
from storyline.eval import events as eval_events
from storyline.model import Timex


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def timex(text: str, phrase: str, value: str, type_: str = "DATE") -> Timex:
    start = text.index(phrase)
    return Timex(start, start + len(phrase), phrase, value, type_)


def event_with(events, words: str):
    for ev in events:
        if words in (ev.sentence or ""):
            return ev
    raise AssertionError(f"no event in a sentence with {words!r}: {[e.sentence for e in events]}")


@pytest.fixture(scope="module")
def seed003():
    text = seed("003")
    doc = nlp.parse(text)
    timexes = [
        timex(text, "on Monday", "2022-11-07"),
        timex(text, "in the early hours of Monday", "2022-11-07"),
        timex(text, "late last month", "2022-10"),
        timex(text, "In September", "2022-09"),
    ]
    return text, find_events("003", text, doc, None, timexes, "2022-11-07")


@pytest.mark.slow
def test_talks_sentence_is_consult_between_the_two_countries_on_its_own_date(seed003):
    _, events = seed003
    ev = event_with(events, "held peace talks on Monday")
    assert ev.type == "CONSULT"
    assert {"Armenia", "Azerbaijan"} <= set(ev.actors)
    assert ev.date == "2022-11-07" and ev.date_text == "on Monday"


@pytest.mark.slow
def test_border_shooting_is_an_assault_by_azerbaijani_forces(seed003):
    _, events = seed003
    ev = event_with(events, "opened fire on Armenian positions")
    assert ev.type == "ASSAULT"
    assert any("Azerbaijani" in a for a in ev.actors)
    assert ev.date == "2022-11-07"
    # "the Defense Ministry in Yerevan claimed": the reporter's place is not the event's
    assert ev.location != "Yerevan"


@pytest.mark.slow
def test_sochi_summit_is_placed_and_dated_by_its_sentence(seed003):
    _, events = seed003
    ev = event_with(events, "met late last month in the Russian Black Sea port of Sochi")
    assert ev.type in ("CONSULT", "AGREE")
    assert ev.location == "Sochi"
    assert ev.date == "2022-10"


@pytest.mark.slow
def test_blinken_meeting_is_placed_at_blair_house_not_dated_by_the_2020_war(seed003):
    _, events = seed003
    ev = event_with(events, "Blinken met with Armenian Foreign Minister")
    assert ev.type == "CONSULT"
    assert ev.actors == ["Blinken"]
    assert ev.location in ("Blair House", "Washington")
    assert ev.date == "2022-11-07"  # "since a 2020 war" dates the war, not the meeting


@pytest.mark.slow
def test_event_offsets_are_the_sentence(seed003):
    text, events = seed003
    assert events
    for ev in events:
        assert text[ev.start:ev.end] == ev.sentence
        assert "\n" not in ev.sentence.strip()


@pytest.mark.slow
def test_date_of_the_report_is_not_the_date_of_the_event():
    text = seed("000")
    first = text.split("\n")[0]
    doc = nlp.parse(first)
    events = find_events("000", first, doc, None, [timex(first, "Tuesday", "2022-11-08")], None)
    ev = event_with(events, "agreed to expedite negotiation talks")
    assert ev.type == "AGREE"
    assert ev.location == "Washington"
    assert ev.date is None  # "…, the State Department said Tuesday" dates the statement


@pytest.mark.slow
def test_geneva_meeting_has_its_explicit_date_and_place():
    text = seed("000")
    doc = nlp.parse(text)
    events = find_events("000", text, doc, None, [timex(text, "Oct. 3", "2022-10-03")],
                         "2022-11-08")
    ev = event_with(events, "met on Oct. 3 in Geneva")
    assert (ev.type, ev.location, ev.date, ev.date_text) == ("CONSULT", "Geneva", "2022-10-03",
                                                             "Oct. 3")


@pytest.mark.slow
def test_statement_of_intent_to_host_talks_is_agree_dated_by_its_briefing():
    text = seed("002")
    doc = nlp.parse(text)
    events = find_events("002", text, doc, None,
                         [timex(text, "Wednesday", "2023-06-21")], "2023-06-22")
    ev = event_with(events, "We look forward to hosting another round of talks in Washington")
    assert ev.type == "AGREE"  # PLOVER codes an intention to meet as AGREE
    assert "Vedant Patel" in ev.actors
    assert ev.date == "2023-06-21"


@pytest.mark.parametrize("sentence, expected", [
    (("Iran threatened to shell Iraqi towns today in retaliation for an air raid on the "
     "southern city of Susangerd."), "THREATEN"),
    ("Syria says it will not accept any more refugees if war starts in Iraq.", "REJECT"),
    (("Serbia lifted a night curfew in Montenegro where 28 people have been killed in ethnic "
     "riots this year."), "CONCEDE"),
    ("Finland will give Tanzania a grant of 580 million shillings over the next three years.",
     "AGREE"),
    (("The PRC on Tuesday demanded that the US cancel plans to sell anti-tank weapons to "
     "Taiwan."), "REQUEST"),
    ("Israeli soldiers arrested more than 100 Palestinians on Saturday in a security sweep.",
     "COERCE"),
    ("Thousands of Iraqi Kurds demonstrated in the northern city of Kirkuk on Sunday.",
     "PROTEST"),
    ("Switzerland said today it had expelled two Russian diplomats based in Geneva for spying.",
     "SANCTION"),
    # CAMEO 116, PLOVER ACCUSE: finding guilty is a legal accusation, not a coercive act
    ("A Texas jury convicted the two day-care owners of child abuse in 1992.", "ACCUSE"),
    ("The former SS officer was snatched by Israeli agents in Buenos Aires in May 1960.",
     "ASSAULT"),
    ("Hundreds are gathering on the grounds of the Texas Capitol to oppose the voucher bill.",
     "PROTEST"),
])
@pytest.mark.slow
def test_plover_types_of_news_sentences(sentence, expected):
    label, actors, trigger = classify(sentence)
    assert label == expected, (label, trigger)
    assert actors


@pytest.mark.slow
def test_leaders_gathering_for_a_summit_is_no_rally():
    label, _, _ = classify("European leaders gathered in Brussels on Thursday for a summit "
                           "on energy prices.")
    assert label != "PROTEST"


@pytest.mark.slow
def test_passive_attack_takes_the_agent_as_actor():
    label, actors, _ = classify("A temporary camp for Congolese refugees was attacked by "
                                "Burundian militiamen armed with machetes, killing at least "
                                "156 people.")
    assert label == "ASSAULT"
    assert any("militiamen" in a or "Burundian" in a for a in actors)


@pytest.mark.slow
def test_bad_input_never_crashes():
    assert find_events("x", "", None, [], [], None) == []
    doc = nlp.parse("Hello.\n\n\n")
    assert find_events("x", "Hello.\n\n\n", doc, [], [], None) == []
    assert classify("") == (None, [], None)


@pytest.mark.slow
def test_gold_records_are_read_leniently_with_labels_mapped(tmp_path):
    data = tmp_path / "gold.txt"
    records = [
        {"id": "a", "event": "DEMAND", "text": "Greece demanded that its partners refuse.",
         "source": [{"actorText": "Greece"}]},
        {"id": "b", "event": "FIGHT", "text": "Sudanese rebels shelled Juba on Sunday.",
         "source": [{"actorText": "Sudanese rebels"}]},
    ]
    body = "[\n# a comment line\n" + ",\n".join(json.dumps(r) for r in records) + ",\n{broken\n]"
    data.write_text(body, encoding="utf-8")
    loaded = eval_events.load(data)
    assert [r["type"] for r in loaded] == ["REQUEST", "ASSAULT"]
    result = eval_events.evaluate(data)
    assert result["sentences"] == 2
    assert result["macro_f1"] == 1.0 and result["actor_accuracy"] == 1.0


def test_actor_match_is_loose_on_names_but_not_on_generic_words():
    assert eval_events.actor_match(["Tom King"], ["British Defence Secretary Tom King"])
    assert eval_events.actor_match(["Hungarian", "Romanian"], ["Hungarian"])
    assert not eval_events.actor_match(["officials"], ["Hungarian officials"])
    assert not eval_events.actor_match([], ["Iran"])


@pytest.mark.slow
def test_depths_of_a_sentence_equal_walking_each_token_to_the_root():
    from storyline import nlp
    from storyline.annotate.events.reader import _depth, _depths

    doc = nlp.parse("Azerbaijani forces shelled the village on Tuesday, killing one civilian and "
                    "wounding two, the ministry said, after talks that had been planned in "
                    "Brussels collapsed. Peace.")
    for sent in doc.sents:
        assert _depths(sent) == {t.i: _depth(t) for t in sent}
