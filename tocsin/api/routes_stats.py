"""``/api/stats``, ``/api/capabilities`` and ``/api/health``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from tocsin import __version__
from tocsin.api.deps import Handle, ReadStore
from tocsin.api.respond import JSONResponse
from tocsin.api.routes_claims import has_rows
from tocsin.export import plain
from tocsin.query import stats

router = APIRouter(prefix="/api", tags=["store"])


@router.get("/stats", summary="What the store holds (as `tocsin stats --json`)")
def store_stats(store: ReadStore, handle: Handle) -> JSONResponse:
    """Counts, date spans, events by type, top places (cached until the next write)."""

    def compute() -> dict[str, Any]:
        s = stats(store)
        span = store.con.execute("SELECT min(published), max(published) FROM documents")
        s["first_published"], s["last_published"] = (
            plain(v) for v in (span.fetchone() or (None, None))
        )
        return s

    return JSONResponse(handle.cache.memo(("stats",), compute))


@router.get("/capabilities", summary="Which optional features this server has")
def capabilities(request: Request, store: ReadStore) -> JSONResponse:
    """Claims, situations, index, indicators, alerts (always served; ``*_stored``:
    the store holds claims or situations); plus settings the dashboard needs
    (whether writes are enabled, the optional tile layer)."""
    return JSONResponse(
        {
            "version": __version__,
            "features": {
                "claims": True,
                "situations": True,
                "claims_stored": has_rows(store, "claims"),
                "situations_stored": has_rows(store, "situations"),
                "index": True,
                "indicators": True,
                "alerts": True,
            },
            "writes": bool(request.app.state.token),
            "tiles": request.app.state.tiles,
            "max_upload_bytes": request.app.state.max_upload_bytes,
        }
    )


@router.get("/health", summary="Liveness: the store answers")
def health(store: ReadStore) -> JSONResponse:
    store.con.execute("SELECT 1").fetchone()
    return JSONResponse({"ok": True, "store": store.path})
