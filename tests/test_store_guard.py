"""A database Storyline cannot use gets one clear line, never a traceback, and a file that is
not Storyline's is never changed.

Every command is run on each of the files a user could really hand to ``--db``: random bytes,
a text file, a store cut short, a store whose header or pages are overwritten, another
program's SQLite file, a store from a future version, a folder, a locked store, a full disk,
read-only and unreadable files. Each must end with exit code 1 and one line on stderr that
names the file and carries a catalogued code. The stores are copies of the hand-made corpus
(conftest.py: the five seed articles, cleaned by the real code), so no test here loads spaCy;
the one build that does is marked slow.

Permissions and a full disk are real, not mocked: the tests may run as root, who may write
anything, so those run in a forked child inside a new user namespace, where the kernel checks
file permissions again, and where the child may mount a small tmpfs of its own to fill.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import random
import shutil
import sqlite3
import stat
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from typer.testing import CliRunner

from paths import SEEDS
from storyline import cli
from storyline.store import SCHEMA_VERSION, Store, StoreError, guard

runner = CliRunner()

STORY = "s_washington_2022"  # a story of the hand-made corpus


def commands(tmp: Path) -> dict[str, list[str]]:
    """Every command with the arguments it needs; the database is given after them."""
    return {
        "build": ["build", str(SEEDS / "002_*.txt"), "--quiet"],
        "report": ["report", "--out", str(tmp / "report.html")],
        "articles": ["articles"],
        "search": ["search", "Bayramov"],
        "export": ["export"],
        "entities": ["entities"],
        "quotes": ["quotes"],
        "stories": ["stories"],
        "show": ["show", STORY],
        "timeline": ["timeline"],
        "figures": ["figures"],
        "serve": ["serve", "--port", "8799"],
    }


class Outcome(NamedTuple):
    exit_code: int
    stdout: str
    stderr: str


def run(args: list[str], db: Path) -> Outcome:
    # catch_exceptions=False: an exception that escapes the command fails the test loudly.
    result = runner.invoke(cli.app, [*args, "--db", str(db)], catch_exceptions=False)
    return Outcome(result.exit_code, result.stdout, result.stderr)


def assert_one_line(outcome: Outcome, db: Path, code: str) -> str:
    """Exit 1, nothing on stdout, and one stderr line naming ``db`` with the catalogued code."""
    assert "Traceback" not in outcome.stdout + outcome.stderr
    assert outcome.exit_code == 1, outcome
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1, outcome.stderr
    assert lines[0].startswith(f"[{code}]"), lines[0]
    assert str(db) in lines[0]
    assert outcome.stdout == ""
    return lines[0]


@pytest.fixture(autouse=True)
def _never_serve(monkeypatch):
    """`serve` must refuse a bad store before it listens; were it to start, fail, not hang."""
    import uvicorn

    def refuse(*args, **kwargs):
        raise AssertionError("serve started on a database it should have refused")

    monkeypatch.setattr(uvicorn, "run", refuse)


@pytest.fixture()
def store_copy(handmade_db, tmp_path) -> Path:
    """A fresh copy of the hand-made store (closed cleanly, so the file is the whole store)."""
    path = tmp_path / "copy.db"
    shutil.copyfile(handmade_db, path)
    return path


# -- the files a user may hand to --db -------------------------------------------------------


def _overwrite(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as f:
        f.seek(offset)
        f.write(data)


def random_bytes(path: Path, good: Path) -> None:
    path.write_bytes(random.Random(0).randbytes(8192))


def text_file(path: Path, good: Path) -> None:
    path.write_text(next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8"), encoding="utf-8")


def blank_file(path: Path, good: Path) -> None:
    path.write_text("\n \n", encoding="utf-8")  # not empty, but nothing in it


def truncated_header(path: Path, good: Path) -> None:
    path.write_bytes(good.read_bytes()[:60])


def truncated_store(path: Path, good: Path) -> None:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def header_overwritten(path: Path, good: Path) -> None:
    shutil.copyfile(good, path)
    _overwrite(path, 0, random.Random(1).randbytes(100))


def schema_page_overwritten(path: Path, good: Path) -> None:
    # Page 1 past its 100-byte file header holds the schema: the tables and where they live.
    shutil.copyfile(good, path)
    _overwrite(path, 100, random.Random(2).randbytes(4096 - 100))


def pages_overwritten(path: Path, good: Path) -> None:
    # Every page but the first: the file opens, its schema reads, every table is damaged.
    shutil.copyfile(good, path)
    size = path.stat().st_size
    _overwrite(path, 4096, random.Random(3).randbytes(size - 4096))


def foreign(path: Path, good: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
        "CREATE TABLE articles (id TEXT, title TEXT);"  # a name ours shares
        "INSERT INTO notes (body) VALUES ('Talks in Washington on Monday');")
    conn.close()


def future_schema(path: Path, good: Path) -> None:
    shutil.copyfile(good, path)
    _sql(path, "UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))


def unreadable_schema_version(path: Path, good: Path) -> None:
    shutil.copyfile(good, path)
    _sql(path, "UPDATE schema_version SET version = 'one'")


def table_dropped(path: Path, good: Path) -> None:
    shutil.copyfile(good, path)
    _sql(path, "DROP TABLE figures")


def folder(path: Path, good: Path) -> None:
    path.mkdir()


def _sql(path: Path, sql: str, args: tuple = ()) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql, args)
    conn.commit()
    conn.close()


# (make the file, the code every command must print)
UNUSABLE: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "random bytes": (random_bytes, "E013"),
    "a text file": (text_file, "E013"),
    "a blank file": (blank_file, "E013"),
    "a folder": (folder, "E013"),
    "a header cut short": (truncated_header, "E015"),
    "a store cut in half": (truncated_store, "E015"),
    "a store whose header is overwritten": (header_overwritten, "E013"),
    "a store whose schema page is overwritten": (schema_page_overwritten, "E015"),
    "a store whose pages are overwritten": (pages_overwritten, "E015"),
    "another program's SQLite file": (foreign, "E014"),
    "a store from a future version": (future_schema, "E012"),
    "a store with an unreadable schema version": (unreadable_schema_version, "E015"),
    "a store with a table dropped": (table_dropped, "E015"),
}


@pytest.mark.parametrize("variant", UNUSABLE)
def test_every_command_on_an_unusable_database_prints_one_line_and_exits_1(
        variant, handmade_db, tmp_path):
    make, code = UNUSABLE[variant]
    db = tmp_path / "given.db"
    make(db, handmade_db)
    before = _snapshot(db)
    for name, args in commands(tmp_path).items():
        line = assert_one_line(run(args, db), db, code)
        assert "Storyline" in line or "storyline" in line or "--db" in line, (name, line)
        assert _snapshot(db) == before, name  # not a byte written to it
    # No report, no temporary file; at most the empty side files SQLite makes to read a file
    # whose header says WAL mode.
    left = {p.name: p.stat().st_size for p in tmp_path.iterdir()}
    assert set(left) <= {"given.db", "given.db-wal", "given.db-shm"}, left
    assert left.get("given.db-wal", 0) == 0


def _snapshot(path: Path) -> bytes | list[str]:
    return sorted(os.listdir(path)) if path.is_dir() else path.read_bytes()


def test_a_text_file_given_as_db_gets_one_line_and_exit_1_at_the_terminal(tmp_path):
    # The user's view: a real process, so typer's own exception printing is in the way too.
    db = tmp_path / "notes.txt"
    text_file(db, db)
    done = subprocess.run([sys.executable, "-m", "storyline", "stories", "--db", str(db)],
                          check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("[E013]") and str(db) in done.stderr


def stories_page_overwritten(path: Path, good: Path) -> None:
    # The schema and the schema version read, so a reading command starts; SQLite finds the
    # damage only when a query reaches the stories table.
    shutil.copyfile(good, path)
    conn = sqlite3.connect(path)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'stories'").fetchone()[0]
    conn.close()
    _overwrite(path, (page - 1) * 4096, random.Random(4).randbytes(4096))


def test_a_damaged_page_found_mid_command_is_one_line_and_stops_a_build(handmade_db, tmp_path):
    db = tmp_path / "damaged.db"
    stories_page_overwritten(db, handmade_db)
    for name in ("report", "export", "stories", "show", "serve", "build"):
        line = assert_one_line(run(commands(tmp_path)[name], db), db, "E015")
        assert "storyline build" in line, name
    assert run(["articles"], db).exit_code == 0  # its pages are sound


def test_a_damaged_page_found_mid_command_gets_one_line_at_the_terminal(handmade_db, tmp_path):
    # The user's view of an error raised by SQLite in the middle of a command.
    db = tmp_path / "damaged.db"
    stories_page_overwritten(db, handmade_db)
    done = subprocess.run([sys.executable, "-m", "storyline", "export", "--db", str(db)],
                          check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("[E015]") and str(db) in done.stderr


def test_another_programs_sqlite_file_is_byte_identical_after_a_build_attempt(
        handmade_db, tmp_path):
    db = tmp_path / "notes.sqlite"
    foreign(db, handmade_db)
    before = db.read_bytes()
    line = assert_one_line(run(commands(tmp_path)["build"], db), db, "E014")
    assert "notes" in line and "untouched" in line
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]  # no -wal, no -shm
    with pytest.raises(StoreError, match="E014"):
        Store(db)


def test_a_missing_or_empty_database_says_how_to_build_one(tmp_path):
    # Not a damaged file: the path names nothing yet, so this stays a usage error (exit 2).
    empty = tmp_path / "empty.db"
    empty.touch()
    for db in (tmp_path / "none.db", empty):
        outcome = run(["stories"], db)
        assert outcome.exit_code == 2 and outcome.stderr.startswith("[E010]"), outcome
        assert outcome.stderr.count("\n") == 1
    with Store(empty) as store:  # an empty file is a new store to build into
        assert store.version() == SCHEMA_VERSION


def test_an_older_storyline_store_read_only_keeps_its_upgrade_advice(
        store_copy, tmp_path, monkeypatch):
    # Only a real older Storyline store gets E011; another program's file never does.
    from storyline import store as store_module

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    line = assert_one_line(run(["stories"], store_copy), store_copy, "E011")
    assert "upgrade it" in line
    other = tmp_path / "other.db"
    foreign(other, store_copy)
    assert_one_line(run(["stories"], other), other, "E014")


# -- damaged rows ----------------------------------------------------------------------------


def test_a_garbage_json_story_row_is_named_by_every_command_that_reads_stories(store_copy):
    # A half-written row: what a copy cut off mid-row or a careless hand edit leaves.
    _sql(store_copy, "UPDATE stories SET data = ? WHERE id = ?",
         ('{"title": "Blinken hosts Armenian and', STORY))
    outcomes = {name: run(args, store_copy)
                for name, args in commands(store_copy.parent).items() if name != "build"}
    for name in ("report", "export", "stories", "show", "serve"):
        line = assert_one_line(outcomes[name], store_copy, "E016")
        assert f"row '{STORY}' of table stories" in line and "storyline build" in line
    # The commands that never read a story still work, on the rows that are sound.
    for name in ("articles", "search", "entities", "quotes", "timeline", "figures"):
        assert outcomes[name].exit_code == 0, (name, outcomes[name])
    assert not (store_copy.parent / "report.html.tmp").exists()


@pytest.mark.parametrize("table, key, column", [
    ("stories", STORY, "data"), ("entities", "e_blinken", "data"),
    ("quotes", "q_courageous", "data"), ("timeline", "t_meet", "data"),
    ("figures", "f_286", "data"), ("duplicate_groups", None, "members")])
def test_export_names_a_damaged_row_of_any_corpus_table(store_copy, table, key, column):
    kind = "canonical" if table == "duplicate_groups" else "id"
    if key is None:
        key = sqlite3.connect(store_copy).execute(
            f"SELECT {kind} FROM {table} LIMIT 1").fetchone()[0]
    _sql(store_copy, f"UPDATE {table} SET {column} = 'null' WHERE {kind} = ?", (key,))
    line = assert_one_line(run(["export"], store_copy), store_copy, "E016")
    assert f"row {key!r} of table {table}" in line


def test_opening_for_a_build_removes_damaged_rows_so_the_build_redoes_them(store_copy):
    article = sqlite3.connect(store_copy).execute("SELECT id FROM articles LIMIT 1").fetchone()[0]
    _sql(store_copy, "UPDATE stories SET data = '{' WHERE id = ?", (STORY,))
    _sql(store_copy, "UPDATE articles SET cleaned = 'not json' WHERE id = ?", (article,))
    _sql(store_copy, "INSERT INTO inputs (origin, content_hash, article_id, status) "
                     "VALUES ('seed.txt', 'h', ?, 'ok')", (article,))
    with Store(store_copy) as store:
        assert [(t, k) for t, k, _ in store.repaired] == [("articles", article),
                                                           ("stories", STORY)]
        # corpus_built 0: pipeline.build redoes the corpus steps even when no input is new.
        assert store.get_meta("corpus_built") == "0"
        assert store.article(article) is None and store.input_status("seed.txt", "h") is None
    with Store(store_copy, readonly=True) as store:
        assert STORY not in {s.id for s in store.stories()}


@pytest.mark.slow
def test_a_build_over_a_damaged_story_row_rebuilds_it_and_the_export_works(demo_db, tmp_path):
    db = tmp_path / "demo.db"
    shutil.copyfile(demo_db, db)
    story = sqlite3.connect(db).execute("SELECT id FROM stories LIMIT 1").fetchone()[0]
    _sql(db, "UPDATE stories SET data = '{\"summary\": [' WHERE id = ?", (story,))
    assert_one_line(run(["export"], db), db, "E016")
    built = run(["build", str(SEEDS), "--quiet"], db)
    assert built.exit_code == 0, built
    assert f"row '{story}' of table stories" in built.stderr and "redone" in built.stderr
    exported = run(["export"], db)
    assert exported.exit_code == 0 and story in exported.stdout


# -- locks, full disks, failed writes --------------------------------------------------------


def test_every_command_on_a_locked_database_says_to_wait(store_copy, monkeypatch):
    # Another program holds the store in exclusive locking mode (readers are blocked too).
    monkeypatch.setattr(guard, "BUSY_TIMEOUT_S", 0.05)
    locker = sqlite3.connect(store_copy)
    locker.execute("PRAGMA locking_mode = EXCLUSIVE")
    locker.execute("BEGIN EXCLUSIVE")
    locker.execute("INSERT INTO meta VALUES ('lock', 'held')")  # takes the lock now
    try:
        for name, args in commands(store_copy.parent).items():
            line = assert_one_line(run(args, store_copy), store_copy, "E018")
            assert "wait" in line, name
    finally:
        locker.rollback()
        locker.close()


def test_a_build_that_fills_the_database_gets_one_line_and_leaves_it_as_it_was(
        store_copy, monkeypatch):
    # SQLite's own SQLITE_FULL, as on a full disk: the store may not grow by a single page.
    connect = guard.connect

    def full(path: str, readonly: bool) -> sqlite3.Connection:
        conn = connect(path, readonly)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(guard, "connect", full)
    before = _export(store_copy)
    line = assert_one_line(run(["build", str(SEEDS), "--quiet"], store_copy), store_copy, "E019")
    assert "the disk is full" in line
    assert _export(store_copy) == before  # no half-written transaction


def _export(db: Path) -> str:
    outcome = run(["export"], db)
    assert outcome.exit_code == 0, outcome
    return outcome.stdout


def test_a_report_that_cannot_be_put_in_place_leaves_no_temporary_file(store_copy, tmp_path):
    out = tmp_path / "report.html"
    out.mkdir()  # the .tmp is written whole, then cannot replace a folder
    line = assert_one_line(run(["report", "--out", str(out)], store_copy), out, "E019")
    assert "it is a folder" in line
    assert not (tmp_path / "report.html.tmp").exists()


def test_export_to_a_file_that_cannot_be_written_leaves_no_temporary_file(store_copy, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the export's folder should be", encoding="utf-8")
    out = blocker / "export.json"
    assert_one_line(run(["export", "--out", str(out)], store_copy), out, "E019")
    assert blocker.is_file() and not list(tmp_path.glob("**/*.tmp"))


# -- real permissions and a real full disk (in a user namespace) -----------------------------

CLONE_NEWNS, CLONE_NEWUSER = 0x00020000, 0x10000000


def in_namespace(fn: Callable[[], Any], tmpfs: tuple[Path, int] | None = None) -> Any:
    """``fn()`` run in a forked child, its result sent back by pickle. As root the child enters
    a new user namespace first, with no uid mapped, so the kernel checks permission bits for it
    as for anyone; given ``tmpfs`` (folder, bytes) it maps root and mounts a tmpfs of that size
    on the folder, which only the child sees. Skips where the kernel refuses namespaces."""
    if tmpfs is None and os.geteuid() != 0:
        return fn()  # permissions already apply
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: whatever happens, it never returns into pytest
        os.close(read)
        result: tuple[str, Any] = ("error", "the child stopped before it could report")
        try:
            _enter_namespace(tmpfs)
            result = ("ok", fn())
        except _Unsupported as exc:
            result = ("skip", str(exc))
        except Exception:  # noqa: BLE001 - sent to the parent, which fails the test with it
            result = ("error", traceback.format_exc())
        finally:
            with os.fdopen(write, "wb") as f:
                pickle.dump(result, f)
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    status, value = pickle.loads(data)
    if status == "skip":
        pytest.skip(value)
    assert status == "ok", value
    return value


class _Unsupported(Exception):
    pass


def _enter_namespace(tmpfs: tuple[Path, int] | None) -> None:
    if sys.platform != "linux":
        raise _Unsupported("user namespaces are Linux's")
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.geteuid(), os.getegid()  # the ids outside, mapped to root inside
    flags = CLONE_NEWUSER | (CLONE_NEWNS if tmpfs else 0)
    if libc.unshare(flags) != 0:
        raise _Unsupported(f"no user namespace here: {os.strerror(ctypes.get_errno())}")
    if tmpfs is None:
        return
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"0 {uid} 1")
    Path("/proc/self/gid_map").write_text(f"0 {gid} 1")
    target, size = tmpfs
    if libc.mount(b"tmpfs", str(target).encode(), b"tmpfs", 0, f"size={size}".encode()) != 0:
        raise _Unsupported(f"cannot mount a tmpfs: {os.strerror(ctypes.get_errno())}")


def _chmod(mode: int, *paths: Path) -> None:
    for path in paths:
        path.chmod(mode)


def test_a_read_only_store_refuses_a_build_with_permissions_advice_and_still_reads(store_copy):
    before = store_copy.read_bytes()
    _chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH, store_copy)
    try:
        built, listed = in_namespace(lambda: (run(commands(store_copy.parent)["build"],
                                                  store_copy), run(["stories"], store_copy)))
    finally:
        _chmod(0o644, store_copy)
    line = assert_one_line(built, store_copy, "E017")
    assert "the file is read-only" in line and "upgrade" not in line
    assert listed.exit_code == 0 and "Blinken" in listed.stdout
    assert store_copy.read_bytes() == before


def test_a_store_in_a_read_only_folder_refuses_a_build_and_still_reads(store_copy):
    folder = store_copy.parent
    _chmod(0o555, folder)
    try:
        built, shown = in_namespace(lambda: (run(commands(folder)["build"], store_copy),
                                             run(["show", STORY], store_copy)))
    finally:
        _chmod(0o755, folder)
    line = assert_one_line(built, store_copy, "E017")
    assert "its folder is read-only" in line and "--db" in line
    assert shown.exit_code == 0 and "Blinken" in shown.stdout, shown
    assert sorted(p.name for p in folder.iterdir()) == ["copy.db"]


def test_every_command_on_an_unreadable_store_prints_one_line(store_copy):
    _chmod(0, store_copy)
    try:
        outcomes = in_namespace(lambda: {name: run(args, store_copy)
                                         for name, args in commands(store_copy.parent).items()})
    finally:
        _chmod(0o644, store_copy)
    for outcome in outcomes.values():
        assert "cannot be read" in assert_one_line(outcome, store_copy, "E017")


def test_a_report_into_a_read_only_folder_leaves_no_temporary_file(store_copy, tmp_path):
    out_dir = tmp_path / "public"
    out_dir.mkdir(mode=0o555)
    try:
        outcome = in_namespace(lambda: run(["report", "--out", str(out_dir / "r.html")],
                                           store_copy))
    finally:
        _chmod(0o755, out_dir)
    assert "permission denied" in assert_one_line(outcome, out_dir / "r.html", "E019")
    assert list(out_dir.iterdir()) == []


def test_a_full_disk_during_a_build_and_a_report_gets_one_line_and_no_temporary_file(
        store_copy, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    # Room for the store, SQLite's 32 KiB -shm and a page or two: the first article fills it.
    size = store_copy.stat().st_size + 48 * 1024

    def fill() -> tuple[Outcome, Outcome, list[str]]:
        db = disk / "store.db"
        shutil.copyfile(store_copy, db)
        built = run(["build", str(SEEDS), "--quiet"], db)
        reported = run(["report", "--out", str(disk / "report.html")], db)
        return built, reported, sorted(p.name for p in disk.iterdir())

    built, reported, left = in_namespace(fill, tmpfs=(disk, size))
    assert "the disk is full" in assert_one_line(built, disk / "store.db", "E019")
    assert "the disk is full" in assert_one_line(reported, disk / "report.html", "E019")
    assert "report.html.tmp" not in left and "report.html" not in left
