"""Calendar words: month and weekday names, their abbreviations, and seasons.

The names come from the standard library's :mod:`calendar` (English under the C locale, which
Python uses unless a program calls ``locale.setlocale``; news text is read in English anyway).
"""

from __future__ import annotations

import calendar

# "january" … "december", and "monday" … "sunday" (Monday first, as datetime.weekday()).
MONTH_NAMES: tuple[str, ...] = tuple(name.lower() for name in calendar.month_name[1:])
WEEKDAY_NAMES: tuple[str, ...] = tuple(name.lower() for name in calendar.day_name)

# Month numbers by three-letter abbreviation ("jan" -> 1).
MONTH_ABBREVIATIONS: dict[str, int] = {name[:3]: n for n, name in enumerate(MONTH_NAMES, 1)}
# Month numbers by full name, three-letter abbreviation and "sept".
MONTHS: dict[str, int] = {name: n for n, name in enumerate(MONTH_NAMES, 1)} | \
    MONTH_ABBREVIATIONS | {"sept": 9}
# Weekday numbers by name ("monday" -> 0).
WEEKDAYS: dict[str, int] = {name: n for n, name in enumerate(WEEKDAY_NAMES)}

# Season words and their TIMEX3 codes.
SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA",
                           "winter": "WI"}
