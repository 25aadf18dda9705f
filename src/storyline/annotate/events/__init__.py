"""Events: which sentences report who did what to whom, coded as PLOVER types.

Each sentence is read by :mod:`storyline.annotate.events.reader` (dependency rules over the PLOVER
lexicon in :mod:`storyline.lexicon.plover`); this module turns a reading into an
:class:`~storyline.model.EventMention`: surface names for actor and recipient (entity mentions
inside the phrase, else the phrase), the place the sentence puts the event in, and the date of
the sentence's own temporal expression; a sentence with none is dated by the report, unless it
tells background (the past perfect) or refers back to a time given before ("at that time").
A past act the sentence dates itself that no PLOVER type covers is kept as a dated fact (OTHER).

The timeline that merges events across articles lives in :mod:`storyline.resolve.timeline`.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from storyline.annotate.events.reader import (
    ACTOR_LABELS,
    FIRST_SECOND,
    PLACE_LABELS,
    PLACE_PREPS,
    Reading,
    lemma_of,
    read_clause,
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


# Prepositions that place an event against another one, not at its time ("since the 2020 war").
_RELATIVE_PREPS = frozenset(["since", "after", "before", "until", "following", "ahead"])


def _date_path(doc, ts: int, te: int, trigger) -> tuple[bool, int, bool] | None:
    """How a date attaches to the event: (modifies a reporting verb, is a noun modifier,
    governs the trigger's own clause). None when it dates something else: a date modifying
    a noun ("a 2020 war", "its February offensive") dates that noun, so it only counts when
    the noun is the trigger's own argument or the noun of a phrase on a clause above it
    ("under the 2020 deal, Armenia ceded …"). A date that reaches the event only through
    another clause that is not above it ("fled to Argentina in 1950, where he lived … until he
    was snatched …") is not the event's own (third value False): it yields to one that is."""
    span = doc.char_span(ts, te, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    above = {t.i for t in trigger.ancestors}
    modifier = root.dep_ in ("compound", "amod", "nummod", "poss", "nmod") and \
        root.head.pos_ in ("NOUN", "PROPN")
    if modifier:
        noun = root.head
        up = noun.head
        if noun.i == trigger.i or up.i == trigger.i or (up.dep_ == "prep" and
                                                        up.head.i == trigger.i):
            # the year of a noun ("days before the 2016 election") is weaker than a date
            # that governs the verb, unless the noun is the event itself ("the 2020 war")
            return False, 1, noun.i == trigger.i
        # "told a Wednesday press briefing": the date of the statement
        verb = up.head if up.dep_ == "prep" else up
        if verb.pos_ == "VERB" and lemma_of(verb) in plover.REPORTING:
            return True, 1, False
        if up.dep_ == "prep" and up.lower_ not in _RELATIVE_PREPS and verb.i in above:
            return False, 1, False  # "Under the 2020 deal, Armenia ceded …": the clause's time
        return None
    node, hops, other = root, 0, False
    while node.head.i != node.i and hops < 8:
        node = node.head
        hops += 1
        if node.i == trigger.i:
            return False, 0, not other
        if node.pos_ == "VERB" and lemma_of(node) in plover.REPORTING:
            return True, 0, False
        if node.pos_ == "VERB" and node.i not in above:
            other = True  # another clause's time: it dates the event only for want of its own
    return False, 0, not other


def _reporter(trigger):
    """The subject of the reporting verb above the trigger, if any."""
    node, hops = trigger, 0
    while node.head.i != node.i and hops < 8:
        node = node.head
        hops += 1
        if node.pos_ == "VERB" and lemma_of(node) in plover.REPORTING:
            return subject_of(node)
    return None


# Phrases that send a sentence back to a time the text gave before ("At that time Noble's
# owner denied …", "On that day, Cohen obtained …").
_ANAPHORIC = re.compile(r"\b(?:at that time|at the time|that day|that year|that month|that week|"
                        r"the same day|back then|by then|until then|ensuing|subsequent)\b",
                        re.IGNORECASE)


def _own_date(sent, reading: Reading, doc, timexes: list[Timex], offset: int):
    """The (value, text) of the time expression of the event's own clause, or None. A date
    on the reporting verb ("…, officials said Tuesday") dates the report, so it only counts
    when the reported act is the speaker's own (a statement, a promise, a demand); a date the
    text gives in full beats one that lacks its year or week ("On Oct. 19, 1987, the
    notorious Black Monday …")."""
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
            reporting, nouns, direct = path
            if reporting and not speaker_act:
                continue
            own.append((tx.value[:10].count("X"), not direct, nouns > 1, nouns,
                        abs(ts - trigger.idx), ts, tx))
    if own:
        tx = min(own, key=lambda x: x[:6])[6]
        return tx.value, tx.text
    return None


def _date(sent, reading: Reading, doc, timexes: list[Timex], offset: int, published,
          before: tuple[str, str] | None = None):
    """The event's date: its own time expression; else, for a sentence that refers back to a
    time ("at that time"), the time given before (``before``) or none; else, for background
    told in the past perfect ("had fled"), none; else the publication date."""
    own = _own_date(sent, reading, doc, timexes, offset)
    if own is not None:
        return own
    trigger = doc[reading.trigger]
    # "It claimed more than 6,500 lives": a past act of something named before
    it = reading.actor is not None and reading.actor.lower_ == "it" and trigger.tag_ == "VBD"
    if it or _ANAPHORIC.search(sent.text):
        return before if before is not None else (None, None)
    if trigger.tag_ == "VBN" and any(c.lower_ == "had" and c.dep_ == "aux"
                                     for c in trigger.children):
        return None, None
    return published, None


def _time_before(pos: int, timexes: list[Timex]) -> tuple[str, str] | None:
    """The last calendar time the text gives before ``pos``: what "at that time" refers to."""
    earlier = [tx for tx in timexes if tx.end <= pos and tx.type in ("DATE", "TIME")
               and is_calendar_value(tx.value)]
    if not earlier:
        return None
    tx = max(earlier, key=lambda tx: tx.start)
    return tx.value, tx.text


# How far back a full date still anchors a day the text gives without its year.
_NARRATIVE_REACH = 500


def _with_narrative_year(value: str, pos: int, timexes: list[Timex]) -> str:
    """In an undated article, a day without its year takes the year the article itself gives
    it: the year of the same day stated in full elsewhere ("on Feb. 27" … "On or about
    February 27, 2018", one year only), else the year of a full date just before it ("He was
    hanged … on 31 May" right after "May 29, 1962" is 31 May 1962: the narrative's own time),
    never the year of a year merely mentioned."""
    if not re.fullmatch(r"XXXX-\d{2}(?:-\d{2})?", value):
        return value
    if len(value) == 10:
        years = {tx.value[:4] for tx in timexes
                 if (tx.value or "")[4:] == value[4:] and tx.value[:4].isdigit()}
        if len(years) == 1:
            return years.pop() + value[4:]
    near = [tx for tx in timexes if tx.end <= pos and pos - tx.end <= _NARRATIVE_REACH
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}", tx.value or "")]
    if not near:
        return value
    return max(near, key=lambda tx: tx.start).value[:4] + value[4:]


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
    """The PLOVER events reported in one article: one per sentence that reports one, and one
    more for each act of a clause of its own that the text dates itself.

    ``doc`` is the spaCy parse of ``text`` (``offset`` is where the Doc starts in ``text``,
    0 normally). ``mentions`` are the article's entity mentions (defaults to ``doc.ents``);
    ``timexes`` its normalised temporal expressions; ``published`` the publication date used
    when a sentence has no date of its own. Actor and recipient names are surface texts.
    """
    if doc is None or not text:
        return []
    mentions = list(mentions) if mentions is not None else _mentions_from_doc(article_id, doc)
    timexes = list(timexes or [])
    if published is None:
        # An undated article's days take the years the article gives them before its events
        # weigh them: "On that day" (Feb. 27, given in full later as February 27, 2018) is then
        # a full date like any other, not one that loses to a year of another clause.
        timexes = [dataclasses.replace(tx, value=_with_narrative_year(tx.value, tx.start, timexes))
                   for tx in timexes]
    events: list[EventMention] = []
    for sent in _segments(doc):
        if len(sent) < 4 or not any(t.pos_ == "VERB" for t in sent):
            continue
        try:
            reading = read_sentence(sent) or _fact_reading(sent, doc, timexes, offset)
            event, main = None, None
            if reading is not None:
                event = _event(article_id, text, doc, sent, mentions, timexes, published,
                               offset, reading)
                main = reading.trigger
            found = [event] + [
                _event(article_id, text, doc, sent, mentions, timexes, published, offset, r)
                for r in _clause_readings(sent, doc, timexes, offset, main)]
        except (IndexError, ValueError, KeyError, AttributeError, RecursionError):
            found = []  # an unusual parse costs that sentence, never the article
        # one act per type and date in a sentence: a clause that repeats the main event's
        # type and date adds nothing
        seen = set()
        for e in found:
            if e is not None and (e.type, e.date) not in seen:
                seen.add((e.type, e.date))
                events.append(e)
    return events


def _clause_readings(sent, doc, timexes: list[Timex], offset: int,
                     taken: int | None) -> list[Reading]:
    """The sentence's other acts that the text dates themselves, in a clause of their own:
    "… deployed troops after Islamist militants killed 17 people in January", "… fled to
    Argentina in 1950, where he lived … until he was snatched by Mossad agents in May 1960"."""
    out = []
    for tok in sent:
        if tok.pos_ != "VERB" or tok.i == taken or tok.dep_ not in ("advcl", "relcl", "conj",
                                                                    "acl"):
            continue
        if lemma_of(tok) in plover.REPORTING:
            continue
        reading = read_clause(tok, path=["clause"])
        if reading is None or reading.trigger != tok.i:
            continue
        for tx in timexes:
            ts, te = tx.start - offset, tx.end - offset
            if not (ts >= sent.start_char and te <= sent.end_char and tx.type == "DATE"
                    and is_calendar_value(tx.value)):
                continue
            path = _date_path(doc, ts, te, tok)
            if path is not None and path == (False, 0, True):
                out.append(reading)
                break
    return out


def _fact_reading(sent, doc, timexes: list[Timex], offset: int) -> Reading | None:
    """A past act that is no PLOVER event but that the sentence dates itself ("The Dow closed
    at 18,589.69 on November 9, 2016", "Captain Shah joined Malaysia Airlines in 1981", "He
    was hanged … on 31 May", '"…," Trump tweeted on Nov. 7, 2012'): a dated fact of the
    story, typed OTHER. Statements are left to the quotes."""
    root = sent.root
    verbs = [root] + [c for c in root.children if c.dep_ in ("parataxis", "conj")]
    for verb in verbs:
        if verb.pos_ not in ("VERB", "AUX") or lemma_of(verb) in plover.REPORTING \
                or verb.lemma_.lower() in ("say", "tell", "be", "have"):
            continue
        aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        # (a finite past the tagger read as a participle: '…," Trump tweeted on …')
        past = verb.tag_ == "VBD" or (verb.tag_ == "VBN" and (not aux or any(
            c.dep_ == "auxpass" and c.lower_ in ("was", "were") for c in aux)))
        if not past:
            continue
        reading = Reading("OTHER", verb.i, subject_of(verb), None, path=["dated-fact"])
        own = _own_date(sent, reading, doc, timexes, offset)
        if own is not None and not own[0].startswith("XXXX-W"):
            return reading
    return None


def _event(article_id, text, doc, sent, mentions, timexes, published, offset,
           reading: Reading):
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
    date, date_text = _date(sent, reading, doc, timexes, offset, published,
                            _time_before(sent.start_char + offset, timexes))
    if date and published is None:
        date = _with_narrative_year(date, sent.start_char + offset, timexes)
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
