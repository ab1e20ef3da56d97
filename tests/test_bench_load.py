"""The load benchmark's pieces: its store, its HTTP client, its figures."""

from __future__ import annotations

import asyncio
import random
import warnings

import duckdb
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette prefers httpx2 for TestClient
    from fastapi.testclient import TestClient

from tocsin.api import create_app
from tocsin.bench_load import Connection, build_store, random_request, summarise


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "small.duckdb"
    build_store(str(path), n_events=2000, n_documents=100)
    return path


def test_store_lies_as_ingest_leaves_it(small_store):
    with duckdb.connect(str(small_store), read_only=True) as con:
        _check_layout(con)


def _check_layout(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 2000
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 100
    # each document's 20 events are written together, documents in publication order
    runs = con.execute(
        "SELECT doc_id, max(rowid) - min(rowid) + 1, count(*) FROM events GROUP BY doc_id"
    ).fetchall()
    assert all(span == n == 20 for _, span, n in runs)
    published = [
        r[0] for r in con.execute("SELECT published FROM documents ORDER BY rowid").fetchall()
    ]
    assert published == sorted(published)
    # the listing order (day, document, offset) has no ties: pages are stable
    ties = con.execute(
        "SELECT count(*) FROM (SELECT date_start, doc_id, start, trigger_start FROM events "
        "GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()[0]
    assert ties == 0
    # an event happens on its document's day or up to two days before
    gaps = con.execute(
        "SELECT DISTINCT d.published - e.date_start FROM events e JOIN documents d "
        "ON d.id = e.doc_id ORDER BY 1"
    ).fetchall()
    assert [g[0] for g in gaps] == [0, 1, 2]


def test_every_benchmark_request_is_answered(small_store):
    rng = random.Random(1)
    with TestClient(create_app(str(small_store))) as client:
        seen = set()
        for _ in range(90):
            name, path = random_request(rng, 100)
            seen.add(name)
            response = client.get(path)
            assert response.status_code == 200, (path, response.text[:200])
    assert len(seen) == 11  # every kind of query was drawn


async def _serve_once(replies: list[bytes]) -> tuple[asyncio.AbstractServer, int]:
    """A loopback server answering each request with the next canned reply."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while replies:
            try:
                await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            writer.write(replies.pop(0))
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def test_connection_reads_lengths_chunks_and_reconnects():
    replies = [
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
    ]

    async def run() -> list[tuple[int, bytes]]:
        server, port = await _serve_once(replies)
        async with server:
            conn = Connection("127.0.0.1", port)
            got = [await conn.get("/a"), await conn.get("/b"), await conn.get("/c")]
            assert conn.writer is None  # closed after "Connection: close"
            return got

    assert asyncio.run(run()) == [(200, b"hello"), (404, b"abcde"), (200, b"ok")]


def test_summary_percentiles_and_rate():
    latencies = {"a": [i / 1000 for i in range(1, 101)], "_errors": [2.0]}
    figures = summarise(latencies, seconds=10)
    assert figures["requests"] == 100 and figures["errors"] == 2
    assert figures["requests_per_s"] == 10.0
    # inclusive percentiles of 1..100 ms: p50 = 50.5, p95 = 95.05, p99 = 99.01
    assert figures["overall"]["p50_ms"] == 50.5
    assert abs(figures["overall"]["p95_ms"] - 95.05) <= 0.05  # rounded to one decimal
    assert figures["overall"]["p99_ms"] == 99.0


def test_cpu_per_request_covers_every_query_of_the_mix(small_store):
    from tocsin.bench_load import cpu_per_request

    figures = cpu_per_request(str(small_store), 120, n_documents=100, warmup=10)
    by_query = figures["by_query"]
    assert sum(q["n"] for q in by_query.values()) == figures["requests"] == 120
    assert set(by_query) >= {"document", "events", "points", "situation", "index_30d", "stats"}
    assert all(q["mean_cpu_ms"] > 0 for q in by_query.values())
    assert min(q["mean_cpu_ms"] for q in by_query.values()) <= figures["mean_cpu_ms"]
