"""The DuckDB store: schema, migrations, writes.

One file holds everything (default ``./tocsin.duckdb``, or ``TOCSIN_DB``, or
``--db``). DuckDB lets one process write a file, or many processes read it;
``Store.open`` turns the lock error into :class:`StoreLockedError` naming the
process that holds it.

Tables (see ``MIGRATIONS`` for the columns):

- ``documents``: one row per distinct cleaned text (id = content hash).
- ``reports``: every input record that carried a document: the original and
  each exact or near copy (a syndicated copy is a second report, not new events).
- ``minhashes``: the MinHash signature of each document, to find near copies
  across runs.
- ``mentions``: actors, places, times, quantities, equipment, with spans.
- ``events``: PLOVER-coded events, flat, with spans and resolved fields.
- ``claims``, ``situations``, ``situation_claims``: who claims each event, and
  claims grouped across documents (see :mod:`tocsin.claims_store`).
- ``skipped``: inputs that could not be used, with the reason.
- ``runs``: one row per ingest, with its counts.
- ``warn_alerts``: alerts ``tocsin watch`` has reported (see :mod:`tocsin.warn_store`).

Writes are idempotent: a document already stored (same id) adds nothing, and
all rows of one document are written in the same transaction, so a run killed
half way leaves only whole documents behind and a rerun completes it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from tocsin.claims_store import CLAIM_COLUMNS, CLAIMS_MIGRATION, LINK_RULES_MIGRATION, claim_row
from tocsin.errors import StoreError, StoreLockedError
from tocsin.models import DocResult, Event, Mentions, Skipped
from tocsin.warn_store import WARN_MIGRATION

DEFAULT_DB = "tocsin.duckdb"

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE documents (
            id VARCHAR PRIMARY KEY, source VARCHAR, url VARCHAR, outlet VARCHAR,
            title VARCHAR, published DATE, text VARCHAR, n_words INTEGER,
            run_id VARCHAR, ingested_at TIMESTAMP
        );
        CREATE TABLE reports (
            id VARCHAR PRIMARY KEY, doc_id VARCHAR, kind VARCHAR, similarity DOUBLE,
            source VARCHAR, url VARCHAR, outlet VARCHAR, title VARCHAR,
            published DATE, run_id VARCHAR
        );
        CREATE TABLE minhashes (doc_id VARCHAR PRIMARY KEY, signature UBIGINT[]);
        CREATE TABLE mentions (
            doc_id VARCHAR, kind VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR,
            code VARCHAR, name VARCHAR, country VARCHAR, sector VARCHAR,
            geonameid BIGINT, admin1 VARCHAR, lat DOUBLE, lon DOUBLE, precision VARCHAR,
            date_start DATE, date_end DATE, granularity VARCHAR,
            value DOUBLE, unit VARCHAR, counts VARCHAR, approx VARCHAR, reason VARCHAR
        );
        CREATE TABLE events (
            id VARCHAR PRIMARY KEY, doc_id VARCHAR, type VARCHAR, mode VARCHAR,
            quad VARCHAR, cameo VARCHAR, acled_event_type VARCHAR,
            acled_sub_event_type VARCHAR,
            trigger VARCHAR, trigger_start INTEGER, trigger_end INTEGER,
            sentence VARCHAR, start INTEGER, "end" INTEGER,
            actor VARCHAR, actor_text VARCHAR, actor_start INTEGER, actor_end INTEGER,
            target VARCHAR, target_text VARCHAR, target_start INTEGER, target_end INTEGER,
            place_name VARCHAR, place_text VARCHAR, place_start INTEGER, place_end INTEGER,
            geonameid BIGINT, lat DOUBLE, lon DOUBLE, admin1 VARCHAR, country VARCHAR,
            place_precision VARCHAR, place_reason VARCHAR,
            date_start DATE, date_end DATE, date_granularity VARCHAR,
            date_text VARCHAR, date_source VARCHAR,
            quantities VARCHAR, equipment VARCHAR,
            negated BOOLEAN, hedged BOOLEAN, published DATE
        );
        CREATE TABLE skipped (
            source VARCHAR, reason VARCHAR, run_id VARCHAR, skipped_at TIMESTAMP,
            PRIMARY KEY (source, reason)
        );
        CREATE TABLE runs (
            id VARCHAR PRIMARY KEY, started TIMESTAMP, finished TIMESTAMP,
            args VARCHAR, counts VARCHAR
        );
        CREATE INDEX mentions_doc ON mentions (doc_id);
        CREATE INDEX events_doc ON events (doc_id);
        CREATE INDEX reports_doc ON reports (doc_id);
        """,
    ),
]
MIGRATIONS += [(2, CLAIMS_MIGRATION), (3, WARN_MIGRATION), (4, LINK_RULES_MIGRATION)]
SCHEMA_VERSION = MIGRATIONS[-1][0]

_MENTION_COLUMNS = [
    "doc_id", "kind", "start", "end", "text", "code", "name", "country", "sector",
    "geonameid", "admin1", "lat", "lon", "precision", "date_start", "date_end",
    "granularity", "value", "unit", "counts", "approx", "reason",
]  # fmt: skip


def default_db_path() -> str:
    return os.environ.get("TOCSIN_DB") or DEFAULT_DB


@dataclass(frozen=True)
class Report:
    """One input record that carried a document (original or copy)."""

    id: str
    doc_id: str
    kind: str  # original, exact_copy, near_copy
    similarity: float | None
    source: str
    url: str | None
    outlet: str | None
    title: str | None
    published: str | None


class Store:
    """A DuckDB store. Open with :meth:`open`; use as a context manager."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | None = None, *, read_only: bool = False) -> Store:
        """Open (and create or migrate, when writable) the store at ``path``."""
        path = path or default_db_path()
        if read_only and path != ":memory:" and not Path(path).exists():
            raise StoreError(f"no store at {path}: run `tocsin ingest` or `tocsin demo` first")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            raise _lock_error(path, exc) from exc
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the store {path}: {exc}") from exc
        store = cls(con, path, read_only)
        if read_only:
            store._check_version()
        else:
            store.migrate()
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = self.con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def migrate(self) -> None:
        """Apply the migrations this store has not seen, each in a transaction."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER, applied_at TIMESTAMP)"
        )
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this tocsin "
                f"({SCHEMA_VERSION}): upgrade tocsin"
            )
        for version, sql in MIGRATIONS:
            if version <= current:
                continue
            self.con.execute("BEGIN TRANSACTION")
            for statement in filter(None, (s.strip() for s in sql.split(";"))):
                self.con.execute(statement)
            self.con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [version, _now()])
            self.con.execute("COMMIT")

    def _check_version(self) -> None:
        version = self.schema_version()
        if version != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}, this tocsin expects "
                f"{SCHEMA_VERSION}: open it once for writing (e.g. `tocsin ingest`) to migrate"
            )

    # -- reads used by the ingest driver ---------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        row = self.con.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone()
        return row is not None

    def has_report(self, report_id: str) -> bool:
        row = self.con.execute("SELECT 1 FROM reports WHERE id = ?", [report_id]).fetchone()
        return row is not None

    def report_ids(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT id FROM reports").fetchall()}

    def document_ids(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT id FROM documents").fetchall()}

    def minhashes(self) -> Iterable[tuple[str, tuple[int, ...]]]:
        cur = self.con.execute("SELECT doc_id, signature FROM minhashes ORDER BY doc_id")
        while batch := cur.fetchmany(10_000):
            for doc_id, sig in batch:
                yield doc_id, tuple(sig)

    # -- writes ----------------------------------------------------------------------

    def write_batch(
        self,
        results: Sequence[tuple[DocResult, Report]],
        copies: Sequence[Report],
        skipped: Sequence[Skipped],
        run_id: str,
    ) -> None:
        """Write whole documents, copy reports and skips in one transaction."""
        now = _now()
        docs: list[tuple[Any, ...]] = []
        reports: list[tuple[Any, ...]] = []
        hashes: list[tuple[Any, ...]] = []
        mentions: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        claims: list[dict[str, Any]] = []
        for result, report in results:
            d = result.document
            docs.append(
                (d.id, d.source, d.url, d.outlet, d.title, d.published, d.text,
                 len(d.text.split()), run_id, now)
            )  # fmt: skip
            reports.append(_report_row(report, run_id))
            if result.minhash:
                hashes.append((d.id, list(result.minhash)))
            mentions.extend(mention_rows(d.id, result.mentions))
            events.extend(event_row(e, d.published) for e in result.events)
            claims.extend(claim_row(c) for c in result.claims)
        reports.extend(_report_row(c, run_id) for c in copies)
        self.con.execute("BEGIN TRANSACTION")
        try:
            self._insert("documents", docs, on_conflict="DO NOTHING")
            self._insert("reports", reports, on_conflict="DO NOTHING")
            self._insert("minhashes", hashes, on_conflict="DO NOTHING")
            self._insert_frame("mentions", mentions, _MENTION_COLUMNS)
            self._insert_frame("events", events, list(EVENT_COLUMNS))
            self._insert_frame("claims", claims, list(CLAIM_COLUMNS))
            self._insert(
                "skipped",
                [(s.source, s.reason, run_id, now) for s in skipped],
                on_conflict="DO NOTHING",
            )
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            # After a failed COMMIT (disk full) there is no transaction left to roll back.
            with contextlib.suppress(duckdb.Error):
                self.con.execute("ROLLBACK")
            raise StoreError(
                f"cannot write to {self.path}: {exc}; check free space and write permission, "
                "then run the same command again (finished batches are kept)"
            ) from exc

    def _insert(self, table: str, rows: list[tuple[Any, ...]], on_conflict: str) -> None:
        """Insert rows given in the table's column order, in bulk through a DataFrame
        (``executemany`` costs tens of milliseconds a call, even for a few rows)."""
        if not rows:
            return
        frame = pd.DataFrame.from_records(  # noqa: F841 (used by SQL)
            rows, columns=[f"c{i}" for i in range(len(rows[0]))]
        )
        self.con.execute(f"INSERT INTO {table} SELECT * FROM frame ON CONFLICT {on_conflict}")

    def _insert_frame(self, table: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
        """Bulk insert through a DataFrame (executemany is slow for many rows)."""
        if not rows:
            return
        frame = pd.DataFrame.from_records(rows, columns=columns)  # noqa: F841 (used by SQL)
        cols = ", ".join(f'"{c}"' for c in columns)
        on_conflict = " ON CONFLICT DO NOTHING" if table in ("events", "claims") else ""
        self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM frame{on_conflict}")

    def start_run(self, run_id: str, args: dict[str, Any]) -> None:
        self._write_one(
            "INSERT INTO runs VALUES (?, ?, NULL, ?, NULL)", [run_id, _now(), json.dumps(args)]
        )

    def finish_run(self, run_id: str, counts: dict[str, Any]) -> None:
        self._write_one(
            "UPDATE runs SET finished = ?, counts = ? WHERE id = ?",
            [_now(), json.dumps(counts), run_id],
        )

    def _write_one(self, sql: str, params: list[Any]) -> None:
        if self.read_only:
            raise StoreError(
                f"{self.path} is open read-only: open it for writing to ingest "
                "(only one process may write a store at a time)"
            )
        try:
            self.con.execute(sql, params)
        except duckdb.Error as exc:
            raise StoreError(f"cannot write to {self.path}: {exc}") from exc


def mention_rows(doc_id: str, mentions: Mentions) -> list[dict[str, Any]]:
    """Flatten every mention of a document into rows of the ``mentions`` table."""
    rows: list[dict[str, Any]] = []
    for a in mentions.actors:
        rows.append(_mention(doc_id, "actor", a, code=a.code, name=a.name, country=a.country,
                             sector=a.sector, reason=a.reason))  # fmt: skip
    for p in mentions.places:
        rows.append(_mention(doc_id, "place", p, name=p.name, country=p.country,
                             geonameid=p.geonameid, admin1=p.admin1, lat=p.lat, lon=p.lon,
                             precision=p.precision, reason=p.reason))  # fmt: skip
    for t in mentions.times:
        rows.append(_mention(doc_id, "time", t, date_start=t.date_start, date_end=t.date_end,
                             granularity=t.granularity, reason=t.reason))  # fmt: skip
    for q in mentions.quantities:
        rows.append(_mention(doc_id, "quantity", q, value=q.value, unit=q.unit,
                             counts=q.counts, approx=q.approx))  # fmt: skip
    for e in mentions.equipment:
        rows.append(_mention(doc_id, "equipment", e, code=e.cls, name=e.name))
    return rows


def _mention(doc_id: str, kind: str, span: Any, **values: Any) -> dict[str, Any]:
    row = dict.fromkeys(_MENTION_COLUMNS)
    row.update(doc_id=doc_id, kind=kind, start=span.start, end=span.end, text=span.text)
    row.update(values)
    return row


EVENT_COLUMNS = (
    "id", "doc_id", "type", "mode", "quad", "cameo", "acled_event_type",
    "acled_sub_event_type", "trigger", "trigger_start", "trigger_end", "sentence", "start",
    "end", "actor", "actor_text", "actor_start", "actor_end", "target", "target_text",
    "target_start", "target_end", "place_name", "place_text", "place_start", "place_end",
    "geonameid", "lat", "lon", "admin1", "country", "place_precision", "place_reason",
    "date_start", "date_end", "date_granularity", "date_text", "date_source", "quantities",
    "equipment", "negated", "hedged", "published",
)  # fmt: skip


def event_row(e: Event, published: str | None) -> dict[str, Any]:
    """One flat row of the ``events`` table.

    When the sentence names no time, the event is dated to the publication day
    and ``date_source`` says ``published`` (not ``text``), so a reader can tell.
    """
    row: dict[str, Any] = dict(
        id=e.id, doc_id=e.doc_id, type=e.type, mode=e.mode, quad=e.quad, cameo=e.cameo,
        acled_event_type=e.acled_event_type, acled_sub_event_type=e.acled_sub_event_type,
        trigger=e.trigger.text, trigger_start=e.trigger.start, trigger_end=e.trigger.end,
        sentence=e.sentence.text, start=e.sentence.start, end=e.sentence.end,
        negated=e.negated, hedged=e.hedged, published=published,
    )  # fmt: skip
    for role, actor in (("actor", e.actor), ("target", e.target)):
        row[role] = actor.code if actor else None
        row[f"{role}_text"] = actor.text if actor else None
        row[f"{role}_start"] = actor.start if actor else None
        row[f"{role}_end"] = actor.end if actor else None
    p = e.place
    row.update(
        place_name=p.name if p else None, place_text=p.text if p else None,
        place_start=p.start if p else None, place_end=p.end if p else None,
        geonameid=p.geonameid if p else None, lat=p.lat if p else None,
        lon=p.lon if p else None, admin1=p.admin1 if p else None,
        country=p.country if p else None, place_precision=p.precision if p else None,
        place_reason=p.reason if p else None,
    )  # fmt: skip
    t = e.time
    if t and t.date_start:
        row.update(
            date_start=t.date_start, date_end=t.date_end, date_granularity=t.granularity,
            date_text=t.text, date_source="text",
        )  # fmt: skip
    else:
        row.update(date_start=published, date_end=published,
                   date_granularity="day" if published else None,
                   date_text=t.text if t else None,
                   date_source="published" if published else None)  # fmt: skip
    row["quantities"] = json.dumps(
        [{"text": q.text, "value": q.value, "unit": q.unit, "counts": q.counts,
          "approx": q.approx, "start": q.start, "end": q.end} for q in e.quantities]
    )  # fmt: skip
    row["equipment"] = json.dumps(
        [{"text": q.text, "class": q.cls, "name": q.name, "start": q.start, "end": q.end}
         for q in e.equipment]
    )  # fmt: skip
    return row


def _report_row(r: Report, run_id: str) -> tuple[Any, ...]:
    return (r.id, r.doc_id, r.kind, r.similarity, r.source, r.url, r.outlet, r.title,
            r.published, run_id)  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _lock_error(path: str, exc: Exception) -> StoreError:
    message = str(exc)
    if "lock" not in message.lower():
        return StoreError(f"cannot open the store {path}: {message}")
    holder = re.search(r"held in (.+?) \(PID (\d+)\)", message)
    who = f"{holder.group(1)} (PID {holder.group(2)})" if holder else "another process"
    return StoreLockedError(
        f"store in use by {who}: {path} can have one writer at a time. Wait for it to "
        f"finish, or send documents through the server that owns it (tocsin serve)"
    )
