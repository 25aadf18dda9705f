"""Quotes across the corpus: the same quote carried by several outlets merged into one."""

from __future__ import annotations

import re
from collections import Counter

from storyline.lexicon.roles import STAND_IN_SPEAKERS
from storyline.model import Entity, Mention, Quote, QuoteMention, Span, Speaker, stable_id

_WORD = re.compile(r"\w+(?:['’]\w+)?")


def _words(s: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(s)]


def _similar(a: list[str], b: list[str]) -> bool:
    """Same quote: identical words, one a sub-span of the other, or near-identical wording."""
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4:
        n = len(short)
        for i in range(len(long_) - n + 1):
            if long_[i : i + n] == short:
                return True
    from rapidfuzz.distance import Indel

    # Word-level similarity tolerates a dropped "and", a comma, a changed article.
    sim = Indel.normalized_similarity(a, b)
    return sim >= 0.85 and min(len(a), len(b)) >= 4


class _Wording:
    """A quote's words with what the cheap tests need (their set and counts)."""

    __slots__ = ("counts", "n", "set", "words")

    def __init__(self, words: list[str]):
        self.words = words
        self.n = len(words)
        self.set = frozenset(words)
        self.counts = Counter(words)


def _may_be_similar(a: _Wording, b: _Wording) -> bool:
    """False only when :func:`_similar` must be false: a sub-span needs every word of the
    shorter quote in the longer, and the word-level similarity 2·LCS/(la+lb) cannot pass 0.85
    when the lengths, or the words the two share (an upper bound of the LCS), are too unequal.
    It spares the exact test for the many pairs of a corpus that share nothing."""
    if not a.n or not b.n:
        return False
    short, long_ = (a, b) if a.n <= b.n else (b, a)
    if short.n >= 4 and short.set <= long_.set:
        return True
    if short.n < 4 or 2 * short.n < 0.85 * (a.n + b.n):
        return a.words == b.words
    shared = sum((a.counts & b.counts).values())
    return 2 * shared >= 0.85 * (a.n + b.n) or a.words == b.words


def _prefix(w: _Wording, rank: dict[str, int]) -> list[str]:
    """The rarest distinct words of a quote, enough that any quote :func:`_similar` to it, if
    it is the shorter of the two, holds one of them in the other: a sub-span keeps every word,
    and near-identical wording (2·shared ≥ 0.85·(la+lb), so at least 85 % of the shorter's
    words shared) can miss at most ``0.15·n`` of its distinct words."""
    distinct = sorted(w.set, key=lambda x: (rank[x], x))
    return distinct[: (15 * w.n) // 100 + 1]


def merge_quotes(items: list[QuoteMention]) -> list[Quote]:
    """One Quote per distinct quote across articles, with every occurrence; the text, speaker and
    cue come from the longest occurrence. Deterministic regardless of input order.

    Each quote joins the first earlier group it matches. Candidates come from two indexes
    (every word of a group; the rarest words of a group, see :func:`_prefix`), so a quote is
    tested only against groups it could match, not against every group of the corpus."""
    # A quote of no words (punctuation between quote marks) says nothing, and every one of
    # them would have the same id.
    worded = sorted(
        ((q, words) for q in items if (words := _words(q.text))),
        key=lambda qw: (qw[0].kind != "direct", -len(qw[0].text), qw[0].article_id, qw[0].start,
                        qw[0].text),
    )
    ordered = [q for q, _ in worded]
    wordings = [_Wording(words) for _, words in worded]
    frequency: Counter[str] = Counter(x for w in wordings for x in w.set)
    rarest_first = sorted(frequency.items(), key=lambda kv: (kv[1], kv[0]))
    rank = {x: n for n, (x, _) in enumerate(rarest_first)}
    groups: list[list[QuoteMention]] = []
    heads: list[_Wording] = []
    by_word: dict[str, list[int]] = {}
    by_prefix: dict[str, list[int]] = {}
    for q, wq in zip(ordered, wordings):
        candidates: set[int] = set()
        for x in _prefix(wq, rank):  # q the shorter: a group holds one of q's rarest words
            candidates.update(by_word.get(x, ()))
        for x in wq.set:  # the group the shorter: q holds one of the group's rarest words
            candidates.update(by_prefix.get(x, ()))
        for k in sorted(candidates):
            g = groups[k]
            same_kind = g[0].kind == q.kind or {g[0].kind, q.kind} <= {"direct", "partial"}
            if same_kind and _may_be_similar(heads[k], wq) and _similar(heads[k].words, wq.words):
                g.append(q)
                break
        else:
            k = len(groups)
            groups.append([q])
            heads.append(wq)
            for x in wq.set:
                by_word.setdefault(x, []).append(k)
            for x in _prefix(wq, rank):
                by_prefix.setdefault(x, []).append(k)
    out: list[Quote] = []
    ids: set[str] = set()
    for g, head in zip(groups, heads):
        rep = g[0]
        named = next((q for q in g if q.speaker.name and q.speaker_mention), None) or next(
            (q for q in g if q.speaker.name), rep
        )
        occ = sorted({(q.article_id, q.start, q.end) for q in g})
        quote_id = stable_id("q", rep.kind, " ".join(head.words))
        if quote_id in ids:  # two groups of one wording (never joined): told apart by place
            quote_id = stable_id("q", rep.kind, " ".join(head.words), *map(str, occ[0]))
        ids.add(quote_id)
        out.append(
            Quote(
                id=quote_id,
                text=rep.text,
                kind=rep.kind,
                speaker=Speaker(
                    name=named.speaker.name,
                    entity_id=named.speaker.entity_id,
                    start=None,
                    end=None,
                ),
                cue=named.cue or rep.cue,
                occurrences=[Span(a, s, e) for a, s, e in occ],
            )
        )
    out.sort(key=lambda q: (q.occurrences[0].article_id, q.occurrences[0].start, q.id))
    return out


def link_speakers(quotes: list[QuoteMention], mentions_of: dict[str, list[Mention]],
                  entities: list[Entity]) -> None:
    """Give each quote's speaker the entity its mention resolved to, and that entity's
    canonical name in place of surface forms ("Price", "he"), so one speaker reads one way.

    A nationality only describes an unnamed speaker ("An American official, speaking on
    condition of anonymity"): it is not who spoke, so such a speaker keeps its description."""
    entity_of = {(m.article_id, m.start, m.end): m.entity_id for e in entities for m in e.mentions}
    speakers = {e.id: e.name for e in entities if e.type in SPEAKER_TYPES}
    for q in quotes:
        entity_id = _speaker_entity(q, mentions_of.get(q.article_id, []), entity_of)
        q.speaker.entity_id = entity_id if entity_id in speakers else None
        if q.speaker.entity_id:
            q.speaker.name = speakers[q.speaker.entity_id]
        elif stands_in(q.speaker.name):
            q.speaker.name = None  # "he" left unresolved: the speaker is unknown, not "he"


# Who can speak: people, organisations and places standing for their governments. Not a
# nationality (it only describes an unnamed speaker: "An American official, speaking on condition
# of anonymity"), a film, a law or a product.
SPEAKER_TYPES = frozenset({"PERSON", "ORG", "GPE"})
_DEFINITE = re.compile(r"^(?:the|this|that|these|those|his|her|their|its)\s+[a-z][\w-]*$")


def stands_in(name: str | None) -> bool:
    """A speaker name that only stands in for someone: a pronoun ("he", "I", "They") or a bare
    definite description ("the spokesman", "The newspaper")."""
    key = " ".join((name or "").split()).lower()
    return key in STAND_IN_SPEAKERS or bool(_DEFINITE.match(key))


def _speaker_entity(q: QuoteMention, mentions: list[Mention],
                    entity_of: dict[tuple[str, int, int], str | None]) -> str | None:
    target = q.speaker_mention
    if target:
        found = entity_of.get((q.article_id, target[0], target[1]))
        if found:
            return found
    s = q.speaker
    if s.start is None or s.end is None:
        return None
    for m in mentions:
        if m.start < s.end and s.start < m.end:
            return entity_of.get((m.article_id, m.start, m.end))
    return None
