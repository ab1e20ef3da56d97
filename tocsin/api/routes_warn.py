"""``/api/index``, ``/api/indicators``, ``/api/alerts``: the warnings of the store.

Served through :mod:`tocsin.warn` when this build has it; until then every
route answers 501 "not available in this build" with the module it needs, and
``/api/capabilities`` tells the dashboard to show the panel as unavailable.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from tocsin.api import features
from tocsin.api.deps import ReadStore
from tocsin.api.errors import NotAvailable

router = APIRouter(prefix="/api", tags=["warnings"])


@router.get("/index", summary="Escalation index per day for a region or actor pair")
def index_series(
    store: ReadStore,
    region: Annotated[str | None, Query(description="ISO3 country or admin1 code.")] = None,
    pair: Annotated[str | None, Query(description="Actor pair, e.g. RUS-UKR.")] = None,
    since: date | None = None,
    until: date | None = None,
) -> JSONResponse:
    """The escalation index over time, with its components."""
    features.require("index", features.WARN_MODULES.get("index"))
    raise NotAvailable("index", None)


@router.get("/indicators", summary="The indicator board: each indicator's state and evidence")
def indicators(store: ReadStore) -> JSONResponse:
    """Every indicator of the users' checklists, evaluated over time."""
    features.require("indicators", features.WARN_MODULES.get("indicators"))
    raise NotAvailable("indicators", None)


@router.get("/alerts", summary="Alerts: when the index or an indicator moves")
def alerts(
    store: ReadStore,
    since: date | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> JSONResponse:
    """The latest alerts, newest first."""
    features.require("alerts", features.WARN_MODULES.get("alerts"))
    raise NotAvailable("alerts", None)
