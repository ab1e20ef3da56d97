"""The escalation index: one number per region (or actor pair) and day, and its events.

Formula (every term is a column of :func:`contributions`, so each value can be
decomposed into the events behind it):

1. **weight** ``w`` of an event: its PLOVER type (and mode) on a conflict scale
   in the spirit of the Goldstein (1992) scale, sign flipped so that conflict is
   positive: the Goldstein score of the event's CAMEO root (``ASSAULT`` with a
   weapon = CAMEO 19 fight = 10, other ``ASSAULT`` = 18 assault = 9, ``MOBILIZE``
   = 15 force posture = 7.2, ``AGREE`` = 03 intent to cooperate = -4,
   ``RETREAT`` = 08 yield = -5 ...; see ``TYPE_WEIGHTS`` and ``MODE_WEIGHTS``).
2. **magnitude** ``m = min(2, 1 + 0.25 log10(1 + q))`` where ``q`` is the largest
   count of people, units or weapons in the event ("90,000 troops" -> 2,
   "5 killed" -> 1.19); 1 when the event has no such quantity.
3. **certainty** ``c``: 1 for an asserted event, 0.5 uncertain (hedged), 0
   denied (polarity from :mod:`tocsin.warn.evidence`: claims when the store has
   them, else the event's negated/hedged flags).
4. **clusters**: events of the same day, type, actor and place (GeoNames id, else
   country) are one happening reported several times. A cluster scores once:
   ``base = w * m * c`` of its strongest event, times **corroboration**
   ``k = min(2, 1 + 0.5 log2(s))`` for ``s`` independent supporting sources
   (1 source -> 1, 2 -> 1.5, 4 or more -> 2), times **agreement**
   ``a = s / (s + d)`` where ``d`` counts the sources that deny it. Syndicated
   copies never make events, and one outlet twice is one source, so duplicate
   reports are counted once.
5. **index(day) = sum of cluster scores**; each cluster's score is shared
   equally by its non-denied events (``contribution``), so the index of a day
   is exactly the sum of its events' contributions. A day without any event in
   the region is ``no data`` (NaN), never zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from tocsin.export import records
from tocsin.store import Store
from tocsin.warn.evidence import event_evidence, evidence_query
from tocsin.warn.evidence_table import current_table, table_query
from tocsin.warn.regions import Region, pair_mask
from tocsin.warn.scoring import (
    CLUSTER_SQL,
    SCORE_COLUMNS,
    daily_frame,
    magnitude_sql,
    region_sql,
    score_frame,
    series_sql,
    weight_sql,
)

# Goldstein scores of the CAMEO root behind each PLOVER type, sign flipped.
TYPE_WEIGHTS = MappingProxyType({
    "ASSAULT": 9.0, "COERCE": 7.0, "MOBILIZE": 7.2, "PROTEST": 6.5, "THREATEN": 6.0,
    "DEMAND": 5.0, "SANCTION": 4.0, "REJECT": 4.0, "DISAPPROVE": 2.0, "INVESTIGATE": 2.0,
    "CRIME": 2.0, "CONSULT": -1.0, "SUPPORT": -3.5, "AGREE": -4.0, "CONCEDE": -5.0,
    "RETREAT": -5.0, "COOPERATE": -6.0, "AID": -7.0,
})  # fmt: skip
# Modes whose CAMEO code has its own Goldstein score.
MODE_WEIGHTS = MappingProxyType({
    ("ASSAULT", "aerial"): 10.0, ("ASSAULT", "missile"): 10.0, ("ASSAULT", "artillery"): 10.0,
    ("ASSAULT", "drone"): 10.0, ("ASSAULT", "clash"): 10.0, ("ASSAULT", "small_arms"): 10.0,
    ("ASSAULT", "naval"): 10.0, ("THREATEN", "violence"): 7.0, ("RETREAT", "withdraw"): -9.0,
    ("RETREAT", "ceasefire"): -9.0, ("PROTEST", "riot"): 7.5,
})  # fmt: skip
# Quantities that scale an event: counts of people, units and weapons (word stems).
MAGNITUDE_STEMS = (
    "troop", "soldier", "personnel", "reservist", "conscript", "fighter", "person", "people",
    "civilian", "fatalit", "casualt", "dead", "killed", "wounded", "injur", "battalion",
    "brigade", "division", "regiment", "tactical group", "tank", "vehicle", "launcher",
    "missile", "rocket", "drone", "shell", "aircraft", "jet", "helicopter", "ship", "vessel",
    "warship", "man", "men", "child",
)  # fmt: skip

# the event columns the index reads (the sentence and trigger texts are left in the store)
INDEX_EVENT_COLUMNS = (
    "id", "doc_id", "type", "mode", "actor", "target", "geonameid", "lat", "lon", "admin1",
    "country", "date_start", "quantities", "negated", "hedged",
)  # fmt: skip

SERIES_COLUMNS = (
    "region", "day", "status", "index", "escalation", "cooperation", "n_events",
    "n_clusters", "n_sources", "n_reports",
)  # fmt: skip


# the terms as SQL expressions over an evidence row (tocsin.warn.scoring)
WEIGHT_SQL = weight_sql(TYPE_WEIGHTS, MODE_WEIGHTS)
MAGNITUDE_SQL = magnitude_sql(MAGNITUDE_STEMS)


def contributions(frame: pd.DataFrame) -> pd.DataFrame:
    """Score every event of an evidence frame and share cluster scores among events.

    Adds ``weight, magnitude, certainty, base, cluster, n_support, n_dispute,
    corroboration, agreement, cluster_score, contribution`` (computed by the SQL
    of :mod:`tocsin.warn.scoring`, the same that scores events in the store).
    """
    if frame.empty:
        text = ("cluster", "n_support", "n_dispute")
        return frame.assign(
            **{c: pd.Series(dtype=object if c in text else float) for c in SCORE_COLUMNS}
        )
    return score_frame(frame, WEIGHT_SQL, MAGNITUDE_SQL)


def select(
    frame: pd.DataFrame, region: Region | None = None, pair: tuple[str, str] | None = None
) -> pd.DataFrame:
    """Rows of an evidence frame in ``region`` and between ``pair``."""
    keep = pd.Series(True, index=frame.index)
    if region is not None:
        keep &= region.mask(frame)
    if pair is not None:
        keep &= pair_mask(frame, pair)
    return frame[keep]


def daily_index(
    scored: pd.DataFrame,
    *,
    start: date | None = None,
    end: date | None = None,
    by: str | None = None,
    label: str = "all",
) -> pd.DataFrame:
    """One row per (region, day) from :func:`contributions` output; empty days are ``no data``."""
    days = pd.to_datetime(scored["day"]) if len(scored) else pd.Series(dtype="datetime64[ns]")
    lo = start or (days.min().date() if len(days) and pd.notna(days.min()) else None)
    hi = end or (days.max().date() if len(days) and pd.notna(days.max()) else None)
    if lo is None or hi is None or lo > hi:
        return pd.DataFrame(columns=list(SERIES_COLUMNS))
    per_day = daily_frame(scored, region_sql(by, label), lo, hi)
    return _grid(per_day, lo, hi, [label] if by is None else None)


def _grid(per_day: pd.DataFrame, lo: date, hi: date, regions: Sequence[str] | None) -> pd.DataFrame:
    """Every (region, day) from ``lo`` to ``hi`` with its figures, ``no data`` where the
    region had no event; ``regions`` None: those with data."""
    if regions is None:
        regions = sorted(per_day["region"].unique())
    if not len(regions):
        return pd.DataFrame(columns=list(SERIES_COLUMNS))
    per_day = per_day.assign(day=pd.to_datetime(per_day["day"])).set_index(["region", "day"])
    grid = pd.MultiIndex.from_product(
        [regions, pd.date_range(lo, hi, freq="D")], names=["region", "day"]
    )
    out = per_day.reindex(grid).reset_index()
    out.insert(2, "status", np.where(out["n_events"].notna(), "data", "no data"))
    for col in ("n_events", "n_clusters", "n_sources", "n_reports"):
        out[col] = out[col].astype("Int64")
    out["day"] = out["day"].dt.date
    return out[list(SERIES_COLUMNS)]


def index_series(
    store: Store,
    region: Region | None = None,
    pair: tuple[str, str] | None = None,
    start: date | None = None,
    end: date | None = None,
    *,
    by: str | None = None,
    known_by: date | None = None,
    evidence_table: str | None = None,
) -> pd.DataFrame:
    """The daily escalation index of a region and/or actor pair (or per ``by`` column).

    ``by`` is ``country`` or ``admin1`` for one series per value; ``known_by``
    uses only what was known on that day. Columns: ``SERIES_COLUMNS``. Runs in
    the store: the events of the region, pair and window are selected, scored and
    summed per day by one DuckDB query, over the evidence table
    (:mod:`tocsin.warn.evidence_table`) when it is current or can be rebuilt, else
    over the live evidence query. A caller that already knows the table is current
    (the server, until its next write) names it in ``evidence_table`` and skips the
    check.
    """
    label = index_label(region, pair)
    sql, params = _series_query(store, region, pair, start, end, by, known_by, evidence_table)
    per_day = store.con.execute(sql, params).df()
    if per_day.empty and (start is None or end is None):
        return pd.DataFrame(columns=list(SERIES_COLUMNS))
    days = pd.to_datetime(per_day["day"])
    lo = start or days.min().date()
    hi = end or days.max().date()
    if lo > hi:
        return pd.DataFrame(columns=list(SERIES_COLUMNS))
    return _grid(per_day, lo, hi, [label] if by is None else None)


def index_records(
    store: Store,
    region: Region | None = None,
    pair: tuple[str, str] | None = None,
    start: date | None = None,
    end: date | None = None,
    *,
    evidence_table: str | None = None,
) -> list[dict[str, Any]]:
    """:func:`index_series` as JSON-ready rows (``tocsin.export.records`` of it).

    With both ends of the window given, the days are filled in here from the
    query's rows, without pandas (a 30-day series cost more in DataFrames than
    in its query); otherwise the DataFrame is built and converted.
    """
    if start is None or end is None or start > end:
        frame = index_series(store, region, pair, start, end, evidence_table=evidence_table)
        return records(frame)
    days = index_days(store, region, pair, start, end, evidence_table=evidence_table)
    return window_records(days, index_label(region, pair), start, end)


def index_days(
    store: Store,
    region: Region | None = None,
    pair: tuple[str, str] | None = None,
    start: date | None = None,
    end: date | None = None,
    *,
    evidence_table: str | None = None,
) -> dict[date, tuple[Any, ...]]:
    """The figures of each day with data between ``start`` and ``end`` (each end open
    when None), by day: the rows of the series query. A day's figures depend only on
    that day's events, so the days of a long window serve any window inside it
    (the server keeps a region's whole history and cuts windows out of it)."""
    sql, params = _series_query(store, region, pair, start, end, None, None, evidence_table)
    return {row[1]: row for row in store.con.execute(sql, params).fetchall()}


def window_records(
    days: dict[date, tuple[Any, ...]], label: str, start: date, end: date
) -> list[dict[str, Any]]:
    """One JSON-ready row per day from ``start`` to ``end`` out of :func:`index_days`,
    days without data marked ``no data``, as :func:`index_series` rows."""
    out: list[dict[str, Any]] = []
    for i in range((end - start).days + 1):
        day = start + timedelta(days=i)
        row = days.get(day)
        if row is None:
            out.append({"region": label, "day": day.isoformat(), "status": "no data",
                        **dict.fromkeys(SERIES_COLUMNS[3:])})  # fmt: skip
            continue
        values = [None if v is None or v != v else v for v in row[2:]]  # NaN is no figure
        figures = [*values[:3], *(None if v is None else int(v) for v in values[3:])]
        out.append({"region": label, "day": day.isoformat(), "status": "data",
                    **dict(zip(SERIES_COLUMNS[3:], figures, strict=True))})  # fmt: skip
    return out


def _series_query(
    store: Store,
    region: Region | None,
    pair: tuple[str, str] | None,
    start: date | None,
    end: date | None,
    by: str | None,
    known_by: date | None,
    evidence_table: str | None,
) -> tuple[str, list[Any]]:
    """The SQL (and parameters) of the per-day figures: region, day, index, escalation,
    cooperation, n_events, n_clusters, n_sources, n_reports, one row per day with data."""
    label = index_label(region, pair)
    table = evidence_table or current_table(store, WEIGHT_SQL, MAGNITUDE_SQL)
    if table is not None:  # the per-event terms are columns of the evidence table
        evidence, params = table_query(
            table, known_by=known_by, region=region, pair=pair, start=start, end=end
        )
        terms = "weight AS _w, magnitude AS _m, cluster AS _cluster"
    else:  # a read-only store whose table is stale: the live evidence query
        evidence, params = evidence_query(
            store, known_by=known_by, region=region, pair=pair, start=start, end=end,
            columns=INDEX_EVENT_COLUMNS,
        )  # fmt: skip
        terms = f"{WEIGHT_SQL} AS _w, {MAGNITUDE_SQL} AS _m, {CLUSTER_SQL} AS _cluster"
    ev = (
        f"SELECT day, country, admin1, polarity, sources, doc_id, n_reports, {terms} "
        f"FROM ({evidence})"
    )
    return f"WITH ev AS ({ev}){series_sql(region_sql(by, label), start, end)}", params


def index_components(
    store: Store,
    day: date,
    region: Region | None = None,
    pair: tuple[str, str] | None = None,
    *,
    known_by: date | None = None,
) -> pd.DataFrame:
    """The events behind one day's index, strongest contribution first."""
    frame = event_evidence(store, known_by=known_by, region=region, start=day, end=day)
    scored = contributions(select(frame, region, pair))
    rows = scored[pd.to_datetime(scored["day"]).dt.date == day]
    return rows.sort_values("contribution", key=lambda s: -s.abs()).reset_index(drop=True)


def index_label(region: Region | None, pair: tuple[str, str] | None) -> str:
    parts = [region.label] if region is not None and not region.everywhere else []
    if pair:
        parts.append(f"{pair[0]}-{pair[1]}")
    return " ".join(parts) or "all"


def prepare_evidence(store: Store) -> bool:
    """Build the evidence table now if the store changed since it was built (a writer may
    call this at the end of an ingest or relink so that read-only readers such as
    ``tocsin index`` find it current); False when the store is read-only and stale."""
    return current_table(store, WEIGHT_SQL, MAGNITUDE_SQL) is not None
