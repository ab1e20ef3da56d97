"""Errors of the API and how they become JSON responses.

Every error body has the same shape::

    {"error": "what went wrong and what to do", "parameter": "since" | null}

- invalid query parameters or bodies -> 422, naming the parameter
  (FastAPI's validation errors and :class:`tocsin.errors.QueryError`);
- :class:`ApiError` -> its own status (401 wrong token, 403 writes disabled,
  404 unknown id, 413 upload too large);
- :class:`tocsin.errors.StoreError` -> 503 (the store cannot be read or written).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError

from tocsin.api.respond import JSONResponse
from tocsin.errors import QueryError, StoreError


class ApiError(Exception):
    """An error with an HTTP status and a message for the client."""

    def __init__(self, status: int, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter


def body(message: str, parameter: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"error": message, "parameter": parameter, **extra}


def _validation_message(exc: RequestValidationError) -> tuple[str, str | None]:
    """One readable sentence per invalid parameter, and the first parameter's name."""
    parts: list[str] = []
    first: str | None = None
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body", "header")]
        name = ".".join(loc) or "request"
        first = first or name
        given = err.get("input")
        shown = f" (got {given!r})" if isinstance(given, str | int | float) else ""
        parts.append(f"{name}: {err.get('msg', 'invalid')}{shown}")
    return "invalid parameter " + "; ".join(parts), first


def install(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into JSON error bodies."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(body(exc.message, exc.parameter), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        message, parameter = _validation_message(exc)
        return JSONResponse(body(message, parameter), status_code=422)

    @app.exception_handler(QueryError)
    async def _query_error(_request: Request, exc: QueryError) -> JSONResponse:
        return JSONResponse(body(str(exc)), status_code=422)

    @app.exception_handler(StoreError)
    async def _store_error(_request: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse(body(str(exc)), status_code=503)
