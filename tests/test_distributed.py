"""The Dask mapper: same store as a one-process run, bounded, in order."""

from __future__ import annotations

import pytest

pytest.importorskip("distributed")

from tocsin.distributed import connect, dask_mapper, worker_peak_mb
from tocsin.errors import TocsinError
from tocsin.run import Settings, ingest
from tocsin.store import Store
from tocsin.synth import write_corpus

pytestmark = pytest.mark.slow
SETTINGS = Settings(batch_size=4)


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """What must be equal between two runs over the same input."""
    queries = {
        "documents": "SELECT id FROM documents ORDER BY 1",
        "events": "SELECT id, doc_id, type FROM events ORDER BY 1",
        "reports": "SELECT id, doc_id, kind FROM reports ORDER BY 1",
        "mentions": 'SELECT doc_id, kind, start, "end" FROM mentions ORDER BY ALL',
    }
    return {k: store.con.execute(q).fetchall() for k, q in queries.items()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 24, shards=2, seed=11, sentences=(1, 2), exact_dup=0.1, near_dup=0.1)
    return str(folder)


@pytest.fixture(scope="module")
def clean_run(corpus, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("clean") / "clean.duckdb")
    with Store.open(path) as store:
        summary = ingest([corpus], store, settings=SETTINGS, workers=1)
        assert summary.documents > 15 and summary.events > 15
        return snapshot(store)


@pytest.fixture(scope="module")
def client():
    dask_client = connect("local", workers=2)
    yield dask_client
    cluster = dask_client.cluster
    dask_client.close()
    cluster.close()


def test_local_cluster_binds_loopback_only(client):
    assert client.scheduler.address.startswith("tcp://127.0.0.1:")
    assert all(a.startswith("tcp://127.0.0.1:") for a in client.nthreads())
    assert sorted(client.nthreads().values()) == [1, 1]


def test_dask_run_equals_one_process_run(client, corpus, clean_run, tmp_path):
    with Store.open(str(tmp_path / "dask.duckdb")) as store:
        mapper = dask_mapper(SETTINGS, "local", client=client, in_flight=3)
        summary = ingest([corpus], store, settings=SETTINGS, mapper=mapper)
        assert snapshot(store) == clean_run
        assert summary.near_copies + summary.exact_copies >= 1
        # a second run over the same shards adds nothing
        again = ingest([corpus], store, settings=SETTINGS, mapper=mapper)
        assert (again.documents, again.already_ingested) == (0, 24)
        assert snapshot(store) == clean_run
    assert all(mb > 50 for mb in worker_peak_mb(client).values())  # spaCy was loaded there


def test_results_come_back_in_order_with_few_in_flight(client):
    from tocsin.models import RawDocument

    batches = [[RawDocument(f"s{i}", f"Troops moved near Kharkiv on day {i}.")] for i in range(7)]
    mapper, close = dask_mapper(SETTINGS, "local", client=client, in_flight=2)
    results = list(mapper(iter(batches)))
    close()  # a client passed in is left open
    assert [r[0].document.source for r in results] == [f"s{i}" for i in range(7)]
    assert client.status == "running"


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(
        TocsinError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    ):
        connect("tcp://127.0.0.1:9", timeout=1)
