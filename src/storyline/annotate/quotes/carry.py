"""Quotes whose speaker is given by what is around them, not by a cue of their own: the
turns of a transcript, and a quote that carries on the attribution just before it."""

from __future__ import annotations

from storyline.annotate.quotes.speakers import MentionIndex
from storyline.annotate.transcript import find_turns
from storyline.model import QuoteMention, Speaker

# How far a cue-less quote may sit from the attribution it continues.
_CARRY_REACH = 300


def carry_speakers(text: str, found: list[QuoteMention], index: MentionIndex) -> None:
    """A direct quote with no attribution of its own, opening a sentence right after words
    attributed to someone, continues that speaker: '… The lawyer added that … . "The
    condemned did not act …"' and '… “a true bakery,” he said. / “For me, …”'. Another
    person named in between, or a paragraph in between, ends the run."""
    last: QuoteMention | None = None
    for q in sorted(found, key=lambda q: (q.start, q.end)):
        if q.kind == "direct" and q.speaker.name is None and q.cue is None and last is not None:
            after = max(last.end, last.cue_end or 0, last.speaker.end or 0)
            gap = text[after:q.start]
            opens = text[:q.start].rstrip()[-2:]
            starts_sentence = not opens or opens[-1] in "\n.!?\"“‘'" or opens[-1:] in "”’"
            named_between = any(m.label == "PERSON" and not index.is_masked(m.start)
                                for m in index.inside(after, q.start))
            if (0 <= len(gap) <= _CARRY_REACH and gap.count("\n") <= 1 and starts_sentence
                    and not named_between):
                q.speaker = Speaker(name=last.speaker.name)
                q.speaker_mention = last.speaker_mention
        if q.speaker.name and q.speaker.name.lower() not in _FIRST_PERSON:
            last = q


_FIRST_PERSON = frozenset(["i", "we", "me", "us"])


def with_turns(article_id: str, text: str, found: list[QuoteMention]) -> list[QuoteMention]:
    """A transcript's turns are its speakers' own words: each named turn that is not the
    presenters' narration is a direct quote of the labelled speaker. The clauses found inside
    it that name no one else ("I think that …") are parts of that quote, not quotes of "I"."""
    turns = [t for t in find_turns(text) if t.named and not t.reporter]
    if not turns:
        return found
    out = []
    for q in found:
        turn = next((t for t in turns if t.body_start <= q.start and q.end <= t.body_end), None)
        who = (q.speaker.name or "").lower()
        if turn is not None and (not who or who in _FIRST_PERSON or who == (turn.name or "").lower()
                                 or q.speaker_mention == (turn.label_start, turn.label_end)):
            continue
        out.append(q)
    for t in turns:
        assert t.name is not None  # only named turns are kept above
        colon = text.rfind(":", t.label_end, t.body_start)
        out.append(QuoteMention(
            article_id=article_id, start=t.body_start, end=t.body_end,
            text=text[t.body_start:t.body_end], kind="direct",
            speaker=Speaker(name=t.name, start=t.label_start, end=t.label_end),
            cue=":", cue_start=colon, cue_end=colon + 1,
            speaker_mention=(t.label_start, t.label_end)))
    return out
