"""A small cache of read results, dropped whenever the server writes the store.

The server owns its store (no other process can write it while it runs), so
the store changes only through :meth:`tocsin.api.deps.StoreHandle.writer`.
Each write bumps a *generation* number; every cached value carries the
generation it was computed in and is served only while that generation is
current. A read that overlaps a write stores its value under the old
generation, so it is never served after the write.

What is cached: totals (``count(*)`` of a filter), ``/api/stats``, index series,
per-document event and report counts, and whole JSON answers of the read
routes (keyed by path and query string). Least recently used entries go first
when the cache holds more than ``max_entries`` values or, if ``max_bytes`` is
set, more than that many bytes (each value's size given to :meth:`put`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_ENTRIES = 2048


class GenerationCache:
    """A thread-safe LRU of values tagged with the store generation they come from."""

    def __init__(self, max_entries: int = DEFAULT_ENTRIES, max_bytes: int | None = None) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.generation = 0
        self.nbytes = 0
        self._entries: OrderedDict[Hashable, tuple[int, Any, int]] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def bump(self) -> None:
        """The store changed: nothing cached so far may be served again."""
        with self._lock:
            self.generation += 1
            self._entries.clear()
            self.nbytes = 0

    def get(self, key: Hashable) -> tuple[bool, Any]:
        """(True, value) when ``key`` is cached for the current generation."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != self.generation:
                return False, None
            self._entries.move_to_end(key)
            return True, entry[1]

    def put(self, key: Hashable, value: Any, generation: int, size: int = 0) -> None:
        """Keep ``value`` (``size`` bytes), computed while ``generation`` was current."""
        if self.max_entries <= 0 or (self.max_bytes is not None and size > self.max_bytes):
            return
        with self._lock:
            if generation != self.generation:
                return  # the store changed while it was computed
            old = self._entries.pop(key, None)
            if old is not None:
                self.nbytes -= old[2]
            self._entries[key] = (generation, value, size)
            self.nbytes += size
            while len(self._entries) > self.max_entries or (
                self.max_bytes is not None and self.nbytes > self.max_bytes
            ):
                self.nbytes -= self._entries.popitem(last=False)[1][2]

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, or ``compute()`` stored under it.

        Concurrent callers missing the same key wait for one computation
        instead of all running it (50 clients hitting a cold cache at once).
        """
        found, value = self.get(key)
        if found:
            return value
        with self._lock:
            key_lock = self._computing.setdefault(key, threading.Lock())
        try:
            with key_lock:
                found, value = self.get(key)
                if found:
                    return value
                generation = self.generation
                value = compute()
                self.put(key, value, generation)
                return value
        finally:
            with self._lock:
                self._computing.pop(key, None)
