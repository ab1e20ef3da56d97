"""The DuckDB store: schema, idempotent writes, locking, queries and exports.

Rows are built by hand (no model), so these tests are fast and exact.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from interface import EVENT_ROW_FIELDS

from tocsin.errors import QueryError, StoreError, StoreLockedError
from tocsin.export import geojson, write
from tocsin.models import (
    Actor,
    DocResult,
    Document,
    Equipment,
    Event,
    Mentions,
    Place,
    Quantity,
    Skipped,
    Span,
    TimeRange,
)
from tocsin.query import EventFilter, events, find_document, haversine_km, parse_near, stats
from tocsin.store import SCHEMA_VERSION, Report, Store

TEXT = "Invented troops massed near Kharkiv on Monday. Talks were held in Geneva."


def _span(kind, text, sub, **kw):
    start = text.index(sub)
    return kind(start=start, end=start + len(sub), text=sub, **kw)


def make_result(doc_id="d1", text=TEXT, published="2026-11-03") -> DocResult:
    doc = Document(id=doc_id, source=f"{doc_id}.txt", text=text, published=published)
    actor = _span(Actor, text, "Invented troops", code="RUS:MIL", country="RUS", sector="MIL")
    place = _span(
        Place, text, "Kharkiv", geonameid=706483, name="Kharkiv", admin1="Kharkiv",
        country="UKR", lat=49.98, lon=36.25, precision="place",
    )  # fmt: skip
    geneva = _span(
        Place, text, "Geneva", geonameid=2660646, name="Geneva", admin1="Geneva",
        country="CHE", lat=46.20, lon=6.14, precision="place",
    )  # fmt: skip
    monday = _span(TimeRange, text, "on Monday", date_start="2026-11-02",
                   date_end="2026-11-02", granularity="day")  # fmt: skip
    qty = Quantity(start=0, end=0, text="", value=None)
    mobilize = Event(
        id=f"{doc_id}-e1", doc_id=doc_id, type="MOBILIZE", mode="troops",
        quad="material_conflict", cameo="15", acled_event_type="Strategic developments",
        acled_sub_event_type="Other", trigger=_span(Span, text, "massed"),
        sentence=_span(Span, text, "Invented troops massed near Kharkiv on Monday."),
        actor=actor, place=place, time=monday, quantities=(qty,),
        equipment=(_span(Equipment, text, "troops", cls="infantry"),),
    )  # fmt: skip
    consult = Event(
        id=f"{doc_id}-e2", doc_id=doc_id, type="CONSULT", mode=None,
        quad="verbal_cooperation", cameo="04", acled_event_type=None,
        acled_sub_event_type=None, trigger=_span(Span, text, "Talks"),
        sentence=_span(Span, text, "Talks were held in Geneva."), place=geneva, hedged=True,
    )  # fmt: skip
    return DocResult(
        document=doc,
        mentions=Mentions(actors=(actor,), places=(place, geneva), times=(monday,)),
        events=(mobilize, consult),
        minhash=(1, 2, 3),
    )


def report_for(result: DocResult, kind="original", rid=None) -> Report:
    d = result.document
    return Report(rid or f"r-{d.id}", d.id, kind, None, d.source, None, None, None, d.published)


@pytest.fixture
def store(tmp_path):
    s = Store.open(str(tmp_path / "t.duckdb"))
    yield s
    s.close()


def test_new_store_has_current_schema(store):
    assert store.schema_version() == SCHEMA_VERSION
    tables = {
        r[0]
        for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert {"documents", "reports", "mentions", "events", "skipped", "runs"} <= tables


def test_write_is_idempotent(store):
    r = make_result()
    for _ in range(2):
        store.write_batch([(r, report_for(r))], [], [Skipped("bad.bin", "binary file")], "run1")
    s = stats(store)
    assert (s["documents"], s["events"], s["skipped"], s["reports"]) == (1, 2, 1, 1)


def test_event_without_time_is_dated_to_publication_and_says_so(store):
    r = make_result()
    store.write_batch([(r, report_for(r))], [], [], "run1")
    rows = events(store, EventFilter(types=("CONSULT",)))
    assert len(rows) == 1
    row = rows.iloc[0]
    assert str(row["date_start"])[:10] == "2026-11-03"
    assert row["date_source"] == "published"
    mob = events(store, EventFilter(types=("MOBILIZE",))).iloc[0]
    assert str(mob["date_start"])[:10] == "2026-11-02" and mob["date_source"] == "text"
    # the stored offsets point at the text they claim
    assert TEXT[mob["start"] : mob["end"]] == mob["sentence"]
    assert TEXT[mob["place_start"] : mob["place_end"]] == "Kharkiv"


def test_filters(store):
    r = make_result()
    store.write_batch([(r, report_for(r))], [], [], "run1")
    kharkiv = (49.99, 36.23)
    assert len(events(store, EventFilter(near=kharkiv, km=10))) == 1
    assert len(events(store, EventFilter(near=(50.45, 30.52), km=100))) == 0  # Kyiv, ~410 km
    assert len(events(store, EventFilter(actor="RUS"))) == 1
    assert len(events(store, EventFilter(country="che"))) == 1
    assert len(events(store, EventFilter(text="talks geneva"))) == 1
    assert len(events(store, EventFilter(since=__import__("datetime").date(2026, 11, 3)))) == 1


def test_haversine_matches_known_distance():
    # Kyiv to Kharkiv is about 410 km along the great circle.
    assert 400 < haversine_km(50.45, 30.52, 49.99, 36.23) < 420


def test_parse_near_rejects_out_of_range():
    assert parse_near("49.5, 36.1") == (49.5, 36.1)
    with pytest.raises(QueryError, match="out of range"):
        parse_near("149.5,36.1")


def test_exports(store):
    r = make_result()
    store.write_batch([(r, report_for(r))], [], [], "run1")
    frame = events(store)
    out = io.StringIO()
    write(frame, "jsonl", out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    required = EVENT_ROW_FIELDS
    assert all(required <= set(row) for row in rows)
    assert {row["type"] for row in rows} == {"MOBILIZE", "CONSULT"}
    gj = geojson(frame)
    assert len(gj["features"]) == 2
    assert gj["features"][0]["geometry"]["coordinates"][1] == pytest.approx(49.98)
    csv_out = io.StringIO()
    write(frame, "csv", csv_out)
    assert csv_out.getvalue().splitlines()[0].startswith("id,doc_id,type")
    with pytest.raises(QueryError, match="--output"):
        write(frame, "parquet", io.StringIO())


def test_parquet_round_trip(store, tmp_path):
    import duckdb

    r = make_result()
    store.write_batch([(r, report_for(r))], [], [], "run1")
    path = tmp_path / "e.parquet"
    write(events(store), "parquet", io.StringIO(), output_path=str(path))
    n = duckdb.connect().execute(f"SELECT count(*) FROM '{path}'").fetchall()
    assert n == [(2,)]


def test_copies_become_reports_of_the_first(store):
    r = make_result()
    copy = Report("r-copy", "d1", "near_copy", 0.9, "copy.txt", None, "Other Wire", None, None)
    store.write_batch([(r, report_for(r))], [copy], [], "run1")
    doc = find_document(store, "d1")
    assert [x["kind"] for x in doc["reports"]] == ["original", "near_copy"]
    assert stats(store)["events"] == 2


def test_find_document_errors(store):
    with pytest.raises(QueryError, match="no document"):
        find_document(store, "nope")


def test_read_only_open_of_missing_store_is_clear(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        Store.open(str(tmp_path / "missing.duckdb"), read_only=True)


def test_second_writer_gets_store_in_use(tmp_path):
    path = str(tmp_path / "locked.duckdb")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
         "sys.stdin.read()", path],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreLockedError, match=r"store in use by .*PID \d+"):
            Store.open(path)
    finally:
        holder.communicate("")
