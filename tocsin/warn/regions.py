"""Regions and actor pairs: what an index series or an indicator is about.

A :class:`Region` is a union of countries (ISO 3166 alpha-3), admin1 regions
and circles around a place or feature (a border, a sea); an empty region is
everywhere. An actor pair ``A,B`` matches events whose actor is A and target
is B, or the other way round; a code matches itself and its sectors (``RUS``
matches ``RUS:MIL``). Names are resolved with the gazetteer and codes checked
against the actor lexicon: an unknown name or code is an error, never an empty
series.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from tocsin.errors import QueryError

EARTH_KM = 6371.0088
DEFAULT_KM = 150.0


@dataclass(frozen=True)
class Region:
    """Countries, admin1 regions ``(country, name)`` and circles ``(lat, lon, km)``."""

    label: str = "all"
    countries: tuple[str, ...] = ()
    admin1: tuple[tuple[str | None, str], ...] = ()
    near: tuple[tuple[float, float, float], ...] = ()

    @property
    def everywhere(self) -> bool:
        return not (self.countries or self.admin1 or self.near)

    def sql(self, alias: str = "e") -> tuple[str, list[Any]]:
        """A SQL condition on an events table (``alias``) that keeps the events
        :meth:`mask` keeps (circles pruned by their bounding box first, then cut by
        the great-circle distance), with its parameters. ``("", [])`` everywhere."""
        if self.everywhere:
            return "", []
        parts: list[str] = []
        params: list[Any] = []
        if self.countries:
            parts.append(f"{alias}.country IN ({', '.join('?' * len(self.countries))})")
            params += list(self.countries)
        for country, name in self.admin1:
            if country:
                parts.append(f"({alias}.admin1 = ? AND {alias}.country = ?)")
                params += [name, country]
            else:
                parts.append(f"{alias}.admin1 = ?")
                params.append(name)
        for plat, plon, km in self.near:
            box, values = _bounding_box(alias, plat, plon, km)
            # the box prunes cheaply; the great-circle distance decides, as in mask()
            parts.append(f"({box} AND {_distance_sql(alias, plat, plon)} <= {float(km)!r})")
            params += values
        return "(" + " OR ".join(parts) + ")", params

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """Which rows of an event frame lie in the region."""
        if self.everywhere:
            return pd.Series(True, index=frame.index)
        hit = frame["country"].isin(self.countries) if self.countries else _none(frame)
        for country, name in self.admin1:
            same = frame["admin1"] == name
            if country:
                same &= frame["country"] == country
            hit |= same.fillna(False)
        lat = frame["lat"].to_numpy(dtype=float)
        lon = frame["lon"].to_numpy(dtype=float)
        for plat, plon, km in self.near:
            with np.errstate(invalid="ignore"):
                dist = haversine_km(lat, lon, plat, plon)
            hit |= pd.Series(np.nan_to_num(dist, nan=np.inf) <= km, index=frame.index)
        return hit.fillna(False).astype(bool)


def _distance_sql(alias: str, plat: float, plon: float) -> str:
    """Great-circle distance in km from the event to a point, as ``haversine_km``."""
    p2, l2 = math.radians(plat), math.radians(plon)
    lat, lon = f"radians({alias}.lat)", f"radians({alias}.lon)"
    inner = (
        f"pow(sin(({p2!r} - {lat}) / 2), 2) + cos({lat}) * {math.cos(p2)!r} "
        f"* pow(sin(({l2!r} - {lon}) / 2), 2)"
    )
    return f"(2 * {EARTH_KM!r} * asin(sqrt({inner})))"


def _bounding_box(alias: str, plat: float, plon: float, km: float) -> tuple[str, list[float]]:
    """SQL for the latitude/longitude box around a circle: a band of latitude near a
    pole, two longitude ranges across the antimeridian."""
    d = km / EARTH_KM
    dlat = math.degrees(d)
    lat = f"{alias}.lat BETWEEN ? AND ?"
    reach = math.sin(d) / max(math.cos(math.radians(plat)), 1e-9)
    if abs(plat) + dlat >= 90.0 or reach >= 1.0:
        return f"({lat})", [plat - dlat, plat + dlat]
    dlon = math.degrees(math.asin(reach)) + 1e-6
    lo, hi = plon - dlon, plon + dlon
    wrap = (lo + 360, 180.0) if lo < -180 else (-180.0, hi - 360) if hi > 180 else (1.0, 0.0)
    lon = f"{alias}.lon BETWEEN ? AND ?"
    return f"({lat} AND ({lon} OR {lon}))", [plat - dlat, plat + dlat, lo, hi, *wrap]


def _none(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(False, index=frame.index)


def haversine_km(lat: Any, lon: Any, plat: float, plon: float) -> Any:
    """Great-circle distance in km from arrays of points to one point."""
    p1, p2 = np.radians(lat), np.radians(plat)
    a = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(plon - lon) / 2) ** 2
    )
    return 2 * EARTH_KM * np.arcsin(np.sqrt(a))


@lru_cache(maxsize=1)
def _lexicon_codes() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    from tocsin.nlp.actor_lexicon import lexicon

    lex = lexicon()
    bodies = frozenset(e.code for e in lex.aliases.values() if ":" not in e.code)
    return lex.country_codes, lex.sectors, bodies


def actor_code_problem(code: str) -> str | None:
    """Why ``code`` is not a known actor code (None when it is known)."""
    countries, sectors, bodies = _lexicon_codes()
    if not isinstance(code, str) or not code:
        return "an actor code must be a non-empty string such as RUS, RUS:MIL or NATO"
    head, _, sector = code.partition(":")
    if sector:
        if head not in countries:
            return f"unknown country {head!r} in actor code {code!r} (ISO 3166 alpha-3)"
        if sector not in sectors:
            return f"unknown sector {sector!r} in {code!r}; known: {', '.join(sorted(sectors))}"
        return None
    if code in countries or code in bodies:
        return None
    return f"unknown actor code {code!r}: not a country (ISO alpha-3) nor a body such as NATO, EU"


def country_problem(code: str) -> str | None:
    """Why ``code`` is not a known ISO 3166 alpha-3 country code."""
    countries, _, _ = _lexicon_codes()
    return None if code in countries else f"unknown country code {code!r} (ISO 3166 alpha-3)"


def code_matches(values: pd.Series, codes: tuple[str, ...]) -> pd.Series:
    """Rows whose actor code is one of ``codes`` or a sector of one of them."""
    hit = pd.Series(False, index=values.index)
    text = values.fillna("")
    for code in codes:
        hit |= (text == code) | text.str.startswith(code + ":")
    return hit


def parse_pair(spec: str) -> tuple[str, str]:
    """``"RUS,UKR"`` -> ("RUS", "UKR"), both checked against the actor lexicon."""
    parts = [p.strip().upper() for p in re.split(r"[,/]", spec) if p.strip()]
    if len(parts) != 2:
        raise QueryError(
            f"--pair {spec!r}: give two actor codes separated by a comma, e.g. RUS,UKR"
        )
    for code in parts:
        problem = actor_code_problem(code)
        if problem:
            raise QueryError(f"--pair {spec!r}: {problem}")
    return parts[0], parts[1]


def pair_sql(pair: tuple[str, str], alias: str = "e") -> tuple[str, list[str]]:
    """SQL for ``pair_mask`` on an events table (``alias``), and its parameters."""

    def matches(column: str) -> str:
        return f"({alias}.{column} = ? OR starts_with({alias}.{column}, ? || ':'))"

    a, b = pair
    clause = (
        f"(({matches('actor')} AND {matches('target')}) OR "
        f"({matches('actor')} AND {matches('target')}))"
    )
    return clause, [a, a, b, b, b, b, a, a]


def pair_mask(frame: pd.DataFrame, pair: tuple[str, str]) -> pd.Series:
    """Events between the two actors, in either direction."""
    a, b = (pair[0],), (pair[1],)
    actor, target = frame["actor"], frame["target"]
    forward = code_matches(actor, a) & code_matches(target, b)
    backward = code_matches(actor, b) & code_matches(target, a)
    return forward | backward


def resolve_region(spec: str | None, km: float = DEFAULT_KM, gazetteer: Any = None) -> Region:
    """A region from a spec: ``all``, an ISO3 country, an admin1 or a place/feature name.

    Places and features (a border, a sea) become a circle of ``km`` around their
    point. Raises :class:`QueryError` for a name the gazetteer does not know.
    """
    if spec is None or spec.strip().lower() in ("", "all"):
        return Region()
    spec = spec.strip()
    if re.fullmatch(r"[A-Z]{3}", spec) and country_problem(spec) is None:
        return Region(label=spec, countries=(spec,))
    if gazetteer is None:
        from tocsin.nlp.gazetteer import Gazetteer

        gazetteer = Gazetteer.open()
    found = gazetteer.lookup(spec)
    if not found:
        raise QueryError(
            f"unknown region {spec!r}: not an ISO3 country code and not in the gazetteer "
            "(try a country code such as UKR, an oblast name, or a feature such as "
            "'Russia-Ukraine border')"
        )
    best = found[0]
    if best.kind == "country" and best.country:
        return Region(label=best.country, countries=(best.country,))
    if best.kind == "admin1":
        return Region(label=best.name, admin1=((best.country, best.name),))
    if best.lat is None or best.lon is None:
        raise QueryError(f"region {spec!r} ({best.name}) has no coordinates in the gazetteer")
    return Region(label=f"{best.name} ({km:g} km)", near=((best.lat, best.lon, km),))
