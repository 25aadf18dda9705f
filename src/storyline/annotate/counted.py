"""What a figure counts, read from the parse: the counted noun and its holder ("Chinese
passengers"), the verb ("killed", "voted"), the subject whose level a bare number gives ("the
Dow closed at 18,589.69"), the thing an amount of money or a share is of, and where.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.annotate.amounts import MEASURES, SCALE

if TYPE_CHECKING:
    from spacy.tokens import Token

# The counted thing, normalised so that outlets' wordings meet: "lives", "dead", "deaths" and
# "people were killed" all count the killed.
_DEATH_NOUNS = {"life", "death", "fatality", "dead", "body", "death toll"}
_DEATH_WORDS = {"kill", "die", "perish", "slay", "massacre", "dead", "claim", "execute", "murder"}
_INJURY_WORDS = {"injure", "wound", "hurt", "injured", "wounded"}
_GENERIC = {"people", "person", "individual", "human", "resident", "inhabitant", "citizen"}
# What is done to (or by) people when a bare number counts them: "thousands were evacuated".
_PEOPLE_VERBS = {
    "evacuate",
    "displace",
    "arrest",
    "detain",
    "flee",
    "rescue",
    "protest",
    "march",
    "vote",
    "attend",
    "sign",
    "gather",
    "rally",
    "strike",
    "missing",
    "hospitalize",
    "deport",
    "release",
    "free",
    "capture",
    "hold",
    "leave",
    "lose",
    "affect",
}

def counted(num_token: Token) -> tuple[Token | None, Token | None]:
    """(noun, verb) around a number token: the thing counted and the predicate about it."""
    tok = num_token
    noun = None
    if tok.dep_ in ("nummod", "quantmod", "compound") and tok.head.pos_ in ("NOUN", "PROPN"):
        noun = tok.head
    elif tok.pos_ in ("NOUN", "NUM"):
        of = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
        objects = [c for o in of for c in o.children if c.dep_ == "pobj"]
        noun = objects[0] if objects else None
    head = noun if noun is not None else tok
    verb = None
    walker = head
    for _ in range(4):
        if walker.dep_ in ("pobj", "prep", "conj", "appos", "nummod", "npadvmod", "compound"):
            walker = walker.head
            continue
        if walker.head.pos_ in ("VERB", "AUX"):  # the root's head is itself: the root verb
            verb = walker.head
        break
    if verb is not None:
        # "were dead", "left hundreds dead": the complement says what happened to them
        complements = [
            c
            for c in verb.children
            if c.dep_ in ("acomp", "attr", "oprd", "ccomp", "xcomp")
            and c.i != head.i
            and c.lemma_.lower() in _DEATH_WORDS | _INJURY_WORDS
        ]
        if complements or verb.pos_ == "AUX":
            complements = complements or [
                c for c in verb.children if c.dep_ in ("acomp", "attr") and c.i != head.i
            ]
            if complements:
                verb = complements[0]
    return noun, verb


# Nouns of page furniture: "12 photos", "Image 3 of 12", "1,204 comments" are not news claims.
FURNITURE = {"photo", "picture", "image", "slide", "comment", "reply", "video", "page", "view",
              "follower", "like", "gallery", "slideshow", "click", "subscriber", "read"}
# What is done to a named group that a count of it is about: "200 lawmakers voted" and "dozens
# of lawmakers" (spoken to) are two quantities. Regular verbs only, so the label reads naturally.
_GROUP_ACTIONS = {"vote", "evacuate", "displace", "arrest", "detain", "rescue", "protest",
                  "march", "attend", "sign", "gather", "rally", "hospitalize", "deport",
                  "release", "capture", "deploy", "injure", "wound", "kill", "sentence", "charge",
                  "convict", "fire", "lay", "hire"}


def _participle(lemma: str) -> str:
    if lemma == "lay":
        return "laid off"
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ied"
    return lemma + "ed"


def what_counted(noun: Token | None, verb: Token | None, num_token: Token) -> tuple[str, str]:
    """(what, unit) of a count of things."""
    n = noun.lemma_.lower() if noun is not None else None
    v = verb.lemma_.lower() if verb is not None else None
    if n in _DEATH_NOUNS or (n is None and v == "dead"):
        return "killed", "people"
    for words, name in ((_DEATH_WORDS - {"claim"}, "killed"), (_INJURY_WORDS, "injured")):
        if v in words:
            if noun is None or n in _GENERIC:
                return name, "people"
            return f"{noun.lower_} {name}", noun.lower_
    if n in MEASURES:  # "52 ft", "16 m" with the unit outside the tagger's quantity
        unit, dimension = MEASURES[n]
        return dimension, unit
    if v and (n in _GENERIC or (n is None and v in _PEOPLE_VERBS)):
        return ("people" if v in _REPORTING else v), "people"
    if noun is not None:
        counted = " ".join([*_holders(noun), noun.lower_])
        if v in _GROUP_ACTIONS:
            return f"{counted} {_participle(v)}", noun.lower_
        return counted, noun.lower_
    return (v or num_token.lower_), "count"


def _holders(noun: Token) -> list[str]:
    """Whose the counted things are, as the noun's own modifiers name them: "Chinese
    passengers", "Conservative lawmakers", "U.S. troops", "Russia's peacekeepers"."""
    return [c.lower_ for c in noun.children
            if c.dep_ in ("amod", "compound", "poss") and c.i < noun.i
            and (c.ent_type_ in ("NORP", "GPE", "ORG")
                 or (c.is_title and not c.is_sent_start and c.pos_ in ("PROPN", "ADJ")))]


def level_subject(num_token: Token) -> Token | None:
    """The subject whose level a bare number gives: "The Dow closed at 18,589.69", "the Dow goes
    from 18,589 to 25,075", "turnout rose to 62"; None for any other bare number."""
    prep = num_token.head
    if num_token.dep_ != "pobj" or prep.lower_ not in ("at", "to", "from"):
        return None
    verb = prep.head
    if verb.pos_ != "VERB":
        return None
    subjects = [c for c in verb.children
                if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN")
                and c.ent_type_ != "PERSON"]  # a person has no level
    # the nearest subject: a garbled line ("All Trump, not 0... Dow goes from") may give several
    return min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None


# Verbs that report a figure rather than say what it is ("said", "added"): no label.
_REPORTING = {"say", "tell", "add", "report", "note", "state", "estimate", "show", "be", "have",
              "put", "include", "see"}


def amount_what(last: Token, verb: Token | None, unit: str) -> str:
    """What an amount of money or a share is of, for the label a reader sees: "$41m in pay" →
    "pay", "a $130,000 payment" → "payment", "89.4% of voters" → "voters", "a 30% increase" →
    "increase", "fined Rs 500 crore" → "fined", "the Dow rose 149%" → "dow rose"."""
    tokens = [t for t in last.doc[max(0, last.i - 3) : last.i + 1]
              if t.like_num or t.lower_ in ("%", "percent")]
    tokens += [c for t in tokens for c in t.children if c.lower_ in ("%", "percent")]

    def plain(tok) -> bool:  # a word that can say what is counted: not a number, name or date
        return (tok.pos_ in ("NOUN", "PROPN") and not tok.like_num
                and tok.lower_ not in {"%", "percent", *SCALE}
                and tok.ent_type_ not in ("PERSON", "GPE", "LOC", "DATE", "MONEY", "CARDINAL"))

    for tok in tokens:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "in"):
                objects = [c for c in prep.children if c.dep_ == "pobj" and plain(c)]
                if objects:
                    return " ".join([*_holders(objects[0]), objects[0].lower_])
    if last.dep_ in ("compound", "nmod", "amod", "nummod") and plain(last.head):
        return last.head.lower_
    if verb is not None:
        subjects = [c for c in verb.children
                    if c.dep_ in ("nsubj", "nsubjpass") and plain(c)]
        if verb.lemma_.lower() not in _REPORTING:
            written = " ".join([verb.lower_,
                                *(c.lower_ for c in verb.children if c.dep_ == "prt")])
            return f"{subjects[0].lower_} {written}" if unit == "percent" and subjects \
                else written
        if subjects:  # "turnout was 57.4%", "the share is 30%": the subject is the thing
            return subjects[0].lower_
    return "amount" if unit != "percent" else "share"

_PLACE_TYPES = ("GPE", "LOC", "FAC")


def place_words(*heads: Token | None) -> list[str]:
    """Places named in the claim's own clause, as lower-case words: the prepositional phrases
    of its verb and of its counted noun ("died across Syria", "killed in Homs province", "in the
    Idlib area", "in the city of Homs") and the noun's own modifiers ("Syria's dead")."""
    words: set[str] = set()
    for head in heads:
        if head is None:
            continue
        objects = [head] if head.pos_ in ("NOUN", "PROPN") else []
        for prep in head.children:
            if prep.dep_ == "prep":
                objects.extend(o for o in prep.children if o.dep_ == "pobj")
        for obj in objects:
            near = [obj, *(c for c in obj.children if c.dep_ in ("compound", "poss", "amod"))]
            near += [g for c in obj.children if c.dep_ == "prep"
                     for g in c.children if g.dep_ == "pobj"]
            words.update(t.lower_ for t in near if t.ent_type_ in _PLACE_TYPES)
    return sorted(words)

