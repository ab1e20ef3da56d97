"""Scoring shared by every evaluation kind: accuracy, macro-F1, precision/recall/F1,
distances. Pure functions over plain values; ``None`` as a prediction is a miss."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0088


def ratio(hits: int, total: int) -> float | None:
    """``hits / total`` rounded to 4 places, or None when there is nothing to count."""
    return round(hits / total, 4) if total else None


def accuracy(gold: Sequence[Hashable], predicted: Sequence[Hashable | None]) -> float | None:
    """Share of positions where the prediction equals the gold label."""
    if len(gold) != len(predicted):
        raise ValueError(f"accuracy: {len(gold)} gold labels but {len(predicted)} predictions")
    return ratio(sum(g == p for g, p in zip(gold, predicted, strict=True)), len(gold))


def per_class_f1(
    gold: Sequence[Hashable], predicted: Sequence[Hashable | None]
) -> dict[Hashable, float]:
    """F1 of every label seen in the gold or the predictions (a None prediction only
    costs the gold label its recall)."""
    labels = {g for g in gold} | {p for p in predicted if p is not None}
    scores: dict[Hashable, float] = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        scores[label] = prf(tp, fp, fn)["f1"] or 0.0
    return scores


def macro_f1(gold: Sequence[Hashable], predicted: Sequence[Hashable | None]) -> float | None:
    """Unweighted mean of the per-label F1 over the labels of gold and predictions
    (as scikit-learn's ``f1_score(average="macro")`` with both label sets)."""
    if len(gold) != len(predicted):
        raise ValueError(f"macro_f1: {len(gold)} gold labels but {len(predicted)} predictions")
    scores = per_class_f1(gold, predicted)
    return round(sum(scores.values()) / len(scores), 4) if scores else None


def prf(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    """Precision, recall and F1 from counts (None where the denominator is 0)."""
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = None
    if precision is not None and recall is not None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": _round(precision),
        "recall": _round(recall),
        "f1": _round(f1),
    }


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points in degrees."""
    dlat = radians(lat2 - lat1)
    dlon = radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(a)))


def within(distances: Iterable[float | None], km: float) -> float | None:
    """Share of distances (None: no prediction) at most ``km`` kilometres."""
    values = list(distances)
    return ratio(sum(d is not None and d <= km for d in values), len(values))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two half-open character spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]
