"""Kinds of names stated by the words around them ("the film Inception", "the newspaper
Charlie Hebdo"), and one sense of a name throughout an article."""

from __future__ import annotations

import pytest

from storyline import nlp
from storyline.annotate.mentions import find_mentions

pytestmark = pytest.mark.slow


def _ents(text: str) -> dict[str, str]:
    return {e.text: e.label_ for e in nlp.parse(text).ents}


def test_a_kind_noun_types_the_name_next_to_it():
    ents = _ents("Gunmen attacked the offices of the satirical newspaper Charlie Hebdo in Paris. "
                 "The critic compared the plot to the film Inception.")
    assert ents["Charlie Hebdo"] == "ORG"
    assert ents["Inception"] == "WORK_OF_ART"
    drugs = _ents("The insurer will stop covering the obesity drugs Zepbound and Wegovy next year.")
    assert drugs["Zepbound"] == "PRODUCT" and drugs["Wegovy"] == "PRODUCT"


def test_laws_vehicles_models_and_buildings_are_whole_names():
    ents = _ents("Under the Tim Cole Act the state pays the wrongly convicted. The president "
                 "spoke to reporters aboard Air Force One. Investigators examined the Boeing 777. "
                 "Teachers rallied on the grounds of the Texas Capitol.")
    assert ents["Tim Cole Act"] == "LAW"
    assert ents["Air Force One"] == "PRODUCT"
    assert ents["Boeing 777"] == "PRODUCT"
    assert ents["Texas Capitol"] == "FAC"


def test_a_place_noun_before_of_makes_a_place():
    ents = _ents("Government forces shelled the village of Sarmeen in Idlib province on Tuesday.")
    assert ents.get("Sarmeen") == "GPE"


def test_a_title_in_apposition_makes_a_person():
    text = ("Beatrice Megevand-Roggo, the Red Cross' head of operations for the Middle East, said "
            "aid workers reached the district.")
    people = [m.text for m in find_mentions("a", text) if m.label == "PERSON"]
    assert any("Megevand-Roggo" in p for p in people)


def test_the_models_furniture_kinds_are_not_kept_without_a_stated_kind():
    text = "Exhibit 1 and Exhibit 2 were filed. Watch the interview on Today."
    assert not [m for m in find_mentions("a", text) if m.label in ("LAW", "WORK_OF_ART")]


def test_a_name_keeps_one_sense_through_the_article():
    text = ("Paris Baguette opened its first store in 1988. For Paris Baguette, however, the "
            "American market matters most. The chain has seven shops in Paris.\n\n"
            "Donald Trump spoke on Monday. Trump married his current wife, Melania Trump, in 2005.")
    mentions = find_mentions("a", text)
    company = [m for m in mentions if m.text == "Paris Baguette"]
    assert len(company) == 2 and {m.label for m in company} == {"ORG"}
    assert [m.label for m in mentions if m.text == "Paris"] == ["GPE"]
    lone = [m for m in mentions if m.text == "Trump" and text[m.end:m.end + 8] == " married"]
    assert lone and lone[0].label == "PERSON"


def test_campaigns_coined_from_a_word_are_events_not_people():
    text = "Theresa May said Brexit would go ahead. Brexit has divided the country."
    labels = {m.text: m.label for m in find_mentions("a", text)}
    assert labels["Brexit"] == "EVENT"
