"""Speed and memory benchmark: bare spaCy beside the full tocsin ingest.

Both runs get the same texts, the same model and the same number of processes,
each in a fresh subprocess so their peak memory is their own. With one process
both load the model before their clock starts:

- ``spacy``: ``nlp.pipe(texts, n_process=W)`` with every component of the model;
- ``tocsin``: ``tocsin ingest corpus.jsonl --workers W`` into a new store
  (read, clean, dedupe, parse, extract, write).

Throughput is words of cleaned text per second of wall time. Peak memory is
the largest resident set of the main process and of any one worker
(``getrusage``), so growth with the corpus size shows up directly.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.clean import clean
from tocsin.errors import InputError, TocsinError
from tocsin.models import RawDocument
from tocsin.read import iter_inputs


@dataclass(frozen=True)
class RunFigures:
    name: str
    docs: int
    words: int
    seconds: float
    peak_main_mb: float
    peak_worker_mb: float

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


def corpus_texts(paths: list[str], docs: int) -> Iterator[tuple[str, str]]:
    """(source, cleaned text) pairs, cycling over the corpus until ``docs`` are given."""
    base: list[str] = []
    for item in iter_inputs(paths):
        if isinstance(item, RawDocument):
            try:
                base.append(clean(item).text)
            except InputError:
                continue
    if not base:
        raise TocsinError(f"no usable documents in {', '.join(paths)}")
    for i in range(docs):
        yield f"bench-{i}", base[i % len(base)]


def write_corpus(paths: list[str], docs: int, out: Path) -> int:
    words = 0
    with out.open("w", encoding="utf-8") as fh:
        for source, text in corpus_texts(paths, docs):
            # A unique first line keeps repeated texts distinct documents, as in real news.
            body = f"Report {source}.\n\n{text}"
            words += len(body.split())
            fh.write(json.dumps({"id": source, "text": body}) + "\n")
    return words


def _peaks_mb() -> tuple[float, float]:
    main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return main, worker


def run_spacy(corpus: Path, workers: int, model: str | None) -> dict[str, Any]:
    """Child-process body of the baseline run."""
    from tocsin.nlp.annotate import load_model

    nlp = load_model(model)
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, n_process=workers, batch_size=16):
        pass
    seconds = time.perf_counter() - started
    main, worker = _peaks_mb()
    return {"docs": len(texts), "words": words, "seconds": seconds, "main": main, "worker": worker}


def run_tocsin(corpus: Path, workers: int, model: str | None) -> dict[str, Any]:
    """Child-process body of the tocsin run."""
    from tocsin.run import Settings, _resources, ingest
    from tocsin.store import Store

    settings = Settings(model=model)
    if workers <= 1:
        # In one process the baseline loads its model before its clock starts, so
        # this run does too (spaCy's import, the model, the gazetteer: ~1 s of CPU).
        # With workers, both sides load it in their worker processes, on the clock.
        _resources(settings)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(os.path.join(tmp, "bench.duckdb"))
        started = time.perf_counter()
        summary = ingest([str(corpus)], store, settings=settings, workers=workers)
        seconds = time.perf_counter() - started
        store.close()
    main, worker = _peaks_mb()
    return run_figures(summary, seconds, main, worker)


def run_figures(summary: Any, seconds: float, main_mb: float, worker_mb: float) -> dict[str, Any]:
    """What a child process reports of one ingest run (``summary``: an IngestSummary)."""
    return {
        "docs": summary.documents + summary.exact_copies + summary.near_copies,
        "words": summary.words_processed,
        "seconds": seconds,
        "main": main_mb,
        "worker": worker_mb,
        "events": summary.events,
    }


def _child(kind: str, corpus: Path, workers: int, model: str | None) -> RunFigures:
    cmd = [sys.executable, "-m", "tocsin.bench", kind, str(corpus), str(workers), model or ""]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise TocsinError(f"benchmark run {kind!r} failed:\n{proc.stderr[-2000:]}")
    d = json.loads(proc.stdout.strip().splitlines()[-1])
    worker = d["worker"] if workers > 1 else d["main"]
    return RunFigures(kind, d["docs"], d["words"], d["seconds"], d["main"], worker)


def benchmark(
    paths: list[str], sizes: list[int], workers: int, model: str | None = None
) -> list[dict[str, Any]]:
    """Run both sides for each corpus size; one result row per size."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            corpus = Path(tmp) / f"corpus-{size}.jsonl"
            write_corpus(paths, size, corpus)
            spacy_run = _child("spacy", corpus, workers, model)
            tocsin_run = _child("tocsin", corpus, workers, model)
            rows.append(
                {
                    "docs": size,
                    "words": spacy_run.words,
                    "workers": workers,
                    "spacy_words_per_s": round(spacy_run.words_per_s),
                    "tocsin_words_per_s": round(tocsin_run.words_per_s),
                    "ratio": round(tocsin_run.words_per_s / spacy_run.words_per_s, 3),
                    "spacy_peak_main_mb": round(spacy_run.peak_main_mb),
                    "spacy_peak_worker_mb": round(spacy_run.peak_worker_mb),
                    "tocsin_peak_main_mb": round(tocsin_run.peak_main_mb),
                    "tocsin_peak_worker_mb": round(tocsin_run.peak_worker_mb),
                }
            )
    return rows


if __name__ == "__main__":
    _kind, _corpus, _workers, _model = sys.argv[1:5]
    body = run_spacy if _kind == "spacy" else run_tocsin
    print(json.dumps(body(Path(_corpus), int(_workers), _model or None)))
