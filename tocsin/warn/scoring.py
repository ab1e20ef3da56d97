"""The escalation formula as DuckDB SQL: per-event scores and per-day sums.

One implementation serves two callers (see :mod:`tocsin.warn.escalation` for the
formula and its terms): :func:`score_frame` and :func:`daily_frame` run it on an
evidence DataFrame (explanations, back-tests, the CLI), and
:func:`tocsin.warn.escalation.index_series` runs it inside the store, next to
the evidence query, so only one row per day leaves DuckDB.

The relations read: ``ev``, evidence rows (``day``, ``type``, ``mode``,
``actor``, ``geonameid``, ``country``, ``quantities``, ``polarity``,
``sources``, ``doc_id``, ``n_reports`` and ``_row``, their order), and ``sc``,
the scored rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import duckdb
import pandas as pd

SCORE_COLUMNS = (
    "weight", "magnitude", "certainty", "base", "cluster", "n_support", "n_dispute",
    "corroboration", "agreement", "cluster_score", "contribution",
)  # fmt: skip


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def weight_sql(
    type_weights: Mapping[str, float], mode_weights: Mapping[tuple[str, str], float]
) -> str:
    """``weight`` of a row of ``ev``: its (type, mode) weight, else its type's, else 0."""
    modes = " ".join(
        f"WHEN {_quote(t + '|' + m)} THEN {w!r}::DOUBLE" for (t, m), w in mode_weights.items()
    )
    types = " ".join(f"WHEN {_quote(t)} THEN {w!r}::DOUBLE" for t, w in type_weights.items())
    return (
        f"CASE WHEN coalesce(type, '') = '' THEN 0.0 "
        f"ELSE coalesce(CASE type || '|' || coalesce(mode, '') {modes} END, "
        f"CASE type {types} END, 0.0) END"
    )


def magnitude_sql(stems: tuple[str, ...]) -> str:
    """``magnitude`` of a row of ``ev``: ``min(2, 1 + 0.25 log10(1 + q))`` for the largest
    count ``q`` of people, units or weapons among its quantities (JSON), else 1."""
    pattern = _quote("^(" + "|".join(stems) + ")")
    items = (
        'from_json(quantities, \'[{"value": "DOUBLE", "unit": "VARCHAR", "counts": "VARCHAR"}]\')'
    )
    counted = (
        f"list_filter({items}, lambda q: coalesce(q.unit, '') = '' AND q.value IS NOT NULL "
        f"AND regexp_matches(lower(coalesce(q.counts, '')), {pattern}))"
    )
    best = f"greatest(0.0, coalesce(list_max(list_transform({counted}, lambda q: q.value)), 0.0))"
    return (
        "CASE WHEN quantities IS NULL OR quantities IN ('', '[]') THEN 1.0 "
        "WHEN NOT json_valid(quantities) OR json_type(quantities) <> 'ARRAY' THEN 1.0 "
        f"ELSE least(2.0, 1.0 + 0.25 * log10(1.0 + {best})) END"
    )


# the cluster of a row of ``ev``: events of the same day, type, actor and place
CLUSTER_SQL = (
    "strftime(CAST(day AS DATE), '%Y-%m-%d') || '|' || coalesce(type, '') || '|' "
    "|| coalesce(actor, '') || '|' "
    "|| coalesce(CAST(CAST(geonameid AS BIGINT) AS VARCHAR), country, '')"
)


def score_sql(weight: str, magnitude: str, cluster: str = CLUSTER_SQL) -> str:
    """Common table expressions, to follow ``WITH ev AS (...)``, ending in ``sc``: the
    rows of ``ev`` with ``SCORE_COLUMNS``. ``weight``, ``magnitude`` and ``cluster`` are
    SQL over a row of ``ev`` (the formula's, or columns holding their values)."""
    return f"""
, s0 AS (
    SELECT *, {weight} AS weight, {magnitude} AS magnitude,
           CASE polarity WHEN 'uncertain' THEN 0.5 WHEN 'denied' THEN 0.0 ELSE 1.0 END
               AS certainty,
           coalesce(polarity, '') <> 'denied' AS _live, {cluster} AS cluster
    FROM ev
),
s1 AS (SELECT *, weight * magnitude * certainty AS base FROM s0),
src AS (
    SELECT DISTINCT cluster, _live, source
    FROM (SELECT cluster, _live, unnest(CAST(sources AS VARCHAR[])) AS source FROM s1)
    WHERE source IS NOT NULL
),
sup AS (SELECT cluster, count(*) AS n FROM src WHERE _live GROUP BY cluster),
dis AS (
    SELECT d.cluster, count(*) AS n FROM src d
    WHERE NOT d._live AND NOT EXISTS (
        SELECT 1 FROM src s WHERE s._live AND s.cluster = d.cluster AND s.source = d.source)
    GROUP BY d.cluster
),
cl AS (
    SELECT cluster, bool_or(_live) AS has_live, count(*) FILTER (WHERE _live) AS n_live,
           coalesce(arg_max(base, abs(base)) FILTER (WHERE _live), 0.0) AS strongest
    FROM s1 GROUP BY cluster
),
c2 AS (
    SELECT cl.*, coalesce(sup.n, 0) AS n_support, coalesce(dis.n, 0) AS n_dispute
    FROM cl LEFT JOIN sup USING (cluster) LEFT JOIN dis USING (cluster)
),
c3 AS (
    SELECT *,
           CASE WHEN has_live THEN least(2.0, 1.0 + 0.5 * log2(greatest(n_support, 1)))
                ELSE 0.0 END AS corroboration,
           CASE WHEN n_support + n_dispute > 0 THEN n_support / (n_support + n_dispute)
                ELSE 1.0 END AS agreement
    FROM c2
),
sc AS (
    SELECT s1.* EXCLUDE (_live), c3.n_support, c3.n_dispute, c3.corroboration, c3.agreement,
           c3.strongest * c3.corroboration * c3.agreement AS cluster_score,
           CASE WHEN s1._live
                THEN c3.strongest * c3.corroboration * c3.agreement / greatest(c3.n_live, 1)
                ELSE 0.0 END AS contribution
    FROM s1 JOIN c3 USING (cluster)
)
"""


def _window(lo: date | None, hi: date | None) -> str:
    """``WHERE`` over ``day`` from ``lo`` to ``hi`` (either open when None), or ''."""
    window = [f"CAST(day AS DATE) >= DATE '{lo.isoformat()}'"] if lo else []
    window += [f"CAST(day AS DATE) <= DATE '{hi.isoformat()}'"] if hi else []
    return ("WHERE " + " AND ".join(window)) if window else ""


def _day_totals(rows: str) -> str:
    """The end of :func:`daily_sql` and :func:`series_sql`: distinct sources and
    reports per (region, day) of ``rows`` joined to the sums of ``agg``."""
    return f"""srcs AS (
    SELECT region, day, count(DISTINCT source) AS n_sources
    FROM (SELECT region, day, unnest(CAST(sources AS VARCHAR[])) AS source FROM {rows})
    WHERE source IS NOT NULL GROUP BY region, day
),
reps AS (
    SELECT region, day, sum(n) AS n_reports
    FROM (SELECT region, day, doc_id, any_value(n_reports) AS n FROM {rows}
          GROUP BY region, day, doc_id)
    GROUP BY region, day
)
SELECT agg.region, agg.day, agg."index", agg.escalation, agg.cooperation, agg.n_events,
       agg.n_clusters, coalesce(srcs.n_sources, 0) AS n_sources, reps.n_reports
FROM agg LEFT JOIN srcs USING (region, day) LEFT JOIN reps USING (region, day)
ORDER BY agg.region, agg.day
"""


def daily_sql(region: str, lo: date | None, hi: date | None) -> str:
    """Common table expressions and a SELECT, to follow the CTEs that define ``sc``:
    one row per (region, day) of ``sc`` from ``lo`` to ``hi`` (either open when None):
    region, day, index, escalation, cooperation, n_events, n_clusters, n_sources,
    n_reports; ``region`` is a SQL expression over ``sc``."""
    where = _window(lo, hi)
    return f"""
, d AS (
    SELECT {region} AS region, CAST(day AS DATE) AS day, contribution, cluster, sources,
           doc_id, n_reports
    FROM sc {where}
),
agg AS (
    SELECT region, day, sum(contribution) AS "index",
           sum(greatest(contribution, 0.0)) AS escalation,
           sum(least(contribution, 0.0)) AS cooperation,
           count(*) AS n_events, count(DISTINCT cluster) AS n_clusters
    FROM d GROUP BY region, day
),
{_day_totals("d")}"""


def series_sql(region: str, lo: date | None, hi: date | None) -> str:
    """Common table expressions and a SELECT, to follow ``WITH ev AS (...)`` whose rows
    carry ``_w``, ``_m`` and ``_cluster`` (weight, magnitude, cluster key): the rows of
    :func:`daily_sql` over :func:`score_sql`, without sharing scores among rows.

    The same figures by a shorter road: a day's index is the sum of its clusters'
    scores (a cluster's contributions add up to its score, and a cluster lies in
    one day), a source supports a cluster when any live row of the cluster cites
    it and disputes it otherwise, so each cluster is scored once from two grouped
    scans and no score is joined back to its rows.
    """
    where = _window(lo, hi)
    return f"""
, s1 AS (
    SELECT {region} AS region, CAST(day AS DATE) AS day, _cluster AS cluster, sources,
           doc_id, n_reports, coalesce(polarity, '') <> 'denied' AS _live,
           _w * _m * CASE polarity WHEN 'uncertain' THEN 0.5 WHEN 'denied' THEN 0.0
                                   ELSE 1.0 END AS base
    FROM ev {where}
),
ks AS (
    SELECT cluster, source, bool_or(_live) AS live
    FROM (SELECT cluster, _live, unnest(CAST(sources AS VARCHAR[])) AS source FROM s1)
    WHERE source IS NOT NULL GROUP BY cluster, source
),
sd AS (
    SELECT cluster, count(*) FILTER (WHERE live) AS n_support,
           count(*) FILTER (WHERE NOT live) AS n_dispute
    FROM ks GROUP BY cluster
),
cl AS (
    SELECT region, day, cluster, bool_or(_live) AS has_live, count(*) AS n_events,
           coalesce(arg_max(base, abs(base)) FILTER (WHERE _live), 0.0) AS strongest
    FROM s1 GROUP BY region, day, cluster
),
score AS (
    SELECT cl.region, cl.day, cl.n_events,
           cl.strongest
           * CASE WHEN cl.has_live
                  THEN least(2.0, 1.0 + 0.5 * log2(greatest(coalesce(sd.n_support, 0), 1)))
                  ELSE 0.0 END
           * CASE WHEN coalesce(sd.n_support, 0) + coalesce(sd.n_dispute, 0) > 0
                  THEN sd.n_support / (sd.n_support + sd.n_dispute) ELSE 1.0 END
               AS cluster_score
    FROM cl LEFT JOIN sd USING (cluster)
),
agg AS (
    SELECT region, day, sum(cluster_score) AS "index",
           sum(greatest(cluster_score, 0.0)) AS escalation,
           sum(least(cluster_score, 0.0)) AS cooperation,
           sum(n_events) AS n_events, count(*) AS n_clusters
    FROM score GROUP BY region, day
),
{_day_totals("s1")}"""


def region_sql(by: str | None, label: str) -> str:
    """The region of a scored row: its ``by`` column (``(none)`` when empty), or ``label``."""
    if by is None:
        return _quote(label)
    if by not in ("country", "admin1"):
        raise ValueError(f"by must be country or admin1, not {by!r}")
    return f"coalesce({by}, '(none)')"


def _on_frame(frame: pd.DataFrame, sql: str) -> pd.DataFrame:
    con = duckdb.connect()
    try:
        con.register("ev_frame", frame)
        return con.execute(sql).df()
    finally:
        con.close()


def score_frame(frame: pd.DataFrame, weight: str, magnitude: str) -> pd.DataFrame:
    """``frame`` (evidence rows) with ``SCORE_COLUMNS`` added, same rows and order."""
    rows = frame.reset_index(drop=True).assign(_row=range(len(frame)))
    sql = f"WITH ev AS (SELECT * FROM ev_frame){score_sql(weight, magnitude)}"
    sql += "SELECT * FROM sc ORDER BY _row"
    scored = _on_frame(rows, sql)
    out = frame.copy()
    for column in SCORE_COLUMNS:
        out[column] = scored[column].to_numpy()
    return out


def daily_frame(scored: pd.DataFrame, region: str, lo: date, hi: date) -> pd.DataFrame:
    """``daily_sql`` over a scored DataFrame."""
    return _on_frame(scored, f"WITH sc AS (SELECT * FROM ev_frame){daily_sql(region, lo, hi)}")
