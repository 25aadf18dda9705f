"""The spaCy layer: the English shortcut of language detection."""

import pytest

from storyline import nlp

ENGLISH = ("Armenian Foreign Minister Ararat Mirzoyan and his Azerbaijani counterpart Jeyhun "
           "Bayramov met in Washington on Monday, the State Department said, and they agreed to "
           "continue the talks on a peace treaty that has been under discussion for more than "
           "a year after the fighting in Nagorno-Karabakh.")
GERMAN = ("Der armenische Außenminister Ararat Mirzoyan und sein aserbaidschanischer Amtskollege "
          "Jeyhun Bayramov haben sich am Montag in Washington getroffen, teilte das "
          "Außenministerium mit, und sie wollen die Gespräche über einen Friedensvertrag "
          "fortsetzen, der seit mehr als einem Jahr verhandelt wird.")
FRENCH = ("Le ministre arménien des Affaires étrangères Ararat Mirzoyan et son homologue "
          "azerbaïdjanais Jeyhun Bayramov se sont rencontrés lundi à Washington, a indiqué le "
          "département d'État, et ils ont convenu de poursuivre les pourparlers sur un traité "
          "de paix discuté depuis plus d'un an.")


def test_english_prose_is_recognised_without_langdetect():
    assert nlp.looks_english(ENGLISH)
    assert nlp.detect_language(ENGLISH) == "en"


@pytest.mark.parametrize(("text", "code"), [(GERMAN, "de"), (FRENCH, "fr")])
def test_other_languages_are_not_taken_for_english(text, code):
    assert not nlp.looks_english(text)
    assert nlp.detect_language(text) == code


def test_a_few_words_are_too_few_to_call_english():
    assert not nlp.looks_english("Bayramov said the talks were over.")


@pytest.mark.slow
def test_a_text_parsed_lately_is_not_parsed_again():
    # A build re-annotates an article its story dates; the parse of its unchanged text is kept.
    first = next(nlp.parse_many([ENGLISH]))
    again, other = nlp.parse_many([ENGLISH, ENGLISH.replace("Monday", "Tuesday")])
    assert again is first
    assert other is not first and "Tuesday" in other.text
    assert [e.text for e in first.ents] == [e.text for e in nlp.load()(ENGLISH).ents]


@pytest.mark.slow
def test_the_parse_memory_is_bounded_by_tokens(monkeypatch):
    monkeypatch.setattr(nlp, "MAX_RECENT_TOKENS", 60)
    docs = [next(nlp.parse_many([f"{ENGLISH} Report {i}."])) for i in range(4)]
    assert sum(len(d) for d in nlp._RECENT.values()) <= max(60, len(docs[-1]))
    assert nlp._RECENT[docs[-1].text] is docs[-1]
