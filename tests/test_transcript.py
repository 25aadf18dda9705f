"""Broadcast transcripts: speaker labels are mentions, and each guest's turn is a quote of them."""

from __future__ import annotations

import pytest

from storyline import nlp
from storyline.annotate.mentions import find_mentions
from storyline.annotate.quotes.find import find_quotes
from storyline.annotate.transcript import find_turns

TRANSCRIPT = """Farmers in Iowa are worried about the drought.
MARY LOUISE KELLY, HOST:
The drought in the Midwest is in its third month. Reporter Kate Payne went to a farm.
KATE PAYNE, BYLINE: The corn here should be taller than a man by now. It barely reaches the knee.
UNIDENTIFIED PERSON #1: Yeah.
PAYNE: Dale Hoffman has farmed this land for forty years.
DALE HOFFMAN: I have never seen it this dry. I think we will lose half the crop if it does not rain soon.
PAYNE: Hoffman says crop insurance will cover some of the loss.
HOFFMAN: It pays for the seed, not for the work.
"""


def test_turns_are_read_with_their_speakers_and_the_presenters_marked():
    turns = find_turns(TRANSCRIPT)
    by_label = {t.label: t for t in turns}
    assert by_label["KATE PAYNE"].role == "BYLINE" and by_label["KATE PAYNE"].reporter
    assert by_label["PAYNE"].name == "Kate Payne" and by_label["PAYNE"].reporter
    assert by_label["HOFFMAN"].name == "Dale Hoffman" and not by_label["HOFFMAN"].reporter
    assert by_label["UNIDENTIFIED PERSON #1"].name is None
    # the host's label stands on its own line; her turn is the next line
    host = by_label["MARY LOUISE KELLY"]
    assert TRANSCRIPT[host.body_start:host.body_end].startswith("The drought in the Midwest")


def test_text_with_a_few_capitalised_headings_is_not_a_transcript():
    text = "UPDATE: The bridge reopened on Friday.\nWATCH: Video of the opening.\nCrews worked all night."
    assert find_turns(text) == []


@pytest.mark.slow
def test_guest_turns_are_quotes_of_the_guest_and_narration_is_not():
    doc = nlp.parse(TRANSCRIPT)
    mentions = find_mentions("t", TRANSCRIPT, doc)
    labels = {m.text: m.label for m in mentions}
    assert labels["HOFFMAN"] == "PERSON" and labels["PAYNE"] == "PERSON"
    quotes = find_quotes("t", TRANSCRIPT, doc, mentions)
    turn = next(q for q in quotes if q.text.startswith("I have never seen it this dry"))
    assert turn.kind == "direct" and turn.speaker.name == "Dale Hoffman"
    assert turn.text.endswith("if it does not rain soon.")
    later = next(q for q in quotes if q.text.startswith("It pays for the seed"))
    assert later.speaker.name == "Dale Hoffman"
    # the guest's "I think …" is part of his turn, not a quote of a speaker "I"
    assert not [q for q in quotes if (q.speaker.name or "").lower() == "i"]
    # the reporter's narration is not quoted as her words
    assert not [q for q in quotes if q.text.startswith("The corn here")]
