"""``/api/claims`` and ``/api/situations``: who says what, grouped by situation.

Served through :mod:`tocsin.claims_store` (``query_claims``,
``query_situations``). A store without claims answers an empty list with a
note saying how to link it (``POST /api/situations/link``, since the server
owns the store).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import numpy as np
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from tocsin.api.deps import Handle, ReadStore, require_token
from tocsin.api.errors import ApiError
from tocsin.api.respond import (
    Format,
    FormatParam,
    LimitParam,
    OffsetParam,
    download,
    page_size,
)
from tocsin.claims_store import (
    CLAIM_VIEW,
    count_claims,
    count_situations,
    query_claims,
    query_situations,
)
from tocsin.export import plain
from tocsin.store import Store

router = APIRouter(prefix="/api", tags=["claims and situations"])

Status = Literal["single-source", "corroborated", "contradicted", "disputed"]
Polarity = Literal["asserted", "denied", "uncertain"]
NOT_LINKED = "this store has no claims yet: POST /api/situations/link (token) to extract and link"


def has_rows(store: Store, table: str) -> bool:
    """True when ``table`` (claims or situations) holds at least one row."""
    if table not in ("claims", "situations"):
        raise ValueError(f"not a claims table: {table!r}")
    row = store.con.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()
    return bool(row and row[0])


def deep_plain(value: Any) -> Any:
    """``plain`` applied through lists and dicts (claims nested in situations)."""
    if isinstance(value, dict):
        return {k: deep_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [deep_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return deep_plain(value.tolist())
    return plain(value)


# The claims of one document, as ``query_claims(doc_id=...)`` lists them. A claim's
# event is one of its own document's (claims are read from the document's events),
# so every table is narrowed by the document: index lookups, where the general
# view would join every event of the store.
DOCUMENT_CLAIMS_SQL = (
    CLAIM_VIEW
    + " WHERE c.doc_id = $doc AND e.doc_id = $doc AND d.id = $doc"
    + " ORDER BY d.published NULLS LAST, c.doc_id, c.quote_start"
)


def document_claims(store: Store, doc_id: str) -> list[dict[str, Any]]:
    """The claims of one document ([] at once when it has none)."""
    row = store.con.execute("SELECT EXISTS (SELECT 1 FROM claims WHERE doc_id = ?)", [doc_id])
    found = row.fetchone()
    if not (found and found[0]):
        return []
    cursor = store.con.execute(DOCUMENT_CLAIMS_SQL, {"doc": doc_id})
    names = [d[0] for d in cursor.description or ()]
    return [{k: plain(v) for k, v in zip(names, r, strict=True)} for r in cursor.fetchall()]


def _page(
    request: Request,
    items: list[dict[str, Any]],
    total: int,
    limit: int,
    offset: int,
    note: str | None,
) -> JSONResponse:
    """One page of ``items`` (already sliced in SQL) out of ``total``."""
    following = offset + len(items)
    nxt = None
    if following < total and items:
        nxt = str(request.url.include_query_params(offset=following, limit=limit))
    return JSONResponse(
        {"total": total, "limit": limit, "offset": offset,
         "items": [deep_plain(r) for r in items], "next": nxt, "note": note}
    )  # fmt: skip


@router.get("/claims", summary="Claims, filtered and paged; or a download")
def list_claims(
    request: Request,
    store: ReadStore,
    type: Annotated[list[str], Query(description="PLOVER type (repeatable).")] = [],  # noqa: B006
    speaker: Annotated[str | None, Query(description="Speaker code prefix, words or type.")] = None,
    polarity: Polarity | None = None,
    evidence: Annotated[str | None, Query(description="video, satellite_imagery, ...")] = None,
    since: date | None = None,
    until: date | None = None,
    doc: Annotated[str | None, Query(description="Document id or prefix.")] = None,
    format: FormatParam = Format.json,
    limit: LimitParam = None,
    offset: OffsetParam = 0,
) -> Response:
    """Each claim: an event as a speaker asserts, denies or doubts it, with evidence."""
    size = page_size(format, limit)
    if not has_rows(store, "claims"):
        return _page(request, [], 0, size, offset, NOT_LINKED)
    filters: dict[str, Any] = dict(
        types=tuple(type), speaker=speaker, polarity=polarity, evidence=evidence,
        since=since.isoformat() if since else None, until=until.isoformat() if until else None,
        doc_id=doc,
    )  # fmt: skip
    frame = query_claims(store, limit=size, offset=offset, **filters)
    if format is not Format.json:
        return download(frame, format, "claims")
    total = count_claims(store, **filters)
    return _page(request, frame.to_dict("records"), total, size, offset, None)


@router.get("/situations", summary="Situations with their claims side by side")
def list_situations(
    request: Request,
    store: ReadStore,
    status: Status | None = None,
    min_claims: Annotated[int, Query(ge=1, description="At least this many claims.")] = 1,
    format: FormatParam = Format.json,
    limit: LimitParam = None,
    offset: OffsetParam = 0,
) -> Response:
    """Situations (claims about the same happening), most claims first; each with
    its status (single-source, corroborated, contradicted, disputed) and claims."""
    size = page_size(format, limit)
    if not has_rows(store, "situations"):
        return _page(request, [], 0, size, offset, NOT_LINKED)
    frame = query_situations(store, status=status, min_claims=min_claims, limit=size, offset=offset)
    if format is not Format.json:
        return download(frame, format, "situations")
    total = count_situations(store, status=status, min_claims=min_claims)
    return _page(request, frame.to_dict("records"), total, size, offset, None)


@router.get("/situations/{situation_id}", summary="One situation with its claims")
def one_situation(situation_id: str, store: ReadStore) -> JSONResponse:
    frame = query_situations(store, situation_id=situation_id, limit=2)
    if frame.empty:
        raise ApiError(404, f"no situation {situation_id!r} in this store (see /api/situations)")
    if len(frame) > 1:
        raise ApiError(404, f"{situation_id!r} matches more than one situation: give more of it")
    return JSONResponse(deep_plain(frame.to_dict("records")[0]))


@router.post(
    "/situations/link",
    summary="Extract missing claims and recompute situations (needs the token)",
    dependencies=[Depends(require_token)],
)
async def link(request: Request, handle: Handle) -> JSONResponse:
    """What ``tocsin situations --link`` does, inside the server that owns the store."""
    from tocsin.cli_claims import link_store

    model: str | None = request.app.state.model

    def work() -> dict[str, int]:
        with handle.writer() as store:
            return link_store(store, model)

    return JSONResponse(await run_in_threadpool(work))
