"""The REST API over the demo store: reads, filters, paging, formats, errors."""

from __future__ import annotations

import io
import json
import warnings

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette prefers httpx2 for TestClient
    from fastapi.testclient import TestClient

from tocsin.api import create_app
from tocsin.cli import main as cli_main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "demo.duckdb"
    result = CliRunner().invoke(cli_main, ["--db", str(path), "demo"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def client(demo_db):
    with TestClient(create_app(str(demo_db))) as c:
        yield c


def test_openapi_lists_every_resource(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/events",
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/claims",
        "/api/situations",
        "/api/index",
        "/api/indicators",
        "/api/alerts",
        "/api/stats",
    ):
        assert path in paths


def test_events_total_and_pages_follow_each_other(client, sql):
    (total,) = sql("SELECT count(*) FROM events")[0]
    first = client.get("/api/events", params={"limit": 5}).json()
    assert first["total"] == total and len(first["items"]) == 5
    assert "offset=5" in first["next"]
    second = client.get(first["next"]).json()
    ten = client.get("/api/events", params={"limit": 10}).json()["items"]
    assert [e["id"] for e in first["items"] + second["items"]] == [e["id"] for e in ten]


@pytest.mark.parametrize(
    ("params", "where", "args"),
    [
        ({"type": "ASSAULT"}, "type = ?", ["ASSAULT"]),
        ({"type": ["ASSAULT", "MOBILIZE"]}, "type IN (?, ?)", ["ASSAULT", "MOBILIZE"]),
        ({"country": "ukr"}, "country = ?", ["UKR"]),
        ({"since": "2026-11-01"}, "coalesce(date_end, date_start) >= ?", ["2026-11-01"]),
        ({"negated": "false"}, "NOT negated", []),
    ],
)
def test_filters_select_what_the_sql_selects(client, sql, params, where, args):
    (expected,) = sql(f"SELECT count(*) FROM events WHERE {where}", args)[0]
    body = client.get("/api/events", params={**params, "limit": 1000}).json()
    assert body["total"] == expected == len(body["items"])
    assert 0 < expected < sql("SELECT count(*) FROM events")[0][0]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("since=2026-13-01", "since"),
        ("until=yesterday", "until"),
        ("type=FROWN", "type"),
        ("country=UKRAINE", "country"),
        ("km=-5", "km"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
        ("format=xml", "format"),
        ("negated=perhaps", "negated"),
    ],
)
def test_invalid_filters_get_422_naming_the_parameter(client, query, parameter):
    response = client.get(f"/api/events?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["parameter"] == parameter
    assert parameter in body["error"]


def test_csv_jsonl_geojson_and_parquet_downloads(client, sql, tmp_path):
    csv = client.get("/api/events", params={"format": "csv", "limit": 7})
    assert csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"]
    frame = pd.read_csv(io.StringIO(csv.text))
    assert len(frame) == 7 and {"type", "sentence", "lat", "doc_id"} <= set(frame.columns)
    lines = client.get("/api/events", params={"format": "jsonl", "limit": 4}).text.splitlines()
    assert len(lines) == 4 and all("trigger" in json.loads(line) for line in lines)
    geo = client.get("/api/events", params={"format": "geojson"}).json()
    (geocoded,) = sql("SELECT count(*) FROM events WHERE lat IS NOT NULL")[0]
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == geocoded
    parquet = client.get("/api/events", params={"format": "parquet", "type": "ASSAULT"})
    target = tmp_path / "events.parquet"
    target.write_bytes(parquet.content)
    table = duckdb.sql(f"SELECT * FROM read_parquet('{target}')").df()
    assert set(table["type"]) == {"ASSAULT"}
    assert len(table) == sql("SELECT count(*) FROM events WHERE type = 'ASSAULT'")[0][0]


def test_points_carry_coordinates_and_report_counts(client, sql):
    items = client.get("/api/events/points").json()["items"]
    assert len(items) == sql("SELECT count(*) FROM events WHERE lat IS NOT NULL")[0][0]
    assert all(p["lat"] is not None and p["reports"] >= 1 for p in items)
    copied = dict(sql("SELECT doc_id, count(*) FROM reports GROUP BY doc_id HAVING count(*) > 1"))
    shown = [p for p in items if p["doc_id"] in copied]
    if not shown:
        pytest.skip("no geocoded event in a document with copies")
    assert all(p["reports"] == copied[p["doc_id"]] for p in shown)


def test_timeline_counts_add_up_to_the_dated_events(client, sql):
    items = client.get("/api/events/timeline", params={"type": "MOBILIZE"}).json()["items"]
    (expected,) = sql(
        "SELECT count(*) FROM events WHERE type = 'MOBILIZE' AND date_start IS NOT NULL"
    )[0]
    assert sum(i["events"] for i in items) == expected
    assert {i["type"] for i in items} == {"MOBILIZE"}


def test_documents_search_and_one_document_with_exact_spans(client, sql):
    body = client.get("/api/documents", params={"q": "air defence", "limit": 100}).json()
    assert 0 < body["total"] < sql("SELECT count(*) FROM documents")[0][0]
    doc_id = body["items"][0]["id"]
    doc = client.get(f"/api/documents/{doc_id[:10]}").json()
    assert doc["id"] == doc_id and "air defence" in (doc["title"] + doc["text"]).lower()
    assert doc["mentions"] and all(
        doc["text"][m["start"] : m["end"]] == m["text"] for m in doc["mentions"]
    )
    assert all(doc["text"][e["trigger_start"] : e["trigger_end"]] == e["trigger"]
               for e in doc["events"])  # fmt: skip


def test_unknown_ids_get_404(client):
    assert client.get("/api/documents/ffffffffffff").status_code == 404
    assert client.get("/api/events/nope").status_code == 404


def test_stats_match_the_store(client, sql):
    stats = client.get("/api/stats").json()
    assert stats["events"] == sql("SELECT count(*) FROM events")[0][0]
    assert stats["documents"] == sql("SELECT count(*) FROM documents")[0][0]
    assert sum(stats["events_by_type"].values()) == stats["events"]


def test_index_has_days_with_and_without_data(client, sql):
    items = client.get("/api/index").json()["items"]
    first, last = sql("SELECT min(date_start), max(date_start) FROM events")[0]
    assert items and {i["status"] for i in items} == {"data", "no data"}
    assert str(first) <= items[0]["day"] and items[-1]["day"] <= str(last)
    assert all(i["index"] is None for i in items if i["status"] == "no data")
    assert client.get("/api/capabilities").json()["features"]["index"] is True


def test_indicators_cover_the_shipped_checklists(client):
    items = client.get("/api/indicators").json()["items"]
    assert items and all("state" in i for i in items)


def test_alerts_are_newest_first(client):
    items = client.get("/api/alerts", params={"limit": 5}).json()["items"]
    days = [i["day"] for i in items]
    assert days == sorted(days, reverse=True) and len(days) <= 5


def test_unknown_region_is_a_422(client):
    response = client.get("/api/index", params={"region": "Atlantisland"})
    assert response.status_code == 422 and "region" in response.json()["error"]


def test_store_without_claims_lists_none_and_says_how_to_link(tmp_path):
    with TestClient(create_app(str(tmp_path / "empty.duckdb"))) as c:
        for path in ("/api/claims", "/api/situations"):
            body = c.get(path).json()
            assert body["total"] == 0 and body["items"] == []
            assert "POST /api/situations/link" in body["note"]
        features = c.get("/api/capabilities").json()["features"]
        assert features["claims"] and not features["claims_stored"]
        assert not features["situations_stored"]


def test_document_list_counts_match_the_store(client, sql):
    items = client.get("/api/documents", params={"limit": 1000}).json()["items"]
    for item in items:
        events = sql("SELECT count(*) FROM events WHERE doc_id = ?", [item["id"]])[0][0]
        reports = sql("SELECT count(*) FROM reports WHERE doc_id = ?", [item["id"]])[0][0]
        assert (item["events"], item["reports"]) == (events, reports)
    assert any(item["events"] > 0 for item in items)


def test_rows_keep_integer_columns_as_integers(client):
    """A column with NULLs stays integer (a DataFrame would have made it 12.0)."""
    items = client.get("/api/events", params={"limit": 1000}).json()["items"]
    starts = [e["actor_start"] for e in items]
    assert None in starts and any(s is not None for s in starts)
    assert all(isinstance(s, int) for s in starts if s is not None)
    assert all(len(e["date_start"]) == 10 for e in items if e["date_start"])  # YYYY-MM-DD


@pytest.mark.parametrize("page", ["/", "/map", "/situations", "/documents", "/documents/abc"])
def test_pages_are_served_with_a_strict_content_policy(client, page):
    response = client.get(page)
    assert response.status_code == 200 and "<!doctype html>" in response.text
    policy = response.headers["content-security-policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )


def test_second_writer_is_told_the_store_is_in_use(demo_db, client):
    import subprocess
    import sys

    code = f"from tocsin.store import Store\nStore.open({str(demo_db)!r})\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "store in use by" in done.stderr


def test_reads_run_on_their_own_cursor_while_the_store_stays_writable(demo_db):
    with TestClient(create_app(str(demo_db))) as c:
        handle = c.app.state.handle
        with handle.reader() as reader:
            assert reader.read_only and reader.con is not handle.store.con
        assert not handle.store.read_only
    with pytest.raises(duckdb.Error):  # closed with the app
        handle.store.con.execute("SELECT 1")


@pytest.mark.parametrize(
    ("path", "count_sql"),
    [("/api/situations?min_claims=2", "SELECT count(*) FROM situations WHERE n_claims >= 2"),
     ("/api/situations?status=corroborated",
      "SELECT count(*) FROM situations WHERE status = 'corroborated'"),
     ("/api/claims?polarity=denied", "SELECT count(*) FROM claims c JOIN events e "
      "ON e.id = c.event_id JOIN documents d ON d.id = c.doc_id WHERE c.polarity = 'denied'")],
)  # fmt: skip
def test_claims_and_situations_page_with_exact_totals(client, sql, path, count_sql):
    total = sql(count_sql)[0][0]
    assert total >= 2, "the demo store should hold at least two such rows"
    first = client.get(f"{path}&limit=1").json()
    second = client.get(f"{path}&limit=1&offset=1").json()
    assert first["total"] == second["total"] == total
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert first["next"] and "offset=1" in first["next"]
    last = client.get(f"{path}&limit=1&offset={total - 1}").json()
    assert len(last["items"]) == 1 and last["next"] is None
