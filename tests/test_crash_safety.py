"""Crash safety: a build killed with SIGKILL at any point, then run again, leaves the store
exactly as an uninterrupted build does.

The killed build runs in a child process (this file, run as a script: see ``_child`` at the
bottom) through the library API, with a :class:`storyline.pipeline.Progress` that kills its own
process at a chosen call, or with one store method (or the report's file write) wrapped to
kill the process part-way through its work. Nothing in ``src/`` knows it is being tested. SIGKILL cannot be
caught: no ``finally``, no rollback, no atexit, so the store is left as a power cut would leave
it. The rerun is the ordinary command (``python -m storyline build``) on the same inputs and
database, and its export (what ``storyline export`` writes) must be byte-for-byte the export of
one uninterrupted build with the same settings; so must the rows the next build reads (inputs,
annotations, meta, search index) and the HTML report.

Every build uses ``batch_size = 1``, so each input, each annotated article and each re-dated
article is a transaction of its own and a kill can land between two of them as well as inside
one.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from paths import SEEDS

HERE = Path(__file__).resolve()

# One article per read chunk, per annotation chunk and per transaction (the default 16 would
# put the five seeds in one transaction per stage, leaving nothing to interrupt in between).
SETTINGS_TOML = "[build]\nbatch_size = 1\n"

CHILD_TIMEOUT = 180  # seconds; a build of the seeds takes about five

# Kill points: (id, spec). A spec is ``how:name:nth`` and is read by ``_child``:
#   start:STAGE:N / advance:STAGE:N   the Nth ``progress.start`` / ``progress.advance`` of STAGE
#   during:METHOD:N    the Nth call of ``Store.METHOD`` has written its rows, not committed them
#   json-in:replace_corpus:N   inside ``replace_corpus``, after it deleted the old corpus
#                      results and while it serialises the new ones (the Nth ``_json`` call)
#   after:replace_corpus:1   the corpus transaction has committed; the build has not returned
#   report:write:1     the CLI build with ``--out``, killed with half the report written to its
#                      temporary file (the store is complete by then, as after the point before)
# What the seeds' build reports (see pipeline.build): five ``advance("read")`` (every input is
# read before the window is cleaned and stored), ``start("annotate", 5)`` and five advances,
# ``start("resolve")``, then, inside the corpus steps, ``start("annotate", 3)`` and three
# advances for the articles re-annotated once their story dated them (000, 001 and 003 carry no
# date of their own; 002 has a dateline and its copy 004 takes it), then the corpus write.
KILL_POINTS = [
    ("while-reading", "advance:read:3"),
    ("while-storing-the-third-input", "during:add_article:3"),
    ("after-storing-every-input", "start:annotate:1"),
    ("after-the-first-annotation-batch", "advance:annotate:1"),
    ("mid-annotation-inside-a-transaction", "during:put_annotations:4"),
    ("at-the-start-of-the-corpus-steps", "start:resolve:1"),
    ("when-stories-date-undated-articles", "start:annotate:2"),
    ("mid-re-annotation-of-re-dated-articles", "advance:annotate:7"),
    ("inside-the-corpus-write-after-its-deletes", "json-in:replace_corpus:3"),
    ("after-the-corpus-write-committed", "after:replace_corpus:1"),
    ("while-writing-the-report", "report:write:1"),
]

# Three kills in a row, each in the run that resumes the one before: while storing inputs, while
# annotating the rest, and inside the corpus write; the fourth run finishes.
THREE_KILLS = ["during:add_article:2", "advance:annotate:2", "json-in:replace_corpus:3"]

ALL_SEEDS = [str(SEEDS)]
# Every seed but 003, which then arrives in a store whose corpus is already built.
FIRST_FOUR = sorted(str(p) for p in SEEDS.iterdir() if p.is_file() and p.name[:3] != "003")


# -- running builds ----------------------------------------------------------------------------


def _config(tmp: Path) -> Path:
    path = tmp / "settings.toml"
    path.write_text(SETTINGS_TOML, encoding="utf-8")
    return path


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    # No check=True: the killed builds end with -SIGKILL on purpose; callers check the code.
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=CHILD_TIMEOUT, check=False)


def _build(db: Path, report: Path, config: Path, paths: list[str] = ALL_SEEDS) -> None:
    """The ordinary command, as a user reruns it after a crash."""
    done = _run(["-m", "storyline", "build", *paths, "--db", str(db), "--config", str(config),
                 "--out", str(report), "--quiet"], db.parent)
    assert done.returncode == 0, done.stderr


def _killed_build(db: Path, report: Path, config: Path, spec: str,
                  paths: list[str] = ALL_SEEDS) -> None:
    done = _run([str(HERE), str(db), str(report), str(config), spec, *paths], db.parent)
    # Anything but death by SIGKILL means the kill point was never reached (the build finished,
    # or failed), and the test would compare two uninterrupted builds.
    assert done.returncode == -signal.SIGKILL, (
        f"the build was not killed at {spec} (exit {done.returncode}):\n{done.stderr}")


def _export(db: Path) -> str:
    """What ``storyline export --format json`` writes for ``db`` (see cli.export)."""
    from storyline.outputs.export import export_dict, to_json
    from storyline.store import Store

    store = Store(db, readonly=True)
    try:
        return to_json(export_dict(store))
    finally:
        store.close()


def _store_rows(db: Path) -> dict[str, list]:
    """What the store keeps beyond the export and the next build reads: each input's status,
    the annotations with the date they were anchored on, the cleaned articles, the search index
    and the meta. ``inputs.updated`` is left out: it is the wall-clock time the input was
    recorded, which differs between any two builds."""
    queries = {
        "inputs": "SELECT origin, source_path, content_hash, article_id, status, reason "
                  "FROM inputs ORDER BY origin",
        "articles": "SELECT * FROM articles ORDER BY id",
        "annotations": "SELECT article_id, published, data FROM annotations ORDER BY article_id",
        "search": "SELECT article_id, title, text FROM articles_fts ORDER BY article_id",
        "meta": "SELECT key, value FROM meta ORDER BY key",
    }
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {name: [tuple(r) for r in conn.execute(sql)] for name, sql in queries.items()}
    finally:
        conn.close()


def _assert_intact(db: Path) -> None:
    """The store a kill left behind is a sound SQLite database (WAL and all)."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def _differences(a, b, path: str = "$") -> list[str]:
    """Where two exports differ, as JSON paths (articles named by id), for the failure message."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append(f"{path}.{key}: only in {'rerun' if key in a else 'reference'}")
            else:
                out += _differences(a[key], b[key], f"{path}.{key}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        ids_a, ids_b = ({str(x.get("id")) for x in items if isinstance(x, dict)}
                        for items in (a, b))
        if len(ids_a) == len(a) and len(ids_b) == len(b) and ids_a != ids_b:
            return [(f"{path}: ids only in the rerun {sorted(ids_a - ids_b)}, "
                     f"only in the reference {sorted(ids_b - ids_a)}")]
        if len(a) != len(b):
            return [f"{path}: {len(a)} items in the rerun, {len(b)} in the reference"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            name = x.get("id", i) if isinstance(x, dict) else i
            out += _differences(x, y, f"{path}[{name}]")
        return out
    return [] if a == b else [f"{path}: rerun {a!r:.120} != reference {b!r:.120}"]


def _assert_same_as_reference(db: Path, report: Path, reference: dict) -> None:
    export = _export(db)
    if export != reference["export"]:
        found = _differences(json.loads(export), json.loads(reference["export"]))
        pytest.fail("the rerun's export differs from the uninterrupted build's:\n"
                    + "\n".join(found[:20] or ["(same JSON, different bytes)"]))
    assert _store_rows(db) == reference["rows"]
    assert report.read_text(encoding="utf-8") == reference["report"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict:
    """One uninterrupted build of the seeds, with the settings every killed build uses."""
    tmp = tmp_path_factory.mktemp("reference")
    db, report = tmp / "storyline.db", tmp / "report.html"
    config = _config(tmp)
    _build(db, report, config)
    built = {"export": _export(db), "rows": _store_rows(db),
             "report": report.read_text(encoding="utf-8")}
    assert len(json.loads(built["export"])["articles"]) == 5
    # A rerun after a late kill (after the corpus write, or in the report) finds nothing new.
    # That path, without any kill, must change nothing, or its difference would be blamed on
    # the kill.
    _build(db, report, config)
    _assert_same_as_reference(db, report, built)
    return built


# -- the tests ---------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("spec", [spec for _, spec in KILL_POINTS],
                         ids=[name for name, _ in KILL_POINTS])
def test_a_build_killed_at_any_point_resumes_to_the_same_export(tmp_path, reference, spec):
    db, report = tmp_path / "storyline.db", tmp_path / "report.html"
    config = _config(tmp_path)
    _killed_build(db, report, config, spec)
    _assert_intact(db)
    # The report is written to a temporary file and renamed: a kill never leaves half of one.
    assert not report.exists()
    _build(db, report, config)
    _assert_same_as_reference(db, report, reference)


@pytest.mark.slow
def test_a_build_killed_three_times_in_a_row_resumes_to_the_same_export(tmp_path, reference):
    db, report = tmp_path / "storyline.db", tmp_path / "report.html"
    config = _config(tmp_path)
    for spec in THREE_KILLS:
        _killed_build(db, report, config, spec)
        _assert_intact(db)
    _build(db, report, config)
    _assert_same_as_reference(db, report, reference)


@pytest.mark.slow
def test_a_build_adding_an_article_to_a_built_store_killed_in_its_corpus_steps_resumes(
        tmp_path, reference):
    # The store already holds a finished corpus of the other four seeds, so its corpus results
    # look complete while the new article's build redoes them: the rerun must not take the
    # store for finished ("nothing new") and keep the corpus of four.
    db, report = tmp_path / "storyline.db", tmp_path / "report.html"
    config = _config(tmp_path)
    _build(db, report, config, FIRST_FOUR)
    _killed_build(db, report, config, "start:resolve:1")
    _assert_intact(db)
    _build(db, report, config)
    _assert_same_as_reference(db, report, reference)


# -- the killed build (run as a script in a child process) -------------------------------------


def _child(db: str, report: str, config: str, spec: str, *paths: str) -> None:
    """Build ``paths`` into ``db`` and SIGKILL this process at ``spec`` (see KILL_POINTS)."""
    import pathlib

    import storyline.store
    from storyline import cli, pipeline
    from storyline.settings import Settings
    from storyline.store import Store

    how, name, nth = spec.split(":")
    calls: Counter[str] = Counter()

    def die() -> None:
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    def reached(key: str) -> bool:
        calls[key] += 1
        return calls[key] == int(nth)

    class KillingProgress(pipeline.Progress):
        def start(self, stage, total):
            if how == "start" and stage == name and reached(stage):
                die()

        def advance(self, stage, n=1):
            if how == "advance" and stage == name and reached(stage):
                die()

    if how == "during":  # the rows are written inside the open transaction, then the kill
        real = getattr(Store, name)

        def writes_then_dies(self, *args, **kwargs):
            result = real(self, *args, **kwargs)
            if reached(name):
                die()
            return result

        setattr(Store, name, writes_then_dies)
    elif how == "json-in":  # replace_corpus has deleted the old results and is inserting
        real_replace, real_json = Store.replace_corpus, storyline.store._json
        inside = [False]

        def replacing(self, **kwargs):
            inside[0] = True
            return real_replace(self, **kwargs)

        def serialising(obj):
            if inside[0] and reached("json"):
                die()
            return real_json(obj)

        Store.replace_corpus = replacing
        storyline.store._json = serialising
    elif how == "after":
        real_after = Store.replace_corpus

        def commits_then_dies(self, **kwargs):
            real_after(self, **kwargs)
            die()

        Store.replace_corpus = commits_then_dies
    elif how == "report":  # the CLI's own build and report, as `storyline build --out`
        real_write = pathlib.Path.write_text

        def half_then_dies(self, data, *args, **kwargs):
            if str(self) == report + ".tmp":
                real_write(self, data[:len(data) // 2], *args, **kwargs)
                die()
            return real_write(self, data, *args, **kwargs)

        pathlib.Path.write_text = half_then_dies  # type: ignore[method-assign]
        sys.argv = ["storyline", "build", *paths, "--db", db, "--config", config,
                    "--out", report, "--quiet"]
        cli.main()
        return

    store = Store(db)
    pipeline.build(list(paths), store, settings=Settings.from_toml(config),
                   progress=KillingProgress())
    store.close()


if __name__ == "__main__":
    _child(*sys.argv[1:])
