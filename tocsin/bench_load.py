"""Load benchmark of the API: a big synthetic store, many clients, loopback only.

``python -m tocsin.bench_load`` builds a store of ``--events`` events (default
1,000,000) straight with DuckDB SQL (no NLP: random but well-formed rows over
``--documents`` documents), starts ``tocsin serve`` on it in a child process
bound to 127.0.0.1, and runs ``--clients`` concurrent clients (default 50) for
``--seconds`` (default 30, after ``--warmup`` seconds that are not measured)
against the main queries, with random parameters so that few answers repeat
(the server keeps answers until its next write; random parameters keep that
honest). It prints requests/s and p50/p95/p99 latency, overall and per query;
the target is p95 under 300 ms.

Each client is a closed loop (no think time) on its own keep-alive
connection, written with asyncio streams (:class:`Connection`): the clients
share one thread, so a client library that costs milliseconds per request
would measure its own queue rather than the server.

Traffic goes to 127.0.0.1 only; the run stops by itself after ``--seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import random
import socket
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from tocsin.nlp._ontology import plover_types, quad_of
from tocsin.store import Store
from tocsin.warn.escalation import MAGNITUDE_SQL, WEIGHT_SQL
from tocsin.warn.evidence_table import current_table

COUNTRIES = ("UKR", "RUS", "BLR", "POL", "LTU", "MDA", "ROU", "FIN", "EST", "LVA")
ACTORS = ("RUS:MIL", "UKR:MIL", "RUS:GOV", "UKR:GOV", "BLR:MIL", "NATO", "USA:GOV", "POL:GOV")
START = "2026-01-01"
DAYS = 365


def _day(i: str, n: int) -> str:
    """SQL: the publication day of row ``i`` of ``n``, in order over the year."""
    return f"DATE '{START}' + CAST(({i}) * {DAYS} // {n} AS INTEGER)"


def build_store(path: str, n_events: int, n_documents: int, seed: int = 7) -> None:
    """Fill a new store with ``n_documents`` documents and ``n_events`` random events.

    The rows lie as ``tocsin ingest`` leaves them: documents in the order they
    were published (over one year), each document's events written together
    right after it, and each event dated on its document's day or up to two
    days before (news reports what just happened). The events of a document
    are in different sentences, so the events' sort order (day, document,
    offset) has no ties and pages are stable. Types, actors and countries are
    random.
    """
    types = plover_types()
    quads = [quad_of(t) for t in types]
    with Store.open(path) as store:
        con = store.con
        con.execute(f"SELECT setseed({seed / 100})")
        con.execute(
            f"""
            INSERT INTO documents
            SELECT printf('%016x', i), 'bench:' || i, 'https://example.org/a/' || i,
                   'Outlet ' || (i % 40), 'Synthetic article ' || i, {_day("i", n_documents)},
                   'Synthetic article ' || i || ': troops moved near the border.', 8,
                   'bench', now()::TIMESTAMP
            FROM range({n_documents}) t(i)
            """
        )
        con.execute(
            f"""
            INSERT INTO reports
            SELECT printf('r%015x', i), printf('%016x', i % {n_documents}),
                   CASE WHEN i < {n_documents} THEN 'original' ELSE 'exact_copy' END,
                   NULL, 'bench:' || i, NULL, 'Outlet ' || (i % 40), NULL,
                   {_day(f"i % {n_documents}", n_documents)}, 'bench'
            FROM range({n_documents + n_documents // 5}) t(i)
            """
        )
        type_list = "[" + ", ".join(f"'{t}'" for t in types) + "]"
        quad_list = "[" + ", ".join(f"'{q}'" for q in quads) + "]"
        countries = "[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
        actors = "[" + ", ".join(f"'{a}'" for a in ACTORS) + "]"
        con.execute(
            f"""
            INSERT INTO events (id, doc_id, type, quad, trigger, trigger_start, trigger_end,
                sentence, start, "end", actor, actor_text, target, place_name, geonameid,
                lat, lon, country, place_precision, date_start, date_end, date_granularity,
                date_source, quantities, equipment, negated, hedged, published)
            SELECT printf('e%015x', i), printf('%016x', d), {type_list}[k + 1],
                   {quad_list}[k + 1], 'moved', s + 20, s + 25,
                   'Synthetic article ' || d || ': troops moved near the border.', s, s + 54,
                   {actors}[a + 1], 'troops', {actors}[(a + 3) % {len(ACTORS)} + 1],
                   'Place ' || (i % 500), 700000 + i % 500,
                   CASE WHEN i % 5 = 0 THEN NULL ELSE 44 + (i % 997) / 83.0 END,
                   CASE WHEN i % 5 = 0 THEN NULL ELSE 22 + (i % 991) / 52.0 END,
                   {countries}[c + 1], 'city', day, day + CAST(i % 3 AS INTEGER), 'day',
                   'text', '[]', '[]', i % 17 = 0, i % 11 = 0, published
            FROM (
                SELECT i, i * {n_documents} // {n_events} AS d, (i % 997) * 60 AS s,
                       CAST(floor(random() * {len(types)}) AS INTEGER) AS k,
                       CAST(floor(random() * {len(ACTORS)}) AS INTEGER) AS a,
                       CAST(floor(random() * {len(COUNTRIES)}) AS INTEGER) AS c,
                       {_day(f"i * {n_documents} // {n_events}", n_documents)} AS published,
                       published - CAST(floor(random() * 3) AS INTEGER) AS day
                FROM range({n_events}) t(i)
            )
            ORDER BY i
            """
        )
        _add_claims(con)
        # the evidence table, as the server leaves it after its first index request
        # (about 10 s at 1M events: tocsin.warn.evidence_table)
        current_table(store, WEIGHT_SQL, MAGNITUDE_SQL)
        con.execute("CHECKPOINT")


def _add_claims(con: Any) -> None:
    """A claim for every other event, and situations of the claims of one document
    (five per document, ``s`` + the document's number * 5 + k in hex): what
    ``tocsin ingest`` and its linking leave, in shape."""
    con.execute(
        """
        INSERT INTO claims (id, doc_id, event_id, type, speaker, speaker_code, speaker_type,
            verb, quote, quote_start, quote_end, polarity, hedged, hedges, evidence,
            evidence_kinds, own_evidence)
        SELECT 'c' || substr(e.id, 2), e.doc_id, e.id, e.type, 'Ministry of Defence',
               e.actor, 'military', 'said', e.sentence, e.start, e."end",
               CASE WHEN e.negated THEN 'denied' ELSE 'asserted' END, e.hedged, '[]', '[]',
               '', false
        FROM events e WHERE CAST(('0x' || substr(e.id, 2)) AS BIGINT) % 2 = 0
        """
    )
    con.execute(
        """
        INSERT INTO situation_claims
        SELECT c.id, printf('s%015x', CAST(('0x' || c.doc_id) AS BIGINT) * 5
                                    + CAST(('0x' || substr(c.id, 2)) AS BIGINT) % 5),
               CASE WHEN c.polarity = 'denied' THEN 'B' ELSE 'A' END, c.speaker_code
        FROM claims c
        """
    )
    con.execute(
        """
        INSERT INTO situations
        SELECT sc.situation_id,
               CASE WHEN bool_or(sc.side = 'B') THEN 'contradicted' ELSE 'corroborated' END,
               'force', min(e.type), count(*), count(DISTINCT sc.source_key), 1,
               min(e.date_start), max(e.date_end), min(e.place_name), min(e.country),
               avg(e.lat), avg(e.lon), now()::TIMESTAMP
        FROM situation_claims sc JOIN claims c ON c.id = sc.claim_id
        JOIN events e ON e.id = c.event_id
        GROUP BY sc.situation_id
        """
    )


def _serve(path: str, port: int) -> None:
    import uvicorn

    from tocsin.api import create_app

    uvicorn.run(create_app(path), host="127.0.0.1", port=port, log_level="error")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def random_request(rng: random.Random, n_documents: int) -> tuple[str, str]:
    """One of the main queries, with random parameters: (name, path)."""
    day = rng.randrange(DAYS - 30)
    since = f"{START[:4]}-{1 + day // 31:02d}-{1 + day % 28:02d}"
    kind = rng.choice(
        ["events", "events_type", "events_country", "events_actor_page", "points", "timeline",
         "document", "documents", "stats", "situation", "index_30d"]
    )  # fmt: skip
    if kind == "events":
        return kind, f"/api/events?limit=50&since={since}"
    if kind == "events_type":
        return kind, f"/api/events?limit=50&type={rng.choice(plover_types())}"
    if kind == "events_country":
        return kind, f"/api/events?limit=50&country={rng.choice(COUNTRIES)}&since={since}"
    if kind == "events_actor_page":
        return kind, f"/api/events?limit=50&actor={rng.choice(ACTORS)}&offset={rng.randrange(5000)}"
    if kind == "points":
        return (
            kind,
            f"/api/events/points?type={rng.choice(plover_types())}&since={since}&limit=2000",
        )
    if kind == "timeline":
        return kind, f"/api/events/timeline?country={rng.choice(COUNTRIES)}"
    if kind == "document":
        return kind, f"/api/documents/{rng.randrange(n_documents):016x}"
    if kind == "documents":
        return kind, f"/api/documents?limit=50&offset={rng.randrange(n_documents - 50)}"
    if kind == "situation":
        return kind, f"/api/situations/s{rng.randrange(n_documents * 5):015x}"
    if kind == "index_30d":
        until = (date.fromisoformat(since) + timedelta(days=29)).isoformat()
        return kind, f"/api/index?region={rng.choice(COUNTRIES)}&since={since}&until={until}"
    return kind, "/api/stats"


class Connection:
    """One keep-alive HTTP/1.1 connection speaking just enough HTTP for GETs.

    The load clients use this instead of httpx: httpx's pool spends ~5 ms of
    CPU per request at 50 connections, all on the one client thread, so the
    measured latency was mostly the client's own queue (``/api/health``, a
    ~2 ms route, measured p95 1.2 s that way). This costs a fraction of that.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        """GET ``path``: the status and the body (reconnects when needed)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunks()
        else:  # the body runs to the end of the connection
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def _chunks(self) -> bytes:
        assert self.reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:  # the last chunk, then optional trailers and an empty line
                while await self.reader.readuntil(b"\r\n") != b"\r\n":
                    pass
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def _load(
    port: int, clients: int, seconds: float, n_documents: int, seed: int, warmup: float = 0.0
) -> dict[str, list[float]]:
    """``clients`` closed-loop clients, one connection each, for ``warmup`` + ``seconds``.

    Only requests sent after the warm-up are measured (the first ones fill
    DuckDB's buffers and the server's caches of totals).
    """
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    measure_from = time.monotonic() + warmup
    deadline = measure_from + seconds

    async def worker(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        conn = Connection("127.0.0.1", port)
        try:
            while time.monotonic() < deadline:
                name, path = random_request(rng, n_documents)
                measured = time.monotonic() >= measure_from
                t0 = time.perf_counter()
                try:
                    status, _ = await conn.get(path)
                    problem = "" if status == 200 else f"HTTP {status}"
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    problem = repr(exc)
                    await conn.close()
                if measured:
                    latencies[name].append(time.perf_counter() - t0)
                    if problem:
                        errors.append(f"{path}: {problem}")
        finally:
            await conn.close()

    await asyncio.gather(*(worker(n) for n in range(clients)))
    latencies["_errors"] = [float(len(errors))]
    return latencies


def cpu_per_request(
    path: str, requests: int, n_documents: int, seed: int = 11, warmup: int = 200
) -> dict[str, Any]:
    """The server's CPU per request of the mix, in process and one at a time: the app
    answers ``requests`` random requests (after ``warmup`` unmeasured ones) through
    httpx's in-process transport, and each request's process CPU time is taken (so it
    includes the in-process client's share, about 1 ms: ``stats`` shows that floor).
    No concurrency: this says where the work is, the load run what it costs."""
    import httpx

    from tocsin.api import create_app

    app = create_app(path)

    async def run() -> dict[str, list[float]]:
        cpu: dict[str, list[float]] = defaultdict(list)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                rng = random.Random(seed * 7)
                for _ in range(warmup):
                    await client.get(random_request(rng, n_documents)[1])
                rng = random.Random(seed)
                for _ in range(requests):
                    name, url = random_request(rng, n_documents)
                    t0 = time.process_time()
                    answer = await client.get(url)
                    cpu[name].append(time.process_time() - t0)
                    if answer.status_code != 200:
                        raise click.ClickException(f"{url}: HTTP {answer.status_code}")
        return cpu

    cpu = asyncio.run(run())
    every = [v for values in cpu.values() for v in values]
    return {
        "requests": len(every),
        "mean_cpu_ms": round(1000 * statistics.fmean(every), 2),
        "by_query": {
            k: {"n": len(v), "mean_cpu_ms": round(1000 * statistics.fmean(v), 2)}
            for k, v in sorted(cpu.items())
        },
    }


def summarise(latencies: dict[str, list[float]], seconds: float) -> dict[str, Any]:
    """Requests/s and p50/p95/p99 in milliseconds, overall and per query."""

    def pct(values: list[float]) -> dict[str, float]:
        q = (
            statistics.quantiles(values, n=100, method="inclusive")
            if len(values) > 1
            else values * 99
        )
        return {"n": len(values), "p50_ms": round(q[49] * 1000, 1),
                "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1)}  # fmt: skip

    errors = int(latencies.pop("_errors", [0.0])[0])
    every = [v for values in latencies.values() for v in values]
    return {
        "requests": len(every),
        "errors": errors,
        "requests_per_s": round(len(every) / seconds, 1),
        "overall": pct(every),
        "by_query": {k: pct(v) for k, v in sorted(latencies.items())},
    }


@click.command()
@click.option(
    "--events", "n_events", type=click.IntRange(1000), default=1_000_000, show_default=True
)
@click.option(
    "--documents", "n_documents", type=click.IntRange(100), default=20_000, show_default=True
)
@click.option("--clients", type=click.IntRange(1, 500), default=50, show_default=True)
@click.option("--seconds", type=click.FloatRange(1, 600), default=30.0, show_default=True)
@click.option(
    "--warmup",
    type=click.FloatRange(0, 120),
    default=5.0,
    show_default=True,
    help="Seconds of load before the measured ones (not counted).",
)
@click.option(
    "--db", "db", metavar="PATH", help="Reuse or keep the store here (default: a temporary file)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--cpu",
    "cpu_requests",
    type=click.IntRange(1),
    metavar="N",
    help="Instead of the load: the server's CPU per request over N requests of the mix, "
    "in process and one at a time (where the work is).",
)
def main(n_events: int, n_documents: int, clients: int, seconds: float, warmup: float,
         db: str | None, as_json: bool, cpu_requests: int | None) -> None:  # fmt: skip
    """Build a store of synthetic events, serve it on loopback, and load it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = db or str(Path(tmp) / "load.duckdb")
        if not Path(path).exists():
            t0 = time.perf_counter()
            build_store(path, n_events, n_documents)
            click.echo(f"built {n_events:,} events in {time.perf_counter() - t0:.1f} s", err=True)
        if cpu_requests:
            figures = cpu_per_request(path, cpu_requests, n_documents)
            if as_json:
                click.echo(json.dumps(figures, indent=2))
                return
            click.echo(f"{figures['requests']:,} requests, one at a time: "
                       f"{figures['mean_cpu_ms']} ms of CPU per request on average")  # fmt: skip
            for name, q in figures["by_query"].items():
                click.echo(f"  {name:<18} {q['mean_cpu_ms']:>7} ms  (n={q['n']})")
            return
        port = _free_port()
        server = multiprocessing.get_context("spawn").Process(target=_serve, args=(path, port))
        server.start()
        try:
            _wait_for(port)
            t0 = time.perf_counter()
            latencies = asyncio.run(_load(port, clients, seconds, n_documents, 1, warmup))
            figures = summarise(latencies, time.perf_counter() - t0 - warmup)
        finally:
            server.terminate()
            server.join(10)
    figures.update(
        events=n_events, documents=n_documents, clients=clients, seconds=seconds, warmup=warmup
    )
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    o = figures["overall"]
    click.echo(f"{figures['requests']:,} requests in {seconds:g} s (after {warmup:g} s of "
               f"warm-up) from {clients} clients: "
               f"{figures['requests_per_s']:,} req/s, {figures['errors']} errors")  # fmt: skip
    for name, q in [("overall", o), *figures["by_query"].items()]:
        click.echo(f"  {name:<18} p50 {q['p50_ms']:>7} ms  p95 {q['p95_ms']:>7} ms  "
                   f"p99 {q['p99_ms']:>7} ms  (n={q['n']})")  # fmt: skip


def _wait_for(port: int, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise click.ClickException(f"the server on 127.0.0.1:{port} did not answer in {timeout:g} s")


if __name__ == "__main__":
    main()
