"""Short forms the text defines ("… Safety Authority (Amsa)") join their full name."""

from __future__ import annotations

from storyline.model import Mention
from storyline.resolve.entities import acronym_definitions, resolve

TEXT = ("The Australian Maritime Safety Authority (Amsa) said the search would resume. "
        "Amsa said two aircraft had been sent. The Federal Reserve kept rates unchanged.")


def test_definitions_spell_the_initials_of_the_name_before_them():
    found = acronym_definitions({"a": TEXT + " The UN Human Rights Council (UNHRC) met. "
                                 "Mr Smith (left) spoke. the Local Co-ordination Committees "
                                 "(LCC) said."})
    assert ("Australian Maritime Safety Authority", "Amsa") in found
    assert ("UN Human Rights Council", "UNHRC") in found
    assert ("Local Co-ordination Committees", "LCC") in found
    assert not any(short == "left" for _, short in found)


def _mention(text, label="ORG", article="a"):
    start = TEXT.index(text)
    return Mention(article, start, start + len(text), text, label)


def test_a_defined_short_form_is_one_entity_with_its_name_and_the_evidence_says_why():
    full = _mention("Australian Maritime Safety Authority")
    short = Mention("a", TEXT.index("Amsa said"), TEXT.index("Amsa said") + 4, "Amsa", "ORG")
    fed = _mention("Federal Reserve")
    entities = resolve([full, short, fed], {"a": TEXT})
    amsa = [e for e in entities if e.name == "Australian Maritime Safety Authority"]
    assert len(amsa) == 1 and "Amsa" in amsa[0].aliases
    assert any("defines it" in ev for ev in amsa[0].evidence)
    assert any(e.name == "Federal Reserve" and not e.aliases for e in entities)


def test_without_a_definition_an_unknown_short_form_stays_apart():
    text = "The Australian Maritime Safety Authority said so. Amsa said two aircraft were sent."
    full = Mention("a", 4, 40, "Australian Maritime Safety Authority", "ORG")
    short = Mention("a", text.index("Amsa"), text.index("Amsa") + 4, "Amsa", "ORG")
    names = {e.name for e in resolve([full, short], {"a": text})}
    assert names == {"Australian Maritime Safety Authority", "Amsa"}
