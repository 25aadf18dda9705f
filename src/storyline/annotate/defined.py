"""Names the text itself defines: short forms and other names of one referent.

"The Federal Motor Carrier Safety Administration (FMCSA)" defines a short form; "Stormy
Daniels, whose real name is Stephanie Clifford" and "Stephanie Clifford, better known as
Stormy Daniels" give two names of one person. A tagger trained on other text misses such
names or types them apart; the definition in the text is better evidence than either string.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

# "Federal Motor Carrier Safety Administration (FMCSA)", "UN Human Rights Council (UNHRC)",
# "Australian Maritime Safety Authority (Amsa)": a capitalised name, then its short form.
_DEFINITION = re.compile(
    r"((?:[A-Z][\w'’&.-]*)(?:\s+(?:of|the|and|for|on|in|de|[A-Z][\w'’&.-]*)){1,9})"
    r"\s+\(([A-Z][A-Za-z]{1,9})\)")
MINOR = frozenset(["of", "the", "and", "for", "on", "in", "de"])

# A cheap test for texts that may give a second name at all.
ALIAS_HINT = re.compile(r"(?:real|legal|birth|given) name|known\s+(?:professionally\s+)?as|goes by|"
                        r"\ba\.?k\.?a\b|\balias\b")
# A capitalised word or an initial ("C."), then up to four more or name particles.
_WORD = r"[A-Z](?:[\w'’-]+|\.)"
_NAME = rf"{_WORD}(?:\s+(?:de|van|von|bin|al|{_WORD})){{0,4}}"
# Phrases that give a second name of the one just named, in either order.
_ALIASES = (
    re.compile(rf"(?P<a>{_NAME}),?\s+(?:whose\s+(?:real|legal|birth|given)\s+name\s+is|"
               rf"\(?real\s+name:?)\s+(?P<b>{_NAME})"),
    re.compile(rf"(?P<a>{_NAME}),?\s+(?:(?:also|better|professionally|widely)\s+)?known\s+"
               rf"(?:professionally\s+)?as\s+(?P<b>{_NAME})"),
    re.compile(rf"(?P<a>{_NAME}),?\s+(?:who\s+goes\s+by|a\.?k\.?a\.?|alias)\s+(?P<b>{_NAME})"),
)


def initials(words: list[str]) -> str:
    """The letters a list of words abbreviates to; an all-capitals word gives all its letters
    ("UN Human Rights Council" → UNHRC)."""
    out = ""
    for w in words:
        if w.lower() in MINOR:
            continue
        letters = re.sub(r"[^A-Za-z]", "", w)
        out += letters if letters.isupper() and len(letters) > 1 else letters[:1].upper()
    return out


def acronym_spans(text: str) -> list[tuple[Span, Span]]:
    """(long form, short form) spans the text defines, where the short form spells the long
    form's initials."""
    found = []
    for m in _DEFINITION.finditer(text):
        long_form, short = m.group(1), m.group(2)
        # The definition may start mid-phrase ("… said the Syrian Observatory (SOHR)"): the
        # shortest tail of the phrase whose initials spell the short form.
        offsets = [(w.start(), w.end()) for w in re.finditer(r"\S+", long_form)]
        words = [long_form[a:b] for a, b in offsets]
        for i in range(len(words) - 1, -1, -1):
            if words[i].lower() in MINOR:
                continue
            if initials(words[i:]) == short.upper():
                base = m.start(1)
                found.append(((base + offsets[i][0], base + offsets[-1][1]), m.span(2)))
                break
    return found


def alias_spans(text: str) -> list[tuple[Span, Span]]:
    """Pairs of spans that the text gives as two names of one referent. A span may start
    with a word that is not part of the name ("Actress Stormy Daniels"): callers match the
    name that ends the first span and the one that starts the second."""
    return [(m.span("a"), m.span("b")) for p in _ALIASES for m in p.finditer(text)]
