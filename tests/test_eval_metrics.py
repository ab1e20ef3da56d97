"""Scoring functions of tocsin.evaluate.metrics, with values worked out by hand."""

from __future__ import annotations

import pytest

from tocsin.evaluate.metrics import (
    accuracy,
    haversine_km,
    macro_f1,
    overlaps,
    per_class_f1,
    prf,
    ratio,
    within,
)


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        (["a", "a", "b", "b"], ["a", "b", "b", "b"], 0.75),
        (["a", "b"], [None, None], 0.0),
        ([], [], None),
    ],
)
def test_accuracy(gold, pred, expected):
    assert accuracy(gold, pred) == expected


def test_accuracy_rejects_unequal_lengths():
    with pytest.raises(ValueError, match="2 gold labels but 1 predictions"):
        accuracy(["a", "b"], ["a"])


def test_macro_f1_by_hand():
    # a: tp1 fp0 fn1 -> P1 R.5 F.6667; b: tp2 fp1 fn0 -> P.6667 R1 F.8; mean .7333
    gold = ["a", "a", "b", "b"]
    pred = ["a", "b", "b", "b"]
    assert macro_f1(gold, pred) == pytest.approx(0.7333, abs=1e-4)


def test_macro_f1_counts_labels_only_predicted():
    # "c" never in gold: its F1 is 0 and it is part of the mean (a: 0.6667, c: 0)
    scores = per_class_f1(["a", "a"], ["a", "c"])
    assert scores == {"a": pytest.approx(2 / 3, abs=1e-4), "c": 0.0}
    assert macro_f1(["a", "a"], ["a", "c"]) == pytest.approx(0.3333, abs=1e-4)


def test_none_prediction_costs_recall_only():
    assert per_class_f1(["a", "a"], ["a", None]) == {"a": pytest.approx(2 / 3, abs=1e-4)}


@pytest.mark.parametrize(
    "tp,fp,fn,expected",
    [
        (3, 1, 2, {"precision": 0.75, "recall": 0.6, "f1": 0.6667}),
        (0, 0, 4, {"precision": None, "recall": 0.0, "f1": None}),
        (0, 2, 2, {"precision": 0.0, "recall": 0.0, "f1": 0.0}),
    ],
)
def test_prf(tp, fp, fn, expected):
    assert prf(tp, fp, fn) == expected


def test_haversine_kyiv_to_kharkiv():
    # Kyiv (50.45, 30.52) to Kharkiv (49.99, 36.23): about 410 km
    assert haversine_km(50.45, 30.52, 49.99, 36.23) == pytest.approx(410, abs=10)


def test_one_degree_of_latitude_is_111_km():
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.2, abs=0.2)


def test_within_counts_missing_predictions_as_misses():
    assert within([10.0, 30.0, None, 161.0], 25) == 0.25
    assert within([10.0, 30.0, None, 161.0], 161) == 0.75


@pytest.mark.parametrize(
    "a,b,expected", [((0, 5), (4, 9), True), ((0, 5), (5, 9), False), ((3, 4), (0, 9), True)]
)
def test_overlaps(a, b, expected):
    assert overlaps(a, b) is expected


def test_ratio_rounds_and_handles_zero():
    assert ratio(1, 3) == 0.3333
    assert ratio(0, 0) is None
