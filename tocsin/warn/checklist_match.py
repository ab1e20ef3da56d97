"""One match block of an indicator: which events it selects from an evidence frame.

Inside a block every field given must hold (AND); inside a field any listed
value may match (OR). ``countries``, ``admin1`` and ``near`` together form one
region (an event in any of them matches).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pandas as pd

from tocsin.warn.regions import Region, code_matches


@dataclass(frozen=True)
class Match:
    """Criteria on events; empty tuples and ``None`` mean "any"."""

    types: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    admin1: tuple[tuple[str | None, str], ...] = ()
    near: tuple[tuple[float, float, float], ...] = ()
    min_quantity: float | None = None
    quantity_counts: tuple[str, ...] = ()

    @property
    def region(self) -> Region:
        return Region("block", self.countries, self.admin1, self.near)

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """Which events of an evidence frame satisfy every criterion of the block."""
        hit = pd.Series(True, index=frame.index)
        if self.types:
            hit &= frame["type"].isin(self.types)
        if self.modes:
            hit &= frame["mode"].isin(self.modes)
        if self.actors:
            hit &= code_matches(frame["actor"], self.actors)
        if self.targets:
            hit &= code_matches(frame["target"], self.targets)
        if self.equipment:
            wanted = set(self.equipment)
            hit &= frame["equipment"].map(lambda e: bool(wanted & equipment_of(e)))
        if self.words:
            pattern = r"\b(?:" + "|".join(re.escape(w.lower()) for w in self.words) + ")"
            hit &= frame["sentence"].fillna("").str.lower().str.contains(pattern, regex=True)
        region = self.region
        if not region.everywhere:
            hit &= region.mask(frame)
        if self.min_quantity is not None:
            threshold, counts = self.min_quantity, self.quantity_counts
            hit &= frame["quantities"].map(lambda q: largest(q, counts) >= threshold)
        return hit.fillna(False).astype(bool)


def equipment_of(value: str | None) -> set[str]:
    """The equipment classes in an event's ``equipment`` JSON."""
    try:
        items = json.loads(value) if value else []
    except (TypeError, ValueError):
        return set()
    return {str(i.get("class")) for i in items if isinstance(i, dict)}


def largest(value: str | None, counts: tuple[str, ...]) -> float:
    """The largest quantity in an event's JSON counting one of ``counts`` (any count if empty).

    Quantities with a unit (km, %, litres) never count; ``counts`` are word stems
    ("troop" matches "troops").
    """
    try:
        items = json.loads(value) if value else []
    except (TypeError, ValueError):
        return float("-inf")
    best = float("-inf")
    for q in items if isinstance(items, list) else []:
        what = str(q.get("counts") or "").lower()
        number = q.get("value")
        if q.get("unit") or not isinstance(number, int | float):
            continue
        if counts and not any(what.startswith(c.lower()) for c in counts):
            continue
        best = max(best, float(number))
    return best
