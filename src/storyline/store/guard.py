"""What a file given as a database is, before the store reads or writes it, and what a SQLite
error means to the user.

A path is looked at before SQLite opens it (a folder, a file that is not SQLite, a SQLite file
cut short, a read-only file or folder), and the open database before anything is written to
it (another program's tables, a damaged schema, damaged pages), so that a file that is not a
Storyline store is never changed. Errors SQLite raises later, in the middle of a command (a
damaged page, a full disk, a lock), are turned into the same catalogued messages by
:func:`describe`. Each message names the file, the problem and what to do (storyline.errors).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from pathlib import Path
from urllib.parse import quote

from storyline.errors import StoreError, StorylineError

MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file
HEADER_SIZE = 100

# Seconds a command waits for another program's write lock before it gives up (E018).
BUSY_TIMEOUT_S = 5.0

# Tables whose presence says a SQLite file is a Storyline store, at every schema version.
MARKERS = frozenset({"schema_version", "meta", "articles"})

# The JSON columns a reading command parses: table → (key column, JSON column, JSON type).
JSON_COLUMNS: dict[str, tuple[str, str, str]] = {
    "articles": ("id", "cleaned", "object"),
    "annotations": ("article_id", "data", "object"),
    "duplicate_groups": ("canonical", "members", "array"),
    "entities": ("id", "data", "object"),
    "quotes": ("id", "data", "object"),
    "stories": ("id", "data", "object"),
    "timeline": ("id", "data", "object"),
    "figures": ("id", "data", "object"),
}

def check_path(path: Path, writing: bool) -> int | None:
    """The size of the file at ``path`` (None when there is none yet), after refusing a path
    that cannot hold a Storyline store, or that cannot be written when ``writing``."""
    try:
        info: os.stat_result | None = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except PermissionError as exc:
        raise StoreError("E017", path=path, reason="its folder cannot be entered") from exc
    except OSError as exc:  # a name too long, a loop of links…
        raise StoreError("E013", path=path, reason=_os_reason(exc)) from exc
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise StoreError("E013", path=path, reason="it is a folder")
    size = None if info is None else info.st_size
    if size:
        _check_header(path, size)
    if writing:
        _check_writable(path, size is not None)
    return size


def _check_header(path: Path, size: int) -> None:
    try:
        with path.open("rb") as f:
            header = f.read(HEADER_SIZE)
    except PermissionError as exc:
        raise StoreError("E017", path=path, reason="the file cannot be read") from exc
    except OSError as exc:
        raise StoreError("E015", path=path, reason=_os_reason(exc)) from exc
    if not header.startswith(MAGIC):
        raise StoreError("E013", path=path, reason="it is not a SQLite file")
    if size < HEADER_SIZE:
        raise StoreError("E015", path=path, reason=f"it is cut short at {size} bytes")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise StoreError("E015", path=path, reason="its header is damaged")
    # The header's page count is exact when its "valid for" stamp matches the change counter.
    # Only trusted when no WAL or journal is pending: a writer checkpointing now may write the
    # header before the pages that extend the file.
    pages, counter, valid_for = (int.from_bytes(header[i:i + 4], "big") for i in (28, 24, 92))
    if counter == valid_for and pages and size < pages * page_size and _quiescent(path):
        raise StoreError("E015", path=path,
                         reason=f"it is cut short: {size:,} of {pages * page_size:,} bytes")


def _quiescent(path: Path) -> bool:
    for suffix in ("-wal", "-journal"):
        try:
            if Path(f"{path}{suffix}").stat().st_size:
                return False
        except OSError:
            pass
    return True


def _check_writable(path: Path, exists: bool) -> None:
    folder = path.parent
    if not exists:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except PermissionError as exc:
            raise StoreError("E017", path=path,
                             reason=f"its folder {folder} cannot be created") from exc
        except OSError as exc:
            raise StoreError("E019", path=path, reason=_os_reason(exc)) from exc
    if exists and not os.access(path, os.W_OK):
        raise StoreError("E017", path=path, reason="the file is read-only")
    # SQLite writes its -wal and -shm files beside the database.
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError("E017", path=path, reason="its folder is read-only")
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists() and not os.access(side, os.W_OK):
            raise StoreError("E017", path=path, reason=f"its {suffix} file is read-only")


def connect(path: str, readonly: bool) -> sqlite3.Connection:
    """A connection to ``path``: read-only (``mode=ro``) or read-write; nothing is read yet."""
    if path == ":memory:" or not readonly:
        return sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    resolved = Path(path).resolve()
    uri = f"file:{quote(str(resolved))}?mode=ro"
    # SQLite reads a WAL-mode file only with its -shm file, which it cannot create in a folder
    # we may not write to. With no WAL left to replay, the file on disk is the whole store:
    # read it as it is (a writer who can write there would make a -wal first).
    if not os.access(resolved.parent, os.W_OK | os.X_OK) and _quiescent(resolved):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)


def storyline_version(conn: sqlite3.Connection, path: str, tables_now: frozenset[str],
                      current: int) -> int | None:
    """The schema version of the Storyline store on ``conn``; None for an empty database (a
    new file). Refuses another program's database (E014) and a damaged schema (E015)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return None
    if not MARKERS <= tables:
        shown = sorted(tables)
        listed = ", ".join(shown[:6]) + (f" and {len(shown) - 6} more" if len(shown) > 6 else "")
        raise StoreError("E014", path=path, tables=listed)
    rows = conn.execute("SELECT version FROM schema_version").fetchall()
    if len(rows) != 1 or not isinstance(rows[0][0], int) or rows[0][0] < 1:
        raise StoreError("E015", path=path, reason="its schema version is unreadable")
    version: int = rows[0][0]
    missing = sorted(tables_now - tables) if version == current else []
    if missing:
        raise StoreError("E015", path=path, reason="tables missing: " + ", ".join(missing))
    return version


def quick_check(conn: sqlite3.Connection, path: str) -> None:
    """Refuse a store with damaged pages (E015). Reads every page: about 0.05 s for a store of
    1,000 articles (60 MB) from the page cache, so it runs before a build, not every read."""
    found = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    if found != "ok":
        raise StoreError("E015", path=path, reason=_one_line(found))


def _one_line(text: str) -> str:
    """SQLite's report as one line, without its "*** in database main ***" banner."""
    return " ".join(str(text).replace("*** in database main ***", "").split())


def damaged_rows(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(table, key, what is wrong) of every row whose JSON does not parse as the record it
    should hold, and of every article whose MinHash signature is cut short (about 0.1 s for a
    store of 1,000 articles)."""
    found: list[tuple[str, str, str]] = []
    for table, (key, column, kind) in JSON_COLUMNS.items():
        sql = (f"SELECT {key} FROM {table} WHERE CASE WHEN json_valid({column}) "
               f"THEN json_type({column}) END IS NOT ?")
        found.extend((table, str(r[0]), f"its JSON is not a valid {kind}")
                     for r in conn.execute(sql, (kind,)))
    found.extend(("articles", str(r[0]), "its signature is cut short") for r in conn.execute(
        "SELECT id FROM articles WHERE signature IS NOT NULL AND length(signature) % 8 != 0"))
    return sorted(set(found))


def damaged_row(path: str, table: str, key: object, reason: str) -> StoreError:
    return StoreError("E016", path=path, table=table, row=key, reason=reason)


def describe(exc: sqlite3.Error, path: str | Path) -> StoreError:
    """The catalogued error for what SQLite raised while it worked on ``path``."""
    code = getattr(exc, "sqlite_errorcode", None)
    name = getattr(exc, "sqlite_errorname", "") or ""
    primary = code & 0xFF if isinstance(code, int) else None
    text = _one_line(str(exc))
    if primary == sqlite3.SQLITE_FULL or "disk is full" in text:
        return StoreError("E019", path=path, reason="the disk is full")
    if primary == sqlite3.SQLITE_READONLY or "readonly database" in text:
        where = "its folder" if name == "SQLITE_READONLY_DIRECTORY" else "the file"
        return StoreError("E017", path=path, reason=f"{where} is read-only")
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "is locked" in text:
        return StoreError("E018", path=path)
    if primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return StoreError("E017", path=path, reason=text)
    if primary == sqlite3.SQLITE_IOERR and name not in ("SQLITE_IOERR_READ",
                                                        "SQLITE_IOERR_SHORT_READ"):
        return StoreError("E019", path=path, reason=text)
    # Damaged pages (SQLITE_CORRUPT, SQLITE_NOTADB), a read error, or a schema that is not what
    # this version wrote ("no such table"): the file cannot be trusted as a whole.
    return StoreError("E015", path=path, reason=text)


def output_error(exc: OSError, path: Path) -> StorylineError:
    """The catalogued error for a report, export or timings file that could not be written."""
    return StorylineError("E019", path=path, reason=_os_reason(exc))


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "its folder does not exist",
    errno.EISDIR: "it is a folder",
    errno.ENOTDIR: "a part of its path is a file, not a folder",
    errno.EEXIST: "a part of its path is a file, not a folder",  # (from mkdir)
}


def _os_reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or -1) or (exc.strerror or str(exc)).lower()
