"""Publication dates: datelines, duplicates and the story's calendar; never a sidebar date."""

import datetime as dt

from paths import SEEDS
from storyline.annotate.timex import find_timexes
from storyline.resolve.pubdates import infer_publication_dates, parse_dateline_date

TODAY = dt.date(2026, 11, 23)


def story(published: dict[str, str] | None = None) -> list[dict]:
    published = published or {}
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        aid = path.name[:3]
        out.append({"article_id": aid, "text": text, "published": published.get(aid),
                    "timexes": find_timexes(text, None)})
    return out


def test_seed_story_dates_every_bare_article():
    got = infer_publication_dates(story(), today=TODAY)
    assert got["002"].value == "2023-06-22" and got["002"].evidence == "dateline"
    assert got["004"].value == "2023-06-22" and got["004"].evidence == "duplicate"
    assert got["003"].value == "2022-11-07" and got["003"].evidence == "story"
    assert got["000"].value == "2022-11-08"  # "Monday's talks", "said Tuesday"


def test_article_naming_only_month_days_takes_the_year_of_its_dated_story():
    # 001 speaks of "November 7" and "the November 8 briefing": the story's other reports
    # are dated 7 and 8 November 2022 by their weekdays, so it was written on or after 8 Nov.
    got = infer_publication_dates(story(), today=TODAY)["001"]
    assert (got.value, got.evidence) == ("2022-11-08", "story")


def test_known_dates_are_kept_and_anchor_the_story():
    got = infer_publication_dates(story({"000": "2022-11-08"}), today=TODAY)
    assert "000" not in got
    assert got["003"].value == "2022-11-07"


def test_latest_news_sidebar_dates_are_not_publication_dates():
    text = (next(SEEDS.glob("004_*.txt"))).read_text(encoding="utf-8")
    got = infer_publication_dates([{"article_id": "x", "text": text, "published": None,
                                    "timexes": find_timexes(text, None)}], today=TODAY)
    assert "x" not in got


def test_weekday_without_any_dated_event_gives_no_date():
    text = "The ministers met on Monday in Geneva and agreed to talk again."
    got = infer_publication_dates([{"article_id": "a", "text": text, "published": None,
                                    "timexes": find_timexes(text, None)}], today=TODAY)
    assert got == {}


def test_dateline_formats():
    assert parse_dateline_date("Washington D.C./22.06.23/Turan:", today=TODAY) == "2023-06-22"
    assert parse_dateline_date("BAKU, June 22, 2023 —", today=TODAY) == "2023-06-22"
    assert parse_dateline_date("22 June 2023", today=TODAY) == "2023-06-22"
    assert parse_dateline_date("2023-06-22", today=TODAY) == "2023-06-22"
    assert parse_dateline_date("09.Jan.2026", today=TODAY) == "2026-01-09"


def test_dateline_bad_input_gives_none():
    assert parse_dateline_date("31.02.2021", today=TODAY) is None
    assert parse_dateline_date("01.01.2091", today=TODAY) is None  # far future
    assert parse_dateline_date("", today=TODAY) is None
    assert parse_dateline_date("no date here", today=TODAY) is None
    assert parse_dateline_date("99.99.99", today=TODAY) is None


def test_headline_weekday_dates_an_article_whose_body_lacks_it():
    # The cleaner moves 000's first line ("... the U.S. State Department said Tuesday") into
    # the title; read with the title, the article is dated to that Tuesday.
    rows = story()
    first = rows[0]
    title, body = first["text"].split("\n", 1)
    rows[0] = {**first, "text": body, "title": title, "timexes": find_timexes(body, None)}
    assert infer_publication_dates(rows, today=TODAY)["000"].value == "2022-11-08"


def test_lead_weekday_after_a_caption_date_dates_the_report():
    from storyline.resolve.pubdates import caption_weekday_date
    text = ("Rescuers resumed the search on Friday after the storm had passed, officials said.\n"
            "The coast guard said more ships would join in 2014.")
    # 24 March 2014 was a Monday: the report's Friday is 28 March.
    removed = ["In this March 24, 2014 handout photo, a ship sails in the Indian Ocean."]
    assert caption_weekday_date(text, removed, TODAY) == "2014-03-28"


def test_file_photo_from_years_before_the_story_dates_nothing():
    from storyline.resolve.pubdates import caption_weekday_date
    text = ("The senator spoke on Wednesday about the 2016 race.\n"
            "She first ran for office in 2007.")
    removed = ["In this Feb. 11, 2007 file photo, the senator waves to supporters."]
    assert caption_weekday_date(text, removed, TODAY) is None
    assert caption_weekday_date(text, [], TODAY) is None


def test_an_inferred_date_does_not_anchor_other_reports():
    # A date the story gave 001 must leave the others as they are without it.
    rows = story({"001": "2031-01-01"})
    stated = infer_publication_dates(rows, today=TODAY)
    assert stated["000"].value != infer_publication_dates(story(), today=TODAY)["000"].value
    next(r for r in rows if r["article_id"] == "001")["evidence"] = "story"
    got = infer_publication_dates(rows, today=TODAY)
    alone = infer_publication_dates(story(), today=TODAY)
    assert {k: v for k, v in got.items() if k != "001"} == \
        {k: v for k, v in alone.items() if k != "001"}
