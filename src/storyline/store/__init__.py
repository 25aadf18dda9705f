"""The SQLite store: the single source of truth for report, web UI, search and export.

One file, WAL mode, a schema version with ordered migrations, FTS5 for search. Per-article
results are written one transaction per batch (an interrupted build never leaves half an
article); corpus-level results (entities, stories, timeline, …) are replaced in one
transaction, so readers see either the old or the new state, never a mix.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self, TypeVar

import numpy as np

from storyline import errors
from storyline.model import (
    Annotations,
    Article,
    Entity,
    EventMention,
    Figure,
    FigureMention,
    Mention,
    Published,
    Quote,
    QuoteMention,
    Sentence,
    Span,
    Speaker,
    Story,
    SummarySentence,
    TimelineEntry,
    Timex,
    to_dict,
)
from storyline.store import guard

SCHEMA_VERSION = 1

_T = TypeVar("_T")

# Each migration takes the schema from version i to i+1. Never edit a released one: add a new
# one at the end, so stores built by older versions upgrade in place.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE inputs (
        origin TEXT PRIMARY KEY,
        source_path TEXT,
        content_hash TEXT NOT NULL,
        article_id TEXT,
        status TEXT NOT NULL,          -- ok | error | skipped
        reason TEXT,
        updated TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        title TEXT, publisher TEXT, author TEXT, dateline TEXT, place TEXT, url TEXT,
        published TEXT, published_evidence TEXT,
        duplicate_of TEXT,
        language TEXT,
        text TEXT NOT NULL,
        cleaned TEXT NOT NULL,         -- the article as cleaning left it (JSON), before
                                       -- corpus steps lent it metadata
        signature BLOB
    );
    CREATE TABLE annotations (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        published TEXT,                -- the publication date the annotations were anchored on
        data TEXT NOT NULL
    );
    CREATE TABLE duplicate_groups (
        canonical TEXT PRIMARY KEY, members TEXT NOT NULL, kind TEXT, similarity REAL
    );
    CREATE TABLE entities (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT, data TEXT NOT NULL
    );
    CREATE TABLE mentions (
        article_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        text TEXT, label TEXT, role TEXT, entity_id TEXT
    );
    CREATE INDEX mentions_entity ON mentions(entity_id);
    CREATE INDEX mentions_article ON mentions(article_id);
    CREATE TABLE quotes (
        id TEXT PRIMARY KEY, kind TEXT, speaker TEXT, speaker_entity TEXT, text TEXT,
        data TEXT NOT NULL
    );
    CREATE TABLE stories (
        id TEXT PRIMARY KEY, title TEXT, thread_id TEXT, start TEXT, "end" TEXT,
        data TEXT NOT NULL
    );
    CREATE TABLE story_articles (
        story_id TEXT NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (story_id, article_id)
    );
    CREATE TABLE timeline (
        id TEXT PRIMARY KEY, date TEXT, type TEXT, story_id TEXT, data TEXT NOT NULL
    );
    CREATE TABLE figures (
        id TEXT PRIMARY KEY, group_id TEXT, agreement TEXT, data TEXT NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        article_id UNINDEXED, title, text, tokenize = 'porter unicode61 remove_diacritics 2'
    );
    """,
]


StoreError = errors.StoreError  # the store's errors, catalogued in storyline.errors


def _json(obj) -> str:
    # allow_nan=False: NaN and Infinity are not JSON; a stage that makes one fails loudly here
    # instead of storing a row that SQLite's JSON check (and every other reader) refuses.
    return json.dumps(to_dict(obj), ensure_ascii=False, sort_keys=True, allow_nan=False)


def _span_list(items) -> list[Span]:
    return [Span(**s) for s in items]


def _fields(cls, d: dict) -> dict:
    """The keys of ``d`` that are fields of the dataclass ``cls`` (a row may hold others)."""
    return {k: v for k, v in d.items() if k in cls.__dataclass_fields__}


def article_from_json(data: dict) -> Article:
    data = dict(data)
    data["published"] = Published(**(data.get("published") or {}))
    data["offset_map"] = [tuple(r) for r in data.get("offset_map", [])]
    return Article(**_fields(Article, data))


def annotations_from_json(data: dict) -> Annotations:
    def rebuild(cls, rows):
        return [cls(**_fields(cls, r)) for r in rows]

    quotes = []
    for q in data.get("quotes", []):
        q = dict(q)
        q["speaker"] = Speaker(**(q.get("speaker") or {}))
        quotes.extend(rebuild(QuoteMention, [q]))
    return Annotations(
        article_id=data["article_id"],
        language=data.get("language"),
        sentences=rebuild(Sentence, data.get("sentences", [])),
        mentions=rebuild(Mention, data.get("mentions", [])),
        quotes=quotes,
        timexes=rebuild(Timex, data.get("timexes", [])),
        events=rebuild(EventMention, data.get("events", [])),
        figures=rebuild(FigureMention, data.get("figures", [])),
        notes=list(data.get("notes", [])),
    )


class Store:
    """A Storyline database. ``Store(":memory:")`` works for tests.

    Opening refuses, with a catalogued :class:`StoreError` naming the file, a path that is not
    a usable Storyline store (see :mod:`storyline.store.guard`): nothing is written to a file
    before it is known to be ours. A read-write open (a build) also checks every page and
    removes rows whose JSON is damaged (listed in ``repaired``), so the build redoes them.
    """

    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = str(path)
        # (table, key, what was wrong) of each damaged row a read-write open removed
        self.repaired: list[tuple[str, str, str]] = []
        if self.path != ":memory:":
            size = guard.check_path(Path(self.path), writing=not readonly)
            if readonly and not size:  # no file, or an empty one: nothing to read
                raise StoreError("E010", path=self.path)
        try:
            self.conn = guard.connect(self.path, readonly)
        except sqlite3.Error as exc:
            raise guard.describe(exc, self.path) from exc
        try:
            self._open(readonly)
        except BaseException as exc:
            self.conn.close()
            if isinstance(exc, sqlite3.Error):
                raise guard.describe(exc, self.path) from exc
            raise

    def _open(self, readonly: bool) -> None:
        self.conn.row_factory = sqlite3.Row
        found = guard.storyline_version(self.conn, self.path, _TABLES_NOW, SCHEMA_VERSION)
        if found is not None and found > SCHEMA_VERSION:
            raise StoreError("E012", path=self.path, found=found, needed=SCHEMA_VERSION)
        if readonly:
            if found is None:
                raise StoreError("E010", path=self.path)
            if found < SCHEMA_VERSION:
                raise StoreError("E011", path=self.path, found=found, needed=SCHEMA_VERSION)
        else:
            guard.quick_check(self.conn, self.path)  # before anything is written to it
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        if not readonly:
            self.migrate()
            self.repaired = self._repair()

    def check(self) -> None:
        """Refuse a store with a damaged page (E015) or row (E016): reads the whole file, so it
        is for long-running readers (the web app), not for each command."""
        guard.quick_check(self.conn, self.path)
        damaged = guard.damaged_rows(self.conn)
        if damaged:
            raise guard.damaged_row(self.path, *damaged[0])

    def _repair(self) -> list[tuple[str, str, str]]:
        """Remove the rows whose JSON is damaged, so the next build redoes them: a corpus
        result is rewritten by the corpus steps, an annotation by annotating its article again,
        and an article by reading its input again (its input row goes too)."""
        damaged = guard.damaged_rows(self.conn)
        if not damaged:
            return []
        with self.transaction() as cur:
            for table, key, _ in damaged:
                if table == "articles":
                    self._delete_article(cur, key)
                    cur.execute("DELETE FROM inputs WHERE article_id=?", (key,))
                else:
                    column = guard.JSON_COLUMNS[table][0]
                    cur.execute(f"DELETE FROM {table} WHERE {column}=?", (key,))
            self.set_meta(cur, "corpus_built", "0")
        return damaged

    def _parse(self, table: str, key: object, data: str | bytes | None,
               convert: Callable[[Any], _T]) -> _T:
        """``convert`` of the JSON ``data`` of one row; a row that does not parse as the record
        it should hold is named in a catalogued error rather than a traceback."""
        try:
            return convert(json.loads(data))  # type: ignore[arg-type]
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            reason = "its JSON does not parse" if isinstance(exc, ValueError) else \
                "it does not hold the record it should"
            raise guard.damaged_row(self.path, table, key, reason) from exc

    # -- schema -------------------------------------------------------------------------

    def version(self) -> int:
        try:
            row = self.conn.execute("SELECT version FROM schema_version").fetchone()
        except sqlite3.OperationalError:
            return 0
        return row[0] if row else 0

    def migrate(self) -> None:
        current = self.version()
        if current > SCHEMA_VERSION:
            raise StoreError("E012", path=self.path, found=current, needed=SCHEMA_VERSION)
        if current == SCHEMA_VERSION:
            return
        with self.transaction() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            for script in MIGRATIONS[current:]:
                for statement in _statements(script):
                    cur.execute(statement)
            cur.execute("DELETE FROM schema_version")
            cur.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            self.conn.rollback()
            raise
        else:
            self.conn.commit()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # -- meta ---------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, cur: sqlite3.Cursor, key: str, value: str) -> None:
        cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- inputs and articles ------------------------------------------------------------

    def origin_of(self, article_id: str) -> str | None:
        """The origin of the stored article ``article_id``, or None if there is none."""
        row = self.conn.execute("SELECT origin FROM articles WHERE id=?", (article_id,)).fetchone()
        return row[0] if row else None

    def input_status(self, origin: str, content_hash: str) -> tuple[str, str | None] | None:
        """(status, reason) of this exact input as last read, or None if it is new or changed."""
        row = self.conn.execute(
            "SELECT status, reason FROM inputs WHERE origin=? AND content_hash=?",
            (origin, content_hash),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def add_input(self, cur: sqlite3.Cursor, origin: str, source_path: str | None,
                  content_hash: str, article_id: str | None, status: str,
                  reason: str | None = None) -> None:
        cur.execute(
            "INSERT OR REPLACE INTO inputs (origin, source_path, content_hash, article_id, "
            "status, reason) VALUES (?,?,?,?,?,?)",
            (origin, source_path, content_hash, article_id, status, reason),
        )

    def add_article(self, cur: sqlite3.Cursor, article: Article,
                    signature: np.ndarray | None) -> None:
        """Insert or replace one cleaned article (and its search entry)."""
        old = cur.execute("SELECT id FROM articles WHERE origin=?", (article.origin,)).fetchall()
        for row in old:  # the file at this origin changed: its old article goes
            if row[0] != article.id:
                self._delete_article(cur, row[0])
        cur.execute(
            "INSERT OR REPLACE INTO articles (id, origin, content_hash, title, publisher, "
            "author, dateline, place, url, published, published_evidence, duplicate_of, "
            "language, text, cleaned, signature) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id, article.origin, article.content_hash, article.title,
                article.publisher, article.author, article.dateline, article.place,
                article.url, article.published.value, article.published.evidence,
                article.duplicate_of, article.language, article.text, _json(article),
                None if signature is None else np.asarray(signature, dtype=np.uint64).tobytes(),
            ),
        )
        cur.execute("DELETE FROM articles_fts WHERE article_id=?", (article.id,))
        cur.execute("INSERT INTO articles_fts (article_id, title, text) VALUES (?,?,?)",
                    (article.id, article.title or "", article.text))

    def _delete_article(self, cur, article_id: str) -> None:
        cur.execute("DELETE FROM annotations WHERE article_id=?", (article_id,))
        cur.execute("DELETE FROM articles_fts WHERE article_id=?", (article_id,))
        cur.execute("DELETE FROM articles WHERE id=?", (article_id,))

    def update_derived(self, cur: sqlite3.Cursor, article: Article) -> None:
        """Write the fields corpus steps derive (duplicates, lent metadata, inferred dates)."""
        cur.execute(
            "UPDATE articles SET title=?, publisher=?, author=?, url=?, published=?, "
            "published_evidence=?, duplicate_of=?, language=? WHERE id=?",
            (article.title, article.publisher, article.author, article.url,
             article.published.value, article.published.evidence, article.duplicate_of,
             article.language, article.id),
        )

    def cleaned_articles(self) -> list[Article]:
        """Articles as cleaning produced them (own metadata only)."""
        rows = self.conn.execute("SELECT id, cleaned FROM articles ORDER BY id").fetchall()
        return [self._parse("articles", r[0], r[1], article_from_json) for r in rows]

    def articles(self, include_duplicates: bool = True) -> list[Article]:
        """Articles with everything corpus steps derived."""
        sql = "SELECT * FROM articles"
        if not include_duplicates:
            sql += " WHERE duplicate_of IS NULL"
        return [self._article(r) for r in self.conn.execute(sql + " ORDER BY id")]

    def article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
        return self._article(row) if row else None

    def _article(self, row: sqlite3.Row) -> Article:
        article = self._parse("articles", row["id"], row["cleaned"], article_from_json)
        for name in ("title", "publisher", "author", "url", "duplicate_of", "language"):
            setattr(article, name, row[name])
        article.published = Published(row["published"], row["published_evidence"])
        return article

    def signatures(self) -> dict[str, np.ndarray]:
        rows = self.conn.execute("SELECT id, signature FROM articles WHERE signature IS NOT NULL")
        out = {}
        for key, blob in rows:
            if not isinstance(blob, bytes) or len(blob) % 8:
                raise guard.damaged_row(self.path, "articles", key, "its signature is cut short")
            out[key] = np.frombuffer(blob, dtype=np.uint64)
        return out

    def unannotated_count(self) -> int:
        """How many stored articles have no annotations yet (an interrupted build)."""
        return self.conn.execute(
            "SELECT count(*) FROM articles a LEFT JOIN annotations n ON n.article_id = a.id "
            "WHERE n.article_id IS NULL").fetchone()[0]

    def thread_count(self) -> int:
        """Threads, counting a story of no thread as a thread of its own."""
        return self.conn.execute(
            "SELECT count(DISTINCT coalesce(thread_id, id)) FROM stories").fetchone()[0]

    def count(self, table: str) -> int:
        if table not in _TABLES:
            raise ValueError(table)
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    # -- annotations --------------------------------------------------------------------

    def put_annotations(self, cur: sqlite3.Cursor, annotations: Annotations,
                        published: str | None) -> None:
        cur.execute("INSERT OR REPLACE INTO annotations VALUES (?,?,?)",
                    (annotations.article_id, published, _json(annotations)))

    def annotations(self) -> dict[str, Annotations]:
        rows = self.conn.execute("SELECT article_id, data FROM annotations")
        result = {}
        for key, data in rows:
            ann = self._parse("annotations", key, data, annotations_from_json)
            result[ann.article_id] = ann
        return result

    def annotated_on(self) -> dict[str, str | None]:
        """article id → the publication date its annotations were anchored on."""
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT article_id, published FROM annotations")}

    # -- corpus-level results -----------------------------------------------------------

    def replace_corpus(
        self,
        *,
        articles: Iterable[Article],
        duplicate_groups: list,
        entities: list[Entity],
        quotes: list[Quote],
        stories: list[Story],
        timeline: list[TimelineEntry],
        figures: list[Figure],
        meta: dict[str, str],
    ) -> None:
        with self.transaction() as cur:
            for article in articles:
                self.update_derived(cur, article)
            for table in ("duplicate_groups", "entities", "mentions", "quotes", "stories",
                          "story_articles", "timeline", "figures"):
                cur.execute(f"DELETE FROM {table}")
            cur.executemany(
                "INSERT INTO duplicate_groups VALUES (?,?,?,?)",
                [(g.canonical, json.dumps(g.members), g.kind, g.similarity)
                 for g in duplicate_groups],
            )
            cur.executemany("INSERT INTO entities VALUES (?,?,?,?)",
                            [(e.id, e.name, e.type, _json(e)) for e in entities])
            cur.executemany(
                "INSERT INTO mentions VALUES (?,?,?,?,?,?,?)",
                [(m.article_id, m.start, m.end, m.text, m.label, m.role, e.id)
                 for e in entities for m in e.mentions],
            )
            cur.executemany(
                "INSERT INTO quotes VALUES (?,?,?,?,?,?)",
                [(q.id, q.kind, q.speaker.name, q.speaker.entity_id, q.text, _json(q))
                 for q in quotes],
            )
            cur.executemany(
                "INSERT INTO stories VALUES (?,?,?,?,?,?)",
                [(s.id, s.title, s.thread_id, s.start, s.end, _json(s)) for s in stories],
            )
            cur.executemany(
                "INSERT INTO story_articles VALUES (?,?)",
                [(s.id, a) for s in stories for a in s.article_ids],
            )
            cur.executemany("INSERT INTO timeline VALUES (?,?,?,?,?)",
                            [(t.id, t.date, t.type, t.story_id, _json(t)) for t in timeline])
            cur.executemany("INSERT INTO figures VALUES (?,?,?,?)",
                            [(f.id, f.group_id, f.agreement, _json(f)) for f in figures])
            for key, value in meta.items():
                self.set_meta(cur, key, value)

    def duplicate_groups(self) -> list[dict]:
        rows = self.conn.execute("SELECT * FROM duplicate_groups ORDER BY canonical")
        return [{"canonical": r["canonical"], "kind": r["kind"], "similarity": r["similarity"],
                 "members": self._parse("duplicate_groups", r["canonical"], r["members"],
                                        _members)} for r in rows]

    def entities(self) -> list[Entity]:
        rows = self.conn.execute("SELECT id, data FROM entities ORDER BY name, id")
        return [self._parse("entities", key, data, _entity) for key, data in rows]

    def quotes(self, speaker: str | None = None) -> list[Quote]:
        args: tuple[str, ...]
        sql, args = "SELECT id, data FROM quotes", ()
        if speaker:
            sql += " WHERE speaker LIKE ?"
            args = (f"%{speaker}%",)
        rows = self.conn.execute(sql + " ORDER BY id", args)
        return [self._parse("quotes", key, data, _quote) for key, data in rows]

    def stories(self) -> list[Story]:
        rows = self.conn.execute("SELECT id, data FROM stories ORDER BY start, id")
        return [self._parse("stories", key, data, _story) for key, data in rows]

    def timeline(self) -> list[TimelineEntry]:
        rows = self.conn.execute("SELECT id, data FROM timeline ORDER BY date, id")
        return [self._parse("timeline", key, data, _timeline_entry) for key, data in rows]

    def figures(self) -> list[Figure]:
        rows = self.conn.execute("SELECT id, data FROM figures ORDER BY group_id, id")
        return [self._parse("figures", key, data, _figure) for key, data in rows]

    # -- search -------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[dict]:
        """Full-text search over titles and texts; plain words are matched as phrases so
        user input never breaks FTS5 query syntax."""
        terms = [t for t in query.replace('"', " ").split() if t]
        if not terms:
            return []
        fts_query = " ".join(f'"{t}"' for t in terms)
        rows = self.conn.execute(
            "SELECT article_id, title, snippet(articles_fts, 2, '[', ']', '…', 12) AS snippet, "
            "bm25(articles_fts) AS score FROM articles_fts WHERE articles_fts MATCH ? "
            "ORDER BY score LIMIT ?",
            (fts_query, limit),
        ).fetchall()
        return [dict(r) for r in rows]


_TABLES = {"inputs", "articles", "annotations", "duplicate_groups", "entities", "mentions",
           "quotes", "stories", "story_articles", "timeline", "figures"}
# Every table a store at SCHEMA_VERSION has (one missing means the file is damaged).
_TABLES_NOW = frozenset(_TABLES | {"schema_version", "meta", "articles_fts"})


def _members(data: list) -> list:
    if not isinstance(data, list):
        raise TypeError("not a list of members")
    return data


def _entity(d: dict) -> Entity:
    d["mentions"] = [Mention(**m) for m in d.get("mentions", [])]
    return Entity(**_fields(Entity, d))


def _quote(d: dict) -> Quote:
    d["speaker"] = Speaker(**d.get("speaker") or {})
    d["occurrences"] = _span_list(d.get("occurrences", []))
    return Quote(**_fields(Quote, d))


def _story(d: dict) -> Story:
    d["summary"] = [SummarySentence(s["text"], _span_list(s.get("citations", [])))
                    for s in d.get("summary", [])]
    if d.get("what_is_new"):
        w = d["what_is_new"]
        d["what_is_new"] = SummarySentence(w["text"], _span_list(w.get("citations", [])))
    return Story(**_fields(Story, d))


def _timeline_entry(d: dict) -> TimelineEntry:
    d["sources"] = _span_list(d.get("sources", []))
    return TimelineEntry(**_fields(TimelineEntry, d))


def _figure(d: dict) -> Figure:
    d["occurrences"] = _span_list(d.get("occurrences", []))
    return Figure(**_fields(Figure, d))


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside our DDL strings)."""
    return [s.strip() for s in script.split(";") if s.strip()]
