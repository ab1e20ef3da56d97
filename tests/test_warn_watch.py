"""``watch``: each cycle ingests, reports new alerts once, POSTs them via an injected client."""

from __future__ import annotations

import json

import httpx
import pytest
from test_warn_helpers import CHECKLISTS, insert_docs, make_store

from tocsin.warn.backtest import IndexSpec
from tocsin.warn.checklist import load_checklist
from tocsin.warn.watch import WatchSettings, parse_interval, watch


@pytest.mark.parametrize("text,seconds", [("30s", 30), ("10m", 600), ("2h", 7200), ("5", 300)])
def test_intervals(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["soon", "0m", "-1h"])
def test_bad_intervals(text):
    with pytest.raises(ValueError):
        parse_interval(text)


def _settings(url=None):
    return WatchSettings(
        paths=["feed"], checklists=[load_checklist(CHECKLISTS / "good_minimal.yaml")],
        spec=IndexSpec(by="country"), post_url=url,
    )  # fmt: skip


def _batches():
    """Each call of the fake ingest adds the next documents (as a feed would)."""
    pending = [["d1"], ["d2", "d3"], ["d4"]]

    def ingest(paths, store):
        if pending:
            insert_docs(store, pending.pop(0))

    return ingest


def test_watch_posts_each_new_alert_once(tmp_path):
    db = str(tmp_path / "w.duckdb")
    make_store(db, doc_ids=[]).close()
    posted: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        posted.append(json.loads(request.content))
        return httpx.Response(204)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    seen: list[dict] = []
    total = watch(db, _settings("http://alerts.invalid/hook"), 60, times=3, on_alert=seen.append,
                  ingest_fn=_batches(), client=client, sleep=lambda s: None)  # fmt: skip
    assert total == len(seen) == len(posted)
    ids = [a["id"] for a in posted]
    assert len(ids) == len(set(ids))  # never the same alert twice
    messages = [a["message"] for a in posted]
    assert any("Pullback confirmed: partial -> disputed" in m for m in messages)
    assert all(isinstance(a["day"], str) for a in posted)  # JSON-ready
    # A fourth cycle with nothing new reports nothing.
    again = watch(db, _settings("http://alerts.invalid/hook"), 60, times=1,
                  ingest_fn=lambda p, s: None, client=client)  # fmt: skip
    assert again == 0


def test_a_failing_post_is_recorded_and_the_watch_goes_on(tmp_path):
    db = str(tmp_path / "w.duckdb")
    make_store(db, doc_ids=[]).close()
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    total = watch(db, _settings("http://alerts.invalid/hook"), 1, times=2,
                  ingest_fn=_batches(), client=client, sleep=lambda s: None)  # fmt: skip
    assert total > 0
    store = make_store(db, doc_ids=[])
    rows = store.con.execute("SELECT posted_at, post_error FROM warn_alerts").fetchall()
    store.close()
    assert len(rows) == total
    assert all(p is None and "500" in e for p, e in rows)
