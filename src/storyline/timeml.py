"""TIMEX3 values: the one home for reading, comparing and computing them.

* calendar arithmetic: shifting a publication date by days, weeks, months, quarters and years,
  and writing the result at the granularity the expression has (used by the timex grammar);
* comparison: whether two values can name the same time (:func:`dates_compatible`,
  :func:`same_value`), and a sort key (:func:`date_key`);
* reading: the day a value names (:func:`day_of`, :func:`day_number`), whether it is a
  calendar value at all, and the interval it covers (:func:`interval`, for the time axis).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

# Month at which each season is taken to start, for ordering a season against a date.


def parse_dct(dct: str | None) -> dt.date | None:
    """YYYY-MM-DD (a TIMEX3 TIME value like 1990-08-15T13:37 too) to a date; else None."""
    if not dct:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", dct.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def week_value(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def shift(dct: dt.date, unit: str, n: int) -> str:
    """The value ``n`` units from ``dct`` (negative: before), at that unit's granularity."""
    if unit == "day":
        return (dct + dt.timedelta(days=n)).isoformat()
    if unit == "week":
        return week_value(dct + dt.timedelta(weeks=n))
    if unit == "month":
        y, m = add_months(dct.year, dct.month, n)
        return f"{y:04d}-{m:02d}"
    if unit == "quarter":
        y, m = add_months(dct.year, dct.month, 3 * n)
        return f"{y:04d}-Q{quarter_of(m)}"
    if unit == "year":
        return f"{dct.year + n:04d}"
    if unit == "decade":
        return f"{(dct.year + 10 * n) // 10:03d}X"
    if unit == "century":
        return f"{(dct.year + 100 * n) // 100:02d}XX"
    return dct.isoformat()


def weekday_date(dct: dt.date, weekday: int, direction: int) -> dt.date:
    """The given weekday (0 = Monday) relative to ``dct``: direction < 0 the last one on or
    before it, > 0 the next one after it, 0 the one in the same (Monday-first) week."""
    if direction < 0:
        return dct - dt.timedelta(days=(dct.weekday() - weekday) % 7)
    if direction > 0:
        return dct + dt.timedelta(days=(weekday - dct.weekday()) % 7 or 7)
    return dct + dt.timedelta(days=weekday - dct.weekday())


def month_year(dct: dt.date, month: int, direction: int) -> int:
    """The year of a month named without one: past → the latest such month up to ``dct``,
    future → the first one from it on, unknown → the publication year."""
    diff = month - dct.month
    nearest = dct.year - 1 if diff > 6 else dct.year + 1 if diff < -6 else dct.year
    if direction < 0:
        pick = dct.year if month <= dct.month else dct.year - 1
    elif direction > 0:
        pick = dct.year if month >= dct.month else dct.year + 1
    else:
        pick = None
    if pick is not None:
        # A guessed tense loses when it puts the month most of a year away from a near one.
        away = abs((pick - dct.year) * 12 + diff)
        near = abs((nearest - dct.year) * 12 + diff)
        return nearest if away >= 9 and near <= 2 else pick
    # Unknown tense: the nearest such month, as news speaks mostly of nearby months.
    return nearest


def month_day_year(dct: dt.date, month: int, day: int, direction: int) -> int | None:
    """The year of "November 7" written without one; None when the day cannot exist."""
    candidates = []
    for year in (dct.year - 1, dct.year, dct.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    nearest = min(candidates, key=lambda c: abs((c - dct).days))
    pick = None
    if direction < 0:
        past = [c for c in candidates if c <= dct]
        pick = max(past) if past else None
    elif direction > 0:
        future = [c for c in candidates if c >= dct]
        pick = min(future) if future else None
    if pick is None:
        # Unknown tense: the nearest occurrence, as a news report mostly speaks of nearby dates.
        return nearest.year
    # A guessed tense loses to a date a few weeks away when it would put the date most of a
    # year off: "the Aug. 7 blasts" a week later is not next August.
    if abs((pick - dct).days) > 150 and abs((nearest - dct).days) < 75:
        return nearest.year
    return pick.year


def valid_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday of a month (n = -1: the last one)."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _easter(year: int) -> dt.date:
    # The Gregorian computus (anonymous algorithm).
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


HOLIDAYS = {
    "christmas": lambda y: dt.date(y, 12, 25), "christmas day": lambda y: dt.date(y, 12, 25),
    "christmas eve": lambda y: dt.date(y, 12, 24), "new year's day": lambda y: dt.date(y, 1, 1),
    "new year's eve": lambda y: dt.date(y, 12, 31), "independence day": lambda y: dt.date(y, 7, 4),
    "halloween": lambda y: dt.date(y, 10, 31), "valentine's day": lambda y: dt.date(y, 2, 14),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1), "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "easter": _easter, "easter sunday": _easter,
}


def holiday(name: str, dct: dt.date, direction: int, year: int | None = None) -> dt.date | None:
    """The date of a named holiday: in ``year``, else the occurrence the tense points to
    (past: the latest on or before ``dct``; future: the next; unknown: the nearest)."""
    fn = HOLIDAYS.get(name.lower())
    if fn is None:
        return None
    if year is not None:
        return fn(year)
    options = [fn(y) for y in (dct.year - 1, dct.year, dct.year + 1)]
    if direction < 0:
        return max(o for o in options if o <= dct)
    if direction > 0:
        return min(o for o in options if o >= dct)
    return min(options, key=lambda o: abs((o - dct).days))


# --- comparing TIMEX3 values --------------------------------------------------------------


@dataclass(frozen=True)
class When:
    year: int | None = None
    decade: int | None = None  # 199 for the 1990s
    month: int | None = None


def parse_when(value: str | None) -> When | None:
    """A TIMEX3 value as year / decade / month; None when it names no calendar time."""
    if not value:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?", value)
    if m:
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        return When(year, year // 10, month)
    m = re.match(r"^(\d{3})X$", value)
    if m:
        return When(None, int(m.group(1)), None)
    m = re.match(r"^XXXX-(\d{2})", value)
    if m:
        return When(None, None, int(m.group(1)))
    return None


def dates_compatible(a: str | None, b: str | None) -> bool | None:
    """True / False when both name a time, None when either is undated."""
    wa, wb = parse_when(a), parse_when(b)
    if wa is None or wb is None:
        return None
    if (wa.year is None and wa.decade is None) != (wb.year is None and wb.decade is None):
        # "September" (no year: this year) meets "2022-09" but not "in 2020"
        return wa.month is not None and wa.month == wb.month
    if wa.year is not None and wb.year is not None and wa.year != wb.year:
        return False
    if wa.decade is not None and wb.decade is not None and wa.decade != wb.decade:
        return False
    return wa.month is None or wb.month is None or wa.month == wb.month


# --- reading TIMEX3 values ------------------------------------------------------------------

# A specific day, with a known year or not ("2022-11-07", "XXXX-11-07"), maybe with a time.
DAY_VALUE = re.compile(r"^(\d{4}|XXXX)-(\d\d)-(\d\d)(?:$|T)")


def day_number(value: str | None) -> int | None:
    try:
        return date.fromisoformat(value[:10]).toordinal() if value else None
    except ValueError:
        return None


def is_calendar_value(value: str | None) -> bool:
    """A calendar value, possibly with an unknown year ("XXXX-11-07" when the article's own
    date is unknown); not PRESENT_REF, durations or an all-unknown XXXX-XX-XX."""
    return bool(value) and cast(str, value)[:4].replace("X", "0").isdigit() and \
        any(c.isdigit() for c in cast(str, value))


# The month a season is taken to start in, for sorting a season among dates.
SEASON_START = {"SP": "03", "SU": "06", "FA": "09", "AU": "09", "WI": "12"}


def date_key(value: str | None) -> str:
    """A sortable key for a TIMEX3 date value (undated entries sort last)."""
    if not value:
        return "9999"
    v = value.upper()
    m = re.match(r"^(\d{4})-(SP|SU|FA|AU|WI)", v)
    if m:
        return f"{m.group(1)}-{SEASON_START[m.group(2)]}"
    m = re.match(r"^(\d{4})-W(\d{2})", v)
    if m:
        try:
            day = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return day.isoformat()
        except ValueError:
            return m.group(1)
    return v.replace("X", "0")[:10]


def day_of(value: str | None) -> dt.date | None:
    if value and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def same_value(x: str, y: str) -> bool:
    """Equal, an unknown digit (X) matching any ("XXXX-11-07" and "2022-11-07")."""
    return len(x) == len(y) and all(p == q or "X" in (p, q) for p, q in zip(x, y))


# First month of each season and of the one after (WI runs into the next year).
SEASON_MONTHS = {"SP": (3, 6), "SU": (6, 9), "FA": (9, 12), "AU": (9, 12), "WI": (12, 15)}


@dataclass(frozen=True)
class Interval:
    start: date
    end: date  # exclusive
    granularity: str  # day|week|month|season|quarter|half|year|decade|century

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def month_start(year: int, month: int) -> date:
    """The first day of a month, counting months past 12 into the next years."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1)


def interval(value: str | None) -> Interval | None:
    """The interval a TIMEX3 date value covers, or None when it has no place on an axis
    (durations, PRESENT_REF, malformed values)."""
    if not value or not isinstance(value, str):
        return None
    v = value.strip().upper()
    try:
        if m := re.match(r"^(\d{4})-(\d{2})-(\d{2})", v):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return Interval(d, d + timedelta(days=1), "day")
        if m := re.match(r"^(\d{4})-W(\d{2})", v):
            d = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return Interval(d, d + timedelta(days=7), "week")
        if m := re.fullmatch(r"(\d{4})-(\d{2})", v):
            y, mo = int(m[1]), int(m[2])
            return Interval(date(y, mo, 1), month_start(y, mo + 1), "month")
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|AU|WI)", v):
            y = int(m[1])
            a, b = SEASON_MONTHS[m[2]]
            return Interval(month_start(y, a), month_start(y, b), "season")
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", v):
            y, q = int(m[1]), int(m[2])
            return Interval(month_start(y, 3 * q - 2), month_start(y, 3 * q + 1), "quarter")
        if m := re.fullmatch(r"(\d{4})-H([12])", v):
            y, h = int(m[1]), int(m[2])
            return Interval(month_start(y, 6 * h - 5), month_start(y, 6 * h + 1), "half")
        if m := re.fullmatch(r"(\d{4})", v):
            y = int(m[1])
            return Interval(date(y, 1, 1), date(y + 1, 1, 1), "year")
        if m := re.fullmatch(r"(\d{3})X", v):
            y = int(m[1]) * 10
            return Interval(date(y, 1, 1), date(y + 10, 1, 1), "decade")
        if m := re.fullmatch(r"(\d{2})XX", v):
            y = int(m[1]) * 100
            return Interval(date(y, 1, 1), date(y + 100, 1, 1), "century")
    except (ValueError, OverflowError):  # year 0, month 13, week 54, year 9999 + 1 …
        return None
    return None
