"""Shared pieces of the list routes: paging, formats, downloads.

A list route answers JSON by default, as a page::

    {"total": 120, "limit": 50, "offset": 0, "items": [...], "next": "/api/...&offset=50"}

or, with ``format=csv|jsonl|geojson|parquet``, the same rows as a download
written by :mod:`tocsin.export` (every column, one row per item).

JSON rows are built straight from DuckDB's tuples (:func:`fetch_records`), not
through a DataFrame: a page is small and pandas costs more than the query.
Read routes keep their whole JSON answer until the next write
(:func:`cached_answer`, keyed by the full URL, within the byte budget of
``handle.answers``). Every JSON answer is written by orjson
(:class:`JSONResponse`, several times faster than the standard library).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Annotated, Any

import orjson
import pandas as pd
from fastapi import Query, Request
from fastapi.responses import Response

from tocsin.api.cache import GenerationCache
from tocsin.export import plain, write
from tocsin.store import Store

ANSWER_MAX_BYTES = 8_000_000  # one answer; the cache as a whole: deps.ANSWER_BUDGET_BYTES
PAGE_DEFAULT = 100
PAGE_MAX = 1000
DOWNLOAD_MAX = 1_000_000


class Format(StrEnum):
    json = "json"
    csv = "csv"
    jsonl = "jsonl"
    geojson = "geojson"
    parquet = "parquet"


MEDIA = {
    Format.csv: "text/csv; charset=utf-8",
    Format.jsonl: "application/x-ndjson",
    Format.geojson: "application/geo+json",
    Format.parquet: "application/vnd.apache.parquet",
}

FormatParam = Annotated[
    Format, Query(description="json (a page), or a download: csv, jsonl, geojson, parquet")
]
LimitParam = Annotated[
    int | None,
    Query(ge=1, le=DOWNLOAD_MAX, description=f"Rows per page (JSON: default {PAGE_DEFAULT}, "
          f"at most {PAGE_MAX}; downloads: every row unless given)."),
]  # fmt: skip
OffsetParam = Annotated[int, Query(ge=0, description="Rows to skip (paging).")]


class JSONResponse(Response):
    """A JSON answer written by orjson: compact, UTF-8, NaN as null, numpy scalars
    and arrays as numbers and lists."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


def page_size(fmt: Format, limit: int | None) -> int:
    """The number of rows to fetch for this format."""
    if fmt is Format.json:
        return min(limit or PAGE_DEFAULT, PAGE_MAX)
    return limit or DOWNLOAD_MAX


def json_page(
    request: Request, items: list[dict[str, Any]], total: int, limit: int, offset: int
) -> JSONResponse:
    """A page of items with the total and a link to the next page."""
    following = offset + len(items)
    nxt = None
    if following < total and items:
        nxt = str(request.url.include_query_params(offset=following, limit=limit))
    return JSONResponse(
        {"total": total, "limit": limit, "offset": offset, "items": items, "next": nxt}
    )


def fetch_records(store: Store, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """The rows of ``sql`` as JSON-ready dicts, as :func:`tocsin.export.plain` makes
    them (dates and timestamps as ISO days, NaN as null), converted column by column
    by the column's type instead of testing every cell."""
    cursor = store.con.execute(sql, list(params))
    description = cursor.description or ()
    names = [d[0] for d in description]
    rows = cursor.fetchall()
    if not rows:
        return []
    columns = list(zip(*rows, strict=True))
    for i, d in enumerate(description):
        convert = _CONVERTERS.get(str(d[1]).upper(), plain)
        if convert is not None:
            columns[i] = tuple(map(convert, columns[i]))
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _iso_day(value: Any) -> Any:
    return None if value is None else value.isoformat()[:10]


def _number(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


# DuckDB column types whose Python values need no conversion for JSON (None), and the
# conversion of those that do; any other type goes through plain(), cell by cell.
_CONVERTERS: dict[str, Callable[[Any], Any] | None] = {
    **dict.fromkeys(("VARCHAR", "BOOLEAN", "INTEGER", "BIGINT", "SMALLINT", "TINYINT",
                     "UINTEGER", "UBIGINT", "HUGEINT"), None),
    **dict.fromkeys(("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE"), _iso_day),
    **dict.fromkeys(("DOUBLE", "FLOAT"), _number),
}  # fmt: skip


def cached_answer(
    request: Request, answers: GenerationCache, build: Callable[[], Response]
) -> Response:
    """The route's answer for this exact URL: kept from an earlier request, or built now."""
    key = str(request.url)
    found, kept = answers.get(key)
    if found:
        body, media_type = kept
        return Response(body, media_type=media_type)
    generation = answers.generation
    response = build()
    if response.status_code == 200 and len(response.body) <= ANSWER_MAX_BYTES:
        body = bytes(response.body)
        answers.put(key, (body, response.media_type), generation, size=len(body))
    return response


def flatten_lists(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns holding lists or dicts as JSON text (CSV and Parquet need flat cells)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, list | dict)).any():
            out[column] = [json.dumps(v, default=str) for v in out[column]]
    return out


def download(frame: pd.DataFrame, fmt: Format, name: str) -> Response:
    """``frame`` as a file in ``fmt``, named ``name.<ext>``."""
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt.value}"'}
    if fmt in (Format.csv, Format.parquet):
        frame = flatten_lists(frame)
    if fmt is Format.parquet:
        raw = io.BytesIO()
        write(frame, "parquet", io.StringIO(), binary_out=raw)
        return Response(raw.getvalue(), media_type=MEDIA[fmt], headers=headers)
    text = io.StringIO()
    write(frame, fmt.value, text)
    return Response(text.getvalue(), media_type=MEDIA[fmt], headers=headers)
