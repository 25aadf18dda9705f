"""Transcripts: the speaker turns of broadcast and interview transcripts.

Radio and TV transcripts, and Q&A interviews, carry no quotation marks: each turn starts a
line with its speaker's label in capitals ("SACHA PFEIFFER, HOST:", "CANTWELL:", "Q:"). The
label is a mention of the speaker, and the turn is that speaker's own words. The reporters'
turns (HOST, BYLINE, ANCHOR …) narrate the story and are not quotes of them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# A label is one to five words in capitals at the start of a line, an optional role after a
# comma, then a colon and the words of the turn.
_TURN = re.compile(
    r"^(?P<label>[A-Z][A-Z'’.\-]*(?:[ \t]+[A-Z#][A-Z0-9'’.\-#]*){0,4})"
    r"(?:,[ \t]*(?P<role>[A-Z][A-Z ,'’.\-]{1,40}?))?:(?:[ \t]+|[ \t]*\n)(?P<body>\S[^\n]*)$",
    re.MULTILINE,
)
# Roles of the people who present the piece: their turns are its narration.
REPORTER_ROLES = frozenset(
    ["host", "byline", "anchor", "correspondent", "reporter", "co-host", "narrator", "moderator"]
)
# Labels of speakers the transcript does not name.
_UNNAMED = frozenset(["q", "a", "question", "answer", "unidentified", "unknown", "audience",
                      "crowd", "group", "person", "man", "woman", "male", "female", "voice"])
# Capitalised line openings that are headings, not speakers ("UPDATE: …", "WATCH: …").
_HEADINGS = frozenset(["update", "updated", "watch", "read", "editor's", "editor’s", "note",
                       "photos", "photo", "video", "related", "correction", "warning", "breaking",
                       "live", "exclusive", "listen", "close", "more", "advertisement"])
# A transcript has at least this many turns by at least two speakers.
MIN_TURNS = 3


@dataclass(frozen=True)
class Turn:
    label_start: int
    label_end: int  # the speaker's name as labelled, without its role
    label: str
    role: str | None
    body_start: int
    body_end: int
    name: str | None  # the speaker's name as the transcript gives it in full; None if unnamed
    reporter: bool  # a presenter's narration, not a quote

    @property
    def named(self) -> bool:
        return self.name is not None


def _words(label: str) -> list[str]:
    return [w.strip(".").lower() for w in label.split()]


def find_turns(text: str) -> list[Turn]:
    """The speaker turns of ``text``; empty unless it reads as a transcript."""
    return list(_turns(text or ""))


@functools.lru_cache(maxsize=4)
def _turns(text: str) -> tuple[Turn, ...]:
    # Cached: the mention and the quote annotators of one article both ask.
    raw = []
    for m in _TURN.finditer(text):
        words = _words(m.group("label"))
        if words[0] in _HEADINGS:
            continue
        if len(words) == 1 and len(words[0]) == 1 and words[0] not in ("q", "a"):
            continue
        raw.append(m)
    labels = {m.group("label") for m in raw}
    if len(raw) < MIN_TURNS or len(labels) < 2:
        return ()
    # A surname label ("CANTWELL") stands for the full label given before ("TRAVIS CANTWELL").
    full: dict[str, str] = {}
    reporters: set[str] = set()
    turns = []
    for m in raw:
        label, role = m.group("label"), (m.group("role") or "").strip()
        words = _words(label)
        unnamed = bool(set(words) & _UNNAMED) or "#" in label
        name = None
        if not unnamed:
            last = words[-1]
            if len(words) > 1:
                full.setdefault(last, label)
            name = _title(full.get(last, label))
            if any(w in REPORTER_ROLES for w in _words(role.replace(",", " "))):
                reporters.add(last)
        turns.append((m, label, role or None, name, words[-1]))
    return tuple(
        Turn(m.start("label"), m.end("label"), label, role, m.start("body"),
             m.start("body") + len(m.group("body").rstrip()), name, last in reporters)
        for m, label, role, name, last in turns
    )


def _title(label: str) -> str:
    """"MARTINEZ-BELTRAN" → "Martinez-Beltran", "O'NEILL" → "O'Neill"."""
    return re.sub(r"[A-Za-z]+", lambda w: w.group(0).capitalize(), label.lower())
