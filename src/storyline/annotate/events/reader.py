"""Reading one sentence's PLOVER event from its dependency parse (no training).

From the sentence root the reader steps through reporting verbs ("…, officials said") to the
reported clause, through verbs that only pass an action on ("continued to send", "is ready to
contribute"), and stops at the first verb or event noun the PLOVER lexicon
(:mod:`storyline.lexicon.plover`) knows. Intention and negation met on the way decide PLOVER's coding
of unrealised acts (a promised visit is AGREE, a threatened sanction THREATEN, a refused
withdrawal REJECT). The actor is the subject of the acting clause (the agent of a passive); the
recipient its object or its with/to/against/on phrase.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyline.lexicon import plover

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

INTENT_AUX = {"will", "would", "'ll", "shall", "may", "might", "could", "wo", "going"}
OBLIGATION_AUX = {"must", "should", "ought"}
READY_ADJ = {"ready", "willing", "prepared", "determined", "eager", "set", "poised", "keen",
             "likely", "expected", "due", "committed", "open"}
UNWILLING_ADJ = {"unwilling", "reluctant", "opposed", "unable"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
FIRST_SECOND = {"i", "we", "you", "me", "us", "our", "my", "your"}
PRONOUN_SUBJECTS = {"they", "it", "he", "she", "we", "i"}
PLACE_PREPS = {"in", "at", "near", "outside", "inside", "around"}

# A trigger's lexical PLOVER mode, where the trigger itself says it (CAMEO2PLOVER modes).
MODES = {
    "visit": "visit", "arrive": "visit", "travel": "visit", "tour": "visit",
    "host": "host", "welcome": "host", "receive": "host",
    "telephone": "phone", "phone": "phone", "call": "phone",
    "arrest": "arrest", "detain": "detain", "jail": "detain", "imprison": "detain",
    "kidnap": "abduct", "abduct": "abduct", "deport": "deport", "ban": "ban",
    "outlaw": "ban", "curfew": "curfew", "confiscate": "confiscate", "seize": "seize",
    "demolish": "destroy", "shell": "heavy-weapons", "bomb": "explosives",
    "bombing": "explosives", "shoot": "firearms", "fire": "firearms",
    "torture": "torture", "assassinate": "assassinate", "beat": "beat",
    "strike": "strike", "riot": "riot", "demonstrate": "demo", "rally": "demo",
    "blockade": "restrict", "ceasefire": "ceasefire", "cease-fire": "ceasefire",
    "truce": "ceasefire", "withdraw": "withdraw", "release": "release",
}


@dataclass
class Reading:
    """What the reader found in one sentence."""

    type: str
    trigger: int  # token index
    actor: Token | None = None
    recipient: Token | None = None
    intent: bool = False
    negated: bool = False
    mode: str = ""
    path: list[str] = field(default_factory=list)  # why, for debugging


# ---------------------------------------------------------------- tokens and modality


def lemma_of(tok: Token) -> str:
    return tok.lemma_.lower()


def _children(tok, deps) -> list:
    return [c for c in tok.children if c.dep_ in deps]


def _negated(tok) -> bool:
    for c in tok.children:
        if c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in {"never"}):
            return True
        if c.dep_ == "advmod" and c.lower_ == "longer":
            return True
    return False


def _intent(tok) -> bool:
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass") and c.lower_ in INTENT_AUX:
            return True
        if c.dep_ == "aux" and c.lower_ == "to" and tok.dep_ == "xcomp" and \
                lemma_of(tok.head) in plover.INTENT_VERBS:
            return True
    return False


def _obliged(tok) -> bool:
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass") and c.lower_ in OBLIGATION_AUX:
            return True
    # "have to", "need to"
    return tok.dep_ == "xcomp" and lemma_of(tok.head) in {"have", "need"}


def _particle(tok) -> str | None:
    for c in tok.children:
        if c.dep_ == "prt":
            return c.lower_
    return None


def _phrasal(tok) -> str | None:
    lemma = lemma_of(tok)
    prt = _particle(tok)
    if prt and (lemma, prt) in plover.PHRASALS:
        return plover.PHRASALS[(lemma, prt)]
    for c in tok.children:
        if c.dep_ == "dobj" and (lemma, c.lower_) in plover.PHRASALS:  # "opened fire"
            return plover.PHRASALS[(lemma, c.lower_)]
        if c.dep_ == "prep" and (lemma, c.lower_) in plover.PHRASALS:  # "called for"
            return plover.PHRASALS[(lemma, c.lower_)]
    return None


def _noun_key(tok) -> str:
    """An event noun with its compound or "of" complement ("hunger strike", "state of siege")."""
    words = [c.lower_ for c in tok.lefts if c.dep_ in ("compound", "amod")] + [tok.lower_]
    base = " ".join(words[-2:])
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj":
                    return f"{tok.lower_} of {p.lower_}"
    return base


def _noun_type(tok) -> str | None:
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    key = _noun_key(tok)
    compounds = [c.lower_ for c in tok.lefts if c.dep_ == "compound"]
    for cand in (key, key.split(" ", 1)[-1], tok.lower_, lemma_of(tok), *compounds):
        if cand in plover.NOUNS:
            return plover.NOUNS[cand]
    return None


def _objects(tok) -> list:
    out = _children(tok, {"dobj", "attr", "oprd"})
    for prep in _children(tok, {"prep"}):
        if prep.lower_ in {"in", "into", "on", "to", "for", "with", "of"}:
            out.extend(_children(prep, {"pobj"}))
    for o in list(out):
        out.extend(_children(o, {"conj"}))
        # "10 days of war games", "a series of bombs": the measured noun names the act
        for prep in _children(o, {"prep"}):
            if prep.lower_ == "of":
                out.extend(_children(prep, {"pobj"}))
    return out


def _object_words(tok) -> set[str]:
    words = set()
    for o in _objects(tok):
        words.add(o.lower_)
        words.add(lemma_of(o))
        words.add(_noun_key(o))
        words.update(c.lower_ for c in o.children if c.dep_ in ("compound", "amod"))
    return words


# ---------------------------------------------------------------- the reading


def _verb_type(tok) -> str | None:
    """The PLOVER type a (non-control) verb names, its object taken into account."""
    lemma = lemma_of(tok)
    phrasal = _phrasal(tok)
    if phrasal:
        return phrasal
    objects = _object_words(tok)
    if lemma == "reach" and objects & plover.SETTLEMENT_NOUNS:
        return "AGREE"
    if lemma in ("establish", "restore", "upgrade", "resume", "normalize", "normalise") and \
            objects & {"ties", "relations"}:
        return "SUPPORT"  # CAMEO 054: diplomatic recognition
    if lemma == "receive" and objects & plover.RECEIVED_PRESENCE:
        return "RETREAT"  # CAMEO 086: allow international involvement
    if lemma in ("withdraw", "pull") and objects & plover.WITHDRAWN_PRESENCE:
        return "SANCTION"  # CAMEO 166: expel or withdraw peacekeepers, inspectors
    if lemma in ("violate", "break", "breach") and objects & plover.TRUCE_NOUNS:
        return "ASSAULT"  # CAMEO 196: violate ceasefire
    if lemma == "block":
        return "PROTEST" if objects & plover.ROAD_OBJECTS else "REJECT"
    if lemma in ("strengthen", "bolster", "boost", "increase", "double", "reinforce") and \
            objects & plover.MILITARY_OBJECTS:
        return "MOBILIZE"
    if lemma in ("give", "hand", "deliver", "ship", "fly", "send", "provide") and \
            objects & plover.AID_OBJECTS:
        return "AID"
    if lemma in plover.GATHER_VERBS:
        crowd = subject_of(tok)
        if crowd is not None and crowd.lower_ in plover.CROWDS:
            return "PROTEST"
    if lemma in plover.FORMAL_COMPLAINT_VERBS and objects & {"protest", "complaint", "protests"}:
        return "ACCUSE"  # CAMEO 114: complain officially
    if lemma == "protest" and _complement(tok) is not None:
        return "ACCUSE"  # protesting *that* something is so is verbal disapproval
    if lemma in ("send", "dispatch"):
        for c in tok.children:
            if c.dep_ in ("advcl", "xcomp") and plover.VERBS.get(lemma_of(c)) == "ACCUSE":
                return "ACCUSE"  # "sent a team to investigate"
    if lemma in plover.UNDOING:
        if objects & {"blockade", "blockades", "siege"}:
            return "RETREAT"  # CAMEO 0872: ease military blockade
        if objects & plover.UNDO_COERCIVE:
            return "CONCEDE"
        if objects & {"aid", "assistance", "links", "relations", "ties", "talks", "mediation",
                      "negotiations", "visit", "supplies", "cooperation", "deliveries"}:
            return plover.UNDOING[lemma]
    if lemma in {"send", "deploy", "dispatch", "move", "mass", "station"}:
        if objects & {"inspectors", "investigators", "observers", "monitors"}:
            return "ACCUSE"
        if objects & plover.MILITARY_OBJECTS:
            return "MOBILIZE"
        if objects & plover.AID_OBJECTS:
            return "AID"
    if lemma in plover.LIGHT or lemma not in plover.VERBS:
        for o in _objects(tok):
            t = _noun_type(o)
            if t:
                if lemma in {"impose", "reimpose", "institute", "extend", "tighten"} and \
                        t in ("PROTEST", "RETREAT", "CONSULT"):
                    continue
                return t
    return plover.VERBS.get(lemma)


def subject_of(tok: Token) -> Token | None:
    """The acting subject of a verb: the agent of a passive, else nsubj."""
    for c in tok.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    for c in tok.children:
        if c.dep_ == "nsubj" and c.lower_ not in {"there", "it"}:
            return c
        if c.dep_ == "nsubj" and c.lower_ == "it" and c.i + 1 < len(tok.doc):
            return c
    return None


def _passive_subject(tok):
    for c in tok.children:
        if c.dep_ == "nsubjpass":
            return c
    return None


def _recipient(tok):
    for c in tok.children:
        if c.dep_ in ("dobj", "dative"):
            return c
    for prep in _children(tok, {"prep"}):
        if prep.lower_ in {"with", "to", "against", "on", "at"}:
            for p in prep.children:
                if p.dep_ == "pobj" and p.ent_type_ in ACTOR_LABELS - PLACE_LABELS | {"GPE"}:
                    return p
    return None


def _complement(tok):
    """The verb a control/transparent verb governs ("agreed *to cooperate*")."""
    for c in tok.children:
        if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX"):
            return c
    return None


def read_clause(tok: Token, actor: Token | None = None, intent: bool = False,
                negated: bool = False, path: list[str] | None = None, depth: int = 0,
                reported: bool = False) -> Reading | None:
    """Read one clause headed by ``tok``; None if it names no PLOVER event."""
    path = list(path or [])
    if depth > 6:
        return None
    lemma = lemma_of(tok)
    subj = subject_of(tok)
    # A pronoun subject of a reported clause is (usually) the reporter: "Fijian rebels said
    # they will release …", "Patel said: we look forward to hosting …".
    if subj is not None and not (subj.lower_ in PRONOUN_SUBJECTS and actor is not None):
        actor = subj
    negated = negated or _negated(tok)
    intent = intent or _intent(tok)

    # "said that X must return the helicopter": an obligation put on someone else.
    if reported and _obliged(tok):
        return Reading("REQUEST", tok.i, actor, subject_of(tok), intent, negated, "",
                       path + ["obligation"])

    # "X is ready/willing to …", "X is unwilling to …"
    if lemma == "be":
        for c in tok.children:
            if c.dep_ == "acomp" and c.lower_ in READY_ADJ | UNWILLING_ADJ:
                comp = _complement(c)
                if comp is not None:
                    return read_clause(comp, actor, True, negated or c.lower_ in UNWILLING_ADJ,
                                       path + [f"ready:{c.lower_}"], depth + 1)
                if c.lower_ == "opposed":
                    return Reading("REJECT", c.i, actor, None, intent, negated, "", path)
        for c in tok.children:
            if c.dep_ in ("attr", "acomp"):
                t = _noun_type(c)
                if t:
                    return _finish(t, c, actor, intent, negated, path, passive=None)
        return None

    # Reporting verbs: the event is what they report.
    if lemma in plover.REPORTING and not _phrasal(tok):
        # …unless what they issue is itself a speech act ("reiterated its demand that …")
        for o in _children(tok, {"dobj"}):
            t = _noun_type(o)
            if t in ("REQUEST", "THREATEN", "ACCUSE", "REJECT"):
                return _finish(t, o, actor, intent, negated, path + ["speech-noun"], None)
        comp = _complement(tok)
        if comp is not None:
            inner = read_clause(comp, actor, intent, negated, path + [f"report:{lemma}"],
                                depth + 1, reported=True)
            if inner is not None:
                return inner
        # "declared a ceasefire", "announced a suspension of links"
        for o in _children(tok, {"dobj"}):
            t = _noun_type(o)
            if t:
                return _finish(t, o, actor, intent, negated, path + ["reported-noun"], None)
        return None

    if lemma in plover.PROMISE:
        comp = _complement(tok)
        inner = None
        if comp is not None:
            inner = read_clause(comp, actor, True, negated, path + [f"promise:{lemma}"],
                                depth + 1)
        if inner is None:
            for o in _objects(tok):
                t = _noun_type(o)
                if t:
                    return _finish(t, o, actor, True, negated, path + ["promise-noun"], None)
            t = "REJECT" if negated else "AGREE"
            return Reading(t, tok.i, actor, _recipient(tok), True, negated, "", path)
        return inner

    if lemma == "fail":
        comp = _complement(tok)
        if comp is not None:
            return read_clause(comp, actor, intent, True, path + ["fail"], depth + 1)

    if lemma == "order":
        # An authority's order: what it orders, when that is coercive; else a demand.
        comp = _complement(tok)
        inner = read_clause(comp, actor, False, negated, path + ["order"], depth + 1) \
            if comp is not None else None
        if inner is not None and inner.type in ("COERCE", "MOBILIZE", "ASSAULT", "SANCTION"):
            return inner
        for o in _children(tok, {"dobj"}):
            t = _noun_type(o)
            if t:
                return _finish(t, o, actor, intent, negated, path + ["order-noun"], None)
        return Reading("REQUEST", tok.i, actor, _recipient(tok), intent, negated, "", path)

    control = plover.CONTROL.get(lemma)
    phrasal = _phrasal(tok)
    if phrasal in ("REQUEST",):
        control = "REQUEST"
    if control:
        t = control
        if lemma == "accept" and _object_words(tok) & {"demand", "demands", "request",
                                                        "requests", "conditions"}:
            t = "CONCEDE"  # CAMEO 083: accede to demands
        if negated and t == "AGREE":
            t = "REJECT"
        return Reading(t, tok.i, actor, _recipient(tok), intent, negated,
                       MODES.get(lemma, ""), path + [f"control:{lemma}"])

    if lemma in plover.TRANSPARENT:
        comp = _complement(tok)
        if comp is not None:
            return read_clause(comp, actor, intent or lemma in plover.INTENT_VERBS, negated,
                               path + [f"through:{lemma}"], depth + 1)
        intent = intent or lemma in plover.INTENT_VERBS  # "scheduled talks"

    if lemma == "look" and any(c.lower_ == "forward" for c in tok.children):
        # "look forward to hosting talks": an intention
        for prep in _children(tok, {"prep"}):
            for c in prep.children:
                if c.dep_ == "pcomp":
                    return read_clause(c, actor, True, negated, path + ["look-forward"],
                                       depth + 1)
                if c.dep_ == "pobj":
                    t = _noun_type(c)
                    if t:
                        return _finish(t, c, actor, True, negated, path + ["look-forward"], None)

    t = _verb_type(tok)
    if t:
        passive = _passive_subject(tok)
        return _finish(t, tok, actor, intent, negated, path + [f"verb:{lemma}"], passive)

    # Nothing here: maybe a clausal complement names the act ("took steps to enhance").
    comp = _complement(tok)
    if comp is not None:
        return read_clause(comp, actor, intent, negated, path + [f"comp:{lemma}"], depth + 1)
    return None


def _finish(t, tok, actor, intent, negated, path, passive) -> Reading:
    final = plover.with_modality(t, intent, negated)
    if tok.pos_ == "VERB":
        recipient = _recipient(tok) or passive
    else:
        recipient = None
    if passive is not None and subject_of(tok) is None:
        # "a camp was attacked by militiamen": actor is the agent (none if not given)
        actor = None
    return Reading(final, tok.i, actor, recipient, intent, negated,
                   MODES.get(lemma_of(tok), ""), path)


def read_sentence(sent: Span) -> Reading | None:
    """The sentence's main PLOVER event, or None."""
    root = sent.root
    reading = read_clause(root)
    if reading is not None:
        return reading
    # Coordinated and subordinate clauses of the root ("…, killing one and arresting 12").
    for c in root.children:
        if c.dep_ in ("conj", "advcl", "ccomp", "xcomp", "parataxis") and c.pos_ in ("VERB", "AUX"):
            reading = read_clause(c, actor=subject_of(root), path=[f"sub:{c.dep_}"])
            if reading is not None:
                return reading
    # Any lexicon verb in the sentence, nearest the root first.
    depth = _depths(sent)
    by_depth = sorted(sent, key=lambda t: (depth[t.i], t.i))
    for tok in by_depth:
        if tok.pos_ == "VERB" and tok.i != root.i and lemma_of(tok) not in plover.REPORTING:
            t = _verb_type(tok) or plover.CONTROL.get(lemma_of(tok))
            if t:
                actor = subject_of(tok) or subject_of(root)
                return _finish(t, tok, actor, _intent(tok), _negated(tok), ["scan-verb"],
                               _passive_subject(tok))
    # An event noun among the root's arguments ("Six weeks of fighting claimed 6,500 lives").
    for tok in by_depth:
        if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "attr", "ROOT") and depth[tok.i] <= 3:
            t = _noun_type(tok)
            if t:
                return Reading(t, tok.i, subject_of(root), None, False, False,
                               MODES.get(lemma_of(tok), ""), ["scan-noun"])
    return None


def _depth(tok) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok = tok.head
        d += 1
    return d


def _depths(sent: Span) -> dict[int, int]:
    """:func:`_depth` of every token of the sentence, each head read once: the sentence's
    tokens share their paths to the root, so walking each path anew repeats most steps."""
    start, end = sent.start, sent.end
    heads = [t.head.i for t in sent]
    known: dict[int, int] = {}  # depth, or min(depth, 50) where _depth decided
    for i in range(start, end):
        path: list[int] = []
        j = i
        while j not in known:
            if not start <= j < end or len(path) > end - start:
                # A head outside the sentence, or a cycle: the token-by-token walk decides.
                known[j] = _depth(sent.doc[j])
                break
            if heads[j - start] == j:
                known[j] = 0
                break
            path.append(j)
            j = heads[j - start]
        for step, k in enumerate(reversed(path), 1):
            known[k] = known[j] + step
    return {i: min(known[i], 50) for i in range(start, end)}
