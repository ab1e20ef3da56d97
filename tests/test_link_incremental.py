"""The incremental relink (tocsin/relink.py) gives the situations a full relink gives.

Claims are written straight into the store tables (documents, events, claims)
with invented text, so no spaCy is needed except in the end-to-end test, which
ingests the demo articles in three runs.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd
import pytest

from tocsin.claims_store import relink
from tocsin.store import Store

# weeks of linking start on a Thursday (day 0 = 1970-01-01); 2026-11-05 starts week 2966
WEEK = date(2026, 11, 5)
PLACES = [("Valuyki", 50.21, 38.10, "RUS"), ("Urazovo", 50.08, 38.04, "RUS"),
          ("Kherson", 46.64, 32.61, "UKR")]  # fmt: skip
WORDS = ["drones", "depot", "shelling", "convoy", "troops", "border", "market", "bridge"]
SPEAKERS = [
    ("Russia's Defence Ministry", "RUS:MIL", "military"),
    ("a U.S. official", "USA:GOV", "official_anonymous"),
    ("author", None, "author"),
    ("local residents", None, "other"),
    ("NATO", "NATO", "international_org"),
]


def put(store: Store, claims: list[dict]) -> None:
    """Write documents, events and claims for rows of ``claim()``."""
    con = store.con
    docs = {c["doc_id"]: (c["doc_id"], "test", c["outlet"], c["published"]) for c in claims}
    con.executemany(
        "INSERT INTO documents (id, source, outlet, published) VALUES (?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        list(docs.values()),
    )
    con.executemany(
        "INSERT INTO events (id, doc_id, type, trigger, start, actor, place_name, lat, lon, "
        "country, date_start, date_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(f"e-{c['id']}", c["doc_id"], c["type"], c["trigger"], c["start"], c["actor"],
          c["place_name"], c["lat"], c["lon"], c["country"], c["date_start"], c["date_end"])
         for c in claims],
    )  # fmt: skip
    con.executemany(
        "INSERT INTO claims (id, doc_id, event_id, type, polarity, speaker, speaker_code, "
        "speaker_type, quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(c["id"], c["doc_id"], f"e-{c['id']}", c["type"], c["polarity"], c["speaker"],
          c["speaker_code"], c["speaker_type"], c["quote"]) for c in claims],
    )  # fmt: skip


def claim(id_: str, doc: str, type_: str, quote: str, day: date | None, **kw) -> dict:
    base = dict(
        id=id_, doc_id=doc, type=type_, quote=quote, trigger="", start=0, actor=None,
        place_name=None, lat=None, lon=None, country=None, date_start=day, date_end=day,
        polarity="asserted", speaker="author", speaker_code=None, speaker_type="author",
        outlet=f"outlet-{doc}", published=day,
    )  # fmt: skip
    base.update(kw)
    return base


def snapshot(store: Store) -> tuple[set, set]:
    """The situations table (without ``linked_at``) and the claim links, as sets."""
    sits = store.con.execute(
        "SELECT id, status, family, types, n_claims, n_sources, n_outlets, date_start, "
        "date_end, place_name, country, lat, lon FROM situations"
    ).fetchall()
    links = store.con.execute(
        "SELECT claim_id, situation_id, side, source_key FROM situation_claims"
    ).fetchall()
    return set(sits), set(links)


def members(store: Store) -> dict[str, set[str]]:
    rows = store.con.execute("SELECT situation_id, claim_id FROM situation_claims").fetchall()
    out: dict[str, set[str]] = {}
    for sit, cid in rows:
        out.setdefault(sit, set()).add(cid)
    return out


def test_new_claim_bridges_two_situations_and_brings_their_other_weeks():
    # a (week w+1) and d (week w+2) are one situation: a's dates reach d's day.
    # b (week w) stands alone: no shared word with a. c (week w) shares words with
    # a and with b, so the second run must merge {a, d} and {b} with c, d included
    # although it lies outside the weeks c can pair with (w-1 .. w+1).
    w1 = WEEK  # week w+1 starts; week w is the seven days before
    a = claim("a", "d1", "ASSAULT", "drones hit depot", w1 + timedelta(6))
    d = claim("d", "d2", "ASSAULT", "drones hit depot", w1 + timedelta(7))
    b = claim("b", "d3", "ASSAULT", "shelling killed civilians", w1 - timedelta(1))
    c = claim("c", "d4", "ASSAULT", "drones hit depot shelling killed civilians",
              w1 - timedelta(1), date_end=w1 + timedelta(6))  # fmt: skip
    with Store.open(":memory:") as store:
        put(store, [a, b, d])
        assert relink(store) == 2
        assert sorted(map(sorted, members(store).values())) == [["a", "d"], ["b"]]
        put(store, [c])
        assert relink(store) == 1
        assert sorted(map(sorted, members(store).values())) == [["a", "b", "c", "d"]]
        incremental = snapshot(store)
        relink(store, full=True)
        assert snapshot(store) == incremental


def test_untouched_situations_are_not_rewritten():
    far = claim("far", "d1", "ASSAULT", "convoy border", WEEK - timedelta(30))
    near = claim("near", "d2", "ASSAULT", "convoy border", WEEK)
    with Store.open(":memory:") as store:
        put(store, [far])
        relink(store)
        before = store.con.execute("SELECT id, linked_at FROM situations").fetchall()
        put(store, [near])
        assert relink(store) == 2
        after = dict(store.con.execute("SELECT id, linked_at FROM situations").fetchall())
        assert after[before[0][0]] == before[0][1]  # same row, same time of linking


def test_nothing_new_changes_nothing():
    with Store.open(":memory:") as store:
        put(store, [claim("x", "d1", "CONSULT", "talks", WEEK)])
        assert relink(store) == 1
        stamp = store.con.execute("SELECT linked_at FROM situations").fetchall()
        assert relink(store) == 1
        assert store.con.execute("SELECT linked_at FROM situations").fetchall() == stamp


def random_claims(rng: random.Random, n_docs: int) -> list[dict]:
    """Claims of invented documents around week boundaries, some undated, with
    few words so that many pairs link."""
    out = []
    for k in range(n_docs):
        doc = f"doc{k:03d}"
        published = None if rng.random() < 0.1 else WEEK + timedelta(rng.randint(-10, 10))
        outlet = f"outlet{rng.randint(0, 4)}"
        for j in range(rng.randint(1, 4)):
            day = None if rng.random() < 0.15 else WEEK + timedelta(rng.randint(-9, 9))
            end = day + timedelta(rng.choice([0, 0, 1, 4])) if day else None
            place = rng.choice([None, None, *PLACES])
            speaker = rng.choice(SPEAKERS)
            out.append(
                claim(
                    f"{doc}-c{j}", doc, rng.choice(["ASSAULT", "COERCE", "MOBILIZE", "RETREAT",
                                                    "CONSULT"]),
                    " ".join(rng.sample(WORDS, 3)), day, date_end=end,
                    start=rng.choice([0, 0, 120]),  # same sentence: the claim id orders
                    actor=rng.choice([None, "RUS:MIL", "UKR:MIL"]),
                    place_name=place[0] if place else None, lat=place[1] if place else None,
                    lon=place[2] if place else None, country=place[3] if place else None,
                    polarity=rng.choice(["asserted", "asserted", "denied", "uncertain"]),
                    speaker=speaker[0], speaker_code=speaker[1], speaker_type=speaker[2],
                    outlet=outlet, published=published,
                )
            )  # fmt: skip
    return out


def test_incremental_equals_full_on_random_claims():
    merged = undated = across_weeks = 0  # what the seeds exercised, checked at the end
    for seed in range(12):
        rng = random.Random(seed)
        claims = random_claims(rng, 40)
        by_doc: dict[str, list[dict]] = {}
        for c in claims:
            by_doc.setdefault(c["doc_id"], []).append(c)
        docs = list(by_doc)
        rng.shuffle(docs)
        with Store.open(":memory:") as store:
            for run in (docs[:20], docs[20:32], docs[32:]):  # three ingests
                before = members(store)
                put(store, [c for d in run for c in by_doc[d]])
                relink(store)
                old_of = {cid: sit for sit, ids in before.items() for cid in ids}
                merged += sum(
                    len({old_of[c] for c in ids if c in old_of}) >= 2
                    for ids in members(store).values()
                )
            incremental = snapshot(store)
            assert len(incremental[1]) == len(claims), seed  # every claim is linked
            relink(store, full=True)
            assert snapshot(store) == incremental, seed
            day = {c["id"]: c["date_start"] for c in claims}
            for ids in members(store).values():
                days = [day[c] for c in ids]
                undated += len(ids) > 1 and None in days
                weeks = {(d - date(1970, 1, 1)).days // 7 for d in days if d}
                across_weeks += len(weeks) > 1
    assert merged > 0 and undated > 0 and across_weeks > 0


def test_claims_of_a_killed_run_are_linked_by_the_next():
    rng = random.Random(99)
    claims = random_claims(rng, 30)
    first, killed, last = claims[:30], claims[30:60], claims[60:]
    with Store.open(":memory:") as store:
        put(store, first)
        relink(store)
        put(store, killed)  # written, then the run died before linking
        unlinked = store.con.execute(
            "SELECT count(*) FROM claims WHERE id NOT IN (SELECT claim_id FROM situation_claims)"
        ).fetchone()
        assert unlinked == (len(killed),)
        put(store, last)
        relink(store)
        incremental = snapshot(store)
        assert len(incremental[1]) == len(claims)
        relink(store, full=True)
        assert snapshot(store) == incremental


def test_demo_articles_in_three_runs_equal_a_full_relink(tmp_path, monkeypatch):
    import tocsin
    import tocsin.run
    from tocsin.cli_ingest import demo_corpus_path

    lines = demo_corpus_path().read_text(encoding="utf-8").splitlines()
    parts = [lines[:10], lines[10:20], lines[20:]]
    paths = []
    for k, part in enumerate(parts):
        path = tmp_path / f"part{k}.jsonl"
        path.write_text("\n".join(part) + "\n", encoding="utf-8")
        paths.append(str(path))
    db = str(tmp_path / "demo.duckdb")

    def killed(store, **kw):
        raise RuntimeError("killed before linking")

    with monkeypatch.context() as patch:
        patch.setattr(tocsin.run, "relink", killed)
        with pytest.raises(RuntimeError):
            tocsin.ingest([paths[0]], db=db)
    tocsin.ingest([paths[1]], db=db)  # links its own claims and those left by the first run
    with Store.open(db) as store:
        assert store.con.execute(
            "SELECT count(*) FROM claims WHERE id NOT IN (SELECT claim_id FROM situation_claims)"
        ).fetchone() == (0,)
    tocsin.ingest([paths[2]], db=db)
    with Store.open(db) as store:
        incremental = snapshot(store)
        n_claims = store.con.execute("SELECT count(*) FROM claims").fetchone()[0]
        assert n_claims > 100 and len(incremental[1]) == n_claims
        relink(store, full=True)
        assert snapshot(store) == incremental
        assert pd.Series([s[1] for s in incremental[0]]).isin(["contradicted"]).any()


def _split_apart(store: Store) -> None:
    """Store the situations an older linker might have left: every claim alone."""
    store.con.execute("DELETE FROM situations")
    store.con.execute("UPDATE situation_claims SET situation_id = 'old-' || claim_id, side = 'A'")
    store.con.execute(
        "INSERT INTO situations (id, status, n_claims) "
        "SELECT situation_id, 'single-source', 1 FROM situation_claims"
    )


def test_situations_of_older_linking_rules_are_relinked_in_full():
    from tocsin.link import RULES_VERSION

    pair = [claim("p", "d1", "ASSAULT", "drones hit depot", WEEK),
            claim("q", "d2", "ASSAULT", "drones hit depot", WEEK)]  # fmt: skip
    with Store.open(":memory:") as store:
        put(store, pair)
        assert relink(store) == 1  # the rules join the two reports
        assert store.con.execute("SELECT version FROM link_rules").fetchall() == [(RULES_VERSION,)]
        _split_apart(store)
        # same rules recorded: the incremental path takes stored situations as given
        assert relink(store) == 2
        # rules of another version recorded: the next relink is a full one
        store.con.execute("UPDATE link_rules SET version = ?", [RULES_VERSION - 1])
        assert relink(store) == 1
        assert sorted(map(sorted, members(store).values())) == [["p", "q"]]
        assert store.con.execute("SELECT version FROM link_rules").fetchall() == [(RULES_VERSION,)]
        # a store that never recorded a version (linked before the table existed)
        _split_apart(store)
        store.con.execute("DELETE FROM link_rules")
        assert relink(store) == 1
