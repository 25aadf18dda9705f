"""Rules for calendar expressions: dates, months, years, decades, seasons, holidays and
quarters, named outright or relative to publication ("November 7", "the autumn of 2020",
"the early 1990s", "the third quarter")."""

from __future__ import annotations

import datetime as dt
import re
from typing import cast

from storyline import timeml as cal
from storyline.annotate.timex.grammar import (  # the grammar's shared vocabulary
    DAY,
    MONTH,
    MONTH_D,
    NUMBERS,
    ORDINALS,
    PRE_PART,
    SEASON,
    WEEKDAY,
    YEAR,
    B,
    E,
    Found,
    duration_value,
    make_found,
    mod_of,
    parse_number,
    rule,
    unit_of,
)
from storyline.lexicon.calendar import MONTHS, SEASONS, WEEKDAYS


# Explicit calendar dates --------------------------------------------------------------------
@rule(rf"{B}(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<pre>{PRE_PART}\s+)?(?P<mon>{MONTH_D})\s+(?P<day>{DAY})"
      rf"(?:,?\s+(?P<year>{YEAR}|'\d\d))?{E}")
def _month_day(m, ctx):
    return _calendar(m, ctx, int(re.sub(r"\D", "", m.group("day"))))


@rule(rf"{B}(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{DAY})(?:\s+of)?\s+(?P<mon>{MONTH_D})"
      rf"(?:,?\s+(?P<year>{YEAR}))?{E}")
def _day_month(m, ctx):
    return _calendar(m, ctx, int(re.sub(r"\D", "", m.group("day"))))


def _calendar(m, ctx, day: int):
    month = MONTHS[m.group("mon").lower().rstrip(".")]
    year_s = m.group("year")
    if year_s:
        year = int(year_s) if len(year_s) == 4 else two_digit_year(int(year_s[1:]), ctx.dct)
        if year is None:
            return None
        anchor = "explicit"
    elif ctx.dct is None:
        if not cal.valid_date(2000, month, day):
            return None
        return make_found(m, "DATE", f"XXXX-{month:02d}-{day:02d}", anchor="none")
    else:
        year = cal.month_day_year(ctx.dct, month, day, ctx.direction(m.start(), m.end()))
        if year is None:
            return None
        anchor = "publication"
        if m.group("wd"):
            # "Saturday, Dec. 13": the weekday names the year, if a nearby one fits.
            wd = WEEKDAYS[m.group("wd").lower()]
            fits = [y for y in range(ctx.dct.year - 2, ctx.dct.year + 2)
                    if cal.valid_date(y, month, day) and dt.date(y, month, day).weekday() == wd]
            if fits:
                year = min(fits, key=lambda y: abs(y - cast(int, year)))
    if not cal.valid_date(year, month, day):
        return None  # 31 February is no date: better nothing than a wrong one
    mod = mod_of(m.groupdict().get("pre"))
    return make_found(m, "DATE", f"{year:04d}-{month:02d}-{day:02d}", mod, anchor)


def two_digit_year(yy: int, dct: dt.date | None) -> int | None:
    """'98 → the year ending in 98 nearest the publication date; without one, no guess."""
    if dct is None:
        return None
    # News dates its past far more than its future: the latest such year up to next year.
    year = dct.year // 100 * 100 + yy
    return year - 100 if year > dct.year + 1 else year


@rule(rf"{B}(?P<pre>{PRE_PART}\s+|mid-)?(?P<mon>{MONTH})(?:,?\s+|\s+of\s+)(?:(?P<year>{YEAR})|"
      rf"(?P<rel>(?i:last|this|next))\s+(?i:year)){E}")
def _month_year(m, ctx):
    month = MONTHS[m.group("mon").lower().rstrip(".")]
    if m.group("rel"):
        # "June last year": the month of the year named relative to publication.
        if ctx.dct is None:
            return make_found(m, "DATE", f"XXXX-{month:02d}", mod_of(m.group("pre")), "none")
        year = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[m.group("rel").lower()]
        return make_found(m, "DATE", f"{year:04d}-{month:02d}", mod_of(m.group("pre")))
    return make_found(m, "DATE", f"{m.group('year')}-{month:02d}", mod_of(m.group("pre")), "explicit")


@rule(rf"{B}(?P<rel>(?i:last|next|this|this\s+past|this\s+coming|(?:{PRE_PART}|mid-|early-|late-)(?:\s+in)?|"
      rf"in|since|until|by|of|from|through|during|to|before|after|for|on)\s*)?"
      rf"(?P<mon>{MONTH}){E}(?!\s+\d)")
def _month(m, ctx):
    mon = m.group("mon")
    rel = (m.group("rel") or "").strip().lower()
    rel = re.sub(r"\s+", " ", rel)
    if mon in ("May", "March", "MARCH") and not rel and not re.search(
            r"(?i)\bthe\s+$", ctx.text[max(0, m.start() - 4):m.start()]):
        return None  # the verb and the modal, not the month ("the March accession" is one)
    month = MONTHS[mon.lower().rstrip(".")]
    # A plain preposition is context, not part of the expression.
    span_from = m.start("mon") if rel in ("in", "since", "until", "by", "of", "from", "through",
                                         "during", "to", "before", "after", "for", "on", "") \
        else m.start()
    mod = None
    if ctx.dct is None:
        value, anchor = f"XXXX-{month:02d}", "none"
    else:
        if rel.startswith("last") or rel == "this past":
            year = ctx.dct.year if month < ctx.dct.month else ctx.dct.year - 1
        elif rel.startswith("next") or rel == "this coming":
            year = ctx.dct.year if month > ctx.dct.month else ctx.dct.year + 1
        elif rel == "this":
            year = ctx.dct.year
        else:
            year = cal.month_year(ctx.dct, month, ctx.direction(m.start("mon"), m.end()))
        value, anchor = f"{year:04d}-{month:02d}", "publication"
    if span_from == m.start():
        mod = mod_of(re.sub(r"\s+in$", "", rel))
    return Found(span_from, m.end(), "DATE", value, mod, anchor)


@rule(rf"{B}(?P<pre>(?:the\s+)?(?:fiscal|calendar|(?i:early|late|mid|the\s+end\s+of|the\s+beginning\s+of|"
      rf"the\s+start\s+of|the\s+middle\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of|"
      rf"the\s+rest\s+of)|(?:fiscal|calendar|model)\s+year)\s+|mid-)?"
      rf"(?<![$£€#\d.,])(?P<year>{YEAR})(?![\d%,.]\d|-\d|\s*%|\s+(?:percent|people|troops|"
      rf"shares|dollars|yuan|tons|men|soldiers|students|years|acres|miles|feet|meters|cars|"
      rf"units|jobs|employees|workers|points)\b)")
def _year(m, ctx):
    year = m.group("year")
    pre = (m.group("pre") or "").lower()
    if not pre:
        # A bare number such as "1200" is rarely a year: keep the 4-digit years of news.
        if not 1900 <= int(year) <= 2099 and not re.search(r"(?i)\b(in|of|since|year)\s+$",
                                                            ctx.text[max(0, m.start() - 8):m.start()]):
            return None
        if re.match(r"\s*(?:-|to)\s*\d", ctx.text[m.end():m.end() + 4]) and int(year) > 2099:
            return None
    mod = mod_of(re.sub(r"fiscal|calendar|model|year", "", pre).strip()) if pre else None
    return make_found(m, "DATE", year, mod, "explicit")


@rule(rf"{B}(?P<pre>(?i:the\s+)?(?i:(?:early|late|mid)(?:-|\s+)?|the\s+(?:end|beginning|start|middle)"
      rf"\s+of\s+the\s+)?)?(?P<dec>(?:19|20)?\d0|'\d0)'?s{E}")
def _decade(m, ctx):
    dec = m.group("dec").lstrip("'")
    if len(dec) == 2 and re.search(r"(?i)\b(his|her|their|my|your|our|its)\s+(?:early\s+|late\s+|mid-?)?$",
                                   ctx.text[max(0, m.start() - 12):m.start()]):
        return None  # "in his 30s" is an age
    if len(dec) == 2:
        # "the '80s": the decade of the century before the publication's decade, if later.
        century = (ctx.dct.year // 100) if ctx.dct else 19
        if ctx.dct and int(f"{century}{dec}") > ctx.dct.year:
            century -= 1
        dec = f"{century}{dec}"
    if len(dec) != 4:
        return None
    pre = m.group("pre") or ""
    mod = mod_of(pre.replace("the ", "", 1).strip()) if pre.strip() else None
    return make_found(m, "DATE", dec[:3] + "X", mod, "explicit")


@rule(rf"{B}(?:(?P<pre>(?i:the\s+)?(?:(?:this|last|next|this\s+past|early|late|mid|the\s+end\s+of\s+the|"
      rf"the\s+beginning\s+of\s+the|the\s+middle\s+of\s+the)[\s-]+)*)|(?i:the\s+))?(?P<season>{SEASON})"
      rf"(?:(?:\s+of|,)?\s+(?P<year>{YEAR}))?{E}")
def _season(m, ctx):
    code = SEASONS[m.group("season").lower()]
    pre = re.sub(r"\s+", " ", (m.group("pre") or "").lower()).strip()
    bare = not m.group("year") and not pre and not m.group(0).lower().startswith("the")
    if bare and m.group("season") in ("fall", "Fall", "spring", "Spring"):
        return None  # "prices fall", "a spring" are not seasons
    mod = None
    for word, mk in (("early", "START"), ("late", "END"), ("mid", "MID"), ("end", "END"),
                     ("beginning", "START"), ("middle", "MID")):
        if word in pre.split() or pre.startswith(word):
            mod = mk
    if m.group("year"):
        return make_found(m, "DATE", f"{m.group('year')}-{code}", mod, "explicit")
    if ctx.dct is None:
        return make_found(m, "DATE", f"XXXX-{code}", mod, "none")
    year = ctx.dct.year
    season_now = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU",
                  8: "SU", 9: "FA", 10: "FA", 11: "FA"}[ctx.dct.month]
    order = ["WI", "SP", "SU", "FA"]
    if "last" in pre or "past" in pre:
        year = year if order.index(code) < order.index(season_now) else year - 1
    elif "next" in pre:
        year = year if order.index(code) > order.index(season_now) else year + 1
    return make_found(m, "DATE", f"{year:04d}-{code}", mod)


_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
SPELLED_YEAR = (rf"(?i:(?:nineteen|eighteen)\s+(?:hundred(?:\s+and)?\s+)?(?:{_TENS}(?:[- ]{_UNITS})?|{_TEENS}|"
                rf"oh[- ]{_UNITS})|two\s+thousand(?:\s+(?:and\s+)?(?:{_UNITS}|{_TEENS}|{_TENS}(?:[- ]{_UNITS})?))?)")


def _spelled_year(s: str) -> int | None:
    words = re.split(r"[\s-]+", s.lower())
    words = [w for w in words if w not in ("and", "hundred", "oh")]
    rest: list[str] | str
    if words[:2] == ["two", "thousand"]:
        rest = words[2:]
        extra = parse_number(" ".join(rest)) if rest else 0
        return None if extra is None else 2000 + int(extra)
    century = NUMBERS.get(words[0])
    rest = " ".join(words[1:])
    n = parse_number(rest) if rest else None
    if century is None or n is None:
        return None
    return int(century * 100 + n)


@rule(rf"{B}(?P<pre>(?i:the\s+(?:(?:spring|summer|fall|autumn|winter)\s+of\s+)?(?:year\s+)?|"
      rf"(?:spring|summer|fall|autumn|winter)\s+(?:of\s+)?|in\s+|(?P<mon>{MONTH})\s+))?(?P<y>{SPELLED_YEAR}){E}")
def _year_words(m, ctx):
    """Broadcast transcripts spell years out: "nineteen ninety-six", "the year two thousand"."""
    year = _spelled_year(m.group("y"))
    if year is None or not 1000 <= year <= 2099:
        return None
    pre = (m.group("pre") or "").lower()
    if m.group("y").lower().startswith("two thousand") and not re.search(r"year|in|\w+\s", pre) and \
            not re.search(r"(?i)\b(since|by|until|of|after|before|from|to)\s+$", ctx.text[max(0, m.start() - 7):m.start()]):
        return None  # "two thousand dollars" is a number
    if m.group("mon"):
        month = MONTHS[m.group("mon").lower().rstrip(".")]
        return Found(m.start(), m.end(), "DATE", f"{year}-{month:02d}", None, "explicit")
    season = re.search(r"spring|summer|fall|autumn|winter", pre)
    start = m.start("y") if pre.strip() in ("in", "") else m.start()
    if season:
        return Found(start, m.end(), "DATE", f"{year}-{SEASONS[season.group(0)]}", None, "explicit")
    return Found(start, m.end(), "DATE", str(year), None, "explicit")


@rule(rf"{B}(?P<rel>(?i:last|next|this)\s+)?(?P<h>Christmas(?:\s+(?:Day|Eve))?|New\s+Year's\s+(?:Day|Eve)|"
      rf"Thanksgiving(?:\s+Day)?|Independence\s+Day|Halloween|Valentine's\s+Day|Labor\s+Day|"
      rf"Memorial\s+Day|Easter(?:\s+Sunday)?)(?:,?\s+(?P<year>{YEAR}))?{E}")
def _holiday(m, ctx):
    name = re.sub(r"\s+", " ", m.group("h"))
    year = int(m.group("year")) if m.group("year") else None
    if ctx.dct is None and year is None:
        return None  # no year to put it in; the name alone is no date
    rel = (m.group("rel") or "").strip().lower()
    direction = {"last": -1, "next": 1}.get(rel)
    if direction is None:
        direction = ctx.direction(m.start(), m.end())
    day = cal.holiday(name, ctx.dct or dt.date(year or 2000, 1, 1), direction, year)
    if day is None:
        return None
    return make_found(m, "DATE", day.isoformat(), anchor="explicit" if year else "publication")


@rule(rf"{B}(?P<w>(?i:(?:the\s+)?(?:year-end|year\s+end|year's\s+end)|the\s+(?:full|fiscal|current\s+fiscal|"
      rf"latest\s+fiscal|calendar)\s+year|(?:the\s+)?coming\s+(?:days|weeks|months|years|decades)))(?!-){E}")
def _year_parts(m, ctx):
    w = re.sub(r"\s+", " ", m.group("w").lower())
    if "coming" in w:
        # "in the coming weeks": a stretch ahead of publication of no stated length.
        return make_found(m, "DURATION", duration_value(None, unit_of(w.split()[-1])))
    if ctx.dct is None:
        return make_found(m, "DATE", "XXXX", "END" if "end" in w else None, "none")
    if w == "the fiscal year":
        return make_found(m, "DURATION", "P1Y")  # mostly "in the fiscal year ended ...": a span
    year = ctx.dct.year - (1 if "latest fiscal" in w else 0)
    return make_found(m, "DATE", f"{year:04d}", "END" if "end" in w else None)


@rule(rf"{B}(?P<det>(?i:the)\s+)?(?P<pre>(?i:early|late|mid)[\s-]+)?(?P<n>\d{{1,2}})(?:st|nd|rd|th)[\s-]"
      rf"(?i:century){E}")
def _century(m, ctx):
    n = int(m.group("n"))
    if not 1 <= n <= 22:
        return None
    return make_found(m, "DATE", f"{n - 1:02d}XX", mod_of(m.group("pre")), "explicit")


# Quarters and halves ------------------------------------------------------------------------
@rule(rf"{B}(?:(?P<det>(?i:the|its|their)\s+)|(?P<ry>(?i:last|this|next)\s+year's\s+))?"
      rf"(?P<adj>(?i:(?:year-ago|year-earlier|comparable|latest|"
      rf"current|fiscal|same)\s+)*)(?:(?P<year0>{YEAR})\s+)?(?P<ord>(?i:first|second|third|fourth|1st|2nd|3rd|4th|final|last)"
      rf")(?P<sep>[\s-])(?P<unit>(?i:quarter|half))(?:(?:\s+of|,)?\s+(?:(?i:fiscal)\s+)?(?P<year>{YEAR}))?{E}")
def _quarter(m, ctx):
    unit = m.group("unit").lower()
    o = m.group("ord").lower()
    adj = m.group("adj").lower()
    n = 4 if o in ("final", "last") and unit == "quarter" else 2 if o in ("final", "last") \
        else ORDINALS[o]
    if unit == "half" and n > 2:
        return None
    code = f"Q{n}" if unit == "quarter" else f"H{n}"
    start = m.start("det") if m.group("det") and m.group("det").lower().startswith("the") \
        else m.start("adj") if adj else m.start("year0") if m.group("year0") else m.start("ord")
    if m.group("sep") == "-" and start == m.start("det"):
        start = m.start("adj") if adj else m.start("year0") if m.group("year0") else m.start("ord")
    year_s = m.group("year") or m.group("year0")
    if year_s:
        return Found(start, m.end(), "DATE", f"{year_s}-{code}", None, "explicit")
    if ctx.dct is None:
        return Found(start, m.end(), "DATE", f"XXXX-{code}", None, "none")
    if m.group("ry"):
        # "next year's first quarter": the quarter of the year named relative to publication.
        year = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[m.group("ry").split()[0].lower()]
        return Found(m.start("ry"), m.end(), "DATE", f"{year:04d}-{code}", None)
    year = ctx.dct.year
    current = cal.quarter_of(ctx.dct.month) if unit == "quarter" else (1 if ctx.dct.month <= 6 else 2)
    if n > current:
        # A later quarter of this year is ahead; in past tense, or when it is most of a year
        # away, it is last year's.
        direction = ctx.direction(m.start(), m.end())
        if direction < 0 or (direction == 0 and n - current > 1):
            year -= 1
    if "year-ago" in adj or "year-earlier" in adj:
        year -= 1
    return Found(start, m.end(), "DATE", f"{year:04d}-{code}", None)


@rule(rf"{B}(?P<det>(?i:the|its)\s+)?(?P<adj>(?i:(?:latest|comparable|year-ago|year-earlier|"
      rf"recent|current|previous|prior|past|same)\s+)+)?(?:(?P<year>{YEAR})\s+)?(?P<unit>(?i:quarter|period)){E}"
      rf"|{B}(?P<ya>(?i:year-ago|year-earlier)){E}"
      rf"|{B}(?P<ry>(?i:last|this|next))\s+(?i:year's)\s+(?i:quarter){E}")
def _this_quarter(m, ctx):
    adj = (m.group("adj") or "").lower()
    if m.group("ry"):
        # "last year's quarter": the same quarter, in the year named relative to publication.
        if ctx.dct is None:
            return make_found(m, "DATE", "XXXX-QX", anchor="none")
        y, mo = cal.add_months(ctx.dct.year, ctx.dct.month, -3)
        y += {"last": -1, "this": 0, "next": 1}[m.group("ry").lower()]
        return make_found(m, "DATE", f"{y:04d}-Q{cal.quarter_of(mo)}")
    if m.group("ya"):
        adj = m.group("ya").lower()
    elif m.group("unit").lower() == "period" and not m.group("year") and \
            not re.search("year-ago|year-earlier|comparable|latest", adj) or not m.group("det"):
        return None
    if ctx.dct is None:
        return make_found(m, "DATE", "XXXX-QX", anchor="none")
    # Company reports speak of the last completed quarter.
    y, mo = cal.add_months(ctx.dct.year, ctx.dct.month, -3)
    if "current" in adj:
        y, mo = ctx.dct.year, ctx.dct.month
    if "year-ago" in adj or "year-earlier" in adj:
        y -= 1
    if m.groupdict().get("year"):
        y = int(m.group("year"))
    return make_found(m, "DATE", f"{y:04d}-Q{cal.quarter_of(mo)}")


# A second day joined to a calendar date ("on April 24 and 25"): TimeML tags it as its own
# expression, in the month (and year) of the first.
@rule(rf"{B}(?P<mon>{MONTH_D})\s+(?P<d1>{DAY})\s+(?:and|or)\s+(?P<day>{DAY})(?:,?\s+(?P<year>{YEAR}))?{E}")
def _joined_day(m, ctx):
    month = MONTHS[m.group("mon").lower().rstrip(".")]
    day = int(re.sub(r"\D", "", m.group("day")))
    first = int(re.sub(r"\D", "", m.group("d1")))
    if day <= first:
        return None  # "June 5 and 1" is no pair of days; more likely a count
    if m.group("year"):
        year, anchor = int(m.group("year")), "explicit"
    elif ctx.dct is None:
        if not cal.valid_date(2000, month, day):
            return None
        return Found(m.start("day"), m.end("day"), "DATE", f"XXXX-{month:02d}-{day:02d}", None, "none")
    else:
        year = cal.month_day_year(ctx.dct, month, first, ctx.direction(m.start(), m.end()))
        anchor = "publication"
    if year is None or not cal.valid_date(year, month, day):
        return None
    return Found(m.start("day"), m.end("day"), "DATE", f"{year:04d}-{month:02d}-{day:02d}", None, anchor)

