"""Rules for expressions relative to publication and for spans: weekdays, clock times,
"yesterday", "now", "last month", "a week ago", durations ("six weeks", "decades") and sets
("daily", "every Monday")."""

from __future__ import annotations

import datetime as dt
import re

from storyline import timeml as cal
from storyline.annotate.timex.dates import two_digit_year
from storyline.annotate.timex.grammar import (  # the grammar's shared vocabulary
    DAY,
    MONTH,
    MONTH_D,
    NUM,
    PART_OF_DAY,
    PRE_PART,
    QUAL,
    QUALIFIERS,
    RELW,
    UNIT,
    UNIT1,
    WEEKDAY,
    WORDNUM,
    YEAR,
    B,
    E,
    Found,
    duration_value,
    make_found,
    mod_of,
    parse_number,
    rule,
    unanchored_value,
    unit_of,
)
from storyline.lexicon.calendar import MONTHS, SEASONS, WEEKDAYS


# Weekdays -----------------------------------------------------------------------------------
@rule(rf"{B}(?P<rel>(?i:last|next|this|this\s+past|this\s+coming|early|late)\s+)?(?P<wd>{WEEKDAY})"
      rf"(?:\s+(?P<part>(?i:morning|afternoon|evening|night)))?{E}")
def _weekday(m, ctx):
    if re.match(r"\s+(Times|Telegraph|Express|Mirror|Herald|Post|Mail|Tribune|Star|Independent|"
                r"Night\s+Live|Morning\s+Post)\b", ctx.text[m.end():m.end() + 20]):
        return None  # a newspaper or a show named for the day
    wd = WEEKDAYS[m.group("wd").lower()]
    rel = re.sub(r"\s+", " ", (m.group("rel") or "").lower()).strip()
    part = (m.group("part") or "").lower()
    if ctx.dct is None:
        return make_found(m, "DATE", f"XXXX-WXX-{wd + 1}" + (f"T{PART_OF_DAY[part]}" if part else ""),
                      anchor="none")
    if rel in ("last", "this past"):
        day = ctx.dct - dt.timedelta(days=(ctx.dct.weekday() - wd - 1) % 7 + 1)
    elif rel in ("next", "this coming"):
        day = cal.weekday_date(ctx.dct, wd, 1)
    elif rel == "this":
        day = cal.weekday_date(ctx.dct, wd, 0)
    else:
        direction = ctx.direction(m.start(), m.end())
        if not part and ctx.text.startswith("'s", m.end()):
            direction = _possessive_direction(ctx.text, m.start(), m.end())
        day = cal.weekday_date(ctx.dct, wd, 1 if direction > 0 else -1)
        if direction > 0 and wd == ctx.dct.weekday():
            day = ctx.dct  # "will meet Monday" written on a Monday: that day
    value = day.isoformat() + (f"T{PART_OF_DAY[part]}" if part else "")
    mod = {"early": "START", "late": "END"}.get(rel)
    return make_found(m, "DATE", value, mod)


_POSSESSIVE_FUTURE = re.compile(r"(?i)\b(will|won't|'ll|is\s+to|are\s+to|is\s+scheduled|are\s+scheduled|"
                                r"is\s+expected|are\s+expected|is\s+set|are\s+set)\b")


def _possessive_direction(text: str, start: int, end: int) -> int:
    """"Wednesday's ruling", "Friday's close": news names an event by its day mostly after
    it happened, so the past, unless the clause itself looks ahead ("Sunday's vote will...",
    "before the upcoming Sunday's vote"). The verbs of a clause around the phrase tell
    about that clause, not the named event."""
    clause = re.split(r"[.;!?]\s|,\s", text[end:end + 60])[0]
    if _POSSESSIVE_FUTURE.search(clause) or re.search(r"(?i)\b(upcoming|coming)\s+$",
                                                      text[max(0, start - 12):start]):
        return 1
    return -1


# Clock times --------------------------------------------------------------------------------
@rule(rf"{B}(?P<q>(?i:about|around|approximately|at\s+about|shortly\s+(?:after|before))\s+)?"
      rf"(?P<h>[01]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[aApP]\.?[mM]\.?(?![a-z]))"
      rf"(?:\s+(?P<tz>[ECMP][SD]T|GMT|UTC))?"
      rf"(?:\s+(?:on\s+)?(?P<wd>{WEEKDAY}|(?i:today|yesterday|tomorrow)))?"
      rf"(?:,?\s+(?P<cmon>{MONTH_D})\s+(?P<cday>{DAY}){E})?"
      rf"|{B}(?P<h24>[0-2]\d)[:.]?(?P<m24>[0-5]\d)\s+(?P<tz2>GMT|UTC|[ECMP][SD]T){E}")
def _clock(m, ctx):
    if m.group("h24"):
        h, mi = int(m.group("h24")), int(m.group("m24"))
        if h > 24:
            return None
    else:
        h, mi = int(m.group("h")), int(m.group("mi") or 0)
        if not 1 <= h <= 12:
            return None
        if m.group("ap").lower().startswith("p") and h != 12:
            h += 12
        if m.group("ap").lower().startswith("a") and h == 12:
            h = 0
    day = _day_of(m.group("wd") if not m.group("h24") else None, m, ctx)
    if m.group("cmon") and ctx.dct is not None:
        # "5 p.m. EST, Nov. 6": the date given after the clock time.
        month = MONTHS[m.group("cmon").lower().rstrip(".")]
        dnum = int(re.sub(r"\D", "", m.group("cday")))
        year = cal.month_day_year(ctx.dct, month, dnum, ctx.direction(m.start(), m.end()))
        if year is None or not cal.valid_date(year, month, dnum):
            return None
        day = f"{year:04d}-{month:02d}-{dnum:02d}"
    mod = "APPROX" if m.group("q") and not m.group("q").lower().startswith("shortly") else None
    start = m.start("q") if mod else m.start("h") if m.group("h") else m.start()
    return Found(start, m.end(), "TIME", f"{day}T{h:02d}:{mi:02d}", mod)


def _day_of(word: str | None, m, ctx) -> str:
    if ctx.dct is None:
        return "XXXX-XX-XX"
    if not word:
        return ctx.dct.isoformat()
    w = word.lower()
    if w in WEEKDAYS:
        d = ctx.direction(m.start(), m.end())
        return cal.weekday_date(ctx.dct, WEEKDAYS[w], 1 if d > 0 else -1).isoformat()
    return (ctx.dct + dt.timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[w])).isoformat()


@rule(rf"{B}(?P<pre>(?i:mid-?))?(?P<w>(?i:noon|midnight|midday)){E}(?:\s+(?P<wd>{WEEKDAY}|(?i:today|yesterday|tomorrow)){E})?")
def _noon(m, ctx):
    day = _day_of(m.group("wd"), m, ctx)
    hour = "24:00" if m.group("w").lower() == "midnight" else "12:00"
    return make_found(m, "TIME", f"{day}T{hour}")


# Days relative to publication ---------------------------------------------------------------
_DAY_WORDS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


@rule(rf"{B}(?P<pre>(?i:early|late|earlier|later|mid-?)\s*)?(?P<w>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|"
      rf"today|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night|overnight)"
      rf"(?:\s+(?P<part>(?i:morning|afternoon|evening|night)))?){E}")
def _day_word(m, ctx):
    w = re.sub(r"\s+", " ", m.group("w").lower())
    part = (m.group("part") or "").lower()
    if w.startswith("this "):
        offset, part = 0, w.split()[1]
    elif w == "last night":
        offset, part = -1, "night"
    elif w == "overnight":
        offset, part = 0, "night"
    elif w.startswith("the day before"):
        offset = -2
    elif w.startswith("the day after"):
        offset = 2
    else:
        offset = _DAY_WORDS[w.split()[0]]
        if w.startswith("tonight"):
            part = "night"
    mod = mod_of(m.group("pre"))
    if ctx.dct is None:
        return make_found(m, "DATE", "XXXX-XX-XX", mod, "none")
    value = (ctx.dct + dt.timedelta(days=offset)).isoformat()
    if part and w != "tonight":
        return make_found(m, "TIME", value + "T" + PART_OF_DAY[part], mod)
    return make_found(m, "DATE", value, mod)


_REF_WORDS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
    "current": "PRESENT_REF", "nowadays": "PRESENT_REF", "at present": "PRESENT_REF",
    "presently": "PRESENT_REF", "these days": "PRESENT_REF", "the present": "PRESENT_REF",
    "recently": "PAST_REF", "recent": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF",
    "previously": "PAST_REF", "formerly": "PAST_REF", "once": "PAST_REF",
    "soon": "FUTURE_REF", "the future": "FUTURE_REF", "future": "FUTURE_REF",
    "the near future": "FUTURE_REF", "the coming": "FUTURE_REF", "a later date": "FUTURE_REF",
    "recent years": "PAST_REF", "recent months": "PAST_REF", "recent weeks": "PAST_REF",
    "recent days": "PAST_REF", "the time being": "PRESENT_REF", "the moment": "PRESENT_REF",
}


@rule(rf"{B}(?P<w>(?i:right\s+now|now|currently|current|nowadays|at\s+present|presently|these\s+days|"
      rf"recently|recent(?:\s+(?:years|months|weeks|days))?|lately|the\s+past|soon|(?:the\s+(?:near\s+)?)?future|"
      rf"a\s+later\s+date|the\s+time\s+being)){E}(?!\s*-)")
def _ref(m, ctx):
    w = re.sub(r"\s+", " ", m.group("w").lower())
    after = ctx.text[m.end():m.end() + 20].lower()
    if w == "future":
        # Bare "future" is time only as an adjective ("future talks"), not "a peaceful
        # future" nor a title's "the Future".
        prev = ctx.text[max(0, m.start() - 12):m.start()].lower().split()
        if not re.match(r"\s+[a-z]", after) or re.match(r"\s+(generations?|of|is|was|for|and|or|in)\b", after) \
                or m.group("w")[0].isupper() and prev and prev[-1] not in (".",):
            return None
    if w.startswith("the") and m.group("w")[4].isupper():
        return None  # "the Future" in a headline is a name
    if w == "the past" and re.match(r"\s+(\w+\s+)?(" + UNIT[4:-1] + r")\b", after):
        return None  # "the past two weeks" belongs to the duration rule
    if w in ("current", "recent") and re.match(r"\s+(account|affairs|events)", after):
        return None
    if w == "now" and re.match(r"-?\s*(that|defunct)\b", after):
        return None
    if w == "soon" and (re.match(r"\s+(as|after|before)\b", after)
                        or ctx.text[max(0, m.start() - 3):m.start()].lower() == "as "):
        return None  # "as soon as", "soon after the war": a conjunction, anchored on an event
    if w in ("recent months", "recent weeks", "recent days"):
        # A stretch of time reaching up to publication, of unknown length.
        return make_found(m, "DURATION", duration_value(None, w.split()[1][:-1]))
    start = m.start()
    return Found(start, m.end(), "DATE", _REF_WORDS[w], None, "publication")


# Weeks, months, years relative to publication ----------------------------------------------
@rule(rf"{B}(?P<part>(?:{PRE_PART}|mid-)\s*)?(?P<rel>{RELW})\s+(?P<unit>(?i:week|weekend|month|year|"
      rf"quarter|decade|century)){E}"
      rf"|{B}(?P<part2>(?i:earlier|later|early|late)\s+in\s+the\s+|(?i:the\s+(?:end|beginning|start|middle|"
      rf"rest)\s+of\s+the\s+))(?P<unit2>(?i:week|month|year|decade|century)){E}")
def _relative_unit(m, ctx):
    unit = (m.group("unit") or m.group("unit2")).lower()
    rel = re.sub(r"\s+", " ", (m.group("rel") or "this").lower())
    part = (m.group("part") or m.group("part2") or "")
    part = re.sub(r"\s+in\s+the\s*$|\s+the\s*$", "", part.strip(), flags=re.IGNORECASE)
    mod = mod_of(part)
    n = {"last": -1, "past": -1, "previous": -1, "this past": -1, "next": 1, "coming": 1,
         "following": 1, "this coming": 1}.get(rel, 0)
    the = ctx.text[max(0, m.start() - 4):m.start()].lower() == "the "
    if rel in ("previous", "following") and the and unit in ("day", "week", "month", "year"):
        return None  # "the following year" counts from the text's reference time (below)
    if rel in ("past", "coming") and not m.group("part") and the:
        # "the past year" is a stretch of time, not a calendar year.
        return Found(m.start() - 4, m.end(), "DURATION", duration_value(1, unit), None)
    if rel == "last" and ctx.text[max(0, m.start() - 4):m.start()].lower() == "the " and unit != "decade":
        return Found(m.start() - 4, m.end(), "DURATION", duration_value(1, unit), None)
    if ctx.dct is None:
        ref = {-1: "PAST_REF", 1: "FUTURE_REF"}
        value = unanchored_value(unit) if n == 0 else (ref[n] if unit != "weekend" else unanchored_value(unit))
        return make_found(m, "DATE", value, mod, "none")
    if unit == "weekend":
        base = ctx.dct + dt.timedelta(weeks=n)
        if n == 0 and ctx.direction(m.start(), m.end()) < 0 and ctx.dct.weekday() < 5:
            base = ctx.dct - dt.timedelta(weeks=1)
        return make_found(m, "DATE", cal.week_value(base) + "-WE", mod)
    return make_found(m, "DATE", cal.shift(ctx.dct, unit, n), mod)


@rule(rf"{B}(?P<det>(?i:the)\s+)(?P<w>(?i:weekend|week|month|year)){E}")
def _the_unit(m, ctx):
    w = m.group("w").lower()
    before = ctx.text[max(0, m.start() - 12):m.start()].lower()
    if w == "weekend":
        if ctx.dct is None:
            return make_found(m, "DATE", "XXXX-WXX-WE", anchor="none")
        d = ctx.direction(m.start(), m.end())
        base = ctx.dct + dt.timedelta(weeks=1) if d > 0 and ctx.dct.weekday() < 5 else ctx.dct
        if d < 0 and ctx.dct.weekday() < 5:
            base = ctx.dct - dt.timedelta(weeks=1)
        return make_found(m, "DATE", cal.week_value(base) + "-WE")
    after = ctx.text[m.end():m.end() + 12].lower()
    if re.match(r"\s*(ended|ending|that\s+ended)\b", after):
        # "the year ended Sept. 30": a fiscal stretch of a year ending on the date given.
        return make_found(m, "DURATION", duration_value(1, w))
    if not re.search(r"\b(during|throughout|for|over|in|of)\s+$", before):
        return None
    if re.match(r"\s*(before|after|earlier|ago|of|to|in)\b", after):
        return None
    if re.search(r"\b(throughout|over)\s+$", before):
        return make_found(m, "DURATION", duration_value(1, w))
    if ctx.dct is None:
        return make_found(m, "DATE", unanchored_value(w), anchor="none")
    return make_found(m, "DATE", cal.shift(ctx.dct, w, 0))


# Counted spans: durations and "N units ago" ---------------------------------------------------
@rule(rf"{B}(?P<q>{QUAL}\s+)?(?P<det>(?i:the|its|their)\s+)?(?P<rel>(?i:past|last|next|first|final|coming|"
      rf"previous|following|latest|recent|remaining|initial|same|other)\s+)?(?P<num>{NUM})(?P<more>\s+(?i:more|additional|extra))?"
      rf"(?:\s+(?P<or>(?i:or\s+(?:so|more|two|three|four|five)|and\s+a\s+half)))?"
      rf"\s+(?P<unit>{UNIT})(?P<half>\s+(?i:and\s+a\s+half))?"
      rf"(?:\s+(?P<dir>(?i:ago|earlier|later|before|after|from\s+now|hence|back|since|"
      rf"or\s+so\s+ago|or\s+more)))?{E}")
def _counted(m, ctx):
    numtxt = m.group("num")
    unit = unit_of(m.group("unit"))
    n = parse_number(numtxt)
    if m.group("half") or (m.group("or") or "").lower().startswith("and"):
        n = (n or 0) + 0.5 if n is not None else None
    direction = (m.group("dir") or "").lower()
    direction = re.sub(r"\s+", " ", direction)
    qual = re.sub(r"\s+", " ", (m.group("q") or "").lower()).strip()
    mod = QUALIFIERS.get(qual)
    if qual in ("over", "under") and (m.group("det") or m.group("rel")):
        qual, mod = "just", None  # "over the past two years": a preposition, not a qualifier
    plural = m.group("unit").lower().endswith("s") or unit == "century" and m.group("unit").lower() != "century"
    low = numtxt.lower()
    if low in ("a", "an") and not direction and not m.group("det") and not m.group("rel") and not qual:
        before = ctx.text[max(0, m.start() - 12):m.start()].lower()
        if not re.search(r"\b(for|in|within|over|after|than|during|about|nearly|almost|of|take|took|last|lasted)\s+$", before):
            return None  # "$5 a year", "a day when": not a span of time
    if low in ("some", "many", "few", "several", "a few") and unit in ("second",) :
        return None
    if low == "second" or (low == "one" and unit == "day" and not direction):
        return None
    if re.match(r"[\s-]+(old|of\s+age)\b", ctx.text[m.end():m.end() + 10]):
        return None  # an age ("52 years old") is not a time expression
    if n is not None and n >= 1000 and unit not in ("second", "minute", "hour", "day", "year"):
        return None  # "the 1988 quarter": a year, not 1988 quarters
    if unit == "second" and re.match(r"\s*(quarter|half|[a-z]+\b(?<!or)(?<!and))",
                                     ctx.text[m.end():m.end() + 12], re.IGNORECASE) \
            and not m.group("unit").lower().endswith("s"):
        return None  # "a second time", "the second quarter": an ordinal, not a second
    if direction in ("since", "after", "before"):
        # "twenty years after the war" is anchored on the war: the span is a duration.
        if direction in ("after", "before"):
            return Found(m.start(), m.start("dir"), "DURATION", duration_value(n, unit), mod) \
                if n is not None or plural else None
        direction = ""
    if n is None and not plural:
        return None
    if direction and direction not in ("or more",):
        sign = -1 if direction in ("ago", "earlier", "before", "back", "or so ago") else 1
        if direction == "or so ago":
            mod = "APPROX"
        if ctx.dct is None or n is None:
            return make_found(m, "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod,
                          "none" if ctx.dct is None else "publication")
        steps = int(n) if n == int(n) else n
        if unit in ("hour", "minute", "second", "day"):
            if direction in ("earlier", "later"):
                # "an hour later" counts from an event, not from publication: the span.
                return Found(m.start(), m.start("dir"), "DURATION", duration_value(n, unit), mod)
            if unit != "day":
                # "two hours ago": publication has no clock time here, so its day.
                return make_found(m, "DATE", ctx.dct.isoformat(), mod)
        if unit == "weekend":
            unit = "week"
        if isinstance(steps, float):
            return make_found(m, "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod)
        if unit == "decade":
            return make_found(m, "DATE", cal.shift(ctx.dct, "year", sign * steps * 10), mod)
        if unit == "century":
            return make_found(m, "DATE", cal.shift(ctx.dct, "year", sign * steps * 100), mod)
        if unit == "year" and steps == 1 and _speaks_of_quarters(ctx.text, m.start(), m.end()):
            # Earnings news: "a year ago" is the same quarter of the year before.
            y, mo = cal.add_months(ctx.dct.year, ctx.dct.month, -3)
            return make_found(m, "DATE", f"{y - 1:04d}-Q{cal.quarter_of(mo)}", mod)
        return make_found(m, "DATE", cal.shift(ctx.dct, unit, sign * steps), mod)
    if direction == "or more":
        mod = "EQUAL_OR_MORE"
    start = m.start()
    # A bare span keeps only bounding qualifiers ("more than", "up to"); approximations
    # ("about two weeks") stay outside it as TimeBank marks them, but keep their mod.
    if m.group("q") and (mod is None or qual in ("about", "around", "roughly", "approximately",
                                                  "some", "nearly", "almost", "over", "under")):
        start = m.start("det") if m.group("det") else m.start("rel") if m.group("rel") else m.start("num")
    if m.group("det") and m.group("det").lower().strip() != "the" and not m.group("q"):
        start = m.start("rel") if m.group("rel") else m.start("num")
    return Found(start, m.end(), "DURATION", duration_value(n, unit), mod)


def _speaks_of_quarters(text: str, start: int, end: int) -> bool:
    return bool(re.search(r"(?i)\bquarter", text[max(0, start - 600):end + 150]))


@rule(rf"{B}(?P<num>\d+|(?i:{WORDNUM}|half|one-and-a-half))-(?P<unit>{UNIT1})(?:-(?P<suf>(?i:long|old)))?{E}")
def _adjective_span(m, ctx):
    n = parse_number(m.group("num")) if m.group("num").lower() not in ("half", "one-and-a-half") \
        else {"half": 0.5, "one-and-a-half": 1.5}[m.group("num").lower()]
    if n is None or (m.group("suf") or "").lower() == "old":
        return None  # an age ("6-year-old") is not annotated as a time expression
    return make_found(m, "DURATION", duration_value(n, unit_of(m.group("unit"))))


@rule(rf"{B}(?P<pre>(?i:for|over|in|within|during|after|of|from|take|took|last|lasted|spent|"
      rf"than)\s+)(?P<q>(?i:(?:many|several|a\s+few|few|some)\s+))?(?P<unit>(?i:seconds|minutes|hours|days|"
      rf"weeks|months|years|decades|centuries)){E}(?!\s+(?:ago|of|later|earlier|before))"
      rf"|{B}(?P<unit2>(?i:decades|centuries|years|months|weeks))(?=-(?:old|long))")
def _vague_span(m, ctx):
    unit = unit_of(m.group("unit") or m.group("unit2"))
    start = m.start("q") if m.group("q") else m.start("unit") if m.group("unit") else m.start()
    value = "PXDE" if unit == "decade" else "PXCE" if unit == "century" else duration_value(None, unit)
    return Found(start, m.end(), "DURATION", value)


# Sets ---------------------------------------------------------------------------------------
@rule(rf"{B}(?P<w>(?i:daily|weekly|monthly|annually|yearly|quarterly|nightly|hourly|biweekly)){E}"
      rf"|{B}(?P<every>(?i:every|each))\s+(?P<n>(?i:other|two|three|four|five|few)\s+)?"
      rf"(?P<unit>(?i:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|morning|night|evening|"
      rf"weekend|summer|winter|spring|fall|autumn)|{WEEKDAY}|{MONTH}){E}"
      rf"|{B}(?P<wds>{WEEKDAY})(?:s(?:\s+(?P<wdpart>(?i:morning|afternoon|evening|night))s?)?|"
      rf"\s+(?P<wdpart2>(?i:morning|afternoon|evening|night))s){E}"
      rf"|{B}(?P<freq>(?i:once|twice|(?:\d+|{WORDNUM})\s+times))\s+(?P<per>(?i:a|an|per|each|every))\s+"
      rf"(?P<unit3>(?i:second|minute|hour|day|week|month|year|decade)){E}")
def _set(m, ctx):
    if m.group("w"):
        w = m.group("w").lower()
        value = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W",
                 "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y", "quarterly": "P3M",
                 "hourly": "PT1H"}[w]
        if w in ("weekly", "monthly", "yearly", "quarterly"):
            after = ctx.text[m.end():m.end() + 15]
            if re.match(r"\s+[a-z]", after) and not re.match(r"\s+(basis|and|or|in|to|by|at|for)\b", after):
                return None  # "a quarterly dividend": a kind of payment, not an expression of time
        return make_found(m, "SET", value)
    if m.group("wds"):
        # "on Tuesdays", "Tuesday nights": every such day.
        part = (m.group("wdpart") or m.group("wdpart2") or "").lower()
        wd = WEEKDAYS[m.group("wds").lower()]
        return make_found(m, "SET", f"XXXX-WXX-{wd + 1}" + (f"T{PART_OF_DAY[part]}" if part else ""))
    if m.group("every"):
        u = m.group("unit")
        if u.lower() in WEEKDAYS:
            return make_found(m, "SET", f"XXXX-WXX-{WEEKDAYS[u.lower()] + 1}")
        if u.lower().rstrip(".") in MONTHS:
            return make_found(m, "SET", f"XXXX-{MONTHS[u.lower().rstrip('.')]:02d}")
        ul = u.lower()
        if ul in ("morning", "night", "evening"):
            return make_found(m, "SET", f"T{PART_OF_DAY[ul]}")
        if ul in SEASONS:
            return make_found(m, "SET", f"XXXX-{SEASONS[ul]}")
        nword = (m.group("n") or "").strip().lower()
        k = 2 if nword == "other" else (parse_number(nword) if nword else 1)
        return make_found(m, "SET", duration_value(k, unit_of(u)))
    return make_found(m, "SET", duration_value(1, m.group("unit3").lower()))


# Numeric dates ------------------------------------------------------------------------------
@rule(rf"(?<![\w./-])(?P<y>{YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\w/-])"
      rf"|(?<![\w./-])(?P<a>[0-3]?\d)(?P<sep>/)(?P<b>[01]?\d)/(?P<c>\d{{4}}|\d\d)(?![\w/]|\.\d)"
      # Day.month.year, also between the slashes of a dateline ("Washington/22.06.23/Turan").
      rf"|(?<![\w.-])(?P<a2>[0-3]?\d)\.(?P<b2>[01]?\d)\.(?P<c2>\d{{4}}|\d\d)(?![\w]|\.\d)")
def _numeric(m, ctx):
    if m.group("y"):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    else:
        if m.group("a"):
            # Slashes are American month/day, dots European day.month.
            a, b, c = int(m.group("a")), int(m.group("b")), m.group("c")
            mo, d = a, b
        else:
            a, b, c = int(m.group("a2")), int(m.group("b2")), m.group("c2")
            mo, d = b, a
        # A two-digit year needs a publication date to pick its century; none, no guess.
        y = int(c) if len(c) == 4 else two_digit_year(int(c), ctx.dct)
        if y is None:
            return None
    if not cal.valid_date(y, mo, d):
        return None
    return make_found(m, "DATE", f"{y:04d}-{mo:02d}-{d:02d}", anchor="explicit")
