"""Do two names refer to the same thing? Transliteration- and context-aware name matching.

News outlets romanise the same name differently (Jeyhun / Ceyhun Bayramov, Pashinian /
Pashinyan, Zelensky / Zelenskyy, Gaddafi / Qaddafi) while relatives share surnames (Ilham and
Heydar Aliyev) and countries share stems with their demonyms (Armenia / Armenian). The matcher
folds each name token to a phonetic-ish key, compares keys with an edit distance in which the
usual romanisation swaps are cheap, and then applies name-structure rules (surname must match,
given names must not conflict, "Jr." must agree, a place and its demonym differ).

No library covers romanisation-variant matching of names (rapidfuzz gives plain edit distances,
anyascii folds scripts), so the rules here are our own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

from storyline.lexicon import places as geo
from storyline.lexicon.roles import (
    HONORIFICS,
    OFFICE_STEMS,
    ORG_WORDS,
    ROLE_WORDS,
)

# Arabic/European particles that outlets keep or drop ("Bashar al-Assad" / "Bashar Assad").
PARTICLES = frozenset(["al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ul", "de", "da", "di", "du", "van", "von", "der", "den", "la", "le"])
GENERATIONAL = frozenset(["jr", "sr", "ii", "iii", "iv"])
# Place-name modifiers that make a different place ("North Korea" vs "Korea").
DIRECTIONAL = frozenset(
    ["north", "south", "east", "west", "northern", "southern", "eastern", "western", "upper", "lower", "new", "greater", "central"]
)
STOPWORDS = frozenset(["of", "the", "for", "and", "in", "on", "at", "to", "de", "du", "des", "la", "le"])
# Words organisations drop in their short forms ("Ministry of Foreign Affairs").
_ORG_FILLER = frozenset(["affairs"])

# Digraphs and spellings that romanisations swap; applied in order to a lowercase ASCII token.
_REWRITES = (
    ("dzh", "j"), ("dzj", "j"), ("dj", "j"), ("tch", "ch"), ("tsch", "ch"), ("sch", "sh"),
    ("zh", "j"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("ck", "k"),
    ("q", "k"), ("x", "ks"), ("ow", "u"), ("w", "v"), ("ou", "u"), ("oo", "u"), ("ee", "i"),
    ("ye", "e"), ("y", "i"), ("'", ""),
)
# Letter pairs that romanisations of one sound use interchangeably: cheap to substitute.
_CHEAP = {
    frozenset(p)
    for p in ("cj", "ck", "cs", "gk", "gj", "gh", "ij", "sz", "ei", "ou", "ae", "ai", "vf", "dt")
}
_VOWELS = set("aeiou")


@functools.lru_cache(maxsize=65536)
def key(token: str) -> str:
    """Phonetic-ish key of one name token: ASCII, lowercase, romanisation digraphs folded,
    doubled letters collapsed ("Zelenskyy" → "zelenski", "Aliyev" → "aliev")."""
    s = anyascii(token).lower()
    s = re.sub(r"[^a-z0-9']", "", s)
    for old, new in _REWRITES:
        s = s.replace(old, new)
    s = re.sub(r"(.)\1+", r"\1", s)
    return s


@functools.lru_cache(maxsize=65536)
def token_similarity(a: str, b: str) -> float:
    """1 - weighted edit distance / length on keys; romanisation swaps cost little."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    n, m = len(a), len(b)
    prev = [j * 0.8 for j in range(m + 1)]
    for i in range(1, n + 1):
        cur = [i * 0.8] + [0.0] * m
        for j in range(1, m + 1):
            ca, cb = a[i - 1], b[j - 1]
            if ca == cb:
                sub = 0.0
            elif frozenset((ca, cb)) in _CHEAP:
                sub = 0.35
            else:
                sub = 1.0
            # Dropping a vowel or an "h" is a common romanisation difference (Kadhafi/Gaddafi).
            del_a = 0.5 if ca in _VOWELS or ca == "h" else 1.0
            ins_b = 0.5 if cb in _VOWELS or cb == "h" else 1.0
            cur[j] = min(prev[j - 1] + sub, prev[j] + del_a, cur[j - 1] + ins_b)
        prev = cur
    return max(0.0, 1.0 - prev[m] / max(n, m))


# The cheapest edit of :func:`token_similarity` (a romanisation swap); dropping a vowel costs 0.5.
_CHEAPEST_EDIT = 0.35


def similar_at_least(a: str, b: str, threshold: float) -> bool:
    """``token_similarity(a, b) >= threshold``, with the many pairs that cannot reach it ruled
    out first by bounds: every edit costs at least 0.35 and a length difference at least 0.5
    per letter, and the plain edit distance (rapidfuzz, in C) counts the fewest edits."""
    if a == b:
        return True
    if not a or not b:
        return threshold <= 0.0
    budget = (1.0 - threshold) * max(len(a), len(b)) + 1e-9  # float slack: bounds, not tests
    if 0.5 * abs(len(a) - len(b)) > budget:
        return False
    cutoff = int(budget / _CHEAPEST_EDIT)
    if Levenshtein.distance(a, b, score_cutoff=cutoff) > cutoff:
        return False
    return token_similarity(a, b) >= threshold


# Similarity at which two name tokens count as one name: high enough that a lone "Lavrov" /
# "Lavrenov" or "Khamenei" / "Khomeini" stay apart, low enough for "Mohammed" / "Muhammad".
MATCH = 0.82
# Within two full names whose other part already matches, a looser bar is enough
# ("Dmytro"/"Dmitry Kuleba", "Sviatlana Tsikhanouskaya"/"Svetlana Tikhanovskaya").
GIVEN_MATCH = 0.75
SURNAME_MATCH = 0.8


def tokens_match(a: str, b: str, threshold: float = MATCH) -> bool:
    """Two name-token keys are spellings of one name."""
    if a == b:
        return True
    if min(len(a), len(b)) <= 3:
        # Short tokens (Korean/Chinese syllables, "Un"/"Il") must agree up to cheap swaps.
        return len(a) == len(b) and similar_at_least(a, b, 0.8)
    if a[0] != b[0] and frozenset((a[0], b[0])) not in _CHEAP:
        # A different first letter is allowed only for interchangeable ones (Ceyhun/Jeyhun).
        return False
    return similar_at_least(a, b, threshold)


@dataclass(frozen=True)
class Name:
    raw: str
    words: tuple[str, ...]  # surface words, titles and particles removed
    keys: tuple[str, ...]  # key() of each word (hyphenated parts kept together)
    generation: str | None  # "jr", "iii", …
    initials: tuple[str, ...]  # single-letter given names ("George H. W. Bush" → h, w)

    @property
    def joined(self) -> str:
        return "".join(self.keys)


@functools.lru_cache(maxsize=16384)
def parse_name(name: str) -> Name:
    text = anyascii(name).replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    raw_words = [w for w in re.split(r"[\s,]+", text.strip()) if w]
    words: list[str] = []
    initials: list[str] = []
    generation = None
    for i, word in enumerate(raw_words):
        low = word.lower().strip(".")
        if i == 0 and low == "the":
            continue
        if low in GENERATIONAL and i > 0:
            generation = low
            continue
        if not words and low in HONORIFICS and i < len(raw_words) - 1:
            continue  # leading title
        # "al-Assad" → "Assad"; a bare "al" / "bin" particle is dropped.
        parts = word.split("-")
        if len(parts) > 1 and parts[0].lower() in PARTICLES:
            word = "-".join(parts[1:])
        if low in PARTICLES and len(raw_words) > 1:
            continue
        if re.fullmatch(r"[A-Za-z]\.?", word) and i < len(raw_words) - 1:
            initials.append(word[0].lower())
        words.append(word)
    keys = tuple(key(w.replace("-", "")) for w in words if key(w.replace("-", "")))
    return Name(name, tuple(words), keys, generation, tuple(initials))


def acronym_of(short: str, long: str) -> bool:
    """"OSCE" ~ "Organization for Security and Co-operation in Europe", "U.N." ~ "United Nations"."""
    letters = re.sub(r"[^A-Za-z]", "", short)
    if len(letters) < 2 or not (short.replace(".", "").isupper()):
        return False
    return letters.lower() in _initials(long)


@functools.lru_cache(maxsize=65536)
def _initials(long: str) -> frozenset[str]:
    """The acronyms a name spells: first letters of all its words, or of its content words,
    with hyphenated parts as words or not."""
    out = set()
    for pattern in (r"[\s\-]+", r"\s+"):
        words = [w for w in re.split(pattern, anyascii(long)) if w[:1].isalpha()]
        if len(words) < 2:
            continue
        out.add("".join(w[0] for w in words).lower())
        out.add("".join(w[0] for w in words if w.lower() not in STOPWORDS).lower())
    return frozenset(out)


@functools.lru_cache(maxsize=65536)
def guess_kind(name: str, label: str | None = None) -> str:
    """person | place | demonym | org, from the label when known, else from the string."""
    if label:
        if label == "PERSON":
            return "person"
        if label in ("GPE", "LOC"):
            return "place"
        if label == "NORP":
            return "demonym"
        if label in ("ORG",):
            return "org"
        return "other"
    if _looks_like_place(name):
        return "place"
    if geo.is_demonym(name):
        return "demonym"
    words = geo.fold(name).split()
    if not words:
        return "other"
    if re.fullmatch(r"(?:[A-Z]\.?){2,6}", name.strip()) or any(w in ORG_WORDS for w in words):
        return "org"
    return "person"


GEO_FEATURES = frozenset(
    ["strip", "region", "province", "city", "oblast", "republic", "bay", "island", "islands", "valley", "sea", "river", "mountains", "peninsula", "gulf", "coast", "district", "county", "d", "c", "dc"]
)
GENERIC_ORG = frozenset(
    ["group", "party", "movement", "organization", "organisation", "company", "corporation", "corp", "inc", "ltd", "plc", "llc", "holdings", "network", "foundation"]
)


def _looks_like_place(name: str) -> bool:
    if geo.lookup(name, primary_only=True):
        return True
    words = geo.fold(name).split()
    core = [w for w in words if w not in GEO_FEATURES]
    return bool(core) and len(core) < len(words) and geo.lookup(" ".join(core)) is not None


def _strip_qualifiers(words: list[str]) -> tuple[list[str], list[str]]:
    """Leading place/demonym qualifiers ("U.S. State Department") split from the rest."""
    quals = []
    rest = list(words)
    while len(rest) > 1 and (geo.lookup(rest[0], primary_only=True) or geo.is_demonym(rest[0])):
        quals.append(rest.pop(0))
    return quals, rest


def _words_equal(a: Sequence[str], b: Sequence[str]) -> bool:
    if len(a) != len(b):
        return False
    return all(tokens_match(key(x), key(y)) for x, y in zip(a, b))


@functools.lru_cache(maxsize=65536)
def _org_words(folded: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """An organisation name's content words, split into leading qualifiers and the rest
    (computed once per name, not once per pair compared; tuples, as the cache shares them)."""
    words = [w for w in folded.split() if w not in STOPWORDS and w not in _ORG_FILLER]
    quals, rest = _strip_qualifiers(words)
    return tuple(words), tuple(quals), tuple(rest)


def _org_match(a: str, b: str) -> tuple[bool, float, str]:
    fa, fb = geo.fold(a), geo.fold(b)
    if fa == fb:
        return True, 1.0, "same name"
    if acronym_of(a, b) or acronym_of(b, a):
        return True, 0.95, "acronym"
    wa, qa, ra = _org_words(fa)
    wb, qb, rb = _org_words(fb)
    if _words_equal(sorted(ra), sorted(rb)) or _words_equal(ra, rb):
        # A country and its demonym qualify alike ("Malaysia Airlines" / "Malaysian Airlines").
        pa = {geo.demonym_base(w) or w for w in qa}
        pb = {geo.demonym_base(w) or w for w in qb}
        if qa and qb and not pa & pb and not (
            place_overlap(" ".join(qa), " ".join(qb))
        ):
            return False, 0.2, f"different qualifiers ({' '.join(qa)} / {' '.join(qb)})"
        if (qa or qb) and len(ra) == 1 and ra[0] in ORG_WORDS:
            return False, 0.3, "only a generic word in common"
        if qa and qb and not set(qa) & set(qb) and pa & pb:
            return True, 0.9, "same name, the country written as its demonym"
        extra = sorted(pa ^ pb)
        if any(_place_kind(w) == "city" or _place_kind(w) == "state" and pa & pb for w in extra):
            # "Atlanta Fed" is a branch of the Fed, "Texas American Federation of Teachers" a
            # chapter of the American one; "U.S. State Department" is the department itself
            return False, 0.3, f"a local branch ({' '.join(extra)})"
        if qa or qb:
            return True, 0.9, "same name with/without place qualifier"
        return True, 0.9, "spelling variant"
    # "Wagner Group" ~ "Wagner": the same name with or without a generic organisation word.
    core_a = tuple(w for w in wa if w not in GENERIC_ORG)
    core_b = tuple(w for w in wb if w not in GENERIC_ORG)
    if (core_a and core_a != wa or core_b != wb) and core_a and _words_equal(core_a, core_b):
        return True, 0.8, "same name with/without a generic word"
    ja, jb = "".join(wa), "".join(wb)
    if len(ja) >= 6 and similar_at_least(key(ja), key(jb), 0.9):
        return True, 0.85, "spelling variant"
    return False, 0.0, "different names"


def _place_kind(word: str) -> str | None:
    """country, capital, city, state or continent; a city that is not a capital, or a state
    before a national name, makes an organisation's name a local branch's."""
    entry = geo.lookup(word, primary_only=True)
    return entry["kind"] if entry else None


def place_overlap(a: str, b: str) -> bool:
    ia, ib = geo.place_ids(a), geo.place_ids(b)
    if not (ia and ib):
        return False
    return bool(ia & ib)


def _place_match(a: str, b: str) -> tuple[bool, float, str]:
    fa, fb = geo.fold(a), geo.fold(b)
    if fa == fb:
        return True, 1.0, "same name"
    ia, ib = geo.place_ids(a), geo.place_ids(b)
    wa, wb = fa.split(), fb.split()
    sa, sb = set(wa), set(wb)
    extra = (sb - sa) if sa < sb else (sa - sb) if sb < sa else set()
    if extra & DIRECTIONAL:
        # A direction makes a different place ("North Korea" vs "Korea").
        return False, 0.1, "directional qualifier makes a different place"
    if ia and ib:
        if ia & ib:
            return True, 0.95, "same place in the gazetteer"
        return False, 0.0, "different places in the gazetteer"
    # "Nagorno-Karabakh" ~ "Karabakh", "Gaza" ~ "Gaza Strip": one is the other plus a
    # hyphenated or geographic part.
    if extra:
        return True, 0.85, "short form of the same place name"
    if _words_equal(wa, wb):
        return True, 0.9, "transliteration variant"
    ja, jb = key("".join(wa)), key("".join(wb))
    # Unknown places ("Pyongyang" / "P'yongyang"): long enough names that nearly agree.
    if len(ja) >= 6 and similar_at_least(ja, jb, 0.85):
        return True, 0.8, "transliteration variant"
    return False, 0.0, "different names"


def _person_match(a: str, b: str) -> tuple[bool, float, str]:
    na, nb = parse_name(a), parse_name(b)
    if not na.keys or not nb.keys:
        return False, 0.0, "empty name"
    if na.keys == nb.keys and na.generation == nb.generation:
        return True, 1.0, "same name"
    # "Donald Trump Jr." is not "Donald Trump"; "King Abdullah" may be "Abdullah II".
    if na.generation != nb.generation and (
        (na.generation and nb.generation) or {na.generation, nb.generation} & {"jr", "sr"}
    ):
        return False, 0.05, "different generation (Jr./Sr./II)"
    # Hyphen/space differences in East Asian given names: "Kim Jong-un" ~ "Kim Jong Un".
    if len(na.keys) > 1 and len(nb.keys) > 1 and na.joined == nb.joined:
        return True, 0.95, "same name written with different spacing"
    ka, kb = list(na.keys), list(nb.keys)
    if len(ka) == 1 or len(kb) == 1:
        single, full = (ka, kb) if len(ka) == 1 else (kb, ka)
        if tokens_match(single[0], full[-1]):
            return True, 0.8, "surname of the full name"
        for words, other in ((na.words, nb), (nb.words, na)):
            if len(other.keys) != 1:
                continue
            for word in words:
                # "Karabakh" ~ "Nagorno-Karabakh": the last part of a hyphenated word.
                parts = word.split("-")
                if len(parts) > 1 and tokens_match(other.keys[0], key(parts[-1])):
                    return True, 0.75, "short form of a hyphenated name"
        if len(full) == 1:
            parts = [key(x) for x in max(na.words + nb.words, key=len).split("-")]
            if len(parts) > 1 and tokens_match(single[0], parts[-1]):
                return True, 0.75, "short form of a hyphenated name"
            if tokens_match(single[0], full[0]):
                return True, 0.85, "transliteration variant"
            return False, 0.0, "different names"
        if tokens_match(single[0], full[0]) and 2 <= len(full[0]) <= 4 and _surname_first(full):
            # Surname-first order (Chinese, Korean, Hungarian names): "Kim" ~ "Kim Jong-un".
            return True, 0.6, "first name part of the full name"
        return False, 0.0, "different names"
    # "Abiy Ahmed" ~ "Abiy Ahmed Ali": a name of two or more words that starts the other.
    short_k, long_k = sorted((ka, kb), key=len)
    if len(short_k) >= 2 and len(short_k) < len(long_k) and all(
        tokens_match(x, y) for x, y in zip(short_k, long_k)
    ) and not any(k in ROLE_WORDS or k in HONORIFICS for k in long_k[len(short_k):]):
        # (but "Martin Luther" is not "Martin Luther King")
        return True, 0.7, "the longer name extends the shorter"
    # Surname first, then the given names.
    if not tokens_match(ka[-1], kb[-1], SURNAME_MATCH):
        if len(ka) == len(kb) and ka[0] == kb[0] and "".join(ka[1:]) == "".join(kb[1:]):
            return True, 0.9, "same name"
        return False, 0.0, "different surnames"
    surname_reason = "same surname" if ka[-1] == kb[-1] else (
        f"surname transliteration variant ({na.words[-1]}/{nb.words[-1]})"
    )
    ga, gb = ka[:-1], kb[:-1]
    if "".join(ga) == "".join(gb):
        return True, 0.95, surname_reason
    first_a, first_b = ga[0], gb[0]
    if len(first_a) == 1 or len(first_b) == 1:
        if first_a[0] == first_b[0]:
            return True, 0.8, f"{surname_reason}, matching initial"
        return False, 0.1, "different initials"
    if tokens_match(first_a, first_b, GIVEN_MATCH) or _long_prefix(first_a, first_b):
        middle_a, middle_b = ga[1:], gb[1:]
        if middle_a and middle_b and not _middles_agree(middle_a, middle_b):
            return False, 0.2, "different middle names"
        given_reason = "same given name" if first_a == first_b else (
            f"given-name transliteration variant ({na.words[0]}/{nb.words[0]})"
        )
        return True, 0.9, f"{given_reason}, {surname_reason}"
    # "Mohammad Javad Zarif" ~ "Javad Zarif": the shorter given names appear in the longer.
    shorter, longer = (ga, gb) if len(ga) < len(gb) else (gb, ga)
    if len(shorter) < len(longer) and all(any(tokens_match(s, l) for l in longer) for s in shorter):
        return True, 0.75, f"{surname_reason}, given names a subset"
    return False, 0.05, f"different given names with {surname_reason}"


def _long_prefix(a: str, b: str) -> bool:
    """Short forms of a given name ("Alex" / "Alexander"): a prefix of at least four letters."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and long.startswith(short)


def _surname_first(keys: list[str]) -> bool:
    """East Asian order guess: a short first word followed by short syllables ("Kim Jong Un")."""
    return len(keys) >= 2 and len(keys[0]) <= 4 and all(len(k) <= 8 for k in keys)


def _middles_agree(a: list[str], b: list[str]) -> bool:
    if all(len(x) == 1 for x in a + b):
        return a == b  # "George W. Bush" vs "George H. W. Bush": different initials
    if len(a) != len(b):
        return all(any(x[0] == y[0] for y in b) for x in a) or all(
            any(x[0] == y[0] for y in a) for x in b
        )
    return all(x[0] == y[0] and (len(x) == 1 or len(y) == 1 or tokens_match(x, y))
               for x, y in zip(a, b))


def _demonym_pair(a: str, b: str) -> bool:
    """One is a place and the other its demonym ("Armenia" / "Armenian")."""
    for x, y in ((a, b), (b, a)):
        base = geo.demonym_base(y)
        if base and geo.fold(x) == base:
            return True
        if base and place_overlap(x, base):
            return True
    return False


def role_in_context(name: str, context: str | None) -> str | None:
    """The title words just before the name in its sentence ("Foreign Minister")."""
    if not context:
        return None
    pos = context.find(name)
    if pos <= 0:
        return None
    words = re.findall(r"[A-Za-z][\w.'’-]*", context[:pos])[-5:]
    role: list[str] = []
    for word in reversed(words):
        if word.lower().strip(".") in ROLE_WORDS:
            role.insert(0, word.lower())
        elif role:
            break
        else:
            return None
    return " ".join(role) or None


def same_referent(
    a_name: str,
    a_context: str | None = None,
    b_name: str = "",
    b_context: str | None = None,
    a_label: str | None = None,
    b_label: str | None = None,
) -> tuple[bool, float, str]:
    """Whether two names (each with the sentence it appears in) refer to the same referent.

    Returns (decision, confidence 0-1, a short human-readable reason)."""
    a_name = (a_name or "").strip()
    b_name = (b_name or "").strip()
    if not a_name or not b_name:
        return False, 0.0, "empty name"
    if _demonym_pair(a_name, b_name):
        return False, 0.0, "a place and its demonym"
    kind_a, kind_b = guess_kind(a_name, a_label), guess_kind(b_name, b_label)
    # An alternate spelling of a known place ("Kiev", "Peking") is a place when compared
    # with a place.
    if kind_a == "place" and kind_b != "demonym" and not b_label and geo.lookup(b_name):
        kind_b = "place"
    if kind_b == "place" and kind_a != "demonym" and not a_label and geo.lookup(a_name):
        kind_a = "place"
    kinds = {kind_a, kind_b}
    if kinds == {"place"}:
        return _place_match(a_name, b_name)
    if kinds == {"demonym"}:
        ka, kb = key(geo.fold(a_name).replace(" ", "")), key(geo.fold(b_name).replace(" ", ""))
        ba, bb = geo.demonym_base(a_name), geo.demonym_base(b_name)
        if ba and bb:
            return (ba == bb, 0.9, "same nation" if ba == bb else "different nations")
        return (tokens_match(ka, kb), 0.8, "spelling variant")
    if kinds == {"person"}:
        same, score, reason = _person_match(a_name, b_name)
        if same and score < 0.9:
            # A weaker string match must not contradict the titles the sentences give.
            ra, rb = role_in_context(a_name, a_context), role_in_context(b_name, b_context)
            if ra and rb and _roles_conflict(ra, rb):
                return False, 0.3, f"{reason}, but different roles ({ra} / {rb})"
        return same, score, reason
    if "person" in kinds and kinds & {"place", "demonym"}:
        return False, 0.0, "a person and a place"
    if kinds <= {"org", "place", "other"}:
        if kinds == {"place", "org"} or "other" in kinds:
            same, score, reason = _org_match(a_name, b_name)
            if same:
                return same, score, reason
            return _place_match(a_name, b_name) if kinds == {"place", "other"} else (
                False, score, reason)
        return _org_match(a_name, b_name)
    if kinds == {"person", "org"}:
        # A bare name the guesser could not type ("Hamas"): compare as organisation names.
        return _org_match(a_name, b_name)
    fa, fb = geo.fold(a_name), geo.fold(b_name)
    return (fa == fb, 1.0 if fa == fb else 0.0, "same name" if fa == fb else "different kinds")


def _roles_conflict(a: str, b: str) -> bool:
    """Roles conflict when they name different offices ("foreign minister" vs "president")."""
    ha = {h for h in OFFICE_STEMS if h in a}
    hb = {h for h in OFFICE_STEMS if h in b}
    if not ha or not hb:
        return False
    return not (ha & hb)
