"""Checks on the invented demo corpus and its hand-labelled gold sentences.

These tests do not run any tocsin extractor: they check that the data files are
well formed and that the properties the demo relies on really hold (dates in the
window, duplicates that dedupe can find, the messy parts the cleaner must remove,
gold sentences that exist verbatim, no text taken from ../shared/seeds).
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tocsin" / "data" / "demo" / "articles.jsonl"
GOLD = ROOT / "tests" / "fixtures" / "demo_gold.jsonl"

FIELDS = {"id", "title", "outlet", "url", "published", "text", "invented"}
GOLD_FIELDS = {
    "article",
    "sentence",
    "type",
    "actor",
    "place",
    "country",
    "date_start",
    "negated",
    "hedged",
}
PLOVER = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "COOPERATE",
    "AID",
    "CONCEDE",
    "RETREAT",
    "INVESTIGATE",
    "DEMAND",
    "DISAPPROVE",
    "REJECT",
    "THREATEN",
    "SANCTION",
    "PROTEST",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}
# The window stated in tocsin/data/demo/README.md.
WINDOW = (date(2026, 10, 1), date(2026, 11, 30))

# Syndicated copies made on purpose: (original, copy).
NEAR_DUPLICATES = [("demo-09", "demo-26"), ("demo-18", "demo-27")]
EXACT_DUPLICATES = [("demo-14", "demo-28")]
# The Russian withdrawal claim, written independently by different outlets.
WITHDRAWAL_CLAIM = ["demo-18", "demo-19", "demo-20", "demo-21"]
# The drone strike on the Valuyki fuel depot (Thursday 2026-10-15), reported
# independently by three outlets.
VALUYKI_STRIKE = ["demo-06", "demo-07", "demo-08"]
COMMENT_SECTIONS = ["demo-10", "demo-24"]
ACTOR_CODE = re.compile(r"^([A-Z]{3}(:[A-Z]{3})?|NATO|EU)$")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    """Word n-shingles of a lower-cased text."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _jaccard(a: str, b: str) -> float:
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb)


RECORDS = _read_jsonl(ARTICLES)
BY_ID = {r["id"]: r for r in RECORDS}
GOLD_ROWS = _read_jsonl(GOLD)


def test_corpus_has_thirty_records_with_sequential_ids() -> None:
    assert [r["id"] for r in RECORDS] == [f"demo-{i:02d}" for i in range(1, 31)]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r["id"])
def test_record_fields(record: dict[str, Any]) -> None:
    assert set(record) == FIELDS
    assert record["invented"] is True
    for key in ("id", "title", "outlet", "url", "published", "text"):
        assert isinstance(record[key], str) and record[key].strip(), key
    assert record["url"].startswith("https://example.org/")
    assert 120 <= len(record["text"].split()) <= 350


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r["id"])
def test_published_in_window(record: dict[str, Any]) -> None:
    published = date.fromisoformat(record["published"])
    assert WINDOW[0] <= published <= WINDOW[1]


def test_dates_spread_over_about_six_weeks() -> None:
    days = sorted(date.fromisoformat(r["published"]) for r in RECORDS)
    assert days[-1] - days[0] >= timedelta(days=35)


def test_urls_unique_and_many_outlets() -> None:
    assert len({r["url"] for r in RECORDS}) == len(RECORDS)
    assert len({r["outlet"] for r in RECORDS}) >= 10


@pytest.mark.parametrize(("original", "copy"), NEAR_DUPLICATES)
def test_near_duplicates_are_near(original: str, copy: str) -> None:
    a, b = BY_ID[original], BY_ID[copy]
    assert a["text"] != b["text"]
    assert a["outlet"] != b["outlet"]
    assert a["title"] != b["title"]
    assert _jaccard(a["text"], b["text"]) >= 0.8


@pytest.mark.parametrize(("original", "copy"), EXACT_DUPLICATES)
def test_exact_duplicate_has_identical_text(original: str, copy: str) -> None:
    a, b = BY_ID[original], BY_ID[copy]
    assert a["text"] == b["text"]
    assert a["outlet"] != b["outlet"] and a["url"] != b["url"]


def test_no_other_pair_is_a_near_duplicate() -> None:
    planned = {frozenset(p) for p in NEAR_DUPLICATES + EXACT_DUPLICATES}
    for a, b in itertools.combinations(RECORDS, 2):
        if frozenset((a["id"], b["id"])) in planned:
            continue
        assert _jaccard(a["text"], b["text"]) < 0.3, (a["id"], b["id"])


def test_withdrawal_claim_in_three_independent_outlets() -> None:
    records = [BY_ID[i] for i in WITHDRAWAL_CLAIM]
    assert len({r["outlet"] for r in records}) >= 3
    for r in records:
        assert "Defence Ministry" in r["text"]
        assert re.search(r"video|footage", r["text"])
        assert re.search(r"returning|withdrawal|heading (home|back)", r["text"])
    for a, b in itertools.combinations(records, 2):
        assert _jaccard(a["text"], b["text"]) < 0.3


def test_withdrawal_claim_disputed_by_us_and_nato() -> None:
    assert "attack positions" in BY_ID["demo-20"]["text"]
    assert "no sign of a Russian withdrawal" in BY_ID["demo-21"]["text"]


def test_valuyki_strike_reported_independently() -> None:
    records = [BY_ID[i] for i in VALUYKI_STRIKE]
    assert len({r["outlet"] for r in records}) == 3
    for r in records:
        assert "Valuyki" in r["text"] and "on Thursday" in r["text"]
        # Thursday before publication is 2026-10-15 for all three.
        published = date.fromisoformat(r["published"])
        assert date(2026, 10, 15) < published <= date(2026, 10, 17)
    for a, b in itertools.combinations(records, 2):
        assert _jaccard(a["text"], b["text"]) < 0.3


@pytest.mark.parametrize("article", COMMENT_SECTIONS)
def test_comment_sections(article: str) -> None:
    text = BY_ID[article]["text"]
    assert text.count("\nReply") >= 3
    assert re.search(r"^\w[\w .]*\n(October|November) \d+, 2026 at", text, re.M)


def test_ads_and_print_line() -> None:
    text = BY_ID["demo-15"]["text"]
    assert "You Might Like" in text
    assert text.rstrip().endswith("Print Friendly, PDF & Email")


def test_headline_list_at_top() -> None:
    lines = BY_ID["demo-22"]["text"].splitlines()
    dated = [ln for ln in lines[:6] if re.match(r"^Nov\. \d+, 2026 - \S", ln)]
    assert len(dated) == 4


def test_gold_size_and_types() -> None:
    assert 25 <= len(GOLD_ROWS) <= 40
    assert {g["type"] for g in GOLD_ROWS} == PLOVER
    assert any(g["negated"] for g in GOLD_ROWS)
    assert any(g["hedged"] for g in GOLD_ROWS)


@pytest.mark.parametrize("row", GOLD_ROWS, ids=lambda g: f"{g['article']}:{g['type']}")
def test_gold_row(row: dict[str, Any]) -> None:
    assert set(row) == GOLD_FIELDS
    assert row["type"] in PLOVER
    assert row["article"] in BY_ID
    assert BY_ID[row["article"]]["text"].count(row["sentence"]) == 1
    assert row["actor"] is None or ACTOR_CODE.match(row["actor"])
    assert row["country"] is None or re.fullmatch(r"[A-Z]{3}", row["country"])
    assert row["place"] is None or row["place"] in row["sentence"]
    assert isinstance(row["negated"], bool) and isinstance(row["hedged"], bool)
    if row["date_start"] is not None:
        event_day = date.fromisoformat(row["date_start"])
        published = date.fromisoformat(BY_ID[row["article"]]["published"])
        assert published - timedelta(days=14) <= event_day <= published + timedelta(days=7)


def test_gold_sentences_unique() -> None:
    keys = [(g["article"], g["sentence"]) for g in GOLD_ROWS]
    assert len(keys) == len(set(keys))


@pytest.mark.slow
def test_gold_sentences_are_spacy_sentences(nlp: Any) -> None:
    """Each gold sentence is exactly one sentence as the spaCy model splits it."""
    for row in GOLD_ROWS:
        text = BY_ID[row["article"]]["text"]
        start = text.index(row["sentence"])
        end = start + len(row["sentence"])
        sents = [s for s in nlp(text).sents if s.start_char < end and s.end_char > start]
        assert [s.text.strip() for s in sents] == [row["sentence"]], row["article"]


def _seed_sentences(seeds: Path) -> list[str]:
    """Sentences of 60+ characters from the seed articles, whitespace normalised."""
    out: list[str] = []
    for path in sorted(seeds.glob("*")):
        if not path.is_file():
            continue
        text = " ".join(path.read_text(encoding="utf-8", errors="replace").split())
        for sentence in re.split(r"(?<=[.!?])[\"'”’]?\s+", text):
            if len(sentence.strip()) >= 60:
                out.append(sentence.strip())
    return out


def test_no_seed_sentence_in_corpus(shared_dir: Path) -> None:
    seeds = shared_dir / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not present")
    sentences = _seed_sentences(seeds)
    assert sentences, "no seed sentences found: check the splitter"
    corpus = " ".join(" ".join((r["title"] + " " + r["text"]).split()) for r in RECORDS).lower()
    leaked = [s for s in sentences if s.lower() in corpus]
    assert leaked == []
