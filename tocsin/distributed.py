"""Run the per-batch function on a Dask cluster: another mapper for ``tocsin.run.ingest``.

``dask_mapper(settings, address)`` returns the ``(map, close)`` pair that
``ingest(..., mapper=...)`` takes. The driver (this process) still reads the
inputs, skips what the store holds and writes every result itself, in input
order, one transaction per batch; Dask only runs ``process_batch`` on its
workers. So a cluster run ends with the same store as a one-process run.

- ``address == "local"``: a ``LocalCluster`` of ``workers`` processes (one
  thread each), every port on 127.0.0.1 (no dashboard); closed with the mapper.
- any other address (``tcp://10.0.0.5:8786``): the scheduler of an existing
  cluster; its workers need tocsin, the same spaCy model and the gazetteer
  installed (``make setup`` on each host, or a shared venv and TOCSIN_HOME).

At most ``in_flight`` batches (default twice the cluster's threads) are
submitted and not yet written, so memory stays flat however long the input.
A worker that dies mid-batch loses nothing: the scheduler reruns its tasks on
another worker (``retries`` covers exceptions raised by a task too); results
still come back in submission order.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from tocsin.errors import TocsinError
from tocsin.models import DocResult, RawDocument, Skipped
from tocsin.run import BatchMapper, Settings, process_batch

if TYPE_CHECKING:
    from distributed import Client, Future

log = logging.getLogger(__name__)

__all__ = ["dask_mapper", "worker_peak_mb"]


def connect(address: str, workers: int = 2, timeout: float = 30.0) -> Client:
    """A Dask client: a loopback ``LocalCluster`` for ``"local"``, else the scheduler at
    ``address``. Raises TocsinError with what to check when it cannot connect."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # an optional dependency
        raise TocsinError(
            "--dask needs the dask[distributed] package: pip install 'dask[distributed]'"
        ) from exc
    if address == "local":
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # only the health endpoints: no bokeh
        )
        return Client(cluster)
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise TocsinError(
            f"cannot reach the Dask scheduler at {address} within {timeout:g} s ({exc}); "
            "check the address (tcp://HOST:8786) and that `dask scheduler` runs there"
        ) from exc


def dask_mapper(
    settings: Settings,
    address: str,
    *,
    workers: int = 2,
    in_flight: int | None = None,
    retries: int = 2,
    client: Client | None = None,
) -> tuple[BatchMapper, Callable[[], None]]:
    """A ``(map, close)`` pair running ``process_batch`` on a Dask cluster.

    ``address`` is ``"local"`` (a LocalCluster of ``workers`` processes) or a
    scheduler address; ``client`` replaces both (the caller then closes it).
    ``map`` yields each batch's results in input order.
    """
    own = client is None
    dask_client = client if client is not None else connect(address, workers)
    threads = sum(dask_client.nthreads().values()) or workers
    limit = in_flight or 2 * threads
    log.info("dask: %s, %d threads, %d batches in flight", address, threads, limit)

    def mapper(batches: Iterable[list[RawDocument]]) -> Iterator[list[DocResult | Skipped]]:
        pending: deque[Future[list[DocResult | Skipped]]] = deque()
        for batch in batches:
            pending.append(
                dask_client.submit(process_batch, batch, settings, pure=False, retries=retries)
            )
            if len(pending) >= limit:
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())

    def close() -> None:
        if not own:
            return
        cluster = dask_client.cluster
        dask_client.close()
        if cluster is not None:
            cluster.close()

    return mapper, close


def _result(future: Future[list[DocResult | Skipped]]) -> list[DocResult | Skipped]:
    """The batch's results; the future is released so the worker frees its memory."""
    try:
        return future.result()
    finally:
        future.release()


def worker_peak_mb(client: Client) -> dict[str, float]:
    """Peak resident memory (MB) of each worker process, by worker address."""
    peaks: dict[str, Any] = client.run(_peak_rss_mb)
    return {addr: float(mb) for addr, mb in peaks.items()}


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
