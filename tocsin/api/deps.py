"""The store the server owns, and the request dependencies built on it.

DuckDB lets one process write a file. While ``tocsin serve`` runs, it owns the
store: :class:`StoreHandle` opens it read-write once; every read runs on its
own cursor (a cheap second connection to the same database, safe to use from
another thread) and writes are serialised by a lock. A second writer in another
process gets :class:`tocsin.errors.StoreLockedError` from ``Store.open``.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Header, Request

from tocsin.api.errors import ApiError
from tocsin.store import Store


class StoreHandle:
    """One read-write connection to the store, shared by the server's threads."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.store = Store.open(path)
        self._write_lock = threading.Lock()

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
        """The writable Store, held by one writer at a time."""
        with self._write_lock:
            yield self.store

    def has_table(self, name: str) -> bool:
        """True when the store has a table called ``name``."""
        with self.reader() as store:
            row = store.con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
            ).fetchone()
        return bool(row and row[0])

    def close(self) -> None:
        with self._write_lock:
            self.store.close()


def get_handle(request: Request) -> StoreHandle:
    handle: StoreHandle = request.app.state.handle
    return handle


def read_store(handle: Annotated[StoreHandle, Depends(get_handle)]) -> Iterator[Store]:
    """Dependency: a read-only view of the store on its own cursor."""
    with handle.reader() as store:
        yield store


def require_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
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
