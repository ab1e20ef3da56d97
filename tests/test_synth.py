"""The synthetic corpus: deterministic, varied, with copies, written as shards."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from tocsin.synth import THEATRES, UPDATES, article, generate, write_corpus


def test_same_seed_same_corpus_and_prefix_stable():
    assert list(generate(30, seed=7)) == list(generate(30, seed=7))
    # article i does not depend on the corpus size: 10 articles are a prefix of 30
    assert list(generate(10, seed=7)) == list(generate(30, seed=7))[:10]


def test_other_seed_other_corpus():
    a = [d["text"] for d in generate(20, seed=1)]
    b = [d["text"] for d in generate(20, seed=2)]
    assert sum(x != y for x, y in zip(a, b, strict=True)) >= 18


def test_fields_and_dates():
    docs = list(generate(200, seed=3, start=date(2026, 5, 1), days=10))
    assert {"id", "title", "text", "published", "outlet", "url"} <= set(docs[0])
    assert len({d["id"] for d in docs}) == 200
    for d in docs:
        assert date(2026, 5, 1) <= date.fromisoformat(d["published"]) <= date(2026, 5, 10)
        assert d["url"].startswith("https://") and ".example/" in d["url"]


def test_articles_vary_actors_places_numbers():
    docs = list(generate(300, seed=4, exact_dup=0, near_dup=0))
    places = {p for t in THEATRES for p, _ in t.places}
    used = {p for p in places if any(p in d["text"] for d in docs)}
    assert len(used) >= 30
    assert len({d["outlet"] for d in docs}) == 8
    assert sum("100,000" in d["text"] for d in docs) >= 3
    assert len({d["text"] for d in docs}) == 300  # no accidental copies


@pytest.mark.parametrize("i", [1, 5, 40])
def test_exact_copy_repeats_an_earlier_text_under_another_outlet(i):
    doc = article(i, seed=9, exact_dup=1.0, near_dup=0.0)
    originals = [article(j, seed=9, exact_dup=0.0, near_dup=0.0) for j in range(i)]
    same = [o for o in originals if o["text"] == doc["text"]]
    assert same
    assert doc["outlet"] != same[0]["outlet"]
    assert doc["id"] == f"synth-9-{i}"


def test_near_copy_adds_one_line():
    doc = article(12, seed=9, exact_dup=0.0, near_dup=1.0)
    head, _, tail = doc["text"].rpartition("\n\n")
    assert tail in UPDATES
    originals = {article(j, seed=9, exact_dup=0.0, near_dup=0.0)["text"] for j in range(12)}
    assert head in originals


def test_copy_rates_near_the_options():
    docs = list(generate(2000, seed=5, exact_dup=0.1, near_dup=0.1))
    near = sum(d["text"].rpartition("\n\n")[2] in UPDATES for d in docs)
    assert 120 <= near <= 280  # 10% of 2000, loosely


def test_short_articles():
    for d in generate(50, seed=6, sentences=(1, 1), exact_dup=0, near_dup=0):
        assert d["text"].count("\n\n") == 1  # one event sentence and one filler line


def test_theatre_places_are_in_the_gazetteer():
    from tocsin.nlp.gazetteer import Gazetteer

    gazetteer = Gazetteer.open()
    for theatre in THEATRES:
        for name, iso3 in theatre.places:
            assert iso3 in {c.country for c in gazetteer.lookup(name)}, name


def test_write_jsonl_shards(tmp_path):
    paths = write_corpus(tmp_path, 10, shards=3, seed=2)
    assert [p.name for p in paths] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    rows = [[json.loads(x) for x in p.read_text().splitlines()] for p in paths]
    assert [len(r) for r in rows] == [3, 3, 4]
    assert [d["id"] for r in rows for d in r] == [f"synth-2-{i}" for i in range(10)]


def test_write_parquet_shards(tmp_path):
    paths = write_corpus(tmp_path, 7, shards=2, fmt="parquet", seed=2)
    assert [p.suffix for p in paths] == [".parquet", ".parquet"]
    assert not list(tmp_path.glob("*.jsonl"))
    got = duckdb.sql(f"SELECT id, text FROM read_parquet('{tmp_path}/*.parquet') ORDER BY id")
    rows = got.fetchall()
    assert len(rows) == 7
    assert rows[0] == ("synth-2-0", article(0, seed=2)["text"])


@pytest.mark.parametrize("kwargs", [{"fmt": "csv"}, {"shards": 0}])
def test_write_rejects_bad_options(tmp_path, kwargs):
    with pytest.raises(ValueError):
        write_corpus(tmp_path, 5, **kwargs)
