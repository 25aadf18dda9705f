"""A union of character spans with binary-search lookups, shared by the annotators.

Quotes ask whether each token sits inside quotation marks, figures and time expressions whether
a new candidate overlaps one already taken. Scanning every span for each question made a long
article quadratic (thousands of quotes, figures or dates in one text); here each question is a
binary search over the merged spans.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class SpanCover:
    """The union of ``[start, end)`` spans, kept merged and in order."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in sorted(spans):
            if a >= b:
                continue
            if self.starts and a <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], b)
            else:
                self.starts.append(a)
                self.ends.append(b)

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` shares a character with the spans."""
        i = bisect.bisect_left(self.starts, end) - 1  # the last span starting before ``end``
        return i >= 0 and self.ends[i] > start

    def overlap(self, start: int, end: int) -> int:
        """Characters of ``[start, end)`` inside the spans."""
        total = 0
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        while i < len(self.starts) and self.starts[i] < end:
            total += max(0, min(end, self.ends[i]) - max(start, self.starts[i]))
            i += 1
        return total

    def add(self, start: int, end: int) -> None:
        """Take ``[start, end)`` into the union (merging it with the spans it touches)."""
        if start >= end:
            return
        i = bisect.bisect_left(self.starts, start)
        if i > 0 and self.ends[i - 1] >= start:
            i -= 1
            start = self.starts[i]
        j = i
        while j < len(self.starts) and self.starts[j] <= end:
            end = max(end, self.ends[j])
            j += 1
        self.starts[i:j] = [start]
        self.ends[i:j] = [end]
