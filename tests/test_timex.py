"""Temporal expressions on real seed text: found, spanned and normalized against publication."""


import pytest

from paths import SEEDS
from storyline.annotate.timex import find_timexes


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def values(text: str, dct: str | None) -> dict[str, tuple]:
    return {t.text: (t.value, t.type, t.mod) for t in find_timexes(text, dct)}


def test_spans_are_exact_slices_of_the_text():
    text = seed("003")
    found = find_timexes(text, "2022-11-07")
    assert found
    assert all(text[t.start:t.end] == t.text for t in found)


def test_seed_003_relative_dates_resolve_against_monday_7_november_2022():
    v = values(seed("003"), "2022-11-07")
    assert v["Monday"][0] == "2022-11-07"
    assert v["late last month"][:3] == ("2022-10", "DATE", "END")
    assert v["earlier in October"][0] == "2022-10" and v["earlier in October"][2] == "START"
    assert v["the autumn of 2020"][0] == "2020-FA"
    assert v["A week ago"][0] == "2022-W44"
    assert v["Six weeks"][:2] == ("P6W", "DURATION")
    assert v["September"][0] == "2022-09"
    assert v["recent months"][1] == "DURATION"
    assert v["decades"][0] == "PXDE"
    assert v["2020"][0] == "2020"


def test_seed_000_past_tense_weekdays_and_dates_published_tuesday():
    v = values(seed("000"), "2022-11-08")
    assert v["Tuesday"][0] == "2022-11-08"
    assert v["Monday"][0] == "2022-11-07"  # "Monday's talks": the possessive is not in the span
    assert v["Yesterday"][0] == "2022-11-07"
    assert v["Oct. 3"][0] == "2022-10-03"
    assert v["Last month"][0] == "2022-10"
    assert v["this month"][0] == "2022-11"
    assert v["August"][0] == "2022-08"
    assert v["six weeks"][0] == "P6W"


def test_seed_001_month_days_next_day_and_early_1990s():
    v = values(seed("001"), "2022-11-08")
    assert v["November 7"][0] == "2022-11-07"
    assert v["November 8"][0] == "2022-11-08"
    assert v["the next day"][0] == "2022-11-08"  # the day after the meeting just named
    assert v["the early 1990s"][:3] == ("199X", "DATE", "START")


def test_seed_002_early_last_week_is_a_week_value():
    v = values(seed("002"), "2023-06-22")
    assert v["early last week"][:3] == ("2023-W24", "DATE", "START")
    assert v["Wednesday"][0] == "2023-06-21"
    assert "22.06.23" not in v or v["22.06.23"][0] == "2023-06-22"


def test_future_tense_looks_forward_and_past_tense_back():
    text = "The ministers will meet next week and again on Tuesday."
    v = values(text, "2022-11-09")  # a Wednesday
    assert v["next week"][0] == "2022-W46"
    assert v["Tuesday"][0] == "2022-11-15"
    v = values("The ministers met on Tuesday in Geneva.", "2022-11-09")
    assert v["Tuesday"][0] == "2022-11-08"


def test_in_september_past_tense_is_the_latest_september_before_publication():
    text = "In September, at least 286 people were killed on both sides."
    assert values(text, "2023-03-01")["September"][0] == "2022-09"
    assert values(text, "2022-11-08")["September"][0] == "2022-09"


def test_without_publication_date_relative_values_stay_unanchored():
    v = values(seed("003"), None)
    assert v["Monday"][0] == "XXXX-WXX-1"
    assert v["the autumn of 2020"][0] == "2020-FA"  # explicit: still absolute
    assert not any(val[0].startswith("2022") for val in v.values())
    v = values(seed("001"), None)
    assert v["November 7"][0] == "XXXX-11-07"


@pytest.mark.parametrize("text", [
    "The deal was signed on 31 February 2021.",
    "It happened on February 31.",
    "Filed 31/02/2021 by the registry.",
])
def test_impossible_dates_give_no_value(text):
    assert not any("-02-31" in t.value for t in find_timexes(text, "2022-01-10"))


def test_two_digit_year_without_publication_date_is_not_guessed():
    assert not find_timexes("The decree of Jan. 5, '98 stands.", None) or all(
        not t.value.startswith("19") and not t.value.startswith("20")
        for t in find_timexes("The decree of Jan. 5, '98 stands.", None))
    v = values("The decree of Jan. 5, '98 stands.", "2000-03-01")
    assert v["Jan. 5, '98"][0] == "1998-01-05"


def test_bad_input_never_crashes():
    for text in ["", "   ", "no dates at all here", "9999-99-99", "on 00.00.00", "\x00\x01",
                 "Meeting at 99:99 p.m. on Friday the 45th", "year 12345678", "a" * 5000]:
        for dct in (None, "2022-11-07", "not a date", "2022-02-31"):
            for t in find_timexes(text, dct):
                assert text[t.start:t.end] == t.text


def test_durations_sets_and_quarters():
    v = values("Profit rose in the third quarter, compared with a year ago, and dividends are paid "
               "quarterly; the company has grown for nearly two years.", "1989-10-26")
    assert v["the third quarter"][0] == "1989-Q3"
    assert v["a year ago"][0] == "1988-Q3"  # earnings news: the same quarter a year before
    assert v["quarterly"][:2] == ("P3M", "SET")
    # TimeBank leaves an approximation outside the span but keeps it as the mod.
    assert v["two years"][:3] == ("P2Y", "DURATION", "LESS_THAN")


@pytest.mark.slow
def test_spacy_doc_tense_sends_future_weekday_forward():
    from storyline import nlp

    text = "The two foreign ministers will meet in Brussels on Tuesday."
    found = {t.text: t.value for t in find_timexes(text, "2022-11-09", doc=nlp.parse(text))}
    assert found["Tuesday"] == "2022-11-15"


def test_timeml_scorer_excludes_the_dct_and_counts_strict_and_relaxed(tmp_path):
    from storyline.eval.timex import evaluate

    (tmp_path / "doc.tml").write_text(
        '<?xml version="1.0" ?>\n<TimeML>\n<DOCID>X1</DOCID>\n'
        '<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" functionInDocument="CREATION_TIME">'
        "19980108</TIMEX3></DCT>\n<TEXT>\nStocks fell <TIMEX3 tid=\"t1\" type=\"DATE\" "
        'value="1998-01-07">yesterday</TIMEX3> after a &quot;very bad&quot; '
        '<TIMEX3 tid="t2" type="DURATION" value="P1W">week</TIMEX3>, and in '
        '<TIMEX3 tid="t3" type="DATE" value="1997-12">late December</TIMEX3> too.\n</TEXT>\n</TimeML>\n',
        encoding="utf-8")
    result = evaluate(tmp_path)
    # The DCT is not an expression of the text; a bare "week" is not tagged by the rules.
    assert (result["documents"], result["gold"], result["system"]) == (1, 3, 2)
    assert result["strict_precision"] == 1.0
    assert abs(result["strict_recall"] - 2 / 3) < 1e-9
    assert result["value_accuracy"] == 1.0  # 1998-01-07 and 1997-12 (late December, before DCT)


def test_dateline_dates_in_text_and_two_digit_years():
    text = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    assert values(text, "2023-06-22")["22.06.23"][0] == "2023-06-22"
    assert "22.06.23" not in values(text, None)  # no publication date: no century guessed
    assert values("Filed on 3/4/98.", "2000-01-10")["3/4/98"][0] == "1998-03-04"
    assert values("Filed on 3/4/98.", None) == {}


def test_a_passive_after_will_or_would_keeps_the_future_tense():
    # "would be paid" is future although "paid" looks like a past verb; a participle after a
    # determiner ("a still unspecified date") is an adjective, not a past tense.
    text = ("The split, which is subject to holder approval, would be paid on a still "
            "unspecified date in January to holders of record Dec. 21.")
    assert values(text, "1989-10-26")["January"][0] == "1990-01"
    # Past tense still sends the month back.
    past = "The company paid a special dividend in January, a spokesman said."
    assert values(past, "1989-10-26")["January"][0] == "1989-01"


def test_more_between_count_and_unit_is_still_a_duration():
    v = values("The talks could drag on for at least two more weeks, officials said.", "2000-06-01")
    assert v["at least two more weeks"][:3] == ("P2W", "DURATION", "EQUAL_OR_MORE")
    v = values("The plant will run for 20 more years before it is closed.", "1998-02-27")
    assert v["20 more years"][:2] == ("P20Y", "DURATION")


def test_the_march_before_a_noun_is_the_month_but_bare_march_is_a_verb():
    text = "The March accession will let the three countries take part in the summit."
    assert values(text, "1999-02-10")["March"][0] == "1999-03"
    assert "March" not in values("Thousands march through the capital.", "1999-02-10")
    assert "March" not in values("Protesters March on the ministry.", "1999-02-10")


def test_a_second_day_joined_to_a_date_is_its_own_expression_in_that_month():
    text = "The ceremony will be held at the NATO summit in Washington on April 24 and 25."
    v = values(text, "1999-02-10")
    assert v["April 24"][0] == "1999-04-24"
    assert v["25"][:2] == ("1999-04-25", "DATE")
    assert values("The fair opened on June 5 and 1,200 visitors came.", "1999-02-10").get("1200") is None
    assert "1" not in values("Sales rose on June 5 and 1 percent more on June 6.", "1999-06-10")


def test_quarters_of_last_or_next_year_named_with_a_possessive():
    v = values("The chip maker expects a recovery in next year's first quarter.", "1989-10-31")
    assert v["next year's first quarter"][:2] == ("1990-Q1", "DATE")
    v = values("Net sales for this year's third quarter were $14 million.", "1989-11-01")
    assert v["this year's third quarter"][0] == "1989-Q3"
    v = values("Profit rose 12% from last year's quarter, the company said.", "1989-11-01")
    assert v["last year's quarter"][0] == "1988-Q3"


def test_a_possessive_weekday_names_a_past_event_unless_the_clause_looks_ahead():
    # Friday 7 January 2000: "Wednesday's ruling" is the ruling two days before, even inside
    # a clause about what the relatives "would" do next.
    text = ("The boy's relatives in Miami said they would look for ways to get around "
            "Wednesday's ruling by the immigration service.")
    assert values(text, "2000-01-07")["Wednesday"][0] == "2000-01-05"
    ahead = "Sunday's vote will decide the fate of the coalition, analysts said."
    assert values(ahead, "2000-01-07")["Sunday"][0] == "2000-01-09"


def test_hyphenated_early_and_late_parts_of_a_month():
    v = values("The vote was delayed until late-November, officials said.", "2000-01-28")
    assert v["late-November"] == ("1999-11", "DATE", "END")


def test_a_record_high_set_on_a_date_lies_in_the_past_but_a_record_date_ahead():
    text = "The index closed within 70 points of its record high set on Aug. 6."
    assert values(text, "1998-02-06")["Aug. 6"][0] == "1997-08-06"
    # Half a year either way: "of record" looks ahead to the record date.
    text = "The company declared a dividend to holders of record Dec. 21."
    assert values(text, "1989-06-20")["Dec. 21"][0] == "1989-12-21"
