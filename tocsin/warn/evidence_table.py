"""A narrow per-event evidence table, so a region's index does not rebuild its evidence.

The live evidence query (:mod:`tocsin.warn.evidence`) joins every selected event
with its document, its reports, its claims and their situation links, and the
claims part scans every claim and ``situation_claims`` row whatever the window.
``warn_evidence`` keeps that query's answer for every event, one narrow row per
event, with the per-event terms of the formula already computed: ``day``,
``known_on``, the region and pair columns, ``polarity``, ``sources``,
``n_reports``, ``weight``, ``magnitude`` and the ``cluster`` key. Rows are
sorted by ``day`` so that a window reads only its own row groups.

**Never stale.** The table is derived data, rebuilt lazily: ``warn_evidence_stamp``
holds the *stamp* of the store it was built from, and every read first computes
the stamp of the store now (:func:`store_stamp`, a few ms at 1M events)
and uses the table only when both agree. The stamp is made of

- the row counts of ``events``, ``documents``, ``reports`` and ``claims``: tocsin
  only ever adds rows to these (a document already stored adds nothing);
- the count of ``situation_claims`` and the count and latest ``linked_at`` of
  ``situations``: a relink writes the situations it links with the time it did;
- a hash of the SQL that builds the table (so a change of the formula's weights
  or magnitude rule rebuilds it).

A command that changes rows of those tables in place (rather than adding them or
relinking) must call :func:`evidence_changed`. When the stamps differ, a store
opened for writing (the server's, ``tocsin ingest``'s) rebuilds the table in one
transaction, the stamp computed inside it; a store opened read-only cannot, and
its readers use the live query instead (same figures, slower).
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from datetime import date
from typing import Any

import duckdb

from tocsin.store import Store
from tocsin.warn.evidence import _CLAIMS_SQL, _EVIDENCE_SQL, DAY_SQL, KNOWN_ON_SQL, _claims_sql
from tocsin.warn.regions import Region, pair_sql
from tocsin.warn.scoring import CLUSTER_SQL

TABLE = "warn_evidence"
STAMP_TABLE = "warn_evidence_stamp"

# the events columns the table keeps (mode and quantities only feed weight and magnitude)
_EVENT_COLUMNS = (
    "id", "doc_id", "type", "mode", "actor", "target", "geonameid", "lat", "lon", "admin1",
    "country", "date_start", "quantities",
)  # fmt: skip
TABLE_COLUMNS = (
    "id", "doc_id", "day", "known_on", "type", "actor", "target", "geonameid", "lat", "lon",
    "admin1", "country", "date_start", "outlet", "n_reports", "polarity", "sources",
    "evidence_from", "weight", "magnitude", "cluster",
)  # fmt: skip

_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
_locks_guard = threading.Lock()


def _lock(store: Store) -> threading.Lock:
    """One lock per store file, so concurrent readers of a server build the table once."""
    with _locks_guard:
        return _locks[str(store.path)]


def build_sql(store: Store, weight: str, magnitude: str) -> str:
    """The SELECT whose rows are the table: the live evidence of every event with the
    per-event terms (``weight`` and ``magnitude`` are SQL expressions over its rows)."""
    cols = ", ".join(f'e."{c}"' for c in _EVENT_COLUMNS)
    evidence = _EVIDENCE_SQL.format(
        cols=cols, where="", known_on=KNOWN_ON_SQL, day=DAY_SQL, claims=_claims_sql(store)
    )
    evidence = evidence.rsplit("ORDER BY", 1)[0]  # the table's order is its own (by day)
    keep = ", ".join(c for c in TABLE_COLUMNS if c not in ("weight", "magnitude", "cluster"))
    return (
        f"SELECT {keep}, {weight} AS weight, {magnitude} AS magnitude, {CLUSTER_SQL} AS cluster "
        f"FROM ({evidence}) ORDER BY day"
    )


def formula_key(weight: str, magnitude: str) -> str:
    """A hash of the SQL that builds the table: a new formula means a new table."""
    text = "\n".join((weight, magnitude, _EVIDENCE_SQL, _CLAIMS_SQL, CLUSTER_SQL, *TABLE_COLUMNS))
    return hashlib.sha1(text.encode()).hexdigest()[:12]


# what the table's rows depend on (the claims tables exist in every store: schema v2)
_STAMP_SQL = (
    "concat_ws('/', (SELECT count(*) FROM events), (SELECT count(*) FROM documents), "
    "(SELECT count(*) FROM reports), (SELECT count(*) FROM claims), "
    "(SELECT count(*) FROM situation_claims), "
    "(SELECT count(*) || '@' || coalesce(max(linked_at)::VARCHAR, '') FROM situations))"
)


def store_stamp(store: Store, formula: str) -> str:
    """What the table's rows depend on, as one string (see the module docstring)."""
    row = store.con.execute(f"SELECT {_STAMP_SQL}").fetchone()
    return f"{row[0] if row else ''}#{formula}"


def _is_current(store: Store, formula: str) -> bool:
    """True when the table was built from the store as it is now (two small queries;
    no error on a store that never had it, which would abort a caller's transaction)."""
    built = store.con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? "
        "AND database_name = current_database() AND NOT temporary",
        [STAMP_TABLE],
    ).fetchone()
    if not (built and built[0]):
        return False
    row = store.con.execute(
        f"SELECT (SELECT any_value(stamp) FROM {STAMP_TABLE}) = {_STAMP_SQL} || '#' || ?",
        [formula],
    ).fetchone()
    return bool(row and row[0])


def _writable(store: Store) -> bool:
    row = store.con.execute(
        "SELECT NOT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return bool(row and row[0])


def current_table(store: Store, weight: str, magnitude: str) -> str | None:
    """The name of an evidence table current for this store, building it when the store
    can be written; None when it is stale and cannot be rebuilt here (a read-only store,
    a caller inside its own transaction, a failed build): the caller then reads the
    live evidence."""
    formula = formula_key(weight, magnitude)
    if _is_current(store, formula):
        return TABLE
    if not _writable(store):
        return None
    with _lock(store):
        if not _is_current(store, formula):  # else another reader built it meanwhile
            try:
                refresh(store, weight, magnitude)
            except duckdb.Error:
                return None
    # built from what is committed: a caller inside a transaction that wrote sees more
    return TABLE if _is_current(store, formula) else None


def refresh(store: Store, weight: str, magnitude: str) -> None:
    """Rebuild the table and its stamp in one transaction of a connection of its own (so
    a caller's open transaction is left alone); the stamp is read inside it, so a write
    that commits meanwhile leaves the table stale, never wrong."""
    con = store.con.cursor()
    own = Store(con, store.path, read_only=False)
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            stamp = store_stamp(own, formula_key(weight, magnitude))
            con.execute(f"CREATE OR REPLACE TABLE {TABLE} AS {build_sql(own, weight, magnitude)}")
            con.execute(f"CREATE OR REPLACE TABLE {STAMP_TABLE} (stamp VARCHAR)")
            con.execute(f"INSERT INTO {STAMP_TABLE} VALUES (?)", [stamp])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()


def evidence_changed(store: Store) -> None:
    """Mark the table stale: for commands that update or delete evidence rows in place."""
    store.con.execute(f"DROP TABLE IF EXISTS {STAMP_TABLE}")


def table_query(
    table: str,
    *,
    known_by: date | None = None,
    region: Region | None = None,
    pair: tuple[str, str] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> tuple[str, list[Any]]:
    """The rows of ``table`` (every column, as ``evidence_query`` narrows them: region and
    pair as there, ``start``/``end`` on ``day``, ``known_by`` on ``known_on``) and the
    query's parameters."""
    conditions: list[str] = []
    params: list[Any] = []
    if known_by is not None:
        conditions.append("e.known_on <= ?")
        params.append(known_by)
    for clause, values in (
        region.sql("e") if region is not None else ("", []),
        pair_sql(pair, "e") if pair is not None else ("", []),
    ):
        if clause:
            conditions.append(clause)
            params += values
    if start is not None:
        conditions.append("e.day >= ?")
        params.append(start)
    if end is not None:
        conditions.append("e.day <= ?")
        params.append(end)
    where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    return f"SELECT * FROM {table} e {where}", params
