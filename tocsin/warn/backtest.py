"""Back-testing: replay a store day by day, as if live, and report when alerts fire.

On each day ``D`` from the first to the last day a document became known, only
the events whose document was known on or before ``D`` are used (the
``known_on`` of :mod:`tocsin.warn.evidence`: published date, else ingest day).
Then:

- the index is computed for the ``late_days`` days up to ``D`` with the
  baseline as known on ``D``; an index alert for day ``t`` fires on the first
  ``D`` it appears (reports often arrive after the day they describe: the lag
  ``D - t`` is reported);
- every indicator's state on ``D`` is compared with its state on the previous
  replayed day; a change fires an indicator alert on ``D``.

:func:`summary` compares the live alerts with those computed in hindsight on
the whole store: how many were caught live, and with what lag.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from tocsin.store import Store
from tocsin.warn.alerts import SEVERITY, alert_id, index_alerts
from tocsin.warn.checklist import Checklist
from tocsin.warn.escalation import contributions, daily_index, select
from tocsin.warn.evidence import event_evidence
from tocsin.warn.indicators import _Masks, _masks, _row, evidence_rows
from tocsin.warn.regions import Region

BACKTEST_COLUMNS = (
    "fired_on", "lag_days", "id", "kind", "subject", "day", "severity", "message", "value", "z",
    "from_state", "to_state", "evidence",
)  # fmt: skip


@dataclass(frozen=True)
class IndexSpec:
    """Which index to watch and how alerts are raised."""

    region: Region | None = None
    pair: tuple[str, str] | None = None
    by: str | None = None
    threshold: float = 3.0
    baseline_days: int = 28
    min_baseline: int = 7
    min_scale: float = 1.0
    late_days: int = 7


def backtest(
    store: Store,
    checklists: Sequence[Checklist] = (),
    spec: IndexSpec | None = None,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Replay the store day by day; one row per alert with the day it would have fired."""
    spec = spec or IndexSpec()
    full = event_evidence(store)
    if full.empty:
        return pd.DataFrame(columns=list(BACKTEST_COLUMNS))
    known = pd.to_datetime(full["known_on"])
    first = pd.Timestamp(start) if start else known.min()
    last = pd.Timestamp(end) if end else known.max()
    fired: dict[str, dict[str, Any]] = {}
    states: dict[tuple[str, str], str] = {}
    cache: dict[str, Any] = {"n": -1}
    # Masks are row by row, so they are computed once and cut to what is known each day.
    all_masks = {(c.name, i.id): _masks(full, i) for c in checklists for i in c.indicators}
    in_scope = select(full, spec.region, spec.pair).index
    for day in pd.date_range(first, last, freq="D"):
        keep = (known <= day).to_numpy()
        now = full[keep]
        if len(now) != cache["n"]:  # new documents arrived: rescore, look for index alerts
            scored = contributions(now[now.index.isin(in_scope)])
            masks = {key: _cut(m, keep) for key, m in all_masks.items()}
            cache.update(n=len(now), scored=scored, masks=masks)
            # Without new documents the series is unchanged, so no new index alert can fire.
            _index_step(cache["scored"], spec, day, fired)
        _indicator_step(now, checklists, cache["masks"], day, states, fired)
    rows = list(fired.values())
    out = pd.DataFrame(rows, columns=list(BACKTEST_COLUMNS))
    return out.sort_values(["fired_on", "kind", "subject"], kind="stable").reset_index(drop=True)


def _index_step(
    scored: pd.DataFrame, spec: IndexSpec, day: pd.Timestamp, fired: dict[str, dict[str, Any]]
) -> None:
    lo = (day - timedelta(days=spec.baseline_days + spec.late_days)).date()
    series = daily_index(scored, start=lo, end=day.date(), by=spec.by,
                         label=spec.region.label if spec.region else "all")  # fmt: skip
    if series.empty:
        return
    alerts = index_alerts(
        series, scored, threshold=spec.threshold, baseline_days=spec.baseline_days,
        min_baseline=spec.min_baseline, min_scale=spec.min_scale, region_column=spec.by,
    )  # fmt: skip
    recent = (day - timedelta(days=spec.late_days)).date()
    for rec in alerts[alerts["day"] >= recent].to_dict("records"):
        if rec["id"] not in fired:
            fired[rec["id"]] = _fire(rec, day.date())


def _indicator_step(
    frame: pd.DataFrame,
    checklists: Sequence[Checklist],
    masks: dict[tuple[str, str], Any],
    day: pd.Timestamp,
    states: dict[tuple[str, str], str],
    fired: dict[str, dict[str, Any]],
) -> None:
    from tocsin.warn.indicators import _window

    for checklist in checklists:
        for ind in checklist.indicators:
            m = masks[(checklist.name, ind.id)]
            row = _row(frame, checklist, ind, m, day)
            key = (checklist.name, ind.id)
            last, state = states.get(key, "not met"), row["state"]
            if state == "no data" or state == last:
                continue
            states[key] = state
            w = _window(frame, day, ind)
            subject = f"{checklist.name}: {ind.id}"
            rec = {
                "id": alert_id("indicator", subject, day.date(), state), "kind": "indicator",
                "subject": subject, "day": day.date(), "severity": SEVERITY[state],
                "message": f"{ind.name}: {last} -> {state}", "value": float(row["n_support"]),
                "z": None, "from_state": last, "to_state": state,
                "evidence": evidence_rows(frame, m.support & w, 5)
                + evidence_rows(frame, m.dispute & w, 5),
            }  # fmt: skip
            fired[rec["id"]] = _fire(rec, day.date())


def _cut(m: _Masks, keep: Any) -> _Masks:
    return _Masks(m.support[keep], m.asserted[keep], m.dispute[keep], m.region[keep])


def _fire(rec: dict[str, Any], on: date) -> dict[str, Any]:
    out = {k: rec.get(k) for k in BACKTEST_COLUMNS}
    out["fired_on"] = on
    out["lag_days"] = (on - rec["day"]).days
    return out


def summary(live: pd.DataFrame, hindsight: pd.DataFrame) -> dict[str, Any]:
    """Live (back-tested) index alerts against those seen in hindsight on the whole store."""
    live_idx = live[live["kind"] == "index"]
    hind_idx = hindsight[hindsight["kind"] == "index"]
    caught = hind_idx["id"].isin(set(live_idx["id"]))
    lags = live_idx["lag_days"].astype(float)
    return {
        "live_alerts": len(live),
        "live_index_alerts": len(live_idx),
        "live_indicator_alerts": int((live["kind"] == "indicator").sum()),
        "hindsight_index_alerts": len(hind_idx),
        "hindsight_caught_live": int(caught.sum()),
        "live_not_in_hindsight": int((~live_idx["id"].isin(set(hind_idx["id"]))).sum()),
        "median_lag_days": float(lags.median()) if len(lags) else None,
        "max_lag_days": float(lags.max()) if len(lags) else None,
    }
