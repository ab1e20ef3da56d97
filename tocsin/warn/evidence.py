"""Where the warning layer gets its evidence: one row per event, with polarity and sources.

This is the only module of :mod:`tocsin.warn` that knows where polarity and
source independence come from, so switching sources is a change here alone.

- **With claims** (the ``claims`` table exists and holds claims for the event):
  the event's polarity comes from its claims (``asserted`` when any claim
  asserts it, ``denied`` when every claim denies it, else ``uncertain``) and its
  independent sources are the claims' source keys: the ``situation_claims``
  key written by ``tocsin link`` when present, else the speaker's actor code,
  else the speaker's name, else the outlet (the author's own voice).
- **Without claims** (older stores, or events no claim covers): polarity comes
  from the event's flags (``negated`` -> denied, ``hedged`` -> uncertain, else
  asserted) and the source is the outlet of the document's original report.

Either way, a syndicated copy (an ``exact_copy`` or ``near_copy`` report) never
adds an event or a source: it only raises ``n_reports``. Each event is known
from ``known_on``: its document's published date, or the day it was ingested
when the document has none (that is what a live system would have known).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from tocsin.store import Store
from tocsin.warn.regions import Region, pair_sql

EVENT_COLUMNS = (
    "id", "doc_id", "type", "mode", "cameo", "actor", "target", "place_name", "geonameid",
    "lat", "lon", "admin1", "country", "date_start", "date_end", "quantities", "equipment",
    "negated", "hedged", "trigger", "sentence", "start", "end",
)  # fmt: skip

KNOWN_ON_SQL = "coalesce(d.published, CAST(d.ingested_at AS DATE))"
# the day an event counts for (see event_evidence); the same rule as in pandas below
DAY_SQL = (
    f"CASE WHEN e.date_start IS NOT NULL AND e.date_start <= {KNOWN_ON_SQL} "
    f"THEN e.date_start ELSE {KNOWN_ON_SQL} END"
)

# {cols}: event columns; {where}: conditions on events e / documents d;
# {claims}: the claims per event (CLAIMS_SQL) or an empty relation without claims
_EVIDENCE_SQL = """
WITH sel AS MATERIALIZED (
    SELECT {cols}, e.negated AS _negated, e.hedged AS _hedged, e.start AS _start,
           e.trigger_start AS _trigger_start, {known_on} AS known_on, {day} AS day,
           coalesce(d.outlet, d.source) AS outlet
    FROM events e JOIN documents d ON d.id = e.doc_id
    {where}
),
rep AS (
    SELECT doc_id, count(*) AS n_reports
    FROM reports WHERE doc_id IN (SELECT doc_id FROM sel)
    GROUP BY doc_id
),
cl AS ({claims})
SELECT sel.* EXCLUDE (_negated, _hedged, _start, _trigger_start),
       coalesce(rep.n_reports, 1) AS n_reports,
       CASE WHEN cl.id IS NOT NULL THEN cl.claim_polarity
            WHEN sel._negated THEN 'denied' WHEN sel._hedged THEN 'uncertain'
            ELSE 'asserted' END AS polarity,
       CASE WHEN len(cl.claim_sources) > 0 THEN cl.claim_sources
            WHEN sel.outlet IS NULL THEN CAST([] AS VARCHAR[])
            ELSE [sel.outlet] END AS sources,
       CASE WHEN cl.id IS NOT NULL THEN 'claims' ELSE 'events' END AS evidence_from
FROM sel LEFT JOIN rep ON rep.doc_id = sel.doc_id LEFT JOIN cl ON cl.id = sel.id
ORDER BY sel.date_start NULLS LAST, sel.doc_id, sel._start, sel._trigger_start
"""

# polarity and independent-source keys of each event of ``sel`` that claims cover
_CLAIMS_SQL = """
SELECT c.event_id AS id,
       CASE WHEN bool_or(c.polarity = 'asserted') THEN 'asserted'
            WHEN bool_and(c.polarity = 'denied') THEN 'denied'
            ELSE 'uncertain' END AS claim_polarity,
       list_filter(list(DISTINCT coalesce({key}, c.speaker_code, c.speaker)),
                   lambda k: k IS NOT NULL) AS claim_sources
FROM claims c {join}
WHERE c.event_id IN (SELECT id FROM sel)
GROUP BY c.event_id
"""
_NO_CLAIMS_SQL = (
    "SELECT NULL::VARCHAR AS id, NULL::VARCHAR AS claim_polarity, "
    "NULL::VARCHAR[] AS claim_sources WHERE false"
)


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """True when the store has a table called ``name``."""
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    return bool(row and row[0])


def claims_available(store: Store) -> bool:
    """True when the store holds at least one claim (the claims dimension is live)."""
    if not table_exists(store.con, "claims"):
        return False
    row = store.con.execute("SELECT count(*) FROM claims").fetchone()
    return bool(row and row[0])


def event_evidence(
    store: Store,
    *,
    known_by: date | None = None,
    region: Region | None = None,
    start: date | None = None,
    end: date | None = None,
    columns: Sequence[str] = EVENT_COLUMNS,
) -> pd.DataFrame:
    """Every event (its ``columns``) with ``day``, ``known_on``, ``polarity``,
    ``sources`` and ``n_reports``.

    ``known_by`` keeps only the events whose document was known on or before that
    day (back-testing). ``day`` is the day the event counts for: its first date,
    or the day it became known when it has no date or is dated after that (a
    plan announced today counts today). ``sources`` is a list of independent-source
    keys; ``evidence_from`` says ``claims`` or ``events`` for each row.

    ``region`` and ``start``/``end`` (on ``day``) narrow the rows in SQL, so a
    region's series reads its own events only. Scores never mix rows of different
    days or places, so narrowing first changes no figure.
    """
    sql, params = evidence_query(
        store, known_by=known_by, region=region, start=start, end=end, columns=columns
    )
    frame = store.con.execute(sql, params).df()
    frame["known_on"] = pd.to_datetime(frame["known_on"])
    frame["day"] = pd.to_datetime(frame["day"])
    frame["sources"] = [list(keys) for keys in frame["sources"]]
    return frame


def evidence_query(
    store: Store,
    *,
    known_by: date | None = None,
    region: Region | None = None,
    pair: tuple[str, str] | None = None,
    start: date | None = None,
    end: date | None = None,
    columns: Sequence[str] = EVENT_COLUMNS,
) -> tuple[str, list[Any]]:
    """The SQL of :func:`event_evidence` (its rows; ``pair`` keeps the events between
    two actors, as ``regions.pair_mask``) and its parameters."""
    cols = ", ".join(f'e."{c}"' for c in columns)
    conditions, params = _conditions(known_by, region, start, end)
    if pair is not None:
        clause, values = pair_sql(pair, "e")
        conditions.append(clause)
        params += values
    where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    sql = _EVIDENCE_SQL.format(
        cols=cols, where=where, known_on=KNOWN_ON_SQL, day=DAY_SQL, claims=_claims_sql(store)
    )
    return sql, params


def _claims_sql(store: Store) -> str:
    """The claims part of the evidence query for this store."""
    if not claims_available(store):
        return _NO_CLAIMS_SQL
    if table_exists(store.con, "situation_claims"):
        key, join = "sc.source_key", "LEFT JOIN situation_claims sc ON sc.claim_id = c.id"
    else:
        key, join = "NULL", ""
    return _CLAIMS_SQL.format(key=key, join=join)


def _conditions(
    known_by: date | None, region: Region | None, start: date | None, end: date | None
) -> tuple[list[str], list[Any]]:
    """SQL conditions on events ``e`` and documents ``d`` with their parameters."""
    conditions: list[str] = []
    params: list[Any] = []
    if known_by is not None:
        conditions.append(f"{KNOWN_ON_SQL} <= ?")
        params.append(known_by)
    if region is not None:
        clause, values = region.sql("e")
        if clause:
            conditions.append(clause)
            params += values
    if start is not None:
        # day <= date_start and day <= known_on (= e.published when the document has a
        # date), so these tests on the events alone prune before the join
        conditions.append(
            "(e.date_start IS NULL OR e.date_start >= ?) "
            f"AND (e.published IS NULL OR e.published >= ?) AND {DAY_SQL} >= ?"
        )
        params += [start, start, start]
    if end is not None:
        conditions.append(f"{DAY_SQL} <= ?")
        params.append(end)
    return conditions, params
