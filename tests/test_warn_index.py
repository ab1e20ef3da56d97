"""The escalation index: formula terms, clusters, sources, copies, no-data days, claims."""

from __future__ import annotations

import json
import math
from datetime import date

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_warn_helpers import make_store

from tocsin.errors import QueryError
from tocsin.export import records
from tocsin.warn.escalation import (
    MAGNITUDE_SQL,
    WEIGHT_SQL,
    contributions,
    index_components,
    index_records,
    index_series,
)
from tocsin.warn.evidence import event_evidence
from tocsin.warn.regions import Region, parse_pair, resolve_region

D1 = date(2030, 3, 1)
# Two outlets shell Kharkiv on 03-01: the stronger event (5 killed) scores
# 10 * (1 + 0.25 log10(6)); two independent sources give k = 1.5.
SHELLING = 10 * (1 + 0.25 * math.log10(6)) * 1.5


@pytest.fixture(scope="module")
def store():
    s = make_store()
    yield s
    s.close()


def weight(type_: str | None, mode: str | None) -> float:
    """The weight term (the store's SQL) of one event."""
    with duckdb.connect() as con:
        sql = f"SELECT {WEIGHT_SQL} FROM (SELECT ? AS type, ? AS mode)"
        return con.execute(sql, [type_, mode]).fetchall()[0][0]


def magnitude(quantities: str | None) -> float:
    """The magnitude term (the store's SQL) of one event's quantities JSON."""
    with duckdb.connect() as con:
        sql = f"SELECT {MAGNITUDE_SQL} FROM (SELECT ? AS quantities)"
        return con.execute(sql, [quantities]).fetchall()[0][0]


@pytest.mark.parametrize(
    "type_,mode,expected",
    [("ASSAULT", "artillery", 10.0), ("ASSAULT", None, 9.0), ("MOBILIZE", "troops", 7.2),
     ("RETREAT", "withdraw", -9.0), ("AGREE", None, -4.0), (None, None, 0.0)],
)  # fmt: skip
def test_weights_follow_the_flipped_goldstein_scale(type_, mode, expected):
    assert weight(type_, mode) == expected


@pytest.mark.parametrize(
    "quantities,expected",
    [("[]", 1.0),
     ('[{"value": 9, "counts": "person", "unit": null}]', 1.25),
     ('[{"value": 99999, "counts": "troops", "unit": null}]', 2.0),
     ('[{"value": 500, "counts": null, "unit": "km"}]', 1.0),
     ("not json", 1.0)],
)  # fmt: skip
def test_magnitude_grows_with_the_log_of_people_counts(quantities, expected):
    assert magnitude(quantities) == pytest.approx(expected)


@pytest.mark.parametrize("n,expected", [(1, 1.0), (2, 1.5), (4, 2.0), (16, 2.0)])
def test_corroboration_is_capped_at_two(n, expected):
    # n reports of one happening (same day, type, actor, place), each its own source
    frame = pd.DataFrame({
        "id": [f"e{i}" for i in range(n)], "doc_id": [f"d{i}" for i in range(n)],
        "type": "ASSAULT", "mode": "artillery", "actor": "RUS:MIL", "geonameid": 706483,
        "country": "UKR", "quantities": "[]", "polarity": "asserted",
        "sources": [[f"outlet {i}"] for i in range(n)], "n_reports": 1,
        "day": pd.Timestamp(D1),
    })  # fmt: skip
    scored = contributions(frame)
    assert set(scored["corroboration"]) == {expected}
    assert scored["contribution"].sum() == pytest.approx(10.0 * expected)


def test_a_day_sums_its_clusters_and_copies_add_no_source(store):
    series = index_series(store, resolve_region("UKR"))
    day1 = series[series["day"] == D1].iloc[0]
    assert day1["index"] == pytest.approx(SHELLING)
    assert day1["n_sources"] == 2  # Alpha News and Beta Wire; the Gamma Post copy is not one
    assert day1["n_reports"] == 3  # but the copy is a report
    assert day1["n_clusters"] == 1


def test_a_day_without_events_is_no_data_not_zero(store):
    series = index_series(store, resolve_region("UKR"), start=date(2030, 2, 27), end=D1)
    assert list(series["status"]) == ["no data", "no data", "data"]
    assert series["index"].iloc[:2].isna().all()


def test_index_records_fill_the_window_day_by_day_as_the_series_does(store):
    ukr = resolve_region("UKR")
    items = index_records(store, ukr, start=date(2030, 2, 27), end=D1)
    assert [(i["day"], i["status"]) for i in items] == [
        ("2030-02-27", "no data"), ("2030-02-28", "no data"), ("2030-03-01", "data")
    ]  # fmt: skip
    assert items[0]["index"] is None and items[0]["n_events"] is None
    assert items[2]["index"] == pytest.approx(SHELLING)
    assert (items[2]["n_sources"], items[2]["n_reports"], items[2]["n_clusters"]) == (2, 3, 1)
    assert isinstance(items[2]["n_events"], int)
    # the same rows as the series through tocsin.export.records, key order included
    series = records(index_series(store, ukr, start=date(2030, 2, 27), end=D1))
    assert json.dumps(items) == json.dumps(series)
    assert index_records(store, ukr, start=D1, end=date(2030, 2, 27)) == []  # lo > hi


def test_the_index_decomposes_into_its_events(store):
    parts = index_components(store, D1, resolve_region("UKR"))
    assert set(parts["id"]) == {"e1", "e2"}
    assert parts["contribution"].sum() == pytest.approx(SHELLING)
    assert parts["contribution"].tolist() == pytest.approx([SHELLING / 2] * 2)


def test_a_denied_event_contributes_nothing_and_lowers_agreement(store):
    # On 03-04 the denial (e4) is its own cluster (a different actor-day than e3),
    # so it scores 0; the troop movement near Belgorod scores 7.2 * min(2, 1 + 0.25 log10(60001))
    # = 7.2 * 2 (the magnitude cap).
    parts = index_components(store, date(2030, 3, 4))
    by_id = parts.set_index("id")["contribution"]
    assert by_id["e4"] == 0
    assert by_id["e5"] == pytest.approx(14.4)


def test_only_what_was_known_counts_when_known_by_is_given(store):
    series = index_series(store, resolve_region("UKR"), known_by=D1)
    assert series.set_index("day").loc[D1, "index"] == pytest.approx(
        10 * (1 + 0.25 * math.log10(6))
    )


def test_a_pair_keeps_events_between_the_two_actors_either_way(store):
    assert parse_pair("rus:mil, ukr") == ("RUS:MIL", "UKR")
    series = index_series(store, pair=("UKR", "RUS"))
    assert series.empty  # no event of the store has a target


def test_a_region_by_admin1_and_by_distance(store):
    admin = index_series(store, Region("Kharkiv", admin1=(("UKR", "Kharkivska oblast"),)))
    near = index_series(store, Region("near", near=((50.0, 36.2, 30.0),)))
    assert admin["index"].sum() == pytest.approx(SHELLING)
    assert near["index"].sum() == pytest.approx(SHELLING)


@pytest.mark.parametrize("spec", ["Qwertyzzville", "Zzyzzyqx Oblast"])
def test_an_unknown_region_is_an_error(spec):
    with pytest.raises(QueryError, match="unknown region"):
        resolve_region(spec)


@pytest.mark.parametrize("spec", ["RUS", "RUS,XXX", "RUS:ABC,UKR"])
def test_a_bad_pair_is_an_error(spec):
    with pytest.raises(QueryError, match="--pair"):
        parse_pair(spec)


def test_claims_replace_outlets_as_sources_when_present():
    store = make_store()
    for cid, event, doc in (("c1", "e1", "d1"), ("c2", "e2", "d2")):
        store.con.execute(
            "INSERT INTO claims (id, doc_id, event_id, speaker, speaker_code, polarity) "
            "VALUES (?, ?, ?, 'the army', 'UKR:MIL', 'asserted')",
            [cid, doc, event],
        )
    store.con.execute(
        "INSERT INTO claims (id, doc_id, event_id, speaker, speaker_code, polarity) "
        "VALUES ('c3', 'd3', 'e3', 'NATO', 'NATO', 'denied')"
    )
    frame = event_evidence(store).set_index("id")
    assert frame.loc["e1", "sources"] == ["UKR:MIL"]
    assert frame.loc["e3", "polarity"] == "denied"
    assert frame.loc["e5", "evidence_from"] == "events"  # no claim: falls back to flags
    series = index_series(store, resolve_region("UKR"))
    # One speaker through two outlets is one source: no corroboration bonus.
    assert series.set_index("day").loc[D1, "index"] == pytest.approx(SHELLING / 1.5)
    store.close()


def test_an_empty_store_gives_an_empty_series():
    store = make_store(doc_ids=[])
    assert index_series(store).empty
    assert isinstance(index_series(store), pd.DataFrame)
    store.close()


_QUANTITY = st.fixed_dictionaries(
    {"value": st.one_of(st.none(), st.integers(-5, 10**6), st.floats(0, 1e6)),
     "unit": st.sampled_from([None, "", "km", "tonnes"]),
     "counts": st.sampled_from([None, "", "troops", "Soldier", "civilians", "tanks", "km",
                                "tactical groups", "days", "man"])},
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_QUANTITY, max_size=6))
def test_magnitude_is_the_documented_rule(items):
    # the docstring's rule, restated: the largest value counting people, units or
    # weapons (no unit), q, gives min(2, 1 + 0.25 log10(1 + q)); nothing gives 1
    stems = ("troop", "soldier", "civilian", "tank", "tactical group", "man")
    counted = [
        q["value"] for q in items
        if not q["unit"] and q["value"] is not None
        and str(q["counts"] or "").lower().startswith(stems)
    ]  # fmt: skip
    best = max([0.0, *counted])
    expected = min(2.0, 1.0 + 0.25 * math.log10(1.0 + best))
    assert magnitude(json.dumps(items)) == pytest.approx(expected)
