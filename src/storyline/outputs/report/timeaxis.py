"""TIMEX3 values on a drawable time axis.

A timeline mixes precise dates (``2022-11-07``) with vague ones (``2022-10``, ``2020-FA``,
``199X``). Each value becomes the interval it covers plus its granularity, so the chart can show
a day as a point and a decade as a long bar instead of pretending everything is a day. Long empty
stretches (the 1990s war, then nothing until 2020) are cut out of the axis so that recent,
close-together events stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from storyline.timeml import Interval, month_start


@dataclass
class Segment:
    """A stretch of the axis drawn to scale; gaps between segments are cut."""

    start: date
    end: date
    x0: float = 0.0
    x1: float = 0.0

    def x(self, d: date) -> float:
        span = max((self.end - self.start).days, 1)
        return self.x0 + (self.x1 - self.x0) * (d - self.start).days / span


@dataclass
class Axis:
    segments: list[Segment]
    width: float

    def x(self, d: date) -> float:
        for seg in self.segments:
            if d <= seg.end:
                return seg.x(max(d, seg.start))
        return self.width

    def ticks(self, min_gap: float = 48.0) -> list[tuple[float, str]]:
        """Tick positions and labels, thinned so that no two labels overlap."""
        out: list[tuple[float, str]] = []
        for seg in self.segments:
            days = (seg.end - seg.start).days
            for d, label in _tick_dates(seg.start, seg.end, days):
                x = seg.x(d)
                if not out or x - out[-1][0] >= min_gap + 3 * max(len(label) - 4, 0):
                    out.append((x, label))
        return out

    def breaks(self) -> list[float]:
        """Where a cut-out gap sits (drawn as a break mark)."""
        return [(a.x1 + b.x0) / 2 for a, b in zip(self.segments, self.segments[1:])]


GAP = 24.0  # pixels left between two segments for the break mark


def make_axis(intervals: list[Interval], width: float) -> Axis | None:
    if not intervals:
        return None
    ivs = sorted(intervals, key=lambda i: (i.start, i.end))
    total = (max(i.end for i in ivs) - ivs[0].start).days
    # A gap longer than this is cut out: a fortieth of the whole span, at least three months.
    threshold = max(91, total // 40)
    segments: list[Segment] = []
    for iv in ivs:
        if segments and (iv.start - segments[-1].end).days <= threshold:
            segments[-1].end = max(segments[-1].end, iv.end)
        else:
            segments.append(Segment(iv.start, iv.end))
    # Pad each segment a little so markers at its edges are not cut in half.
    for seg in segments:
        pad = timedelta(days=max(1, (seg.end - seg.start).days // 20))
        seg.start, seg.end = seg.start - pad, seg.end + pad
    # Widths grow slowly with duration: a decade gets more room than a month, but not so
    # much that the month disappears.
    weights = [max((s.end - s.start).days, 7) ** 0.3 for s in segments]
    usable = width - GAP * (len(segments) - 1)
    x = 0.0
    for seg, w in zip(segments, weights):
        seg.x0 = x
        seg.x1 = x + usable * w / sum(weights)
        x = seg.x1 + GAP
    return Axis(segments, width)


def _tick_dates(start: date, end: date, days: int) -> list[tuple[date, str]]:
    ticks: list[tuple[date, str]] = []
    if days > 365 * 30:
        step = 10 if days < 365 * 120 else 50
        y = (start.year // step + 1) * step
        while y < end.year:
            ticks.append((date(y, 1, 1), f"{y}s" if step == 10 else str(y)))
            y += step
    elif days > 365 * 2:
        step = 1 if days < 365 * 8 else 2 if days < 365 * 16 else 5
        y = start.year + 1
        while y <= end.year and date(y, 1, 1) < end:
            if y % step == 0:
                ticks.append((date(y, 1, 1), str(y)))
            y += 1
    elif days > 45:
        step = 1 if days < 200 else 2 if days < 400 else 3
        d = month_start(start.year, start.month + 1)
        year = None
        while d < end:
            if (d.month - 1) % step == 0:
                # The year is printed whenever it changes, so "Apr" is never ambiguous.
                label = d.strftime("%b %Y") if d.year != year else d.strftime("%b")
                year = d.year
                ticks.append((d, label))
            d = month_start(d.year, d.month + 1)
    else:
        step = 1 if days < 10 else 7
        d = start + timedelta(days=1)
        while d < end:
            ticks.append((d, d.strftime("%d %b")))
            d += timedelta(days=step)
    if not ticks:
        ticks.append((start + (end - start) / 2, (start + (end - start) / 2).strftime("%b %Y")))
    return ticks
