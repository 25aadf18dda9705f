"""Names the text defines: short forms, second names, branches and clipped forms."""

from __future__ import annotations

import pytest

from storyline import nlp
from storyline.annotate.defined import acronym_spans, alias_spans
from storyline.annotate.mentions import find_mentions
from storyline.nlp.names import same_referent
from storyline.resolve.entities import resolve


def _spans(text, pairs):
    return [(text[a:b], text[c:d]) for (a, b), (c, d) in pairs]


def test_definitions_of_short_forms_and_second_names_are_read():
    text = ("The Federal Motor Carrier Safety Administration (FMCSA) is reviewing the case. "
            "Stormy Daniels, whose real name is Stephanie Clifford, sued on Tuesday. "
            "Marshall Mathers, better known as Eminem, did not comment.")
    assert _spans(text, acronym_spans(text)) == [
        ("Federal Motor Carrier Safety Administration", "FMCSA")]
    assert _spans(text, alias_spans(text)) == [
        ("Stormy Daniels", "Stephanie Clifford"), ("Marshall Mathers", "Eminem")]


def test_a_citys_branch_is_not_the_organisation_but_a_countrys_department_is():
    assert not same_referent("Atlanta Fed", None, "Fed", None, "ORG", "ORG")[0]
    assert not same_referent("Texas American Federation of Teachers", None,
                             "American Federation of Teachers", None, "ORG", "ORG")[0]
    assert same_referent("U.S. State Department", None, "State Department", None, "ORG", "ORG")[0]


@pytest.mark.slow
def test_a_defined_short_form_is_a_mention_wherever_it_is_used():
    text = ("The Federal Motor Carrier Safety Administration (FMCSA) is aware of the complaints. "
            "A spokesman said the FMCSA would act. Economists said gross domestic product (GDP) "
            "fell.")
    mentions = find_mentions("a", text)
    short = [m for m in mentions if m.text == "FMCSA"]
    long = [m for m in mentions if m.text == "Federal Motor Carrier Safety Administration"]
    assert len(short) == 2 and len(long) == 1
    assert {m.local_id for m in short + long} == {long[0].local_id}
    assert not [m for m in mentions if m.text == "GDP"]  # a term, not an organisation


@pytest.mark.slow
def test_second_names_and_definitions_join_across_articles():
    texts = {
        "a": "Stormy Daniels, whose real name is Stephanie Clifford, filed a lawsuit. Clifford "
             "says the agreement is void. The UN Human Rights Council (UNHRC) met in Geneva.",
        "b": "Stormy Daniels appeared on television on Sunday. The United Nations Human Rights "
             "Council (UNHRC) renewed its call for a ceasefire.",
    }
    mentions = [m for aid, t in texts.items() for m in find_mentions(aid, t, nlp.parse(t))]
    entities = resolve(mentions, texts)
    def holder(name):
        return next(e for e in entities if name == e.name or name in e.aliases)
    person = holder("Stephanie Clifford")
    assert person is holder("Stormy Daniels") and person.type == "PERSON"
    assert any("the text gives both names" in ev for ev in person.evidence)
    council = holder("UNHRC")
    assert council is holder("UN Human Rights Council")


@pytest.mark.slow
def test_a_given_name_the_tagger_typed_apart_joins_the_person_of_the_article():
    text = ("Malaysia's Defence Minister Hishammuddin Hussein said the search would go on. "
            "Hishammuddin said the families would be told first. The Fed raised rates, and the "
            "Federal Reserve said more rises may come; the Atlanta Fed disagreed.")
    mentions = find_mentions("a", text)
    minister = {m.local_id for m in mentions if m.text.startswith("Hishammuddin")}
    assert len(minister) == 1
    fed = {m.text: m.local_id for m in mentions if "Fed" in m.text}
    assert fed["Fed"] == fed["Federal Reserve"] != fed["Atlanta Fed"]
