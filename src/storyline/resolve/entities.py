"""Entities: the mentions of the whole corpus resolved into one entity per referent.

Labels are first fixed by corpus-wide votes, then name variants are merged with
:func:`storyline.nlp.names.same_referent`, and the evidence for every merge is recorded.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Set as AbstractSet

from storyline.annotate import defined
from storyline.annotate.mentions import label_group
from storyline.lexicon import places as geo
from storyline.lexicon.roles import ROLE_HEADS
from storyline.model import Entity, Mention, stable_id
from storyline.nlp import names
from storyline.unionfind import UnionFind

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- corpus resolution


def _corpus_labels(mentions: list[Mention], aliases: AbstractSet[tuple[str, str]] = frozenset()) -> None:
    """Fix labels with evidence from the whole corpus (the type most mentions of a name get);
    a name the text gives as another name of a person is a person's name."""
    surnames = set()
    for m in mentions:
        keys = names.parse_name(m.text).keys
        if m.label == "PERSON" and len(keys) > 1:
            surnames.add(keys[-1])
    for m in mentions:
        if geo.is_demonym(m.text) and len(m.text.split()) == 1:
            m.label = "NORP"
            continue
        place = geo.place_label(m.text)
        if place and m.label in ("PERSON", "ORG", "NORP"):
            m.label = place
            continue
        keys = names.parse_name(m.text).keys
        if len(keys) == 1 and keys[0] in surnames and not place and m.label != "PERSON":
            m.label = "PERSON"  # "Pashinian/NORP" where another outlet has "Nikol Pashinian"
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        votes[geo.fold(m.text)][m.label] += 1
    for m in mentions:
        if geo.place_label(m.text) or geo.is_demonym(m.text):
            continue
        counts: Counter[str] | None = votes[geo.fold(m.text)]
        assert counts is not None  # a key lookup; only the .get() below may give None
        best, n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if n > counts[m.label]:
            m.label = best
    # "Nagorno-Karabakh": a hyphenated name takes the type of its last part's majority.
    for m in mentions:
        if "-" in m.text and m.label in ("ORG", "PERSON"):
            last = geo.fold(m.text.split("-")[-1])
            counts = votes.get(last)
            if counts:
                best = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                if best in ("GPE", "LOC"):
                    m.label = best
    if aliases:
        label_of = {m.text: m.label for m in mentions}
        people = {x for pair in aliases for x in pair if label_of.get(x) == "PERSON"}
        also = {y for x, y in aliases if x in people} | {x for x, y in aliases if y in people}
        for m in mentions:
            if m.text in also and m.label in ("ORG", "FAC", "EVENT") and not geo.place_label(m.text):
                m.label = "PERSON"


def _sentence_around(contexts, m: Mention) -> str | None:
    if not contexts or m.article_id not in contexts:
        return None
    text = contexts[m.article_id]
    left = max(text.rfind(".", 0, m.start), text.rfind("\n", 0, m.start)) + 1
    right = [p for p in (text.find(".", m.end), text.find("\n", m.end)) if p != -1]
    return text[left: min(right) if right else len(text)].strip()


def resolve(mentions: list[Mention], contexts: dict[str, str] | None = None) -> list[Entity]:
    """Group all mentions of all articles into entities; sets each ``mention.entity_id``.

    Deterministic and independent of the order of ``mentions``."""
    ordered = sorted(mentions, key=lambda m: (m.article_id, m.start, m.end, m.text))
    if not ordered:
        return []
    aliases = alias_definitions(ordered, contexts or {})
    _corpus_labels(ordered, aliases)
    # Units: a within-article chain (or a lone mention) is resolved as one.
    units: dict[tuple, list[Mention]] = defaultdict(list)
    for m in ordered:
        local = m.local_id or stable_id("loc", m.article_id, m.text)
        units[(label_group(m.label), m.article_id, local)].append(m)
    # A unit is named by its fullest form; identical names across articles start together.
    unit_name = {u: _best_name(ms, u[0]) for u, ms in units.items()}
    by_group: dict[str, list[str]] = defaultdict(list)
    # (group, name) -> its units, in the order of ``units``: looked up, never scanned, so the
    # corpus step stays linear in the number of mentions.
    named: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for u, name in unit_name.items():
        if not named[(u[0], name)]:
            by_group[u[0]].append(name)
        named[(u[0], name)].append(u)
    entities: list[Entity] = []
    used_ids: set[str] = set()
    for group in sorted(by_group):
        forms = sorted(by_group[group], key=lambda t: (geo.fold(t), t))
        clusters, evidence = _cluster_names(group, forms, units, unit_name, named, contexts,
                                            aliases)
        for members in clusters:
            ms = sorted(
                (m for name in members for u in named[(group, name)] for m in units[u]),
                key=lambda m: (m.article_id, m.start),
            )
            entity = _make_entity(group, ms, members, evidence, used_ids)
            entity.evidence = (_local_evidence(group, units, unit_name, named, members)
                               + entity.evidence)
            entities.append(entity)
    entities.sort(key=lambda e: (e.type, e.name, e.id))
    return entities


def _local_evidence(group, units, unit_name, named, members) -> list[str]:
    """Why shorter forms joined a full name inside articles ("'Blinken' → 'Antony Blinken'")."""
    label = {"PLACE": "GPE"}.get(group, group)
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for u in (u for name in members for u in named[(group, name)]):
        for m in units[u]:
            if m.text != unit_name[u]:
                seen[(m.text, unit_name[u])].add(u[1])
    out = []
    for (short, full), arts in sorted(seen.items()):
        same, _, reason = names.same_referent(short, None, full, None, label, label)
        if not same:  # joined by the within-article rules, not by the string matcher
            first = names.parse_name(full).keys[:1]
            reason = ("given name of the full name" if names.parse_name(short).keys == first
                      else "the nearest full name with that surname")
        n = len(arts)
        out.append(f"'{short}' → '{full}': {reason}, within the same article "
                   f"({n} article{'s' if n != 1 else ''})")
    return out


def _is_abbreviation(text: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", text)
    return bool(letters) and letters.isupper() and len(letters) <= 5


def _best_name(ms: list[Mention], group: str) -> str:
    """The fullest form: most name words for people; otherwise a spelled-out form over an
    abbreviation ("United States" over "U.S."), then the most frequent, then the longest."""
    counts = Counter(m.text for m in ms)
    if group == "PERSON":
        # a name as written over the capitals of a transcript label ("SERGIO MARTINEZ-BELTRAN")
        return min(counts, key=lambda t: (-len(names.parse_name(t).keys), t.isupper(),
                                          -counts[t], t))
    name = min(counts, key=lambda t: (_is_abbreviation(t), -counts[t], -len(t), t))
    qualifiers = {m.qualifier for m in ms if m.qualifier}
    if len(qualifiers) == 1:
        # "Defense Ministry" in Yerevan is named by its country: "Armenia Defense Ministry"
        country = qualifiers.pop()
        if geo.fold(country) not in geo.fold(name):
            return f"{country} {name.removeprefix('the ')}"
    return name


def _cluster_names(
    group: str, forms: list[str], units: dict[tuple, list[Mention]],
    unit_name: dict[tuple, str], named: dict[tuple[str, str], list[tuple]],
    contexts: dict[str, str] | None, aliases: AbstractSet[tuple[str, str]] = frozenset(),
) -> tuple[list[list[str]], dict[tuple[str, ...], list[str]]]:
    """Union name forms of one type group; returns (clusters, evidence per form pair)."""
    uf = UnionFind(forms)
    evidence: dict[str, list[str]] = defaultdict(list)
    label = {"PLACE": "GPE"}.get(group, group)
    info: dict[str, dict] = {}
    for form in forms:
        articles: set[str]
        roles: Counter[str]
        ctx: str | None
        articles, roles, ctx = set(), Counter(), None
        for u in named[(group, form)]:
            ms = units[u]
            articles.add(u[1])
            for m in ms:
                if m.role:
                    roles[m.role] += 1
            if ctx is None:
                ctx = _sentence_around(contexts, ms[0])
        info[form] = {"articles": articles, "roles": roles, "ctx": ctx,
                      "multi": len(names.parse_name(form).keys) > 1}
    members: dict[str, list[str]] = {f: [f] for f in forms}

    def compatible(a: str, b: str) -> bool:
        # Every full name of one cluster must match every full name of the other, so that
        # transitive chains never join two different people (Ilham / Heydar Aliyev).
        ra, rb = uf.find(a), uf.find(b)
        for x in members[ra]:
            for y in members[rb]:
                if group == "PERSON" and not (info[x]["multi"] and info[y]["multi"]):
                    continue
                if not names.same_referent(x, None, y, None, label, label)[0]:
                    return False
        return True

    def merge(a: str, b: str, reason: str) -> None:
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            return
        uf.union(a, b)
        root = uf.find(a)
        other = rb if root == ra else ra
        members[root] = sorted(members[root] + members[other])
        shared = _shared_role(info[a]["roles"], info[b]["roles"])
        arts = len(info[a]["articles"] | info[b]["articles"])
        text = f"'{a}' ~ '{b}': {reason}"
        if shared:
            text += f", same role '{shared}'"
        text += f" ({arts} article{'s' if arts != 1 else ''})"
        evidence[root].extend(evidence.pop(other, []))
        evidence[root].append(text)

    full = [f for f in forms if info[f]["multi"] or group != "PERSON"]
    for a, b in _candidate_pairs(full):
        if uf.find(a) == uf.find(b):
            continue
        same, _, reason = names.same_referent(a, info[a]["ctx"], b, info[b]["ctx"], label, label)
        if same and compatible(a, b):
            merge(a, b, reason)
    if group == "PERSON":
        singles = [f for f in forms if not info[f]["multi"]]
        near: dict[str, set[str]] = defaultdict(set)
        for a, b in _candidate_pairs(forms):
            near[a].add(b)
            near[b].add(a)
        for s in singles:
            options = sorted({uf.find(f) for f in full if f in near[s] and names.same_referent(
                s, info[s]["ctx"], f, info[f]["ctx"], label, label)[0]})
            if len(options) > 1:
                # Several people share the surname: prefer one seen in the same articles.
                scored = sorted(
                    options,
                    key=lambda r: (-sum(len(info[s]["articles"] & info[x]["articles"])
                                        for x in members[r]), r),
                )
                best = scored[0]
                best_n = sum(len(info[s]["articles"] & info[x]["articles"]) for x in members[best])
                second_n = sum(len(info[s]["articles"] & info[x]["articles"])
                               for x in members[scored[1]])
                options = [best] if best_n > second_n else []
            if len(options) == 1:
                target = min(members[options[0]], key=lambda t: (-len(names.parse_name(t).keys), t))
                _, _, reason = names.same_referent(s, None, target, None, label, label)
                merge(s, target, reason)
        # Lone surnames with no full name anywhere still merge with their own variants.
        for a, b in _candidate_pairs(singles):
            ra, rb = uf.find(a), uf.find(b)
            lone = len(members[ra]) == 1 and len(members[rb]) == 1
            if ra != rb and lone:
                same, _, reason = names.same_referent(a, None, b, None, label, label)
                if same:
                    merge(a, b, reason)
    # A name the texts define stands for the form of the unit it is a mention of ("UNHRC" in
    # the unit named "United Nations Human Rights Council").
    by_key = {_acronym_key(f): f for f in forms}
    for f in forms:
        for u in named[(group, f)]:
            for m in units[u]:
                by_key.setdefault(_acronym_key(m.text), f)
    if group != "PERSON" and contexts:
        # "Local Co-ordination Committees (LCC)": the text defines the short form itself.
        for long_form, short in sorted(acronym_definitions(contexts)):
            spelled, abbr = by_key.get(_acronym_key(long_form)), by_key.get(_acronym_key(short))
            if spelled and abbr and spelled != abbr and uf.find(spelled) != uf.find(abbr):
                merge(spelled, abbr, f"the text defines it: '{long_form} ({short})'")
    # Last, so that the other name never blocks a merge the string rules make.
    for a, b in sorted(aliases):
        fa, fb = by_key.get(_acronym_key(a)), by_key.get(_acronym_key(b))
        if fa and fb and uf.find(fa) != uf.find(fb):
            merge(fa, fb, f"the text gives both names ('{a}' … '{b}')")
    clusters: dict[str, list[str]] = defaultdict(list)
    for f in forms:
        clusters[uf.find(f)].append(f)
    ev = {tuple(sorted(v)): evidence.get(k, []) for k, v in clusters.items()}
    return [sorted(v) for v in clusters.values()], ev


def acronym_definitions(contexts: dict[str, str]) -> set[tuple[str, str]]:
    """(long form, short form) pairs the texts define, where the short form spells the long
    form's initials (an all-capitals word gives all its letters: "UN Human Rights Council")."""
    return {(text[a:b], text[c:d]) for text in contexts.values()
            for (a, b), (c, d) in defined.acronym_spans(text)}


def alias_definitions(mentions: list[Mention], contexts: dict[str, str]) -> set[tuple[str, str]]:
    """Pairs of mention texts the texts give as two names of one referent ("Stormy Daniels,
    whose real name is Stephanie Clifford"): the mention ending the first name and the one
    starting the second."""
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_article[m.article_id].append(m)
    found = set()
    for article_id, ms in by_article.items():
        text = contexts.get(article_id)
        if not text or not defined.ALIAS_HINT.search(text):
            continue
        ends = {m.end: m for m in ms}
        starts = {m.start: m for m in ms}
        for (a0, a1), (b0, b1) in defined.alias_spans(text):
            first, second = ends.get(a1), starts.get(b0)
            if first and second and first.start >= a0 and second.end <= b1 and \
                    first.text != second.text:
                found.add((first.text, second.text))
    return found


def _acronym_key(text: str) -> str:
    return " ".join(geo.fold(text).split())


_SOUND_CLASS = str.maketrans("cjkgqszdtvfbpmnlr", "kkkkksstttffppnnr")


def _word_key(word: str) -> str | None:
    k = names.key(word)
    skeleton = re.sub(r"[aeiouh']", "", k.translate(_SOUND_CLASS))
    if len(skeleton) >= 2:
        return "s:" + skeleton[:3]
    return "w:" + k if k else None


def _block_keys(form: str) -> set[str]:
    """Cheap keys so that only plausible pairs are compared: a consonant skeleton of each
    word and word part (romanisation-insensitive), initials for acronyms, gazetteer ids."""
    out = set(geo.place_ids(form))
    words = re.split(r"[\s\-]+", form)
    out.update(k for k in map(_word_key, words) if k)
    letters = re.sub(r"[^A-Za-z]", "", form)
    if letters.isupper() and 2 <= len(letters) <= 6:
        out.add("a:" + letters.lower())
    initials = "".join(w[0] for w in words if w[:1].isupper()).lower()
    content = "".join(w[0] for w in words if w[:1].isalpha() and w.lower() not in
                      names.STOPWORDS).lower()
    for acro in (initials, content):
        if len(acro) >= 2:
            out.add("a:" + acro)
    return out


def _head_keys(form: str, keys: set[str]) -> set[str]:
    """The keys a name is indexed by: its head word (the last, for a person the surname),
    its last word that is not a generic organisation word, its initials and gazetteer ids.

    Every rule of :func:`names.same_referent` that joins two names needs one name's head
    among the other's words: the surname of both, the shorter name's last word in the
    longer ("Abiy Ahmed" / "Abiy Ahmed Ali", "Defense Ministry" / "Ministry of Defense"),
    or else an acronym or a shared place. A shared given name or generic word ("John",
    "National") is not enough, and comparing every such pair made the step grow with the
    square of the corpus."""
    out = {k for k in keys if not k.startswith(("s:", "w:"))}
    words = [w for w in re.split(r"[\s\-]+", form) if names.key(w)
             and geo.fold(w) not in names.STOPWORDS]
    if words:
        out.add(_word_key(words[-1]) or "")
        core = [w for w in words if geo.fold(w) not in names.GENERIC_ORG]
        if core:
            out.add(_word_key(core[-1]) or "")
    out.discard("")
    return out


def _candidate_pairs(forms: list[str]) -> list[tuple[str, str]]:
    """The pairs of forms worth comparing: one form's head keys among the other's keys."""
    keys = {form: _block_keys(form) for form in forms}
    head_index: dict[str, list[str]] = defaultdict(list)
    for form, ks in keys.items():
        for k in _head_keys(form, ks):
            head_index[k].append(form)
    pairs = set()
    for b, ks in keys.items():
        for k in ks:
            bucket = head_index.get(k, ())
            if len(bucket) > 200:  # a key shared by hundreds of names tells nothing
                continue
            for a in bucket:
                if a != b:
                    pairs.add((a, b) if a < b else (b, a))
    return sorted(pairs)


def _shared_role(a: Counter, b: Counter) -> str | None:
    """A title both forms carry ("Foreign Minister" in "Azerbaijani Foreign Minister")."""
    for ra in sorted(a):
        for rb in sorted(b):
            wa = [w for w in ra.split() if w.lower() in names.ROLE_WORDS or w.lower() in ROLE_HEADS]
            wb = [w.lower() for w in rb.split()]
            common = [w for w in wa if w.lower() in wb]
            if any(w.lower() in ROLE_HEADS for w in common):
                return " ".join(common)
    return None


def _make_entity(group, ms, members, evidence, used_ids) -> Entity:
    labels = Counter(m.label for m in ms)
    etype = min(labels.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    counts = Counter(m.text for m in ms)
    name = _best_name(ms, group)
    eid = stable_id("ent", etype, geo.fold(name))
    if eid in used_ids:  # two referents with one canonical form ("Aliyev" alone, twice)
        eid = stable_id("ent", etype, geo.fold(name), ms[0].article_id, ms[0].start)
    used_ids.add(eid)
    roles = Counter(m.role for m in ms if m.role)
    role_list: list[str] = []
    for role, _ in sorted(roles.items(), key=lambda kv: (-kv[1], kv[0])):
        if role.lower() not in (r.lower() for r in role_list):
            role_list.append(role)
    for m in ms:
        m.entity_id = eid
    return Entity(
        id=eid,
        name=name,
        type=etype,
        aliases=sorted(set(counts) - {name}),
        roles=role_list,
        mentions=ms,
        evidence=list(evidence.get(tuple(sorted(members)), [])),
    )
