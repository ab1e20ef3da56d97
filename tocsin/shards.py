"""Shards: many input files in, Parquet shards out.

Input. ``iter_records(paths)`` reads what ``tocsin.read.iter_inputs`` reads
plus two things a cluster backfill needs:

- globs (``/shared/news/2026-*/part-*.jsonl.gz``), expanded in sorted order,
  and list files (``@/shared/news/shards.txt``: one path or glob a line, ``#``
  comments, relative paths taken from the list file's folder);
- Parquet files (``.parquet``) with the same fields as JSON Lines (text/body/
  content, title, url, published/date, outlet/source), read with DuckDB in
  row batches; a record's source is ``path:ROW`` (1-based).

A corrupt or unreadable shard becomes a ``Skipped`` item and the rest goes on.

Output. ``export_shards(store, folder)`` writes every table of the store as
Parquet with DuckDB ``COPY ... PARTITION_BY``, hive-style by day
(``events/day=2026-11-03/data_0.parquet``; events by their date, documents,
reports, mentions and MinHashes by the document's publication day), plus a
``manifest.json``. DuckDB (or pandas, Spark, ...) queries them in place;
``open_shards(folder)`` gives a read-only :class:`Store` over them, so
``tocsin.query.events`` works unchanged. ``import_shards(folder, store)``
builds or extends a DuckDB store from them, idempotently.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import httpx

from tocsin._records import record_to_document
from tocsin.errors import StoreError, TocsinError
from tocsin.models import RawDocument, Skipped
from tocsin.read import iter_inputs
from tocsin.store import SCHEMA_VERSION, Store

__all__ = ["expand_inputs", "export_shards", "import_shards", "iter_records", "open_shards"]

_GLOB_CHARS = ("*", "?", "[")
_PARQUET_BATCH = 2_000
# (table, expression of its ``day`` partition or None for a single file)
TABLES: tuple[tuple[str, str | None], ...] = (
    ("documents", "published"),
    ("reports", "published"),
    ("minhashes", "(SELECT d.published FROM documents d WHERE d.id = t.doc_id)"),
    ("mentions", "(SELECT d.published FROM documents d WHERE d.id = t.doc_id)"),
    ("events", "coalesce(date_start, published)"),
    ("skipped", None),
    ("runs", None),
)
MANIFEST = "manifest.json"


def expand_inputs(paths: Iterable[str]) -> list[str]:
    """Paths with globs expanded (sorted) and ``@list`` files replaced by their lines.

    A glob that matches nothing is kept as it is, so reading it reports
    "no such file or folder" instead of dropping it silently.
    """
    out: list[str] = []
    for path in paths:
        if path.startswith("@"):
            out.extend(expand_inputs(_list_file(path[1:])))
        elif any(c in path for c in _GLOB_CHARS) and not path.lower().startswith("http"):
            out.extend(sorted(glob.glob(path, recursive=True)) or [path])
        else:
            out.append(path)
    return out


def _list_file(path: str) -> list[str]:
    """The paths named in a list file; relative ones are taken from its folder."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise TocsinError(f"cannot read the list of shards {path}: {exc}") from exc
    base = os.path.dirname(path)
    entries = [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]
    return [_relative_to(base, e) for e in entries]


def _relative_to(base: str, entry: str) -> str:
    """``entry`` taken from folder ``base`` unless absolute or a URL (``@`` kept in front)."""
    if entry.startswith("@"):
        return "@" + _relative_to(base, entry[1:])
    return entry if os.path.isabs(entry) or "://" in entry else os.path.join(base, entry)


def iter_records(
    paths: Iterable[str], *, max_bytes: int = 20_000_000, client: httpx.Client | None = None
) -> Iterator[RawDocument | Skipped]:
    """Like ``iter_inputs``, plus globs, ``@list`` files and Parquet shards (also in folders)."""
    for path in expand_inputs(paths):
        if _is_parquet(path):
            yield from iter_parquet(path, max_bytes=max_bytes)
        elif os.path.isdir(path) and _has_parquet(path):
            for file in _walk(path):
                if _is_parquet(file):
                    yield from iter_parquet(file, max_bytes=max_bytes)
                else:
                    yield from iter_inputs([file], client=client, max_bytes=max_bytes)
        else:
            yield from iter_inputs([path], client=client, max_bytes=max_bytes)


def _is_parquet(path: str) -> bool:
    return path.lower().endswith(".parquet") and os.path.isfile(path)


def _walk(folder: str) -> Iterator[str]:
    """Files under ``folder`` in the order ``iter_inputs`` reads them (hidden ones left out)."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(f for f in files if not f.startswith(".")):
            yield os.path.join(root, name)


def _has_parquet(folder: str) -> bool:
    return any(f.lower().endswith(".parquet") for f in _walk(folder))


def iter_parquet(path: str, *, max_bytes: int = 20_000_000) -> Iterator[RawDocument | Skipped]:
    """One item per row of a Parquet file, streamed in batches; ``source`` is ``path:ROW``."""
    con = duckdb.connect()
    row = 0
    try:
        cursor = con.execute("SELECT * FROM read_parquet(?)", [path])
        names = [d[0] for d in cursor.description or []]
        while batch := cursor.fetchmany(_PARQUET_BATCH):
            for values in batch:
                row += 1
                record = {n: _plain(v) for n, v in zip(names, values, strict=True)}
                yield record_to_document(record, f"{path}:{row}", max_bytes)
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        yield Skipped(
            path, f"corrupt or unreadable Parquet file ({first}); {row} row(s) before it were read"
        )
    finally:
        con.close()


def _plain(value: Any) -> Any:
    """Dates and timestamps as ISO text, as they would appear in JSON Lines."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# -- output ---------------------------------------------------------------------------


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "AND table_schema = 'main' ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def _quoted(columns: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def export_shards(store: Store, folder: str | Path, *, overwrite: bool = False) -> dict[str, int]:
    """Write the store's tables as Parquet shards partitioned by day; rows per table.

    The folder must be new or empty unless ``overwrite`` (which replaces what
    is there). Returns the number of rows written per table.
    """
    out = Path(folder)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise StoreError(f"{out} is not empty: give a new folder, or --overwrite to replace it")
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    try:
        for table, day in TABLES:
            cols = _quoted(_columns(store.con, table))
            n = _count(store.con, f"SELECT count(*) FROM {table}")
            counts[table] = n
            target = out / table
            if day is None:
                target.mkdir(exist_ok=True)
                single = _sql_path(target / "data_0.parquet")
                store.con.execute(
                    f"COPY (SELECT {cols} FROM {table}) TO '{single}' (FORMAT parquet)"
                )
                continue
            if n == 0:
                continue
            store.con.execute(
                f"COPY (SELECT {cols}, {day} AS day FROM {table} t) TO '{_sql_path(target)}' "
                "(FORMAT parquet, PARTITION_BY (day), OVERWRITE_OR_IGNORE)"
            )
    except duckdb.Error as exc:
        raise StoreError(f"cannot write Parquet shards to {out}: {exc}") from exc
    manifest = {"schema_version": SCHEMA_VERSION, "store": store.path, "rows": counts}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return counts


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _source(folder: Path, table: str) -> str | None:
    """The read_parquet() call over a table's shards, or None when it has none."""
    files = sorted((folder / table).rglob("*.parquet"))
    if not files:
        return None
    return f"read_parquet('{_sql_path(folder / table)}/**/*.parquet', hive_partitioning = true)"


def _check_manifest(folder: Path) -> None:
    path = folder / MANIFEST
    if not path.is_file():
        raise StoreError(f"{folder} holds no {MANIFEST}: not a folder written by export-shards")
    version = json.loads(path.read_text(encoding="utf-8")).get("schema_version")
    if version != SCHEMA_VERSION:
        raise StoreError(
            f"{folder} was written with store schema {version}, this tocsin uses "
            f"{SCHEMA_VERSION}: export it again with this version"
        )


def import_shards(folder: str | Path, store: Store) -> dict[str, int]:
    """Add the shards in ``folder`` to ``store`` in one transaction; new rows per table.

    Idempotent: documents already in the store (same id) are passed over with
    their mentions, and rows with a key already present are not added again.
    """
    src = Path(folder)
    _check_manifest(src)
    con = store.con
    added: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        docs = _source(src, "documents")
        con.execute("CREATE OR REPLACE TEMP TABLE _new_docs (id VARCHAR)")
        if docs:
            con.execute(
                f"INSERT INTO _new_docs SELECT id FROM {docs} EXCEPT SELECT id FROM documents"
            )
        for table, _day in TABLES:
            source = _source(src, table)
            if source is None:
                added[table] = 0
                continue
            cols = _quoted(_columns(con, table))
            before = _count(con, f"SELECT count(*) FROM {table}")
            where = " WHERE doc_id IN (SELECT id FROM _new_docs)" if table == "mentions" else ""
            conflict = "" if table == "mentions" else " ON CONFLICT DO NOTHING"
            con.execute(
                f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {source}{where}{conflict}"
            )
            added[table] = _count(con, f"SELECT count(*) FROM {table}") - before
        con.execute("DROP TABLE _new_docs")
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise StoreError(f"cannot import the shards in {src} into {store.path}: {exc}") from exc
    return added


def open_shards(folder: str | Path) -> Store:
    """A read-only, in-memory :class:`Store` whose tables are views over the shards.

    The query functions (``tocsin.query.events``, ``stats``) run on it as on a
    DuckDB file; filters on dates prune day folders.
    """
    src = Path(folder)
    _check_manifest(src)
    store = Store.open(":memory:")
    for table, day in TABLES:
        source = _source(src, table)
        if source is None:
            continue
        keep = " EXCLUDE (day)" if day is not None else ""
        store.con.execute(f"DROP TABLE {table}")
        store.con.execute(f"CREATE VIEW {table} AS SELECT *{keep} FROM {source}")
    store.read_only = True
    return store
