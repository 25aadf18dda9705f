"""One origin per record: a container may hold two records under one name (a page captured
twice in an archive, a feed that reuses a link for an updated item); both are kept, so the later
one's origin is told apart from the first."""

from __future__ import annotations


def distinct_origin(origin: str, seen: set[str], version: str | None = None) -> str:
    """``origin``, or, when ``seen`` has it already, ``origin@version`` (a capture time), then
    ``#2``, ``#3`` … until it is new; the result is added to ``seen``."""
    if origin in seen and version:
        origin = f"{origin}@{version}"
    candidate, n = origin, 1
    while candidate in seen:
        n += 1
        candidate = f"{origin}#{n}"
    seen.add(candidate)
    return candidate
