"""``/api/events``: filtered events, map points, a day-by-day timeline, one event.

The filters are those of ``tocsin events`` (:class:`tocsin.query.EventFilter`),
given as query parameters; ``type`` may be repeated.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from tocsin.api.cache import GenerationCache
from tocsin.api.deps import Handle, ReadStore, doc_counts
from tocsin.api.errors import ApiError
from tocsin.api.respond import (
    Format,
    FormatParam,
    JSONResponse,
    LimitParam,
    OffsetParam,
    cached_answer,
    download,
    fetch_records,
    json_page,
    page_size,
)
from tocsin.errors import TocsinError
from tocsin.export import plain
from tocsin.nlp._ontology import QUADS, plover_types
from tocsin.query import REPORTS_OF_DOCUMENT, EventFilter, events_sql, parse_near
from tocsin.store import Store

router = APIRouter(prefix="/api/events", tags=["events"])

POINTS_DEFAULT = 5000
POINTS_MAX = 50_000
POINT_COLUMNS = (
    "id", "doc_id", "lat", "lon", "type", "mode", "quad", "date_start", "date_end",
    "place_name", "country", "actor", "target", "trigger", "negated", "hedged",
)  # fmt: skip
# Each point as a JSON object written by DuckDB (2,000 points built as Python dicts
# cost more than the query); NaN is not JSON, so coordinates that are NaN become null.
POINT_JSON = "to_json(struct_pack({}))".format(
    ", ".join(
        f'"{c}" := nullif("{c}", \'NaN\'::DOUBLE)' if c in ("lat", "lon") else f'"{c}" := "{c}"'
        for c in POINT_COLUMNS
    )
)
JSON = "application/json"


async def event_filter(  # async: validation only, no thread-pool hop (see deps.py)
    since: Annotated[
        date | None, Query(description="Events ending on or after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[date | None, Query(description="Events starting on or before.")] = None,
    type: Annotated[list[str], Query(description="PLOVER type (repeatable).")] = [],  # noqa: B006
    actor: Annotated[str | None, Query(description="Actor/target code prefix or words.")] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO 3166 alpha-3 of the place.")
    ] = None,
    near: Annotated[str | None, Query(description="'lat,lon' or a place name.")] = None,
    km: Annotated[float, Query(ge=0, le=20_000, description="Radius for near.")] = 50.0,
    text: Annotated[str | None, Query(description="Words that must occur in the sentence.")] = None,
    doc: Annotated[str | None, Query(description="Document id or id prefix.")] = None,
    negated: Annotated[bool, Query(description="Include negated events.")] = True,
) -> EventFilter:
    """Dependency: the query parameters as an :class:`EventFilter` (422 when invalid)."""
    known = set(plover_types())
    bad = [t for t in type if t.upper() not in known]
    if bad:
        raise ApiError(
            422,
            f"invalid parameter type: {', '.join(map(repr, bad))} is not a PLOVER type; "
            f"choose from {', '.join(sorted(known))}",
            "type",
        )
    point = None
    if near:
        try:
            point = parse_near(near)
        except TocsinError as exc:  # not a point nor a known place, or no gazetteer
            raise ApiError(422, f"invalid parameter near: {exc}", "near") from exc
    return EventFilter(
        since=since, until=until, types=tuple(t.upper() for t in type), actor=actor or None,
        country=country, near=point, km=km, text=text or None, doc_id=doc or None,
        include_negated=negated,
    )  # fmt: skip


Filter = Annotated[EventFilter, Depends(event_filter)]


def unordered(sql: str) -> str:
    """The filter's SQL without its ORDER BY (a subquery that is sorted costs a full sort)."""
    return sql.rsplit(" ORDER BY ", 1)[0]


def count(store: Store, cache: GenerationCache, f: EventFilter) -> int:
    """How many events the filter selects (cached until the next write).

    A filter with ``since`` and no ``until`` is counted from a histogram of the
    same filter without ``since`` over each event's last day (``date_end``, or
    ``date_start`` when it has no end: what ``since`` compares), kept until the
    next write: every ``since`` of one filter then costs a lookup, not a scan.
    """
    if f.since is not None and f.until is None:
        days, after = _last_day_histogram(store, cache, replace(f, since=None))
        return after[bisect_left(days, f.since)]
    sql, params = events_sql(f)

    def compute() -> int:
        row = store.con.execute(f"SELECT count(*) FROM ({unordered(sql)})", params).fetchone()
        return int(row[0]) if row else 0

    return cache.memo(("count", unordered(sql), tuple(params)), compute)


def _last_day_histogram(
    store: Store, cache: GenerationCache, f: EventFilter
) -> tuple[list[date], list[int]]:
    """The distinct last days of the events ``f`` selects, ascending, and for each
    position the number of events whose last day is on or after that day (with a
    final 0: none after the last)."""
    sql, params = events_sql(f)

    def compute() -> tuple[list[date], list[int]]:
        rows = store.con.execute(
            f"SELECT coalesce(date_end, date_start) AS last_day, count(*) "
            f"FROM ({unordered(sql)}) WHERE last_day IS NOT NULL GROUP BY 1 ORDER BY 1",
            params,
        ).fetchall()
        after = [0] * (len(rows) + 1)
        for i in range(len(rows) - 1, -1, -1):
            after[i] = after[i + 1] + int(rows[i][1])
        return [row[0] for row in rows], after

    return cache.memo(("last_days", unordered(sql), tuple(params)), compute)


@router.get("", summary="Events, filtered and paged; or a download")
def list_events(
    request: Request,
    store: ReadStore,
    handle: Handle,
    f: Filter,
    format: FormatParam = Format.json,
    limit: LimitParam = None,
    offset: OffsetParam = 0,
) -> Response:
    """Events passing the filters, one flat row each (as ``tocsin events``)."""
    sql, params = events_sql(f)
    size = page_size(format, limit)
    page = f"{sql} LIMIT {size} OFFSET {int(offset)}"
    if format is not Format.json:
        return download(store.con.execute(page, params).df(), format, "events")

    def build() -> Response:
        items = fetch_records(store, page, params)
        total = count(store, handle.cache, f)
        return json_page(request, items, total, size, offset)

    return cached_answer(request, handle.answers, build)


@router.get("/points", summary="Geocoded events for the map, with their report counts")
def points(
    request: Request,
    store: ReadStore,
    handle: Handle,
    f: Filter,
    quad: Annotated[str | None, Query(description="Quad class, e.g. material_conflict.")] = None,
    limit: Annotated[int, Query(ge=1, le=POINTS_MAX)] = POINTS_DEFAULT,
) -> Response:
    """Events with coordinates; ``reports`` counts the copies of their document."""
    if quad is not None and quad not in QUADS:
        raise ApiError(422, f"invalid parameter quad: choose from {', '.join(QUADS)}", "quad")
    sql, params = events_sql(f)
    where = "lat IS NOT NULL" + (" AND quad = ?" if quad else "")
    params = params + ([quad] if quad else [])

    def build() -> Response:
        # the page is chosen first and only its rows are written as JSON (DuckDB
        # computes a projection before a Top N: every matching row would be)
        order = "ORDER BY date_start NULLS LAST, id"
        rows = store.con.execute(
            f"SELECT {POINT_JSON}, doc_id FROM (SELECT * FROM ({unordered(sql)}) "
            f"WHERE {where} {order} LIMIT {int(limit) + 1}) {order}",
            params,
        ).fetchall()
        copies = doc_counts(store, handle.cache, "reports")
        items = ",".join(
            f'{obj[:-1]},"reports":{copies.get(doc, 1)}}}' for obj, doc in rows[:limit]
        )
        truncated = "true" if len(rows) > limit else "false"
        return Response(f'{{"items":[{items}],"truncated":{truncated}}}', media_type=JSON)

    return cached_answer(request, handle.answers, build)


@router.get("/timeline", summary="Events per day, by PLOVER type")
def timeline(request: Request, store: ReadStore, handle: Handle, f: Filter) -> Response:
    """Counts of filtered events per start day and type (kept until the next write)."""
    sql, params = events_sql(f)

    def build() -> Response:
        rows = store.con.execute(
            f"SELECT date_start, type, quad, count(*) FROM ({unordered(sql)}) "
            "WHERE date_start IS NOT NULL "
            "GROUP BY ALL ORDER BY 1, 2",
            params,
        ).fetchall()
        items = [{"day": plain(d), "type": t, "quad": q, "events": n} for d, t, q, n in rows]
        return JSONResponse({"items": items})

    return cached_answer(request, handle.answers, build)


@router.get("/{event_id}", summary="One event with its document's reports")
def one_event(event_id: str, store: ReadStore) -> JSONResponse:
    """The event with this id, and the reports (copies) of its document."""
    found = fetch_records(store, "SELECT * FROM events WHERE id = ?", [event_id])
    if not found:
        raise ApiError(404, f"no event {event_id!r} in this store (see /api/events for ids)")
    event = found[0]
    event["reports"] = fetch_records(store, REPORTS_OF_DOCUMENT, [event["doc_id"]])
    return JSONResponse(event)
