"""Exact and near-duplicate grouping on the seed copies of the TURAN report."""


import pytest

from paths import SEEDS
from storyline import dedup
from storyline.model import Article, Published


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def article(aid, text, **meta) -> Article:
    return Article(id=aid, origin=f"{aid}.txt", text=text, **meta)


def group(articles, threshold=dedup.DEFAULT_THRESHOLD):
    sigs = {a.id: dedup.signature(a.text) for a in articles}
    return dedup.find_groups(articles, sigs, threshold)


def test_exact_copies_with_different_case_and_spacing_are_one_exact_group():
    text = seed("000")
    groups = group([article("a", text), article("b", "  " + text.upper().replace(" ", "  "))])
    assert [(sorted(g.members), g.kind) for g in groups] == [(["a", "b"], "exact")]


def test_wire_copy_with_trailer_and_lost_dateline_is_a_near_duplicate():
    body_002 = seed("002").split("Alex Raufoglu")[0]
    body_004 = seed("004").split("Latest news")[0]
    groups = group([article("x002", body_002), article("x004", body_004),
                    article("x000", seed("000"))])
    assert len(groups) == 1
    assert set(groups[0].members) == {"x002", "x004"}
    assert groups[0].kind == "near"


def test_reports_of_the_same_meeting_by_different_outlets_are_not_duplicates():
    groups = group([article("a", seed("000")), article("b", seed("001")),
                    article("c", seed("003"))])
    assert groups == []


def test_canonical_copy_is_the_one_with_more_metadata_whatever_the_order():
    text = seed("002").split("Alex Raufoglu")[0]
    rich = article("z-rich", text, author="Alex Raufoglu", dateline="Washington D.C./22.06.23/Turan:",
                   published=Published("2023-06-22", "dateline"))
    bare = article("a-bare", text + " ")
    for order in ([rich, bare], [bare, rich]):
        (g,) = group(order)
        assert g.canonical == "z-rich"


def test_copy_without_a_date_takes_its_duplicates_date_as_evidence_duplicate():
    text = seed("002").split("Alex Raufoglu")[0]
    rich = article("r", text, author="Alex Raufoglu", publisher="Turan",
                   published=Published("2023-06-22", "dateline"))
    bare = article("b", text)
    articles = {"r": rich, "b": bare}
    dedup.apply_groups(articles, group(list(articles.values())))
    assert bare.duplicate_of == "r" and rich.duplicate_of is None
    assert (bare.published.value, bare.published.evidence) == ("2023-06-22", "duplicate")
    assert bare.publisher == "Turan"
    assert (rich.published.value, rich.published.evidence) == ("2023-06-22", "dateline")


@pytest.mark.parametrize("threshold, expected", [(0.5, 1), (0.99, 0)])
def test_threshold_is_configurable(threshold, expected):
    base = seed("003")
    edited = base.replace("Blinken", "the Secretary", 3) + "\nAn extra closing paragraph here."
    assert len(group([article("a", base), article("b", edited)], threshold)) == expected


def test_empty_and_one_word_texts_do_not_crash():
    assert group([article("a", ""), article("b", "word")]) == []
