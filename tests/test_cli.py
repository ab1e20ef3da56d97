"""The command line on the built-in demo corpus: demo, stats, events, show, errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from interface import EVENT_ROW_FIELDS

from tocsin import __version__
from tocsin.cli import main

pytestmark = pytest.mark.slow

REQUIRED = EVENT_ROW_FIELDS


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("demo") / "demo.duckdb")
    result = CliRunner().invoke(main, ["--db", db, "demo"])
    assert result.exit_code == 0, result.output
    return db


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_demo_prints_geocoded_events(demo_db):
    # Run again: the demo store is recreated, not appended to.
    result = CliRunner().invoke(main, ["--db", demo_db, "demo"])
    assert result.exit_code == 0, result.output
    assert "geocoded" in result.output
    stats = json.loads(CliRunner().invoke(main, ["--db", demo_db, "stats", "--json"]).output)
    # 30 articles: 26 distinct texts, 2 near copies and 1 exact copy (see the corpus README)
    assert stats["documents"] == 27
    assert stats["reports_by_kind"] == {"exact_copy": 1, "near_copy": 2, "original": 27}
    assert stats["events"] > 50 and stats["events_geocoded"] > stats["events"] / 2
    assert stats["skipped"] == 0


def test_events_jsonl_rows_are_flat_and_traceable(demo_db):
    result = CliRunner().invoke(main, ["--db", demo_db, "events", "--format", "jsonl"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and all(set(r) >= REQUIRED for r in rows)
    assert all(not isinstance(v, dict | list) for r in rows for v in r.values())
    texts = {}
    show = CliRunner().invoke(main, ["--db", demo_db, "show", rows[0]["doc_id"], "--json"])
    doc = json.loads(show.output)
    texts[doc["id"]] = doc["text"]
    for r in rows:
        if r["doc_id"] in texts:
            assert texts[r["doc_id"]][r["start"] : r["end"]] == r["sentence"]


def test_events_filters_and_geojson(demo_db):
    runner = CliRunner()
    out = runner.invoke(
        main, ["--db", demo_db, "events", "--type", "ASSAULT", "--format", "jsonl"]
    ).output
    assault = [json.loads(line) for line in out.splitlines()]
    assert assault and {r["type"] for r in assault} == {"ASSAULT"}
    near = runner.invoke(
        main, ["--db", demo_db, "events", "--near", "50.0,36.23", "--km", "40", "--format", "jsonl"]
    ).output
    for r in map(json.loads, near.splitlines()):
        assert abs(r["lat"] - 50.0) < 0.5 and abs(r["lon"] - 36.23) < 0.7
    gj = json.loads(runner.invoke(main, ["--db", demo_db, "events", "--format", "geojson"]).output)
    assert gj["type"] == "FeatureCollection" and gj["features"]
    lon, lat = gj["features"][0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_show_marks_spans(demo_db):
    rows = CliRunner().invoke(main, ["--db", demo_db, "events", "--format", "jsonl"]).output
    doc_id = json.loads(rows.splitlines()[0])["doc_id"]
    out = CliRunner().invoke(main, ["--db", demo_db, "show", doc_id[:8]]).output
    assert "[[" in out and "|place:" in out and "Events (" in out


def test_errors_are_one_clear_line(tmp_path, demo_db):
    runner = CliRunner()
    missing = runner.invoke(main, ["--db", str(tmp_path / "none.duckdb"), "stats"])
    assert missing.exit_code == 1 and "no store at" in missing.output
    bad_date = runner.invoke(main, ["--db", demo_db, "events", "--since", "yesterday"])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output
    no_doc = runner.invoke(main, ["--db", demo_db, "show", "zzzz"])
    assert no_doc.exit_code == 1 and "no document" in no_doc.output


def test_demo_refuses_a_store_with_other_documents(tmp_path):
    db = str(tmp_path / "mine.duckdb")
    article = tmp_path / "mine.txt"
    article.write_text("Invented troops massed near Sumy on Monday, officials said.\n")
    assert CliRunner().invoke(main, ["--db", db, "ingest", str(article)]).exit_code == 0
    result = CliRunner().invoke(main, ["--db", db, "demo"])
    assert result.exit_code == 1 and "not from the demo corpus" in result.output
