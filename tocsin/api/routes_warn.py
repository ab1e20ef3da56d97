"""``/api/index``, ``/api/indicators``, ``/api/alerts``: the warnings of the store.

Each route calls :mod:`tocsin.warn` (the same functions as ``tocsin index``,
``tocsin indicators`` and ``tocsin backtest``) and returns ``{"items": [...]}``.
The index and indicator items are kept until the next write (``handle.cache``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query

from tocsin.api.deps import Handle, ReadStore, StoreHandle
from tocsin.api.errors import ApiError
from tocsin.api.respond import JSONResponse
from tocsin.errors import TocsinError
from tocsin.export import records
from tocsin.warn import (
    default_checklists,
    evaluate_checklist,
    index_alerts,
    parse_pair,
    resolve_region,
)
from tocsin.warn import (
    index_series as warn_index_series,
)
from tocsin.warn.escalation import (
    MAGNITUDE_SQL,
    WEIGHT_SQL,
    index_days,
    index_label,
    index_records,
    window_records,
)
from tocsin.warn.evidence_table import current_table

router = APIRouter(prefix="/api", tags=["warnings"])


def _items(frame: pd.DataFrame) -> JSONResponse:
    return JSONResponse({"items": records(frame)})


def _evidence_table(store: Any, handle: StoreHandle) -> str | None:
    """The evidence table, checked (and rebuilt if stale) once per store generation: the
    server is the store's only writer, so the table stays current until its next write."""
    return handle.cache.memo(
        ("evidence_table",), lambda: current_table(store, WEIGHT_SQL, MAGNITUDE_SQL)
    )


def _area(region: str | None, pair: str | None) -> tuple[Any, tuple[str, str] | None]:
    try:
        area = resolve_region(region) if region else None
        actors = parse_pair(pair) if pair else None
    except TocsinError as exc:  # an unknown region or actor pair
        raise ApiError(422, f"region/pair: {exc}") from exc
    return area, actors


def _series(store: Any, handle: StoreHandle, region: str | None, pair: str | None,
            since: date | None, until: date | None) -> pd.DataFrame:  # fmt: skip
    area, actors = _area(region, pair)
    return warn_index_series(
        store, region=area, pair=actors, start=since, end=until,
        evidence_table=_evidence_table(store, handle),
    )  # fmt: skip


@router.get("/index", summary="Escalation index per day for a region or actor pair")
def index_series(
    store: ReadStore,
    handle: Handle,
    region: Annotated[
        str | None, Query(description="Region: ISO3 country, admin1 or a named area.")
    ] = None,
    pair: Annotated[str | None, Query(description="Actor pair, e.g. RUS,UKR.")] = None,
    since: date | None = None,
    until: date | None = None,
) -> JSONResponse:
    """The escalation index over time; days without data have ``status: no data``."""
    area, actors = _area(region, pair)
    if since is not None and until is not None and since <= until:
        # a window cut from the region's whole history, read once per store generation
        # (each day's figures depend on that day's events only)
        days = handle.cache.memo(
            ("index_days", region, pair),
            lambda: index_days(store, area, actors, evidence_table=_evidence_table(store, handle)),
        )
        items = window_records(days, index_label(area, actors), since, until)
        return JSONResponse({"items": items})

    def compute() -> list[dict[str, Any]]:
        table = _evidence_table(store, handle)
        return index_records(store, area, actors, since, until, evidence_table=table)

    items = handle.cache.memo(("index", region, pair, since, until), compute)
    return JSONResponse({"items": items})


@router.get("/indicators", summary="The indicator board: each indicator's state and evidence")
def indicators(store: ReadStore, handle: Handle, as_of: date | None = None) -> JSONResponse:
    """Every indicator of the shipped checklists, with the evidence for and against
    (the whole store is read: the answer is kept until the next write)."""

    def compute() -> list[dict[str, Any]]:
        frames = [evaluate_checklist(store, path, as_of) for path in default_checklists()]
        return records(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame())

    return JSONResponse({"items": handle.cache.memo(("indicators", as_of), compute)})


@router.get("/alerts", summary="Alerts: days when the index leaves its trailing baseline")
def alerts(
    store: ReadStore,
    handle: Handle,
    region: Annotated[str | None, Query(description="As for /api/index.")] = None,
    since: date | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> JSONResponse:
    """The latest index alerts, newest first, each with its evidence."""
    found = index_alerts(_series(store, handle, region, None, since, None))
    if not found.empty:
        found = found.sort_values("day", ascending=False).head(limit)
    return _items(found)
