"""The server's shortcuts give the answers of the plain queries they replace.

Each shortcut is checked against the general query on a store of random but
well-formed rows (``tocsin.bench_load.build_store``, a few thousand events) with
hand-made rows added for the edge cases: events with no end day or no day at
all, a NaN coordinate, a claim whose event is gone.
"""

from __future__ import annotations

import random
import warnings
from datetime import date, timedelta

import duckdb
import pytest

from tocsin.api import create_app
from tocsin.api.respond import fetch_records
from tocsin.api.routes_claims import deep_plain
from tocsin.bench_load import ACTORS, COUNTRIES, build_store
from tocsin.claims_store import query_claims
from tocsin.export import plain
from tocsin.query import EventFilter, events_sql
from tocsin.store import Store
from tocsin.warn import resolve_region
from tocsin.warn.escalation import MAGNITUDE_SQL, WEIGHT_SQL, index_records
from tocsin.warn.evidence_table import current_table

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette prefers httpx2 for TestClient
    from fastapi.testclient import TestClient

N_DOCUMENTS = 120


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("fast") / "f.duckdb")
    build_store(path, 4000, N_DOCUMENTS)
    with Store.open(path) as store:
        con = store.con
        # no end day (since compares the start), no day at all (never after a since),
        # and a NaN longitude
        for i, (start, end, lon) in enumerate(
            [(date(2026, 6, 1), None, 30.0), (date(2026, 2, 1), None, 30.0),
             (None, None, 30.0), (date(2026, 3, 3), date(2026, 3, 9), float("nan"))]
        ):  # fmt: skip
            con.execute(
                'INSERT INTO events (id, doc_id, type, quad, trigger, sentence, start, "end", '
                "actor, country, lat, lon, date_start, date_end, quantities, equipment, "
                "negated, hedged) VALUES (?, '0000000000000003', 'ASSAULT', 'material_conflict', "
                "'hit', 'Edge case.', ?, ?, 'RUS:MIL', 'UKR', 48.0, ?, ?, ?, '[]', '[]', "
                "false, false)",
                [f"edge{i}", 9000 + i, 9001 + i, lon, start, end],
            )
        # a claim whose event is not in the store: the claims view leaves it out
        con.execute(
            "INSERT INTO claims (id, doc_id, event_id, type, speaker, polarity, hedged, quote, "
            "quote_start) VALUES ('c-orphan', '0000000000000003', 'e-gone', 'ASSAULT', 'x', "
            "'asserted', false, 'q', 5)"
        )
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def _count(sql, f: EventFilter) -> int:
    query, params = events_sql(f)
    return int(sql(f"SELECT count(*) FROM ({query})", params)[0][0])


def test_page_totals_at_every_since_match_a_count(client, sql):
    rng = random.Random(4)
    filters = [
        EventFilter(), EventFilter(country="UKR"), EventFilter(types=("ASSAULT",)),
        EventFilter(actor=ACTORS[1]), EventFilter(country=COUNTRIES[3], types=("COERCE",)),
    ]  # fmt: skip
    days = [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 6, 1),
            date(2027, 1, 2), date(2027, 1, 3), date(2028, 1, 1)]  # fmt: skip
    days += [date(2026, 1, 1) + timedelta(days=rng.randrange(370)) for _ in range(12)]
    checked = 0
    for base in filters:
        query = {"limit": 1, "country": base.country, "actor": base.actor, "type": base.types}
        for day in days:
            params = {k: v for k, v in query.items() if v} | {"since": day.isoformat()}
            got = client.get("/api/events", params=params).json()["total"]
            want = _count(sql, EventFilter(**{**base.__dict__, "since": day}))
            assert got == want, (base, day)
            checked += want > 0
    assert checked > 40  # most of the checks count something
    # the edge rows: no end day counts by its start; no day at all never counts after a since
    assert client.get("/api/events", params={"since": "2026-05-31", "doc": "0000000000000003",
                                             "limit": 1}).json()["total"] == _count(
        sql, EventFilter(since=date(2026, 5, 31), doc_id="0000000000000003"))  # fmt: skip
    everything = client.get("/api/events", params={"limit": 1}).json()["total"]
    after_start = client.get("/api/events", params={"limit": 1, "since": "2000-01-01"}).json()
    assert everything - after_start["total"] == 1  # only the event with no day at all


def test_an_index_window_cut_from_the_whole_series_equals_the_window_queried(client):
    with client.app.state.handle.reader() as store:
        table = current_table(store, WEIGHT_SQL, MAGNITUDE_SQL)
        rng = random.Random(9)
        for region in ("UKR", "POL", "RUS"):
            area = resolve_region(region)
            for _ in range(4):
                since = date(2025, 12, 20) + timedelta(days=rng.randrange(400))
                until = since + timedelta(days=rng.randrange(45))
                got = client.get(
                    "/api/index", params={"region": region, "since": since, "until": until}
                ).json()["items"]
                want = index_records(store, area, None, since, until, evidence_table=table)
                assert len(got) == (until - since).days + 1
                assert [g["day"] for g in got] == [w["day"] for w in want]
                for g, w in zip(got, want, strict=True):
                    assert g.keys() == w.keys() and g["status"] == w["status"]
                    for key, value in w.items():
                        if isinstance(value, float):
                            assert g[key] == pytest.approx(value, rel=1e-9), (region, key)
                        else:
                            assert g[key] == value, (region, key)
        assert any(w["status"] == "data" for w in want) and any(
            w["status"] == "no data" for w in want
        )


def test_a_documents_claims_are_the_claims_query_rows(client):
    with client.app.state.handle.reader() as store:
        for n in (3, 4, 17, 60):
            doc_id = f"{n:016x}"
            got = client.get(f"/api/documents/{doc_id}").json()["claims"]
            want = [deep_plain(r) for r in query_claims(store, doc_id=doc_id).to_dict("records")]
            assert got == want
            assert len(got) > 5
            assert "c-orphan" not in {c["id"] for c in got}


def test_rows_are_converted_by_column_type_as_plain_converts_cells(client, sql):
    handle = client.app.state.handle
    with handle.reader() as store:
        for query in (
            "SELECT * FROM events WHERE doc_id = '0000000000000003' ORDER BY start",
            "SELECT * FROM documents ORDER BY id LIMIT 30",
            "SELECT * FROM situations ORDER BY id LIMIT 30",
            "SELECT id, now() AS at, 1.5 AS d, [1, 2] AS l FROM claims LIMIT 3",
        ):
            cursor = store.con.execute(query)
            names = [d[0] for d in cursor.description]
            want = [dict(zip(names, map(plain, row), strict=True)) for row in cursor.fetchall()]
            assert fetch_records(store, query) == want
        nan_row = fetch_records(store, "SELECT lon FROM events WHERE id = 'edge3'")
    assert nan_row == [{"lon": None}]


def test_reads_run_single_threaded_and_a_write_on_every_core(client, sql):
    handle = client.app.state.handle
    setting = "SELECT current_setting('threads')"
    assert sql(setting)[0][0] == 1
    optimizers = "SELECT current_setting('disabled_optimizers')"
    assert sql(optimizers)[0][0] == "compressed_materialization"
    every_core = duckdb.connect().execute(setting).fetchone()[0]  # DuckDB's default
    with handle.writer() as store:
        assert store.con.execute(setting).fetchone()[0] == every_core
        assert store.con.execute(optimizers).fetchone()[0] == ""
        store.con.execute("DELETE FROM claims WHERE id = 'c-orphan'")
    assert sql(setting)[0][0] == 1
    # the write left the warnings' evidence table current: no reader rebuilds it
    with handle.reader() as store:
        assert current_table(store, WEIGHT_SQL, MAGNITUDE_SQL) is not None


def test_pages_of_every_document_are_the_listing_query_pages(client, sql):
    listing = "SELECT id FROM documents ORDER BY published DESC NULLS LAST, id LIMIT ? OFFSET ?"
    for limit, offset in ((50, 0), (7, 3), (50, 100), (30, 119), (10, 500)):
        body = client.get("/api/documents", params={"limit": limit, "offset": offset}).json()
        assert [d["id"] for d in body["items"]] == [r[0] for r in sql(listing, [limit, offset])]
        assert body["total"] == N_DOCUMENTS
    first = client.get("/api/documents", params={"limit": 1}).json()["items"][0]
    row = sql("SELECT title, n_words FROM documents WHERE id = ?", [first["id"]])[0]
    assert (first["title"], first["n_words"]) == row and first["events"] > 0


def test_a_failed_evidence_rebuild_after_a_write_keeps_the_write(client, sql, monkeypatch, caplog):
    from tocsin.api import deps
    from tocsin.errors import StoreError

    def fail(store):
        raise StoreError("No space left on device")

    monkeypatch.setattr(deps, "prepare_evidence", fail)
    handle = client.app.state.handle
    generation = handle.answers.generation
    with handle.writer() as store:
        store.con.execute("UPDATE documents SET title = 'Renamed' WHERE id = '0000000000000005'")
    assert sql("SELECT title FROM documents WHERE id = '0000000000000005'")[0][0] == "Renamed"
    assert handle.answers.generation == generation + 1
    assert sql("SELECT current_setting('threads')")[0][0] == 1
    assert "No space left on device" in caplog.text


def test_the_server_sets_its_thread_pool_and_lock_interval_and_restores_the_interval(tmp_path):
    import sys

    import anyio.to_thread

    from tocsin.api.app import REQUEST_THREADS, SWITCH_INTERVAL

    before = sys.getswitchinterval()
    sys.setswitchinterval(0.003)  # whatever it was, the server must put this back
    try:
        path = str(tmp_path / "empty.duckdb")
        Store.open(path).close()
        with TestClient(create_app(path)) as c:
            assert c.get("/api/health").status_code == 200
            assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL, rel=0.01)
            limiter = c.portal.call(anyio.to_thread.current_default_thread_limiter)
            assert limiter.total_tokens == REQUEST_THREADS
        assert sys.getswitchinterval() == pytest.approx(0.003, rel=0.01)
    finally:
        sys.setswitchinterval(before)
