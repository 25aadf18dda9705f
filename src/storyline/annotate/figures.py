"""Numeric claims (figures) in one article.

``find_figures`` reads one article: every number spaCy tags as a quantity (cardinal, money,
percent), every duration, and every vague quantity ("thousands of people") becomes a
:class:`FigureMention` with its value, qualifier, unit, what it counts and when.
Comparing them across outlets is :mod:`storyline.resolve.figures`.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from storyline.lexicon.calendar import MONTH_NAMES
from storyline.model import FigureMention, Timex
from storyline.settings import FigureSettings
from storyline.timeml import parse_when

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Qualifiers as written → the canonical name kept in FigureMention.qualifier.
QUALIFIERS = {
    "at least": "at least",
    "no fewer than": "at least",
    "no less than": "at least",
    "a minimum of": "at least",
    "more than": "more than",
    "over": "more than",
    "in excess of": "more than",
    "upwards of": "more than",
    "upward of": "more than",
    "above": "more than",
    "about": "about",
    "around": "around",
    "some": "some",
    "roughly": "about",
    "approximately": "about",
    "an estimated": "about",
    "estimated": "about",
    "almost": "nearly",
    "nearly": "nearly",
    "close to": "nearly",
    "just under": "nearly",
    "up to": "up to",
    "as many as": "up to",
    "at most": "up to",
    "no more than": "up to",
    "fewer than": "fewer than",
    "less than": "fewer than",
    "under": "fewer than",
    "just over": "more than",
}
_QUALIFIER_ALT = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
QUALIFIER_RE = re.compile(rf"^({_QUALIFIER_ALT})\s+", re.IGNORECASE)

# Vague quantities: the range each allows. Wide on purpose: an outlet saying "thousands" of a
# toll another puts at 6,500 is not a disagreement.
VAGUE = {
    "dozens": (20.0, 200.0),
    "scores": (40.0, 200.0),
    "hundreds": (100.0, 1_000.0),
    "thousands": (1_000.0, 100_000.0),
    "tens of thousands": (10_000.0, 100_000.0),
    "hundreds of thousands": (100_000.0, 1_000_000.0),
    "millions": (1_000_000.0, 1e9),
    "billions": (1e9, 1e12),
}
_VAGUE_RE = re.compile(
    r"\b(?:(?:several|many|a few)\s+)?(tens of thousands|hundreds of thousands|dozens|scores|"
    r"hundreds|thousands|millions|billions)\b",
    re.IGNORECASE,
)

_SMALL = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a": 1,
    "an": 1,
    "a dozen": 12,
    "dozen": 12,
    "half": 0.5,
}
_SCALE = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "m": 1e6,
    "bn": 1e9,
    "k": 1_000,
}
_CURRENCY = {
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "rubles": "RUB",
    "roubles": "RUB",
    "yuan": "CNY",
    "manat": "AZN",
    "dram": "AMD",
    "drams": "AMD",
}
# The units an amount of money is written in ("money" when no currency is named).
MONEY_UNITS = frozenset(["money"]) | frozenset(_CURRENCY.values())

DURATION_UNITS = {
    "day": 1,
    "days": 1,
    "week": 7,
    "weeks": 7,
    "month": 30,
    "months": 30,
    "year": 365,
    "years": 365,
    "hour": 1 / 24,
    "hours": 1 / 24,
}
_NUMBER_WORDS = "|".join(k for k in _SMALL if len(k) > 2)
_DURATION_RE = re.compile(
    rf"^(?:({_QUALIFIER_ALT})\s+)?([\d.,]+|{_NUMBER_WORDS})(?:[\s-]+)"
    r"(hours?|days?|weeks?|months?|years?)$",
    re.IGNORECASE,
)

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


def _parse_number(text: str) -> float | None:
    """'6,500' → 6500, '3.5 billion' → 3.5e9, 'thirty' → 30, 'a dozen' → 12."""
    s = text.lower().replace("–", "-").strip()
    s = re.sub(r"^[$€£¥]|^us\$", "", s).strip()
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)
    words = s.replace("-", " ").split()
    if not words:
        return None
    total, current, seen = 0.0, 0.0, False
    for w in words:
        w = w.strip(".,")
        if re.fullmatch(r"\d+(?:\.\d+)?", w):
            current += float(w)
            seen = True
        elif re.fullmatch(r"\d+(?:\.\d+)?(m|bn|k)", w):
            m = re.fullmatch(r"(\d+(?:\.\d+)?)(m|bn|k)", w)
            assert m is not None  # the same pattern as the test above, with a group
            current += float(m.group(1)) * _SCALE[m.group(2)]
            seen = True
        elif w in _SMALL:
            current += _SMALL[w]
            seen = True
        elif w in _SCALE and len(w) > 2:
            current = (current or 1) * _SCALE[w]
            if _SCALE[w] >= 1_000:
                total, current = total + current, 0.0
            seen = True
        elif w in ("and", "a"):
            continue
        else:
            return None
    return total + current if seen else None


def precision(text: str, value: float) -> float:
    """How far a written number may be from the true one through rounding: '6,500' → 50."""
    try:
        return _rounding(text, value)
    except (ValueError, ZeroDivisionError, OverflowError):  # "2.5-7.6", "0": no rounding known
        return 0.0


def _rounding(text: str, value: float) -> float:
    digits = re.sub(r"[^\d.]", "", text)
    if not digits:  # spelled out ("thirty"): rounded to its own magnitude
        return max(1.0, 10 ** math.floor(math.log10(value)) / 2) if value >= 1 else 0.5
    digits = digits.strip(".")
    if "." in digits:
        scale = value / float(digits) if float(digits) else 1
        decimals = len(digits.split(".")[1])
        return 0.5 * scale * 10**-decimals
    trailing = len(digits) - len(digits.rstrip("0"))
    if digits.rstrip("0") == "":
        trailing = len(digits) - 1
    scale = value / float(digits) if float(digits) else 1
    return 0.5 * scale * 10**trailing


# ---------------------------------------------------------------------------- dates

_MONTH_ALT = "|".join(m.title() for m in MONTH_NAMES)
_YEAR_RE = re.compile(
    rf"\b(?:({_MONTH_ALT})\s+)?((?:1[89]|20)\d0s|(?:1[89]|20)\d\d)\b"
    rf"|\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Dd]uring|[Ff]rom)\s+({_MONTH_ALT})\b"
)


def _own_timexes(text: str, start: int, end: int) -> list[Timex]:
    """Years, decades and months named in a sentence, for when no time tagger ran."""
    out = []
    for m in _YEAR_RE.finditer(text, start, end):
        if m.group(2):
            token = m.group(2)
            value = token[:3] + "X" if token.endswith("s") else token
            if m.group(1) and not token.endswith("s"):
                value = f"{token}-{MONTH_NAMES.index(m.group(1).lower()) + 1:02d}"
            s = m.start(1) if m.group(1) else m.start(2)
            out.append(Timex(s, m.end(2), text[s : m.end(2)], value, "DATE", "explicit"))
        else:
            month = MONTH_NAMES.index(m.group(3).lower()) + 1
            out.append(Timex(m.start(3), m.end(3), m.group(3), f"XXXX-{month:02d}", "DATE", "text"))
    return out


# A time tied to another clause ("six weeks before a cease-fire") or a start point ("since 2020")
# does not date the figure's own event.
_RELATIVE_TIMEX = re.compile(r"\b(before|after|later|earlier|ago)$", re.IGNORECASE)
_NOT_DATING = {"since", "until", "till", "before", "after", "by"}


def _vague_time(t: Timex) -> bool:
    """'recently', 'now', 'in recent months' (PXM): a time, but no calendar one."""
    value = t.value or ""
    return value.endswith("_REF") or (t.type == "DURATION" and "X" in value)


def _dated(
    timexes: list[Timex], text: str, start: int, end: int, vague: bool = False
) -> list[Timex]:
    """The sentence's calendar time expressions (and, with ``vague``, "recently", "now")."""
    found = [
        t
        for t in timexes
        if start <= t.start
        and t.end <= end
        and (t.type == "DATE" or (vague and t.type == "DURATION"))
        and (parse_when(t.value) is not None or (vague and _vague_time(t)))
        and not _RELATIVE_TIMEX.search(t.text)
    ]
    for t in _own_timexes(text, start, end):
        if not any(o.start < t.end and t.start < o.end for o in found):
            found.append(t)
    return sorted(found, key=lambda t: t.start)


def _tree_distance(a, b) -> int:
    """Edges between two tokens of one sentence in the dependency tree."""
    path_a = [a] + list(a.ancestors)
    index = {t.i: n for n, t in enumerate(path_a)}
    for n, t in enumerate([b] + list(b.ancestors)):
        if t.i in index:
            return index[t.i] + n
    return 99


def _date_for(doc, sent, anchor, text: str, timexes: list[Timex]) -> str | None:
    """The time of the figure's event: the nearest dating expression in its own sentence (by the
    parse), else the last one in the previous sentence ("It claimed more than 6,500 lives")."""
    best, best_d = None, None
    # A vague time nearest the figure ("hundreds dead in recent months") leaves it undated
    # rather than borrowing another clause's date.
    for t in _dated(timexes, text, sent.start_char, sent.end_char, vague=True):
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            continue
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        if before in _NOT_DATING:
            continue
        d = _tree_distance(anchor, span.root)
        if parse_when(t.value) is None and d > 3:
            continue  # a vague time only counts when it modifies the figure's own clause
        if best_d is None or d < best_d:
            best, best_d = t.value, d
    if best is not None:
        return best if parse_when(best) is not None else None
    if sent.start > 0:
        previous = doc[sent.start - 1].sent
        earlier = _dated(timexes, text, previous.start_char, previous.end_char)
        if earlier:
            return earlier[-1].value
    return None


# ---------------------------------------------------------------------------- finding


def _counted(num_token):
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
        if walker.head.pos_ in ("VERB", "AUX") and walker.head is not walker:
            verb = walker.head
        break
    if verb is not None:
        # "were dead", "left hundreds dead": the complement says what happened to them
        complements = [
            c
            for c in verb.children
            if c.dep_ in ("acomp", "attr", "oprd", "ccomp", "xcomp")
            and c is not head
            and c.lemma_.lower() in _DEATH_WORDS | _INJURY_WORDS
        ]
        if complements or verb.pos_ == "AUX":
            complements = complements or [
                c for c in verb.children if c.dep_ in ("acomp", "attr") and c is not head
            ]
            if complements:
                verb = complements[0]
    return noun, verb


def _what(noun, verb, num_token) -> tuple[str, str]:
    """(what, unit) of a count of things."""
    n = noun.lemma_.lower() if noun is not None else None
    v = verb.lemma_.lower() if verb is not None else None
    if n in _DEATH_NOUNS or (n is None and v == "dead"):
        return "killed", "people"
    for words, name in ((_DEATH_WORDS - {"claim"}, "killed"), (_INJURY_WORDS, "injured")):
        if v in words:
            if n is None or n in _GENERIC:
                return name, "people"
            return f"{noun.lower_} {name}", noun.lower_
    if v and (n in _GENERIC or (n is None and v in _PEOPLE_VERBS)):
        return v, "people"
    if noun is not None:
        return noun.lower_, noun.lower_
    return (v or num_token.lower_), "count"


def _strip_qualifier(text: str) -> tuple[str | None, str]:
    m = QUALIFIER_RE.match(text)
    if not m:
        return None, text
    return QUALIFIERS[m.group(1).lower()], text[m.end() :]


def _extend_left(text: str, start: int) -> int:
    """Take in a qualifier written just before the number ("at least" outside the entity)."""
    window = text[max(0, start - 25) : start]
    for q in sorted(QUALIFIERS, key=len, reverse=True):
        m = re.search(rf"(?:^|(?<=\W)){re.escape(q)}\s+$", window, re.IGNORECASE)
        if m:
            return start - (len(window) - m.start())
    return start


def _mention(article_id, text, start, end, value, qualifier, unit, what, date, sentence):
    return FigureMention(
        article_id=article_id,
        start=start,
        end=end,
        text=text[start:end],
        value=float(value),
        qualifier=qualifier,
        unit=unit,
        what=what,
        date=date,
        sentence=sentence,
    )


def find_figures(article_id: str, text: str, doc: Doc | None, timexes: list[Timex],
                 settings: FigureSettings | None = None) -> list[FigureMention]:
    """Numeric claims of one article. ``doc`` is the spaCy Doc of ``text``."""
    min_bare = (settings or FigureSettings()).min_bare_value
    if doc is None or not text:
        return []
    timexes = list(timexes or [])
    out: list[FigureMention] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in taken)

    for ent in doc.ents:
        try:
            found = _from_entity(article_id, text, doc, ent, timexes, min_bare)
        except Exception:  # noqa: BLE001 - one odd number must not lose the article's others
            found = None
        if found is not None and free(found.start, found.end):
            out.append(found)
            taken.append((found.start, found.end))
    for m in _VAGUE_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        try:
            found = _vague(article_id, text, doc, span, m, timexes)
        except Exception:  # noqa: BLE001 - as above
            found = None
        if found is not None:
            out.append(found)
            taken.append((found.start, found.end))
    return sorted(out, key=lambda f: f.start)


def _vague(article_id, text, doc, span, match, timexes, offset=0):
    key = match.group(1).lower()
    token = span.root
    noun, verb = _counted(token)
    if noun is None and token.dep_ == "nummod":  # "thousands people" never happens; guard
        return None
    what, unit = _what(noun, verb, token)
    if unit == "count":
        return None
    sent = token.sent
    date = _date_for(doc, sent, verb or token, text, timexes)
    low = VAGUE[key][0]
    return _mention(
        article_id,
        text,
        offset + match.start(),
        offset + match.end(),
        low,
        key,
        unit,
        what,
        date,
        sent.text,
    )


def _from_entity(article_id, text, doc, ent, timexes, min_bare: int):
    label = ent.label_
    start, end = ent.start_char, ent.end_char
    raw = text[start:end]
    if label == "DATE":
        return _duration(article_id, text, doc, ent, timexes)
    if label not in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
        return None
    vague = _VAGUE_RE.fullmatch(raw)
    if vague:
        return _vague(article_id, text, doc, ent, vague, timexes, offset=start)
    start = _extend_left(text, start)
    qualifier, number = _strip_qualifier(text[start:end])
    unit = None
    if label == "PERCENT":
        number = re.sub(r"\s*(%|per ?cent|percentage points?)$", "", number, flags=re.IGNORECASE)
        unit = "percent"
    elif label == "MONEY":
        m = re.match(r"^(us\$|[$€£¥])\s*", number, re.IGNORECASE)
        if m:
            unit = _CURRENCY[m.group(1).lower()]
        words = number.split()
        if words and words[-1].lower() in _CURRENCY:
            unit = _CURRENCY[words[-1].lower()]
            number = " ".join(words[:-1])
        unit = unit or "money"
    elif label == "QUANTITY":
        return None  # distances and weights rarely carry a news claim worth comparing
    if re.fullmatch(r"(1[89]|20)\d\d", number.strip()):
        return None  # a year the tagger called a cardinal
    value = _parse_number(number)
    if value is None:
        return None
    num_token = next((t for t in reversed(ent) if t.like_num or t.pos_ == "NUM"), ent.root)
    noun, verb = _counted(num_token)
    sent = ent.sent
    if unit is None and noun is not None and noun.lower_ in ("%", "percent", "per cent"):
        unit, end = "percent", max(end, noun.idx + len(noun.text))  # "45" + "%" split by NER
        noun, verb = _counted(noun)
        noun = noun if noun is not None and noun.lower_ not in ("%", "percent") else None
    if unit is None:
        what, unit = _what(noun, verb, num_token)
        spelled = not any(c.isdigit() for c in number)
        if value < min_bare and (spelled or what not in ("killed", "injured")):
            return None  # "the two sides", "one of them": not claims
        if unit == "count":
            return None  # a bare number with nothing counted: an age, a rank, a list position
    else:
        if noun is not None and noun.i not in range(ent.start, ent.end):
            what = noun.lower_
        elif unit == "percent":
            of = [c for t in ent for c in t.children if c.dep_ == "prep" and c.lower_ == "of"]
            objects = [c for o in of for c in o.children if c.dep_ == "pobj"]
            subjects = [
                c
                for c in (verb.children if verb is not None else [])
                if c.dep_ in ("nsubj", "nsubjpass")
            ]
            what = (objects or subjects or [verb or num_token])[0].lemma_.lower()
        else:
            what = verb.lemma_.lower() if verb is not None else "amount"
    date = _date_for(doc, sent, verb or num_token, text, timexes)
    return _mention(article_id, text, start, end, value, qualifier, unit, what, date, sent.text)


def _duration(article_id, text, doc, ent, timexes):
    start, end = ent.start_char, ent.end_char
    raw = text[start:end]
    m = _DURATION_RE.match(raw)
    if not m:
        return None
    # "six weeks before X" / "two years ago" point at a date, they do not measure anything
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    if after in ("ago", "before", "after", "later", "earlier", "old"):
        return None
    value = _parse_number(m.group(2))
    if value is None:
        return None
    qualifier = QUALIFIERS.get((m.group(1) or "").lower())
    unit = m.group(3).lower()
    unit = unit if unit.endswith("s") else unit + "s"
    sent = ent.sent
    date = _date_for(doc, sent, ent.root.head, text, timexes)
    return _mention(
        article_id, text, start, end, value, qualifier, unit, "duration", date, sent.text
    )
