"""Fuzzing the readers and the cleaner with Hypothesis: random and mutated inputs.

Properties: ``iter_inputs`` yields only RawDocument / Skipped, never raises,
and never needs its last-resort handler ("unexpected error while reading");
``clean`` returns a Document or raises InputError; ``clean_text`` returns text.
Each example has a deadline, so a reader that hangs (a regex gone
quadratic, a loop that does not advance) fails the test. Nothing touches the
network: URL lists go to a mock transport.
"""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tocsin.clean import clean, clean_text
from tocsin.errors import InputError
from tocsin.models import Document, RawDocument, Skipped
from tocsin.read import iter_inputs

FUZZ = settings(
    max_examples=400,
    deadline=2000,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Small valid inputs of each kind, invented for these tests, to mutate.
SEEDS: dict[str, bytes] = {
    ".txt": b"Invented troops massed near Kharkiv on Monday.\n\nReply\n\nShare this:\n",
    ".html": b"<html><head><title>T</title></head><body><article><p>Talks were held in "
    b"Geneva on Tuesday.</p></article><div class='comments'>Reply</div></body></html>",
    ".jsonl": b'{"text": "Shelling hit Izium.", "published": "2026-11-03", "title": "A"}\n'
    b'{"body": ["one", "two"], "date": 20261104}\n',
    ".json": b'[{"content": "Drones struck a depot.", "source": {"name": "X"}}, 3]',
    ".csv": b'title,text,date\n"A","Troops left, officials said.",2026-11-03\nB,"multi\nline",\n',
    ".tsv": b"title\ttext\nA\tSanctions were announced.\n",
    ".xml": b'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item>'
    b"<title>I</title><description>Units moved to Belgorod.</description>"
    b"<pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>",
    ".urls": b"# list\nhttps://example.invalid/a\nhttp://example.invalid/b\n",
}
KINDS = sorted(SEEDS)


def _client() -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(lambda _req: httpx.Response(404)))


def _read(data: bytes, name: str) -> list[RawDocument | Skipped]:
    with tempfile.TemporaryDirectory() as tmp, _client() as client:
        path = Path(tmp) / name
        path.write_bytes(data)
        items = list(iter_inputs([str(path)], client=client, max_bytes=50_000))
    for item in items:
        assert isinstance(item, RawDocument | Skipped)
        if isinstance(item, Skipped):
            assert not item.reason.startswith("unexpected error"), item.reason
    return items


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few random edits: flipped, inserted or deleted bytes, a cut."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "cut", "repeat"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=12))
        elif op == "delete" and data:
            del data[pos : pos + draw(st.integers(1, 8))]
        elif op == "cut":
            del data[pos:]
        elif op == "repeat":
            data[pos:pos] = data[pos : pos + 16] * draw(st.integers(2, 50))
    return bytes(data)


@pytest.mark.parametrize("ext", KINDS)
@FUZZ
@given(data=st.data())
def test_mutated_inputs_never_crash(ext, data):
    _read(data.draw(mutated(SEEDS[ext])), f"in{ext}")


@pytest.mark.parametrize("ext", [".txt", ".jsonl", ".csv", ".html", ".xml"])
@settings(FUZZ, max_examples=150)
@given(blob=st.binary(max_size=600))
def test_random_bytes_never_crash(ext, blob):
    _read(blob, f"rand{ext}")


@pytest.mark.parametrize("ext", [".jsonl", ".csv", ".txt", ".html"])
@settings(FUZZ, max_examples=150)
@given(data=st.data())
def test_gzip_of_mutated_inputs_never_crash(ext, data):
    seed = gzip.compress(SEEDS[ext])
    blob = data.draw(
        st.one_of(st.just(seed), mutated(seed), mutated(SEEDS[ext]).map(gzip.compress))
    )
    _read(blob, f"in{ext}.gz")


@settings(FUZZ, max_examples=300)
@given(text=st.text(max_size=400))
def test_clean_text_returns_text(text):
    out = clean_text(text)
    assert isinstance(out, str)
    assert out == out.strip()


@settings(FUZZ, max_examples=300)
@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "Reply",
                    "Share this:",
                    "Comments",
                    "1. Jane Doe",
                    "Advertisement",
                    "Bob says:",
                    "",
                    "You Might Like",
                    "Leave a Reply",
                ]
            ),
            st.text(max_size=60),
        ),
        max_size=30,
    )
)
def test_clean_text_on_boilerplate_mixes(lines):
    out = clean_text("\n".join(lines))
    assert "\n\n\n" not in out


@pytest.mark.parametrize("content_type", ["text", "html"])
@settings(FUZZ, max_examples=150)
@given(data=st.data())
def test_clean_returns_a_document_or_input_error(content_type, data):
    seed = SEEDS[".html"] if content_type == "html" else SEEDS[".txt"]
    content = data.draw(mutated(seed)).decode("utf-8", "replace")
    raw = RawDocument(source="fuzz", content=content, content_type=content_type)
    try:
        doc = clean(raw)
    except InputError as exc:
        assert exc.source == "fuzz"
        return
    assert isinstance(doc, Document) and doc.text.strip()
