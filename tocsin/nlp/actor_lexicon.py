"""The actor lexicon: countries, named bodies, people and actor nouns, as data.

Loads ``tocsin/data/actors.yaml`` and ``tocsin/data/people.yaml`` (read them for
the codes, sectors and rules) into one immutable :class:`Lexicon`, once per
process. :mod:`tocsin.nlp.actors` matches its aliases in a spaCy ``Doc``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from tocsin.errors import TocsinError
from tocsin.nlp._yaml import safe_load

# When two tables share an alias, the first kind here wins.
KIND_PRIORITY = ("person", "org", "seat", "country", "capital")


@dataclass(frozen=True)
class Entry:
    """What an alias stands for.

    ``kind`` is one of :data:`KIND_PRIORITY`. ``code`` is the actor code a
    mention of it gets on its own (a bare ``CCC`` for a country, ``CCC:GOV`` for
    a capital acting as a speaker).
    """

    kind: str
    code: str
    country: str | None
    sector: str | None
    name: str
    office: str | None = None


@dataclass(frozen=True)
class Lexicon:
    """All tables of the actor lexicon, read-only."""

    aliases: MappingProxyType[str, Entry]  # exact surface form -> entry
    nouns: MappingProxyType[str, str]  # head noun -> fixed sector
    roles: MappingProxyType[str, str | None]  # head noun -> default sector
    modifiers: MappingProxyType[str, str]  # modifier word -> sector
    compounds: MappingProxyType[str, str]  # two-word noun -> sector
    weapons: MappingProxyType[str, str]  # weapon or position noun -> sector, with a country only
    person_nouns: frozenset[str]
    patrons: MappingProxyType[str, str]  # patron country -> host country
    country_names: MappingProxyType[str, str]  # lower-case name -> ISO alpha-3
    country_codes: frozenset[str]
    sectors: frozenset[str]


def split_code(
    code: str, countries: Collection[str] | None = None
) -> tuple[str | None, str | None]:
    """Split an actor code into (country, sector): ``RUS:MIL`` -> (RUS, MIL), ``RUS`` ->
    (RUS, None); a body code such as ``NATO`` or ``ICC`` gives (None, None).
    ``countries`` is the set of country codes (default: the lexicon's)."""
    if ":" in code:
        country, sector = code.split(":", 1)
        return country, sector
    known = lexicon().country_codes if countries is None else countries
    return (code, None) if code in known else (None, None)


def _read_yaml(name: str) -> dict[str, Any]:
    path = resources.files("tocsin") / "data" / name
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TocsinError(
            f"cannot read the actor lexicon tocsin/data/{name}: {exc}. "
            "Reinstall tocsin or fix the YAML."
        ) from exc
    if not isinstance(data, dict):
        raise TocsinError(f"tocsin/data/{name} must hold a mapping at top level")
    return data


def _country_entries(countries: dict[str, dict[str, Any]]) -> list[tuple[str, Entry]]:
    out: list[tuple[str, Entry]] = []
    for iso, row in countries.items():
        name = row["name"]
        for alias in [*row.get("names", []), *row.get("demonyms", [])]:
            out.append((alias, Entry("country", iso, iso, None, name)))
        for alias in row.get("capitals", []):
            out.append((alias, Entry("capital", f"{iso}:GOV", iso, "GOV", alias)))
    return out


def _body_entry(
    kind: str, code: str, name: str, countries: Collection[str], sector: str | None = None
) -> Entry:
    country, code_sector = split_code(code, countries)
    return Entry(kind, code, country, sector or code_sector, name)


def _build(actors: dict[str, Any], people: dict[str, Any]) -> Lexicon:
    pairs = _country_entries(actors["countries"])
    isos = frozenset(actors["countries"])
    for alias, code in actors["seats"].items():
        pairs.append((alias, _body_entry("seat", code, alias, isos)))
    for org in actors["organisations"]:
        entry = _body_entry("org", org["code"], org["name"], isos, org.get("sector"))
        pairs.extend((alias, entry) for alias in [org["name"], *org["aliases"]])
    for person in people["people"]:
        country, sector = split_code(person["code"], isos)
        if country is None:
            sector = "IGO"
        entry = Entry("person", person["code"], country, sector, person["name"], person["office"])
        pairs.extend((alias, entry) for alias in [person["name"], *person["aliases"]])
    aliases: dict[str, Entry] = {}
    rank = {kind: i for i, kind in enumerate(KIND_PRIORITY)}
    for alias, entry in pairs:
        old = aliases.get(alias)
        if old is None or rank[entry.kind] < rank[old.kind]:
            aliases[alias] = entry
    names = {
        alias.lower(): iso
        for iso, row in actors["countries"].items()
        for alias in [row["name"], *row.get("names", [])]
    }
    return Lexicon(
        aliases=MappingProxyType(aliases),
        nouns=MappingProxyType(dict(actors["nouns"])),
        roles=MappingProxyType(dict(actors["roles"])),
        modifiers=MappingProxyType(dict(actors["modifiers"])),
        compounds=MappingProxyType(dict(actors["compounds"])),
        weapons=MappingProxyType(dict(actors.get("weapons") or {})),
        person_nouns=frozenset(actors["person_nouns"]),
        patrons=MappingProxyType(dict(actors["patrons"])),
        country_names=MappingProxyType(names),
        country_codes=isos,
        sectors=frozenset(actors["sectors"]),
    )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load (once per process) the actor lexicon from tocsin/data."""
    return _build(_read_yaml("actors.yaml"), _read_yaml("people.yaml"))


@lru_cache(maxsize=1)
def _offices() -> MappingProxyType[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for alias, entry in lexicon().aliases.items():
        if entry.kind == "person" and entry.office:
            table[alias.lower()] = (entry.name, entry.office)
    return MappingProxyType(table)


def person_office(name: str) -> str | None:
    """The office of a known person, by full name or alias, case-insensitive:
    ``person_office("Shoigu")`` -> "Defence Minister of Russia (2012-2024)"; None if unknown."""
    hit = _offices().get(" ".join(name.split()).lower())
    return hit[1] if hit else None


def person_name(name: str) -> str | None:
    """The canonical name of a known person given any alias ("Zelenskyy" ->
    "Volodymyr Zelensky"), or None if the person is not in people.yaml."""
    hit = _offices().get(" ".join(name.split()).lower())
    return hit[0] if hit else None


def country_code(name: str) -> str | None:
    """ISO alpha-3 code of a country name or short form ("the United States",
    "U.K."), case-insensitive; None when unknown."""
    key = " ".join(name.split()).lower()
    key = key.removeprefix("the ")
    return lexicon().country_names.get(key)


# ACLED actor names ("Military Forces of Russia (2000-) Air Force") -> tocsin keys.
_ACLED_FORCES = {
    "military forces of": "MIL",
    "police forces of": "COP",
    "government of": "GOV",
    "rebel forces of": "REB",
}
_ACLED_GROUPS = {
    "protesters": "PRO",
    "rioters": "PRO",
    "civilians": "CVL",
    "unidentified armed group": "REB",
    "communal militia": "REB",
    "private security forces": "PMC",
}
# tocsin sectors as ACLED sees them: ACLED codes journalists as civilians and
# legislators and courts under the government; it has no opposition or body key.
_ACLED_SECTORS = {"LEG": "GOV", "JUD": "GOV", "MED": "CVL", "OPP": None, "NGO": None}


def _strip_acled(name: str) -> str:
    """Drop ACLED's date range and ``ABC:`` prefix: "NAF: United Armed Forces of Novorossiya"."""
    text = re.sub(r"\(\d{4}-(\d{4})?\)", " ", name)
    text = re.sub(r"^[A-Z]{2,6}:\s*", "", text.strip())
    return " ".join(text.split())


def _alias_in(text: str) -> Entry | None:
    """The longest lexicon body or person alias found as whole words in ``text``."""
    best: Entry | None = None
    size = 0
    for alias, entry in lexicon().aliases.items():
        wanted = entry.kind in ("org", "seat") and len(alias) > size and entry.country
        if wanted and re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", text):
            best, size = entry, len(alias)
    return best


def _leading_country(text: str) -> str | None:
    """ISO code of the longest country name that starts ``text`` ("Russia Air Force")."""
    words = text.split()
    for n in range(min(6, len(words)), 0, -1):
        iso = country_code(" ".join(words[:n]))
        if iso:
            return iso
    return None


def acled_actor_key_from_name(name: str) -> str | None:
    """A tocsin code (country + sector) for an ACLED actor name, or None.

    "Military Forces of Russia (2000-) Air Force" -> "RUS:MIL"; "Police Forces of
    Ukraine (2019-) Security Service of Ukraine" -> "UKR:SPY" (a named subunit the
    lexicon knows decides); "Protesters (Ukraine)" -> "UKR:PRO"; "NAF: United Armed
    Forces of Novorossiya" -> "UKR:REB"; "Unidentified Military Forces" -> None.
    """
    text = _strip_acled(name)
    low = text.lower()
    for prefix, sector in _ACLED_FORCES.items():
        if low.startswith(prefix):
            rest = text[len(prefix) :].strip()
            iso = _leading_country(rest)
            sub = _alias_in(rest)
            if sub is not None:
                return sub.code
            return f"{iso}:{sector}" if iso else None
    group = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", text)
    if group:
        iso = country_code(group.group(2))
        label = group.group(1).lower()
        group_sector = next((s for key, s in _ACLED_GROUPS.items() if key in label), None)
        if iso and group_sector:
            return f"{iso}:{group_sector}"
    entry = _alias_in(text)
    return entry.code if entry is not None else None


def acled_actor_key(code: str | None) -> str | None:
    """The key under which a tocsin actor code meets ACLED actors, or None.

    A country+sector code keeps its form ("RUS:MIL" -> "RUS:MIL"); sectors ACLED
    folds elsewhere move there ("UKR:LEG" -> "UKR:GOV", "RUS:MED" -> "RUS:CVL");
    a bare country ("RUS"), an international body ("NATO") or None gives None,
    because no single ACLED actor matches it.
    """
    if not code or ":" not in code:
        return None
    country, sector = split_code(code)
    acled_sector = _ACLED_SECTORS.get(sector or "", sector)
    return f"{country}:{acled_sector}" if country and acled_sector else None
