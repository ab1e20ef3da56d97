"""Documents posted to the API, read like files and ingested like the CLI does.

A body is one JSON object, a JSON list of objects, or JSON Lines
(``application/x-ndjson``), with the fields ``tocsin ingest`` reads from record
files (text/body/content, title, url, published, outlet). Records that cannot
be used are reported with the reason, stored in ``skipped`` and never stop the
rest; posting the same body twice adds nothing.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import Any

from tocsin._records import iter_json, iter_jsonl
from tocsin.models import RawDocument, Skipped
from tocsin.run import IngestSummary, Settings, ingest
from tocsin.store import Store


def parse_body(raw: bytes, content_type: str, max_bytes: int) -> Iterator[RawDocument | Skipped]:
    """The records of a posted body; the source names hash the body (idempotent reposts)."""
    name = f"api:{hashlib.sha256(raw).hexdigest()[:12]}"
    if "ndjson" in content_type or "jsonl" in content_type:
        yield from iter_jsonl(io.BufferedReader(io.BytesIO(raw)), name, max_bytes)
        return
    text = raw.decode("utf-8-sig", errors="replace")
    if not text.strip():
        yield Skipped(name, "empty body: send a JSON object, a JSON list or JSON Lines")
        return
    yield from iter_json(text, name, max_bytes)


def ingest_body(
    store: Store, raw: bytes, content_type: str, max_bytes: int, model: str | None
) -> dict[str, Any]:
    """Ingest a posted body into ``store``; the run's counts and skip reasons."""
    summary: IngestSummary = ingest(
        [], store, settings=Settings(model=model), workers=1, max_bytes=max_bytes,
        records=parse_body(raw, content_type, max_bytes),
    )  # fmt: skip
    return summary.as_dict()
