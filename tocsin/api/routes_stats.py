"""``/api/stats``, ``/api/capabilities`` and ``/api/health``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from tocsin import __version__
from tocsin.api import features
from tocsin.api.deps import ReadStore
from tocsin.export import plain
from tocsin.query import stats

router = APIRouter(prefix="/api", tags=["store"])


@router.get("/stats", summary="What the store holds (as `tocsin stats --json`)")
def store_stats(store: ReadStore) -> JSONResponse:
    s = stats(store)
    span = store.con.execute("SELECT min(published), max(published) FROM documents").fetchone()
    s["first_published"], s["last_published"] = (plain(v) for v in (span or (None, None)))
    return JSONResponse(s)


@router.get("/capabilities", summary="Which optional features this server has")
def capabilities(request: Request, store: ReadStore) -> JSONResponse:
    """Claims, situations, index, indicators, alerts: true when served; plus settings
    the dashboard needs (whether writes are enabled, the optional tile layer)."""
    return JSONResponse(
        {
            "version": __version__,
            "features": features.capabilities(store),
            "writes": bool(request.app.state.token),
            "tiles": request.app.state.tiles,
            "max_upload_bytes": request.app.state.max_upload_bytes,
        }
    )


@router.get("/health", summary="Liveness: the store answers")
def health(store: ReadStore) -> JSONResponse:
    store.con.execute("SELECT 1").fetchone()
    return JSONResponse({"ok": True, "store": store.path})
