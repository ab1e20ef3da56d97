"""Faults: a killed worker, a killed client, a corrupt shard, a read-only store, a full disk.

Each run is compared with a clean one-process run of the same short synthetic
corpus: same document ids, event ids, reports and mentions, and no duplicates.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tocsin.errors import StoreError
from tocsin.run import Settings, ingest
from tocsin.shards import iter_records
from tocsin.store import Store
from tocsin.synth import write_corpus

pytestmark = pytest.mark.slow
SETTINGS = Settings(batch_size=2)
N_DOCS = 24


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    queries = {
        "documents": "SELECT id FROM documents ORDER BY 1",
        "events": "SELECT id, doc_id, type FROM events ORDER BY 1",
        "reports": "SELECT id, doc_id, kind FROM reports ORDER BY 1",
        "mentions": 'SELECT doc_id, kind, start, "end" FROM mentions ORDER BY ALL',
    }
    return {k: store.con.execute(q).fetchall() for k, q in queries.items()}


def assert_consistent(store: Store) -> None:
    """Only whole documents: no orphan rows, no duplicate keys, every document reported."""
    one = lambda sql: store.con.execute(sql).fetchone()[0]  # noqa: E731
    assert one("SELECT count(*) - count(DISTINCT id) FROM events") == 0
    assert one("SELECT count(*) FROM events WHERE doc_id NOT IN (SELECT id FROM documents)") == 0
    assert one("SELECT count(*) FROM mentions WHERE doc_id NOT IN (SELECT id FROM documents)") == 0
    assert one("SELECT count(*) FROM reports WHERE doc_id NOT IN (SELECT id FROM documents)") == 0
    assert one(
        "SELECT count(*) FROM documents WHERE id NOT IN "
        "(SELECT doc_id FROM reports WHERE kind = 'original')"
    ) == 0  # fmt: skip


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("faults")
    write_corpus(folder, N_DOCS, shards=2, seed=21, sentences=(1, 2))
    return str(folder)


@pytest.fixture(scope="module")
def clean(corpus, tmp_path_factory):
    with Store.open(str(tmp_path_factory.mktemp("clean") / "c.duckdb")) as store:
        ingest([corpus], store, settings=SETTINGS)
        return snapshot(store)


def _child(script: str, *args: str, **kw) -> subprocess.Popen[str]:
    """A Python child in its own session (so the test can kill exactly what it started)."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **kw,
    )


# -- a worker dies mid-shard ------------------------------------------------------------


def test_worker_killed_mid_shard_is_redone_without_duplicates(corpus, clean, tmp_path):
    pytest.importorskip("distributed")
    from tocsin.distributed import connect, dask_mapper

    client = connect("local", workers=2)
    killed: list[str] = []
    try:
        pids = client.run(os.getpid)
        map_batches, close = dask_mapper(SETTINGS, "local", client=client, in_flight=6)

        def killing_map(batches):
            for n, results in enumerate(map_batches(batches)):
                if n == 1:  # kill the worker holding most of the batches not yet written
                    held = {a: len(keys) for a, keys in client.processing().items()}
                    for a, keys in client.has_what().items():
                        held[a] = held.get(a, 0) + len(keys)
                    victim = max(held, key=lambda a: held[a])
                    assert held[victim] > 0  # running or finished-but-unread batches are lost
                    killed.append(victim)
                    os.kill(pids[victim], signal.SIGKILL)
                yield results

        with Store.open(str(tmp_path / "w.duckdb")) as store:
            ingest([corpus], store, settings=SETTINGS, mapper=(killing_map, close))
            assert snapshot(store) == clean
            assert_consistent(store)
        assert killed and killed[0] not in client.nthreads()  # that worker really went away
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()


# -- the client dies (kill -9) and the run is started again --------------------------------

CLIENT = """
    import sys
    from tocsin.run import Settings, ingest
    from tocsin.store import Store
    store = Store.open(sys.argv[1])
    def progress(summary):
        print("batch", summary.read, flush=True)
    ingest([sys.argv[2]], store, settings=Settings(batch_size=2), progress=progress)
    print("done", flush=True)
"""


def test_client_killed_and_restarted_equals_clean_run(corpus, clean, tmp_path):
    db = str(tmp_path / "k.duckdb")
    proc = _child(CLIENT, db, corpus)
    assert proc.stdout is not None
    batches = 0
    for line in proc.stdout:
        batches += line.startswith("batch")
        if batches == 3:
            os.killpg(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    with Store.open(db) as store:
        assert_consistent(store)
        partial = len(snapshot(store)["documents"])
        assert 0 < partial < len(clean["documents"])
        summary = ingest([corpus], store, settings=SETTINGS)
        assert summary.already_ingested >= 6
        assert snapshot(store) == clean
        assert_consistent(store)


# -- a corrupt shard is reported and the rest finishes ------------------------------------


def test_corrupt_shards_are_skipped_and_the_rest_ingested(corpus, clean, tmp_path):
    shards = tmp_path / "shards"
    shards.mkdir()
    for src in sorted(Path(corpus).glob("part-*.jsonl")):
        (shards / src.name).write_bytes(src.read_bytes())
    good = gzip.compress(b'{"text": "Invented units shelled the outskirts of Izium."}\n' * 3)
    (shards / "part-00002.jsonl.gz").write_bytes(good[: len(good) // 2])  # truncated
    (shards / "part-00003.parquet").write_bytes(b"PAR1" + os.urandom(300))
    (shards / "part-00004.jsonl").write_bytes(b'{"text": "unterminated\n[1, 2\n')
    with Store.open(str(tmp_path / "c.duckdb")) as store:
        summary = ingest(
            [str(shards / "part-*")], store, settings=SETTINGS,
            records=iter_records([str(shards / "part-*")]),
        )  # fmt: skip
        skipped = dict(store.con.execute("SELECT source, reason FROM skipped").fetchall())
        assert snapshot(store)["documents"] == clean["documents"]
        assert_consistent(store)
    assert "truncated or corrupt gzip" in skipped[str(shards / "part-00002.jsonl.gz")]
    assert "corrupt or unreadable Parquet" in skipped[str(shards / "part-00003.parquet")]
    assert "invalid JSON" in skipped[f"{shards / 'part-00004.jsonl'}:1"]
    assert summary.skipped >= 3


# -- a read-only store ------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def read_only_store(tmp_path):
    """A store file nobody may write: chmod for a normal user, chattr +i for root."""
    path = tmp_path / "ro.duckdb"
    Store.open(str(path)).close()
    if os.geteuid() != 0:
        path.chmod(0o444)
        tmp_path.chmod(0o555)
        yield path
        tmp_path.chmod(0o755)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("cannot make a file read-only as root here (chattr +i failed)")
    yield path
    subprocess.run(["chattr", "-i", str(path)], check=True)


def test_read_only_store_is_a_clear_error_and_untouched(read_only_store, corpus):
    before = _digest(read_only_store)
    with pytest.raises(StoreError, match=rf"cannot open the store {read_only_store}"):
        Store.open(str(read_only_store))
    assert _digest(read_only_store) == before
    with Store.open(str(read_only_store), read_only=True) as store:  # still readable
        assert snapshot(store)["documents"] == []


def test_ingest_into_a_store_opened_read_only_is_a_store_error(tmp_path, corpus):
    path = str(tmp_path / "s.duckdb")
    Store.open(path).close()
    with Store.open(path, read_only=True) as store, pytest.raises(StoreError, match="read-only"):
        ingest([corpus], store, settings=SETTINGS)


# -- a full disk ------------------------------------------------------------------------

DISK_FULL = """
    import os, resource, signal, sys
    from tocsin.run import Settings, ingest
    from tocsin.store import Store
    store = Store.open(sys.argv[1])
    store.con.execute("CHECKPOINT")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
    limit = int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        ingest([sys.argv[2]], store, settings=Settings(batch_size=2))
        print("no error")
    except Exception as exc:
        print(f"{type(exc).__module__}.{type(exc).__name__}: {exc}")
"""


@pytest.fixture(scope="module")
def disk_full(corpus, tmp_path_factory):
    """Run an ingest whose files may not grow past 60 kB (a full disk, for this process)."""
    db = tmp_path_factory.mktemp("full") / "f.duckdb"
    proc = _child(DISK_FULL, str(db), corpus, "60000")
    out, err = proc.communicate(timeout=60)
    return db, out.strip(), err


def test_disk_full_stops_the_run_and_keeps_the_store_consistent(disk_full, clean):
    db, message, err = disk_full
    assert message and message != "no error", err[-2000:]
    with Store.open(str(db)) as store:
        assert_consistent(store)
        partial = snapshot(store)
        assert len(partial["documents"]) < len(clean["documents"])
        assert set(partial["events"]) <= set(clean["events"])
        # a rerun once there is room again completes the store
        ingest([str(Path(clean_corpus_of(store)))], store, settings=SETTINGS)
        assert snapshot(store) == clean


def clean_corpus_of(store: Store) -> str:
    """The corpus folder the run read (kept in the store's runs table)."""
    import json

    args = store.con.execute("SELECT args FROM runs ORDER BY started LIMIT 1").fetchone()[0]
    return json.loads(args)["paths"][0]


def test_disk_full_is_a_store_error_naming_the_store(disk_full):
    db, message, _err = disk_full
    assert message.startswith("tocsin.errors.StoreError: ")
    assert f"cannot write to {db}" in message
