"""Normalise the date fields of JSONL records (feeds parse their own entry dates) and the
capture times of every container."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
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


def iso_instant(value: str | None) -> str | None:
    """A capture time as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC) from an ISO 8601 or RFC 2822 string, a
    naive time kept as written; None when it is not a time (never a guess)."""
    if not value or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            from email.utils import parsedate_to_datetime

            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment.isoformat(timespec="seconds") + "Z"
    return moment.isoformat(timespec="seconds")
