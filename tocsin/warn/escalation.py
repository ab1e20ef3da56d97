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

import json
import math
from collections.abc import Sequence
from datetime import date
from types import MappingProxyType

import numpy as np
import pandas as pd

from tocsin.store import Store
from tocsin.warn.evidence import event_evidence
from tocsin.warn.regions import Region, pair_mask

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
CERTAINTY = MappingProxyType({"asserted": 1.0, "uncertain": 0.5, "denied": 0.0})
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


def weight(type_: str | None, mode: str | None) -> float:
    """The conflict weight of a PLOVER type and mode (0 for an unknown type)."""
    if not type_:
        return 0.0
    return MODE_WEIGHTS.get((type_, mode or ""), TYPE_WEIGHTS.get(type_, 0.0))


def magnitude(quantities: str | None) -> float:
    """``min(2, 1 + 0.25 log10(1 + q))`` for the largest people/unit/weapon count ``q``."""
    if not quantities or quantities == "[]":
        return 1.0
    try:
        items = json.loads(quantities)
    except (TypeError, ValueError):
        return 1.0
    best = 0.0
    for q in items if isinstance(items, list) else []:
        counts, value = str(q.get("counts") or "").lower(), q.get("value")
        if q.get("unit") or not counts or not isinstance(value, int | float):
            continue
        if any(counts.startswith(stem) for stem in MAGNITUDE_STEMS):
            best = max(best, float(value))
    return min(2.0, 1.0 + 0.25 * math.log10(1.0 + best))


def corroboration(n_sources: int) -> float:
    """``min(2, 1 + 0.5 log2(s))``: 1 source -> 1, 2 -> 1.5, 4 or more -> 2."""
    return min(2.0, 1.0 + 0.5 * math.log2(n_sources)) if n_sources >= 1 else 0.0


def contributions(frame: pd.DataFrame) -> pd.DataFrame:
    """Score every event of an evidence frame and share cluster scores among events.

    Adds ``weight, magnitude, certainty, base, cluster, n_support, n_dispute,
    corroboration, agreement, cluster_score, contribution``.
    """
    out = frame.copy()
    if out.empty:
        for col in ("weight", "magnitude", "certainty", "base", "cluster_score",
                    "contribution", "corroboration", "agreement"):  # fmt: skip
            out[col] = pd.Series(dtype=float)
        for col in ("cluster", "n_support", "n_dispute"):
            out[col] = pd.Series(dtype=object)
        return out
    # each distinct (type, mode) and quantities text is scored once
    pairs = pd.MultiIndex.from_arrays([out["type"].fillna(""), out["mode"].fillna("")])
    weights = {key: weight(*key) for key in pairs.unique()}
    out["weight"] = [weights[key] for key in pairs]
    quantities = out["quantities"].fillna("")
    magnitudes = {q: magnitude(q) for q in quantities.unique()}
    out["magnitude"] = quantities.map(magnitudes).to_numpy()
    out["certainty"] = out["polarity"].map(CERTAINTY).fillna(1.0)
    out["base"] = out["weight"] * out["magnitude"] * out["certainty"]
    place = out["geonameid"].astype("Int64").astype(str).where(out["geonameid"].notna())
    place = place.fillna(out["country"]).fillna("")
    day = pd.to_datetime(out["day"]).dt.strftime("%Y-%m-%d")
    out["cluster"] = day + "|" + out["type"].fillna("") + "|" + out["actor"].fillna("")
    out["cluster"] += "|" + place
    out = out.join(_clusters(out), on="cluster")
    live = (out["polarity"] != "denied").to_numpy()
    n_live = pd.Series(live, index=out.index).groupby(out["cluster"]).transform("sum")
    share = out["cluster_score"] / n_live.where(n_live > 0, 1)
    out["contribution"] = np.where(live, share, 0.0)
    return out


def _clusters(out: pd.DataFrame) -> pd.DataFrame:
    """Per cluster: supporting and disputing sources, k, agreement and the cluster score."""
    live = out["polarity"] != "denied"
    pairs = out[["cluster", "sources"]].assign(live=live).explode("sources").dropna()
    support = pairs[pairs["live"]].drop_duplicates(["cluster", "sources"])
    dispute = pairs[~pairs["live"]].drop_duplicates(["cluster", "sources"])
    dispute = dispute.merge(support[["cluster", "sources"]], how="left", indicator=True)
    dispute = dispute[dispute["_merge"] == "left_only"]
    clusters = pd.Index(out["cluster"].unique(), name="cluster")
    n_s = support.groupby("cluster").size().reindex(clusters, fill_value=0)
    n_d = dispute.groupby("cluster").size().reindex(clusters, fill_value=0)
    strongest = out.loc[live, ["cluster", "base"]]
    strongest = strongest.loc[strongest["base"].abs().groupby(strongest["cluster"]).idxmax()]
    base = strongest.set_index("cluster")["base"].reindex(clusters, fill_value=0.0)
    has_live = live.groupby(out["cluster"]).any().reindex(clusters, fill_value=False)
    k = np.where(has_live, [corroboration(max(int(n), 1)) for n in n_s], 0.0)
    total = n_s + n_d
    agreement = np.where(total > 0, n_s / total.where(total > 0, 1), 1.0)
    return pd.DataFrame({
        "n_support": n_s, "n_dispute": n_d, "corroboration": k, "agreement": agreement,
        "cluster_score": base.to_numpy() * k * agreement,
    }, index=clusters)  # fmt: skip


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
    lo = pd.Timestamp(start) if start else (days.min() if len(days) else None)
    hi = pd.Timestamp(end) if end else (days.max() if len(days) else None)
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi) or lo > hi:
        return pd.DataFrame(columns=list(SERIES_COLUMNS))
    scored = scored.assign(day=days, region=scored[by].fillna("(none)") if by else label)
    scored = scored[(scored["day"] >= lo) & (scored["day"] <= hi)]
    regions: Sequence[str] = sorted(scored["region"].unique()) if by else [label]
    if not len(regions):
        return pd.DataFrame(columns=list(SERIES_COLUMNS))
    keys = ["region", "day"]
    g = scored.groupby(keys)
    contrib = scored["contribution"]
    pairs = scored[[*keys, "sources"]].explode("sources").dropna()
    per_day = pd.DataFrame({
        "index": g["contribution"].sum(),
        "escalation": contrib.clip(lower=0).groupby([scored[k] for k in keys]).sum(),
        "cooperation": contrib.clip(upper=0).groupby([scored[k] for k in keys]).sum(),
        "n_events": g.size(),
        "n_clusters": g["cluster"].nunique(),
        "n_sources": pairs.drop_duplicates().groupby(keys).size(),
        "n_reports": scored.drop_duplicates([*keys, "doc_id"]).groupby(keys)["n_reports"].sum(),
    })  # fmt: skip
    per_day["n_sources"] = per_day["n_sources"].fillna(0)
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
) -> pd.DataFrame:
    """The daily escalation index of a region and/or actor pair (or per ``by`` column).

    ``by`` is ``country`` or ``admin1`` for one series per value; ``known_by``
    uses only what was known on that day. Columns: ``SERIES_COLUMNS``.
    """
    frame = event_evidence(
        store, known_by=known_by, region=region, start=start, end=end,
        columns=INDEX_EVENT_COLUMNS,
    )  # fmt: skip
    scored = contributions(select(frame, region, pair))
    label = _label(region, pair)
    return daily_index(scored, start=start, end=end, by=by, label=label)


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


def _label(region: Region | None, pair: tuple[str, str] | None) -> str:
    parts = [region.label] if region is not None and not region.everywhere else []
    if pair:
        parts.append(f"{pair[0]}-{pair[1]}")
    return " ".join(parts) or "all"
