"""Read inputs: files, folders, feeds and URLs -> RawDocument or Skipped.

``iter_inputs(paths)`` walks the given paths in order and yields one item per
document or record. What a path is decides how it is read:

* ``http(s)://`` URL: fetched with httpx; an RSS/Atom answer becomes its entries.
* folder: its files, recursively, in sorted order, hidden files and folders skipped.
* ``.gz``: decompressed on the fly; the inner extension says the format.
* ``.jsonl``/``.ndjson`` and ``.csv``/``.tsv``: streamed, one item per record.
* ``.json``: one object or a list of objects.
* ``.rss``/``.atom``/``.xml`` or a sniffed feed: one item per entry.
* a file whose every non-blank, non-``#`` line is an http(s) URL: each URL fetched.
* ``.html``/``.htm`` or sniffed HTML: one ``html`` document; anything else that
  decodes as text: one ``text`` document.

Nothing raises out of ``iter_inputs``: a bad input is yielded as ``Skipped``
with a reason a person can act on, and reading goes on.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import httpx

from tocsin._encoding import DecodeError, binary_kind, decode_bytes
from tocsin._fetch import default_client, iter_feed, iter_url, looks_like_feed
from tocsin._records import (
    format_size,
    iter_csv,
    iter_json,
    iter_jsonl,
    looks_like_html,
    over_limit,
)
from tocsin.models import RawDocument, Skipped

__all__ = ["iter_inputs"]

Item = RawDocument | Skipped

_KINDS: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".urls": "urls",
}
_GZIP_ERRORS = (EOFError, OSError, zlib.error)


def iter_inputs(
    paths: Iterable[str],
    *,
    client: httpx.Client | None = None,
    max_bytes: int = 20_000_000,
    timeout: float = 20.0,
) -> Iterator[RawDocument | Skipped]:
    """Yield a RawDocument for every readable document or record, a Skipped for the rest.

    ``max_bytes`` caps a single-document file (text, HTML, feed, URL list) and each
    record or fetched page, not a whole JSON Lines or CSV file. ``client`` is used
    for URLs; by default one is made with ``timeout``, redirects followed and a
    tocsin User-Agent, and closed at the end.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [str(paths)]  # one path given alone, not a list of characters
    reader = _Reader(client, max_bytes, timeout)
    try:
        for path in paths:
            yield from reader.read(str(path))
    finally:
        reader.close()


def _is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def _kind(name: str) -> str:
    """The format that a file name's extension promises ('text' when unknown)."""
    return _KINDS.get(os.path.splitext(name)[1].lower(), "text")


class _Reader:
    """Holds the options of one ``iter_inputs`` call and the HTTP client it made."""

    def __init__(self, client: httpx.Client | None, max_bytes: int, timeout: float) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._client = client
        self._own_client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._own_client = self._client = default_client(self.timeout)
        return self._client

    def close(self) -> None:
        if self._own_client is not None:
            self._own_client.close()

    def read(self, path: str) -> Iterator[Item]:
        """Yield the items of one path or URL; an unexpected error ends only this path."""
        try:
            if _is_url(path):
                yield from iter_url(self.client, path, self.max_bytes, self.timeout)
            else:
                yield from self._read_path(Path(path), path)
        except Exception as err:  # last line of defence: report, never stop the run
            yield Skipped(path, f"unexpected error while reading ({type(err).__name__}: {err})")

    def _read_path(self, path: Path, display: str) -> Iterator[Item]:
        try:
            if path.is_dir():
                yield from self._read_folder(path, display)
            elif path.is_file():
                yield from self._read_file(path, display)
            elif path.exists():
                yield Skipped(display, "not a regular file or folder")
            else:
                yield Skipped(display, "no such file or folder")
        except PermissionError:
            yield Skipped(display, "permission denied")

    def _read_folder(self, folder: Path, display: str) -> Iterator[Item]:
        found = False
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(f for f in files if not f.startswith(".")):
                found = True
                yield from self._read_path(Path(root) / name, os.path.join(root, name))
        if not found:
            yield Skipped(display, "folder holds no files (hidden files are not read)")

    def _read_file(self, path: Path, display: str) -> Iterator[Item]:
        size = path.stat().st_size
        if size == 0:
            yield Skipped(display, "empty file")
            return
        with path.open("rb") as handle:
            head = handle.read(512)
        gz = path.suffix.lower() == ".gz" or head.startswith(b"\x1f\x8b")
        inner = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
        kind = _kind(inner)
        streamed = kind in ("jsonl", "csv", "tsv")
        if not gz and not streamed and size > self.max_bytes:
            yield Skipped(display, f"file is {format_size(size)}, {over_limit(self.max_bytes)}")
            return
        what = None if gz else binary_kind(head)
        if what is not None:
            yield Skipped(display, f"binary file ({what}), not text")
            return
        if streamed:
            yield from self._read_records(path, display, kind, gz)
            return
        try:
            with _open(path, gz) as stream:
                data = stream.read(self.max_bytes + 1)
                if len(data) <= self.max_bytes:
                    stream.read(1)  # reaches the end: a truncated gzip raises here
        except _GZIP_ERRORS as err:
            yield Skipped(display, f"truncated or corrupt gzip file ({err}); re-download it")
            return
        if len(data) > self.max_bytes:
            yield Skipped(display, f"decompressed text is {over_limit(self.max_bytes)}")
            return
        yield from self._from_bytes(data, display, kind)

    def _read_records(self, path: Path, display: str, kind: str, gz: bool) -> Iterator[Item]:
        count = 0
        try:
            with _open(path, gz) as stream:
                head = stream.peek(512)[:512] if gz else b""
                what = binary_kind(head) if head else None
                if gz and not head:
                    yield Skipped(display, "empty file (after decompression)")
                    return
                if what is not None:
                    yield Skipped(display, f"binary file ({what}) inside gzip, not text")
                    return
                if kind == "jsonl":
                    records = iter_jsonl(stream, display, self.max_bytes)
                else:
                    delimiter = "\t" if kind == "tsv" else ","
                    records = iter_csv(stream, display, self.max_bytes, delimiter)
                for item in records:
                    count += 1
                    yield item
        except _GZIP_ERRORS as err:
            what = "truncated or corrupt gzip file" if gz else "read error"
            yield Skipped(display, f"{what} ({err}); {count} record(s) before the damage were read")

    def _from_bytes(self, data: bytes, display: str, kind: str) -> Iterator[Item]:
        what = binary_kind(data[:512])
        if what is not None:
            yield Skipped(display, f"binary file ({what}), not text")
            return
        try:
            text, _note = decode_bytes(data)
        except DecodeError as err:
            yield Skipped(display, str(err))
            return
        if not text.strip():
            yield Skipped(display, "file holds only whitespace, no text")
            return
        if kind == "json":
            yield from iter_json(text, display, self.max_bytes)
        elif kind == "feed" or (kind != "html" and looks_like_feed(text)):
            yield from iter_feed(data, display)
        elif kind == "urls" or (kind == "text" and _is_url_list(text)):
            yield from self._read_url_list(text, display)
        elif kind == "html" or looks_like_html(text):
            yield RawDocument(source=display, content=text, content_type="html")
        else:
            yield RawDocument(source=display, content=text, content_type="text")

    def _read_url_list(self, text: str, display: str) -> Iterator[Item]:
        for lineno, line in enumerate(text.splitlines(), start=1):
            url = line.strip()
            if not url or url.startswith("#"):
                continue
            if _is_url(url):
                yield from iter_url(self.client, url, self.max_bytes, self.timeout)
            else:
                yield Skipped(f"{display}:{lineno}", f"not an http(s) URL: {url[:80]!r}")


def _is_url_list(text: str) -> bool:
    """True when every non-blank, non-# line of ``text`` is an http(s) URL without spaces."""
    lines = [ln.strip() for ln in text.splitlines()]
    urls = [ln for ln in lines if ln and not ln.startswith("#")]
    return bool(urls) and all(_is_url(u) and " " not in u for u in urls)


def _open(path: Path, gz: bool) -> gzip.GzipFile | io.BufferedReader:
    """Open ``path`` for binary reading, decompressing gzip on the fly."""
    if gz:
        return gzip.open(path, "rb")
    return path.open("rb")
