"""Quotes and who said them: the seed articles with the real spaCy model, odd quotation marks,
bad input, merging across outlets, and the PolNeAR scorer's gold reading."""

from __future__ import annotations

import pytest

from paths import SEEDS
from storyline import nlp
from storyline.annotate.quotes.find import find_quotes
from storyline.annotate.quotes.marks import find_quoted
from storyline.eval.quotes import _norm, parse_ann, pick_ann
from storyline.model import QuoteMention
from storyline.resolve.quotes import merge_quotes


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _quotes(text: str, article_id: str = "a") -> list[QuoteMention]:
    return find_quotes(article_id, text, nlp.parse(text), None)


@pytest.fixture(scope="module")
def seeds() -> dict[str, list[QuoteMention]]:
    out = {}
    for prefix in ("000", "001", "002", "003", "004"):
        out[prefix] = _quotes(_seed(prefix), prefix)
    return out


def _find(quotes, start_of: str, kind: str | None = None) -> QuoteMention:
    hits = [q for q in quotes if q.text.startswith(start_of) and (kind is None or q.kind == kind)]
    assert hits, f"no quote starting {start_of!r}"
    return hits[0]


@pytest.mark.slow
def test_offsets_are_exact_on_every_seed(seeds):
    for prefix, quotes in seeds.items():
        text = _seed(prefix)
        for q in quotes:
            assert text[q.start : q.end] == q.text
            if q.speaker.start is not None:
                assert text[q.speaker.start : q.speaker.end]
            if q.cue_start is not None:
                assert text[q.cue_start : q.cue_end] == q.cue


@pytest.mark.slow
def test_every_seed_direct_quote_is_found_with_its_speaker(seeds):
    expected = {
        "000": [
            ("The foreign ministers agreed to expedite", "Ned Price"),
            ("Yesterday was positive", "Ned Price"),  # quote paragraph without a cue
        ],
        "001": [("What we are doing is trying to create a space", "Ned Price")],
        "002": [
            ("We look forward to hosting another round", "Vedant Patel"),
            ("We continue to believe direct dialogue", "Vedant Patel"),
            ("...We continue to believe that steps", "Vedant Patel"),
            ("The Secretary personally has been engaged", "Vedant Patel"),
            ("And we also continue to think", "Vedant Patel"),
        ],
        "003": [
            ("The United States is committed to the peace", "Antony Blinken"),
            ("Direct dialogue is the best way", "Antony Blinken"),
            ("What we are seeing now are real steps", "Antony Blinken"),
            ("The United States as a friend to both", "Antony Blinken"),
        ],
    }
    for prefix, items in expected.items():
        direct = [q for q in seeds[prefix] if q.kind == "direct"]
        assert len(direct) == len(items), [q.text[:40] for q in direct]
        for start, speaker in items:
            assert _find(direct, start).speaker.name == speaker


@pytest.mark.slow
def test_pronoun_speakers_resolve_to_the_person(seeds):
    elaborate = _find(seeds["002"], "The Secretary personally")
    assert elaborate.cue == "went on to elaborate"
    assert _seed("002")[elaborate.speaker.start : elaborate.speaker.end] == "He"
    assert elaborate.speaker.name == "Vedant Patel"
    added = _find(seeds["003"], "The United States as a friend")
    assert added.cue == "added"
    assert _seed("003")[added.speaker.start : added.speaker.end] == "he"
    assert added.speaker.name == "Antony Blinken"
    assert added.speaker_mention is not None


@pytest.mark.slow
def test_split_quote_shares_the_attribution(seeds):
    first = _find(seeds["003"], "The United States is committed")
    second = _find(seeds["003"], "Direct dialogue is the best way")
    assert first.cue == second.cue == "said"
    assert first.cue_start == second.cue_start


@pytest.mark.slow
def test_cue_verbs_are_kept(seeds):
    assert _find(seeds["002"], "We continue to believe direct").cue == "went on to add"
    assert _find(seeds["002"], "And we also continue").cue == "concluded"
    assert _find(seeds["003"], "What we are seeing now").cue == "saying"


@pytest.mark.slow
def test_partial_quote_inside_reported_speech(seeds):
    q = _find(seeds["003"], "courageous steps", kind="partial")
    assert q.speaker.name and "Blinken" in q.speaker.name
    assert q.cue == "praised"


@pytest.mark.slow
def test_indirect_speech_with_that_clause(seeds):
    q = _find(seeds["001"], "that it is", kind="indirect")
    assert "quite important" in q.text
    assert q.speaker.name and "Price" in q.speaker.name
    anon = _find(seeds["003"], "the meeting was less about peace", kind="indirect")
    assert _seed("003")[anon.speaker.start : anon.speaker.end].startswith("An American official")


@pytest.mark.slow
def test_single_quoted_headline_word_is_a_partial_quote(seeds):
    key = _find(seeds["001"], "Key")
    assert key.kind == "partial" and key.text == "Key"


@pytest.mark.slow
def test_apostrophes_do_not_end_a_quote(seeds):
    q = _find(seeds["002"], "The Secretary personally")
    assert "Secretary’s level" in q.text and q.text.endswith("dignified peace.")
    assert _find(seeds["002"], "And we also continue").text.endswith(
        "can’t be replaced in this process."
    )


@pytest.mark.parametrize(
    "text, contents",
    [
        ("«Nous continuons», a-t-il dit.", ["Nous continuons"]),
        ("„Wir sind bereit“, sagte er.", ["Wir sind bereit"]),
        ("He said ‘we’ll see’ and left.", ["we’ll see"]),
        (
            "''It was a little more plane than I needed,'' he said.",
            ["It was a little more plane than I needed"],
        ),
        (
            "“First paragraph goes on\n“and ends here.”",
            ["First paragraph goes on", "and ends here."],
        ),
    ],
)
def test_quotation_mark_styles(text, contents):
    assert [text[q.start : q.end] for q in find_quoted(text)] == contents


@pytest.mark.slow
def test_quote_over_several_paragraphs_keeps_the_speaker():
    text = (
        "“We will not give up,” the minister said. “The talks go on.\n\n"
        "“We expect an answer next week.”\n\nThe talks resumed on Monday."
    )
    quotes = [q for q in _quotes(text) if q.kind == "direct"]
    assert len(quotes) == 3
    assert {q.speaker.start for q in quotes} == {text.index("the minister")}
    assert quotes[2].text == "We expect an answer next week."


@pytest.mark.parametrize(
    "text",
    [
        "",
        "No quotes at all in this sentence, he said.",
        "A lone closing mark” sits here.\n\nAnd another paragraph follows.",
        "He said “this never closes and the article\n\ngoes on for another paragraph without marks.",
        '"' * 50,
        "“" + "word " * 3000,
        "It’s the Clintons’ plan, isn’t it? ’Twas ‘odd.",
    ],
)
@pytest.mark.slow
def test_bad_input_never_crashes_or_swallows_the_article(text):
    quotes = _quotes(text)
    for q in quotes:
        assert text[q.start : q.end] == q.text
        assert "\n" not in q.text  # never beyond the paragraph it opened in


@pytest.mark.slow
def test_unclosed_quote_is_capped_at_its_paragraph():
    text = "He said “this never closes\n\nThe next paragraph is the reporter’s own."
    direct = [q for q in _quotes(text) if "never closes" in q.text]
    assert direct and direct[0].text == "this never closes"


def test_same_quote_across_outlets_is_merged():
    a = QuoteMention(
        "a1",
        10,
        90,
        "were able to agree to continue meeting and engaging in direct dialogue",
        "partial",
    )
    b = QuoteMention(
        "a2",
        5,
        80,
        "They were able to agree to continue meeting, engaging in direct dialogue",
        "direct",
    )
    c = QuoteMention("a3", 0, 20, "courageous steps", "partial")
    merged = merge_quotes([a, b, c])
    assert len(merged) == 2
    big = next(q for q in merged if len(q.occurrences) == 2)
    assert {o.article_id for o in big.occurrences} == {"a1", "a2"}
    assert [q.id for q in merge_quotes([c, b, a])] == [q.id for q in merged]


def test_quotes_of_no_words_are_no_quotes_and_ids_never_repeat():
    marks = [QuoteMention("a1", 10, 13, "?!…", "direct"), QuoteMention("a2", 4, 6, "--", "direct")]
    words = QuoteMention("a1", 30, 60, "courageous steps", "partial")
    merged = merge_quotes([*marks, words])
    assert [q.text for q in merged] == ["courageous steps"]
    assert len({q.id for q in merged}) == len(merged)


@pytest.mark.slow
def test_seed_quotes_carried_by_two_outlets_merge(seeds):
    merged = merge_quotes(seeds["002"] + seeds["004"])
    elaborate = next(q for q in merged if q.text.startswith("The Secretary personally"))
    assert {o.article_id for o in elaborate.occurrences} == {"002", "004"}
    assert elaborate.speaker.name == "Vedant Patel"


def test_gold_reading_joins_discontinuous_pieces(tmp_path):
    text = "“A good day,” she said. “Truly.”\n\nOther text."
    ann = tmp_path / "attributions" / "x_ab12.ann"
    ann.parent.mkdir()
    ann.write_text(
        "T1\tContent 0 13;24 32\t“A good day,” “Truly.”\n"
        "T2\tSource 14 17\tshe\n"
        "T3\tCue 18 22\tsaid\n"
        "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2\n"
        "garbage line that wraps\n",
        encoding="utf-8",
    )
    assert pick_ann(tmp_path, "x", {}) == ann
    (gold,) = parse_ann(ann, text)
    assert gold.direct and gold.source_text == "she"
    assert _norm(text, gold.pieces) == "a good day truly"


PATEL = ('When asked about the talks, Patel said in general, the U.S. has been "an important '
         'partner" in the peace process')
PASHINIAN = ('A week ago, Armenian Prime Minister Nikol Pashinian and Azerbaijani President Ilham '
             'Aliyev "agreed not to use force" to resolve their dispute.')


@pytest.mark.parametrize(
    "sentence, quoted, speaker",
    [
        (PATEL + ' and if Russia thinks that they can play a role in this, "certainly they are '
         'welcome to."', "certainly they are welcome to.", "Patel"),
        (PATEL + ".", "an important partner", "Patel"),
        (PASHINIAN, "agreed not to use force", "Pashinian"),
    ],
)
@pytest.mark.slow
def test_partial_quote_the_parse_leaves_unattached_gets_the_sentences_speaker(
    sentence, quoted, speaker
):
    from storyline import nlp

    doc = nlp.parse(sentence)
    found = {q.text: q for q in find_quotes("t", sentence, doc)}
    assert quoted in found, list(found)
    assert speaker in (found[quoted].speaker.name or "")


@pytest.mark.slow
def test_unnamed_official_described_by_nationality_is_the_speaker_not_the_nation():
    from storyline import nlp

    text = ("An American official, speaking on condition of anonymity, said the meeting was "
            "less about peace negotiations and more about providing an opportunity to talk.")
    (q,) = [q for q in find_quotes("t", text, nlp.parse(text)) if q.kind == "indirect"]
    assert q.speaker.name.startswith("An American official")
    assert q.speaker_mention is None


_REFERRING_SPEAKERS = {
    "description of a person": (
        ("Ahmad Seth told local media he had paid no attention to the rumours.\n\n"
         "\u201cI know my father better,\u201d the 26-year-old student told the newspaper."),
        "I know my father", "Ahmad Seth"),
    "description of an organisation": (
        ("Opposition activists blamed the army, said the Local Coordination Committees of "
         "Syria, a network of activists.\n\n"
         "\u201cThe shelling has not stopped,\u201d the network said in a statement."),
        "The shelling", "Local Coordination Committees"),
    # a pronoun is not a name inside what was said
    "pronoun after a reported clause": (
        ("Weapons were found at his flat, the Paris prosecutor Francois Molins said. A contact "
         "in Syria had told Ghlam to target churches, he added."),
        "A contact in Syria", "Francois Molins"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(_REFERRING_SPEAKERS))
def test_a_referring_speaker_is_the_one_named_before(case):
    text, quote, speaker = _REFERRING_SPEAKERS[case]
    assert _find(_quotes(text), quote).speaker.name == speaker


@pytest.mark.slow
def test_a_quote_without_a_cue_continues_the_speaker_just_before_it():
    text = ("Fundamentally, Darren Tipton credits the brand's focus. The chain remains "
            "\u201ca true bakery,\u201d he said.\n"
            "\u201cFor me, raised in Queens, we had those bakeries on every block.\u201d\n"
            "Visitors are greeted by cakes.\n"
            "\u201cNobody leaves hungry.\u201d")
    quotes = _quotes(text)
    assert _find(quotes, "a true bakery").speaker.name == "Darren Tipton"
    assert _find(quotes, "For me, raised in Queens").speaker.name == "Darren Tipton"
    # a paragraph of narration in between ends the run
    assert _find(quotes, "Nobody leaves hungry").speaker.name is None
