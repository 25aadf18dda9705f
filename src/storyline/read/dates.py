"""Normalise the date fields of JSONL records (feeds parse their own entry dates)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any, cast

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def iso_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` from an ISO-like or RFC 2822 date string, else None (never a guess)."""
    if not value:
        return None
    match = _ISO.search(value)
    if match:
        try:
            return datetime(*cast("Iterator[Any]", map(int, match.groups()))).date().isoformat()
        except ValueError:
            return None
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None
