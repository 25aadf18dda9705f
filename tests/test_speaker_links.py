"""Quote speakers after corpus resolution: an entity's name, or unknown, never "he"."""

from __future__ import annotations

import pytest

from storyline.model import Entity, Mention, QuoteMention, Speaker
from storyline.resolve.quotes import link_speakers, stands_in

TEXT = "Ned Price said the talks went well. “We are encouraged,” he said. The film Inception"


def _quote(name, start=None, end=None, mention=None):
    return QuoteMention("a1", 37, 52, "We are encouraged", "direct",
                        Speaker(name, None, start, end), "said", speaker_mention=mention)


def _entities():
    price = Mention("a1", 0, 9, "Ned Price", "PERSON", entity_id="e_price")
    film = Mention("a1", 75, 84, "Inception", "WORK_OF_ART", entity_id="e_film")
    return [Entity("e_price", "Ned Price", "PERSON", mentions=[price]),
            Entity("e_film", "Inception", "WORK_OF_ART", mentions=[film])], [price, film]


@pytest.mark.parametrize("name", ["he", "She", "I", "They", "we", "the spokesman",
                                  "The newspaper", "their lawyer"])
def test_pronouns_and_bare_descriptions_stand_in_for_a_speaker(name):
    assert stands_in(name)


@pytest.mark.parametrize(
    "name", ["Ned Price", "An American official", "Price", "the Kremlin's spokesman Peskov"])
def test_names_and_indefinite_descriptions_are_speakers(name):
    assert not stands_in(name)


def test_a_resolved_pronoun_takes_the_entity_name():
    entities, mentions = _entities()
    q = _quote("he", 55, 57, mention=(0, 9))
    link_speakers([q], {"a1": mentions}, entities)
    assert (q.speaker.name, q.speaker.entity_id) == ("Ned Price", "e_price")


def test_an_unresolved_pronoun_is_an_unknown_speaker_not_he():
    entities, mentions = _entities()
    q = _quote("he", 55, 57)
    link_speakers([q], {"a1": mentions}, entities)
    assert (q.speaker.name, q.speaker.entity_id) == (None, None)
    assert (q.speaker.start, q.speaker.end) == (55, 57)  # where the text says "he" is kept


def test_a_film_is_never_a_speaker():
    entities, mentions = _entities()
    q = _quote("Inception", 75, 84, mention=(75, 84))
    link_speakers([q], {"a1": mentions}, entities)
    assert q.speaker.entity_id is None


PAIRS = [
    ("we are committed to the peace negotiations", "we are committed to the peace negotiations"),
    ("committed to the peace negotiations",
     "the united states is committed to the peace negotiations between armenia and azerbaijan"),
    ("the foreign ministers agreed to expedite their negotiations",
     "the foreign ministers agreed to expedite the negotiations"),
    ("yesterday was positive", "yesterday was positive in that the two sides met"),
    ("no no no no", "no no no no no"),
    ("a direct dialogue is key to peace", "markets fell sharply on monday in asia"),
    ("peace", "peace"),
]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_the_cheap_quote_filter_never_rules_out_a_pair_the_exact_test_would_merge(a, b):
    from storyline.resolve.quotes import _may_be_similar, _similar, _Wording, _words

    wa, wb = _words(a), _words(b)
    if _similar(wa, wb):
        assert _may_be_similar(_Wording(wa), _Wording(wb))
