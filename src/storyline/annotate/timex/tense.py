"""Tense around a temporal expression: whether a bare "Tuesday" or "September" lies before
or after publication. From the spaCy Doc's governing verb when there is one, else from the
nearest cue word (will, said, an -ed verb) in the clause around the expression."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from spacy.tokens import Doc

_FUTURE_CUES = re.compile(
    r"(?i)\b(will|won't|'ll|shall|would|going\s+to|plans?\s+to|planned\s+to|planning\s+to|"
    r"scheduled|set\s+to|expected|expects?\s+to|due|is\s+to|are\s+to|could|might|may|"
    r"as\s+(?:soon|early)\s+as|upcoming|next|hopes?\s+to|intends?\s+to|aims?\s+to|"
    r"expire|expires|payable|begins?|starts?|opens?|ends?|deadline|must|should|record|"
    r"redeem|redeemable|maturing|matures)\b")
_PAST_CUES = re.compile(
    r"(?i)\b(said|says|told|was|were|had|did|ago|last|met|held|left|began|took|made|came|went|"
    r"gave|saw|got|fell|rose|won|lost|killed|hit|shot|struck|sent|spent|paid|sold|bought|"
    r"brought|led|ran|set\s+off|set(?=\s+(?:on|in|at|during)\s)|broke|fought|found|thought|kept|earlier|since|"
    r"\w{2,}(?<!need)ed)\b")
_NOT_PAST = re.compile(r"(?i)^(expected|scheduled|planned|united|proposed|based|limited|"
                       r"related|indeed|need|speed|feed|seed|bed|red|hundred|used|"
                       r"concerned|interested|alleged|armed|so-called|called|named)$")
_CLAUSE_LEFT = re.compile(r"[.!?;:\"“”]\s|\n|,\s+(?:and|but)\s|\b(?:where|which|who|when|"
                          r"after|before|because|while|whose)\s")
_SENT_END = re.compile(r"[.!?]\s+(?=[A-Z\"“])|\n")


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    m: re.Match[str] | None
    left = 0
    for m in _SENT_END.finditer(text, max(0, start - 300), start):
        left = m.end()
    m = _SENT_END.search(text, end)
    return left, (m.start() + 1 if m else len(text))


# A participle after "be" ("will be held", "would be paid") or after a determiner ("a still
# unspecified date", "the proposed merger") is no past tense.
_PARTICIPLE_LEFT = re.compile(r"(?i)(?:\b(?:will|would|shall|to)\s+be|'ll\s+be|\b(?:a|an|the|its|their|his|her))\s+"
                              r"(?:\w+ly\s+|still\s+|yet\s+)?$")
_RECORD_DATE_LEFT = re.compile(r"(?i)\bof\s+$")


def _cues(segment: str) -> list[tuple[int, int]]:
    """(position, direction) of each tense cue in ``segment``."""
    out = []
    for m in _FUTURE_CUES.finditer(segment):
        if m.group(1).lower() == "record" and not (_RECORD_DATE_LEFT.search(segment[:m.start()])
                                                   or segment[m.end():].lower().startswith(" date")):
            continue  # "a record high" is no future; "holders of record Dec. 21" is
        out.append((m.start(), 1))
    for m in _PAST_CUES.finditer(segment):
        if _NOT_PAST.match(m.group(1)) or any(p == m.start() for p, _ in out):
            continue
        if m.group(1).lower().endswith(("ed", "paid", "held", "made", "sent", "sold", "set", "left")) \
                and _PARTICIPLE_LEFT.search(segment[:m.start()]):
            continue
        out.append((m.start(), -1))
    return sorted(out)


def text_direction(text: str, start: int, end: int) -> int:
    """The tense around an expression from the nearest cue word: the clause before it first
    (the governing verb usually precedes a time adverbial in news), then a few words after."""
    left, right = _sentence_bounds(text, start, end)
    before = text[max(left, start - 70):start]
    if re.search(r"(?i)\b(by|until|till|through|between\s+now\s+and|effective)\s+$", before):
        return 0  # a deadline: as often ahead as behind, so the nearest date

    cut = None
    for m in _CLAUSE_LEFT.finditer(before):
        cut = m.end()
    if cut is not None and len(before) - cut > 12:
        before = before[cut:]
    cues = _cues(before)
    if cues:
        return cues[-1][1]
    after = text[end:min(right, end + 50)]
    cues = _cues(after)
    if cues:
        return cues[0][1]
    return 0


def doc_direction(doc: Doc, start: int, end: int) -> int | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    token = span.root
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX") or token.head is token:
            break
        token = token.head
    if token.pos_ not in ("VERB", "AUX"):
        return None
    for child in token.children:
        if child.dep_ == "aux" and child.lower_ in ("will", "'ll", "shall", "wo", "ll"):
            return 1
        if child.dep_ == "aux" and child.lower_ in ("would",):
            return 1
    # spaCy's stub makes MorphAnalysis.get's default required; it is optional (None).
    if "Past" in cast(Any, token.morph).get("Tense") and token.tag_ in ("VBD", "VBN"):
        return -1
    return None
