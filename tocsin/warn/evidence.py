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

from datetime import date

import duckdb
import pandas as pd

from tocsin.store import Store

EVENT_COLUMNS = (
    "id", "doc_id", "type", "mode", "cameo", "actor", "target", "place_name", "geonameid",
    "lat", "lon", "admin1", "country", "date_start", "date_end", "quantities", "equipment",
    "negated", "hedged", "trigger", "sentence", "start", "end",
)  # fmt: skip

_BASE_SQL = """
WITH rep AS (
    SELECT doc_id, count(*) AS n_reports,
           list(DISTINCT coalesce(outlet, source) ORDER BY coalesce(outlet, source))
               AS report_outlets
    FROM reports GROUP BY doc_id
)
SELECT {cols},
       coalesce(d.published, CAST(d.ingested_at AS DATE)) AS known_on,
       coalesce(d.outlet, d.source) AS outlet,
       coalesce(rep.n_reports, 1) AS n_reports,
       rep.report_outlets
FROM events e
JOIN documents d ON d.id = e.doc_id
LEFT JOIN rep ON rep.doc_id = e.doc_id
{where}
ORDER BY e.date_start NULLS LAST, e.doc_id, e.start, e.trigger_start
"""

_CLAIMS_SQL = """
SELECT c.event_id AS id,
       CASE WHEN bool_or(c.polarity = 'asserted') THEN 'asserted'
            WHEN bool_and(c.polarity = 'denied') THEN 'denied'
            ELSE 'uncertain' END AS claim_polarity,
       list(DISTINCT coalesce({key}, c.speaker_code, c.speaker)) AS claim_sources
FROM claims c {join}
GROUP BY c.event_id
"""


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


def event_evidence(store: Store, *, known_by: date | None = None) -> pd.DataFrame:
    """Every event with ``day``, ``known_on``, ``polarity``, ``sources`` and ``n_reports``.

    ``known_by`` keeps only the events whose document was known on or before that
    day (back-testing). ``day`` is the day the event counts for: its first date,
    or the day it became known when it has no date or is dated after that (a
    plan announced today counts today). ``sources`` is a list of independent-source
    keys; ``evidence_from`` says ``claims`` or ``events`` for each row.
    """
    cols = ", ".join(f'e."{c}"' for c in EVENT_COLUMNS)
    where, params = "", []
    if known_by is not None:
        where = "WHERE coalesce(d.published, CAST(d.ingested_at AS DATE)) <= ?"
        params.append(known_by)
    frame = store.con.execute(_BASE_SQL.format(cols=cols, where=where), params).df()
    frame["known_on"] = pd.to_datetime(frame["known_on"])
    start = pd.to_datetime(frame["date_start"])
    frame["day"] = start.where(start.notna() & (start <= frame["known_on"]), frame["known_on"])
    frame["polarity"] = _flag_polarity(frame)
    frame["sources"] = [[o] if isinstance(o, str) else [] for o in frame["outlet"]]
    frame["evidence_from"] = "events"
    if claims_available(store):
        _merge_claims(store, frame)
    return frame


def _flag_polarity(frame: pd.DataFrame) -> pd.Series:
    negated = frame["negated"].fillna(False).astype(bool)
    hedged = frame["hedged"].fillna(False).astype(bool)
    out = pd.Series("asserted", index=frame.index, dtype=object)
    out[hedged] = "uncertain"
    out[negated] = "denied"
    return out


def _merge_claims(store: Store, frame: pd.DataFrame) -> None:
    """Overwrite polarity and sources of the events that claims cover (in place)."""
    if table_exists(store.con, "situation_claims"):
        key, join = "sc.source_key", "LEFT JOIN situation_claims sc ON sc.claim_id = c.id"
    else:
        key, join = "NULL", ""
    claims = store.con.execute(_CLAIMS_SQL.format(key=key, join=join)).df()
    if claims.empty or frame.empty:
        return
    by_id = claims.set_index("id")
    hit = frame["id"].isin(by_id.index)
    if not hit.any():
        return
    ids = frame.loc[hit, "id"]
    frame.loc[hit, "polarity"] = by_id.loc[ids, "claim_polarity"].to_numpy()
    outlets = frame.loc[hit, "outlet"].tolist()
    sources = [
        [s for s in (keys if keys is not None else []) if isinstance(s, str)] or [outlet]
        for keys, outlet in zip(by_id.loc[ids, "claim_sources"].tolist(), outlets, strict=True)
    ]
    frame.loc[hit, "sources"] = pd.Series(sources, index=frame.index[hit], dtype=object)
    frame.loc[hit, "evidence_from"] = "claims"
