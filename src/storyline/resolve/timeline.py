"""The timeline: events reported by several articles merged into one sourced entry each.

Two event mentions are the same event when they belong to the same story (or neither has one),
they do not name different places, their dates are compatible (equal; one a coarser value containing the other, 2022-11 and
2022-11-07; or a day apart when one of them only carries its article's publication date,
as "said on Tuesday" reports of Monday's talks do), and
* they have the same PLOVER type and share a participant (actor or recipient entity) or a
  location, or
* they have the same type, story and explicit date (two papers' "in September, 280 were
  killed"), or
* they are both diplomatic (CONSULT, AGREE, SUPPORT, COOPERATE: a meeting is reported as
  "held talks" by one paper and "agreed to …" by another), at least one carries an explicit
  date, and they share a participant or location.
Merging is transitive (union-find over every compatible pair) and runs on the mentions sorted
by article and offset, so the result does not depend on input order.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import cast

from storyline.lexicon import plover
from storyline.model import EventMention, Span, TimelineEntry, stable_id
from storyline.timeml import date_key, day_of, same_value
from storyline.unionfind import UnionFind

DIPLOMATIC = {"CONSULT", "AGREE", "SUPPORT", "COOPERATE"}
MAX_SUMMARY = 280
# A photo caption ("Blinken (center) meets with …") reads worse than a report's own sentence.
CAPTION = re.compile(r"\((?:left|right|center|centre|top|bottom|pictured)\)", re.IGNORECASE)

EntityOf = dict[tuple[str, int, int], str | None] | Callable[[str, int, int], str | None]


def dates_compatible(a: EventMention, b: EventMention) -> bool:
    if not a.date or not b.date:
        return not a.date and not b.date
    if same_value(a.date, b.date):
        return True
    da, db = day_of(a.date), day_of(b.date)
    if da and db:
        # an undated sentence in a next-day report may be about yesterday's event
        return bool((a.date_text is None or b.date_text is None) and abs((da - db).days) <= 1)
    return _coarser_form(a.date, b.date)


def _coarser_form(x: str, y: str) -> bool:
    """One date a year or a month that the other falls in ("2022-11" and "2022-11-07")."""
    shorter, longer = sorted((x, y), key=len)
    return bool(re.match(r"^\d{4}(-\d{2})?$", shorter)) and longer.startswith(shorter)


def _explicit_dates_agree(x: str, y: str) -> bool:
    """Two dates the text gives can be one event's: equal (an unknown digit matching any), or
    one a coarser form of the other ("2022-11" and "2022-11-07", "199X" and "1991")."""
    return same_value(x, y) or _coarser_form(x, y)


class _Events(UnionFind):
    """Event mentions joined into events, where a join never puts two dates the texts give
    that disagree into one event: pairs are compared one at a time, so "accused in the early
    90s" could otherwise chain "accused them in 1991" and "convicted in 1992" into one."""

    def __init__(self, ordered: list[EventMention]):
        super().__init__(range(len(ordered)))
        self.dates = {i: {e.date} if e.date and e.date_text else set()
                      for i, e in enumerate(ordered)}

    def union(self, a, b) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or not all(_explicit_dates_agree(x, y)
                               for x in self.dates[ra] for y in self.dates[rb]):
            return False
        super().union(ra, rb)
        self.dates[min(ra, rb)] = self.dates.pop(max(ra, rb)) | self.dates[min(ra, rb)]
        return True


def _norm(name: str) -> str:
    name = re.sub(r"^(the|a|an)\s+", "", name.strip().lower())
    return re.sub(r"['’]s$", "", name)


Resolve = Callable[[str, int, str | None, str], str | None]


def _resolver(entity_of: EntityOf | None) -> Resolve:
    """(article_id, sentence start, sentence text, name) -> entity id or None."""
    if entity_of is None:
        return lambda aid, start, sentence, name: None
    if callable(entity_of) and not isinstance(entity_of, dict):
        by_article: dict[str, list[tuple[int, int, str]]] | None = None
    else:
        by_article = defaultdict(list)
        for (aid, s, e), eid in entity_of.items():
            if eid:
                by_article[aid].append((s, e, eid))
        for found in by_article.values():
            found.sort()  # once: each sentence's mentions are then one binary search away

    def resolve(aid: str, start: int, sentence: str | None, name: str) -> str | None:
        if not sentence or not name:
            return None
        spans = []
        pos = sentence.find(name)
        while pos >= 0:
            spans.append((start + pos, start + pos + len(name)))
            pos = sentence.find(name, pos + 1)
        if by_article is None:
            for s, e in spans:
                eid = cast(Callable[[str, int, int], str | None], entity_of)(aid, s, e)
                if eid:
                    return eid
            return None
        end = start + len(sentence)
        found = by_article.get(aid, [])
        for ms, me, eid in found[bisect.bisect_left(found, (start,)):]:
            if ms >= end:
                break
            if me > end:
                continue
            for s, e in spans:
                if ms >= s and me <= e:  # the name contains the mention ("the U.S. State Department")
                    return eid
        return None

    return resolve


def _participant(resolve: Resolve, m: EventMention, name: str, named_only: bool) -> str | None:
    """The entity id a participant's phrase resolves to; with entities given, a phrase that names
    none ("The two sides", "It", "more than 6,500 lives") is no participant, else the phrase."""
    found = resolve(m.article_id, m.start, m.sentence, name)
    return found if found or named_only else name


def _participants(ev: EventMention, resolve: Resolve) -> tuple[list[str], list[str]]:
    actors = [resolve(ev.article_id, ev.start, ev.sentence, n) or _norm(n) for n in ev.actors]
    recips = [resolve(ev.article_id, ev.start, ev.sentence, n) or _norm(n) for n in ev.recipients]
    return actors, recips


def _same_event(a, b) -> bool:
    (ea, sa, pa, la), (eb, sb, pb, lb) = a, b
    if sa != sb or ea.article_id == eb.article_id and ea.start == eb.start:
        return False
    if not dates_compatible(ea, eb):
        return False
    if la is not None and lb is not None and la != lb:
        return False  # Geneva talks are not the Sochi summit
    if ea.type == eb.type and sa is not None and ea.date and same_value(ea.date, eb.date) \
            and ea.date_text is not None and eb.date_text is not None:
        return True  # "In September, 286 killed" / "In September, 280 killed in new clashes"
    if ea.article_id == eb.article_id and ea.type in DIPLOMATIC and eb.type in DIPLOMATIC \
            and ea.date and day_of(ea.date) and same_value(ea.date, eb.date):
        return True  # one report's "held talks", "hosted the ministers", "met with …"
    shared = bool(pa & pb) or (la is not None and la == lb)
    if not shared:
        return False
    if ea.type == eb.type:
        return True
    return ea.type in DIPLOMATIC and eb.type in DIPLOMATIC and bool(ea.date) and \
        (ea.date_text is not None or eb.date_text is not None)


def _by_story(feats, indices) -> list[list[int]]:
    """The indices grouped by story (a feature's second field), each group in input order."""
    blocks: dict = defaultdict(list)
    for i in indices:
        blocks[feats[i][1]].append(i)
    return list(blocks.values())


def _cluster(feats, idx: list[int]):
    """A merged group seen as one mention: its best date, its main type, every participant,
    its place (None when its reports disagree on the place)."""
    members = [feats[i][0] for i in idx]
    explicit = [m for m in members if m.date and m.date_text]
    pool = explicit or [m for m in members if m.date]
    best = min(pool, key=lambda m: (m.date.count("X"), -len(m.date), m.article_id, m.start)) \
        if pool else members[0]
    types = Counter(m.type for m in members)
    type_ = min(types, key=lambda t: (-types[t], t))
    places = {feats[i][3] for i in idx if feats[i][3]}
    rep = EventMention(best.article_id, best.start, best.end, type_, date=best.date,
                       date_text=best.date_text)
    participants = set().union(*(feats[i][2] for i in idx))
    return (rep, feats[idx[0]][1], participants, next(iter(places)) if len(places) == 1 else None)


def _summary(members: list[EventMention], type_: str) -> str:
    """The clearest source sentence: of the entry's type, dated and placed, then shortest."""
    def rank(ev: EventMention):
        text = (ev.sentence or "").strip()
        return (ev.type != type_, CAPTION.search(text) is not None, ev.date_text is None,
                ev.location is None,
                len(text) > MAX_SUMMARY, text.startswith(('"', "“")), len(text),
                ev.article_id, ev.start)

    best = min(members, key=rank)
    text = " ".join((best.sentence or "").split())
    if len(text) > MAX_SUMMARY:
        cut = text[:MAX_SUMMARY].rsplit(" ", 1)[0]
        text = cut.rstrip(",;:") + "…"
    return text


def _best_date(dates: list[str]) -> str | None:
    """The most complete value (no unknown digits, finest granularity), then the most cited."""
    if not dates:
        return None
    counts = Counter(dates)
    return min(counts, key=lambda d: (d.count("X"), -len(d), -counts[d], d))


def _most_common(values: list, order=None):
    values = [v for v in values if v]
    if not values:
        return None
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], order(v) if order else 0, str(v)))


def with_story_year(event: EventMention, story_date: str | None) -> EventMention:
    """An undated report's "disappeared on March 8" dated in the year that puts it nearest
    its story's latest dated report (2014-03-28 → 2014-03-08); weekdays stay as they are, as
    the report's own day is unknown."""
    value = event.date or ""
    if not story_date or not re.fullmatch(r"XXXX-\d{2}(?:-\d{2})?", value):
        return event
    anchor = dt.date.fromisoformat(story_date)
    month, day = int(value[5:7]), int(value[8:10]) if len(value) > 7 else 15
    best = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            gap = abs((dt.date(year, month, day) - anchor).days)
        except ValueError:  # 29 February of a common year
            continue
        if best is None or gap < best[0]:
            best = (gap, year)
    if best is None:
        return event
    return dataclasses.replace(event, date=f"{best[1]}{value[4:]}")


def build_timeline(events: list[EventMention], entity_of: EntityOf | None = None,
                   story_of: dict[str, str] | None = None,
                   story_dates: dict[str, str] | None = None) -> list[TimelineEntry]:
    """Merge event mentions into timeline entries, sorted by date.

    ``entity_of`` maps (article_id, mention start, mention end) to an entity id, or is a
    callable ``(article_id, start, end) -> entity id | None``; an actor name found in the
    event's sentence that contains a known mention takes that mention's entity id, other
    names stay surface names. ``story_of`` maps article ids to story ids, ``story_dates``
    story ids to their latest publication date (see :func:`with_story_year`).
    """
    story_of = story_of or {}
    if story_dates:
        events = [with_story_year(e, story_dates.get(story_of.get(e.article_id, ""))) for e in events]
    resolve = _resolver(entity_of)
    named_only = entity_of is not None  # with entities, participants are entity ids only
    ordered = sorted(events, key=lambda e: (e.article_id, e.start, e.end, e.type,
                                            e.trigger or ""))
    feats = []
    for ev in ordered:
        actors, recips = _participants(ev, resolve)
        loc = _norm(ev.location) if ev.location else None
        feats.append((ev, story_of.get(ev.article_id), set(actors) | set(recips), loc))

    sets = _Events(ordered)
    find = sets.find
    # Mentions of different stories are never one event (see _same_event): pairs are formed
    # within a story only, so the cost follows the size of stories, not of the corpus.
    for idx in _by_story(feats, range(len(feats))):
        for n, i in enumerate(idx):
            for j in idx[n + 1:]:
                if _same_event(feats[i], feats[j]):
                    sets.union(i, j)

    # Second pass, cluster against cluster: a merged event knows more (an explicit date from
    # one report, the place from another, all participants) than any of its mentions.
    x: int | str
    changed = True
    while changed:
        changed = False
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(ordered)):
            groups[find(i)].append(i)
        summaries = sorted((root, _cluster(feats, idx)) for root, idx in groups.items())
        for block in _by_story([c for _, c in summaries], range(len(summaries))):
            for n, x in enumerate(block):
                for y in block[n + 1:]:
                    (ra, ca), (rb, cb) = summaries[x], summaries[y]
                    if find(ra) != find(rb) and _same_event(ca, cb) and sets.union(ra, rb):
                        changed = True  # (a join refused for its dates changes nothing)
    groups = defaultdict(list)
    for i in range(len(ordered)):
        groups[find(i)].append(i)

    type_rank = {t: k for k, t in enumerate(("CONSULT",) + plover.TYPES)}
    entries = []
    for idx in groups.values():
        members = [ordered[i] for i in idx]
        type_ = _most_common([m.type for m in members], lambda t: type_rank.get(t, 99))
        explicit = [m.date for m in members if m.date and m.date_text]
        dates = explicit or [m.date for m in members if m.date]
        date = _best_date(dates)
        actor_counts: Counter = Counter()
        recip_counts: Counter = Counter()
        first_seen: dict[str, int] = {}
        for k, m in enumerate(members):
            a_ids = [p for n in m.actors if (p := _participant(resolve, m, n, named_only))]
            r_ids = [p for n in m.recipients if (p := _participant(resolve, m, n, named_only))]
            for x in a_ids:
                actor_counts[x] += 1
                first_seen.setdefault(x, k)
            for x in r_ids:
                recip_counts[x] += 1
                first_seen.setdefault(x, k)
        actors = sorted(actor_counts, key=lambda x: (-actor_counts[x], first_seen[x], x))
        recipients = sorted((r for r in recip_counts if r not in actor_counts),
                            key=lambda x: (-recip_counts[x], first_seen[x], x))
        location = _most_common([m.location for m in members])
        story = _most_common([story_of.get(m.article_id) for m in members])
        sources = []
        seen = set()
        for m in members:
            key = (m.article_id, m.start, m.end)
            if key not in seen:
                seen.add(key)
                sources.append(Span(m.article_id, m.start, m.end))
        entries.append(TimelineEntry(
            id=stable_id("tl", story, date, type_,
                         *(f"{s.article_id}:{s.start}:{s.end}" for s in sources)),
            date=date, type=type_, summary=_summary(members, type_), actors=actors,
            recipients=recipients, location=location, story_id=story, sources=sources,
        ))
    entries.sort(key=lambda e: (date_key(e.date), e.story_id or "", e.sources[0].article_id,
                                e.sources[0].start, e.id))
    return entries
