"""Alerts: an indicator changes state, or the index leaves its trailing baseline.

**Index alerts.** For each day ``t`` with data, the baseline is the index on
the days *with data* among the ``baseline_days`` days before ``t`` (default 28;
days without data are left out, not read as zero). With at least
``min_baseline`` such days (default 7), the robust z-score is

    z = (x_t - median) / max(1.4826 * MAD, min_scale)

where MAD is the median absolute deviation of the baseline (1.4826 * MAD
estimates the standard deviation of normal data, and ignores outliers that a
mean and standard deviation would chase) and ``min_scale`` (default 1 index
point) keeps a flat baseline from turning any small move into an alert. An
alert fires when ``|z| >= threshold`` (default 3): ``up`` above the baseline,
``down`` below it. Its evidence is the day's strongest events.

**Indicator alerts.** An indicator's state is compared with its last state
that was not ``no data`` (the first state is compared with ``not met``); a
change fires an alert with the supporting and disputing evidence of that day.
Severity: to ``met`` high, to ``disputed`` medium, to ``partial`` low, back to
``not met`` info.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from tocsin.warn.checklist import Checklist
from tocsin.warn.indicators import _masks, _window, evidence_rows, indicator_timeline

MAD_TO_SD = 1.4826
ALERT_COLUMNS = (
    "id", "kind", "subject", "day", "severity", "message", "value", "z", "baseline",
    "from_state", "to_state", "evidence",
)  # fmt: skip
SEVERITY = {"met": "high", "disputed": "medium", "partial": "low", "not met": "info"}


def alert_id(kind: str, subject: str, day: date | str, what: str) -> str:
    """A stable id, so an alert seen once is recognised when computed again."""
    raw = f"{kind}|{subject}|{day}|{what}".encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def robust_z(
    series: pd.DataFrame,
    *,
    baseline_days: int = 28,
    min_baseline: int = 7,
    min_scale: float = 1.0,
) -> pd.DataFrame:
    """Add ``baseline`` (median), ``scale``, ``n_baseline`` and ``z`` to one region's series."""
    out = series.copy().reset_index(drop=True)
    days = pd.to_datetime(out["day"]).to_numpy()
    values = out["index"].to_numpy(dtype=float)
    has = ~np.isnan(values)
    med, scale, n_base, z = (np.full(len(out), np.nan) for _ in range(4))
    for i in range(len(out)):
        lo = days[i] - np.timedelta64(baseline_days, "D")
        window = has & (days >= lo) & (days < days[i])
        n_base[i] = window.sum()
        if n_base[i] < min_baseline:
            continue
        base = values[window]
        med[i] = np.median(base)
        scale[i] = max(MAD_TO_SD * float(np.median(np.abs(base - med[i]))), min_scale)
        if has[i]:
            z[i] = (values[i] - med[i]) / scale[i]
    out["baseline"], out["scale"], out["n_baseline"], out["z"] = med, scale, n_base, z
    return out


def index_alerts(
    series: pd.DataFrame,
    scored: pd.DataFrame | None = None,
    *,
    threshold: float = 3.0,
    baseline_days: int = 28,
    min_baseline: int = 7,
    min_scale: float = 1.0,
    region_column: str | None = None,
) -> pd.DataFrame:
    """Alerts where a daily index (one or many regions) leaves its baseline.

    ``scored`` (from :func:`tocsin.warn.escalation.contributions`) supplies the
    evidence; ``region_column`` names its column matching ``series.region``
    (None: every scored row belongs to the single series).
    """
    rows: list[dict[str, Any]] = []
    for region, part in series.groupby("region", sort=True):
        zs = robust_z(part, baseline_days=baseline_days, min_baseline=min_baseline,
                      min_scale=min_scale)  # fmt: skip
        hits = zs[zs["z"].abs() >= threshold]
        for rec in hits.to_dict("records"):
            up = rec["z"] > 0
            day = rec["day"]
            rows.append({
                "id": alert_id("index", str(region), day, "up" if up else "down"),
                "kind": "index", "subject": str(region), "day": day,
                "severity": "high" if abs(rec["z"]) >= 2 * threshold else "medium",
                "message": (f"escalation index {'above' if up else 'below'} its baseline in "
                            f"{region}: {rec['index']:.1f} vs median {rec['baseline']:.1f} "
                            f"(z = {rec['z']:+.1f})"),
                "value": float(rec["index"]), "z": float(rec["z"]),
                "baseline": float(rec["baseline"]), "from_state": None,
                "to_state": "up" if up else "down",
                "evidence": _top_events(scored, day, str(region), region_column),
            })  # fmt: skip
    return _frame(rows)


def _top_events(
    scored: pd.DataFrame | None, day: date, region: str, column: str | None, n: int = 5
) -> list[dict[str, Any]]:
    if scored is None or scored.empty:
        return []
    keep = pd.to_datetime(scored["day"]).dt.date == day
    if column:
        keep &= scored[column].fillna("(none)") == region
    part = scored[keep]
    order = part["contribution"].abs().sort_values(ascending=False).index[:n]
    out = evidence_rows(part, part.index.isin(order), limit=n)
    by_id = part.set_index("id")["contribution"].to_dict()
    for item in out:
        item["contribution"] = round(float(by_id.get(item["id"], 0.0)), 3)
    return sorted(out, key=lambda e: -abs(e["contribution"]))


def indicator_alerts(
    frame: pd.DataFrame,
    checklist: Checklist,
    start: date | None = None,
    end: date | None = None,
    *,
    timeline: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Alerts for every indicator state change between ``start`` and ``end``."""
    if timeline is None:
        timeline = indicator_timeline(frame, checklist, start, end)
    rows: list[dict[str, Any]] = []
    by_id = {ind.id: ind for ind in checklist.indicators}
    for ident, part in timeline.groupby("indicator", sort=False):
        last = "not met"
        ind = by_id[str(ident)]
        masks = None
        for rec in part.sort_values("day").to_dict("records"):
            state = rec["state"]
            if state == "no data" or state == last:
                continue
            masks = masks or _masks(frame, ind)
            w = _window(frame, pd.Timestamp(rec["day"]), ind)
            subject = f"{checklist.name}: {ind.id}"
            rows.append({
                "id": alert_id("indicator", subject, rec["day"], state), "kind": "indicator",
                "subject": subject, "day": rec["day"], "severity": SEVERITY[state],
                "message": (f"{ind.name}: {last} -> {state} ({rec['n_sources']} asserted "
                            f"source(s), {ind.min_sources} needed; {rec['n_dispute']} disputing)"),
                "value": float(rec["n_support"]), "z": None, "baseline": None,
                "from_state": last, "to_state": state,
                "evidence": evidence_rows(frame, masks.support & w, limit=5)
                + evidence_rows(frame, masks.dispute & w, limit=5),
            })  # fmt: skip
            last = state
    return _frame(rows)


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=list(ALERT_COLUMNS))
    return out.sort_values(["day", "kind", "subject"], kind="stable").reset_index(drop=True)
