"""Generic organisation names told apart by the country the text gives them.

Every government has a "Defense Ministry" and a "Foreign Ministry": in "the Defense Ministry
in Yerevan claimed …; Azerbaijan's Defense Ministry said …" the same words name two bodies.
The country comes from a possessive before the name, a demonym the tagger left outside it, or
"in"/"of" and a place after it (a capital gives its country).
"""

from __future__ import annotations

import re

from storyline.lexicon import places as geo
from storyline.lexicon.roles import ORG_WORDS
from storyline.model import Mention

# Words of the names of government departments and forces that name no one in particular.
_DEPARTMENT_WORDS = frozenset(
    ["defense", "defence", "foreign", "interior", "home", "health", "finance", "justice",
     "education", "affairs", "emergency", "emergencies", "security", "national", "federal",
     "state", "public", "armed", "general", "staff", "border", "environment", "energy",
     "economy", "economic", "agriculture", "transport", "culture", "labour", "labor", "trade",
     "industry", "information", "internal", "external", "presidential", "military", "war",
     "intelligence", "prosecutor's", "prosecutor", "attorney", "supreme", "constitutional",
     "central", "electoral", "election", "prosecutors", "investigative", "special"]
)
_MINOR = frozenset(["the", "of", "and", "for", "on"])
_POSSESSIVE = re.compile(r"([A-Z][\w.-]*(?:\s[A-Z][\w.-]*)?)['’]s\s+(?:own\s+)?$")
_DEMONYM = re.compile(r"([A-Z][a-z]+)\s+$")
_PLACE_AFTER = re.compile(r"\s+(?:in|of)\s+([A-Z][\w.-]*(?:\s[A-Z][\w.-]*)?)")


def is_generic(name: str) -> bool:
    """"Defense Ministry", "the Foreign Ministry", "Interior Ministry": only department
    words; "State Department" too, while "U.S. State Department" names its country."""
    words = [w.lower().strip(".") for w in name.split()]
    words = [w for w in words if w not in _MINOR]
    return bool(words) and any(w in ORG_WORDS for w in words) and all(
        w in ORG_WORDS or w in _DEPARTMENT_WORDS for w in words)


def _country(text: str, m: Mention) -> str | None:
    before = text[max(0, m.start - 40): m.start]
    found = _POSSESSIVE.search(before)
    if found and geo.country_of(found.group(1)):
        return geo.country_of(found.group(1))
    found = _DEMONYM.search(before)
    if found and geo.demonym_base(found.group(1)):
        base = geo.demonym_base(found.group(1)) or ""
        return geo.country_of(base) and base.title()
    found = _PLACE_AFTER.match(text, m.end)
    if found:
        return geo.country_of(found.group(1))
    return None


def qualify(text: str, mentions: list[Mention]) -> None:
    """Set ``qualifier`` on the generic organisation mentions of one article. A bare "the
    Defense Ministry" after a qualified one is that ministry; before any, it is the only one
    the article qualifies, if there is only one."""
    generic = [m for m in mentions if m.label == "ORG" and is_generic(m.text)]
    for m in generic:
        m.qualifier = _country(text, m)
    by_name: dict[str, list[Mention]] = {}
    for m in sorted(generic, key=lambda m: m.start):
        by_name.setdefault(geo.fold(m.text.removeprefix("the ")), []).append(m)
    for ms in by_name.values():
        known = {m.qualifier for m in ms if m.qualifier}
        last = None
        for m in ms:
            if m.qualifier:
                last = m.qualifier
            elif last or len(known) == 1:
                m.qualifier = last or next(iter(known))
