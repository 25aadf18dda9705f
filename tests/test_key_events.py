"""Key events: the few timeline entries of a story a reader sees first."""

from __future__ import annotations

import copy

from storyline.outputs.report import render_export
from storyline.resolve.key_events import how_many, key_event_ids

EMPTY = {"articles": [], "duplicate_groups": [], "stories": [], "entities": [], "quotes": [],
         "timeline": [], "figures": []}


def _entry(n: int, articles: list[str], date: str | None = "2022-11-07", actors=(),
           type_: str = "CONSULT") -> dict:
    return {"id": f"tl_{n}", "date": date, "type": type_, "summary": f"Event number {n}.",
            "actors": list(actors), "recipients": [], "location": None, "story_id": "s_1",
            "sources": [{"article_id": a, "start": 0, "end": 5} for a in articles]}


def test_an_event_more_reports_carry_ranks_first():
    entries = [_entry(n, ["a_1"]) for n in range(8)]
    entries.append(_entry(8, ["a_1", "a_2", "a_3"]))
    entries.append(_entry(9, ["a_2", "a_3"]))
    ids = key_event_ids(entries)
    assert ids[:2] == ["tl_8", "tl_9"]
    assert len(ids) == 5


def test_central_participants_and_a_placed_date_break_ties():
    main = ["ent_aliyev", "ent_pashinian"]
    entries = [_entry(0, ["a_1"], actors=main), _entry(1, ["a_1"], actors=["ent_aliyev"]),
               _entry(2, ["a_1"], actors=["ent_other"]), _entry(3, ["a_1"], date=None),
               _entry(4, ["a_1"], date="XXXX-WXX-2"), _entry(5, ["a_1"], type_="OTHER",
                                                          actors=main)]
    ids = key_event_ids(entries, least=3)
    assert ids[0] == "tl_0"
    assert "tl_3" not in ids and "tl_4" not in ids


def test_a_quarter_of_the_timeline_is_key_within_bounds():
    assert [how_many(n) for n in (0, 3, 5, 20, 40, 200)] == [0, 3, 5, 5, 10, 12]


def test_the_report_shows_key_events_first_and_the_full_list_on_request():
    data = copy.deepcopy(EMPTY)
    data["articles"] = [{"id": a, "origin": f"{a}.txt", "title": None, "publisher": None,
                         "author": None, "dateline": None,
                         "published": {"value": None, "evidence": None},
                         "text": "Talks were held.", "duplicate_of": None, "timexes": []}
                        for a in ("a_1", "a_2")]
    data["stories"] = [{"id": "s_1", "title": "Talks", "article_ids": ["a_1", "a_2"],
                        "thread_id": None, "summary": []}]
    data["timeline"] = [_entry(n, ["a_1"]) for n in range(9)] + [_entry(9, ["a_1", "a_2"])]
    html = render_export(data)
    key_at, all_at = html.index("Key events"), html.index("All 10 timeline entries")
    assert key_at < all_at
    key_table = html[key_at:all_at]
    assert key_table.count("<tr class=\"key\">") == 5 and "Event number 9." in key_table
    assert html[all_at:].count("Event number") >= 10
