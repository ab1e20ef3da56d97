"""Input shards (globs, @lists, Parquet) and Parquet output partitioned by day.

Stores are filled with hand-built rows (no model), so these tests are fast.
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from tocsin.errors import StoreError
from tocsin.models import DocResult, Document, Event, Mentions, Place, RawDocument, Skipped, Span
from tocsin.query import EventFilter, events, stats
from tocsin.shards import expand_inputs, export_shards, import_shards, iter_records, open_shards
from tocsin.store import Report, Store


def _jsonl(path, texts):
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    return path


def test_expand_glob_sorted_and_unmatched_kept(tmp_path):
    for name in ("b.jsonl", "a.jsonl", "c.txt"):
        (tmp_path / name).write_text("x")
    assert expand_inputs([f"{tmp_path}/*.jsonl", f"{tmp_path}/none-*.csv"]) == [
        f"{tmp_path}/a.jsonl",
        f"{tmp_path}/b.jsonl",
        f"{tmp_path}/none-*.csv",
    ]


def test_expand_list_file_relative_comments_nested(tmp_path):
    sub = tmp_path / "lists"
    sub.mkdir()
    (sub / "inner.txt").write_text("/abs/three.jsonl\n")
    (sub / "shards.txt").write_text("# the shards\none.jsonl\n\n  two/x.parquet \n@inner.txt\n")
    assert expand_inputs([f"@{sub}/shards.txt"]) == [
        f"{sub}/one.jsonl",
        f"{sub}/two/x.parquet",
        "/abs/three.jsonl",
    ]


def test_parquet_rows_become_records(tmp_path):
    path = tmp_path / "s.parquet"
    duckdb.execute(
        f"COPY (SELECT * FROM (VALUES ('Troops massed near Kharkiv.', DATE '2026-11-03', 'A'), "
        f"('', DATE '2026-11-04', 'B'), ('Talks in Geneva.', NULL, 'C')) v(body, date, outlet)) "
        f"TO '{path}' (FORMAT parquet)"
    )
    items = list(iter_records([str(path)]))
    assert isinstance(items[0], RawDocument)
    assert (items[0].source, items[0].content, items[0].published, items[0].outlet) == (
        f"{path}:1",
        "Troops massed near Kharkiv.",
        "2026-11-03",
        "A",
    )
    assert isinstance(items[1], Skipped) and items[1].source == f"{path}:2"
    assert isinstance(items[2], RawDocument) and items[2].published is None


@pytest.mark.parametrize(
    "data", [b"PAR1 this is not parquet", b"\x00" * 64, b"PAR1" + b"\x01" * 200 + b"PAR1"]
)
def test_corrupt_parquet_is_skipped_and_the_rest_read(tmp_path, data):
    bad = tmp_path / "a-bad.parquet"
    bad.write_bytes(data)
    good = _jsonl(tmp_path / "b-good.jsonl", ["Shelling was reported overnight."])
    items = list(iter_records([f"{tmp_path}/*"]))
    assert isinstance(items[0], Skipped) and items[0].source == str(bad)
    assert "corrupt or unreadable Parquet" in items[0].reason
    assert isinstance(items[1], RawDocument) and items[1].source == f"{good}:1"


def test_folder_with_parquet_and_jsonl_in_order(tmp_path):
    write = "COPY (SELECT 'Text one.' AS text) TO '{}' (FORMAT parquet)"
    duckdb.execute(write.format(tmp_path / "a.parquet"))
    _jsonl(tmp_path / "b.jsonl", ["Text two."])
    (tmp_path / ".hidden.jsonl").write_text('{"text": "hidden"}\n')
    items = list(iter_records([str(tmp_path)]))
    assert [i.content for i in items if isinstance(i, RawDocument)] == ["Text one.", "Text two."]


# -- output ------------------------------------------------------------------------


def _result(doc_id: str, published: str | None, event_day: str | None) -> DocResult:
    text = f"Invented troops moved near Kharkiv ({doc_id})."
    doc = Document(id=doc_id, source=f"{doc_id}.txt", text=text, published=published)
    place = Place(start=text.index("Kharkiv"), end=text.index("Kharkiv") + 7, text="Kharkiv",
                  geonameid=706483, name="Kharkiv", country="UKR", lat=49.98, lon=36.25,
                  precision="place")  # fmt: skip
    time = None
    if event_day:
        from tocsin.models import TimeRange

        time = TimeRange(start=0, end=0, text="", date_start=event_day, date_end=event_day,
                         granularity="day")  # fmt: skip
    event = Event(
        id=f"{doc_id}-e1", doc_id=doc_id, type="MOBILIZE", mode="troops",
        quad="material_conflict", cameo="15", acled_event_type=None, acled_sub_event_type=None,
        trigger=Span(16, 21, "moved"), sentence=Span(0, len(text), text), place=place, time=time,
    )  # fmt: skip
    return DocResult(doc, Mentions(places=(place,)), (event,), minhash=(1, 2, 3))


def _report(r: DocResult) -> Report:
    d = r.document
    return Report(f"r-{d.id}", d.id, "original", None, d.source, None, None, None, d.published)


@pytest.fixture
def store(tmp_path):
    s = Store.open(str(tmp_path / "src.duckdb"))
    results = [
        _result("d1", "2026-11-03", "2026-11-02"),
        _result("d2", "2026-11-03", None),
        _result("d3", None, None),
    ]
    s.write_batch([(r, _report(r)) for r in results], [], [Skipped("x.bin", "binary")], "run1")
    yield s
    s.close()


def test_export_partitions_by_day(store, tmp_path):
    out = tmp_path / "shards"
    counts = export_shards(store, out)
    assert counts["documents"] == 3 and counts["events"] == 3 and counts["skipped"] == 1
    event_days = sorted(p.name for p in (out / "events").iterdir())
    # d1's event is dated by its text, d2's by publication, d3's has no date
    assert event_days == ["day=2026-11-02", "day=2026-11-03", "day=__HIVE_DEFAULT_PARTITION__"]
    doc_days = sorted(p.name for p in (out / "documents").iterdir())
    assert doc_days == ["day=2026-11-03", "day=__HIVE_DEFAULT_PARTITION__"]
    assert (out / "mentions" / "day=2026-11-03").is_dir()
    assert json.loads((out / "manifest.json").read_text())["rows"]["mentions"] == 3


def test_shards_queried_in_place_by_duckdb(store, tmp_path):
    export_shards(store, tmp_path / "s")
    rows = duckdb.sql(
        f"SELECT id FROM read_parquet('{tmp_path}/s/events/**/*.parquet', hive_partitioning=true)"
        " WHERE day = DATE '2026-11-03'"
    ).fetchall()
    assert rows == [("d2-e1",)]


def test_open_shards_answers_queries_like_the_store(store, tmp_path):
    export_shards(store, tmp_path / "s")
    f = EventFilter(since=date(2026, 11, 1), until=date(2026, 11, 2))
    with open_shards(tmp_path / "s") as shards:
        assert list(events(shards, f)["id"]) == ["d1-e1"]
        assert stats(shards)["documents"] == 3


def test_import_rebuilds_the_store_and_is_idempotent(store, tmp_path):
    export_shards(store, tmp_path / "s")
    with Store.open(str(tmp_path / "new.duckdb")) as new:
        added = import_shards(tmp_path / "s", new)
        assert added["documents"] == 3 and added["mentions"] == 3 and added["events"] == 3
        assert import_shards(tmp_path / "s", new) == dict.fromkeys(added, 0)
        for table in ("documents", "reports", "minhashes", "mentions", "events", "skipped"):
            sql = f"SELECT * FROM {table} ORDER BY ALL"
            assert new.con.execute(sql).fetchall() == store.con.execute(sql).fetchall(), table


def test_export_refuses_a_non_empty_folder_unless_overwrite(store, tmp_path):
    out = tmp_path / "s"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not empty"):
        export_shards(store, out)
    assert export_shards(store, out, overwrite=True)["events"] == 3


def test_import_needs_a_manifest(tmp_path, store):
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError, match=r"manifest\.json"):
        import_shards(tmp_path / "empty", store)
