"""A small invented store for the warning tests (hand-made rows, no model), and its checks.

Scenario (all invented; dates in 2030):

- d1 (Alpha News, published 03-01): artillery hits Kharkiv on 03-01, 5 killed.
- d2 (Beta Wire, published 03-02): the same shelling of Kharkiv on 03-01; a
  near copy of d2 by Gamma Post is a second report, not a new source.
- d3 (Alpha News, published 03-03): the defence ministry says troops withdraw.
- d4 (Delta Times, published 03-04): an official says no withdrawal happened
  (negated RETREAT) and that 60,000 troops moved closer to the border near
  Belgorod (MOBILIZE).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tocsin.store import Store

CHECKLISTS = Path(__file__).parent / "fixtures" / "checklists"
KHARKIV = dict(place_name="Kharkiv", geonameid=706483, lat=49.98, lon=36.25,
               admin1="Kharkivska oblast", country="UKR")  # fmt: skip
BELGOROD = dict(place_name="Belgorod", geonameid=578072, lat=50.6, lon=36.6,
                admin1="Belgorodskaya oblast'", country="RUS")  # fmt: skip

DOCS = {
    "d1": ("Alpha News", date(2030, 3, 1)),
    "d2": ("Beta Wire", date(2030, 3, 2)),
    "d3": ("Alpha News", date(2030, 3, 3)),
    "d4": ("Delta Times", date(2030, 3, 4)),
}


def _q(value: float, counts: str) -> str:
    return json.dumps([{"text": "x", "value": value, "unit": None, "counts": counts,
                        "approx": None, "start": 0, "end": 1}])  # fmt: skip


EVENTS: list[dict[str, Any]] = [
    dict(id="e1", doc_id="d1", type="ASSAULT", mode="artillery", date_start=date(2030, 3, 1),
         quantities=_q(5, "person"), sentence="Artillery shelled Kharkiv, killing five people.",
         **KHARKIV),
    dict(id="e2", doc_id="d2", type="ASSAULT", mode="artillery", date_start=date(2030, 3, 1),
         sentence="Shells hit Kharkiv on Monday.", **KHARKIV),
    dict(id="e3", doc_id="d3", type="RETREAT", mode="withdraw", actor="RUS:MIL",
         date_start=date(2030, 3, 3), sentence="The ministry said troops were withdrawing."),
    dict(id="e4", doc_id="d4", type="RETREAT", mode="withdraw", actor="RUS:MIL",
         date_start=date(2030, 3, 4), negated=True,
         sentence="The official said no troops had withdrawn."),
    dict(id="e5", doc_id="d4", type="MOBILIZE", mode="troops", actor="RUS:MIL",
         date_start=date(2030, 3, 4), quantities=_q(60000, "troop"),
         sentence="Some 60,000 troops moved closer to the border near Belgorod.", **BELGOROD),
]  # fmt: skip


def insert_docs(store: Store, doc_ids: list[str]) -> None:
    """Write the documents, their reports and their events (idempotent per document)."""
    con = store.con
    for doc_id in doc_ids:
        if con.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone():
            continue
        outlet, published = DOCS[doc_id]
        con.execute(
            "INSERT INTO documents (id, source, outlet, published, text) VALUES (?, ?, ?, ?, ?)",
            [doc_id, f"{doc_id}.txt", outlet, published, "invented"],
        )
        con.execute(
            "INSERT INTO reports (id, doc_id, kind, source, outlet, published) "
            "VALUES (?, ?, 'original', ?, ?, ?)",
            [f"r-{doc_id}", doc_id, f"{doc_id}.txt", outlet, published],
        )
        if doc_id == "d2":
            con.execute(
                "INSERT INTO reports (id, doc_id, kind, source, outlet, published) "
                "VALUES ('r-copy', 'd2', 'near_copy', 'copy.txt', 'Gamma Post', ?)",
                [published],
            )
        for event in (e for e in EVENTS if e["doc_id"] == doc_id):
            row = {"quantities": "[]", "equipment": "[]", "negated": False, "hedged": False,
                   "start": 0, "end": 10, "trigger_start": 0, **event}  # fmt: skip
            cols = ", ".join(f'"{c}"' for c in row)
            marks = ", ".join("?" * len(row))
            con.execute(f"INSERT INTO events ({cols}) VALUES ({marks})", list(row.values()))


def make_store(path: str = ":memory:", doc_ids: list[str] | None = None) -> Store:
    store = Store.open(path)
    insert_docs(store, doc_ids if doc_ids is not None else list(DOCS))
    return store


@pytest.fixture
def store():
    s = make_store()
    yield s
    s.close()


def test_the_invented_store_has_every_event_and_the_copy(store):
    assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == len(EVENTS)
    kinds = dict(store.con.execute("SELECT kind, count(*) FROM reports GROUP BY 1").fetchall())
    assert kinds == {"original": 4, "near_copy": 1}
