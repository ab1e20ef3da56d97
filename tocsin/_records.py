"""Record files -> RawDocument: JSON Lines, JSON and CSV/TSV, streamed.

Field names are matched case-insensitively; the first non-empty field of each
group wins (see ``FIELDS``). A record's ``source`` is ``path:LINE`` (the 1-based
physical line of a JSON Lines record, the starting line of a CSV record) or
``path#N`` for the N-th object of a ``.json`` list.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO, cast

from tocsin._encoding import bom_encoding
from tocsin.models import RawDocument, Skipped

FIELDS: dict[str, tuple[str, ...]] = {
    "content": ("text", "body", "content", "articlebody", "article", "notes", "full_text"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "pubdate", "datetime", "timestamp"),
    "outlet": ("outlet", "source", "publisher", "site", "source_name"),
}

_HTML_TAG = re.compile(
    r"<(?:!doctype|html|head|body|p|div|br|span|a|article|section|h[1-6]|ul|li|table|img|"
    r"em|strong|b|i|script|style|meta)\b[^>]*>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """True when ``text`` reads as HTML markup: a doctype/<html> or at least two tags."""
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return len(_HTML_TAG.findall(text[:100_000], 0)) >= 2


def _as_text(value: Any) -> str | None:
    """A field value as text: strings as they are, lists of strings joined, numbers as digits."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "\n\n".join(v.strip() for v in value if v.strip()) or None
    if isinstance(value, dict):
        return _as_text(value.get("name") or value.get("title"))
    return None


def record_to_document(
    record: Mapping[str, Any], source: str, max_bytes: int
) -> RawDocument | Skipped:
    """Map one record's fields to a RawDocument, or say why it cannot be used."""
    lowered: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(key, str):
            lowered.setdefault(key.strip().lower(), value)
    picked: dict[str, str | None] = {}
    for target, names in FIELDS.items():
        picked[target] = next(
            (text for name in names if (text := _as_text(lowered.get(name))) is not None), None
        )
    content = picked["content"]
    if content is None:
        present = [n for n in FIELDS["content"] if n in lowered]
        if present:
            return Skipped(source, f"record has an empty text field ({', '.join(present)})")
        found = ", ".join(k for k in record if isinstance(k, str)) or "none"
        return Skipped(
            source,
            f"record has no text field: expected one of {', '.join(FIELDS['content'])} "
            f"(any case); found: {found}",
        )
    size = len(content.encode("utf-8"))
    if size > max_bytes:
        return Skipped(source, f"record text is {format_size(size)}, {over_limit(max_bytes)}")
    return RawDocument(
        source=source,
        content=content,
        content_type="html" if looks_like_html(content) else "text",
        title=picked["title"],
        url=picked["url"],
        outlet=picked["outlet"],
        published=picked["published"],
    )


def format_size(size: int) -> str:
    """Bytes as '200.0 MB' (decimal megabytes) or '512 bytes'."""
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size} bytes"


def over_limit(max_bytes: int) -> str:
    """The tail of an over-size message: 'over the 20 MB limit (--max-bytes)'."""
    return f"over the {max_bytes / 1e6:g} MB limit (--max-bytes)"


def _text_stream(binary: io.BufferedIOBase, newline: str) -> io.TextIOWrapper:
    """Wrap a binary stream as text, honouring a UTF-8/16/32 BOM, bad bytes replaced."""
    peek_fn = getattr(binary, "peek", None)
    peek = peek_fn(4)[:4] if peek_fn is not None else b""
    encoding = bom_encoding(peek) or "utf-8-sig"
    buffer = cast("BinaryIO", binary)  # GzipFile and BufferedReader both fit at run time
    return io.TextIOWrapper(buffer, encoding=encoding, errors="replace", newline=newline)


def iter_jsonl(
    binary: io.BufferedIOBase, name: str, max_bytes: int
) -> Iterator[RawDocument | Skipped]:
    """Yield one item per non-blank line of a JSON Lines stream, reading line by line."""
    stream = _text_stream(binary, "\n")
    lineno = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        source = f"{name}:{lineno}"
        if len(line) > max_bytes and not line.endswith("\n"):
            size = len(line.encode("utf-8"))
            while line and not line.endswith("\n"):  # skip the rest without keeping it
                line = stream.readline(1 << 20)
                size += len(line.encode("utf-8"))
            yield Skipped(source, f"line is {format_size(size)}, {over_limit(max_bytes)}")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield Skipped(source, f"invalid JSON: {err.msg} at column {err.colno}")
            continue
        if not isinstance(record, dict):
            kind = type(record).__name__
            yield Skipped(source, f"line holds a JSON {kind}, expected an object with a text field")
            continue
        yield record_to_document(record, source, max_bytes)


def iter_json(data: str, name: str, max_bytes: int) -> Iterator[RawDocument | Skipped]:
    """Yield the records of a ``.json`` file holding one object or a list of objects.

    A file that turns out to be JSON Lines (``Extra data`` after the first value)
    is read as JSON Lines.
    """
    try:
        value = json.loads(data)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data":
            yield from iter_jsonl(io.BufferedReader(io.BytesIO(data.encode())), name, max_bytes)
            return
        yield Skipped(name, f"invalid JSON: {err.msg} at line {err.lineno} column {err.colno}")
        return
    if isinstance(value, dict):
        yield record_to_document(value, name, max_bytes)
        return
    if not isinstance(value, list):
        yield Skipped(name, f"JSON holds a {type(value).__name__}, expected an object or a list")
        return
    for index, item in enumerate(value, start=1):
        source = f"{name}#{index}"
        if isinstance(item, dict):
            yield record_to_document(item, source, max_bytes)
        else:
            yield Skipped(source, f"list item is a JSON {type(item).__name__}, expected an object")


def _delimiter(header_line: str, default: str) -> str:
    """Pick the delimiter that occurs most in the header line (default on a tie)."""
    counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: (counts[d], d == default))
    return best if counts[best] > 0 else default


def iter_csv(
    binary: io.BufferedIOBase, name: str, max_bytes: int, default_delimiter: str = ","
) -> Iterator[RawDocument | Skipped]:
    """Yield one item per CSV/TSV record, streamed; the first row is the header."""
    stream = _text_stream(binary, "")
    first = stream.readline()
    if not first.strip():
        yield Skipped(name, "CSV file is empty or its first line (the header) is blank")
        return
    delimiter = _delimiter(first, default_delimiter)
    header = next(csv.reader([first], delimiter=delimiter))
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, max_bytes + 1))
    try:
        reader = csv.reader(stream, delimiter=delimiter)
        start = 2
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                reason = f"malformed CSV: {err}"
                if "field larger than field limit" in str(err):
                    reason = f"a field is {over_limit(max_bytes)}"
                yield Skipped(f"{name}:{start}", reason)
                start = reader.line_num + 2
                continue
            source = f"{name}:{start}"
            start = reader.line_num + 2  # line_num counts lines after the header
            if not any(cell.strip() for cell in row):
                continue
            yield record_to_document(dict(zip(header, row, strict=False)), source, max_bytes)
    finally:
        csv.field_size_limit(old_limit)
