"""Watch folders or feeds from inside the server that owns the store.

While ``tocsin serve`` runs no other process may write the store, so watching
happens here: a thread ingests the given paths every ``interval`` seconds under
the server's write lock. Ingest is idempotent, so each pass adds only what is
new (a file or feed item already stored is recognised by its report id).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from tocsin.api.deps import StoreHandle
from tocsin.errors import TocsinError
from tocsin.run import IngestSummary, Settings, ingest

log = logging.getLogger(__name__)


class Watcher:
    """A daemon thread that re-ingests ``paths`` every ``interval`` seconds."""

    def __init__(
        self,
        handle: StoreHandle,
        paths: Sequence[str],
        interval: float = 60.0,
        settings: Settings | None = None,
        on_pass: Callable[[IngestSummary], None] | None = None,
    ) -> None:
        self.handle = handle
        self.paths = list(paths)
        self.interval = interval
        self.settings = settings or Settings()
        self.on_pass = on_pass
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="tocsin-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def run_once(self) -> IngestSummary:
        """One pass: ingest whatever is new under the paths."""
        with self.handle.writer() as store:
            summary = ingest(self.paths, store, settings=self.settings, workers=1)
        log.info(
            "watch: %d new documents, %d skipped from %s",
            summary.documents, summary.skipped, ", ".join(self.paths),
        )  # fmt: skip
        if self.on_pass:
            self.on_pass(summary)
        return summary

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except TocsinError as exc:  # logged; the next pass tries again
                log.error("watch: %s", exc)
            self._stop.wait(self.interval)
