"""The evidence table: built on first read, rebuilt after every kind of write, never stale."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd
import pytest
from test_warn_helpers import insert_docs, make_store

from tocsin.store import Store
from tocsin.warn.escalation import MAGNITUDE_SQL, WEIGHT_SQL, index_series, prepare_evidence
from tocsin.warn.evidence_table import STAMP_TABLE, TABLE, current_table, evidence_changed
from tocsin.warn.regions import Region

D1 = date(2030, 3, 1)
UKR = Region("UKR", countries=("UKR",))
# the 03-01 shelling of Kharkiv: 10 (artillery) * (1 + 0.25 log10(1 + 5 killed))
ONE_SOURCE = 10 * (1 + 0.25 * math.log10(6))
TWO_SOURCES = ONE_SOURCE * 1.5  # k = 1 + 0.5 log2(2)


def d1_index(store: Store) -> float:
    return float(index_series(store, UKR, start=D1, end=D1).loc[0, "index"])


def relink(store: Store, keys: dict[str, str], linked_at: datetime) -> None:
    """What a relink leaves: every situation and claim link replaced, stamped with its time."""
    con = store.con
    con.execute("DELETE FROM situation_claims")
    con.execute("DELETE FROM situations")
    con.execute("INSERT INTO situations (id, status, linked_at) VALUES ('s1', 'corroborated', ?)",
                [linked_at])  # fmt: skip
    for claim, key in keys.items():
        con.execute("INSERT INTO situation_claims VALUES (?, 's1', 'A', ?)", [claim, key])


def test_every_write_is_seen_by_the_next_read(tmp_path):
    path = str(tmp_path / "s.duckdb")
    store = make_store(path, doc_ids=["d1"])
    assert d1_index(store) == pytest.approx(ONE_SOURCE)  # Alpha News alone
    assert store.con.execute(f"SELECT count(*) FROM {TABLE}").fetchone() == (1,)  # e1
    insert_docs(store, ["d2"])  # a new document: Beta Wire reports the same shelling
    assert d1_index(store) == pytest.approx(TWO_SOURCES)
    for cid, event, doc in (("c1", "e1", "d1"), ("c2", "e2", "d2")):
        store.con.execute(
            "INSERT INTO claims (id, doc_id, event_id, speaker, speaker_code, polarity) "
            "VALUES (?, ?, ?, 'the army', 'UKR:MIL', 'asserted')",
            [cid, doc, event],
        )
    assert d1_index(store) == pytest.approx(ONE_SOURCE)  # one speaker through two outlets
    relink(store, {"c1": "K1", "c2": "K2"}, datetime(2030, 3, 5, 10))
    assert d1_index(store) == pytest.approx(TWO_SOURCES)  # the links' source keys count
    # a relink with as many rows as before is still seen (its linked_at is new)
    relink(store, {"c1": "K1", "c2": "K1"}, datetime(2030, 3, 5, 11))
    assert d1_index(store) == pytest.approx(ONE_SOURCE)
    store.close()


def test_a_read_only_store_with_a_stale_table_reads_the_live_evidence(tmp_path):
    path = str(tmp_path / "s.duckdb")
    with make_store(path, doc_ids=["d1", "d2"]) as store:
        table_figure = d1_index(store)
        evidence_changed(store)  # as a command that updates rows in place must
    with Store.open(path, read_only=True) as store:
        assert current_table(store, WEIGHT_SQL, MAGNITUDE_SQL) is None
        assert d1_index(store) == pytest.approx(TWO_SOURCES) == table_figure


def test_the_table_and_the_live_query_give_the_same_series(tmp_path):
    path = str(tmp_path / "s.duckdb")
    with make_store(path) as store:
        store.con.execute(
            "INSERT INTO claims (id, doc_id, event_id, speaker, speaker_code, polarity) "
            "VALUES ('c5', 'd4', 'e5', 'NATO', 'NATO', 'denied')"
        )
        from_table = index_series(store, by="country", start=date(2030, 2, 27))
        evidence_changed(store)
    with Store.open(path, read_only=True) as store:
        live = index_series(store, by="country", start=date(2030, 2, 27))
    pd.testing.assert_frame_equal(from_table, live)
    belgorod = from_table.set_index(["region", "day"]).loc[("RUS", date(2030, 3, 4))]
    assert belgorod["index"] == 0.0  # the denial outweighs the outlet: certainty 0


def test_a_new_formula_rebuilds_the_table():
    store = make_store()
    current_table(store, "1.0", MAGNITUDE_SQL)
    assert store.con.execute(f"SELECT min(weight), max(weight) FROM {TABLE}").fetchone() == (
        1.0, 1.0,
    )  # fmt: skip
    assert d1_index(store) == pytest.approx(TWO_SOURCES)  # the real weights again
    assert store.con.execute(f"SELECT count(*) FROM {STAMP_TABLE}").fetchone() == (1,)
    store.close()


def test_a_writer_can_prepare_the_table_for_read_only_readers(tmp_path):
    path = str(tmp_path / "s.duckdb")
    with make_store(path, doc_ids=["d1", "d2"]) as store:
        assert prepare_evidence(store)  # e.g. at the end of an ingest
    with Store.open(path, read_only=True) as store:
        assert current_table(store, WEIGHT_SQL, MAGNITUDE_SQL) == TABLE
        assert prepare_evidence(store)  # current: nothing to build, True
        assert d1_index(store) == pytest.approx(TWO_SOURCES)


def test_a_caller_inside_its_own_transaction_reads_the_live_evidence(tmp_path):
    store = make_store(str(tmp_path / "s.duckdb"), doc_ids=["d1"])
    store.con.execute("BEGIN TRANSACTION")
    insert_docs(store, ["d2"])  # not committed yet: the table cannot be rebuilt here
    assert current_table(store, WEIGHT_SQL, MAGNITUDE_SQL) is None
    assert d1_index(store) == pytest.approx(TWO_SOURCES)  # sees its own writes
    store.con.execute("COMMIT")  # the caller's transaction was left alone
    assert d1_index(store) == pytest.approx(TWO_SOURCES)
    assert current_table(store, WEIGHT_SQL, MAGNITUDE_SQL) == TABLE
    store.close()
