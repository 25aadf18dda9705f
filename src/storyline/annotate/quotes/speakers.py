"""Who said it: cue verbs, speaker phrases and their resolution to named mentions.

Works on the spaCy parse of the article: a cue is a reporting verb ("said", "went on to add",
"according to"), the speaker is its subject phrase, and a pronoun or a bare title ("he", "the
spokesman") is resolved to the named PERSON/ORG mention it refers to, following the entity
layer's ``local_id`` chain from a surname to the full name.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.annotate.spans import SpanCover
from storyline.lexicon.roles import ORG_WORDS, PERSON_NOUNS, ROLE_HEADS
from storyline.model import Mention
from storyline.nlp.components import doc_text, sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Reporting verbs that introduce a direct quote or a reported clause. Kept as lemmas; the list
# covers the cue words that make up almost all attributions in news (say, tell, add, …).
CUE_LEMMAS = frozenset(
    [
        "say",
        "tell",
        "add",
        "note",
        "write",
        "ask",
        "explain",
        "elaborate",
        "conclude",
        "continue",
        "argue",
        "claim",
        "insist",
        "state",
        "declare",
        "warn",
        "urge",
        "announce",
        "report",
        "suggest",
        "recall",
        "reply",
        "respond",
        "answer",
        "acknowledge",
        "admit",
        "stress",
        "emphasize",
        "emphasise",
        "remark",
        "comment",
        "observe",
        "predict",
        "promise",
        "vow",
        "pledge",
        "complain",
        "joke",
        "quip",
        "shout",
        "yell",
        "exclaim",
        "whisper",
        "testify",
        "confirm",
        "deny",
        "contend",
        "maintain",
        "assert",
        "tweet",
        "post",
        "praise",
        "describe",
        "call",
        "accuse",
        "charge",
        "criticize",
        "criticise",
        "allege",
        "caution",
        "concede",
        "boast",
        "brag",
        "reiterate",
        "repeat",
        "agree",
        "counter",
        "retort",
        "mutter",
        "muse",
        "wonder",
        "recount",
        "reveal",
        "disclose",
        "indicate",
        "point",
        "lament",
        "declare",
        "proclaim",
        "estimate",
        "believe",
        "think",
        "hope",
        "fear",
        "feel",
        "know",
        "expect",
        "worry",
        "read",
        "chant",
        "echo",
        "mouth",
        "sing",
        "scream",
        "cry",
        "label",
        "dub",
    ]
)

# Verbs that introduce indirect speech with a that-clause ("Price said that …"). Narrower than
# CUE_LEMMAS: verbs of perception/belief only count when they carry a clause.
INDIRECT_LEMMAS = CUE_LEMMAS | frozenset(
    [
        "show",
        "find",
        "learn",
        "suspect",
        "conclude",
        "determine",
        "insist",
        "signal",
        "hint",
        "acknowledge",
    ]
)

# Verbs that wrap the real cue: "went on to add", "continued to insist".
WRAPPER_LEMMAS = frozenset({"go", "continue", "proceed", "want", "seem"})

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"they", "it", "we"})
SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")


@dataclass
class Cue:
    start: int
    end: int
    text: str
    verb: Token  # the spaCy token of the reporting verb


@dataclass
class Resolved:
    name: str | None
    start: int | None
    end: int | None
    mention: tuple[int, int] | None = None


def is_cue_token(tok: Token) -> bool:
    return tok.lemma_.lower() in CUE_LEMMAS and tok.pos_ in ("VERB", "AUX")


def cue_of(verb: Token) -> Cue:
    """The cue as written: the verb, widened to a wrapper ("went on to add") or "according to"."""
    start_tok = verb
    head = verb.head
    if (
        verb.dep_ in ("xcomp", "advcl")
        and head.lemma_.lower() in WRAPPER_LEMMAS
        and 0 < verb.i - head.i <= 3
    ):
        start_tok = head
    doc = verb.doc
    start = start_tok.idx
    end = verb.idx + len(verb.text)
    return Cue(start, end, doc_text(doc)[start:end], verb)


def subject_of(verb: Token, masked: SpanCover | None = None) -> Token | None:
    """The subject token of a reporting verb, looking through wrappers and participles.

    Subjects inside quotation marks (``masked``) are skipped: in '“Twitter is over,” wrote
    Auerbach' the parser may hang the quote's own subject on the reporting verb."""

    def outside(t) -> bool:
        return masked is None or t.idx not in masked

    seen = 0
    tok = verb
    while tok is not None and seen < 5:
        seen += 1
        subs = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and outside(c)]
        if subs:
            return min(subs, key=lambda c: abs(c.i - verb.i))
        # "saying: …" hangs off the main verb; "went on to add" off "went"; "before saying"
        if tok.dep_ in ("xcomp", "advcl", "conj", "acl", "pcomp", "prep") and tok.head is not tok:
            tok = tok.head
            continue
        break
    # inverted order: "…," said Price — the parser often makes the name a dobj/attr/npadvmod
    for child in verb.rights:
        if (
            child.dep_ in ("dobj", "attr", "npadvmod", "appos", "nsubj", "dep")
            and child.pos_ in ("PROPN", "NOUN", "PRON")
            and outside(child)
        ):
            return child
    return None


def phrase_span(tok: Token) -> tuple[int, int]:
    """Character span of the subject phrase (its subtree), trimmed of edge punctuation."""
    doc = tok.doc
    text = doc_text(doc)
    # a headline without a full stop gets parsed into the next paragraph: stay on the line
    # (the subtree runs from its left to its right edge; the line is found once, not by
    # slicing the text between each token and the head)
    line_start = text.rfind("\n", 0, tok.idx)
    line_end = text.find("\n", tok.idx)
    first, last = tok.i, tok.i
    while first > tok.left_edge.i and doc[first - 1].idx > line_start:
        first -= 1
    while last < tok.right_edge.i and (line_end == -1 or doc[last + 1].idx <= line_end):
        last += 1
    toks = list(doc[first:last + 1])
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks.pop(0)
    if not toks:
        return tok.idx, tok.idx + len(tok.text)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


class MentionIndex:
    """The article's mentions, with the surname → full name chains and quote masking."""

    def __init__(self, text: str, mentions: list[Mention], masked: list[tuple[int, int]]):
        self.text = text
        self.mentions = sorted(
            (m for m in mentions if m.label in SPEAKER_LABELS), key=lambda m: (m.start, m.end)
        )
        self.starts = [m.start for m in self.mentions]
        self.masked = masked  # spans inside quotation marks: not candidates for antecedents
        self.masked_cover = SpanCover(masked)
        self.full: dict[str, Mention] = {}
        for m in self.mentions:
            key = m.local_id or m.text
            best = self.full.get(key)
            if best is None or len(m.text.split()) > len(best.text.split()):
                self.full[key] = m

    def full_name(self, m: Mention) -> str:
        return _clean_name(self.full.get(m.local_id or m.text, m).text)

    def inside(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end]

    def is_masked(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a quotation."""
        return pos in self.masked_cover

    def antecedent(self, pos: int, labels: tuple[str, ...],
                   doc: Doc | None = None, subject_only: bool = False) -> Mention | None:
        """The mention a pronoun or a description before ``pos`` refers to: in the nearest of
        the last three sentences that has one, its subject, else its first candidate. Names
        inside quotes, and inside the clause a reporting verb reports ("A contact had advised
        Ghlam …, he added"), are what was said, not who said it. With ``subject_only`` only a
        sentence's subject will do."""
        # The candidates are the mentions that end before ``pos``, of those labels, outside
        # quotes; they are walked back from ``pos`` (by binary search on the starts), so that a
        # pronoun costs the sentences it looks at, not every mention of the article.
        mentions = self.mentions
        before = bisect.bisect_left(self.starts, pos)

        def candidate(x: int) -> bool:
            m = mentions[x]
            return m.end <= pos and m.label in labels and not self.is_masked(m.start)

        def last_candidate(below: int) -> int:
            x = below - 1
            while x >= 0 and not candidate(x):
                x -= 1
            return x

        i = last_candidate(before)
        if i < 0:
            return None
        if doc is None:
            return mentions[i]
        sentences = 0
        while i >= 0 and sentences < 3:
            span = doc.char_span(mentions[i].start, mentions[i].end, alignment_mode="expand")
            if span is None:
                return None if subject_only else mentions[i]
            sent = sentence_of(doc, span.start)
            lo = bisect.bisect_left(self.starts, sent.start_char)
            hi = min(before, bisect.bisect_left(self.starts, sent.end_char))
            in_sent = [mentions[x] for x in range(lo, hi) if candidate(x)]
            usable = []
            for m in in_sent:
                ms = doc.char_span(m.start, m.end, alignment_mode="expand")
                if ms is not None and not _in_reported(ms.root):
                    usable.append((m, ms.root))
            subjects = [m for m, root in usable if _is_subject(root)]
            if subjects:
                return subjects[0]
            if usable and not subject_only:
                # A possessor ("Eichmann's attorney, Dr. Robert Servatius") is seldom the one
                # a pronoun picks up when someone else is named beside it.
                owners = [m for m, root in usable if root.dep_ == "poss"]
                return next((m for m, _ in usable if m not in owners), usable[0][0])
            sentences += 1
            i = last_candidate(lo if in_sent else i)
        return None


# Verbs of saying whose clause is what was said; verbs of belief ("know", "think") are left
# out, as the parser hangs unrelated clauses on them.
_REPORTING = CUE_LEMMAS - frozenset(["know", "think", "believe", "hope", "fear", "feel", "expect",
                                     "worry", "wonder", "read", "label", "dub", "call",
                                     "describe", "praise"])


def _in_reported(tok: Token) -> bool:
    """Whether a token sits in the clause a reporting verb reports."""
    text = doc_text(tok.doc)
    t, steps = tok, 0
    while t.head is not t and steps < 12:
        lo, hi = sorted((t.idx, t.head.idx))
        if "\n" in text[lo:hi]:
            return False  # a parse run across paragraphs: another paragraph reports nothing
        if t.dep_ == "ccomp" and t.head.lemma_.lower() in _REPORTING:
            return True
        t, steps = t.head, steps + 1
    return False


def _is_subject(tok: Token) -> bool:
    """A clause's subject, or a name in apposition to it ("His attorney, Dr. Robert
    Servatius, noted …")."""
    if tok.dep_ in ("nsubj", "nsubjpass"):
        return True
    # (or to a fragment's head noun: "Eichmann's German attorney, Dr. Robert Servatius, noted")
    return tok.dep_ == "appos" and (tok.head.dep_ in ("nsubj", "nsubjpass") or (
        tok.head.dep_ == "ROOT" and tok.head.pos_ in ("NOUN", "PROPN")))


def _clean_name(name: str) -> str:
    for suffix in ("’s", "'s", "’", "'"):
        name = name.removesuffix(suffix)
    return name.strip()


def resolve(subject: Token, index: MentionIndex, doc: Doc) -> Resolved:
    """Resolve a speaker subject token to a name (via the mention it refers to)."""
    start, end = phrase_span(subject)
    surface = doc_text(doc)[start:end]
    low = subject.text.lower()
    if low in ("who", "that", "which") and subject.head.dep_ == "relcl":
        # "a comment by Macron who said …": the relative pronoun stands for the noun it modifies
        subject = subject.head.head
        start, end = phrase_span(subject)
        surface = doc_text(doc)[start:end]
        low = subject.text.lower()
    if subject.pos_ == "PRON" or low in PERSON_PRONOUNS | GROUP_PRONOUNS:
        start, end = subject.idx, subject.idx + len(subject.text)
        labels = ("PERSON",) if low in PERSON_PRONOUNS else ("ORG", "NORP", "GPE", "PERSON")
        if low in ("i", "we", "you"):
            return Resolved(surface, start, end)
        m = index.antecedent(start, labels, doc)
        if m is None:
            return Resolved(doc_text(doc)[start:end], start, end)
        return Resolved(index.full_name(m), start, end, (m.start, m.end))
    inside = index.inside(start, end)
    if inside:
        # Prefer the mention that holds the phrase's head, then a person, then the first.
        head_hits = [m for m in inside if m.start <= subject.idx < m.end]
        people = [m for m in inside if m.label == "PERSON"]
        if not head_hits and not people:
            # Only modifiers are named ("An American official", "Russian diplomats"): the
            # speaker is the description, not the country or nationality, unless the
            # description refers back to someone named ("the White House press secretary").
            return _described(subject, index, doc, start, end) or Resolved(surface, start, end)
        m = (head_hits or people)[0]
        if head_hits and head_hits[0].label != "PERSON" and people:
            # "State Department spokesman Ned Price": head may be tagged ORG by mistake
            m = people[0]
        return Resolved(index.full_name(m), start, end, (m.start, m.end))
    if subject.pos_ in ("PROPN", "NOUN") and subject.text[:1].isupper():
        # A surname the tagger missed as an entity: chain it to the earlier full name.
        for m in reversed(index.mentions):
            if m.label == "PERSON" and m.end <= start and m.text.split()[-1:] == [subject.text]:
                return Resolved(index.full_name(m), start, end, (m.start, m.end))
    return _described(subject, index, doc, start, end) or Resolved(surface, start, end)


def _introduced_as(text: str, m: Mention, title: str) -> bool:
    """Whether the text gives ``m`` the title: as its role, in the words just before it
    ("the Paris prosecutor Francois Molins"), or in an apposition ("Ned Price, the State
    Department spokesman,"; "the Local Coordination Committees of Syria, a network …")."""
    if m.role and title in m.role.lower():
        return True
    before = text[max(0, m.start - 40): m.start].lower().split()[-4:]
    if any(w.strip(",.'’s") == title for w in before):
        return True
    after = text[m.end: m.end + 80]
    if after.startswith(","):  # an apposition follows a comma
        words = re.split(r"[,.;:\n]", after.lstrip(" ,"), maxsplit=1)[0].lower().split()
    else:  # "… of Syria, a network of …": the name goes on before its apposition
        rest = re.split(r"[.;:\n]", after, maxsplit=1)[0]
        if not rest.startswith(" of ") or "," not in rest[:40]:
            return False
        words = rest.split(",", 2)[1].lower().split()
    return title in (w.strip("'’s") for w in words)


# Nouns for organisations that a report uses to refer back to one it has named ("the
# network said", "the ministry added").
_ORG_NOUNS = ORG_WORDS | frozenset(["network", "coalition", "observatory", "charity", "firm",
                                    "watchdog", "regulator", "airline", "newspaper"])


def _described(subject: Token, index: MentionIndex, doc: Doc, start: int,
               end: int) -> Resolved | None:
    """The named speaker a definite description refers back to: the last one introduced
    with that noun ("Ned Price, the spokesman" … "the spokesman said"; "the Local
    Coordination Committees, a network of activists" … "the network said"), else, for a
    person, the subject of a recent sentence ("Ahmad Seth told Malaysian media …" … "the
    26-year-old student told …")."""
    if subject.pos_ != "NOUN" or not any(
            c.lower_ in ("the", "this", "that") or c.dep_ == "poss" for c in subject.lefts):
        return None
    title = subject.lemma_.lower()
    person = title in ROLE_HEADS or title in PERSON_NOUNS
    if not person and title not in _ORG_NOUNS:
        return None
    labels = ("PERSON",) if person else ("ORG",)
    for m in reversed(index.mentions):
        if m.end > start or m.label not in labels or index.is_masked(m.start):
            continue
        if _introduced_as(index.text, m, title):
            return Resolved(index.full_name(m), start, end, (m.start, m.end))
    if person:
        back = index.antecedent(start, labels, doc, subject_only=True)
        if back is not None:
            return Resolved(index.full_name(back), start, end, (back.start, back.end))
    return None
