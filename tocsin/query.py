"""Queries over the store: event filters, stats, documents with their spans.

Filters are turned into one parameterised SQL statement; results come back as
pandas DataFrames (the Python API) and are written by :mod:`tocsin.export`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from tocsin.errors import QueryError
from tocsin.store import Store

EARTH_KM = 6371.0088


@dataclass(frozen=True)
class EventFilter:
    """Filters of ``tocsin events``; every field is optional."""

    since: date | None = None
    until: date | None = None
    types: tuple[str, ...] = ()
    actor: str | None = None  # a code prefix ("RUS", "RUS:MIL") or words of the actor text
    country: str | None = None  # ISO3 of the place
    near: tuple[float, float] | None = None  # (lat, lon)
    km: float = 50.0
    text: str | None = None  # words that must occur in the sentence
    doc_id: str | None = None
    include_negated: bool = True
    limit: int | None = None


def parse_near(value: str, gazetteer: Any | None = None) -> tuple[float, float]:
    """``"49.98,36.25"`` or a place name looked up in the gazetteer."""
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*", value)
    if m:
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise QueryError(f"--near {value!r}: latitude or longitude out of range")
        return lat, lon
    if gazetteer is None:
        from tocsin.nlp.gazetteer import Gazetteer

        gazetteer = Gazetteer.open()
    points = [
        (c.population or 0, float(c.lat), float(c.lon))
        for c in gazetteer.lookup(value)
        if c.lat is not None and c.lon is not None
    ]
    if not points:
        raise QueryError(f"--near {value!r}: not a 'lat,lon' pair and not a place in the gazetteer")
    _, lat, lon = max(points)
    return lat, lon


def events_sql(f: EventFilter) -> tuple[str, list[Any]]:
    """The SQL and parameters selecting events that pass ``f``."""
    where: list[str] = []
    params: list[Any] = []
    if f.since:  # coalesce(date_end, date_start) >= since, in a form DuckDB pushes into the scan
        where.append("(date_end >= ? OR (date_end IS NULL AND date_start >= ?))")
        params.extend([f.since, f.since])
    if f.until:
        where.append("date_start <= ?")
        params.append(f.until)
    if f.types:
        where.append(f"type IN ({', '.join('?' * len(f.types))})")
        params.extend(t.upper() for t in f.types)
    if f.actor:
        where.append("(actor LIKE ? OR target LIKE ? OR actor_text ILIKE ?)")
        params.extend([f"{f.actor.upper()}%", f"{f.actor.upper()}%", f"%{f.actor}%"])
    if f.country:
        where.append("country = ?")
        params.append(f.country.upper())
    if f.near:
        lat, lon = f.near
        where.append(
            "lat IS NOT NULL AND 2 * ? * asin(sqrt(pow(sin(radians(lat - ?) / 2), 2) + "
            "cos(radians(?)) * cos(radians(lat)) * pow(sin(radians(lon - ?) / 2), 2))) <= ?"
        )
        params.extend([EARTH_KM, lat, lat, lon, f.km])
    if f.text:
        for word in f.text.split():
            where.append("sentence ILIKE ?")
            params.append(f"%{word}%")
    if f.doc_id:
        where.append("doc_id LIKE ?")
        params.append(f"{f.doc_id}%")
    if not f.include_negated:
        where.append("NOT negated")
    sql = "SELECT * FROM events"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY date_start NULLS LAST, doc_id, start, trigger_start"
    if f.limit:
        sql += f" LIMIT {int(f.limit)}"
    return sql, params


def events(store: Store, f: EventFilter | None = None) -> pd.DataFrame:
    """Events passing the filter, as a DataFrame (one flat row per event)."""
    sql, params = events_sql(f or EventFilter())
    return store.con.execute(sql, params).df()


def stats(store: Store) -> dict[str, Any]:
    """A summary of the store: counts, date span, events by type, top places."""
    con = store.con

    def one(sql: str) -> Any:
        row = con.execute(sql).fetchone()
        return row[0] if row else None

    by_type = con.execute(
        "SELECT type, count(*) FROM events GROUP BY type ORDER BY 2 DESC, 1"
    ).fetchall()
    by_kind = con.execute("SELECT kind, count(*) FROM reports GROUP BY kind ORDER BY 1").fetchall()
    places = con.execute(
        "SELECT place_name, country, count(*) FROM events WHERE place_name IS NOT NULL "
        "GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 10"
    ).fetchall()
    span = con.execute("SELECT min(date_start), max(date_end) FROM events").fetchone()
    return {
        "path": store.path,
        "documents": one("SELECT count(*) FROM documents"),
        "reports": one("SELECT count(*) FROM reports"),
        "reports_by_kind": {k: n for k, n in by_kind},
        "events": one("SELECT count(*) FROM events"),
        "events_geocoded": one("SELECT count(*) FROM events WHERE lat IS NOT NULL"),
        "mentions": one("SELECT count(*) FROM mentions"),
        "skipped": one("SELECT count(*) FROM skipped"),
        "runs": one("SELECT count(*) FROM runs"),
        "first_date": str(span[0]) if span and span[0] else None,
        "last_date": str(span[1]) if span and span[1] else None,
        "events_by_type": {t: n for t, n in by_type},
        "top_places": [{"place": p, "country": c, "events": n} for p, c, n in places],
    }


REPORTS_OF_DOCUMENT = (
    "SELECT kind, source, outlet, published FROM reports WHERE doc_id = ? "
    "ORDER BY kind DESC, source"
)


def find_document(store: Store, doc_ref: str) -> dict[str, Any]:
    """A document by id (or unique id prefix, or exact source) with its spans."""
    doc = document_row(store, doc_ref)
    doc["mentions"] = (
        store.con.execute(
            "SELECT * FROM mentions WHERE doc_id = ? ORDER BY start, kind", [doc["id"]]
        )
        .df()
        .to_dict("records")
    )
    doc["events"] = (
        store.con.execute("SELECT * FROM events WHERE doc_id = ? ORDER BY start", [doc["id"]])
        .df()
        .to_dict("records")
    )
    doc["reports"] = store.con.execute(REPORTS_OF_DOCUMENT, [doc["id"]]).df().to_dict("records")
    return doc


def document_row(store: Store, doc_ref: str) -> dict[str, Any]:
    """The stored fields of a document found by id, unique id prefix or exact source."""
    keys = ("id", "source", "url", "outlet", "title", "published", "text")
    row = store.con.execute(  # a whole id: one key lookup (ids are hashes of one length)
        f"SELECT {', '.join(keys)} FROM documents WHERE id = ?", [doc_ref]
    ).fetchone()
    if row is not None:
        return dict(zip(keys, row, strict=True))
    ids = store.con.execute(
        "SELECT id FROM documents WHERE id LIKE ? OR source = ? LIMIT 2", [f"{doc_ref}%", doc_ref]
    ).fetchall()
    if not ids:
        raise QueryError(f"no document {doc_ref!r} in {store.path} (see `tocsin events` for ids)")
    if len(ids) > 1:
        raise QueryError(f"{doc_ref!r} matches more than one document: give more of its id")
    row = store.con.execute(  # by its key: the search above reads no text
        f"SELECT {', '.join(keys)} FROM documents WHERE id = ?", [ids[0][0]]
    ).fetchone()
    if row is None:
        raise QueryError(f"no document {doc_ref!r} in {store.path} (see `tocsin events` for ids)")
    return dict(zip(keys, row, strict=True))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (the same formula the SQL filter uses)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))
