"""URLs and feeds -> RawDocument: HTTP fetching with httpx, RSS/Atom with feedparser.

Network failures never raise: a URL that times out, refuses the connection,
answers 4xx/5xx or sends binary content becomes a ``Skipped`` with the reason.
Feed entries get the source ``FEED#N`` (N is 1-based) and keep their link in
``url``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import feedparser
import httpx

from tocsin._encoding import DecodeError, binary_kind, decode_bytes
from tocsin._records import iter_json, looks_like_html, over_limit
from tocsin.models import RawDocument, Skipped

USER_AGENT = "tocsin/0.1 (news event coder)"

_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_BINARY_TYPES = ("application/pdf", "image/", "audio/", "video/", "application/zip")


def default_client(timeout: float) -> httpx.Client:
    """An httpx client with a timeout, redirects followed and tocsin's User-Agent."""
    return httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT})


def looks_like_feed(text: str) -> bool:
    """True when the start of ``text`` is an RSS, Atom or RDF feed document."""
    head = text[:2000].lstrip("\ufeff \t\r\n")
    return head.startswith("<") and _FEED_ROOT.search(head) is not None


def iter_feed(data: bytes, name: str) -> Iterator[RawDocument | Skipped]:
    """Yield one RawDocument per feed entry (its content, else its summary)."""
    parsed = feedparser.parse(io.BytesIO(data))
    entries = parsed.entries
    if not entries:
        if not parsed.get("version"):
            problem = parsed.get("bozo_exception") or "no <rss>, <feed> or <rdf:RDF> root"
            yield Skipped(name, f"not a valid RSS/Atom feed: {problem}")
        elif parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            yield Skipped(name, f"not a valid RSS/Atom feed: {problem}")
        else:
            yield Skipped(name, "feed has no entries")
        return
    outlet = parsed.feed.get("title") or None
    for index, entry in enumerate(entries, start=1):
        source = f"{name}#{index}"
        parts = [c for c in entry.get("content", []) if c.get("value", "").strip()]
        if parts:
            best = max(parts, key=lambda c: len(c["value"]))
            content = best["value"]
        else:
            content = entry.get("summary", "") or ""
        if not content.strip():
            yield Skipped(source, "feed entry has neither content nor summary text")
            continue
        is_html = looks_like_html(content)  # RSS declares every description as HTML
        yield RawDocument(
            source=source,
            content=content.strip(),
            content_type="html" if is_html else "text",
            title=entry.get("title") or None,
            url=entry.get("link") or None,
            outlet=outlet,
            published=entry.get("published") or entry.get("updated") or None,
        )


def _get(
    client: httpx.Client, url: str, max_bytes: int, timeout: float
) -> tuple[bytes, httpx.Response] | str:
    """GET ``url`` keeping at most ``max_bytes``; return (body, response) or a reason."""
    try:
        with client.stream("GET", url, timeout=timeout) as response:
            if response.status_code >= 400:
                return f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    return f"response is {over_limit(max_bytes)}"
                chunks.append(chunk)
            return b"".join(chunks), response
    except httpx.TimeoutException:
        return f"timed out after {timeout:g} s"
    except httpx.ConnectError as err:
        return f"could not connect: {err}"
    except httpx.TooManyRedirects:
        return "too many redirects"
    except httpx.HTTPError as err:
        return f"request failed: {type(err).__name__}: {err}"
    except (httpx.InvalidURL, ValueError) as err:  # e.g. "https://" with no host
        return f"not a usable URL: {err}"


def _decode(data: bytes, charset: str | None) -> str:
    """Decode a response body with its declared charset, else by detection."""
    if charset:
        try:
            return data.decode(charset, errors="replace")
        except LookupError:
            pass  # an unknown charset name: detect instead
    return decode_bytes(data)[0]


def iter_url(
    client: httpx.Client, url: str, max_bytes: int, timeout: float
) -> Iterator[RawDocument | Skipped]:
    """Fetch one URL: a page -> one RawDocument, a feed -> its entries, else Skipped."""
    got = _get(client, url, max_bytes, timeout)
    if isinstance(got, str):
        yield Skipped(url, got)
        return
    data, response = got
    mime = response.headers.get("content-type", "").split(";")[0].strip().lower()
    kind = binary_kind(data[:16])
    if kind is not None or mime.startswith(_BINARY_TYPES):
        yield Skipped(url, f"binary content ({kind or mime}), not text")
        return
    if not data.strip():
        yield Skipped(url, f"empty response (HTTP {response.status_code})")
        return
    try:
        text = _decode(data, response.charset_encoding)
    except DecodeError as err:
        yield Skipped(url, str(err))
        return
    final_url = str(response.url)
    if "rss" in mime or "atom" in mime or looks_like_feed(text):
        yield from iter_feed(data, url)
    elif mime == "application/json" or mime.endswith("+json"):
        yield from iter_json(text, url, max_bytes)
    else:
        is_html = "html" in mime or looks_like_html(text)
        yield RawDocument(
            source=url, content=text, content_type="html" if is_html else "text", url=final_url
        )
