"""Indicator states over time, alerts (state changes, robust z) and the day-by-day replay."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from test_warn_helpers import CHECKLISTS, make_store

from tocsin.warn.alerts import alert_id, index_alerts, indicator_alerts, robust_z
from tocsin.warn.backtest import IndexSpec, backtest, summary
from tocsin.warn.checklist import load_checklist
from tocsin.warn.evidence import event_evidence
from tocsin.warn.indicators import evaluate, evaluate_checklist, indicator_timeline

GOOD = CHECKLISTS / "good_minimal.yaml"


@pytest.fixture(scope="module")
def store():
    s = make_store()
    yield s
    s.close()


@pytest.fixture(scope="module")
def checklist():
    return load_checklist(GOOD)


@pytest.fixture(scope="module")
def timeline(store, checklist):
    frame = event_evidence(store)
    out = indicator_timeline(frame, checklist, date(2030, 2, 20), date(2030, 3, 8))
    return out.set_index(["indicator", "day"])["state"]


@pytest.mark.parametrize(
    "indicator,day,state",
    [
        ("strikes", date(2030, 2, 20), "no data"),  # nothing anywhere near: silence is not zero
        ("strikes", date(2030, 3, 1), "met"),  # two outlets, min_sources 2
        ("strikes", date(2030, 3, 3), "met"),  # still in the 3-day window
        ("strikes", date(2030, 3, 4), "no data"),  # window 03-02..03-04 has nothing in UKR
        ("pullback", date(2030, 3, 2), "not met"),  # data exists (the shelling), no support
        ("pullback", date(2030, 3, 3), "partial"),  # one asserted source of two
        ("pullback", date(2030, 3, 4), "disputed"),  # denied + "closer to" troop movement
        ("big_army", date(2030, 3, 3), "not met"),  # Kharkiv is in the 300 km circle
        ("big_army", date(2030, 3, 4), "met"),  # 60,000 troops near Belgorod
        ("big_army", date(2030, 3, 8), "no data"),  # window 03-06..03-08 is empty
    ],
)
def test_indicator_states_over_time(timeline, indicator, day, state):
    assert timeline[(indicator, day)] == state


def test_evaluation_lists_supporting_and_disputing_evidence(store):
    status = evaluate_checklist(store, GOOD, date(2030, 3, 4)).set_index("indicator")
    pull = status.loc["pullback"]
    assert [e["id"] for e in pull["supporting"]] == ["e3"]
    assert {e["id"] for e in pull["disputing"]} == {"e4", "e5"}
    assert pull["n_dispute_sources"] == 1  # both from Delta Times
    assert status.loc["big_army", "supporting"][0]["sources"] == ["Delta Times"]


def test_known_by_hides_documents_published_later(store):
    status = evaluate_checklist(store, GOOD, date(2030, 3, 1), known_by=date(2030, 3, 1))
    strikes = status.set_index("indicator").loc["strikes"]
    assert (strikes["state"], strikes["n_sources"]) == ("partial", 1)


def test_uncertain_support_alone_is_partial(checklist):
    frame = event_evidence(make_store(doc_ids=["d1", "d2"]))
    frame["polarity"] = "uncertain"
    row = evaluate(frame, checklist, date(2030, 3, 1)).set_index("indicator").loc["strikes"]
    assert (row["state"], row["n_uncertain"], row["n_sources"]) == ("partial", 2, 0)


def test_state_changes_become_alerts_with_evidence(store, checklist):
    frame = event_evidence(store)
    alerts = indicator_alerts(frame, checklist, date(2030, 2, 28), date(2030, 3, 8))
    pull = alerts[alerts["subject"] == "Test signs: pullback"]
    assert list(zip(pull["day"], pull["from_state"], pull["to_state"], strict=True)) == [
        (date(2030, 3, 3), "not met", "partial"),
        (date(2030, 3, 4), "partial", "disputed"),
        # 03-06: the window 03-04..03-06 holds only the disputing events.
        (date(2030, 3, 6), "disputed", "not met"),
    ]
    assert pull.iloc[1]["severity"] == "medium"
    assert {e["id"] for e in pull.iloc[1]["evidence"]} == {"e3", "e4", "e5"}


def _series(values):
    days = pd.date_range("2030-01-01", periods=len(values), freq="D").date
    return pd.DataFrame({"region": "X", "day": days, "index": values})


def test_robust_z_uses_median_and_mad_of_days_with_data():
    # Baseline 1,2,1,2,1,2,1 (a no-data day inside is skipped): median 1, MAD 0 -> the
    # scale floor 1 applies: z = (10 - 1) / 1 = 9.
    zs = robust_z(_series([1, 2, np.nan, 1, 2, 1, 2, 1, 10]))
    assert zs["z"].iloc[-1] == pytest.approx(9.0)
    assert zs["n_baseline"].iloc[-1] == 7
    assert zs["z"].iloc[:8].isna().all()  # fewer than 7 baseline days before


def test_robust_z_scales_by_mad():
    # Baseline 0,4,0,4,0,4,0,4: median 2, MAD 2 -> scale 2.9652; z of 14 = 12 / 2.9652.
    zs = robust_z(_series([0, 4, 0, 4, 0, 4, 0, 4, 14]))
    assert zs["z"].iloc[-1] == pytest.approx(12 / (1.4826 * 2))


def test_index_alerts_fire_up_and_down_with_stable_ids():
    alerts = index_alerts(_series([5, 6, 5, 6, 5, 6, 5, 40, -30]), min_baseline=7)
    assert list(alerts["to_state"]) == ["up", "down"]
    assert alerts.iloc[0]["id"] == alert_id("index", "X", date(2030, 1, 8), "up")


def test_backtest_fires_alerts_on_the_day_they_become_known(store, checklist):
    live = backtest(store, [checklist], IndexSpec(region=None))
    strikes = live[live["subject"] == "Test signs: strikes"]
    # On 03-01 only Alpha News is known (partial); Beta Wire arrives on 03-02 (met).
    assert list(zip(strikes["fired_on"], strikes["to_state"], strict=True))[:2] == [
        (date(2030, 3, 1), "partial"),
        (date(2030, 3, 2), "met"),
    ]
    assert set(live["lag_days"]) == {0}


def test_summary_counts_hindsight_alerts_caught_live():
    live = pd.DataFrame({"kind": ["index", "index"], "id": ["a", "b"], "lag_days": [0, 2]})
    hindsight = pd.DataFrame({"kind": ["index", "index"], "id": ["a", "c"]})
    s = summary(live, hindsight)
    assert (s["hindsight_caught_live"], s["live_not_in_hindsight"], s["median_lag_days"]) == (
        1, 1, 1.0)  # fmt: skip
