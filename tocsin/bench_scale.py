"""The scale benchmark: cluster ingest throughput and query latency on a big store.

Ingest (``ingest_scaling``): for each corpus size, a synthetic corpus
(:mod:`tocsin.synth`) is ingested on 1 and on 2 workers (a Dask LocalCluster,
or the local process pool), each run in a fresh subprocess; bare spaCy
(``tocsin.bench``: ``nlp.pipe``, same model and processes) runs on the same
shard. Reported: words/s, words/s per core, the ratio to spaCy, the scaling
efficiency ``wps(2) / (2 * wps(1))`` and the peak resident memory of the
driver and of the largest worker, so growth with corpus size shows.
On Dask the workers load the model before the clock starts (the load time is
reported as ``startup_seconds``), as bare spaCy loads it before its clock.

Queries (``query_latency``): a store with N events over M documents is
filled directly with DuckDB SQL (no NLP), then the main queries are timed:
cold (first run) and warm (median of the next runs), in milliseconds.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from tocsin.bench import _child, _peaks_mb, run_figures
from tocsin.claims_store import query_situations
from tocsin.errors import TocsinError
from tocsin.query import EventFilter, events, find_document
from tocsin.store import Store
from tocsin.synth import write_corpus
from tocsin.warn.escalation import MAGNITUDE_SQL, WEIGHT_SQL, index_series
from tocsin.warn.evidence_table import current_table
from tocsin.warn.regions import Region

__all__ = ["fill_store", "ingest_scaling", "query_latency"]


def run_dask(corpus: Path, workers: int, model: str | None) -> dict[str, Any]:
    """Child-process body: ingest ``corpus`` on a Dask LocalCluster of ``workers``."""
    from tocsin.distributed import connect, dask_mapper, worker_peak_mb
    from tocsin.run import Settings, ingest, process_batch

    settings = Settings(model=model)
    client = connect("local", workers)
    try:
        with tempfile.TemporaryDirectory() as tmp, Store.open(f"{tmp}/bench.duckdb") as store:
            mapper = dask_mapper(settings, "local", client=client)
            loading = time.perf_counter()
            client.run(process_batch, [], settings)  # load the model on every worker first
            started = time.perf_counter()
            summary = ingest([str(corpus)], store, settings=settings, mapper=mapper)
            seconds = time.perf_counter() - started
        peaks = worker_peak_mb(client)
    finally:
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()
    main, _ = _peaks_mb()
    figures = run_figures(summary, seconds, main, max(peaks.values(), default=0.0))
    return {**figures, "startup_seconds": started - loading}


def _dask_child(corpus: Path, workers: int, model: str | None) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "tocsin.bench_scale", str(corpus), str(workers), model or ""]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise TocsinError(f"benchmark run on Dask failed:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def ingest_scaling(
    sizes: list[int],
    workers: list[int],
    *,
    engine: str = "dask",
    model: str | None = None,
    seed: int = 0,
    spacy: bool = True,
    progress: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """One row per (size, workers): tocsin and bare spaCy throughput and peak memory."""
    rows: list[dict[str, Any]] = []
    say = progress or (lambda _msg: None)
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            corpus = write_corpus(Path(tmp) / f"c{size}", size, seed=seed)[0]
            base: dict[int, float] = {}
            for w in workers:
                say(f"{size:,} docs, {w} worker(s): tocsin ({engine})")
                if engine == "dask":
                    d = _dask_child(corpus, w, model)
                    wps, worker_mb = d["words"] / d["seconds"], d["worker"]
                    main_mb, words = d["main"], d["words"]
                else:
                    run = _child("tocsin", corpus, w, model)
                    wps, worker_mb, main_mb, words = (
                        run.words_per_s, run.peak_worker_mb, run.peak_main_mb, run.words
                    )  # fmt: skip
                base[w] = wps
                row: dict[str, Any] = {
                    "docs": size, "words": words, "workers": w, "engine": engine,
                    "tocsin_words_per_s": round(wps), "tocsin_words_per_s_per_core": round(wps / w),
                    "peak_main_mb": round(main_mb), "peak_worker_mb": round(worker_mb),
                }  # fmt: skip
                if spacy:
                    say(f"{size:,} docs, {w} worker(s): bare spaCy")
                    sp = _child("spacy", corpus, w, model)
                    row["spacy_words_per_s"] = round(sp.words_per_s)
                    row["spacy_words_per_s_per_core"] = round(sp.words_per_s / w)
                    row["ratio_to_spacy"] = round(wps / sp.words_per_s, 3)
                if 1 in base and w > 1:
                    row["scaling_efficiency"] = round(wps / (w * base[1]), 3)
                rows.append(row)
                say(json.dumps(row))
    return rows


# -- query latency ----------------------------------------------------------------------

# Real places (facts): name, admin1, ISO3, lat, lon.
_PLACES = [
    ("Kharkiv", "Kharkiv", "UKR", 49.99, 36.23), ("Belgorod", "Belgorod", "RUS", 50.60, 36.59),
    ("Kyiv", "Kyiv City", "UKR", 50.45, 30.52), ("Donetsk", "Donetsk", "UKR", 48.02, 37.80),
    ("Odesa", "Odesa", "UKR", 46.48, 30.73), ("Kherson", "Kherson", "UKR", 46.64, 32.61),
    ("Minsk", "Minsk City", "BLR", 53.90, 27.57), ("Vilnius", "Vilnius", "LTU", 54.69, 25.28),
    ("Taipei", "Taipei", "TWN", 25.05, 121.53), ("Xiamen", "Fujian", "CHN", 24.48, 118.09),
    ("Seoul", "Seoul", "KOR", 37.57, 126.98), ("Baku", "Baku", "AZE", 40.38, 49.89),
]  # fmt: skip
_TYPES = ["MOBILIZE", "ASSAULT", "CONSULT", "THREATEN", "RETREAT", "SANCTION", "AID", "PROTEST"]
_START = date(2026, 1, 1)


def fill_store(store: Store, n_events: int, n_docs: int, seed: float = 0.42) -> None:
    """Fill an empty store with ``n_docs`` documents (each with a report, 5 mentions),
    ``n_events`` events spread over 2026 and the places above, a claim for every
    other event and one situation per ten claims, with SQL only.

    Rows lie as ``tocsin ingest`` leaves them: documents in publication order over
    the year, each document's events together and dated on its day."""
    con = store.con
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SELECT setseed({seed})")
    places = ", ".join(f"({i}, '{n}', '{a}', '{c}', {la}, {lo})"
                       for i, (n, a, c, la, lo) in enumerate(_PLACES))  # fmt: skip
    types = "[" + ", ".join(f"'{t}'" for t in _TYPES) + "]"
    con.execute(f"CREATE TEMP TABLE _places AS SELECT * FROM (VALUES {places}) v(k, name, admin1, "
                "country, lat, lon)")  # fmt: skip
    con.execute("BEGIN TRANSACTION")
    con.execute(
        "INSERT INTO documents SELECT printf('d%09d', i), 'synth:' || i, NULL, "
        "'Outlet ' || (i % 50), 'Title ' || i, DATE '2026-01-01' + (i * 365 // $docs)::INTEGER, "
        "'Invented text of document ' || i || '.', 5, 'bench', now() FROM range($docs) t(i)",
        {"docs": n_docs},
    )
    con.execute(
        "INSERT INTO reports SELECT printf('r%09d', i), printf('d%09d', i), 'original', NULL, "
        "'synth:' || i, NULL, 'Outlet ' || (i % 50), 'Title ' || i, "
        "DATE '2026-01-01' + (i * 365 // $docs)::INTEGER, 'bench' FROM range($docs) t(i)",
        {"docs": n_docs},
    )
    con.execute(
        'INSERT INTO mentions (doc_id, kind, start, "end", text, name, country) '
        "SELECT printf('d%09d', i // 5), 'place', (i % 5) * 10, (i % 5) * 10 + 6, 'Place', "
        "'Place', 'UKR' FROM range(?) t(i)",
        [5 * n_docs],
    )
    con.execute(
        f"""
        INSERT INTO events (id, doc_id, type, quad, trigger, trigger_start, trigger_end, sentence,
            start, "end", actor, place_name, geonameid, lat, lon, admin1, country,
            place_precision, date_start, date_end, date_granularity, date_source, quantities,
            equipment, negated, hedged, published)
        SELECT printf('e%010d', i), printf('d%09d', doc), {types}[1 + (i % 8)],
            'material_conflict', 'moved', 0, 5, 'Invented sentence.', 0, 18, 'RUS:MIL',
            p.name, 1000 + p.k, p.lat + (random() - 0.5), p.lon + (random() - 0.5), p.admin1,
            p.country, 'place', d, d, 'day', 'text', '[]', '[]', false, false, d
        FROM (SELECT i, (hash(i) % 12)::INTEGER AS k, i * $docs // $events AS doc,
                     DATE '2026-01-01' + (i * $docs // $events * 365 // $docs)::INTEGER AS d
              FROM range($events) t(i)) e JOIN _places p USING (k)
        ORDER BY i
        """,
        {"docs": n_docs, "events": n_events},
    )
    con.execute(
        "INSERT INTO claims (id, doc_id, event_id, type, speaker, speaker_code, speaker_type, "
        "verb, quote, polarity, hedged, hedges, evidence, evidence_kinds, own_evidence) "
        f"SELECT printf('c%010d', i), printf('d%09d', i * $docs // $events), printf('e%010d', i), "
        f"{types}[1 + (i % 8)], 'Ministry ' || (i % 7), "
        "CASE WHEN i % 2 = 0 THEN 'RUS:GOV' ELSE 'UKR:GOV' END, 'government', 'said', "
        "'Invented quote.', CASE WHEN i % 9 = 0 THEN 'denied' ELSE 'asserted' END, false, "
        "'[]', '[]', '', false FROM range($events) t(i) WHERE i % 2 = 0",
        {"docs": n_docs, "events": n_events},
    )
    # one situation per 10 claims: claims 20k..20k+18 (even events) share situation k
    con.execute(
        "INSERT INTO situation_claims SELECT printf('c%010d', i), printf('s%09d', i // 20), "
        "CASE WHEN i % 9 = 0 THEN 'B' ELSE 'A' END, CASE WHEN i % 2 = 0 THEN 'RUS:GOV' "
        "ELSE 'UKR:GOV' END FROM range($events) t(i) WHERE i % 2 = 0",
        {"events": n_events},
    )
    con.execute(
        "INSERT INTO situations SELECT printf('s%09d', k), "
        "CASE WHEN k % 3 = 0 THEN 'contradicted' ELSE 'corroborated' END, 'force', "
        f"{types}[1 + (k % 8)], 10, 2, 2, DATE '2026-01-01' + (k % 365)::INTEGER, "
        "DATE '2026-01-01' + (k % 365)::INTEGER, 'Kharkiv', 'UKR', 49.99, 36.23, now() "
        "FROM range($n) t(k)",
        {"n": (n_events + 19) // 20},
    )
    con.execute("COMMIT")
    con.execute("CHECKPOINT")


def _time_ms(fn: Callable[[], Any], repeats: int) -> tuple[float, float, int]:
    """(cold ms, warm median ms, rows) of ``fn``."""
    times, rows = [], 0
    for _ in range(repeats + 1):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
        rows = len(result)
    return times[0], statistics.median(times[1:]), rows


def query_latency(
    n_events: int = 1_000_000, n_docs: int = 200_000, repeats: int = 5
) -> dict[str, Any]:
    """Build a store of the given size in a temporary folder and time the main queries."""
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/q.duckdb"
        started = time.perf_counter()
        with Store.open(path) as store:
            fill_store(store, n_events, n_docs)
            fill_s = time.perf_counter() - started
            # what the first index read after an ingest does (tocsin.warn.evidence_table)
            started = time.perf_counter()
            current_table(store, WEIGHT_SQL, MAGNITUDE_SQL)
            evidence_s = time.perf_counter() - started
        with Store.open(path, read_only=True) as store:
            doc_id = f"d{n_docs // 2:09d}"
            queries: dict[str, Callable[[], Any]] = {
                "events near Kharkiv (50 km), 30 days": lambda: events(
                    store,
                    EventFilter(
                        near=(49.99, 36.23), km=50, since=date(2026, 3, 1), until=date(2026, 3, 30)
                    ),
                ),
                "ASSAULT events in UKR, one month": lambda: events(
                    store,
                    EventFilter(
                        types=("ASSAULT",),
                        country="UKR",
                        since=date(2026, 6, 1),
                        until=date(2026, 6, 30),
                    ),
                ),
                "daily event counts of a region (admin1), one year": lambda: store.con.execute(
                    "SELECT date_start AS day, count(*) AS events FROM events "
                    "WHERE country = ? AND admin1 = ? AND date_start BETWEEN ? AND ? "
                    "GROUP BY 1 ORDER BY 1",
                    ["UKR", "Kharkiv", date(2026, 1, 1), date(2026, 12, 31)],
                ).fetchall(),
                "one document with its events, mentions, reports": lambda: [
                    find_document(store, doc_id)
                ],
                "one situation with its claims": lambda: query_situations(
                    store, situation_id=f"s{n_events // 40:09d}"
                ),
                "escalation index of a region (admin1), one year": lambda: index_series(
                    store,
                    Region("Kharkiv", admin1=(("UKR", "Kharkiv"),)),
                    start=date(2026, 1, 1),
                    end=date(2026, 12, 31),
                ),
                "escalation index of a region (admin1), 30 days": lambda: index_series(
                    store,
                    Region("Kharkiv", admin1=(("UKR", "Kharkiv"),)),
                    start=date(2026, 6, 1),
                    end=date(2026, 6, 30),
                ),
            }
            rows = []
            for name, fn in queries.items():
                cold, warm, n = _time_ms(fn, repeats)
                rows.append({"query": name, "cold_ms": round(cold, 1),
                             "warm_ms": round(warm, 1), "rows": n})  # fmt: skip
    return {"events": n_events, "documents": n_docs, "fill_seconds": round(fill_s, 1),
            "evidence_table_seconds": round(evidence_s, 1), "queries": rows}  # fmt: skip


if __name__ == "__main__":
    _corpus, _workers, _model = sys.argv[1:4]
    print(json.dumps(run_dask(Path(_corpus), int(_workers), _model or None)))
