"""The main queries at scale read only what they return: a region's index series is
narrowed in SQL (and gives the same figures as the whole-store computation), one
situation reads its own claims, and situations page in SQL."""

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

from tocsin.bench_scale import fill_store
from tocsin.claims_store import count_situations, query_situations
from tocsin.store import Store
from tocsin.warn.escalation import contributions, daily_index, index_series, select
from tocsin.warn.evidence import event_evidence
from tocsin.warn.regions import EARTH_KM, Region

D1 = date(2030, 3, 1)


def _whole_store_series(store: Store, region: Region | None, start: date, end: date):
    """The series as computed before narrowing existed: every event, then pandas."""
    scored = contributions(select(event_evidence(store), region, None))
    label = region.label if region is not None else "all"
    return daily_index(scored, start=start, end=end, label=label)


@pytest.fixture(scope="module")
def warn_store():
    s = make_store()
    # as Store.write_batch writes them: each event carries its document's date
    s.con.execute(
        "UPDATE events SET published = (SELECT d.published FROM documents d "
        "WHERE d.id = events.doc_id)"
    )
    yield s
    s.close()


@pytest.mark.parametrize(
    "region",
    [None, Region("UKR", countries=("UKR",)),
     Region("Kharkiv", admin1=(("UKR", "Kharkivska oblast"),)),
     Region("near Belgorod", near=((50.6, 36.6, 30.0),))],
)  # fmt: skip
@pytest.mark.parametrize(
    "start,end", [(D1, D1), (date(2030, 3, 2), date(2030, 3, 4)), (date(2030, 2, 1), D1)]
)
def test_narrowed_series_equals_the_whole_store_series(warn_store, region, start, end):
    narrowed = index_series(warn_store, region, start=start, end=end)
    whole = _whole_store_series(warn_store, region, start, end)
    pd.testing.assert_frame_equal(narrowed.reset_index(drop=True), whole.reset_index(drop=True))


def test_narrowing_keeps_events_dated_after_they_were_known(warn_store):
    # an event dated after its publication counts on the publication day: e5 of d4
    # (published 03-04) moved to 03-09 must still count on 03-04, not vanish
    warn_store.con.execute("UPDATE events SET date_start = DATE '2030-03-09' WHERE id = 'e5'")
    try:
        series = index_series(warn_store, start=date(2030, 3, 4), end=date(2030, 3, 4))
        whole = _whole_store_series(warn_store, None, date(2030, 3, 4), date(2030, 3, 4))
        assert int(series["n_events"].iloc[0]) == 2  # e4 (denied) and e5
        pd.testing.assert_frame_equal(series, whole)
    finally:
        warn_store.con.execute("UPDATE events SET date_start = DATE '2030-03-04' WHERE id = 'e5'")


def _destination(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) along ``bearing`` degrees (spherical Earth)."""
    d, b = km / EARTH_KM, math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1),
                         math.cos(d) - math.sin(p1) * math.sin(p2))  # fmt: skip
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180


@settings(max_examples=200, deadline=None)
@given(
    plat=st.floats(-89.9, 89.9),
    plon=st.floats(-180, 180),
    km=st.floats(1, 3000),
    polar=st.lists(st.tuples(st.floats(0, 360), st.floats(0, 0.999)), min_size=1, max_size=40),
)
def test_region_sql_keeps_every_event_the_exact_mask_keeps(plat, plon, km, polar):
    # points inside the circle, many near its edge (where a box that is too small fails)
    points = [_destination(plat, plon, b, km * f**0.25) for b, f in polar]
    region = Region("circle", near=((plat, plon, km),))
    frame = pd.DataFrame(points, columns=["lat", "lon"]).assign(country="XXX", admin1=None)
    exact = region.mask(frame)
    clause, params = region.sql("e")
    con = duckdb.connect()
    con.register("e", frame.reset_index())
    kept = {i for (i,) in con.execute(f"SELECT index FROM e WHERE {clause}", params).fetchall()}
    missed = [i for i in frame.index[exact] if i not in kept]
    assert not missed, f"the SQL box drops points inside the circle: {frame.loc[missed]}"


@pytest.fixture(scope="module")
def big_store():
    # fill_store's rule: a claim for every even event i, claim i in situation i // 20,
    # so situation k holds the claims of events 20k, 20k + 2, ..., 20k + 18
    with Store.open(":memory:") as store:
        fill_store(store, n_events=200, n_docs=40)
        yield store


def test_one_situation_reads_its_own_claims(big_store):
    frame = query_situations(big_store, situation_id="s000000003")
    assert list(frame["id"]) == ["s000000003"]
    ids = sorted(c["id"] for c in frame.iloc[0]["claims"])
    assert ids == [f"c{i:010d}" for i in range(60, 80, 2)]


def test_situations_page_in_sql(big_store):
    assert count_situations(big_store) == 10
    every = query_situations(big_store)
    page = query_situations(big_store, limit=3, offset=2)
    assert list(page["id"]) == list(every["id"])[2:5]
    assert all(len(claims) == 10 for claims in page["claims"])
    contradicted = query_situations(big_store, status="contradicted")
    # situations k = 0, 3, 6, 9 are contradicted in fill_store
    assert list(contradicted["id"]) == [f"s00000000{k}" for k in (0, 3, 6, 9)]
    assert count_situations(big_store, status="contradicted") == 4
    assert count_situations(big_store, min_claims=11) == 0


def test_bench_scale_command_reports_every_figure(tmp_path):
    from click.testing import CliRunner

    from tocsin.cli import main

    args = ["--db", str(tmp_path / "unused.duckdb"), "bench-scale", "--docs", "30",
            "--workers", "1", "--engine", "local", "--no-spacy", "--events", "3000",
            "--documents", "500", "--json"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    (row,) = figures["ingest"]
    assert row["docs"] == 30 and row["workers"] == 1 and row["words"] > 0
    assert row["tocsin_words_per_s"] > 0 and row["peak_worker_mb"] > 0
    queries = {q["query"]: q for q in figures["queries"]["queries"]}
    assert len(queries) == 7
    assert queries["one situation with its claims"]["rows"] == 1
    assert queries["escalation index of a region (admin1), 30 days"]["rows"] == 30
