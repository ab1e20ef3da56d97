"""Build the gazetteer's SQLite file from the installed packages and project data.

Representative points. GeoNames packages give no coordinates for admin regions
or countries. Countries and admin1 regions listed in ``geonames_points.tsv`` get
GeoNames' own point written there; other countries in ``country_aliases.tsv``
the geographic centre written there; every other country and admin region the
coordinates of one of its own populated places:
the member place nearest to the spherical mean of all its member places (the
mean of their unit vectors, so a country across the 180th meridian is not
averaged into the wrong ocean). Snapping to a member keeps the point inside
the region even when the mean of a crescent-shaped region would fall outside
it. Such a point is marked ``kind`` admin1/admin2/country, never ``place``:
it says "somewhere in this region", not "in this town". A region with no
member place in cities500 has no coordinates.
"""

from __future__ import annotations

import logging
import math
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tocsin.nlp._fold import fold
from tocsin.nlp._gazetteer_sources import (
    FeatureRow,
    Subdivision,
    country_aliases,
    demonym_table,
    geonames_points,
    is_iso3,
    load_cities,
    load_city_subdivisions,
    load_countries,
    load_features,
    load_subdivisions,
    usable_name,
    variant_rows,
)

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT,
    admin1_code TEXT, admin1 TEXT, lat REAL, lon REAL, population INTEGER NOT NULL DEFAULT 0,
    n_names INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE names (key TEXT NOT NULL, id INTEGER NOT NULL, is_primary INTEGER NOT NULL,
    PRIMARY KEY (key, id)) WITHOUT ROWID;
CREATE TABLE countries (iso2 TEXT PRIMARY KEY, iso3 TEXT UNIQUE NOT NULL, id INTEGER NOT NULL);
CREATE TABLE feature_aliases (alias TEXT NOT NULL, id INTEGER NOT NULL);
CREATE TABLE demonyms (key TEXT PRIMARY KEY, iso3 TEXT NOT NULL);
CREATE TABLE variants (key TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (key, id)) WITHOUT ROWID;
"""

# Words that name the kind of an admin region: "Kharkiv Oblast", "Texas State".
ADMIN1_WORDS = ("oblast", "region", "province", "state", "governorate", "krai", "kray")
ADMIN2_WORDS = ("raion", "rayon", "district", "county")

Row = tuple[int, str, str, str | None, str | None, str | None, float | None, float | None, int]
ENTRY_COLUMNS = "id, name, kind, country, admin1_code, admin1, lat, lon, population"
INSERT_ENTRY = f"INSERT OR REPLACE INTO entries ({ENTRY_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)"
# How many names (Latin or Cyrillic script) each entry has: GeoNames lists many
# for places known worldwide (Geneva, Switzerland) and few for their namesakes.
COUNT_NAMES = "UPDATE entries SET n_names = (SELECT COUNT(*) FROM names n WHERE n.id = entries.id)"


@dataclass
class _Group:
    """Member places of one admin region or country, for its representative point."""

    members: list[tuple[float, float, float, float, float]] = field(default_factory=list)
    population: int = 0

    def add(self, lat: float, lon: float, population: int) -> None:
        rlat, rlon = math.radians(lat), math.radians(lon)
        xyz = (math.cos(rlat) * math.cos(rlon), math.cos(rlat) * math.sin(rlon), math.sin(rlat))
        self.members.append((*xyz, lat, lon))
        self.population += population

    def point(self) -> tuple[float | None, float | None]:
        """The member nearest to the spherical mean of the members."""
        if not self.members:
            return None, None
        sx = sum(m[0] for m in self.members)
        sy = sum(m[1] for m in self.members)
        sz = sum(m[2] for m in self.members)
        best = max(self.members, key=lambda m: m[0] * sx + m[1] * sy + m[2] * sz)
        return best[3], best[4]


def admin_keys(sub: Subdivision) -> set[str]:
    """Folded keys of an admin region: its names, each without its kind word,
    and each bare name followed by the usual kind words ("kharkiv region")."""
    words = ADMIN1_WORDS if sub.level == 1 else ADMIN2_WORDS
    keys: set[str] = set()
    for name in (sub.name, *sub.alternates):
        if not usable_name(name):
            continue
        key = fold(name)
        if not key:
            continue
        keys.add(key)
        head, _, last = key.rpartition(" ")
        base = head if head and last in words else key
        keys.add(base)
        if sub.type != "City" and name.isascii():
            keys.update(f"{base} {word}" for word in words)
    return keys


def admin_written_keys(sub: Subdivision) -> set[str]:
    """Folded keys of an admin region's names as GeoNames writes them. An admin2
    region found by another of its keys (its name without "County" or with a kind
    word added: "Atlantic" for Atlantic County) is an alternate-name match:
    counties and districts are seldom written that way."""
    names = (sub.name, *sub.alternates)
    return {key for name in names if usable_name(name) and (key := fold(name))}


def _place_rows(
    cities: dict[str, dict],
    subs: dict[int, Subdivision],
    links: dict[int, tuple[int | None, int | None]],
    iso3_of: dict[str, str],
    groups: dict[str, _Group],
    names: set[tuple[str, int, int]],
) -> list[Row]:
    """Rows and name keys of populated places; fills the member groups."""
    admin1_by_code = {s.code: row for row, s in subs.items() if s.level == 1}
    rows: list[Row] = []
    for rec in cities.values():
        gid, cc = int(rec["geonameid"]), rec["countrycode"]
        lat, lon, pop = float(rec["latitude"]), float(rec["longitude"]), int(rec["population"] or 0)
        a1_row, a2_row = links.get(gid, (None, None))
        if a1_row not in subs:
            a1_row = admin1_by_code.get(f"{cc}.{rec.get('admin1code') or ''}")
        admin1 = subs.get(a1_row) if a1_row is not None else None
        groups[cc].add(lat, lon, pop)
        for row in (a1_row, a2_row):
            if row in subs:
                groups[f"row:{row}"].add(lat, lon, pop)
        rows.append(
            (
                gid,
                rec["name"],
                "place",
                iso3_of.get(cc),
                admin1.code if admin1 else None,
                admin1.name if admin1 else None,
                lat,
                lon,
                pop,
            )
        )
        primary = fold(rec["name"])
        names.add((primary, gid, 1))
        for alt in rec.get("alternatenames") or ():
            if usable_name(alt):
                key = fold(alt)
                if key and key != primary:
                    names.add((key, gid, 0))
    return rows


def _admin_rows(
    subs: dict[int, Subdivision],
    iso3_of: dict[str, str],
    groups: dict[str, _Group],
    names: set[tuple[str, int, int]],
) -> list[Row]:
    rows: list[Row] = []
    points = geonames_points()
    for line, sub in subs.items():
        parent = subs.get(sub.parent_row) if sub.parent_row else None
        a1 = sub if sub.level == 1 else parent
        lat, lon = points.get(sub.code) or groups[f"row:{line}"].point()
        rows.append(
            (
                sub.geonameid,
                sub.name,
                f"admin{sub.level}",
                iso3_of.get(sub.code[:2]),
                a1.code if a1 else None,
                a1.name if a1 else None,
                lat,
                lon,
                groups[f"row:{line}"].population,
            )
        )
        written = admin_written_keys(sub) if sub.level == 2 else None
        names.update(
            (key, sub.geonameid, int(written is None or key in written)) for key in admin_keys(sub)
        )
    return rows


def _feature_rows(features: Iterable[FeatureRow], names: set[tuple[str, int, int]]) -> list[Row]:
    rows: list[Row] = []
    for feat in features:
        rows.append(
            (feat.id, feat.name, "feature", feat.country, None, None, feat.lat, feat.lon, 0)
        )
        keys = {fold(alias) for alias in (feat.name, *feat.aliases)}
        names.update((key, feat.id, 1) for key in keys)
        # "the Atlantic" is also "Atlantic" when given alone, as an alternate name
        names.update(
            (key[4:], feat.id, 0) for key in keys if key.startswith("the ") and key[4:] not in keys
        )
    return rows


def write_gazetteer(
    conn: sqlite3.Connection, meta: dict[str, str], progress: Callable[[str], None]
) -> dict[str, int]:
    """Fill an empty SQLite database with every entry and name key. Returns counts."""
    conn.executescript(SCHEMA)
    progress("reading countries and subdivisions")
    countries = load_countries()
    iso3_of = {iso2: c.iso3 for iso2, c in countries.items()}
    subs = load_subdivisions()
    links = load_city_subdivisions()
    progress("reading cities500 (about 235,000 places)")
    cities = load_cities()
    groups: dict[str, _Group] = defaultdict(_Group)
    names: set[tuple[str, int, int]] = set()
    progress("indexing populated places")
    rows = _place_rows(cities, subs, links, iso3_of, groups, names)
    del cities
    progress("indexing admin regions, countries and features")
    rows += _admin_rows(subs, iso3_of, groups, names)
    for iso2, c in countries.items():
        lat, lon = geonames_points().get(iso2) or c.point or groups[iso2].point()
        rows.append((c.geonameid, c.name, "country", c.iso3, None, None, lat, lon, c.population))
        names.update((fold(n), c.geonameid, 1) for n in c.names if usable_name(n) and fold(n))
    features = load_features()
    rows += _feature_rows(features, names)
    progress(f"writing {len(rows):,} entries and {len(names):,} name keys")
    conn.executemany(INSERT_ENTRY, rows)
    conn.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", sorted(names))
    conn.execute("CREATE INDEX names_id ON names (id)")
    progress("indexing transliteration variants")
    conn.executemany("INSERT OR IGNORE INTO variants VALUES (?,?)", variant_rows(conn))
    conn.execute(COUNT_NAMES)
    conn.executemany(
        "INSERT INTO countries VALUES (?,?,?)",
        [(iso2, c.iso3, c.geonameid) for iso2, c in countries.items()],
    )
    conn.executemany(
        "INSERT INTO feature_aliases VALUES (?,?)",
        [(alias, f.id) for f in features for alias in (f.name, *f.aliases)],
    )
    known = {c.iso3 for c in countries.values()}
    conn.executemany(
        "INSERT OR REPLACE INTO demonyms VALUES (?,?)",
        [(fold(w), t) for w, t in demonym_table() if is_iso3(t) and t in known]
        + [(fold(d), a.iso3) for a in country_aliases() for d in a.demonyms],
    )
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", sorted(meta.items()))
    progress("indexing entries by kind")
    conn.execute("CREATE INDEX entries_kind ON entries (kind)")
    conn.commit()
    kinds = dict(conn.execute("SELECT kind, COUNT(*) FROM entries GROUP BY kind").fetchall())
    return {**kinds, "names": len(names)}
