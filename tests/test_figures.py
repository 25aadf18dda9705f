"""Figures: numeric claims found in the seed articles and compared across outlets."""

from __future__ import annotations

import pytest

from paths import SEEDS
from storyline import nlp
from storyline.annotate.amounts import QUALIFIERS
from storyline.annotate.figures import find_figures
from storyline.model import FigureMention
from storyline.resolve.figures import agree, compare_figures, interval
from storyline.timeml import dates_compatible

STORY = ("000", "001", "003")  # the three reports of the 7 November 2022 talks


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _timexes(text: str, with_tagger: bool):
    if not with_tagger:
        return []
    timex = pytest.importorskip("storyline.annotate.timex")
    return timex.find_timexes(text, "2022-11-07")


def _mentions(with_tagger: bool) -> list[FigureMention]:
    out = []
    for prefix in STORY:
        text = _seed(prefix)
        out.extend(find_figures(prefix, text, nlp.parse(text), _timexes(text, with_tagger)))
    return out


@pytest.fixture(scope="module", params=[False, True], ids=["own-dates", "timex-tagger"])
def seed_mentions(request):
    return _mentions(request.param)


def _claim(mentions, article, written):
    hits = [m for m in mentions if m.article_id == article and m.text == written]
    found = [m.text for m in mentions if m.article_id == article]
    assert hits, f"{written!r} not found in {article}: {found}"
    return hits[0]


@pytest.mark.slow
def test_seed_figures_are_found_with_qualifier_value_and_what(seed_mentions):
    expected = [
        ("000", "at least 286", 286, "at least", "killed"),
        ("003", "more than 280", 280, "more than", "killed"),
        ("000", "more than 6,500", 6500, "more than", "killed"),
        ("003", "more than 6,500", 6500, "more than", "killed"),
        ("001", "thousands", 1000, "thousands", "killed"),
        ("001", "some 30,000", 30000, "some", "killed"),
        ("003", "around 30,000", 30000, "around", "killed"),
        ("001", "about 2,000", 2000, "about", "troops deployed"),
    ]
    for article, written, value, qualifier, what in expected:
        m = _claim(seed_mentions, article, written)
        assert (m.value, m.qualifier, m.what) == (value, qualifier, what)


@pytest.mark.slow
def test_seed_figure_text_is_exactly_the_source_span(seed_mentions):
    texts = {p: _seed(p) for p in STORY}
    for m in seed_mentions:
        assert texts[m.article_id][m.start : m.end] == m.text
        assert m.text in m.sentence


@pytest.mark.slow
def test_seed_figures_are_dated_by_their_own_event(seed_mentions):
    september = _claim(seed_mentions, "000", "at least 286").date
    assert september.endswith("-09")  # "In September", not "since 2020" in the same sentence
    assert _claim(seed_mentions, "000", "more than 6,500").date == "2020"  # "It claimed…" ← 2020
    assert _claim(seed_mentions, "001", "thousands").date == "2020"
    assert _claim(seed_mentions, "001", "some 30,000").date == "199X"
    assert _claim(seed_mentions, "003", "around 30,000").date == "1991"  # previous sentence
    assert _claim(seed_mentions, "003", "around 30,000").date_from == "the sentence before"
    assert _claim(seed_mentions, "000", "at least 286").date_from == "its sentence"
    # "left hundreds dead in recent months": not the date of the talks ("on Monday")
    assert _claim(seed_mentions, "003", "hundreds").date is None


@pytest.mark.slow
def test_seed_figures_group_and_agree_without_false_alarms(seed_mentions):
    figures = compare_figures(seed_mentions, {p: "story-1" for p in STORY})
    assert not [f for f in figures if f.agreement == "disagree"]

    def group_of(article, value):
        return next(
            f.group_id
            for f in figures
            if f.value == value and any(o.article_id == article for o in f.occurrences)
        )

    def agreement_of(group):
        return next(f.agreement for f in figures if f.group_id == group)

    september = group_of("000", 286)
    war_2020 = group_of("000", 6500)
    war_1990s = group_of("001", 30000)
    peacekeepers = group_of("001", 2000)
    assert group_of("003", 280) == september
    # "hundreds dead in recent months" gives no time to match: kept apart, never a conflict
    assert agreement_of(group_of("003", 100)) in ("agree", "single")
    assert group_of("003", 6500) == war_2020 and group_of("001", 1000) == war_2020
    assert group_of("003", 30000) == war_1990s
    assert len({september, war_2020, war_1990s, peacekeepers}) == 4
    agreement = {f.group_id: f.agreement for f in figures}
    assert agreement[september] == agreement[war_2020] == agreement[war_1990s] == "agree"
    assert agreement[peacekeepers] == "single"
    merged = next(f for f in figures if f.value == 6500)
    assert sorted(o.article_id for o in merged.occurrences) == ["000", "003"]


@pytest.mark.slow
def test_figure_ids_are_stable_and_order_independent(seed_mentions):
    story = {p: "story-1" for p in STORY}
    first = compare_figures(seed_mentions, story)
    again = compare_figures(list(reversed(seed_mentions)), story)
    assert sorted(f.id for f in first) == sorted(f.id for f in again)
    assert len({f.id for f in first}) == len(first)


def _figures_of(texts: dict[str, str]):
    mentions = []
    for article, text in texts.items():
        mentions.extend(find_figures(article, text, nlp.parse(text), []))
    return mentions, compare_figures(mentions, {a: "s" for a in texts})


@pytest.mark.slow
def test_conflicting_tolls_for_the_same_deaths_are_flagged_side_by_side():
    mentions, figures = _figures_of(
        {
            "a": "The war in 2020 killed 6,500 people before a cease-fire.",
            "b": "The war in 2020 killed 5,000 people before a cease-fire.",
        }
    )
    assert [m.value for m in mentions] == [6500, 5000]
    assert {f.agreement for f in figures} == {"disagree"}
    assert len({f.group_id for f in figures}) == 1
    assert sorted(o.article_id for f in figures for o in f.occurrences) == ["a", "b"]


@pytest.mark.slow
def test_undated_conflicting_tolls_of_one_event_disagree():
    _, figures = _figures_of(
        {
            "a": "The earthquake in the northern province killed 6,500 people, officials said.",
            "b": "Officials said the earthquake in the northern province killed 5,000 people.",
        }
    )
    assert {f.agreement for f in figures} == {"disagree"}


@pytest.mark.slow
def test_different_quantities_in_one_story_are_not_compared():
    _, figures = _figures_of(
        {
            "a": "In September, 286 people were killed in clashes. Russia sent 2,000 troops.",
            "b": "A war in 2020 killed 6,500 people. Turnout was 45 percent in the vote.",
        }
    )
    assert not [f for f in figures if f.agreement == "disagree"]
    assert {f.agreement for f in figures} == {"single"}


@pytest.mark.parametrize(
    "a, b",
    [
        (("at least 286", 286, "at least"), ("more than 280", 280, "more than")),
        (("more than 6,500", 6500, "more than"), ("thousands", 1000, "thousands")),
        (("around 30,000", 30000, "around"), ("some 30,000", 30000, "some")),
        (("nearly 300", 300, "nearly"), ("286", 286, None)),
        (("6,500", 6500, None), ("6,480", 6480, None)),
        (("up to 2,000", 2000, "up to"), ("1,500", 1500, None)),
    ],
)
def test_claims_that_can_both_be_true_agree(a, b):
    ma = FigureMention("x", 0, 0, a[0], a[1], a[2], "people", "killed")
    mb = FigureMention("y", 0, 0, b[0], b[1], b[2], "people", "killed")
    assert agree(ma, mb)


@pytest.mark.parametrize(
    "a, b",
    [
        (("6,500", 6500, None), ("5,000", 5000, None)),
        (("at least 286", 286, "at least"), ("200", 200, None)),
        (("hundreds", 100, "hundreds"), ("6,500", 6500, None)),
        (("fewer than 100", 100, "fewer than"), ("286", 286, None)),
    ],
)
def test_claims_that_cannot_both_be_true_disagree(a, b):
    ma = FigureMention("x", 0, 0, a[0], a[1], a[2], "people", "killed")
    mb = FigureMention("y", 0, 0, b[0], b[1], b[2], "people", "killed")
    assert not agree(ma, mb)


def test_rounding_of_the_written_number_widens_its_interval():
    low, high = interval(FigureMention("x", 0, 0, "30,000", 30000, None, "people", "killed"))
    assert low < 29_500 and high > 30_500
    low, high = interval(FigureMention("x", 0, 0, "286", 286, None, "people", "killed"))
    assert 280 <= low and high <= 292


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("2022-09", "XXXX-09", True),
        ("2022-09", "2020", False),
        ("1991", "199X", True),
        ("2020", "199X", False),
        ("2020-FA", "2020", True),
        ("XXXX-09", "2020", False),
        (None, "2020", None),
        ("PAST_REF", "2020", None),
    ],
)
def test_dates_compatible(a, b, expected):
    assert dates_compatible(a, b) is expected


@pytest.mark.slow
def test_money_percent_and_durations_carry_units():
    text = (
        "The government pledged $3.5 billion in aid. Turnout was 45 percent. "
        "The war lasted six weeks. Hundreds were dead and dozens of soldiers wounded."
    )
    found = {m.text: m for m in find_figures("a", text, nlp.parse(text), [])}
    assert (found["$3.5 billion"].value, found["$3.5 billion"].unit) == (3.5e9, "USD")
    assert (found["45 percent"].value, found["45 percent"].unit) == (45, "percent")
    assert (found["six weeks"].value, found["six weeks"].unit) == (6, "weeks")
    assert (found["Hundreds"].qualifier, found["Hundreds"].what) == ("hundreds", "killed")
    assert found["dozens"].what == "soldiers injured"


@pytest.mark.parametrize(
    "text", ["", "No numbers here at all.", "1 2 3 4 5 " * 50, "\u202e\u0000 ½ ⅓ 10¹⁰"]
)
@pytest.mark.slow
def test_bad_input_never_crashes(text):
    assert isinstance(find_figures("a", text, nlp.parse(text), []), list)
    assert find_figures("a", text, None, []) == []


def _said(article, text, value, unit, what, sentence, qualifier=None):
    return FigureMention(article, 0, len(text), text, value, qualifier, unit, what, None, sentence)


def test_one_amount_of_money_in_several_outlets_is_one_agreeing_figure_whatever_the_verb():
    claims = [
        _said("a", "130,000", 130000.0, "money", "pay",
               "Cohen has said he paid the actress $130,000 out of his own pocket."),
        _said("b", "130,000", 130000.0, "money", "payment",
               "The Journal reported on the details of a $130,000 payment made in 2016."),
        _said("c", "$3.4 million", 3400000.0, "USD", "receive",
               "The couple will receive $3.4 million from the state."),
    ]
    figures = compare_figures(claims, {"a": "s", "b": "s", "c": "s"})
    paid = [f for f in figures if f.value == 130000.0]
    assert len({f.group_id for f in paid}) == 1
    assert paid[0].agreement == "agree"
    other = [f for f in figures if f.value == 3400000.0]
    assert other[0].group_id != paid[0].group_id  # another amount is another quantity


def test_a_share_written_with_more_precision_by_another_outlet_is_the_same_share():
    claims = [
        _said("a", "around 89", 89.0, "percent", "%",
               "The poll showed around 89% support for the proposal.", "around"),
        _said("b", "89.4", 89.4, "percent", "%",
               "The minister announced that 89.4% of voters approved the constitution."),
        _said("b", "57.4", 57.4, "percent", "%",
               "Turnout was 57.4% of eligible voters, the minister said."),
    ]
    figures = compare_figures(claims, {"a": "s", "b": "s"})
    groups = {f.value: f.group_id for f in figures}
    assert groups[89.0] == groups[89.4] != groups[57.4]
    assert {f.agreement for f in figures if f.value in (89.0, 89.4)} == {"agree"}


# -- amounts as a reader means them ---------------------------------------------------------


def _found(text: str) -> dict[str, FigureMention]:
    return {m.text: m for m in find_figures("a", text, nlp.parse(text), [])}


@pytest.mark.slow
def test_money_keeps_its_currency_and_scale_and_a_bracketed_conversion_is_not_a_second_claim():
    found = _found("Chief executive John Stumpf will forfeit $41m (£31.5m) in pay, the bank "
                   "said. The firm was fined Rs 500 crore by the regulator. He will give up "
                   "41 million dollars in stock.")
    assert (found["$41m"].value, found["$41m"].unit) == (41e6, "USD")
    assert not [t for t in found if "31.5" in t]
    assert (found["Rs 500 crore"].value, found["Rs 500 crore"].unit) == (5e9, "INR")
    assert (found["41 million dollars"].value, found["41 million dollars"].unit) == (41e6, "USD")


@pytest.mark.slow
def test_numbers_that_are_not_claims_are_left_out():
    found = _found("Call 555-123-4567 for details. The office is at 221 Baker Street. "
                   "The gallery has 12 photos of the flood. In 2019 the river rose again.")
    assert found == {}


@pytest.mark.slow
def test_a_range_is_one_claim_with_both_ends():
    found = _found("Between 200 and 300 people were killed in the fighting.")
    claim = next(m for m in found.values() if m.what == "killed")
    assert (claim.value, claim.high, claim.qualifier) == (200, 300, "between")
    other = FigureMention("b", 0, 3, "250", 250, None, "people", "killed")
    more = FigureMention("c", 0, 15, "at least 400", 400, "at least", "people", "killed")
    assert agree(claim, other) and not agree(claim, more)


@pytest.mark.slow
def test_the_verb_and_the_holder_say_what_is_counted():
    found = _found("200 Conservative lawmakers had voted in support. She was speaking to "
                   "dozens of Conservative lawmakers. Some relatives of the 153 Chinese "
                   "passengers refused to accept the account.")
    assert found["200"].what == "conservative lawmakers voted"
    assert found["dozens"].what == "conservative lawmakers"
    assert found["153"].what == "chinese passengers"


@pytest.mark.slow
def test_a_level_of_an_index_is_a_claim_and_two_outlets_giving_it_agree():
    mentions, figures = _figures_of({
        "a": "The Dow closed at 18,589.69 on November 9, 2016, the day after the election.",
        "b": "Dow goes from 18,589 on November 9, 2016, to 25,075 today, Trump tweeted.",
    })
    levels = [m for m in mentions if m.unit == "level"]
    assert {m.what for m in levels} == {"dow"}
    groups = {f.group_id for f in figures if f.value in (18589.69, 18589)}
    assert len(groups) == 1
    assert {f.agreement for f in figures if f.group_id in groups} == {"agree"}


@pytest.mark.parametrize(
    "a, b, expected",
    [
        # "nearly 1,600" is a value just under 1,600, not "anything down to 1,360"
        (("nearly 1,600", 1600, "nearly"), ("as much as 1,500", 1500, "up to"), False),
        (("nearly 1,600", 1600, "nearly"), ("1,597", 1597, None), True),
        # one trailing zero after two digits is read as written; one significant digit is not
        (("150", 150, None), ("153", 153, None), False),
        (("20", 20, None), ("17", 17, None), True),
    ],
)
def test_how_a_number_is_written_says_how_exact_it_is(a, b, expected):
    ma = FigureMention("x", 0, 0, a[0], a[1], a[2], "people", "killed")
    mb = FigureMention("y", 0, 0, b[0], b[1], b[2], "people", "killed")
    assert agree(ma, mb) is expected


def _toll(article, value, sentence, weekday=None, places=(), qualifier=None, at=0):
    """A claim as find_figures gives it: "as many as" is kept as the canonical "up to"."""
    text = f"{value:,}" if qualifier is None else f"{qualifier} {value:,}"
    canonical = QUALIFIERS.get(qualifier) if qualifier else None
    return FigureMention(article, at, at + len(text), text, float(value), canonical, "people",
                         "killed", None, sentence, weekday=weekday, places=list(places))


def test_tolls_of_another_day_or_another_place_are_not_compared():
    claims = [
        _toll("a", 144, "At least 144 people were reported killed Monday.", weekday=1,
              qualifier="at least"),
        _toll("b", 65, "Sixty-five more were killed on Tuesday, activists said.", weekday=2),
        _toll("a", 104, "In all, 104 people were killed Monday in Homs.", weekday=1,
              places=["homs"], at=80),
        _toll("d", 125, "As many as 125 people died across Syria on Monday.", weekday=1,
              places=["syria"], qualifier="as many as"),
    ]
    figures = compare_figures(claims, {c.article_id: "s" for c in claims})
    group = {f.value: f.group_id for f in figures}
    assert group[144] == group[125]  # the same day, no other place: one toll, reported twice
    assert group[65] != group[144] and group[104] != group[125]
    assert {f.agreement for f in figures if f.group_id == group[144]} == {"disagree"}


def test_a_claim_joins_the_claims_it_is_most_like_whatever_the_order():
    claims = [
        _toll("a", 125, "The group said a total of 125 people had died across Syria.",
              places=["syria"]),
        _toll("b", 144, "At least 144 people were reported killed Monday.", weekday=1,
              qualifier="at least"),
        _toll("c", 125, "As many as 125 people died across Syria on Monday.", weekday=1,
              places=["syria"], qualifier="as many as"),
    ]
    for order in (claims, claims[::-1], [claims[1], claims[0], claims[2]]):
        figures = compare_figures(order, {c.article_id: "s" for c in claims})
        assert len({f.group_id for f in figures}) == 1


def test_one_article_giving_two_numbers_gives_two_quantities():
    claims = [
        _toll("a", 30, "Sales rose more than 30% while units rose 27%.", qualifier="more than"),
        _toll("a", 27, "Sales rose more than 30% while units rose 27%.", at=40),
    ]
    figures = compare_figures(claims, {"a": "s"})
    assert len({f.group_id for f in figures}) == 2
    assert {f.agreement for f in figures} == {"single"}


@pytest.mark.slow
def test_one_headline_amount_in_four_outlets_is_one_agreeing_figure():
    texts = {
        "a": "Wells Fargo chief executive John Stumpf will forfeit $41 million in pay.",
        "b": "Stumpf is giving up $41m (£31.5m) of unvested stock awards, the bank said.",
        "c": "The board said Stumpf would forfeit about $41 million in stock awards.",
        "d": "John Stumpf will forfeit $41 million, the board said on Tuesday.",
    }
    _, figures = _figures_of(texts)
    money = [f for f in figures if f.unit in ("USD", "money")]
    assert len({f.group_id for f in money}) == 1
    assert {f.agreement for f in money} == {"agree"}
    assert sorted(o.article_id for f in money for o in f.occurrences) == ["a", "b", "c", "d"]


@pytest.mark.slow
def test_a_conversion_given_in_the_text_compares_pounds_with_dollars():
    _, figures = _figures_of({
        "a": "Wells Fargo chief executive John Stumpf will forfeit $41m (£31.5m) in unvested "
             "stock awards.",
        "b": "Wells Fargo chief executive John Stumpf will forfeit £31.5m in unvested stock.",
        "c": "Wells Fargo chief executive John Stumpf is to forfeit £25m in unvested stock "
             "awards, the union claimed.",
    })
    money = {f.text: f for f in figures if f.unit in ("USD", "GBP")}
    assert set(money) == {"$41m", "£31.5m", "£25m"}  # each as its outlet wrote it
    assert money["$41m"].group_id == money["£31.5m"].group_id == money["£25m"].group_id
    assert money["$41m"].agreement == "disagree"


@pytest.mark.slow
def test_without_a_rate_in_the_text_two_currencies_are_not_compared():
    _, figures = _figures_of({
        "a": "Chief executive John Stumpf will forfeit $41m in unvested stock.",
        "b": "Stumpf will forfeit £25m in unvested stock, the bank said.",
    })
    assert {f.agreement for f in figures if f.unit in ("USD", "GBP")} == {"single"}


def test_a_toll_dated_to_a_monday_is_not_the_toll_of_a_friday():
    from dataclasses import replace
    monday = replace(_toll("a", 40, "Forty people were killed on 5 February 2018."),
                     date="2018-02-05", date_from="its sentence")
    friday = _toll("b", 70, "Seventy people were killed on Friday, activists said.", weekday=5)
    figures = compare_figures([monday, friday], {"a": "s", "b": "s"})
    assert len({f.group_id for f in figures}) == 2
    # Borrowed from the sentence before, the day may be another event's: no weekday is read.
    from storyline.resolve.figures import evidence
    assert evidence(monday, friday) is None
    assert evidence(replace(monday, date_from="the sentence before"), friday) is not None
