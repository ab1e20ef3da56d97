"""``/api/situations/{id}``: one situation with its claims, by key lookups or an id prefix."""

from __future__ import annotations

import warnings
from datetime import datetime

import pytest
from test_warn_helpers import make_store

from tocsin.api import create_app
from tocsin.api.routes_claims import deep_plain
from tocsin.claims_store import query_situations

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette prefers httpx2 for TestClient
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("sit") / "s.duckdb")
    with make_store(path) as store:
        con = store.con
        # c1 (d1, published 03-01) and c2 (d2, 03-02) in situation sA1; c9 names an
        # event the store lacks, so it is left out like the general query leaves it
        for cid, doc, event, polarity in (("c2", "d2", "e2", "denied"),
                                          ("c1", "d1", "e1", "asserted"),
                                          ("c9", "d1", "e-missing", "asserted")):  # fmt: skip
            con.execute(
                "INSERT INTO claims (id, doc_id, event_id, type, speaker, speaker_type, "
                "polarity, hedged, evidence_kinds, quote) "
                "VALUES (?, ?, ?, 'ASSAULT', 'the army', 'military', ?, false, 'photo', 'q')",
                [cid, doc, event, polarity],
            )
        for sid in ("sA1", "sA2"):
            con.execute(
                "INSERT INTO situations (id, status, n_claims, linked_at) "
                "VALUES (?, 'contradicted', 2, ?)",
                [sid, datetime(2030, 3, 5, 9, 30)],
            )
        for cid, side in (("c1", "A"), ("c2", "B"), ("c9", "A")):
            con.execute("INSERT INTO situation_claims VALUES (?, 'sA1', ?, 'k')", [cid, side])
        expected = deep_plain(query_situations(store, situation_id="sA1").to_dict("records")[0])
    with TestClient(create_app(path)) as c:
        c.expected = expected  # type: ignore[attr-defined]
        yield c


def test_a_situation_by_its_id_lists_its_claims_oldest_first(client):
    body = client.get("/api/situations/sA1").json()
    assert body["id"] == "sA1" and body["status"] == "contradicted"
    assert body["linked_at"] == "2030-03-05"
    assert [(c["id"], c["side"], c["published"], c["outlet"]) for c in body["claims"]] == [
        ("c1", "A", "2030-03-01", "Alpha News"),
        ("c2", "B", "2030-03-02", "Beta Wire"),
    ]  # c9's event is not in the store
    assert body["claims"][1]["polarity"] == "denied"
    assert body["claims"][0]["evidence"] == "photo"
    assert body == client.expected


def test_an_ambiguous_prefix_or_an_unknown_id_is_404(client):
    assert client.get("/api/situations/sA").status_code == 404  # sA1 and sA2
    assert client.get("/api/situations/nothing").status_code == 404
    assert client.get("/api/situations/sA2").json()["claims"] == []
