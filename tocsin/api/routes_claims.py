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
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from tocsin.api.deps import Handle, ReadStore, require_token
from tocsin.api.errors import ApiError
from tocsin.api.respond import (
    Format,
    FormatParam,
    JSONResponse,
    LimitParam,
    OffsetParam,
    download,
    fetch_records,
    page_size,
)
from tocsin.claims_store import (
    SITUATION_CLAIM_FIELDS,
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


# The columns of CLAIM_VIEW read from the claims table, and those read from the claim's
# event (a claim's event is one of its own document's: claims are read from the
# document's events).
DOCUMENT_CLAIM_COLUMNS = (
    "id, doc_id, event_id, type, speaker, speaker_code, speaker_type, reported_via, verb, "
    "polarity, hedged, hedges, evidence_kinds AS evidence, quote, quote_start, quote_end, "
    "speaker_start, speaker_end"
)
CLAIM_EVENT_FIELDS = ("actor", "target", "place_name", "country", "lat", "lon", "date_start",
                      "date_end")  # fmt: skip


def document_claims(
    store: Store, doc: dict[str, Any], events: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The claims of one document with the fields and order of ``query_claims(doc_id=...)``
    (by position in the text), built from key lookups and the document's own row and
    events (``doc`` and ``events`` as the document answer holds them, JSON-ready):
    the general view joins every event and situation of the store."""
    claims = fetch_records(
        store,
        f"SELECT {DOCUMENT_CLAIM_COLUMNS} FROM claims WHERE doc_id = ? ORDER BY quote_start, id",
        [doc["id"]],
    )
    if not claims:
        return []
    situation_of = dict(
        store.con.execute(
            "SELECT claim_id, situation_id FROM situation_claims WHERE claim_id = ANY(?)",
            [[c["id"] for c in claims]],
        ).fetchall()
    )
    event_of = {e["id"]: e for e in events}
    outlet = doc["outlet"] if doc["outlet"] is not None else doc["source"]
    out = []
    for claim in claims:
        event = event_of.get(claim["event_id"])
        if event is None:  # the view's inner join: a claim whose event is gone
            continue
        item = {**claim, **{k: event[k] for k in CLAIM_EVENT_FIELDS}, "outlet": outlet}
        item["published"] = doc["published"]
        item["situation_id"] = situation_of.get(claim["id"])
        out.append(item)
    return out


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
    found = situation_by_id(store, situation_id)
    if found is None:
        frame = query_situations(store, situation_id=situation_id, limit=2)  # an id prefix
        if frame.empty:
            raise ApiError(
                404, f"no situation {situation_id!r} in this store (see /api/situations)"
            )
        if len(frame) > 1:
            raise ApiError(
                404, f"{situation_id!r} matches more than one situation: give more of it"
            )
        found = deep_plain(frame.to_dict("records")[0])
    return JSONResponse(found)


def _rows(store: Store, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = store.con.execute(sql, params)
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def situation_by_id(store: Store, situation_id: str) -> dict[str, Any] | None:
    """The situation whose id is exactly ``situation_id`` with its claims, as
    ``query_situations`` gives it, or None. Every read is a key lookup (the
    general query joins every claim and event of the store): at a million events
    about 5 ms instead of 20-30."""
    sits = _rows(store, "SELECT * FROM situations WHERE id = ? AND n_claims >= 1", [situation_id])
    if not sits:
        return None
    links = _rows(
        store,
        "SELECT claim_id, situation_id, side FROM situation_claims WHERE situation_id = ?",
        [situation_id],
    )
    claim_ids = [link["claim_id"] for link in links]
    claims = {
        c["id"]: c
        for c in _rows(
            store,
            "SELECT id, doc_id, event_id, type, speaker, speaker_type, reported_via, polarity, "
            "hedged, evidence_kinds AS evidence, quote FROM claims WHERE id = ANY(?)",
            [claim_ids],
        )
    }
    event_ids = [c["event_id"] for c in claims.values()]
    events = {r["id"] for r in _rows(store, "SELECT id FROM events WHERE id = ANY(?)", [event_ids])}
    doc_ids = sorted({c["doc_id"] for c in claims.values()})
    docs = {
        d["id"]: d
        for d in _rows(
            store,
            "SELECT id, coalesce(outlet, source) AS outlet, published FROM documents "
            "WHERE id = ANY(?)",
            [doc_ids],
        )
    }
    items = []
    for link in links:  # the inner joins of the general query
        claim = claims.get(link["claim_id"])
        if claim is None or claim["event_id"] not in events or claim["doc_id"] not in docs:
            continue
        doc = docs[claim["doc_id"]]
        item = {**claim, "outlet": doc["outlet"], "published": doc["published"], **link}
        items.append(item)
    items.sort(key=lambda i: (i["published"] is None, i["published"] or date.min, i["id"]))
    sit = deep_plain(sits[0])
    sit["claims"] = [
        {k: (str(i[k])[:10] if k == "published" and i[k] is not None else plain(i[k]))
         for k in SITUATION_CLAIM_FIELDS}
        for i in items
    ]  # fmt: skip
    return sit


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
