"""Mentions: the people, organisations and places one parsed article names.

``find_mentions`` turns a parsed article into :class:`Mention` objects with exact offsets,
roles from premodifiers and appositions, and within-article chains (a surname joins the full
name it abbreviates). The corpus-wide grouping into entities is
:mod:`storyline.resolve.entities`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from storyline import nlp
from storyline.annotate import defined, generic_orgs
from storyline.annotate.transcript import find_turns
from storyline.lexicon import places as geo
from storyline.lexicon.roles import ORG_WORDS, ROLE_HEADS
from storyline.model import Mention, stable_id
from storyline.nlp import kinds, names
from storyline.nlp.components import POSSESSIVES, doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc

KEEP_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")

# ---------------------------------------------------------------- per-article mentions


def find_mentions(article_id: str, text: str, doc: Doc | None = None) -> list[Mention]:
    """Named-entity mentions of one article with exact offsets, roles and local chains."""
    if not text or not text.strip():
        return []
    if doc is None:
        doc = nlp.parse(text)
    mentions: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ not in KEEP_LABELS and not (
                ent.label_ in kinds.KEPT_BY_KIND and kinds.kept(doc, ent.start, ent.end, ent.label_)):
            continue
        start, end = ent.start_char, ent.end_char
        if end > len(text) or text[start:end] != ent.text or not ent.text.strip():
            continue
        role = _role(ent) if ent.label_ == "PERSON" else None
        mentions.append(Mention(article_id, start, end, ent.text, ent.label_, role=role))
    mentions = _defined_short_forms(article_id, text, mentions)
    mentions = _transcript_speakers(article_id, text, mentions)
    generic_orgs.qualify(text, mentions)
    _chain_locally(article_id, mentions)
    return mentions


def _replace(mentions: list[Mention], added: list[Mention]) -> list[Mention]:
    """``mentions`` with ``added`` in place of any they overlap, in text order."""
    kept = [m for m in mentions if not any(m.start < a.end and a.start < m.end for a in added)]
    return sorted(kept + added, key=lambda m: (m.start, m.end))


def _defined_short_forms(article_id: str, text: str, mentions: list[Mention]) -> list[Mention]:
    """"The Federal Motor Carrier Safety Administration (FMCSA)": the text defines an
    organisation's short form, so the long form and every use of the short form are mentions
    of it, whether or not the tagger saw them (it often cuts the long form short: "Local
    Co-ordination" for "Local Co-ordination Committees"). A definition of a term that is not an
    organisation ("gross domestic product (GDP)") is left alone."""
    added: list[Mention] = []
    for (a, b), (c, d) in defined.acronym_spans(text):
        inside = [m for m in mentions if m.start < b and a < m.end]
        words = {w.lower().rstrip("s") for w in text[a:b].split()}
        if inside and all(m.label in ("GPE", "LOC", "NORP") for m in inside):
            continue  # "Democratic Republic of the Congo (DRC)" is tagged as a place already
        if not inside and not words & {w.rstrip("s") for w in ORG_WORDS}:
            continue
        label = next((m.label for m in inside if m.label not in ("GPE", "LOC", "NORP")), "ORG")
        added += [Mention(article_id, a, b, text[a:b], label),
                  Mention(article_id, c, d, text[c:d], label)]
        short = re.escape(text[c:d])
        for m in re.finditer(rf"(?<![\w-]){short}(?![\w-])", text):
            if m.start() != c:
                added.append(Mention(article_id, m.start(), m.end(), m.group(0), label))
    if not added:
        return mentions
    unique = {(m.start, m.end): m for m in added}
    return _replace(mentions, list(unique.values()))


def _transcript_speakers(article_id: str, text: str, mentions: list[Mention]) -> list[Mention]:
    """A transcript's speaker labels ("CANTWELL:") are mentions of the people speaking."""
    labels = [Mention(article_id, t.label_start, t.label_end, t.label, "PERSON")
              for t in find_turns(text) if t.named]
    return _replace(mentions, labels) if labels else mentions


def _is_role_token(tok) -> bool:
    low = tok.lower_.strip(".")
    if low in names.ROLE_WORDS or low in ROLE_HEADS:
        return True
    if tok.text in POSSESSIVES or low == "of":
        return True
    if tok.ent_type_ in ("ORG", "GPE", "NORP", "LOC"):
        return True
    return tok.text[:1].isupper() and tok.pos_ in ("PROPN", "ADJ") and tok.ent_type_ != "PERSON"


def _role(ent) -> str | None:
    """Title before the name ("Azerbaijani Foreign Minister") or in an apposition after it
    ("Ned Price, the State Department spokesman,")."""
    doc = ent.doc
    text = doc_text(doc)
    # Walk back at most 8 tokens, never across a sentence start.
    sent_floor = max(0, ent.start - 9)
    i = ent.start - 1
    first = None
    while i >= sent_floor and ent.start - i <= 8:
        tok = doc[i]
        if tok.is_sent_end or (i + 1 < ent.start and doc[i + 1].is_sent_start):
            break
        if tok.is_space or "\n" in tok.whitespace_ or not _is_role_token(tok):
            break
        first = i
        i -= 1
    if first is not None:
        toks = list(doc[first: ent.start])
        while toks and (toks[0].text in POSSESSIVES or toks[0].lower_ == "of"):
            toks.pop(0)
        # Only the part from the first word that can start a title ("Following talks" is not).
        if any(t.lower_ in ROLE_HEADS for t in toks):
            return text[toks[0].idx: toks[-1].idx + len(toks[-1].text)]
    # Apposition: "Name, (the|a) … spokesman,"
    j = ent.end
    if j < len(doc) - 2 and doc[j].text == ",":
        k = j + 1
        if doc[k].lower_ in ("the", "a", "an"):
            k += 1
        start_k = k
        while k < len(doc) and k - start_k < 8 and _is_role_token(doc[k]) and doc[k].text != ",":
            k += 1
        toks = list(doc[start_k:k])
        if toks and toks[-1].lower_ in ROLE_HEADS and k < len(doc) and doc[k].text in (",", "."):
            return text[toks[0].idx: toks[-1].idx + len(toks[-1].text)]
    return None


def label_group(label: str) -> str:
    return {"GPE": "PLACE", "LOC": "PLACE"}.get(label, label)


def _chain_locally(article_id: str, mentions: list[Mention]) -> None:
    """Set ``local_id``: mentions of one referent within the article share it."""
    by_group: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_group[label_group(m.label)].append(m)
    for group, ms in by_group.items():
        if group == "PERSON":
            _chain_people(article_id, ms)
            continue
        # Longest forms first so "State Department" joins "U.S. State Department".
        reps: list[str] = []
        for form in sorted({m.text for m in ms}, key=lambda t: (-len(t), t)):
            target = form
            for rep in reps:
                same, _, _ = names.same_referent(form, None, rep, None, ms[0].label, ms[0].label)
                if same:
                    target = rep
                    break
            else:
                clipped = _clipped_from(form, reps)
                if clipped:
                    target = clipped
                else:
                    reps.append(form)
            for m in ms:
                if m.text == form:
                    # one name of two countries' ministries is two referents
                    key = (geo.fold(target),) + ((m.qualifier,) if m.qualifier else ())
                    m.local_id = stable_id("loc", article_id, group, *key)


def _clipped_from(form: str, reps: list[str]) -> str | None:
    """"Fed" for "Federal Reserve": a one-word short form clipped from the first word of the
    one longer name of the article that begins so."""
    if " " in form or len(form) < 3 or not form[:1].isupper() or not form[1:].islower():
        return None
    found = [r for r in reps if " " in r and r.split()[0] != form
             and r.split()[0].startswith(form) and not geo.place_label(r.split()[0])
             and not geo.is_demonym(r.split()[0])]
    return found[0] if len(found) == 1 else None


def _chain_people(article_id: str, ms: list[Mention]) -> None:
    full = sorted({m.text for m in ms if len(names.parse_name(m.text).keys) > 1},
                  key=lambda t: (-len(t), t))
    # Full names that are variants of a longer full name in the same article join it.
    canon: dict[str, str] = {}
    for form in full:
        for rep in sorted(set(canon.values()), key=lambda t: (-len(t), t)):
            if names.same_referent(form, None, rep, None, "PERSON", "PERSON")[0]:
                canon[form] = rep
                break
        else:
            canon[form] = form
    for m in sorted(ms, key=lambda m: m.start):
        parsed = names.parse_name(m.text)
        target = canon.get(m.text)
        if target is None and len(parsed.keys) == 1:
            k = parsed.keys[0]
            candidates = sorted({canon[f] for f in full if names.tokens_match(
                k, names.parse_name(f).keys[-1])})
            if not candidates:
                candidates = sorted({canon[f] for f in full if names.tokens_match(
                    k, names.parse_name(f).keys[0])})
            if len(candidates) == 1:
                target = candidates[0]
            elif candidates:
                # Several people share the surname: the nearest full mention before it.
                before = [x for x in ms if x.start < m.start and canon.get(x.text) in candidates]
                if before:
                    target = canon[max(before, key=lambda x: x.start).text]
        m.local_id = stable_id("loc", article_id, "PERSON", geo.fold(target or m.text))

