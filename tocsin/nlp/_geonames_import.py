"""Add a user-downloaded GeoNames dump (allCountries.txt, XX.txt) to a gazetteer file.

The dump has 19 tab-separated columns: geonameid, name, asciiname,
alternatenames (comma-separated), latitude, longitude, feature class, feature
code, country code, cc2, admin1, admin2, admin3, admin4, population,
elevation, dem, timezone, modification date. Populated places (class P)
become ``place`` entries; ADM1/ADM2 become ``admin1``/``admin2`` and
independent political entities (PCL*) ``country``, replacing the derived
representative points with GeoNames' own coordinates. Other rows are skipped.
Names of Ukrainian entries also get their transliteration-variant keys.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from tocsin.errors import GazetteerError
from tocsin.nlp._fold import fold
from tocsin.nlp._gazetteer_build import INSERT_ENTRY
from tocsin.nlp._gazetteer_sources import usable_name, variant_rows

N_COLUMNS = 19
COUNT_ONE = (
    "UPDATE entries SET n_names = (SELECT COUNT(*) FROM names n WHERE n.id = ?1) WHERE id = ?1"
)
_COUNTRY_CODES = {"PCL", "PCLI", "PCLD", "PCLF", "PCLS", "PCLIX"}


def _kind(feature_class: str, feature_code: str) -> str | None:
    if feature_class == "P":
        return "place"
    if feature_class == "A" and feature_code in ("ADM1", "ADM2"):
        return "admin1" if feature_code == "ADM1" else "admin2"
    if feature_class == "A" and feature_code in _COUNTRY_CODES:
        return "country"
    return None


def _records(path: Path) -> Iterator[list[str]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise GazetteerError(f"cannot read the GeoNames dump {path}: {exc}") from exc
    with handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != N_COLUMNS:
                raise GazetteerError(
                    f"{path}:{line_no}: expected {N_COLUMNS} tab-separated columns as in a "
                    f"GeoNames dump (allCountries.txt or XX.txt), found {len(cols)}"
                )
            yield cols


def import_dump(conn: sqlite3.Connection, path: Path) -> int:
    """Insert or replace the dump's places and admin regions; return how many."""
    iso3_of = dict(conn.execute("SELECT iso2, iso3 FROM countries").fetchall())
    admin1_names = dict(
        conn.execute("SELECT admin1_code, name FROM entries WHERE kind = 'admin1'").fetchall()
    )
    records = [(cols, kind) for cols in _records(path) if (kind := _kind(cols[6], cols[7]))]
    for cols, kind in records:  # admin1 names first, so places in the same file get them
        if kind == "admin1":
            admin1_names[f"{cols[8]}.{cols[10]}"] = cols[1]
    rows, keys = [], []
    for cols, kind in records:
        gid, name, cc = int(cols[0]), cols[1], cols[8]
        code = f"{cc}.{cols[10]}" if cols[10] else None
        try:
            lat, lon = float(cols[4]), float(cols[5])
        except ValueError as exc:
            raise GazetteerError(f"{path}: geonameid {gid}: bad coordinates ({exc})") from exc
        population = int(cols[14]) if cols[14].isdigit() else 0
        if kind == "country":
            code = None
        rows.append(
            (
                gid,
                name,
                kind,
                iso3_of.get(cc),
                code,
                admin1_names.get(code) if code else None,
                lat,
                lon,
                population,
            )
        )
        primary = fold(name)
        keys.append((primary, gid, 1))
        for alt in (cols[2], *cols[3].split(",")):
            if alt and usable_name(alt) and (key := fold(alt)) and key != primary:
                keys.append((key, gid, 1 if kind != "place" else 0))
    conn.executemany(INSERT_ENTRY, rows)
    conn.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", keys)
    ids = sorted({(row[0],) for row in rows})
    conn.executemany(COUNT_ONE, ids)
    try:  # files built before the variants table have none to fill
        variants = variant_rows(conn, [row[0] for row in rows])
        conn.executemany("INSERT OR IGNORE INTO variants VALUES (?,?)", variants)
    except sqlite3.OperationalError:
        pass
    conn.commit()
    return len(rows)
