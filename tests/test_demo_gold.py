"""The demo corpus against its hand-labelled gold (tests/fixtures/demo_gold.jsonl).

Each gold row is one sentence the corpus author wrote on purpose with one event.
An extracted event matches when it comes from that sentence; among those, the one
of the gold type is scored for actor, place and date. Floors are pinned below the
figures measured when the test was written, so a change that makes extraction
worse fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tocsin.cli_ingest import demo_corpus_path
from tocsin.run import ingest
from tocsin.store import Store

pytestmark = pytest.mark.slow

GOLD = Path(__file__).parent / "fixtures" / "demo_gold.jsonl"
FLOORS = {"found": 0.80, "type": 0.70, "actor": 0.55, "place": 0.40, "date": 0.75}


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict[str, float]:
    db = str(tmp_path_factory.mktemp("gold") / "demo.duckdb")
    with Store.open(db) as store:
        ingest([str(demo_corpus_path())], store)
        gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
        hits = dict.fromkeys(FLOORS, 0)
        for g in gold:
            rows = store.con.execute(
                "SELECT type, actor, place_text, date_start FROM events WHERE sentence = ?",
                [g["sentence"]],
            ).fetchall()
            if not rows:
                continue
            hits["found"] += 1
            typed = [r for r in rows if r[0] == g["type"]]
            hits["type"] += bool(typed)
            _etype, actor, place, day = (typed or rows)[0]
            hits["actor"] += actor == g["actor"]
            if g["place"] is None:
                hits["place"] += place is None
            else:
                hits["place"] += place is not None and g["place"].lower() in place.lower()
            hits["date"] += g["date_start"] is None or str(day) == g["date_start"]
    return {k: v / len(gold) for k, v in hits.items()}


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_demo_gold_floor(scores, measure):
    assert scores[measure] >= FLOORS[measure], f"{measure}: {scores[measure]:.2f}"
