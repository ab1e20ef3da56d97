"""Evaluate indicator checklists over time, with the evidence for and against each sign.

For an indicator and a day ``D`` the window is the ``window_days`` days ending
on ``D``. Among the events dated in the window:

- **supporting**: events matching one of its ``match`` blocks whose polarity is
  in the indicator's ``polarity`` list (asserted, uncertain) and not denied;
- **disputing**: matching events that are denied ("no sign of a withdrawal"),
  and events matching a ``disputed_by`` block that are not denied.

The state is one of ``STATES``:

- ``no data``: no event at all (of any type) in the indicator's region in the
  window: silence is not evidence;
- ``met``: asserted support from at least ``min_sources`` independent sources
  and nothing disputing it;
- ``disputed``: supporting and disputing evidence both present;
- ``partial``: support, but fewer independent asserted sources than required
  (uncertain support alone is at most partial);
- ``not met``: data in the region, but no support.

Polarity and sources come from :mod:`tocsin.warn.evidence` (claims when the
store has them, else the events' flags and outlets).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tocsin.store import Store
from tocsin.warn.checklist import Checklist, Indicator, load_checklist
from tocsin.warn.evidence import event_evidence
from tocsin.warn.regions import Region

STATES = ("no data", "not met", "partial", "disputed", "met")
EVIDENCE_FIELDS = (
    "id", "doc_id", "day", "type", "mode", "actor", "target", "place_name", "country",
    "polarity", "sources", "sentence",
)  # fmt: skip
STATE_COLUMNS = (
    "checklist", "indicator", "name", "day", "state", "window_start", "n_support",
    "n_sources", "n_uncertain", "n_dispute", "n_dispute_sources", "min_sources",
)  # fmt: skip


@dataclass(frozen=True)
class _Masks:
    """Which rows of the evidence frame support, dispute, or lie in the region."""

    support: np.ndarray
    asserted: np.ndarray
    dispute: np.ndarray
    region: np.ndarray


def _masks(frame: pd.DataFrame, ind: Indicator) -> _Masks:
    none = pd.Series(False, index=frame.index)
    matched, against = none.copy(), none.copy()
    for block in ind.match:
        matched |= block.mask(frame)
    for block in ind.disputed_by:
        against |= block.mask(frame)
    polarity = frame["polarity"]
    denied = polarity == "denied"
    support = matched & polarity.isin(ind.polarity) & ~denied
    regions = [b.region for b in ind.match]
    if any(r.everywhere for r in regions):
        in_region = pd.Series(True, index=frame.index)
    else:
        in_region = none.copy()
        for r in regions:
            in_region |= r.mask(frame)
    return _Masks(
        support=support.to_numpy(),
        asserted=(support & (polarity == "asserted")).to_numpy(),
        dispute=((matched & denied) | (against & ~denied)).to_numpy(),
        region=in_region.to_numpy(),
    )


def _sources(frame: pd.DataFrame, rows: np.ndarray) -> set[str]:
    return {s for row in frame.loc[rows, "sources"] for s in (row or [])}


def _state(ind: Indicator, n_rows_region: int, n_sup: int, asserted_src: int, n_dis: int) -> str:
    if n_rows_region == 0:
        return "no data"
    if n_sup and n_dis:
        return "disputed"
    if asserted_src >= ind.min_sources:
        return "met"
    return "partial" if n_sup else "not met"


def _window(frame: pd.DataFrame, day: pd.Timestamp, ind: Indicator) -> np.ndarray:
    days = pd.to_datetime(frame["day"]).to_numpy()
    lo = (day - pd.Timedelta(days=ind.window_days - 1)).to_datetime64()
    return np.asarray((days >= lo) & (days <= day.to_datetime64()))


def indicator_timeline(
    frame: pd.DataFrame, checklist: Checklist, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """The state of every indicator on every day from ``start`` to ``end`` (``STATE_COLUMNS``)."""
    days = pd.to_datetime(frame["day"]) if len(frame) else pd.Series(dtype="datetime64[ns]")
    if not len(days) and (start is None or end is None):
        return pd.DataFrame(columns=list(STATE_COLUMNS))
    lo = pd.Timestamp(start) if start else days.min()
    hi = pd.Timestamp(end) if end else days.max()
    rows = []
    for ind in checklist.indicators:
        m = _masks(frame, ind)
        for day in pd.date_range(lo, hi, freq="D"):
            rows.append(_row(frame, checklist, ind, m, day))
    return pd.DataFrame(rows, columns=list(STATE_COLUMNS))


def _row(
    frame: pd.DataFrame, checklist: Checklist, ind: Indicator, m: _Masks, day: pd.Timestamp
) -> dict[str, Any]:
    w = _window(frame, day, ind) if len(frame) else np.zeros(0, dtype=bool)
    sup, dis = m.support & w, m.dispute & w
    asserted = _sources(frame, m.asserted & w)
    dis_src = _sources(frame, dis)
    state = _state(ind, int((m.region & w).sum()), int(sup.sum()), len(asserted), int(dis.sum()))
    return {
        "checklist": checklist.name, "indicator": ind.id, "name": ind.name, "day": day.date(),
        "state": state, "window_start": (day - pd.Timedelta(days=ind.window_days - 1)).date(),
        "n_support": int(sup.sum()), "n_sources": len(asserted),
        "n_uncertain": int((sup & ~m.asserted).sum()), "n_dispute": int(dis.sum()),
        "n_dispute_sources": len(dis_src), "min_sources": ind.min_sources,
    }  # fmt: skip


def evidence_rows(frame: pd.DataFrame, rows: np.ndarray, limit: int = 20) -> list[dict[str, Any]]:
    """The evidence events as plain dicts (newest first), at most ``limit``."""
    part = frame.loc[rows, [c for c in EVIDENCE_FIELDS if c in frame.columns]]
    part = part.sort_values("day", ascending=False).head(limit)
    out = []
    for rec in part.to_dict("records"):
        rec["day"] = pd.Timestamp(rec["day"]).date().isoformat()
        rec["sources"] = list(rec["sources"] or [])
        out.append(
            {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in rec.items()}
        )
    return out


def evaluate(frame: pd.DataFrame, checklist: Checklist, as_of: date | None = None) -> pd.DataFrame:
    """One row per indicator on ``as_of`` (default: the last event day) with its evidence."""
    if as_of is None:
        as_of = pd.to_datetime(frame["day"]).max().date() if len(frame) else date.today()
    day = pd.Timestamp(as_of)
    rows = []
    for ind in checklist.indicators:
        m = _masks(frame, ind)
        row = _row(frame, checklist, ind, m, day)
        w = _window(frame, day, ind) if len(frame) else np.zeros(0, dtype=bool)
        row["supporting"] = evidence_rows(frame, m.support & w)
        row["disputing"] = evidence_rows(frame, m.dispute & w)
        rows.append(row)
    return pd.DataFrame(rows)


def evaluate_checklist(
    store: Store,
    path: str | Path,
    as_of: date | None = None,
    *,
    known_by: date | None = None,
    gazetteer: Any = None,
) -> pd.DataFrame:
    """Load a checklist and evaluate it on the store: a row per indicator with evidence.

    ``known_by`` uses only the documents known on that day (back-testing).
    """
    checklist = load_checklist(path, gazetteer)
    return evaluate(event_evidence(store, known_by=known_by), checklist, as_of)


def checklist_region(checklist: Checklist) -> Region:
    """The union of the indicators' regions (everywhere if any indicator is unbounded)."""
    blocks = [b for ind in checklist.indicators for b in ind.match]
    if any(b.region.everywhere for b in blocks):
        return Region()
    return Region(
        checklist.name,
        tuple(c for b in blocks for c in b.countries),
        tuple(a for b in blocks for a in b.admin1),
        tuple(n for b in blocks for n in b.near),
    )
