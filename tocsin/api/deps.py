"""The store the server owns, and the request dependencies built on it.

DuckDB lets one process write a file. While ``tocsin serve`` runs, it owns the
store: :class:`StoreHandle` opens it read-write once; every read runs on its
own cursor (a cheap second connection to the same database, safe to use from
another thread) and writes are serialised by a lock. A second writer in another
process gets :class:`tocsin.errors.StoreLockedError` from ``Store.open``.

Because every write goes through :meth:`StoreHandle.writer`, the handle knows
when the store changes: it then empties its caches of read results
(:class:`GenerationCache`: ``cache`` for totals, stats, index series and counts;
``answers`` for whole JSON answers; see :mod:`tocsin.api.cache`).
"""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Annotated

import duckdb
from fastapi import Depends, Header, Request

from tocsin.api.cache import DEFAULT_ENTRIES, GenerationCache
from tocsin.api.errors import ApiError
from tocsin.errors import TocsinError
from tocsin.store import Store
from tocsin.warn.escalation import prepare_evidence

log = logging.getLogger(__name__)

ANSWER_ENTRIES = 4096
ANSWER_BUDGET_BYTES = 256_000_000  # whole answers kept, at most (one: respond.ANSWER_MAX_BYTES)


class StoreHandle:
    """One read-write connection to the store, shared by the server's threads.

    ``query_threads`` is DuckDB's thread count while the server only reads: 1 by
    default, since the server answers many requests at once, each on its own core
    (at 50 clients on a 2-core machine, DuckDB splitting every query over both cores
    cost a third of the throughput and doubled the slowest latencies); ``None`` leaves
    DuckDB's default (every core). Reads also skip DuckDB's compressed
    materialization (it shrinks the rows of big sorts and joins to save memory; on
    the server's small queries it only cost time: about a sixth of their CPU).
    A write runs with DuckDB's defaults and, before readers come back, rebuilds the
    warnings' evidence table if the write changed it, so no reader pays for that.
    """

    def __init__(
        self, path: str, cache_entries: int = DEFAULT_ENTRIES, query_threads: int | None = 1
    ) -> None:
        self.path = path
        self.store = Store.open(path)
        self.cache = GenerationCache(cache_entries)
        self.answers = GenerationCache(ANSWER_ENTRIES, ANSWER_BUDGET_BYTES)
        self.query_threads = query_threads
        self._write_lock = threading.Lock()
        self._settings(reading=True)

    def _settings(self, *, reading: bool) -> None:
        """DuckDB's settings (global to the store's connections) for reads or a write."""
        con = self.store.con
        if reading and self.query_threads is not None:
            con.execute(f"SET threads = {int(self.query_threads)}")
        else:
            con.execute("RESET threads")
        if reading:
            con.execute("SET disabled_optimizers = 'compressed_materialization'")
        else:
            con.execute("RESET disabled_optimizers")

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A Store on a fresh cursor: for one request's reads, closed afterwards."""
        cursor = self.store.con.cursor()
        try:
            yield Store(cursor, self.path, read_only=True)
        finally:
            cursor.close()

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """The writable Store, held by one writer at a time; the cache is dropped after."""
        with self._write_lock:
            self._settings(reading=False)
            try:
                yield self.store
                self._prepare_evidence()
            finally:
                self.cache.bump()
                self.answers.bump()
                self._settings(reading=True)

    def _prepare_evidence(self) -> None:
        """Rebuild the evidence table after a write; if that fails (a full disk, say),
        the write stands and the first index request tries again."""
        try:
            prepare_evidence(self.store)
        except (TocsinError, duckdb.Error) as exc:
            log.warning("the evidence table of %s was not rebuilt after a write: %s",
                        self.path, exc)  # fmt: skip

    def close(self) -> None:
        with self._write_lock:
            self.store.close()


def doc_counts(store: Store, cache: GenerationCache, table: str) -> dict[str, int]:
    """Rows of ``table`` (events or reports) per document id, cached until the next write.

    One grouped scan instead of a scan per page of documents; the dict holds
    an entry per document (about 100 bytes each).
    """
    if table not in ("events", "reports"):
        raise ValueError(f"no per-document counts for {table!r}")

    def compute() -> dict[str, int]:
        rows = store.con.execute(f"SELECT doc_id, count(*) FROM {table} GROUP BY doc_id")
        return dict(rows.fetchall())

    return cache.memo(("doc_counts", table), compute)


# The dependencies are ``async def`` although they do not wait for anything: FastAPI
# runs a plain ``def`` dependency in its thread pool, a hop through the event loop
# each (three or four per request); these only look things up, so they run inline.


async def get_handle(request: Request) -> StoreHandle:
    handle: StoreHandle = request.app.state.handle
    return handle


async def read_store(handle: Annotated[StoreHandle, Depends(get_handle)]) -> AsyncIterator[Store]:
    """Dependency: a read-only view of the store on its own cursor (opening and
    closing a cursor takes microseconds)."""
    with handle.reader() as store:
        yield store


async def require_token(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> None:
    """Dependency of every writing route: ``Authorization: Bearer T`` must match."""
    token: str | None = request.app.state.token
    if not token:
        raise ApiError(
            403,
            "writes are disabled on this server: start it with `tocsin serve --token T` "
            "and send `Authorization: Bearer T`",
        )
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), token):
        raise ApiError(401, "missing or wrong token: send `Authorization: Bearer T`")


ReadStore = Annotated[Store, Depends(read_store)]
Handle = Annotated[StoreHandle, Depends(get_handle)]
