"""Outlets for inputs that do not name their publisher: a ``sources.toml`` the user writes.

A folder given to ``storyline build`` may hold a ``sources.toml`` mapping file patterns
(relative to that folder, shell-style) to outlet names; the first matching pattern names the
outlet of a document that carries none of its own (HTML metadata, a feed title, a JSONL
``source`` field and a dateline come first)::

    [outlets]
    "bbc/*.txt" = "BBC News"
    "c01_*" = "The Guardian"
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from dataclasses import dataclass

from storyline.read.errors import ReadError

FILE_NAME = "sources.toml"


@dataclass
class Outlets:
    folder: str
    patterns: list[tuple[str, str]]  # (pattern, outlet) in file order

    def outlet_for(self, path: str) -> str | None:
        rel = os.path.relpath(path, self.folder).replace(os.sep, "/")
        for pattern, outlet in self.patterns:
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(os.path.basename(path), pattern):
                return outlet
        return None


def load_outlets(folder: str) -> Outlets | ReadError | None:
    """The folder's outlet mapping, None when it has none, or a ReadError naming the file and
    what is wrong with it."""
    path = os.path.join(folder, FILE_NAME)
    if not os.path.isfile(path):
        return None
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return ReadError(path, f"cannot read the outlet mapping ({exc}); fix or remove the file")
    table = data.get("outlets", {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        return ReadError(path, 'the outlet mapping must be an [outlets] table of "pattern" = '
                               '"Outlet name" lines')
    return Outlets(folder, [(str(k), v) for k, v in table.items()])
