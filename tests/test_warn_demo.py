"""The shipped checklists, the index and the replay on the invented demo corpus.

Expected states come from the scenario in tocsin/data/demo/README.md: the
Russian withdrawal announced on 2026-11-04 is disputed the next days (a U.S.
official, NATO and the monitoring group say otherwise); Buk air defence on rail
wagons was reported in October.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from tocsin.cli_ingest import demo_corpus_path
from tocsin.run import ingest
from tocsin.store import Store
from tocsin.warn.backtest import IndexSpec, backtest
from tocsin.warn.checklist import default_checklists, load_checklist
from tocsin.warn.escalation import contributions, daily_index
from tocsin.warn.evidence import event_evidence
from tocsin.warn.indicators import STATES, evaluate_checklist

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store.open(str(tmp_path_factory.mktemp("demo") / "demo.duckdb"))
    ingest([str(demo_corpus_path())], s)
    yield s
    s.close()


@pytest.fixture(scope="module")
def shipped():
    return {p.stem: p for p in default_checklists()}


def test_every_shipped_indicator_evaluates_with_a_known_state(store, shipped):
    for path in shipped.values():
        status = evaluate_checklist(store, path, date(2026, 11, 6))
        assert set(status["state"]) <= set(STATES)
        assert len(status) == len(load_checklist(path).indicators)


def test_the_announced_withdrawal_is_disputed_with_evidence_on_both_sides(store, shipped):
    status = evaluate_checklist(store, shipped["de_escalation"], date(2026, 11, 6))
    row = status.set_index("indicator").loc["verified_withdrawal"]
    assert row["state"] == "disputed"
    support = " ".join(e["sentence"] for e in row["supporting"])
    dispute = " ".join(e["sentence"] for e in row["disputing"])
    assert "Defence Ministry" in support
    assert "no sign" in dispute or "not returned" in dispute


def test_air_defence_moved_forward_has_october_evidence(store, shipped):
    status = evaluate_checklist(store, shipped["ground_invasion_readiness"], date(2026, 10, 20))
    row = status.set_index("indicator").loc["air_defence_forward"]
    assert row["state"] in ("partial", "met")
    assert any("air defence" in e["sentence"] for e in row["supporting"])


def test_each_day_of_the_index_is_the_sum_of_its_events(store):
    scored = contributions(event_evidence(store))
    series = daily_index(scored).dropna(subset=["index"]).set_index("day")["index"]
    sums = scored.groupby(pd.to_datetime(scored["day"]).dt.date)["contribution"].sum()
    assert series.to_dict() == pytest.approx(sums.to_dict())


def test_the_replay_cannot_confirm_the_withdrawal_before_it_was_published(store, shipped):
    live = backtest(store, [load_checklist(shipped["de_escalation"])], IndexSpec(by="country"))
    withdrawal = live[live["subject"] == "De-escalation: verified_withdrawal"]
    met = withdrawal[withdrawal["to_state"] == "met"]
    assert (met["fired_on"] >= date(2026, 11, 4)).all()
    assert (live["fired_on"] >= live["day"]).all()
