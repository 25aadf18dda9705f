"""Publication dates from an article's own text and from its story.

Two sources a bare text has: a dateline at its head ("Washington D.C./22.06.23/Turan:"), and
the calendar. News names days of the current week by weekday ("held talks on Monday", "said
Tuesday") and older days by date ("in Washington on November 7"). When one article's weekday
event is another's dated event (their sentences share their actors and places), the weekday
fixes the year: 7 November fell on a Monday in 2016, 2022 and 2033, and of those only 2022
lies between the latest year the story mentions as past and today. The article is then dated
to the latest day it names within that week. Anything less certain is left undated: a
"latest news" sidebar or a scrape date is never a publication date.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections import Counter
from typing import Any

from storyline import dedup
from storyline.annotate.timex import find_timexes
from storyline.annotate.timex.tense import text_direction
from storyline.lexicon.calendar import MONTH_ABBREVIATIONS as _MONTHS
from storyline.lexicon.calendar import WEEKDAY_NAMES
from storyline.model import Annotations, Article, Published, Story, Timex

log = logging.getLogger(__name__)

_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d.]\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_WORDY = re.compile(
    r"\b(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?:(\d{1,2})\s+([A-Z][a-z]{2,8}\.?),?\s+(\d{4})|"
    r"([A-Z][a-z]{2,8}\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))\b")
_STOP = frozenset(re.findall(r"\w+",
    "the a an and or of to in on at for by with from that this these those was were is are be "
    "been has have had it its their his her they he she we you our said says told would will "
    "could about after before into over than then there which who whom what when where while "
    "also more most other such some any not but as up out new one two all can may per"))


def _latest_allowed(today: dt.date | None) -> dt.date:
    # A dateline a few days ahead of the clock is a time zone; further ahead is no date.
    return (today or dt.date.today()) + dt.timedelta(days=2)


def _century(yy: int, today: dt.date | None) -> int:
    """A two-digit year in a dateline: the latest such year not after next year."""
    now = (today or dt.date.today()).year
    year = now // 100 * 100 + yy
    return year - 100 if year > now + 1 else year


def _make(y: int, m: int, d: int, today: dt.date | None) -> str | None:
    try:
        day = dt.date(y, m, d)
    except ValueError:
        return None  # 31 February: no date rather than a wrong one
    if day > _latest_allowed(today) or y < 1800:
        return None
    return day.isoformat()


def parse_dateline_date(s: str, today: dt.date | None = None) -> str | None:
    """The date in a dateline or date string as YYYY-MM-DD, else None. Numeric dates with
    dots or dashes are day-first (22.06.23 → 2023-06-22), with slashes month-first unless the
    first number cannot be a month; impossible and far-future dates give None."""
    day: int | str
    month: int | None
    year: int | str
    if not s:
        return None
    m = _ISO.search(s)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), today)
    m = _NUMERIC.search(s)
    if m:
        a, sep, b, c = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
        year = int(c) if len(c) == 4 else _century(int(c), today)
        day, month = (a, b) if sep != "/" or a > 12 else (b, a)
        return _make(year, month, day, today)
    m = _WORDY.search(s)
    if m:
        if m.group(1):
            day, mon, year = m.group(1), m.group(2), m.group(3)
        else:
            mon, day, year = m.group(4), m.group(5), m.group(6)
        month = _MONTHS.get(mon.lower().rstrip(".")[:3])
        if month:
            return _make(int(year), month, int(day), today)
    m = re.search(r"(?<!\d)(\d{1,2})\.([A-Z][a-z]{2})[a-z]*\.(\d{4})(?!\d)", s)  # 09.Jan.2026
    if m and m.group(2).lower() in _MONTHS:
        return _make(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)), today)
    return None


def dateline_date(text: str, today: dt.date | None = None) -> str | None:
    """A date in the article's opening lines (title, dateline), not in a sidebar below."""
    head = text[:400]
    for line in head.splitlines()[:4]:
        if re.search(r"/\s*\d{1,2}\.\d{1,2}\.\d{2,4}\s*/|^\s*\(?\d{1,2}[./]\d{1,2}[./]\d{2,4}", line) or \
                re.match(r"^[A-Z][A-Za-z .,'-]{1,40}[,(—–-]+\s*\w*\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4})", line):
            found = parse_dateline_date(line, today)
            if found:
                return found
    return None


# Evidence of a publication date this module inferred rather than read.
CAPTION_WEEKDAY = "lead weekday after caption date"
INFERRED = frozenset({"story", CAPTION_WEEKDAY})

# The lead: where a report says when its news happened ("An air search resumed on Friday").
LEAD_CHARS = 1200
_WEEKDAY_WORD = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_YEAR_WORD = re.compile(r"(?<![\d.,])(1[89]\d\d|20\d\d)(?![\d.,]\d)")


def caption_weekday_date(text: str, removed: list[str],
                         today: dt.date | None = None) -> str | None:
    """The date of a report whose lead names its news by weekday ("resumed on Friday", "top
    officials said on Wednesday"), fixed by the date of the photos it carried ("in this March
    24, 2014 handout photo", "... in Paris, April 22, 2015"): a photo is taken on the day of the
    report or shortly before, so the lead's weekday is the first such day on or after the
    latest caption date, within the week. A file photo older than a year the text names ("in
    this Feb. 11, 2007 photo" in a 2016 story) dates nothing, nor does a weekday outside the
    lead (a weekday deep in the text may be another week's)."""
    stamps = []
    for line in removed:
        for m in _WORDY.finditer(line):
            found = parse_dateline_date(m.group(0), today)
            if found:
                stamps.append(dt.date.fromisoformat(found))
    weekday = _WEEKDAY_WORD.search(text[:LEAD_CHARS])
    if not stamps or weekday is None:
        return None
    anchor = max(stamps)
    years = [int(y) for y in _YEAR_WORD.findall(text)]
    if years and anchor.year < max(y for y in years if y <= (today or dt.date.today()).year):
        return None
    wd = WEEKDAY_NAMES.index(weekday.group(1).lower())
    day = anchor + dt.timedelta(days=(wd - anchor.weekday()) % 7)
    return day.isoformat() if day <= _latest_allowed(today) else None


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return left + 1, right



def _bag(sentence: str) -> Counter:
    words = re.findall(r"[A-Za-z][A-Za-z'-]{2,}", sentence)
    out: Counter[str] = Counter()
    for w in words:
        lw = w.lower().removesuffix("'s")
        if lw in _STOP or lw in WEEKDAY_NAMES or lw[:3] in _MONTHS:
            continue
        out[lw[:6]] += 1  # a crude stem: Armenia/Armenian, meet/meeting
    return out


def _similarity(a: Counter, b: Counter) -> float:
    shared = sum(min(a[k], b[k]) for k in a if k in b)
    if shared < 2:
        return 0.0  # one word in common ("talks") does not make two sentences one event
    return shared / math.sqrt(sum(a.values()) * sum(b.values())) if a and b else 0.0


def _past_years(article: dict) -> list[int]:
    years = []
    for t in article.get("timexes") or []:
        if re.fullmatch(r"\d{4}", t.value or "") and t.type == "DATE" \
                and text_direction(article["text"], t.start, t.end) < 0:
            years.append(int(t.value))
    return years


# Time expressions of a text read against a publication date (None: unanchored), kept for the
# rounds of one build: dating stories re-reads the same texts each round.
TimexCache = dict[tuple[str, str | None], list[Timex]]


def _timexes(cache: TimexCache, text: str, dct: str | None) -> list[Timex]:
    key = (text, dct)
    if key not in cache:
        cache[key] = find_timexes(text, dct, None)
    return cache[key]


def infer_publication_dates(articles: list[dict], today: dt.date | None = None,
                            cache: TimexCache | None = None) -> dict[str, Published]:
    """Publication dates for the articles of one story that have none (``published`` None),
    from their dateline, a dated duplicate, or the story's calendar. Each dict has
    article_id, text, published (YYYY-MM-DD or None) and timexes (found with dct=None), and
    may have title (a headline often carries the day: "..., the State Department said Tuesday").
    Returns only the articles it could date with confidence."""
    today = today or dt.date.today()
    out: dict[str, Published] = {}
    # Only a date the text or its metadata states anchors others: a date that was itself
    # inferred (from the story, or a lead weekday) would pass its uncertainty on.
    dated = {a["article_id"]: a["published"] for a in articles
             if a.get("published") and a.get("evidence") not in INFERRED}
    for a in articles:
        if a.get("published"):
            continue
        found = dateline_date(a.get("text") or "", today)
        if found:
            out[a["article_id"]] = Published(found, "dateline")
            continue
        found = caption_weekday_date(a.get("text") or "", a.get("removed") or [], today)
        if found:
            out[a["article_id"]] = Published(found, CAPTION_WEEKDAY)
    # A duplicate (the same report republished) shares its original's date.
    shingles = {a["article_id"]: dedup.shingles(a.get("text") or "") for a in articles}
    for a in articles:
        aid = a["article_id"]
        if a.get("published") or aid in out:
            continue
        best = None
        for other in articles:
            oid = other["article_id"]
            date = dated.get(oid) or (out[oid].value if oid in out and out[oid].evidence != "duplicate" else None)
            if oid == aid or not date:
                continue
            if dedup.containment(shingles[aid], shingles[oid]) >= 0.6:
                best = date
        if best:
            out[aid] = Published(best, "duplicate")
    story = _story_dates(articles, dated, today, cache if cache is not None else {})
    for aid, value in story.items():
        if aid not in out and aid not in dated:
            out[aid] = Published(value, "story")
    return out


def _story_dates(articles: list[dict], dated: dict[str, str], today: dt.date,
                 cache: TimexCache) -> dict[str, str]:
    """Date undated articles that name days by weekday, through the story's dated events."""
    # Each sentence's words are counted once, and a mention is kept as (what it names, which
    # sentence) with how often it occurs: an article that names a thousand days in one sentence
    # is then a few distinct pairs to weigh, not a million.
    bags: list[Counter] = []
    bag_ids: dict[tuple[int, int, int], int] = {}

    def bag_at(src: str, start: int, end: int) -> int:
        left, right = _sentence_bounds(src, start, end)
        key = (id(src), left, right)
        if key not in bag_ids:
            bag_ids[key] = len(bags)
            bags.append(_bag(src[left:right]))
        return bag_ids[key]

    anchors: Counter = Counter()  # (day the story dates, its sentence's bag id)
    undated_md: Counter = Counter()  # (month, day, bag id) of "November 7" without a year
    weekday_mentions: dict[str, Counter] = {}  # article -> (weekday, bag id)
    own_md: dict[str, list[tuple[int, int]]] = {}  # each undated article's own month-days
    past_years: list[int] = []
    for a in articles:
        text = a.get("text") or ""
        timexes = a.get("timexes")
        if timexes is None:
            timexes = _timexes(cache, text, None)
            a = {**a, "timexes": timexes}
        past_years += _past_years(a)
        if a["article_id"] in dated:
            for t in _timexes(cache, text, dated[a["article_id"]]):
                if t.type == "DATE" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", t.value):
                    anchors[dt.date.fromisoformat(t.value), bag_at(text, t.start, t.end)] += 1
            continue
        # A headline's weekday counts as much as the body's ("..., the State Department
        # said Tuesday"), so a title given under "title" is read as a first sentence.
        title = a.get("title") or ""
        sources = [(text, timexes)]
        if title:
            sources.append((title, _timexes(cache, title, None)))
        for src, found in sources:
            for t in found:
                m = re.fullmatch(r"XXXX-(\d{2})-(\d{2})", t.value or "")
                if m and t.anchor == "none" and re.search(r"[A-Za-z]", t.text):
                    undated_md[int(m.group(1)), int(m.group(2)), bag_at(src, t.start, t.end)] += 1
                    if src is text:
                        own_md.setdefault(a["article_id"], []).append(
                            (int(m.group(1)), int(m.group(2))))
                m = re.fullmatch(r"XXXX-WXX-(\d)(T\w+)?", t.value or "")
                bare = re.sub(r"\s+(morning|afternoon|evening|night)$", "", t.text.lower())
                if m and bare in WEEKDAY_NAMES:
                    weekday_mentions.setdefault(a["article_id"], Counter())[
                        int(m.group(1)) - 1, bag_at(src, t.start, t.end)] += 1
    # Years for the undated month-days: weekday links vote, within [latest past year, today].
    if undated_md and weekday_mentions:
        low = max(past_years) if past_years else today.year - 30
        votes: Any = Counter()  # float weights, which typeshed's Counter (int counts) rejects
        for (month, day, bag), n in undated_md.items():
            for mentions in weekday_mentions.values():
                for (wd, wbag), k in mentions.items():
                    weight = _similarity(bags[bag], bags[wbag]) * n * k
                    if weight <= 0:
                        continue
                    for year in range(low, today.year + 1):
                        try:
                            d = dt.date(year, month, day)
                        except ValueError:
                            continue
                        if d <= today and d.weekday() == wd:
                            votes[year] += weight
        ranked = votes.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] >= 1.5 * ranked[1][1]):
            year = ranked[0][0]
            for month, day, bag in undated_md:
                try:
                    anchors[dt.date(year, month, day), bag] += 1
                except ValueError:
                    continue
    out: dict[str, str] = {}
    for aid, mentions in weekday_mentions.items():
        # The article's event: the dated day its weekday sentences resemble most.
        best, best_weight = None, 0.0
        for wd, wbag in mentions:
            for day, bag in anchors:
                if day.weekday() != wd:
                    continue
                weight = _similarity(bags[wbag], bags[bag])
                if weight > best_weight:
                    best, best_weight = day, weight
        if best is None or best_weight < 0.1:
            continue
        # Weekday names speak of the reporting week: each is the first such day from the
        # event on, and the article was written on the latest of them.
        latest = max(best + dt.timedelta(days=(wd - best.weekday()) % 7) for wd, _ in mentions)
        if latest <= today:
            out[aid] = latest.isoformat()
    # A report the story's weekdays dated in this pass anchors month-days too: its day comes
    # from a stated date in one step. Dates inferred in an earlier pass do not (see ``dated``).
    out.update(_month_day_dates(own_md, {**dated, **out}, out, today))
    return out


# How far from a dated report of the story a month-day may lie to take that report's year.
_MONTH_DAY_REACH = 30


def _month_day_dates(own_md: dict[str, list[tuple[int, int]]], dated: dict[str, str],
                     done: dict[str, str], today: dt.date) -> dict[str, str]:
    """Date undated articles that name days by month and day only ("on November 7", "the
    November 8 briefing"): each day takes the year that puts it nearest a dated report of the
    story (within ``_MONTH_DAY_REACH`` days), and the article was written on or after the
    latest day it names."""
    published = []
    for value in dated.values():
        try:
            published.append(dt.date.fromisoformat(value[:10]))
        except ValueError:
            continue
    out: dict[str, str] = {}
    for aid, month_days in own_md.items():
        if aid in done or aid in dated or not published:
            continue
        resolved = []
        for month, day in month_days:
            best: tuple[int, dt.date] | None = None
            for p in published:
                for year in (p.year - 1, p.year, p.year + 1):
                    try:
                        d = dt.date(year, month, day)
                    except ValueError:
                        continue
                    gap = abs((d - p).days)
                    if gap <= _MONTH_DAY_REACH and (best is None or gap < best[0]):
                        best = (gap, d)
            if best is not None:
                resolved.append(best[1])
        if resolved and max(resolved) <= today:
            out[aid] = max(resolved).isoformat()
    return out


def date_from_stories(stories: list[Story], articles: dict[str, Article],
                      annotations: dict[str, Annotations],
                      cache: TimexCache | None = None) -> bool:
    """Date undated articles from their story (seed 003: "on Monday" of the Nov 7 meeting).
    Sets ``article.published`` in place; True when any article got a date."""
    changed = False
    for story in stories:
        members = [articles[a] for a in story.article_ids if a in articles]
        if all(m.published.value for m in members):
            continue
        rows = []
        for m in members:
            rows.append({"article_id": m.id, "text": m.text, "title": m.title,
                         "published": m.published.value, "evidence": m.published.evidence,
                         "removed": m.removed,
                         "timexes": _undated_timexes(m, annotations[m.id], cache)})
        try:
            found = infer_publication_dates(rows, cache=cache)
        except Exception:  # inference is best effort; the date stays unknown
            log.exception("date inference failed for story %s", story.id)
            continue
        for article_id, published in found.items():
            article = articles.get(article_id)
            if article and not article.published.value and published and published.value:
                article.published = Published(published.value, published.evidence or "story")
                changed = True
    return changed


def _undated_timexes(article: Article, ann: Annotations,
                     cache: TimexCache | None) -> list[Timex]:
    """The article's time expressions read without a publication date (unanchored values)."""
    try:
        return _timexes(cache if cache is not None else {}, article.text, None)
    except Exception as exc:  # noted on the article like a failed annotator
        log.exception("stage timex failed on %s", article.id)
        ann.notes.append(f"timex failed: {type(exc).__name__}: {exc}")
        return []
