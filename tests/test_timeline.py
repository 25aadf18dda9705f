"""The timeline: one entry per event with every article that reports it, in date order."""

from __future__ import annotations

import random

import pytest

from paths import SEEDS
from storyline import nlp
from storyline.annotate.events import find_events
from storyline.model import EventMention, Timex
from storyline.resolve.timeline import build_timeline, date_key


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def timexes(text: str, pairs: list[tuple[str, str]]) -> list[Timex]:
    out = []
    for phrase, value in pairs:
        start = 0
        while (pos := text.find(phrase, start)) >= 0:
            out.append(Timex(pos, pos + len(phrase), phrase, value, "DATE"))
            start = pos + len(phrase)
    return out


@pytest.fixture(scope="module")
def seed_events():
    """Events of the three November 2022 seed articles, with hand-made timexes."""
    spec = {
        "000": ("2022-11-08", [("Tuesday", "2022-11-08"), ("Monday", "2022-11-07"),
                               ("In September", "2022-09"), ("Last month", "2022-10"),
                               ("in August", "2022-08"), ("Oct. 3", "2022-10-03"),
                               ("2020", "2020")]),
        "001": ("2022-11-08", [("on November 7", "2022-11-07"), ("November 7", "2022-11-07"),
                               ("in 2020", "2020")]),
        "003": ("2022-11-07", [("on Monday", "2022-11-07"),
                               ("in the early hours of Monday", "2022-11-07"),
                               ("late last month", "2022-10"), ("In September", "2022-09"),
                               ("in 2020", "2020"), ("the autumn of 2020", "2020-FA")]),
    }
    events = []
    for aid, (published, pairs) in spec.items():
        text = seed(aid)
        events += find_events(aid, text, nlp.parse(text), None, timexes(text, pairs), published)
    return events


STORY = {"000": "story_nk", "001": "story_nk", "003": "story_nk"}


@pytest.mark.slow
def test_washington_meeting_is_one_entry_from_three_articles(seed_events):
    entries = build_timeline(seed_events, {}, STORY)
    meeting = [e for e in entries if e.date == "2022-11-07" and e.type == "CONSULT"
               and e.location in ("Washington", "Blair House")]
    assert len(meeting) == 1
    articles = {s.article_id for s in meeting[0].sources}
    assert articles == {"000", "001", "003"}
    assert meeting[0].story_id == "story_nk"


@pytest.mark.slow
def test_seed_timeline_has_the_story_events_in_date_order(seed_events):
    entries = build_timeline(seed_events, {}, STORY)
    keys = [date_key(e.date) for e in entries]
    assert keys == sorted(keys)
    found = {(e.date, e.type, e.location) for e in entries}
    assert ("2022-10-03", "CONSULT", "Geneva") in found
    assert ("2022-08", "CONSULT", "Brussels") in found
    assert any(d == "2022-10" and loc == "Sochi" and t in ("CONSULT", "AGREE")
               for d, t, loc in found)
    assert any(d == "2022-09" and t == "ASSAULT" for d, t, _ in found)
    assert any(d in ("2020", "2020-FA") and t == "ASSAULT" for d, t, _ in found)
    shooting = [e for e in entries if e.type == "ASSAULT" and e.date == "2022-11-07"
                and "opened fire" in e.summary]
    assert len(shooting) == 1


@pytest.mark.slow
def test_september_clashes_from_two_articles_merge(seed_events):
    entries = build_timeline(seed_events, {}, STORY)
    september = [e for e in entries if e.date == "2022-09" and e.type == "ASSAULT"]
    assert len(september) == 1
    assert {s.article_id for s in september[0].sources} == {"000", "003"}


@pytest.mark.slow
def test_different_places_are_different_events(seed_events):
    entries = build_timeline(seed_events, {}, STORY)
    geneva = [e for e in entries if e.location == "Geneva"]
    assert geneva and all(e.date == "2022-10-03" for e in geneva)
    assert not any(e.location == "Sochi" for e in geneva)


@pytest.mark.slow
def test_timeline_does_not_depend_on_input_order(seed_events):
    first = build_timeline(seed_events, {}, STORY)
    shuffled = list(seed_events)
    random.Random(7).shuffle(shuffled)
    second = build_timeline(shuffled, {}, STORY)
    assert [(e.id, e.date, e.type, e.summary) for e in first] == \
        [(e.id, e.date, e.type, e.summary) for e in second]


def _two_reports():
    s1 = "Blinken met Mirzoyan in Washington on Monday."
    s2 = "Antony Blinken met Ararat Mirzoyan in Washington."
    a = EventMention("a1", 0, len(s1), "CONSULT", trigger="met", actors=["Blinken"],
                     recipients=["Mirzoyan"], location="Washington", date="2022-11-07",
                     date_text="on Monday", sentence=s1)
    b = EventMention("b2", 100, 100 + len(s2), "CONSULT", trigger="met",
                     actors=["Antony Blinken"], recipients=["Ararat Mirzoyan"],
                     location="Washington", date="2022-11-07", sentence=s2)
    entity_of = {("a1", 0, 7): "ent_blinken", ("a1", 12, 20): "ent_mirzoyan",
                 ("b2", 100, 114): "ent_blinken", ("b2", 119, 133): "ent_mirzoyan"}
    return a, b, entity_of


def test_actors_become_entity_ids_through_their_mentions():
    a, b, entity_of = _two_reports()
    (entry,) = build_timeline([a, b], entity_of, {"a1": "s", "b2": "s"})
    assert entry.actors == ["ent_blinken"]
    assert entry.recipients == ["ent_mirzoyan"]
    assert [s.article_id for s in entry.sources] == ["a1", "b2"]
    assert entry.summary == a.sentence  # dated and placed: the clearest source


def test_with_entities_a_phrase_that_names_none_is_no_actor():
    s = "The two sides met in Washington on Monday, and Blinken said the talks went well."
    ev = EventMention("a1", 0, len(s), "CONSULT", trigger="met", actors=["The two sides"],
                      recipients=["Blinken"], date="2022-11-07", date_text="on Monday",
                      sentence=s)
    (entry,) = build_timeline([ev], {("a1", 47, 54): "ent_blinken"}, {"a1": "s"})
    assert entry.actors == []
    assert entry.recipients == ["ent_blinken"]
    (plain,) = build_timeline([ev])  # without entities the phrases are all there is
    assert plain.actors == ["The two sides"]


def test_entity_lookup_may_be_a_callable():
    a, b, entity_of = _two_reports()
    (entry,) = build_timeline([a, b], lambda aid, s, e: entity_of.get((aid, s, e)),
                              {"a1": "s", "b2": "s"})
    assert entry.actors == ["ent_blinken"]


def test_events_of_different_stories_stay_apart():
    a, b, entity_of = _two_reports()
    entries = build_timeline([a, b], entity_of, {"a1": "s1", "b2": "s2"})
    assert len(entries) == 2


def test_dates_of_every_granularity_sort_and_undated_go_last():
    values = [None, "2022-11-07", "199X", "2020-FA", "2022-W44", "2020", "2022-10"]
    ordered = sorted(values, key=date_key)
    assert ordered == ["199X", "2020", "2020-FA", "2022-10", "2022-W44", "2022-11-07", None]


def test_empty_input_is_an_empty_timeline():
    assert build_timeline([], {}, {}) == []


def test_a_date_with_unknown_year_joins_the_dated_report_and_yields_to_it():
    a, b, entity_of = _two_reports()
    b.date, b.date_text = "XXXX-11-07", "November 7"
    (entry,) = build_timeline([b, a], entity_of, {"a1": "s", "b2": "s"})
    assert entry.date == "2022-11-07"


def test_a_photo_caption_is_not_the_summary_when_a_report_sentence_exists():
    a, b, entity_of = _two_reports()
    b.sentence = "Antony Blinken (center) meets Ararat Mirzoyan in Washington on Monday."
    b.date_text = "on Monday"
    (entry,) = build_timeline([a, b], entity_of, {"a1": "s", "b2": "s"})
    assert entry.summary == a.sentence


def _events_of(text: str, published: str | None) -> list[EventMention]:
    from storyline.annotate.timex import find_timexes

    doc = nlp.parse(text)
    return find_events("a", text, doc, None, find_timexes(text, published, doc), published)


@pytest.mark.slow
def test_a_past_act_the_sentence_dates_is_a_dated_fact():
    text = ("The Dow closed at 18,589.69 on November 9, 2016, after the election.\n\n"
            "Captain Shah joined Malaysia Airlines in 1981.")
    events = _events_of(text, "2018-02-06")
    dow = next(e for e in events if "18,589.69" in e.sentence)
    assert (dow.type, dow.date) == ("OTHER", "2016-11-09")
    assert next(e for e in events if "joined" in e.sentence).date == "1981"


@pytest.mark.slow
def test_background_is_never_dated_by_the_report():
    text = ("In August, police were investigating the removal company after complaints.\n\n"
            "At that time its owner denied any wrongdoing and defended the prices.\n\n"
            "The suspect had fled the country with the money.")
    events = _events_of(text, "2025-11-14")
    denied = next(e for e in events if "denied" in e.sentence)
    assert denied.date == "2025-08"  # the time the text gave before, not the report's day
    assert all(e.date != "2025-11-14" for e in events if "had fled" in e.sentence)


@pytest.mark.slow
def test_in_an_undated_report_a_day_takes_the_year_of_the_date_just_before():
    text = ("The letter was signed and dated in Jerusalem on May 29, 1962.\n\n"
            "He was hanged at about midnight on 31 May.\n\n"
            "On Oct. 19, 1987, the notorious Black Monday, the average gave up 23 percent.")
    events = _events_of(text, None)
    assert next(e for e in events if "hanged" in e.sentence).date == "1962-05-31"
    # a date given in full beats the weekday of a name ("Black Monday")
    assert next(e for e in events if "Black Monday" in e.sentence).date == "1987-10-19"


@pytest.mark.slow
def test_in_an_undated_report_a_day_restated_in_full_takes_that_year():
    text = ("Cohen initiated an arbitration proceeding against her in Los Angeles on Feb. 27.\n\n"
            "The deal was signed in October 2016, the lawsuit says.\n\n"
            "\"On or about February 27, 2018, Mr. Cohen surreptitiously initiated a bogus "
            "arbitration proceeding,\" says the suit.")
    events = _events_of(text, None)
    assert next(e for e in events if "Feb. 27" in e.sentence).date == "2018-02-27"


def test_a_day_without_its_year_takes_the_year_nearest_its_storys_reports():
    ev = EventMention(article_id="a", start=0, end=10, type="OTHER", date="XXXX-03-08",
                      sentence="The plane disappeared on March 8.")
    from storyline.resolve.timeline import with_story_year

    assert with_story_year(ev, "2014-03-28").date == "2014-03-08"
    assert with_story_year(ev, "2015-01-02").date == "2015-03-08"  # nearer than 2014-03-08
    weekday = EventMention(article_id="a", start=0, end=10, type="OTHER", date="XXXX-WXX-2")
    assert with_story_year(weekday, "2014-03-28").date == "XXXX-WXX-2"
    entries = build_timeline([ev], {}, {"a": "s"}, {"s": "2014-03-28"})
    assert entries[0].date == "2014-03-08"


@pytest.mark.slow
def test_background_facts_of_the_seeds_keep_the_time_they_are_about():
    events = []
    for aid, published in (("000", "2022-11-08"), ("001", "2022-11-08"), ("003", "2022-11-07")):
        events += _events_of(seed(aid), published)
    for words in ("The ensuing conflict claimed", "Under the 2020 deal",
                  "It claimed more than 6,500 lives"):
        found = {e.date for e in events if words in (e.sentence or "")}
        assert found and not any((d or "").startswith(("2022", "2023")) for d in found), words


@pytest.mark.slow
def test_an_act_in_a_clause_of_its_own_with_its_own_date_is_an_event_too():
    text = ("France deployed troops to patrol sensitive sites after Islamist militants killed "
            "17 people in January in attacks on the offices of a satirical weekly.")
    events = _events_of(text, "2015-04-22")
    attacks = [e for e in events if e.type == "ASSAULT"]
    assert attacks and attacks[0].date == "2015-01" and attacks[0].trigger == "killed"
    assert len({(e.type, e.date) for e in events}) == len(events)
