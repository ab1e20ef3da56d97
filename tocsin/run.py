"""Ingest: the per-document function and the local driver.

``process_batch(raws, settings)`` is the pure part: records in, rows out
(clean -> annotate -> mentions -> events). It keeps per-process resources (the
spaCy model, the gazetteer) in a cache, so the same function runs in this
process, in a pool of worker processes, or on a cluster.

``ingest(paths, store, ...)`` is the driver: it reads inputs, skips records the
store already has (resume), hands batches to workers, and alone writes the
results, in input order, one transaction per batch. Duplicates are decided at
write time: a document whose cleaned text is already stored, or whose MinHash
is close to a stored one, becomes another *report* of that document, with no
new events. When a run adds documents, situations are recomputed over the whole
store at its end (``link``: claims from many documents about one situation).
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import TYPE_CHECKING, Any

from tocsin.claims_store import relink
from tocsin.clean import clean
from tocsin.dedupe import NearDuplicateIndex
from tocsin.errors import InputError
from tocsin.models import DocResult, Document, RawDocument, Skipped
from tocsin.shards import iter_records
from tocsin.store import Report, Store

if TYPE_CHECKING:
    from spacy.language import Language

    from tocsin.nlp.gazetteer import Gazetteer

log = logging.getLogger(__name__)

NEAR_DUPLICATE_THRESHOLD = 0.8


@dataclass(frozen=True)
class Settings:
    """What a worker needs to process documents; picklable."""

    model: str | None = None
    gazetteer: str | None = None
    batch_size: int = 16


@dataclass
class IngestSummary:
    """Counts of one ingest run, printed at its end and stored in ``runs``."""

    run_id: str = ""
    read: int = 0
    already_ingested: int = 0
    documents: int = 0
    exact_copies: int = 0
    near_copies: int = 0
    skipped: int = 0
    words: int = 0  # words in new documents
    words_processed: int = 0  # words parsed, copies included (throughput)
    events: int = 0
    situations: int = 0  # situations in the store after linking (0: not relinked)
    events_by_type: Counter[str] = field(default_factory=Counter)
    skip_reasons: list[Skipped] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["events_by_type"] = dict(self.events_by_type.most_common())
        d["skip_reasons"] = [{"source": s.source, "reason": s.reason} for s in self.skip_reasons]
        return d


@lru_cache(maxsize=2)
def _resources(settings: Settings) -> tuple[Language, Gazetteer]:
    from tocsin.nlp.annotate import load_pipeline
    from tocsin.nlp.gazetteer import Gazetteer

    return load_pipeline(settings.model), Gazetteer.open(settings.gazetteer)


def process_batch(raws: Sequence[RawDocument], settings: Settings) -> list[DocResult | Skipped]:
    """Clean, annotate and extract a batch of records; one result per record, in order."""
    from tocsin.nlp.pipeline import analyze

    nlp, gazetteer = _resources(settings)
    cleaned: list[Document] = []
    results: list[DocResult | Skipped | None] = []
    for raw in raws:
        try:
            cleaned.append(clean(raw))
            results.append(None)
        except InputError as exc:
            results.append(Skipped(raw.source, exc.reason))
    analyzed = iter(analyze(cleaned, nlp, gazetteer, batch_size=settings.batch_size))
    return [r if r is not None else next(analyzed) for r in results]


def report_id(raw: RawDocument) -> str:
    """Stable id of an input record: its source and its exact content."""
    h = hashlib.sha256(raw.source.encode("utf-8", "replace") + b"\0")
    h.update(raw.content.encode("utf-8", "replace"))
    return h.hexdigest()[:16]


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


BatchMapper = Callable[[Iterable[list[RawDocument]]], Iterator[list[DocResult | Skipped]]]


def local_mapper(settings: Settings, workers: int) -> tuple[BatchMapper, Callable[[], None]]:
    """Map batches in this process (workers <= 1) or in a pool of processes.

    At most ``2 * workers`` batches are in flight, so memory stays flat however
    long the input is; results come back in input order.
    """
    if workers <= 1:
        return (lambda batches: (process_batch(b, settings) for b in batches)), lambda: None
    ctx = multiprocessing.get_context("spawn")
    pool = ctx.Pool(workers, initializer=_resources, initargs=(settings,))

    def mapper(batches: Iterable[list[RawDocument]]) -> Iterator[list[DocResult | Skipped]]:
        in_flight: deque[AsyncResult[list[DocResult | Skipped]]] = deque()
        for batch in batches:
            in_flight.append(pool.apply_async(process_batch, (batch, settings)))
            if len(in_flight) >= 2 * workers:
                yield in_flight.popleft().get()
        while in_flight:
            yield in_flight.popleft().get()

    def close() -> None:
        pool.terminate()
        pool.join()

    return mapper, close


def ingest(
    paths: Sequence[str],
    store: Store,
    *,
    settings: Settings | None = None,
    workers: int = 1,
    max_bytes: int = 20_000_000,
    progress: Callable[[IngestSummary], None] | None = None,
    records: Iterable[RawDocument | Skipped] | None = None,
    mapper: tuple[BatchMapper, Callable[[], None]] | None = None,
) -> IngestSummary:
    """Ingest files, folders, feeds or URLs into ``store``; idempotent and resumable.

    ``records`` replaces reading ``paths`` (used by the API and tests).
    ``mapper`` replaces the local process pool: a ``(map, close)`` pair where
    ``map`` takes an iterable of record batches and yields ``process_batch``
    results in the same order (a cluster driver plugs in here).
    """
    settings = settings or Settings()
    summary = IngestSummary(run_id=uuid.uuid4().hex[:12])
    store.start_run(summary.run_id, {"paths": list(paths), "workers": workers})
    known_reports = store.report_ids()
    known_docs = store.document_ids()
    index = NearDuplicateIndex(threshold=NEAR_DUPLICATE_THRESHOLD)
    for doc_id, signature in store.minhashes():
        index.add(doc_id, signature)

    pending_skips: list[Skipped] = []
    raws_by_batch: list[list[RawDocument]] = []

    def fresh_records() -> Iterator[RawDocument]:
        source = records if records is not None else iter_records(paths, max_bytes=max_bytes)
        for item in source:
            if isinstance(item, Skipped):
                summary.skipped += 1
                summary.skip_reasons.append(item)
                pending_skips.append(item)
                continue
            summary.read += 1
            if report_id(item) in known_reports:
                summary.already_ingested += 1
                continue
            yield item

    def batches() -> Iterator[list[RawDocument]]:
        for batch in _batches(fresh_records(), settings.batch_size):
            raws_by_batch.append(batch)
            yield batch

    map_batches, close = mapper or local_mapper(settings, workers)
    try:
        for results in map_batches(batches()):
            raws = raws_by_batch.pop(0)
            _write_results(store, raws, results, summary, index, known_docs, pending_skips)
            pending_skips.clear()
            log.info("committed batch: %d new documents so far", summary.documents)
            if progress:
                progress(summary)
        if pending_skips:
            store.write_batch([], [], pending_skips, summary.run_id)
    finally:
        close()
    if summary.documents:
        summary.situations = relink(store)
    store.finish_run(summary.run_id, summary.as_dict())
    return summary


def _write_results(
    store: Store,
    raws: list[RawDocument],
    results: list[DocResult | Skipped],
    summary: IngestSummary,
    index: NearDuplicateIndex,
    known_docs: set[str],
    pending_skips: list[Skipped],
) -> None:
    """Decide original / copy for each result and write the batch in one transaction."""
    originals: list[tuple[DocResult, Report]] = []
    copies: list[Report] = []
    skips = list(pending_skips)
    for raw, result in zip(raws, results, strict=True):
        if isinstance(result, Skipped):
            summary.skipped += 1
            summary.skip_reasons.append(result)
            skips.append(result)
            continue
        doc = result.document
        summary.words_processed += len(doc.text.split())
        if doc.id in known_docs:
            copies.append(_report(raw, doc, "exact_copy", doc.id, 1.0))
            summary.exact_copies += 1
            continue
        near = index.find(result.minhash) if result.minhash else None
        if near is not None:
            copies.append(_report(raw, doc, "near_copy", near, None))
            summary.near_copies += 1
            continue
        known_docs.add(doc.id)
        if result.minhash:
            index.add(doc.id, result.minhash)
        originals.append((result, _report(raw, doc, "original", doc.id, None)))
        summary.documents += 1
        summary.words += len(doc.text.split())
        summary.events += len(result.events)
        summary.events_by_type.update(e.type for e in result.events)
    store.write_batch(originals, copies, skips, summary.run_id)


def _report(raw: RawDocument, doc: Document, kind: str, doc_id: str, sim: float | None) -> Report:
    return Report(
        id=report_id(raw),
        doc_id=doc_id,
        kind=kind,
        similarity=sim,
        source=raw.source,
        url=doc.url,
        outlet=doc.outlet,
        title=doc.title,
        published=doc.published,
    )
