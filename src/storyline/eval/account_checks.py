"""The checks of the end-to-end account scorer, one function per gold section.

Each check function takes the :class:`Export` view and its gold items and returns
:class:`Check` results; :mod:`storyline.eval.account` builds the corpus, runs them and prints the
failures. The rules are those of ``shared/data/account/README.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
                         "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "″": '"'})
# A speaker must be someone: never a bare pronoun, nor a definite description left unresolved.
_PRONOUNS = frozenset(["he", "she", "i", "they", "we", "it", "you", "him", "her", "them", "us", "me", "who", "one", "someone"])
_DEFINITE = re.compile(r"^(?:the|this|that|these|those|his|her|their|its)\s+\S+$")


def norm(text: str | None) -> str:
    """Case-folded NFKC text with curly quotes folded to straight ones and white space collapsed."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    return " ".join(text.split()).casefold()


@dataclass
class Check:
    section: str
    passed: bool
    detail: str
    optional: bool = False


class Export:
    """The export with the look-ups the checks need: articles by file stem, copies, holders."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.articles = {a["id"]: a for a in data.get("articles", [])}
        self.by_stem: dict[str, dict] = {}
        for a in data.get("articles", []):
            stem = Path(str(a.get("origin") or "")).name.split(".")[0]
            self.by_stem.setdefault(stem, a)
        self.copies: dict[str, set[str]] = defaultdict(set)  # canonical id -> itself and copies
        for a in data.get("articles", []):
            root = a.get("duplicate_of") or a["id"]
            self.copies[root].add(a["id"])
            self.copies[a["id"]].add(root)
        self.entities = data.get("entities", [])
        self.entity_by_id = {e["id"]: e for e in self.entities}

    def ids_of(self, stems: list[str]) -> set[str]:
        """The article ids of ``stems`` with every copy of them."""
        out: set[str] = set()
        for stem in stems:
            a = self.by_stem.get(stem)
            if a:
                root = a.get("duplicate_of") or a["id"]
                out |= {a["id"], root} | self.copies[root]
        return out

    def text_of(self, article_id: str) -> str:
        return str(self.articles.get(article_id, {}).get("text") or "")

    def span_text(self, span: dict) -> str:
        return self.text_of(span["article_id"])[span["start"]:span["end"]]

    def names_of(self, entity: dict) -> set[str]:
        names = {norm(entity.get("name"))} | {norm(a) for a in entity.get("aliases", [])}
        return names | {norm(m.get("text")) for m in entity.get("mentions", [])}

    def holders(self, name: str) -> list[dict]:
        key = norm(name)
        return [e for e in self.entities if key in self.names_of(e)]


def check_docs(ex: Export, gold: dict) -> list[Check]:
    out = []
    for stem, facts in sorted(gold.items()):
        article = ex.by_stem.get(stem)
        if "published" in facts:
            want = facts["published"]
            got = (article or {}).get("published", {}).get("value") if article else None
            ok = article is not None and (got is None if want is None else got in want)
            out.append(Check("published", ok, f"{stem}: published {got!r}, want {want!r}"))
        if "title" in facts:
            got = (article or {}).get("title")
            ok = article is not None and norm(got) in {norm(t) for t in facts["title"]}
            out.append(Check("titles", ok, f"{stem}: title {got!r}, want one of {facts['title']!r}"))
    return out


def check_phrases(ex: Export, gold: dict, section: str, present: bool) -> list[Check]:
    out = []
    for stem, phrases in sorted(gold.items()):
        article = ex.by_stem.get(stem)
        text = norm(article.get("text")) if article else None
        for phrase in phrases:
            found = text is not None and norm(phrase) in text
            ok = text is not None and found == present
            what = "missing from" if present else "left in"
            out.append(Check(section, ok, f"{stem}: {phrase!r} {what} the text"
                             + ("" if article else " (no such article)")))
    return out


def check_duplicates(ex: Export, groups: list[list[str]]) -> list[Check]:
    out = []
    for stems in groups:
        arts = [ex.by_stem.get(s) for s in stems]
        roots = {(a.get("duplicate_of") or a["id"]) for a in arts if a}
        marked = sum(1 for a in arts if a and a.get("duplicate_of"))
        ok = all(arts) and len(roots) == 1 and marked == len(stems) - 1
        out.append(Check("duplicates", ok, f"{stems}: not one duplicate group"))
    return out


def _story_holding(ex: Export, stems: list[str]) -> dict | None:
    wanted = {ex.by_stem[s]["id"] for s in stems if s in ex.by_stem}
    if len(wanted) < len(stems):
        return None
    holding = [s for s in ex.data.get("stories", []) if wanted <= set(s.get("article_ids", []))]
    return holding[0] if len(holding) == 1 else None


def check_stories(ex: Export, groups: list[list[str]]) -> list[Check]:
    out = []
    for stems in groups:
        story = _story_holding(ex, stems)
        allowed = ex.ids_of(stems)
        extra = sorted(set(story["article_ids"]) - allowed) if story else []
        names = [Path(str(ex.articles[a].get("origin"))).name for a in extra if a in ex.articles]
        ok = story is not None and not extra
        detail = (f"{stems}: no single story holds them" if story is None
                  else f"{stems}: story also holds {names}")
        out.append(Check("stories", ok, detail))
    return out


def check_story_titles(ex: Export, items: list[dict]) -> list[Check]:
    out = []
    for item in items:
        story = _story_holding(ex, item["stems"])
        title = norm(story.get("title")) if story else ""
        ok = bool(story) and any(norm(p) in title for p in item["any_of"]) and not any(
            norm(p) in title for p in item.get("none_of", []))
        shown = story.get("title") if story else None
        out.append(Check("story_titles", ok, f"{item['stems'][0]}…: title {shown!r}"))
    return out


def check_entities(ex: Export, gold: dict) -> list[Check]:
    out = []
    for a, b in gold.get("same", []):
        ok = any({norm(a), norm(b)} <= ex.names_of(e) for e in ex.entities)
        out.append(Check("entities_same", ok, f"{a!r} and {b!r} are not one entity"))
    for a, b in gold.get("different", []):
        both = [e for e in ex.entities if {norm(a), norm(b)} <= ex.names_of(e)]
        ok = bool(ex.holders(a)) and bool(ex.holders(b)) and not both
        why = "merged" if both else "not both found"
        out.append(Check("entities_different", ok, f"{a!r} / {b!r} {why}"))
    for pair in gold.get("different_in_context", []):
        ids = [_entity_in_context(ex, side) for side in pair]
        ok = None not in ids and ids[0] != ids[1]
        out.append(Check("entities_different", ok, f"in context: {pair[0]['name']!r} / "
                         f"{pair[1]['name']!r} -> {ids}"))
    for name, types in sorted(gold.get("types", {}).items()):
        entity = _main_holder(ex, name)
        got = entity.get("type") if entity else None
        out.append(Check("entity_types", got in types, f"type of {name!r}: {got}, want {types}"))
    for name in gold.get("not_entities", []):
        bad = [e for e in ex.entities if norm(e.get("name")) == norm(name)]
        out.append(Check("not_entities", not bad, f"{name!r} is an entity"))
    return out


def _main_holder(ex: Export, name: str) -> dict | None:
    """The entity a reader finds under ``name``: the one so named, else the one whose mentions
    use it most."""
    key = norm(name)
    named = [e for e in ex.entities if norm(e.get("name")) == key]
    candidates = named or ex.holders(name)
    if not candidates:
        return None
    return max(candidates, key=lambda e: sum(norm(m.get("text")) == key
                                              for m in e.get("mentions", [])))


def _entity_in_context(ex: Export, side: dict) -> str | None:
    article = ex.by_stem.get(side["doc"])
    if not article:
        return None
    text = article["text"]
    low = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    start = low.find(unicodedata.normalize("NFKC", side["context"]).translate(_QUOTES).casefold())
    if start < 0:
        return None
    end = start + len(side["context"])
    for e in ex.entities:
        for m in e.get("mentions", []):
            if (m["article_id"] == article["id"] and start <= m["start"] and m["end"] <= end
                    and norm(m.get("text")) == norm(side["name"])):
                return str(e["id"])
    return None


def check_quotes(ex: Export, items: list[dict]) -> list[Check]:
    out = []
    for item in items:
        ids = ex.ids_of([item["doc"]])
        speakers = item["speaker"] if isinstance(item["speaker"], list) else [item["speaker"]]
        lasts = [norm(s).split()[-1] for s in speakers]
        found_text = False
        ok = False
        for q in ex.data.get("quotes", []):
            if not any(o["article_id"] in ids for o in q.get("occurrences", [])):
                continue
            if norm(item["text"]) not in norm(q.get("text")):
                continue
            found_text = True
            names = {norm(q.get("speaker", {}).get("name"))}
            entity = ex.entity_by_id.get(q.get("speaker", {}).get("entity_id") or "")
            if entity:
                names |= {norm(entity.get("name"))} | {norm(a) for a in entity.get("aliases", [])}
            if any(last in n for n in names for last in lasts):
                ok = True
                break
        why = "wrong speaker" if found_text else "quote not found"
        out.append(Check("quotes", ok, f"{item['doc']}: {item['text'][:50]!r} {why}",
                         bool(item.get("optional"))))
    return out


def check_timeline(ex: Export, items: list[dict]) -> list[Check]:
    out = []
    entries = ex.data.get("timeline", [])
    for item in items:
        evidence = [norm(e) for e in item["evidence"]]
        ok = False
        seen_dates = []
        for t in entries:
            if not any(any(e in norm(ex.span_text(s)) for e in evidence)
                       for s in t.get("sources", [])):
                continue
            seen_dates.append(t.get("date"))
            if not any(str(t.get("date") or "").startswith(d) for d in item["date"]):
                continue
            if "type" in item and t.get("type") not in item["type"]:
                continue
            ok = True
            break
        out.append(Check("timeline", ok, f"{item['what']}: want {item['date']}"
                         f"{' ' + str(item['type']) if 'type' in item else ''}, entries with "
                         f"the evidence are dated {seen_dates}", bool(item.get("optional"))))
    return out


def check_timeline_absent(ex: Export, items: list[dict]) -> list[Check]:
    out = []
    for item in items:
        evidence = norm(item["evidence"])
        bad = [t.get("date") for t in ex.data.get("timeline", [])
               if any(evidence in norm(ex.span_text(s)) for s in t.get("sources", []))
               and any(str(t.get("date") or "").startswith(d) for d in item["dates"])]
        out.append(Check("timeline_absent", not bad,
                         f"{item['evidence'][:60]!r} is dated {bad}"))
    return out


def _matches(value: float, wanted: float) -> bool:
    return abs(value - wanted) <= max(0.5, 0.005 * abs(wanted))


def check_figures(ex: Export, items: list[dict], no_false: bool) -> list[Check]:
    out = []
    figures = ex.data.get("figures", [])
    expected_disagreements: set[str] = set()
    for item in items:
        ids = ex.ids_of(item["docs"])
        found = [f for f in figures if any(_matches(float(f.get("value") or 0), v)
                                            for v in item["values"])
                 and any(o["article_id"] in ids for o in f.get("occurrences", []))]
        groups = {f.get("group_id") for f in found}
        every_value = all(any(_matches(float(f.get("value") or 0), v) for f in found)
                          for v in item["values"])
        agreement = {f.get("agreement") for f in found}
        ok = bool(found) and every_value and len(groups) == 1 and agreement == {item["expect"]}
        if item["expect"] == "disagree":
            expected_disagreements |= {g for g in groups if g}
        out.append(Check("figures", ok, f"{item['what']}: {len(found)} figures in "
                         f"{len(groups)} groups, agreement {sorted(map(str, agreement))}, want "
                         f"{item['expect']}", bool(item.get("optional"))))
    if no_false:
        false = sorted({str(f.get("group_id")) for f in figures if f.get("agreement") == "disagree"
                        and f.get("group_id") not in expected_disagreements})
        out.append(Check("disagreements", not false, f"false disagreements: {false}"))
    return out


def check_general(ex: Export) -> list[Check]:
    """Spans hold their text, speakers and actors are someone, every story is titled and told."""
    out = []
    data = ex.data
    bad_mentions = [m for e in ex.entities for m in e.get("mentions", [])
                    if ex.span_text(m) != m.get("text")]
    out.append(Check("general", not bad_mentions, f"{len(bad_mentions)} mention spans do not "
                     "hold their text"))
    # A quote carried by several outlets keeps each outlet's wording ("recognise" /
    # "recognize", a shorter cut): an occurrence must hold that quote, not the same characters.
    bad_quotes = [q["id"] for q in data.get("quotes", []) for o in q.get("occurrences", [])
                  if not _same_words(q.get("text"), ex.span_text(o))]
    out.append(Check("general", not bad_quotes, f"{len(bad_quotes)} quote occurrences do not "
                     "hold their quote"))
    bad_sources = [t["id"] for t in data.get("timeline", []) for s in t.get("sources", [])
                   if not ex.span_text(s).strip()]
    out.append(Check("general", not bad_sources, f"{len(bad_sources)} empty timeline sources"))
    # A figure row may group one amount written several ways ("6 million", "six million"):
    # each occurrence must hold text, and one of them the figure's own.
    bad_figures = [f["id"] for f in data.get("figures", [])
                   if any(not ex.span_text(o).strip() for o in f.get("occurrences", []))
                   or (f.get("text") and f.get("occurrences") and not any(
                       norm(ex.span_text(o)) == norm(f.get("text")) for o in f["occurrences"]))]
    out.append(Check("general", not bad_figures, f"{len(bad_figures)} figure spans do not hold "
                     "their text"))
    bad_cites = [s["text"][:40] for st in data.get("stories", []) for s in st.get("summary", [])
                 if not any(norm(s["text"]) in norm(ex.span_text(c)) for c in s["citations"])]
    out.append(Check("general", not bad_cites, f"summary sentences not in their citations: "
                     f"{bad_cites[:3]}"))
    pronoun_speakers = sorted({str(q["speaker"].get("name")) for q in data.get("quotes", [])
                               if q.get("speaker", {}).get("name") is not None
                               if _not_someone(q.get("speaker", {}).get("name"))})
    out.append(Check("general", not pronoun_speakers, f"speakers that are pronouns or "
                     f"unresolved descriptions: {pronoun_speakers[:8]}"))
    entity_names = {n for e in ex.entities for n in ex.names_of(e)}
    bad_actors = sorted({str(a) for t in data.get("timeline", []) for a in t.get("actors", [])
                         if a not in ex.entity_by_id and (norm(a) not in entity_names
                                                          or _not_someone(a))})
    out.append(Check("general", not bad_actors, f"timeline actors that are not entities: "
                     f"{bad_actors[:8]}"))
    untold = [s["id"] for s in data.get("stories", []) if not s.get("title")
              or not s.get("summary")]
    out.append(Check("general", not untold, f"{len(untold)} stories without title or summary"))
    return out


def _same_words(a: str | None, b: str | None) -> bool:
    """Most words of the shorter text are in the other (one quote in two outlets' wording)."""
    wa, wb = set(re.findall(r"\w+", norm(a))), set(re.findall(r"\w+", norm(b)))
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.6


def _not_someone(name: str | None) -> bool:
    key = norm(name)
    return not key or key in _PRONOUNS or bool(_DEFINITE.match(key))


def figure_coverage(ex: Export, items: list[dict]) -> dict[str, float]:
    """How much comparing across outlets happens: the share of figure groups whose occurrences
    span more than one outlet, and the share of the gold figures reported by several documents
    whose found figures share one group across at least two of them."""
    outlet_of = {aid: a.get("publisher") or aid for aid, a in ex.articles.items()}
    groups: dict[str, set[str]] = defaultdict(set)
    for f in ex.data.get("figures", []):
        for o in f.get("occurrences", []):
            groups[str(f.get("group_id"))].add(outlet_of.get(o["article_id"], o["article_id"]))
    multi = sum(1 for outlets in groups.values() if len(outlets) > 1)
    cross = [item for item in items if len(item["docs"]) > 1]
    found = 0
    for item in cross:
        by_group: dict[str, set[str]] = defaultdict(set)
        for stem in item["docs"]:
            ids = ex.ids_of([stem])
            for f in ex.data.get("figures", []):
                if any(_matches(float(f.get("value") or 0), v) for v in item["values"]) and \
                        any(o["article_id"] in ids for o in f.get("occurrences", [])):
                    by_group[str(f.get("group_id"))].add(stem)
        found += any(len(stems) > 1 for stems in by_group.values())
    return {"cross_outlet_group_share": round(multi / len(groups), 4) if groups else 0.0,
            "gold_cross_outlet_found": round(found / len(cross), 4) if cross else 0.0}
