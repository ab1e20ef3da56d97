"""``/api/documents``: list and search, one document with its spans, and ingest by POST."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from tocsin.api.deps import Handle, ReadStore, doc_counts, require_token
from tocsin.api.errors import ApiError
from tocsin.api.ingest import ingest_body
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
from tocsin.api.routes_claims import document_claims
from tocsin.errors import QueryError
from tocsin.export import plain
from tocsin.query import REPORTS_OF_DOCUMENT, document_row
from tocsin.store import Store

router = APIRouter(prefix="/api/documents", tags=["documents"])

LIST_SQL = (
    "SELECT d.id, d.title, d.outlet, d.url, d.source, d.published, d.n_words FROM documents d"
)


@router.get("", summary="Documents, searched and paged; or a download")
def list_documents(
    request: Request,
    store: ReadStore,
    handle: Handle,
    q: Annotated[str | None, Query(description="Words that must occur in title or text.")] = None,
    outlet: Annotated[str | None, Query(description="Outlet name (exact, any case).")] = None,
    since: Annotated[date | None, Query(description="Published on or after.")] = None,
    until: Annotated[date | None, Query(description="Published on or before.")] = None,
    format: FormatParam = Format.json,
    limit: LimitParam = None,
    offset: OffsetParam = 0,
) -> Response:
    """Stored documents (without their text), newest first, with event and report counts."""
    where: list[str] = []
    params: list[Any] = []
    for word in (q or "").split():
        where.append("(d.title ILIKE ? OR d.text ILIKE ?)")
        params += [f"%{word}%", f"%{word}%"]
    if outlet:
        where.append("lower(d.outlet) = lower(?)")
        params.append(outlet)
    if since:
        where.append("d.published >= ?")
        params.append(since)
    if until:
        where.append("d.published <= ?")
        params.append(until)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    size = page_size(format, limit)
    page = (
        f"{LIST_SQL}{clause} ORDER BY d.published DESC NULLS LAST, d.id "
        f"LIMIT {size} OFFSET {int(offset)}"
    )
    events = doc_counts(store, handle.cache, "events")
    reports = doc_counts(store, handle.cache, "reports")
    if format is not Format.json:
        frame = store.con.execute(page, params).df()
        frame["events"] = [events.get(i, 0) for i in frame["id"]]
        frame["reports"] = [reports.get(i, 0) for i in frame["id"]]
        return download(frame, format, "documents")

    def total() -> int:
        row = store.con.execute(f"SELECT count(*) FROM documents d{clause}", params).fetchone()
        return int(row[0]) if row else 0

    def build() -> Response:
        if where:
            items = fetch_records(store, page, params)
            count = handle.cache.memo(("documents", clause, tuple(params)), total)
        else:  # every document: the page's ids from the kept order, its rows by key
            order = handle.cache.memo(("documents_order",), lambda: _document_order(store))
            ids = order[offset : offset + size]
            found = {
                r["id"]: r for r in fetch_records(store, f"{LIST_SQL} WHERE d.id = ANY(?)", [ids])
            }
            items = [found[i] for i in ids if i in found]
            count = len(order)
        for item in items:
            item["events"] = events.get(item["id"], 0)
            item["reports"] = reports.get(item["id"], 0)
        return json_page(request, items, count, size, offset)

    return cached_answer(request, handle.answers, build)


def _document_order(store: Store) -> list[str]:
    """Every document id in the listing's order (newest first), kept until the next
    write: a page of the whole list is then a slice and a key lookup, not a sort
    of every document (about 70 bytes per document)."""
    rows = store.con.execute(
        "SELECT id FROM documents d ORDER BY d.published DESC NULLS LAST, d.id"
    ).fetchall()
    return [row[0] for row in rows]


@router.get("/{doc_id}", summary="One document: text, mentions, events, claims, reports")
def one_document(request: Request, doc_id: str, store: ReadStore, handle: Handle) -> Response:
    """The document (id, unique id prefix or source) with every extracted span."""
    return cached_answer(request, handle.answers, lambda: _document(store, doc_id))


def _document(store: Store, doc_id: str) -> JSONResponse:
    try:
        doc = document_row(store, doc_id)
    except QueryError as exc:
        raise ApiError(404, str(exc)) from exc
    key = [doc["id"]]
    doc["published"] = plain(doc["published"])
    doc["mentions"] = fetch_records(
        store, "SELECT * FROM mentions WHERE doc_id = ? ORDER BY start, kind", key
    )
    doc["events"] = fetch_records(
        store, "SELECT * FROM events WHERE doc_id = ? ORDER BY start", key
    )
    doc["reports"] = fetch_records(store, REPORTS_OF_DOCUMENT, key)
    doc["claims"] = document_claims(store, doc, doc["events"])
    return JSONResponse(doc)


@router.post(
    "",
    summary="Ingest documents (needs the token)",
    dependencies=[Depends(require_token)],
    status_code=200,
)
async def post_documents(request: Request, handle: Handle) -> JSONResponse:
    """Ingest a JSON object, a JSON list of objects or JSON Lines of records.

    Records use the fields ``tocsin ingest`` reads (text/body/content, title,
    url, published, outlet). Unusable records are reported under
    ``skip_reasons`` and kept in the store's ``skipped`` table; the others are
    ingested. Needs ``Authorization: Bearer T``; bodies over the server's limit
    get 413.
    """
    limit: int = request.app.state.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, too_large(int(declared), limit))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, too_large(size, limit))
        chunks.append(chunk)
    raw = b"".join(chunks)
    content_type = request.headers.get("content-type", "application/json")
    model: str | None = request.app.state.model

    def work() -> dict[str, Any]:
        with handle.writer() as store:
            return ingest_body(store, raw, content_type, limit, model)

    return JSONResponse(await run_in_threadpool(work))


def too_large(size: int, limit: int) -> str:
    return (
        f"upload of {size:,} bytes is over this server's limit of {limit:,} bytes: "
        "split it, or start the server with a larger --max-upload"
    )
