"""tocsin: news about military and political tension, as checkable events.

The Python API mirrors the CLI; results are pandas DataFrames::

    import tocsin
    summary = tocsin.ingest(["articles/"], db="crisis.duckdb", workers=2)
    frame = tocsin.events(db="crisis.duckdb", types=("MOBILIZE",), country="UKR")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    import pandas as pd

    from tocsin.run import IngestSummary


def ingest(
    paths: list[str], db: str | None = None, *, workers: int = 1, model: str | None = None
) -> IngestSummary:
    """Ingest files, folders, feeds or URLs into the store at ``db``."""
    from tocsin.run import Settings
    from tocsin.run import ingest as run_ingest
    from tocsin.store import Store

    with Store.open(db) as store:
        return run_ingest(paths, store, settings=Settings(model=model), workers=workers)


def events(db: str | None = None, **filters: Any) -> pd.DataFrame:
    """Events as a DataFrame; ``filters`` are the fields of ``tocsin.query.EventFilter``."""
    from tocsin.query import EventFilter
    from tocsin.query import events as query_events
    from tocsin.store import Store

    with Store.open(db, read_only=True) as store:
        return query_events(store, EventFilter(**filters))


def stats(db: str | None = None) -> dict[str, Any]:
    """What the store holds (the same figures as ``tocsin stats --json``)."""
    from tocsin.query import stats as query_stats
    from tocsin.store import Store

    with Store.open(db, read_only=True) as store:
        return query_stats(store)


__all__ = ["__version__", "events", "ingest", "stats"]
