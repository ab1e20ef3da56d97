"""End to end: files on disk -> the real pipeline -> the DuckDB store.

Uses the real spaCy model and gazetteer, on articles written for these tests.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tocsin.query import events, stats
from tocsin.run import Settings, ingest
from tocsin.store import Store

pytestmark = pytest.mark.slow

ARTICLE_A = """Invented troops massed near Kharkiv

Russian troops massed near Kharkiv on Tuesday, Ukraine's defence ministry said.
More than 40,000 soldiers and dozens of tanks were seen moving toward the border.
"""

ARTICLE_B = """Talks in Geneva

Ukraine's foreign minister met NATO's secretary general in Geneva on Monday.
The two sides agreed to hold further talks next week.
"""

ARTICLE_C = """Drone strike on a fuel depot

A drone strike hit a fuel depot in Belgorod on Wednesday, the regional governor said.
Firefighters worked through the night to contain the blaze, which sent a column of black
smoke over the eastern districts of the city. The governor said two storage tanks were
destroyed and a third was damaged, and that nobody was hurt. Rail traffic through the
station next to the depot was halted for several hours while crews checked the tracks.
Local residents said they heard at least three explosions shortly after midnight and saw
air defence fire over the industrial zone before the fire started.
"""


def write_corpus(root: Path) -> Path:
    """A folder of good and bad inputs; returns it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (root / "b.html").write_text(
        "<html><head><title>Talks in Geneva</title></head><body><nav>Home | World</nav>"
        f"<article><h1>Talks in Geneva</h1><p>{ARTICLE_B.splitlines()[2]}</p>"
        f"<p>{ARTICLE_B.splitlines()[3]}</p></article><footer>Share this</footer></body></html>",
        encoding="utf-8",
    )
    lines = [
        json.dumps({"text": ARTICLE_C, "title": "Drone strike", "published": "2026-11-05"}),
        '{"text": "a broken line", ',
        json.dumps({"headline": "no body field here"}),
    ]
    (root / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (root / "big.txt").write_text("word " * 40_000, encoding="utf-8")  # 200 kB > max_bytes
    return root


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "in")


def run(paths, db, **kw):
    with Store.open(str(db)) as store:
        return ingest([str(p) for p in paths], store, max_bytes=100_000, **kw)


def snapshot(db) -> dict:
    with Store.open(str(db), read_only=True) as store:
        con = store.con
        return {
            "documents": sorted(r[0] for r in con.execute("SELECT id FROM documents").fetchall()),
            "events": sorted(r[0] for r in con.execute("SELECT id FROM events").fetchall()),
            "mentions": con.execute("SELECT count(*) FROM mentions").fetchall()[0][0],
            "reports": sorted(r[0] for r in con.execute("SELECT id FROM reports").fetchall()),
            "skipped": sorted(
                tuple(r) for r in con.execute("SELECT source, reason FROM skipped").fetchall()
            ),
        }


def test_ingest_reads_good_inputs_and_reports_bad_ones(corpus, tmp_path):
    db = tmp_path / "s.duckdb"
    summary = run([corpus], db)
    assert summary.documents == 3
    snap = snapshot(db)
    reasons = dict(snap["skipped"])
    by_name = {Path(src.split(":")[0]).name + (":" + src.split(":")[1] if ":" in src else ""): r
               for src, r in reasons.items()}  # fmt: skip
    assert "empty" in by_name["empty.txt"].lower()
    assert "binary" in by_name["image.png"].lower() and "PNG" in by_name["image.png"]
    assert "limit" in by_name["big.txt"] or "MB" in by_name["big.txt"]
    assert "json" in by_name["c.jsonl:2"].lower()
    assert "text" in by_name["c.jsonl:3"].lower()  # names the field it looked for
    assert summary.skipped == len(reasons) == 5
    with Store.open(str(db), read_only=True) as store:
        frame = events(store)
        assert stats(store)["skipped"] == 5
    assert len(frame) >= 3
    kharkiv = frame[frame["place_name"] == "Kharkiv"]
    assert not kharkiv.empty and set(kharkiv["country"]) == {"UKR"}
    assert abs(kharkiv.iloc[0]["lat"] - 49.98) < 0.1


def test_rerun_changes_nothing_and_new_files_add_only_themselves(corpus, tmp_path):
    db = tmp_path / "s.duckdb"
    run([corpus], db)
    first = snapshot(db)
    again = run([corpus], db)
    assert again.documents == 0 and again.already_ingested == 3
    assert snapshot(db) == first
    (corpus / "d.txt").write_text(ARTICLE_A.replace("Kharkiv", "Sumy"), encoding="utf-8")
    third = run([corpus], db)
    assert third.documents == 1
    assert len(snapshot(db)["documents"]) == len(first["documents"]) + 1


def test_copies_are_reports_not_new_events(corpus, tmp_path):
    db = tmp_path / "s.duckdb"
    (corpus / "a_copy.txt").write_text(ARTICLE_A, encoding="utf-8")  # exact copy
    near = ARTICLE_C.replace("Drone strike on a fuel depot", "Fuel depot hit by drone")
    with gzip.open(corpus / "syndicated.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": near, "outlet": "Other Wire"}) + "\n")
    summary = run([corpus], db)
    assert summary.documents == 3
    assert summary.exact_copies == 1 and summary.near_copies == 1
    with Store.open(str(db), read_only=True) as store:
        kinds = dict(
            store.con.execute("SELECT kind, count(*) FROM reports GROUP BY kind").fetchall()
        )
        per_doc = store.con.execute(
            "SELECT doc_id, count(*) FROM reports GROUP BY doc_id HAVING count(*) > 1"
        ).fetchall()
    assert kinds == {"original": 3, "exact_copy": 1, "near_copy": 1}
    assert len(per_doc) == 2


def test_two_workers_give_the_same_store_as_one(corpus, tmp_path):
    run([corpus], tmp_path / "one.duckdb")
    with Store.open(str(tmp_path / "two.duckdb")) as store:
        ingest([str(corpus)], store, max_bytes=100_000, workers=2, settings=Settings(batch_size=1))
    one, two = snapshot(tmp_path / "one.duckdb"), snapshot(tmp_path / "two.duckdb")
    assert one["documents"] == two["documents"]
    assert one["events"] == two["events"]
    assert one["mentions"] == two["mentions"]


def _many_articles(root: Path, n: int) -> Path:
    root.mkdir()
    towns = ["Kharkiv", "Sumy", "Chernihiv", "Odesa", "Kherson", "Poltava", "Dnipro", "Lviv"]
    with (root / "many.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(n):
            town = towns[i % len(towns)]
            text = (
                f"Report number {i} from {town}.\n\nRussian forces shelled {town} on Monday, "
                f"killing {i % 7 + 1} people, officials said. Article {i} adds that "
                f"{1000 + i} troops were seen near the border on day {i}."
            )
            fh.write(json.dumps({"text": text, "published": "2026-11-03"}) + "\n")
    return root


def test_killed_run_resumes_to_the_same_store(tmp_path):
    corpus = _many_articles(tmp_path / "many", 120)
    clean_db, killed_db = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    run([corpus], clean_db)
    cmd = [sys.executable, "-m", "tocsin", "-v", "--db", str(killed_db), "ingest",
           str(corpus), "--max-bytes", "100000"]  # fmt: skip
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stderr is not None
    deadline = time.monotonic() + 120
    for line in proc.stderr:
        if "committed batch" in line or time.monotonic() > deadline:
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = snapshot(killed_db)
    assert 0 < len(partial["documents"]) < 120, "the kill should land mid-run"
    resumed = run([corpus], killed_db)
    assert resumed.already_ingested == len(partial["reports"])
    assert snapshot(killed_db) == snapshot(clean_db)


def test_seed_reader_comments_give_no_events(shared_dir, tmp_path):
    seeds = shared_dir / "seeds"
    db = tmp_path / "seeds.duckdb"
    run([seeds], db)
    with Store.open(str(db), read_only=True) as store:
        rows = store.con.execute(
            "SELECT d.source, e.sentence FROM events e JOIN documents d ON d.id = e.doc_id"
        ).fetchall()
    assert rows
    for source, sentence in rows:
        raw = Path(source.split(":")[0]).read_text(encoding="utf-8")
        # The comment section starts at the first bare "Reply" line (if any).
        m = re.search(r"^\s*Reply\s*$", raw, flags=re.M)
        body = raw[: m.start()] if m else raw
        flat_body, flat_sentence = " ".join(body.split()), " ".join(sentence.split())
        assert flat_sentence in flat_body, f"event sentence not from the article body: {sentence}"
