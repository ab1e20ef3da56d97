"""Situations: grouping claims across documents and deciding their status.

Claims are built by hand as rows (no spaCy), in an invented crisis; expected
groups and statuses were worked out from the rules in tocsin/link.py.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from tocsin.claims_store import (
    claim_row,
    query_situations,
    write_claims,
    write_situations,
)
from tocsin.link import FRAME_COLUMNS, link_claims, source_key
from tocsin.models import Claim, Evidence, Span
from tocsin.store import Store

VALUYKI = (50.21, 38.10)
KHERSON = (46.64, 32.61)


def row(id_: str, type_: str, polarity: str, speaker: str, outlet: str, **kw) -> dict:
    base = dict(
        id=id_, doc_id=f"doc-{outlet}", type=type_, polarity=polarity, speaker=speaker,
        speaker_code=None, speaker_type="other", quote="", trigger="", actor=None,
        place_name=None, lat=None, lon=None, country=None, date_start="2026-11-04",
        date_end="2026-11-04", outlet=outlet,
    )  # fmt: skip
    base.update(kw)
    return base


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=FRAME_COLUMNS)


DEPOT = dict(
    quote="drones hit a fuel depot in Valuyki", trigger="hit", place_name="Valuyki",
    lat=VALUYKI[0], lon=VALUYKI[1], country="RUS", date_start="2026-10-15",
    date_end="2026-10-15",
)  # fmt: skip
WITHDRAW = dict(quote="units are returning to their bases after drills", trigger="returning",
                actor="RUS:MIL")  # fmt: skip
MINISTRY = dict(speaker_code="RUS:MIL", speaker_type="military")


def status_of(situations, claim_id: str) -> str:
    return next(s.status for s in situations if claim_id in s.claim_ids)


def test_three_independent_outlets_corroborate():
    sits = link_claims(
        frame(
            row("a", "ASSAULT", "asserted", "the regional governor", "Kyiv Ledger", **DEPOT),
            row("b", "ASSAULT", "asserted", "author", "Baltic Wire", **DEPOT),
            row("c", "ASSAULT", "asserted", "local residents", "Continental Desk", **DEPOT),
        )
    )
    assert len(sits) == 1 and sits[0].status == "corroborated"
    assert sits[0].n_outlets == 3


def test_same_outlet_twice_is_not_independent():
    sits = link_claims(
        frame(
            row("a", "ASSAULT", "asserted", "the regional governor", "Kyiv Ledger", **DEPOT),
            row("b", "ASSAULT", "asserted", "local residents", "Kyiv Ledger", **DEPOT),
        )
    )
    assert [s.status for s in sits] == ["single-source"]


def test_a_party_repeating_its_own_claim_is_one_source():
    rows = [
        row(x, "RETREAT", "asserted", "Russia's Defence Ministry", o, **MINISTRY, **WITHDRAW)
        for x, o in (("a", "Northern Observer"), ("b", "Danube Daily"), ("c", "Baltic Wire"))
    ]
    sits = link_claims(frame(*rows))
    assert [s.status for s in sits] == ["single-source"]
    assert set(sits[0].source_keys.values()) == {"self:RUS"}


def test_denial_contradicts_the_withdrawal():
    sits = link_claims(
        frame(
            row("a", "RETREAT", "asserted", "Russia's Defence Ministry", "Northern Observer",
                **MINISTRY, **WITHDRAW),
            row("b", "RETREAT", "asserted", "Russia's Defence Ministry", "Danube Daily",
                **MINISTRY, **WITHDRAW),
            row("c", "RETREAT", "denied", "a U.S. official", "Atlantic Courier",
                speaker_code="USA:GOV", speaker_type="official_anonymous", **WITHDRAW),
            row("d", "RETREAT", "uncertain", "NATO", "Baltic Wire", speaker_code="NATO",
                speaker_type="international_org", **WITHDRAW),
        )
    )  # fmt: skip
    assert len(sits) == 1
    s = sits[0]
    assert s.status == "contradicted"
    assert s.sides == {"a": "A", "b": "A", "c": "B", "d": "neutral"}


def test_a_party_stands_on_one_side_even_when_its_statements_were_typed_two_ways():
    # the ministry's "returning to bases" typed once as MOBILIZE (incompatible with
    # RETREAT) must not put the ministry against its own account
    sits = link_claims(
        frame(
            row("a", "RETREAT", "asserted", "Russia's Defence Ministry", "Northern Observer",
                **MINISTRY, **WITHDRAW),
            row("b", "RETREAT", "asserted", "Russia's Defence Ministry", "Danube Daily",
                **MINISTRY, **WITHDRAW),
            row("m", "MOBILIZE", "asserted", "Russia's Defence Ministry", "Baltic Wire",
                **MINISTRY, **WITHDRAW),
            row("c", "RETREAT", "denied", "a U.S. official", "Atlantic Courier",
                speaker_code="USA:GOV", speaker_type="official_anonymous", **WITHDRAW),
        )
    )  # fmt: skip
    assert len(sits) == 1
    assert sits[0].sides == {"a": "A", "b": "A", "m": "A", "c": "B"}
    assert sits[0].status == "contradicted"


def test_the_reference_account_is_the_type_most_claims_speak_of():
    # the first asserted claim is a mistyped MOBILIZE; RETREAT is what the ministry
    # asserts and the official denies, so it is the reference: ministry A, official B
    sits = link_claims(
        frame(
            row("m", "MOBILIZE", "asserted", "Russia's Defence Ministry", "Northern Observer",
                **MINISTRY, **WITHDRAW),
            row("a", "RETREAT", "asserted", "Russia's Defence Ministry", "Northern Observer",
                **MINISTRY, **WITHDRAW),
            row("c", "RETREAT", "denied", "a U.S. official", "Atlantic Courier",
                speaker_code="USA:GOV", speaker_type="official_anonymous", **WITHDRAW),
        )
    )  # fmt: skip
    assert len(sits) == 1
    assert sits[0].sides == {"m": "A", "a": "A", "c": "B"}
    assert sits[0].status == "contradicted"


def test_incompatible_event_contradicts():
    moved = dict(WITHDRAW, quote="units moved closer to the border, not returning to bases")
    sits = link_claims(
        frame(
            row("a", "RETREAT", "asserted", "Russia's Defence Ministry", "Northern Observer",
                **MINISTRY, **WITHDRAW),
            row("b", "MOBILIZE", "asserted", "a U.S. official", "Atlantic Courier",
                speaker_code="USA:GOV", speaker_type="official_anonymous", **moved),
        )
    )  # fmt: skip
    assert [s.status for s in sits] == ["contradicted"]
    assert sits[0].sides == {"a": "A", "b": "B"}


def test_both_sides_corroborated_is_disputed():
    sits = link_claims(
        frame(
            row("a", "ASSAULT", "asserted", "the regional governor", "Kyiv Ledger", **DEPOT),
            row("b", "ASSAULT", "asserted", "local residents", "Baltic Wire", **DEPOT),
            row("c", "ASSAULT", "denied", "the army", "Danube Daily", **DEPOT),
            row("d", "ASSAULT", "denied", "a monitoring group", "Vistula Times", **DEPOT),
        )
    )
    assert [s.status for s in sits] == ["disputed"]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (dict(lat=KHERSON[0], lon=KHERSON[1], place_name="Kherson"), "far apart"),
        (dict(date_start="2026-12-20", date_end="2026-12-20"), "weeks apart"),
        (dict(type="CONSULT", quote="talks in Geneva", trigger="talks"), "other family"),
    ],
)
def test_not_linked(change, why):
    other = row("b", "ASSAULT", "asserted", "author", "Baltic Wire", **DEPOT)
    other.update(change)
    sits = link_claims(
        frame(row("a", "ASSAULT", "asserted", "a governor", "Kyiv Ledger", **DEPOT), other)
    )
    assert len(sits) == 2, why


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        (row("a", "RETREAT", "asserted", "author", "Baltic Wire"), "outlet:Baltic Wire"),
        (row("a", "RETREAT", "asserted", "x", "o", speaker_code="RUS:GOV",
             speaker_type="government", actor="RUS:MIL"), "self:RUS"),
        (row("a", "RETREAT", "asserted", "x", "o", speaker_code="USA:GOV",
             speaker_type="government", actor="RUS:MIL"), "code:USA:GOV"),
        (row("a", "ASSAULT", "asserted", "The regional governor", "o"), "name:regional governor"),
    ],
)  # fmt: skip
def test_source_key(claim, expected):
    assert source_key(claim) == expected


def test_pair_across_a_week_boundary_links_whatever_the_row_order():
    # weeks start on Thursday (1970-01-01); Wednesday 2026-11-04 and Thursday
    # 2026-11-05 are in two weeks. The later-week claim may come first in the
    # frame (published earlier); the pair must be scored either way.
    wed = row(
        "w",
        "ASSAULT",
        "asserted",
        "a governor",
        "Kyiv Ledger",
        **{**DEPOT, "date_start": "2026-11-04", "date_end": "2026-11-04"},
    )
    thu = row("t", "ASSAULT", "asserted", "residents", "Baltic Wire",
              **{**DEPOT, "date_start": "2026-11-05", "date_end": "2026-11-05"})  # fmt: skip
    for order in ((wed, thu), (thu, wed)):
        sits = link_claims(frame(*order))
        assert [sorted(s.claim_ids) for s in sits] == [["t", "w"]]


def test_group_rows_keep_the_frame_order():
    # a situation lists its claims in frame order (publication, document,
    # sentence, claim id), not sorted by id: "z" before "a"
    sits = link_claims(
        frame(
            row("z", "RETREAT", "asserted", "Russia's Defence Ministry", "Northern Observer",
                **MINISTRY, **WITHDRAW),
            row("a", "RETREAT", "denied", "a U.S. official", "Atlantic Courier",
                speaker_code="USA:GOV", speaker_type="official_anonymous", **WITHDRAW),
        )
    )  # fmt: skip
    assert [s.claim_ids for s in sits] == [("z", "a")]
    assert sits[0].sides == {"z": "A", "a": "B"}


def test_components_fold_edges_into_a_forest(monkeypatch):
    import tocsin.link

    edges = [(np.array([0, 1]), np.array([1, 2])), (np.array([4]), np.array([5])),
             (np.array([2]), np.array([0]))]  # fmt: skip
    for buffer in (1, 1000):  # folded after every slice, or never
        monkeypatch.setattr(tocsin.link, "EDGE_BUFFER", buffer)
        labels = tocsin.link.components(6, iter(edges)).tolist()
        groups = {frozenset(i for i in range(6) if labels[i] == lab) for lab in labels}
        assert groups == {frozenset({0, 1, 2}), frozenset({3}), frozenset({4, 5})}


def test_empty_frame_gives_no_situation():
    assert link_claims(frame()) == []


def test_scales_by_blocking():
    rng = np.random.default_rng(0)
    n = 10_000
    types = np.array(["ASSAULT", "MOBILIZE", "RETREAT", "CONSULT", "THREATEN"])
    days = pd.to_datetime("2026-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    rows = [
        row(f"c{i}", str(types[i % 5]), "asserted", "author", f"outlet{i % 40}",
            quote=f"word{rng.integers(0, 500)} word{rng.integers(0, 500)} attack",
            lat=45 + rng.random() * 10, lon=25 + rng.random() * 15,
            date_start=str(days[i].date()), date_end=str(days[i].date()))
        for i in range(n)
    ]  # fmt: skip
    started = time.perf_counter()
    sits = link_claims(frame(*rows))
    assert time.perf_counter() - started < 30
    assert sum(len(s.claim_ids) for s in sits) == n


def _claim(cid: str, event_id: str) -> Claim:
    quote = Span(0, 5, "Units")
    return Claim(
        id=cid, doc_id="d1", event_id=event_id, type="RETREAT", speaker="the ministry",
        speaker_type="military", quote=quote, polarity="asserted", speaker_code="RUS:MIL",
        hedges=("reportedly",), hedged=True,
        evidence=(Evidence(0, 5, "Units", kind="video", by="RUS:MIL", own=True),),
    )  # fmt: skip


def test_store_round_trip():
    with Store.open(":memory:") as store:
        assert store.schema_version() >= 2  # the claims tables come with the store
        write_claims(store, [_claim("c1", "e1"), _claim("c2", "e2")])
        write_claims(store, [_claim("c1", "e1")])  # idempotent
        found = store.con.execute(
            "SELECT count(*), min(evidence_kinds), bool_and(own_evidence) FROM claims"
        ).fetchone()
        assert found == (2, "video", True)
        assert claim_row(_claim("c1", "e1"))["hedges"] == '["reportedly"]'


def test_situations_replace_previous_ones():
    with Store.open(":memory:") as store:
        sits = link_claims(
            frame(
                row("a", "ASSAULT", "asserted", "a governor", "Kyiv Ledger", **DEPOT),
                row("b", "ASSAULT", "asserted", "residents", "Baltic Wire", **DEPOT),
            )
        )
        write_situations(store, sits)
        write_situations(store, sits)
        assert store.con.execute("SELECT count(*) FROM situations").fetchone() == (1,)
        assert store.con.execute("SELECT count(*) FROM situation_claims").fetchone() == (2,)
        frame_ = query_situations(store, status="corroborated")
        assert list(frame_["status"]) == ["corroborated"]


def test_demo_corpus_has_corroborated_and_contradicted_situations(tmp_path):
    import tocsin
    from tocsin.cli_ingest import demo_corpus_path

    db = str(tmp_path / "demo.duckdb")
    summary = tocsin.ingest([str(demo_corpus_path())], db=db)  # claims and links on ingest
    assert summary.situations > 0
    with Store.open(db) as store:
        assert store.con.execute("SELECT count(*) FROM claims").fetchone()[0] > 100
        sits = query_situations(store)
    withdrawal = [
        s for _, s in sits.iterrows()
        if s["status"] == "contradicted"
        and any(c["type"] == "RETREAT" and "Defence Ministry" in c["speaker"] for c in s["claims"])
    ]  # fmt: skip
    assert withdrawal, "the claimed withdrawal is not contradicted"
    valuyki = sits[(sits["status"] == "corroborated") & (sits["place_name"] == "Valuyki")]
    assert len(valuyki) >= 1
    assert valuyki.iloc[0]["n_outlets"] >= 2
