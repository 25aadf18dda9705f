"""Kinds of names the text states: "the film Inception", "the satirical newspaper Charlie
Hebdo", "obesity drugs Zepbound and Wegovy", "the Tim Cole Act", "aboard Air Force One".

The small model types such names by their shape, so a newspaper named like a person becomes
a PERSON and a drug a PERSON; the noun the writer put next to the name says what it is. The
model's own PRODUCT, WORK_OF_ART and LAW entities are too often page furniture ("Today",
"Exhibit 1") to be kept on their own; a name of these kinds is kept when the text says so.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from storyline.lexicon import places as geo
from storyline.lexicon.roles import PERSON_NOUNS, ROLE_HEADS

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Nouns that say what the name next to them is ("the newspaper X", "X, the satirical weekly").
KIND_NOUNS = {
    **dict.fromkeys(["film", "movie", "documentary", "book", "novel", "memoir", "song", "album",
                     "play", "opera", "musical", "series", "sitcom", "painting", "poem",
                     "podcast", "show", "programme", "program"], "WORK_OF_ART"),
    **dict.fromkeys(["newspaper", "magazine", "weekly", "daily", "tabloid", "journal",
                     "broadsheet", "broadcaster", "publisher", "airline", "carrier",
                     "company", "firm", "retailer", "chain", "bakery", "restaurant", "startup",
                     "brand", "label", "band", "charity", "nonprofit", "insurer", "lender",
                     "bank"], "ORG"),
    **dict.fromkeys(["drug", "drugs", "medication", "medicine", "vaccine", "pill", "treatment",
                     "jet", "aircraft", "airliner", "plane", "helicopter", "drone", "missile",
                     "rifle", "car", "phone", "smartphone", "app", "software", "ship",
                     "vessel", "submarine", "satellite", "rocket"], "PRODUCT"),
}
# Nouns of settlements and areas, before "of" and a name ("the village of Sarmeen").
PLACE_NOUNS = frozenset(["town", "towns", "village", "villages", "city", "cities", "province",
                         "district", "neighbourhood", "neighborhood", "suburb", "region",
                         "county", "municipality", "port", "island"])
# Last words of names of laws and agreements ("the Tim Cole Act", "the Minsk Agreement").
LAW_HEADS = frozenset(["act", "bill", "law", "amendment", "treaty", "accord", "accords",
                       "convention", "charter", "protocol", "agreement", "code", "statute"])
# Words after which a name is a vehicle ("aboard Air Force One").
_VEHICLE_BEFORE = frozenset(["aboard", "onboard"])
KEPT_BY_KIND = frozenset(["PRODUCT", "WORK_OF_ART", "LAW"])


# Kind nouns that may also follow the name they classify ("the Charlie Hebdo satirical
# weekly"); others may not ("the Obama memoir" is not a book named Obama).
_AFTER_NAME = frozenset(["newspaper", "magazine", "weekly", "daily", "tabloid", "journal",
                         "broadcaster", "airline"])
# Names of campaigns and scandals coined from a word ("Brexit", "Grexit", "Partygate").
_CAMPAIGN = re.compile(r"[A-Z][a-z]{1,8}(?:xit|gate)")
# A model number after a maker's name ("Boeing 777", "Airbus A320").
_MODEL = re.compile(r"[A-Z]?\d{2,4}[A-Z]?(?:-\d{1,4})?")


def _kind_noun(tok) -> str | None:
    if tok.pos_ != "NOUN" or not tok.text.islower():
        return None
    return KIND_NOUNS.get(tok.lower_) or KIND_NOUNS.get(tok.lemma_.lower())


def stated_kind(doc: Doc, start: int, end: int) -> str | None:
    """The kind the text gives the name ``doc[start:end]`` by the words around it, or None."""
    last = doc[end - 1]
    if last.text[:1].isupper() and last.lower_ in LAW_HEADS and end - start > 1:
        return "LAW"
    i = start - 1
    if i >= 0 and doc[i].lower_ in _VEHICLE_BEFORE:
        return "PRODUCT"
    if i >= 1 and doc[i].lower_ in ("and", "or", ","):
        # "obesity drugs Zepbound and Wegovy": the noun before the first of the names
        i -= 1
        while i >= 0 and doc[i].pos_ == "PROPN" and start - i <= 8:
            i -= 1
    if i >= 0:
        kind = _kind_noun(doc[i])
        if kind:
            return kind
        if doc[i].lower_ == "of" and i >= 1 and doc[i - 1].lower_ in PLACE_NOUNS \
                and doc[i - 1].text.islower():
            return "GPE"
    j = end
    while j < len(doc) and j - end < 2 and doc[j].pos_ == "ADJ":
        j += 1
    if j < len(doc) and doc[j].lower_ in _AFTER_NAME and last.head.i == j:
        return _kind_noun(doc[j])
    return None


def _titled_apposition(doc: Doc, end: int) -> bool:
    """A name followed by a title in apposition: "X, the Red Cross' head of operations,"
    (read from the words: the parser often hangs the apposition elsewhere). A title that is
    the subject of a verb is another person ("Hamas, the group's leader said")."""
    if end >= len(doc) or doc[end].text != "," or end + 1 >= len(doc) \
            or doc[end + 1].lower_ not in ("the", "a", "an"):
        return False
    for k in range(end + 2, min(len(doc), end + 8)):
        t = doc[k]
        if t.text in (",", ".", ";", ":") or "\n" in doc[k - 1].whitespace_:
            return False
        if t.text.islower() and (t.lower_ in ROLE_HEADS or t.lower_ in PERSON_NOUNS):
            return t.dep_ not in ("nsubj", "nsubjpass")
    return False


def is_model(doc: Doc, start: int, end: int) -> bool:
    """A maker's name and a model number ("Boeing 777")."""
    return (end - start == 2 and doc[start].text[:1].isupper()
            and bool(_MODEL.fullmatch(doc[end - 1].text)))


def kept(doc: Doc, start: int, end: int, label: str) -> bool:
    """Whether an entity of a kind the model over-predicts is one the text bears out."""
    if label not in KEPT_BY_KIND:
        return True
    return stated_kind(doc, start, end) == label or (label == "PRODUCT" and is_model(doc, start, end))


def apply(doc: Doc, pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Entity pieces with the kinds the text states: relabelled ("the newspaper Charlie
    Hebdo" → ORG), joined ("Boeing/ORG 777/PRODUCT" → PRODUCT, "Texas/GPE Capitol/FAC" →
    FAC) and added where the model saw no name ("the film Inception")."""
    pieces = sorted(pieces)
    out: list[tuple[int, int, str]] = []
    for s, e, lab in pieces:
        if out and out[-1][1] == s and not doc[s - 1].whitespace_.count("\n"):
            ps, _, plab = out[-1]
            joined = {("ORG", "PRODUCT"): "PRODUCT", ("GPE", "FAC"): "FAC"}.get((plab, lab))
            if joined and (joined != "PRODUCT" or is_model(doc, ps, e)):
                out[-1] = (ps, e, joined)
                continue
        if (lab in ("PERSON", "ORG", "NORP") and e < len(doc) and doc[e].text[:1].isupper()
                and doc[e].lower_ in LAW_HEADS and not doc[e - 1].whitespace_.count("\n")):
            out.append((s, e + 1, "LAW"))  # "the Tim Cole/PERSON Act"
            continue
        if lab in ("PERSON", "ORG", "GPE", "NORP") and e - s == 1 and _CAMPAIGN.fullmatch(doc[s].text) \
                and not geo.place_label(doc[s].text):
            out.append((s, e, "EVENT"))  # "Brexit", "Grexit", "Watergate": not people
            continue
        if (lab in ("ORG", "NORP", "LOC", "GPE", "FAC") and _titled_apposition(doc, e)
                and not geo.place_label(doc[s:e].text) and not geo.is_demonym(doc[s:e].text)):
            lab = "PERSON"  # "Beatrice Megevand-Roggo/ORG, the Red Cross' head of operations"
        if lab in ("PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "LAW", "FAC", "DATE"):
            kind = stated_kind(doc, s, e)
            if lab == "DATE" and (kind != "GPE" or any(t.like_num for t in doc[s:e])):
                kind = None  # only "the village of Sarmeen/DATE" is a name, not a date
            if kind and kind != lab and not (kind == "ORG" and lab == "FAC"):
                lab = kind
        out.append((s, e, lab))
    taken = {i for s, e, _ in out for i in range(s, e)}
    for i, tok in enumerate(doc):
        kind = _kind_noun(tok)
        law = tok.lower_ == "the" and i + 1 < len(doc) and doc[i + 1].text[:1].isupper()
        if not kind and not law:
            continue
        j = i + 1
        while (j < len(doc) and j - i <= 5 and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper()
               and j not in taken and "\n" not in doc[j - 1].whitespace_):
            j += 1
        if j == i + 1:
            continue
        if law and not kind:
            if doc[j - 1].lower_ in LAW_HEADS and j - i > 2:
                out.append((i + 1, j, "LAW"))
        elif kind and stated_kind(doc, i + 1, j) == kind:
            out.append((i + 1, j, kind))
    return sorted(out)
