"""Events: which sentences report who did what to whom, coded as PLOVER types.

Each sentence is read by :mod:`storyline.annotate.events.reader` (dependency rules over the PLOVER
lexicon in :mod:`storyline.lexicon.plover`); this module turns a reading into an
:class:`~storyline.model.EventMention`: surface names for actor and recipient (entity mentions
inside the phrase, else the phrase), the place the sentence puts the event in, and the date of
the sentence's own temporal expression, else the publication date.

The timeline that merges events across articles lives in :mod:`storyline.resolve.timeline`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.annotate.events.reader import (
    ACTOR_LABELS,
    FIRST_SECOND,
    PLACE_LABELS,
    PLACE_PREPS,
    Reading,
    lemma_of,
    read_sentence,
    subject_of,
)
from storyline.lexicon import plover
from storyline.model import EventMention, Mention, Timex
from storyline.nlp.components import doc_text
from storyline.timeml import is_calendar_value

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["classify", "find_events"]

# ---------------------------------------------------------------- surface names


def _phrase_tokens(tok) -> list:
    """The noun phrase of ``tok`` with its conjuncts, without relative clauses or appositions."""
    if tok is None:
        return []
    keep = []
    stop = {"relcl", "acl", "appos", "punct", "cc", "prep", "advcl", "conj"}
    for t in tok.subtree:
        node, ok = t, True
        while node.i != tok.i:
            if node.dep_ in stop:
                ok = False
                break
            node = node.head
        if ok:
            keep.append(t)
    for c in tok.children:
        if c.dep_ == "conj":
            keep.extend(_phrase_tokens(c))
        if c.dep_ == "prep" and c.lower_ in {"of", "from", "in"} and tok.pos_ == "NOUN":
            keep.extend(t for t in c.subtree if t.dep_ not in ("relcl",))
    return sorted({t.i: t for t in keep}.values(), key=lambda t: t.i)


def _names(tok, doc, mentions: list[Mention], offset: int) -> list[str]:
    """Surface names for the phrase headed by ``tok``: entity mentions inside it, else the
    noun chunk itself."""
    toks = _phrase_tokens(tok)
    if not toks:
        return []
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
    names = []
    for m in mentions:
        ms, me = m.start - offset, m.end - offset
        if ms >= start and me <= end and m.label in ACTOR_LABELS and m.text not in names:
            names.append(m.text)
    if names:
        return names
    if tok.lower_ in FIRST_SECOND or tok.pos_ == "PRON":
        return [tok.text]
    text = doc_text(doc)[start:end].strip(" ,;:\"'“”")
    return [text] if text else []


def _location(sent, reading: Reading, doc, mentions, offset, used: set[int]) -> str | None:
    """A GPE/LOC/FAC the sentence puts the event in ("in Washington", "at Blair House")."""
    trigger = doc[reading.trigger]
    for m in sorted(mentions, key=lambda m: m.start):
        if m.label not in PLACE_LABELS:
            continue
        ms, me = m.start - offset, m.end - offset
        if ms < sent.start_char or me > sent.end_char:
            continue
        span = doc.char_span(ms, me, alignment_mode="expand")
        if span is None or any(t.i in used for t in span):
            continue
        node = span.root
        if node.dep_ != "pobj" or node.head.lower_ not in PLACE_PREPS and not (
                node.head.lower_ == "of" and node.head.head.dep_ == "pobj"
                and node.head.head.head.lower_ in PLACE_PREPS):
            continue
        # The place phrase must belong to the event's clause, not to the reporter's
        # ("the Defense Ministry in Yerevan claimed …").
        hops, ok = 0, True
        while node.head.i != node.i and hops < 12:
            node = node.head
            hops += 1
            if node.i == trigger.i:
                break
            if node.pos_ == "VERB" and lemma_of(node) in plover.REPORTING:
                ok = False
                break
        if ok:
            return m.text
    return None


def _date_path(doc, ts: int, te: int, trigger) -> tuple[bool, int] | None:
    """How a date attaches to the event: (modifies a reporting verb, is a noun modifier).
    None when it dates something else: a date modifying a noun ("a 2020 war", "its February
    offensive") dates that noun, so it only counts when the noun is the trigger's own
    argument ("under the 2020 deal, Armenia ceded …")."""
    span = doc.char_span(ts, te, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    modifier = root.dep_ in ("compound", "amod", "nummod", "poss", "nmod") and \
        root.head.pos_ in ("NOUN", "PROPN")
    if modifier:
        noun = root.head
        up = noun.head
        if noun.i == trigger.i or up.i == trigger.i or (up.dep_ == "prep" and
                                                        up.head.i == trigger.i):
            return False, 1
        # "told a Wednesday press briefing": the date of the statement
        verb = up.head if up.dep_ == "prep" else up
        if verb.pos_ == "VERB" and lemma_of(verb) in plover.REPORTING:
            return True, 1
        return None
    node, hops = root, 0
    while node.head.i != node.i and hops < 8:
        node = node.head
        hops += 1
        if node.i == trigger.i:
            return False, 0
        if node.pos_ == "VERB" and lemma_of(node) in plover.REPORTING:
            return True, 0
    return False, 0


def _reporter(trigger):
    """The subject of the reporting verb above the trigger, if any."""
    node, hops = trigger, 0
    while node.head.i != node.i and hops < 8:
        node = node.head
        hops += 1
        if node.pos_ == "VERB" and lemma_of(node) in plover.REPORTING:
            return subject_of(node)
    return None


def _date(sent, reading: Reading, doc, timexes: list[Timex], offset: int, published):
    """The event's date: its own temporal expression, else the publication date. A date on
    the reporting verb ("…, officials said Tuesday") dates the report, so it only counts when
    the reported act is the speaker's own (a statement, a promise, a demand)."""
    trigger = doc[reading.trigger]
    actor = reading.actor
    reporter = _reporter(trigger)
    speaker_act = reporter is not None and actor is not None and reporter.i == actor.i
    own = []
    for tx in timexes:
        ts, te = tx.start - offset, tx.end - offset
        if ts >= sent.start_char and te <= sent.end_char and tx.type in ("DATE", "TIME") \
                and is_calendar_value(tx.value):
            path = _date_path(doc, ts, te, trigger)
            if path is None:
                continue
            reporting, nouns = path
            if reporting and not speaker_act:
                continue
            own.append((nouns > 1, nouns, abs(ts - trigger.idx), ts, tx))
    if own:
        tx = min(own, key=lambda x: x[:4])[4]
        return tx.value, tx.text
    return published, None


def _in_quote(doc, sent, idx: int) -> bool:
    text = doc_text(doc)[sent.start_char:idx]
    return (text.count('"') + text.count("“") - text.count("”")) % 2 == 1


def _segments(doc):
    """Sentences, cut again at line breaks: a headline, a caption or a dateline is never one
    sentence with the paragraph after it."""
    for sent in doc.sents:
        start = sent.start
        for tok in sent:
            if "\n" in tok.text or (tok.is_space and "\n" in tok.whitespace_ + tok.text):
                if tok.i > start:
                    yield doc[start:tok.i]
                start = tok.i + 1
            elif "\n" in tok.whitespace_:
                yield doc[start:tok.i + 1]
                start = tok.i + 1
        if start < sent.end:
            yield doc[start:sent.end]


def _mentions_from_doc(article_id: str, doc) -> list[Mention]:
    return [Mention(article_id, e.start_char, e.end_char, e.text, e.label_) for e in doc.ents]


def find_events(article_id: str, text: str, doc: Doc | None, mentions: list[Mention] | None = None,
                timexes: list[Timex] | None = None, published: str | None = None,
                offset: int = 0) -> list[EventMention]:
    """The PLOVER events reported in one article, one per sentence that reports one.

    ``doc`` is the spaCy parse of ``text`` (``offset`` is where the Doc starts in ``text``,
    0 normally). ``mentions`` are the article's entity mentions (defaults to ``doc.ents``);
    ``timexes`` its normalised temporal expressions; ``published`` the publication date used
    when a sentence has no date of its own. Actor and recipient names are surface texts.
    """
    if doc is None or not text:
        return []
    mentions = list(mentions) if mentions is not None else _mentions_from_doc(article_id, doc)
    timexes = list(timexes or [])
    events: list[EventMention] = []
    for sent in _segments(doc):
        if len(sent) < 4 or not any(t.pos_ == "VERB" for t in sent):
            continue
        try:
            event = _event(article_id, text, doc, sent, mentions, timexes, published, offset)
        except (IndexError, ValueError, KeyError, AttributeError, RecursionError):
            event = None  # an unusual parse costs that sentence, never the article
        if event is not None:
            events.append(event)
    return events


def _event(article_id, text, doc, sent, mentions, timexes, published, offset):
    reading = read_sentence(sent)
    if reading is None:
        return None
    actor_tok, recip_tok = reading.actor, reading.recipient
    trigger = doc[reading.trigger]
    # A first-person act inside a quotation is the speaker's stance, not a reported event.
    if _in_quote(doc, sent, trigger.idx) and (
            actor_tok is None or actor_tok.lower_ in FIRST_SECOND):
        return None
    actors = _names(actor_tok, doc, mentions, offset) if actor_tok is not None else []
    if actor_tok is not None and actor_tok.lower_ in {"he", "she"}:
        # the last person named before the sentence ("…, he added")
        before = [m for m in mentions
                  if m.label == "PERSON" and m.end <= sent.start_char + offset]
        if before:
            actors = [max(before, key=lambda m: m.start).text]
    recipients = _names(recip_tok, doc, mentions, offset) if recip_tok is not None else []
    recipients = [r for r in recipients if r not in actors]
    used = {t.i for t in _phrase_tokens(actor_tok)} | {t.i for t in _phrase_tokens(recip_tok)}
    location = _location(sent, reading, doc, mentions, offset, used)
    date, date_text = _date(sent, reading, doc, timexes, offset, published)
    start, end = sent.start_char + offset, sent.end_char + offset
    while end > start and text[end - 1].isspace():
        end -= 1
    return EventMention(
        article_id=article_id, start=start, end=end, type=reading.type,
        mode=reading.mode or "", trigger=trigger.text, actors=actors,
        recipients=recipients, location=location, date=date, date_text=date_text,
        sentence=text[start:end],
    )


def classify(text: str, doc: Doc | None = None) -> tuple[str | None, list[str], str | None]:
    """One sentence's (type, actor names, trigger), for scoring and quick use."""
    from storyline import nlp

    doc = doc if doc is not None else nlp.parse(text)
    sents = list(doc.sents)
    for sent in sents:
        reading = read_sentence(sent)
        if reading is None:
            continue
        actor_tok = reading.actor
        actors = _names(actor_tok, doc, _mentions_from_doc("x", doc), 0) \
            if actor_tok is not None else []
        return reading.type, actors, doc[reading.trigger].text
    return None, [], None
