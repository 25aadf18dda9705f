"""The data model: plain, picklable dataclasses shared by every stage.

Every extracted item carries character offsets into its article's cleaned ``text`` so that
``article.text[start:end]`` is exactly the supporting text (see DESIGN.md, Invariants).
Per-article steps return these objects; the store persists them; export turns them into the
JSON contract with :func:`to_dict`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any


def stable_id(prefix: str, *parts: object, length: int = 12) -> str:
    """A content-derived id, so rebuilding the same corpus never churns ids."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{digest[:length]}"


# Field names of each dataclass met so far: to_dict runs on every stored annotation, and
# dataclasses.fields() is slow enough to matter there.
_FIELDS: dict[type, tuple[str, ...] | None] = {}
_SCALARS = (str, int, float, bool, type(None))


def to_dict(obj: Any) -> Any:
    """Dataclasses (nested, in lists) to plain JSON-ready values."""
    if isinstance(obj, _SCALARS):
        return obj
    cls = type(obj)
    if cls not in _FIELDS:
        _FIELDS[cls] = (tuple(f.name for f in dataclasses.fields(obj))
                        if dataclasses.is_dataclass(obj) and not isinstance(obj, type) else None)
    names = _FIELDS[cls]
    if names is not None:
        return {name: to_dict(getattr(obj, name)) for name in names}
    if isinstance(obj, (list, tuple)):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


@dataclass
class Span:
    """A supporting span: ``articles[article_id].text[start:end]``."""

    article_id: str
    start: int
    end: int


@dataclass
class Document:
    """One input as read, before cleaning: the raw text plus whatever metadata its container had.

    ``kind`` says how ``body`` is to be cleaned: ``text`` (plain scraped text) or ``html``.
    """

    origin: str  # path or URL as given (a WARC record is "archive.warc.gz#<record url>")
    kind: str  # "text" | "html"
    body: str
    title: str | None = None
    url: str | None = None
    date: str | None = None  # ISO date from the container's metadata, if any
    publisher: str | None = None
    author: str | None = None
    source_path: str | None = None  # the file it came from (for incremental builds)
    # When this copy was taken (a WARC record's WARC-Date, a feed entry's update time, a JSONL
    # record's fetch time), ISO 8601: it orders the versions of one URL, newest first.
    captured: str | None = None
    # The outlet the user's sources.toml gives the file: used when the document names none.
    mapped_outlet: str | None = None
    notes: list[str] = field(default_factory=list)  # input limits it went past (see limits)

    @property
    def content_hash(self) -> str:
        return hashlib.sha1(self.body.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Published:
    value: str | None = None  # YYYY-MM-DD
    evidence: str | None = None  # metadata|dateline|url|text|duplicate|story|none


@dataclass
class Article:
    """A cleaned article. ``offset_map`` maps cleaned text back to the original document body:
    a list of ``(clean_start, original_start, length)`` runs, in order."""

    id: str
    origin: str
    text: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    dateline: str | None = None  # the dateline as written, e.g. "Washington D.C./22.06.23/Turan:"
    place: str | None = None  # the dateline's place
    url: str | None = None
    published: Published = field(default_factory=Published)
    duplicate_of: str | None = None
    language: str | None = None
    offset_map: list[tuple[int, int, int]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # chrome lines removed, for the report
    content_hash: str = ""  # hash of the raw document body
    source_path: str | None = None
    notes: list[str] = field(default_factory=list)  # input limits reading or cleaning applied
    captured: str | None = None  # when this copy was taken (see Document.captured)

    def original_offset(self, pos: int) -> int | None:
        """Where cleaned-text position ``pos`` sits in the original document body."""
        for clean_start, orig_start, length in self.offset_map:
            if clean_start <= pos < clean_start + length:
                return orig_start + (pos - clean_start)
        return None


@dataclass
class Sentence:
    start: int
    end: int


@dataclass
class Mention:
    """A named-entity mention in one article."""

    article_id: str
    start: int
    end: int
    text: str
    label: str  # PERSON|ORG|GPE|LOC|NORP|FAC|EVENT|…
    role: str | None = None  # "State Department spokesman", "Azerbaijani Foreign Minister"
    entity_id: str | None = None  # filled by corpus-level resolution
    local_id: str | None = None  # within-article chain key (surname → full name)
    # the country a generic organisation name belongs to ("Azerbaijan" for "Azerbaijan's
    # Defense Ministry", "Armenia" for "the Defense Ministry in Yerevan")
    qualifier: str | None = None


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # why variants were merged


@dataclass
class Timex:
    start: int
    end: int
    text: str
    value: str  # TIMEX3 value: 2022-11-07, 2022-10, 2023-W24, 2020-FA, 199X, P6W, PRESENT_REF
    type: str  # DATE|TIME|DURATION|SET
    anchor: str | None = None  # how the value was anchored ("publication", "explicit", …)
    mod: str | None = None  # TIMEX3 mod: START|MID|END|APPROX|LESS_THAN|MORE_THAN|…


@dataclass
class Speaker:
    name: str | None = None  # the resolved name ("Ned Price"), else the surface text
    entity_id: str | None = None
    start: int | None = None  # surface span of the speaker in the text ("he", "the spokesman")
    end: int | None = None


@dataclass
class QuoteMention:
    """A quote found in one article."""

    article_id: str
    start: int  # the quoted content, without the marks
    end: int
    text: str
    kind: str  # direct|partial|indirect
    speaker: Speaker = field(default_factory=Speaker)
    cue: str | None = None  # the cue verb as written ("said", "went on to add")
    cue_start: int | None = None
    cue_end: int | None = None
    # offsets of the named mention the speaker resolves to (lets the pipeline copy entity_id)
    speaker_mention: tuple[int, int] | None = None


@dataclass
class Quote:
    """One quote across the corpus, with every article that carries it."""

    id: str
    text: str
    kind: str
    speaker: Speaker
    cue: str | None
    occurrences: list[Span] = field(default_factory=list)


@dataclass
class EventMention:
    article_id: str
    start: int  # the sentence reporting the event
    end: int
    type: str  # PLOVER type, or OTHER: a dated fact no PLOVER type covers
    mode: str | None = None  # PLOVER mode ("" / "hypothetical" / …)
    trigger: str | None = None
    actors: list[str] = field(default_factory=list)  # surface names (resolved to ids later)
    recipients: list[str] = field(default_factory=list)
    location: str | None = None
    date: str | None = None  # TIMEX3 value
    date_text: str | None = None
    sentence: str | None = None  # text[start:end], so the timeline can quote it


@dataclass
class TimelineEntry:
    id: str
    date: str | None
    type: str
    summary: str
    actors: list[str] = field(default_factory=list)  # entity ids
    recipients: list[str] = field(default_factory=list)
    location: str | None = None
    story_id: str | None = None
    sources: list[Span] = field(default_factory=list)


@dataclass
class FigureMention:
    article_id: str
    start: int
    end: int
    text: str  # the figure as written ("at least 286")
    value: float
    qualifier: str | None  # at least|more than|about|some|thousands|…
    unit: str  # people|troops|USD|percent|weeks|…
    what: str  # what it counts ("killed")
    date: str | None = None  # TIMEX3 value
    sentence: str | None = None
    high: float | None = None  # the top of a range ("between 200 and 300")
    weekday: int | None = None  # 1-7 when the claim is dated only by a weekday ("on Monday")
    date_from: str | None = None  # why it has its date: "its sentence", "the sentence before"
    places: list[str] = field(default_factory=list)  # where, as written in its clause
    # the same amount in other currencies, as the text gives it: "$41m (£31.5m)"
    converted: dict[str, float] = field(default_factory=dict)


@dataclass
class Figure:
    id: str
    what: str
    value: float
    qualifier: str | None
    unit: str
    date: str | None
    group_id: str
    agreement: str  # agree|disagree|single
    occurrences: list[Span] = field(default_factory=list)
    text: str = ""


@dataclass
class SummarySentence:
    text: str
    citations: list[Span] = field(default_factory=list)


@dataclass
class Story:
    id: str
    title: str
    article_ids: list[str] = field(default_factory=list)
    thread_id: str | None = None
    start: str | None = None  # first publication date
    end: str | None = None
    summary: list[SummarySentence] = field(default_factory=list)
    what_is_new: SummarySentence | None = None


@dataclass
class Annotations:
    """Everything the per-article step finds in one article."""

    article_id: str
    language: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[QuoteMention] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    figures: list[FigureMention] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # skipped steps and why (language, size cap)
