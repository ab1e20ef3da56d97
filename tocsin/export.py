"""Write query results: a terminal table, CSV, JSON Lines, Parquet or GeoJSON.

Every format carries the same flat columns; JSON values are plain (dates as ISO
strings, missing values as null). GeoJSON holds the rows that have coordinates.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from typing import IO, Any

import duckdb
import pandas as pd

from tocsin.errors import QueryError

FORMATS = ("table", "csv", "jsonl", "parquet", "geojson")

TABLE_COLUMNS = (
    ("date_start", "date"),
    ("type", "type"),
    ("mode", "mode"),
    ("actor", "actor"),
    ("target", "target"),
    ("place_name", "place"),
    ("country", "cty"),
    ("trigger", "trigger"),
    ("sentence", "sentence"),
)


def plain(value: Any) -> Any:
    """A JSON-ready version of one cell."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()[:10] if isinstance(value, date) else value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def write(
    frame: pd.DataFrame,
    fmt: str,
    out: IO[str],
    *,
    binary_out: IO[bytes] | None = None,
    output_path: str | None = None,
    columns: Sequence[tuple[str, str]] = TABLE_COLUMNS,
    title: str | None = None,
) -> None:
    """Write ``frame`` in ``fmt`` to ``out`` (or ``output_path`` when given)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        _write_parquet(frame, output_path, binary_out)
        return
    if output_path:
        with open(output_path, "w", encoding="utf-8", newline="") as fh:
            write(frame, fmt, fh, columns=columns, title=title)
        return
    if fmt == "table":
        _write_table(frame, out, columns, title)
    elif fmt == "csv":
        frame.to_csv(out, index=False)
    elif fmt == "jsonl":
        for row in records(frame):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "geojson":
        json.dump(geojson(frame), out, ensure_ascii=False)
        out.write("\n")


def geojson(frame: pd.DataFrame) -> dict[str, Any]:
    """A FeatureCollection of the rows with coordinates; other columns are properties."""
    features = []
    for row in records(frame):
        lat, lon = row.get("lat"), row.get("lon")
        if lat is None or lon is None:
            continue
        props = {k: v for k, v in row.items() if k not in ("lat", "lon")}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _write_parquet(
    frame: pd.DataFrame, output_path: str | None, binary_out: IO[bytes] | None
) -> None:
    if output_path is None and binary_out is None:
        raise QueryError("Parquet is binary: give --output FILE.parquet")
    con = duckdb.connect()
    con.register("frame", frame)
    target = output_path
    if target is None:
        fd, target = tempfile.mkstemp(suffix=".parquet")
        os.close(fd)
    try:
        con.execute(f"COPY (SELECT * FROM frame) TO '{_quote(target)}' (FORMAT parquet)")
        if output_path is None and binary_out is not None:
            with open(target, "rb") as fh:
                shutil.copyfileobj(fh, binary_out)
            binary_out.flush()
    finally:
        con.close()
        if output_path is None:
            os.unlink(target)


def _quote(path: str) -> str:
    return path.replace("'", "''")


SHORT_WIDTH = 18


def _longest(frame: pd.DataFrame, column: str) -> int:
    values = frame[column].dropna().astype(str)
    return int(values.str.len().max()) if len(values) else 0


def _write_table(
    frame: pd.DataFrame, out: IO[str], columns: Sequence[tuple[str, str]], title: str | None
) -> None:
    """A compact table: one line per row, long cells cut with an ellipsis."""
    from rich.console import Console
    from rich.table import Table

    width = max(shutil.get_terminal_size((160, 24)).columns, 120)
    table = Table(title=title, expand=True, box=None, header_style="bold")
    present = [(c, h) for c, h in columns if c in frame.columns]
    for c, h in present:
        wide = c == "sentence"
        table.add_column(
            h,
            no_wrap=True,
            overflow="ellipsis",
            min_width=None if wide else min(SHORT_WIDTH, max(len(h), _longest(frame, c))),
            max_width=None if wide else SHORT_WIDTH,
            ratio=1 if wide else None,
        )
    for row in records(frame):
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c, _ in present))
    Console(file=out, width=width, soft_wrap=False).print(table)
