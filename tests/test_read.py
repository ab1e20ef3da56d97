"""Tests of tocsin.read: every kind of input, and every kind of bad input.

The network is never touched: URLs go to an httpx.MockTransport.
"""

from __future__ import annotations

import gzip
import json
import random
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tocsin._fetch import USER_AGENT, default_client
from tocsin.models import RawDocument, Skipped
from tocsin.read import iter_inputs

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"

PAGE = (
    "<html><head><title>Dam inspection</title></head><body><article>"
    "<p>Engineers inspected the dam on Saturday and found no damage.</p></article></body></html>"
)
RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Mock Wire</title>'
    "<item><title>One</title><link>https://wire.example.org/1</link>"
    "<description>Ships left the harbour at dawn.</description></item>"
    "<item><title>Two</title><link>https://wire.example.org/2</link>"
    "<description>Ships returned at dusk.</description></item></channel></rss>"
)


def read_all(*paths: str | Path, **kwargs: Any) -> list[RawDocument | Skipped]:
    return list(iter_inputs([str(p) for p in paths], **kwargs))


def fx(name: str) -> str:
    return str(FIXTURES / name)


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)


def site(request: httpx.Request) -> httpx.Response:
    """A pretend web site: pages, a feed, a PDF, a 404, a timeout and a refusal."""
    path = request.url.path
    if path == "/story-1":
        return httpx.Response(200, text=PAGE, headers={"content-type": "text/html"})
    if path == "/feed":
        return httpx.Response(200, text=RSS, headers={"content-type": "application/rss+xml"})
    if path == "/plain":
        return httpx.Response(200, text="Just words, nothing else.")
    if path == "/report.pdf":
        return httpx.Response(200, content=b"%PDF-1.7 ...", headers={"content-type": "text/html"})
    if path == "/slow":
        raise httpx.ReadTimeout("read timed out", request=request)
    if path == "/refused":
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
    if path == "/moved":
        return httpx.Response(301, headers={"location": "https://news.example.org/story-1"})
    return httpx.Response(404)


# -- plain files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected_type"),
    [
        ("note.txt", "Troops left the base on Monday.", "text"),
        ("note.md", "# Title\n\nA short markdown note.", "text"),
        ("note.log", "An unknown extension that decodes as text.", "text"),
        ("page.htm", "<p>Short page</p>", "html"),
        ("sniffed.txt", "<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html"),
    ],
)
def test_single_document_files(tmp_path: Path, name: str, content: str, expected_type: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    [item] = read_all(path)
    assert item == RawDocument(source=str(path), content=content, content_type=expected_type)


def test_html_fixture_is_one_html_document():
    [item] = read_all(fx("page.html"))
    assert isinstance(item, RawDocument)
    assert item.content_type == "html"
    assert "<article>" in item.content


# -- records -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["records.jsonl", "records.jsonl.gz"])
def test_jsonl_records_and_broken_lines(name: str):
    items = read_all(fx(name))
    src = fx(name)
    assert [i.source for i in items] == [f"{src}:1", f"{src}:2", f"{src}:4", f"{src}:5", f"{src}:6"]
    first, second, broken, no_text, last = items
    assert first == RawDocument(
        source=f"{src}:1",
        content="Witnesses counted about forty trucks heading north on the highway overnight, "
        "local police said.",
        content_type="text",
        title="Convoy seen on highway",
        url="https://example.org/a1",
        outlet="Example Wire",
        published="2022-02-15T06:30:00Z",
    )
    assert isinstance(second, RawDocument)
    assert second.content_type == "html"
    assert (second.title, second.url, second.outlet) == (
        "Statement on air defence",
        "https://example.org/a2",
        "Daily Example",
    )
    assert second.published == "1645000000"
    assert broken == Skipped(f"{src}:4", "invalid JSON: Expecting ',' delimiter at column 41")
    assert isinstance(no_text, Skipped)
    assert "articlebody" in no_text.reason and "full_text" in no_text.reason
    assert "found: id, headline, summary_only" in no_text.reason
    assert isinstance(last, RawDocument)
    assert (last.outlet, last.published) == ("Example Times", "Feb 16, 2022")


def test_csv_records_with_start_lines():
    src = fx("records.csv")
    items = read_all(src)
    assert [i.source for i in items] == [f"{src}:2", f"{src}:3", f"{src}:6", f"{src}:7"]
    one, multi, empty, last = items
    assert isinstance(one, RawDocument)
    assert one.title == "Patrol boats return to port"
    assert (one.published, one.outlet, one.url) == (
        "15 February 2022",
        "Coast Weekly",
        "https://example.org/c1",
    )
    assert isinstance(multi, RawDocument)
    assert multi.content.count("\n\n") == 1
    assert isinstance(empty, Skipped) and "empty text field" in empty.reason
    assert isinstance(last, RawDocument) and last.published == "1645142400"


def test_tsv_and_case_insensitive_fields(tmp_path: Path):
    path = tmp_path / "notes.tsv"
    path.write_text("TEXT\tHeadline\tDATE\nA ferry sank, no one was hurt.\tFerry\t2022-03-01\n")
    [item] = read_all(path)
    assert item == RawDocument(
        source=f"{path}:2",
        content="A ferry sank, no one was hurt.",
        title="Ferry",
        published="2022-03-01",
    )


@pytest.mark.parametrize(
    ("payload", "sources"),
    [
        ({"body": "One object."}, [""]),
        ([{"body": "First."}, {"body": "Second."}, 7], ["#1", "#2", "#3"]),
    ],
)
def test_json_object_or_list(tmp_path: Path, payload: object, sources: list[str]):
    path = tmp_path / "data.json"
    path.write_text(json.dumps(payload))
    items = read_all(path)
    assert [i.source for i in items] == [f"{path}{s}" for s in sources]
    if len(items) == 3:
        assert isinstance(items[2], Skipped) and "expected an object" in items[2].reason


def test_json_file_holding_json_lines_is_read_as_lines(tmp_path: Path):
    path = tmp_path / "misnamed.json"
    path.write_text('{"text": "One."}\n{"text": "Two."}\n')
    assert [i.source for i in read_all(path)] == [f"{path}:1", f"{path}:2"]


def test_record_lines_over_max_bytes_are_skipped_not_the_file(tmp_path: Path):
    path = tmp_path / "big.jsonl"
    lines = [json.dumps({"text": f"Short record number {n}."}) for n in range(40)]
    lines[5] = json.dumps({"text": "x" * 5000})
    path.write_text("\n".join(lines) + "\n")
    items = read_all(path, max_bytes=1000)  # the file is ~6 kB, over 1000 bytes
    assert len(items) == 40
    assert items[5] == Skipped(
        f"{path}:6", "line is 5013 bytes, over the 0.001 MB limit (--max-bytes)"
    )
    assert all(isinstance(i, RawDocument) for k, i in enumerate(items) if k != 5)


def test_jsonl_is_streamed_not_loaded(tmp_path: Path):
    path = tmp_path / "large.jsonl"
    record = json.dumps({"text": "A record of about one kilobyte. " * 32}) + "\n"
    with path.open("w") as handle:
        for _ in range(10_000):  # ~10 MB
            handle.write(record)
    tracemalloc.start()
    count = sum(1 for _ in iter_inputs([str(path)], max_bytes=2_000_000))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 10_000
    assert peak < 1_000_000  # the file is 10 MB


# -- feeds ---------------------------------------------------------------------------


def test_rss_feed_entries():
    src = fx("feed.rss")
    items = read_all(src)
    assert [i.source for i in items] == [f"{src}#1", f"{src}#2", f"{src}#3"]
    first, empty, third = items
    assert isinstance(first, RawDocument) and first.content_type == "html"
    assert first.url == "https://monitor.example.org/checkpoint"
    assert first.published == "Tue, 15 Feb 2022 10:00:00 GMT"
    assert first.outlet == "Example Border Monitor"
    assert isinstance(empty, Skipped)
    assert isinstance(third, RawDocument) and third.content_type == "text"


def test_atom_feed_prefers_content_over_summary():
    [entry] = read_all(fx("feed.atom"))
    assert isinstance(entry, RawDocument)
    assert "2,500 reservists" in entry.content and "short summary" not in entry.content
    assert entry.published == "2022-02-17T09:00:00Z"
    assert entry.title == "Reservists called up for training"


def test_feed_sniffed_without_extension(tmp_path: Path):
    path = tmp_path / "download"
    path.write_text(RSS)
    assert [i.source for i in read_all(path)] == [f"{path}#1", f"{path}#2"]


def test_xml_that_is_not_a_feed(tmp_path: Path):
    path = tmp_path / "catalog.xml"
    path.write_text('<?xml version="1.0"?><catalog><book>Maps</book></catalog>')
    [item] = read_all(path)
    assert isinstance(item, Skipped) and item.reason.startswith("not a valid RSS/Atom feed")


# -- folders, gzip, paths ------------------------------------------------------------


def test_folder_is_recursive_sorted_and_skips_hidden():
    tree = FIXTURES / "tree"
    items = read_all(tree)
    assert [i.source for i in items] == [
        str(tree / "a.txt"),
        str(tree / "b.txt"),
        str(tree / "sub" / "c.md"),
    ]


def test_gzip_text_file(tmp_path: Path):
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(b"A gzipped story about a bridge."))
    assert read_all(path) == [
        RawDocument(source=str(path), content="A gzipped story about a bridge.")
    ]


def test_truncated_gzip_keeps_records_before_the_damage(tmp_path: Path):
    lines = "".join(json.dumps({"text": f"Record {n} " + "word " * 50}) + "\n" for n in range(200))
    data = gzip.compress(lines.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = read_all(path)
    assert isinstance(items[-1], Skipped)
    assert items[-1].reason.startswith("truncated or corrupt gzip file")
    assert len(items) > 5 and all(isinstance(i, RawDocument) for i in items[:-1])


def test_truncated_gzip_text_file(tmp_path: Path):
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(gzip.compress(b"Some text " * 500)[:30])
    [item] = read_all(path)
    assert isinstance(item, Skipped) and "truncated or corrupt gzip" in item.reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "file holds only whitespace, no text"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (PDF), not text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG image), not text"),
        (b"PK\x03\x04\x14\x00", "binary file (ZIP archive, e.g. DOCX, XLSX or EPUB), not text"),
        (b"plain start\x00\x01\x02 then NUL bytes", "binary file (contains NUL bytes), not text"),
    ],
)
def test_bad_files_are_skipped_with_reason(tmp_path: Path, content: bytes, reason: str):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    assert read_all(path) == [Skipped(str(path), reason)]


def test_binary_record_file_is_skipped(tmp_path: Path):
    path = tmp_path / "data.jsonl"
    path.write_bytes(b"SQLite format 3\x00" + bytes(100))
    assert read_all(path) == [Skipped(str(path), "binary file (SQLite database), not text")]


def test_missing_path_and_the_run_goes_on(tmp_path: Path):
    good = tmp_path / "ok.txt"
    good.write_text("Still read after a missing path.")
    items = read_all(tmp_path / "nope.txt", good)
    assert items[0] == Skipped(str(tmp_path / "nope.txt"), "no such file or folder")
    assert isinstance(items[1], RawDocument)


def test_a_single_path_string_is_one_path():
    assert [i.source for i in iter_inputs(fx("tree/a.txt"))] == [fx("tree/a.txt")]


def test_csv_field_over_max_bytes(tmp_path: Path):
    path = tmp_path / "wide.csv"
    path.write_text("text,title\n" + '"' + "y" * 3000 + '",Wide\n"Short body.",Narrow\n')
    items = read_all(path, max_bytes=1000)
    assert items[0] == Skipped(
        f"{path}:2", "record text is 3000 bytes, over the 0.001 MB limit (--max-bytes)"
    )
    assert isinstance(items[-1], RawDocument) and items[-1].title == "Narrow"


def test_file_over_max_bytes(tmp_path: Path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: instant, no 200 MB written
        handle.truncate(200_000_000)
    assert read_all(path) == [
        Skipped(str(path), "file is 200.0 MB, over the 20 MB limit (--max-bytes)")
    ]


# -- encodings -----------------------------------------------------------------------


def test_cp1252_file(tmp_path: Path):
    text = "The minister’s “firm” reply came from the café in Orléans – twice."
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("cp1252"))
    [item] = read_all(path)
    assert isinstance(item, RawDocument) and item.content == text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_byte_order_marks(tmp_path: Path, encoding: str):
    text = "Київ and Kraków with a BOM."
    path = tmp_path / "bom.txt"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    [item] = read_all(path)
    assert isinstance(item, RawDocument) and item.content == text


def test_mostly_utf8_with_a_few_bad_bytes_is_read(tmp_path: Path):
    good = "Zürich, Kraków and Gdańsk were named. " * 20
    path = tmp_path / "few_bad.txt"
    path.write_bytes(good.encode() + b"a stray \x92 quote")
    [item] = read_all(path)
    assert isinstance(item, RawDocument)
    assert item.content.count("\ufffd") == 1 and item.content.startswith("Zürich")


def test_mixed_encoding_is_skipped(tmp_path: Path):
    path = tmp_path / "mixed.txt"
    path.write_bytes(("Café in UTF-8. ".encode() + "Café in cp1252. ".encode("cp1252")) * 30)
    [item] = read_all(path)
    assert isinstance(item, Skipped) and item.reason.startswith("mixed encoding")


def test_undecodable_bytes_are_skipped(tmp_path: Path):
    noise = random.Random(7).randbytes(4000).replace(b"\x00", b"\x01")
    path = tmp_path / "noise.txt"
    path.write_bytes(noise)
    [item] = read_all(path)
    assert isinstance(item, Skipped)
    assert item.reason.startswith(("undecodable", "mixed encoding"))


# -- URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://news.example.org/nothing",
            Skipped("https://news.example.org/nothing", "HTTP 404 Not Found"),
        ),
        (
            "https://news.example.org/slow",
            Skipped("https://news.example.org/slow", "timed out after 20 s"),
        ),
        (
            "https://news.example.org/report.pdf",
            Skipped("https://news.example.org/report.pdf", "binary content (PDF), not text"),
        ),
    ],
)
def test_url_failures(url: str, expected: Skipped):
    assert read_all(url, client=mock_client(site)) == [expected]


def test_connection_refused():
    [item] = read_all("https://news.example.org/refused", client=mock_client(site))
    assert isinstance(item, Skipped) and item.reason.startswith("could not connect")
    assert "Connection refused" in item.reason


def test_url_page_follows_redirects():
    [item] = read_all("https://news.example.org/moved", client=mock_client(site))
    assert item == RawDocument(
        source="https://news.example.org/moved",
        content=PAGE,
        content_type="html",
        url="https://news.example.org/story-1",
    )


def test_url_plain_text_and_feed():
    items = read_all(
        "https://news.example.org/plain", "https://news.example.org/feed", client=mock_client(site)
    )
    assert [i.source for i in items] == [
        "https://news.example.org/plain",
        "https://news.example.org/feed#1",
        "https://news.example.org/feed#2",
    ]
    assert isinstance(items[0], RawDocument) and items[0].content_type == "text"
    assert isinstance(items[2], RawDocument) and items[2].url == "https://wire.example.org/2"
    assert items[2].outlet == "Mock Wire"


def test_url_list_file():
    items = read_all(fx("urls.txt"), client=mock_client(site))
    assert [type(i).__name__ for i in items] == ["RawDocument", "Skipped"]
    assert items[0].source == "https://news.example.org/story-1"
    assert items[1] == Skipped("https://news.example.org/missing", "HTTP 404 Not Found")


def test_url_list_with_a_bad_line(tmp_path: Path):
    path = tmp_path / "list.urls"
    path.write_text("https://news.example.org/plain\nnot a url\n")
    items = read_all(path, client=mock_client(site))
    assert items[1] == Skipped(f"{path}:2", "not an http(s) URL: 'not a url'")


def test_default_client_settings():
    with default_client(20.0) as client:
        assert client.headers["User-Agent"] == USER_AGENT
        assert client.follow_redirects is True
        assert client.timeout.read == 20.0
