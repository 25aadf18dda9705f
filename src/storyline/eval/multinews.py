"""The Multi-News layout, shared by the story and summary scorers.

A CSV with columns ``documents`` (a Python-literal list of article texts), ``num_documents`` and
``summary``; the path may be the CSV itself or a folder holding ``validation.csv``.
"""

from __future__ import annotations

import ast
import csv
import sys
from pathlib import Path


def read_clusters(data: Path, limit: int | None = None) -> list[tuple[list[str], str]]:
    """(documents, gold summary) per cluster; a row whose documents do not parse is empty."""
    csv.field_size_limit(sys.maxsize)  # a cluster's documents fill one field
    path = data / "validation.csv" if data.is_dir() else data
    clusters: list[tuple[list[str], str]] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if limit is not None and len(clusters) >= limit:
                break
            try:
                documents = ast.literal_eval(row["documents"])
            except (ValueError, SyntaxError):
                documents = []
            clusters.append(([d for d in documents if isinstance(d, str)],
                             row.get("summary") or ""))
    return clusters
