"""Writing through the API: the token, size limits, malformed records, the watcher."""

from __future__ import annotations

import warnings

import pytest
from click.testing import CliRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette prefers httpx2 for TestClient
    from fastapi.testclient import TestClient

from tocsin.api import create_app
from tocsin.api.watch import Watcher
from tocsin.cli_serve import serve

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = {
    "title": "Border guards report convoy near Zhytomyr",
    "published": "2026-10-03",
    "outlet": "Test Herald",
    "text": "Ukrainian border guards said on Friday that a convoy of 40 trucks moved "
    "toward Zhytomyr. The Defence Ministry of Ukraine condemned the drills.",
}


def counts(client) -> tuple[int, int, int]:
    con = client.app.state.handle.store.con.cursor()
    return tuple(  # type: ignore[return-value]
        con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("documents", "reports", "skipped")
    )


@pytest.fixture()
def client(tmp_path):
    with TestClient(
        create_app(str(tmp_path / "w.duckdb"), token=TOKEN, max_upload_bytes=4000)
    ) as c:
        yield c


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": "Basic x"}],
)
def test_wrong_or_missing_token_gets_401_and_changes_nothing(client, headers):
    before = counts(client)
    response = client.post("/api/documents", json=ARTICLE, headers=headers)
    assert response.status_code == 401
    assert "token" in response.json()["error"]
    assert counts(client) == before


def test_server_without_token_refuses_writes(tmp_path):
    with TestClient(create_app(str(tmp_path / "r.duckdb"))) as c:
        response = c.post("/api/documents", json=ARTICLE, headers=AUTH)
        assert response.status_code == 403
        assert "--token" in response.json()["error"]


def test_oversized_upload_gets_413_and_changes_nothing(client):
    before = counts(client)
    big = {**ARTICLE, "text": "word " * 2000}
    response = client.post("/api/documents", json=big, headers=AUTH)
    assert response.status_code == 413
    assert "limit of 4,000 bytes" in response.json()["error"]
    assert counts(client) == before


def test_malformed_records_are_reported_and_kept_aside(client):
    body = "\n".join(['{"title": "no text here"}', "{not json", '["a list"]', '{"text": "   "}'])
    response = client.post(
        "/api/documents", content=body, headers={**AUTH, "Content-Type": "application/x-ndjson"}
    )
    assert response.status_code == 200
    summary = response.json()
    assert summary["skipped"] == 4 and summary["documents"] == 0
    reasons = [s["reason"] for s in summary["skip_reasons"]]
    assert "no text field" in reasons[0]
    assert reasons[1].startswith("invalid JSON")
    assert "JSON list" in reasons[2]
    assert "empty text field" in reasons[3]
    assert [s["source"].rsplit(":", 1)[1] for s in summary["skip_reasons"]] == ["1", "2", "3", "4"]
    assert counts(client) == (0, 0, 4)


def test_empty_body_is_reported(client):
    response = client.post("/api/documents", content=b"", headers=AUTH)
    assert response.status_code == 200
    assert "empty body" in response.json()["skip_reasons"][0]["reason"]


@pytest.mark.slow
def test_posted_documents_are_ingested_once(client):
    records = [ARTICLE, {"headline": "missing body"}]
    first = client.post("/api/documents", json=records, headers=AUTH).json()
    assert (first["documents"], first["skipped"]) == (1, 1)
    assert first["events"] >= 1
    again = client.post("/api/documents", json=records, headers=AUTH).json()
    assert again["documents"] == 0 and again["already_ingested"] == 1
    assert counts(client)[:2] == (1, 1)
    doc = client.get("/api/documents").json()["items"][0]
    assert doc["title"] == ARTICLE["title"] and doc["events"] == first["events"]


def test_watcher_ingests_a_folder_inside_the_server(client, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "bad.jsonl").write_text('{"title": "no text"}\n', encoding="utf-8")
    watcher = Watcher(client.app.state.handle, [str(inbox)], interval=3600)
    summary = watcher.run_once()
    assert summary.skipped == 1
    assert counts(client)[2] == 1
    assert watcher.run_once().skipped == 1  # a second pass stores nothing new
    assert counts(client)[2] == 1


def test_serve_help_shows_the_loopback_default_and_the_token():
    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "--token" in result.output
    assert "--watch" in result.output


def test_serve_on_a_locked_store_says_who_holds_it(client, tmp_path):
    path = client.app.state.handle.path
    code = (
        "from click.testing import CliRunner\n"
        "from tocsin.cli_serve import serve\n"
        f"r = CliRunner().invoke(serve, ['--db', {path!r}, '--port', '0'])\n"
        "print(r.exit_code, r.output)\n"
    )
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("1 ")
    assert "store in use by" in done.stdout


def test_cached_answers_follow_a_write(client):
    """Totals, stats and timelines are cached; a write through the server drops them."""
    before = client.get("/api/stats").json()
    assert client.get("/api/index").json()["items"] == []  # builds an empty evidence table
    listed = client.get("/api/documents").json()["total"]
    events = client.get("/api/events", params={"limit": 1}).json()["total"]
    assert client.get("/api/stats").json() == before  # served again, unchanged
    assert client.post("/api/documents", json=ARTICLE, headers=AUTH).status_code == 200
    after = client.get("/api/stats").json()
    assert after["documents"] == before["documents"] + 1
    assert after["events"] > before["events"]
    assert client.get("/api/documents").json()["total"] == listed + 1
    assert (
        client.get("/api/events", params={"limit": 1}).json()["total"] == after["events"] > events
    )
    days = client.get("/api/events/timeline").json()["items"]
    assert sum(d["events"] for d in days) == after["events"]
    # the index answer and the evidence table behind it follow the write too
    index = client.get("/api/index").json()["items"]
    assert sum(d["n_events"] or 0 for d in index) == after["events"]
