"""Quotes and who said them: direct, partial and indirect quotes with resolved speakers, and the
same quote across outlets merged into one.

``find_quotes`` is the per-article step: quoted spans come from :mod:`storyline.annotate.quotes.marks`,
cues and speakers from :mod:`storyline.annotate.quotes.speakers` over the spaCy parse, and reported clauses
("Price said that …") from the parse alone. The corpus step, ``merge_quotes``, is in :mod:`storyline.resolve.quotes`.
"""

from __future__ import annotations

import bisect
import math
import re
from typing import TYPE_CHECKING

from storyline.annotate.quotes.carry import carry_speakers, with_turns
from storyline.annotate.quotes.marks import Quoted, find_quoted, paragraphs
from storyline.annotate.quotes.speakers import (
    INDIRECT_LEMMAS,
    Cue,
    MentionIndex,
    Resolved,
    cue_of,
    is_cue_token,
    resolve,
    subject_of,
)
from storyline.annotate.spans import SpanCover
from storyline.model import Mention, QuoteMention, Speaker
from storyline.nlp.components import sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Doc

SENTENCE_END = ".!?…"
# Words after which quotation marks enclose a title or a name, not an utterance.
NAMING_WORDS = frozenset(
    {"of", "on", "in", "as", "and", "or", "the", "a", "an", "called", "titled", "named", "dubbed"}
)
# Verbs whose object can be a whole utterance in marks ('Trump tweeted “Thank you Georgia”');
# naming verbs ("what she calls “real solutions”") take partial quotes instead.
SAY_LIKE = frozenset(
    [
        "say",
        "write",
        "read",
        "chant",
        "echo",
        "shout",
        "mouth",
        "tweet",
        "add",
        "ask",
        "reply",
        "answer",
        "scream",
        "yell",
        "sing",
        "whisper",
        "exclaim",
        "state",
        "post",
        "text",
    ]
)
# How far after a closing mark an attribution may reach, in tokens: long enough for
# '…,” Leonard E. Burman, director of the … Center and a professor at …, said'.
AFTER_WINDOW = 40


def _entity_mentions(article_id: str, text: str, doc, mentions: list[Mention] | None):
    """The entity layer's mentions; an empty list means the layer found none, not "ask again"."""
    if mentions is not None:
        return mentions
    from storyline.annotate.mentions import find_mentions

    return find_mentions(article_id, text, doc)


def _tokens_in(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


_CONTEXT = 300  # characters either side of a quotation that _classify looks at


def _classify(text: str, q: Quoted, pstart: int, pend: int, doc) -> str:
    """direct: a whole utterance in marks; partial: a few quoted words inside our own sentence."""
    # Only the words next to the marks matter; a window keeps a paragraph that is one long line
    # from costing its whole length per quote.
    before = text[max(pstart, q.open - _CONTEXT) : q.open].rstrip()
    after = text[q.outer_end : min(pend, q.outer_end + _CONTEXT)].lstrip()
    content = text[q.start : q.end]
    raw = text[q.start : q.close].rstrip() if q.close is not None else content
    ends_utterance = bool(raw) and raw[-1] in SENTENCE_END + ",—-"
    if q.continues:
        return "direct"
    prev_word = before.split()[-1].lower() if before.split() else ""
    if prev_word.endswith(("’s", "'s")) or prev_word in NAMING_WORDS:
        # 'on CNN’s “New Day,”', 'known as “Guccifer”', 'starred in “Parks and Recreation”'
        return "partial"
    if q.single:
        if (not before or before.endswith(":")) and ends_utterance and len(content.split()) >= 3:
            return "direct"
        return "partial"
    if not before or before[-1] in SENTENCE_END + '”"’' + ")":
        # At a sentence start: a title or a name in marks ("“American Skin” was …") is partial.
        if (
            ends_utterance
            or not after
            or after[:1] in ",.;"
            or _attribution_after(text, q, pend, doc)
        ):
            return "direct"
        return "partial"
    if before.endswith(":"):
        return "direct"
    words = [t for t in _tokens_in(doc, max(pstart, q.open - 80), q.open) if t.idx < q.open]
    if before.endswith((",", "—")):
        if before[:-1].rstrip().lower().endswith(" that"):
            return "partial"  # 'said via email that, “Of course …”': reported, not verbatim
        if any(is_cue_token(t) for t in words[-6:]):
            return "direct"
        sent_words = [t.lower_ for t in words[-12:]]
        if "according" in sent_words:
            return "direct"
    elif (
        words
        and words[-1].lemma_.lower() in SAY_LIKE
        and (ends_utterance or not after or after[:1] in ".,;")
    ):
        # 'the ad claims “Jeb is …”', 'saying “Too many.”': the quote is the verb's whole object
        return "direct"
    if content[:1].isupper() and ends_utterance and _attribution_after(text, q, pend, doc):
        return "direct"
    return "partial"


def _attribution_after(text: str, q: Quoted, pend: int, doc) -> Cue | None:
    """'…,” Price said' / '…,” said Price' / '…” Patel went on to add.'"""
    if q.close is None:
        return None
    region_end = pend
    nxt_mark = _next_open(text, q.outer_end, pend)
    if nxt_mark is not None:
        region_end = nxt_mark
        content = text[q.start : q.end]
        if content[-1:] in ".!?" and text[q.outer_end : nxt_mark].rstrip()[-1:] in ",:":
            return None  # '“A.” He added, “B.”': the cue introduces the next quote
    raw = text[q.start : q.close].rstrip()
    # After a full stop inside the marks the next sentence is the reporter's: only a short
    # attribution ('….” Patel went on to add.') can belong to the quote.
    window = 6 if raw[-1:] in ".!?…" else AFTER_WINDOW
    toks = _tokens_in(doc, q.outer_end, region_end)[:window]
    for t in toks:
        if t.idx >= region_end:
            break
        if t.text in SENTENCE_END and t.i > toks[0].i:
            break
        if is_cue_token(t):
            return cue_of(t)
    return None


def _next_open(text: str, pos: int, pend: int) -> int | None:
    for i in range(pos, pend):
        if text[i] in "“„«" or (text[i] == '"' and i + 1 < pend and not text[i + 1].isspace()):
            return i
        if text[i : i + 2] == "''" and i + 2 < pend and not text[i + 2].isspace():
            return i
    return None


def _attribution_before(text: str, q: Quoted, pstart: int, doc) -> Cue | None:
    """'Patel concluded: “…”', 'He went on to elaborate: “…”', '…, saying: "…"', 'he said, “…”'."""
    before = text[pstart : q.open].rstrip()
    if not before:
        return None
    toks = _tokens_in(doc, pstart, pstart + len(before))
    if not toks:
        return None
    if before[-1] not in ":,—":
        # 'the Founding Fathers wrote “shall not be infringed.”': the verb right before
        last = toks[-1]
        return cue_of(last) if last.lemma_.lower() in SAY_LIKE else None
    sent_start = sentence_of(doc, toks[-1].i).start
    window = [t for t in toks if t.i >= sent_start][-12:]
    for t in reversed(window):
        if is_cue_token(t):
            return cue_of(t)
    for t in window[:-1]:
        if t.lower_ == "according" and t.nbor().lower_ == "to":
            # 'According to the newspaper, “…”'
            to = t.nbor()
            return Cue(t.idx, to.idx + len(to.text), text[t.idx : to.idx + len(to.text)], to)
    if before[-1] == ":" and window:
        # "Trump on Twitter: …" — no verb; the colon itself is the cue.
        colon = toks[-1]
        colon_sent = sentence_of(doc, colon.i)
        root = colon_sent.root
        if root.idx < colon.idx and colon_sent.start_char >= pstart:
            return Cue(colon.idx, colon.idx + 1, ":", root)
        # "Gillibrand: ‘I Think She Will.’" — a name and a colon, as in headlines
        return Cue(colon.idx, colon.idx + 1, ":", colon)
    return None


def _speaker(cue: Cue, index: MentionIndex, doc) -> Resolved | None:
    if cue.text.lower().startswith("according"):
        pobj = next((c for c in cue.verb.children if c.dep_ == "pobj"), None)
        return resolve(pobj, index, doc) if pobj is not None else None
    if cue.text != ":":
        subj = subject_of(cue.verb, index.masked_cover)
        return resolve(subj, index, doc) if subj is not None else None
    # A colon without a reporting verb: the clause's subject, else a name right before it.
    root = cue.verb
    subj = next(
        (c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.idx < cue.start),
        None,
    )
    if subj is not None:
        who = resolve(subj, index, doc)
        if who.end is None or who.end <= cue.start:
            return who
    return _name_before_colon(cue, index)


def _name_before_colon(cue: Cue, index: MentionIndex) -> Resolved | None:
    """'Gillibrand: ‘I Think She Will.’' — a name and a colon, as in headlines."""
    line_start = index.text.rfind("\n", 0, cue.start) + 1
    names = [m for m in index.inside(line_start, cue.start) if m.label in ("PERSON", "ORG")]
    if not names or index.text[names[-1].end : cue.start].strip(" ’'s"):
        return None
    m = names[-1]
    return Resolved(index.full_name(m), m.start, m.end, (m.start, m.end))


def _mention(
    article_id: str,
    text: str,
    start: int,
    end: int,
    kind: str,
    cue: Cue | None,
    who: Resolved | None,
) -> QuoteMention:
    speaker = Speaker()
    mention = None
    if who is not None:
        speaker = Speaker(name=who.name, start=who.start, end=who.end)
        mention = who.mention
    return QuoteMention(
        article_id=article_id,
        start=start,
        end=end,
        text=text[start:end],
        kind=kind,
        speaker=speaker,
        cue=cue.text if cue else None,
        cue_start=cue.start if cue else None,
        cue_end=cue.end if cue else None,
        speaker_mention=mention,
    )


def _paragraph_of(pos: int, paras: list[tuple[int, int]]) -> int:
    """Index of the paragraph (sorted, disjoint spans, ends inclusive) holding ``pos``, or -1."""
    k = bisect.bisect_right(paras, (pos, math.inf)) - 1
    return k if k >= 0 and paras[k][0] <= pos <= paras[k][1] else -1


def _direct_and_partial(article_id: str, text: str, doc, index: MentionIndex) -> list[QuoteMention]:
    paras = paragraphs(text)
    quoted = find_quoted(text)
    out: list[QuoteMention] = []
    prev_q: Quoted | None = None
    prev_attr: tuple[Cue | None, Resolved | None] | None = None
    last: Quoted | None = None
    for q in quoted:
        k = _paragraph_of(q.open, paras)
        if k < 0:
            continue
        if q.close is None and not q.continued and len(text[q.start : q.end].split()) <= 2:
            continue  # a stray mark before a word or two ('"Related'): nothing is quoted
        pstart, pend = paras[k]
        kind = _classify(text, q, pstart, pend, doc)
        cue: Cue | None = None
        who: Resolved | None = None
        if kind == "direct":
            cue = _attribution_after(text, q, pend, doc) or _attribution_before(
                text, q, pstart, doc
            )
            who = _speaker(cue, index, doc) if cue else None
            if who is None and q.continues and last is not None and last is prev_q:
                # the paragraph carries on the previous paragraph's unclosed quote
                assert prev_attr is not None  # set together with prev_q
                cue, who = prev_attr
            if who is None:
                who = _dash_attribution(text, q, pend, index, doc)
            if who is None and prev_q is not None and prev_attr is not None:
                between = text[prev_q.outer_end : q.open]
                same_para = _paragraph_of(prev_q.open, paras) == k
                if (
                    same_para
                    and prev_attr[0] is not None
                    and prev_attr[0].start >= prev_q.outer_end
                ):
                    # '"…," Price said. "…"' — the second half shares the attribution.
                    cue, who = prev_attr
                elif not same_para and text[pstart : q.open].strip() == "" and "\n" in between:
                    # A quote paragraph with no cue of its own continues the previous speaker
                    # when it directly follows that speaker's quote (or its "He said:").
                    prev_k = _paragraph_of(prev_q.open, paras)
                    if prev_k == k - 1 and prev_attr[1] is not None:
                        # same speaker, same attribution: the quote carries on
                        cue, who = prev_attr
            if who is None and not text[pstart : q.open].strip() and k > 0:
                # 'He went on to say:' ending the previous paragraph
                ppstart, ppend = paras[k - 1]
                if text[ppstart:ppend].rstrip().endswith(":"):
                    fake = Quoted(ppend, None, ppend, ppend)
                    cue = _attribution_before(text, fake, ppstart, doc)
                    who = _speaker(cue, index, doc) if cue else None
        else:
            cue, who = _enclosing_cue(text, q, doc, index)
            if who is None:
                cue, who = _sentence_cue(text, q, doc, index)
            if who is None:
                # 'Paris Baguette remains “a true bakery,” he said, …': a cue right after
                after = _attribution_after(text, q, pend, doc)
                if after is not None and after.start - q.outer_end <= 25:
                    cue, who = after, _speaker(after, index, doc)
        out.append(_mention(article_id, text, q.start, q.end, kind, cue, who))
        if kind == "direct":
            prev_q, prev_attr = q, (cue, who)
        last = q
    return out


_DASH = re.compile(r"\s*[―—–-]{1,2}\s*")


def _dash_attribution(text: str, q: Quoted, pend: int, index: MentionIndex, doc) -> Resolved | None:
    """'“…” ― Sonya Herridge': a name after a dash, as in collected reader quotes."""
    if q.close is None:
        return None
    m = _DASH.match(text, q.outer_end, pend)
    if not m:
        return None
    start = m.end()
    end = start
    while end < pend and text[end] not in ",;(\n":
        end += 1
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ".)":
        end -= 1
    if end <= start or not text[start].isupper() or len(text[start:end].split()) > 8:
        return None
    inside = index.inside(start, end)
    if inside:
        first = inside[0]
        return Resolved(index.full_name(first), start, end, (first.start, first.end))
    return Resolved(text[start:end], start, end)


def _enclosing_cue(text: str, q: Quoted, doc, index: MentionIndex):
    """The reporting verb governing a partial quote: 'Blinken praised them for taking "…"'."""
    toks = _tokens_in(doc, q.start, q.end)
    if not toks:
        return None, None
    tok = toks[0]
    seen = 0
    while tok.head is not tok and seen < 8:
        tok = tok.head
        seen += 1
        if is_cue_token(tok) and not (q.open <= tok.idx < q.outer_end):
            cue = cue_of(tok)
            return cue, _speaker(cue, index, doc)
    return None, None


def _sentence_cue(text: str, q: Quoted, doc, index: MentionIndex):
    """Fallbacks for a partial quote the parse does not hang under its reporting verb.

    'Patel said in general, the U.S. has been "an important partner"' is often parsed with
    "said" as a side clause, so climbing from the quote never meets it: take the sentence's
    own reporting verb before the quote. And when the quoted words are the predicate ('Pashinian
    and Aliyev "agreed not to use force"'), the speakers are that verb's subject.
    """
    toks = _tokens_in(doc, q.start, q.end)
    if not toks:
        return None, None
    sent = sentence_of(doc, toks[0].i)
    before = [tok for tok in sent if tok.idx < q.open]
    for tok in reversed(before):  # the reporting verb nearest the quote
        # ... that does not head a subordinate clause ("if Russia thinks …", "When asked …")
        subordinate = tok.dep_ == "advcl" or any(c.dep_ == "mark" for c in tok.children)
        if is_cue_token(tok) and not subordinate and not index.is_masked(tok.idx):
            cue = cue_of(tok)
            who = _speaker(cue, index, doc)
            if who is not None:
                return cue, who
    for tok in toks:
        if tok.pos_ not in ("VERB", "AUX") or tok.dep_ not in ("ROOT", "conj", "ccomp"):
            continue
        subj = subject_of(tok, index.masked_cover)
        if subj is not None and subj.idx < q.open:
            return cue_of(tok), resolve(subj, index, doc)
    return None, None


def _indirect(
    article_id: str, text: str, doc, index: MentionIndex, direct: SpanCover
) -> list[QuoteMention]:
    """Reported clauses: the clausal complement of a reporting verb, and 'according to X, …'."""
    out: list[QuoteMention] = []
    for tok in doc:
        if index.is_masked(tok.idx):
            continue  # reported speech inside a quote is the quoted speaker's, not ours
        lemma = tok.lemma_.lower()
        content = None
        cue: Cue | None = None
        who: Resolved | None = None
        if lemma in INDIRECT_LEMMAS and tok.pos_ in ("VERB", "AUX"):
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            # The clause runs from the first to the last token of the complements' subtrees
            # (their edges: walking each subtree would cost its size for every reporting verb).
            if comp is None:
                comps = _complements(tok)
                if not comps:
                    continue
            else:
                comps = [comp]
                # "predicted that A, but that B": a second that-clause coordinated with the first
                for c in tok.children:
                    if (
                        c.dep_ == "conj"
                        and c.i > comp.i
                        and any(m.dep_ == "mark" for m in c.children)
                    ):
                        comps.append(c)
            content = _trim_edges(doc, min(c.left_edge.i for c in comps),
                                  max(c.right_edge.i for c in comps))
            cue = cue_of(tok)
            subj = subject_of(tok, index.masked_cover)
            who = resolve(subj, index, doc) if subj is not None else None
        elif lemma == "accord" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            sent = sentence_of(doc, tok.i)
            a, b = tok.left_edge.i, tok.right_edge.i
            # keep the side of the sentence that is the clause (the longer one)
            left, right = a - sent.start, sent.end - 1 - b
            content = _trim_edges(doc, b + 1, sent.end - 1) if right >= left else \
                _trim_edges(doc, sent.start, a - 1)
            cue = Cue(tok.idx, doc[tok.i + 1].idx + 2, text[tok.idx : doc[tok.i + 1].idx + 2], tok)
            pobj = next((t for t in doc[tok.i + 1].children if t.dep_ == "pobj"), None)
            who = resolve(pobj, index, doc) if pobj is not None else None
        if content is None:
            continue
        start, end = content
        if "\n" in text[start:end]:
            continue  # a parse that ran across paragraphs
        if end - start < 8 or len(text[start:end].split()) < 3:
            continue
        # A clause that is a direct quote already is reported once, as the direct quote.
        covered = direct.overlap(start, end)
        if covered > 0.6 * (end - start):
            continue
        out.append(_mention(article_id, text, start, end, "indirect", cue, who))
    return out


# Verbs whose attributed content is an infinitive or object rather than a that-clause:
# "urged supporters to monitor polling places", "accused Clinton allies of being traitors".
OBJECT_CUES = frozenset(
    [
        "urge",
        "ask",
        "call",
        "seek",
        "vow",
        "promise",
        "pledge",
        "plan",
        "want",
        "threaten",
        "demand",
        "refuse",
        "decline",
        "offer",
        "accuse",
        "criticize",
        "criticise",
        "praise",
        "deny",
        "endorse",
        "defend",
        "describe",
        "blame",
        "attack",
        "dismiss",
        "reject",
        "propose",
        "support",
        "oppose",
        "condemn",
        "question",
        "cite",
        "mention",
        "discuss",
        "recommend",
        "warn",
        "order",
    ]
)


# ... and those whose content continues in a preposition ("praised them for taking …").
PREP_CUES = frozenset({"accuse", "praise", "blame", "criticize", "criticise", "describe", "call"})


def _complements(verb) -> list:
    if verb.lemma_.lower() not in OBJECT_CUES:
        return []
    takes_prep = verb.lemma_.lower() in PREP_CUES
    return [
        c
        for c in verb.children
        if c.i > verb.i
        and (
            c.dep_ in ("xcomp", "dobj", "oprd")
            or (takes_prep and c.dep_ == "prep" and c.lower_ in ("of", "for", "as", "on"))
        )
    ]


def _trim_edges(doc, first: int, last: int) -> tuple[int, int] | None:
    """The character span of tokens ``first`` to ``last`` without the punctuation and space
    at either end (an opening or closing quote mark stays)."""
    while last >= first and (doc[last].is_punct or doc[last].is_space) and \
            doc[last].text not in '”"':
        last -= 1
    while first <= last and (doc[first].is_punct or doc[first].is_space) and \
            doc[first].text not in '“"':
        first += 1
    if first > last:
        return None
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def find_quotes(
    article_id: str, text: str, doc: Doc | None, mentions: list[Mention] | None = None
) -> list[QuoteMention]:
    """Direct, partial and indirect quotes in one article, each with its speaker and cue.

    ``doc`` is the spaCy Doc of ``text``; ``mentions`` the entity layer's mentions (the parser's
    entities are used when none are given). Never raises on odd input: a malformed article
    yields the quotes that can be read from it.
    """
    if not text or doc is None:
        return []
    mentions = _entity_mentions(article_id, text, doc, mentions)
    quoted = find_quoted(text)
    masked = [(q.open, q.outer_end) for q in quoted]
    index = MentionIndex(text, mentions, masked)
    found = _direct_and_partial(article_id, text, doc, index)
    direct_spans = [(q.start, q.end) for q in found if q.kind == "direct"]
    found += _indirect(article_id, text, doc, index, SpanCover(direct_spans))
    carry_speakers(text, found, index)
    found = with_turns(article_id, text, found)
    found.sort(key=lambda q: (q.start, q.end))
    return found
