"""Tests of tocsin.dedupe: exact hashes and MinHash near-duplicates."""

from __future__ import annotations

import pytest

from tocsin.dedupe import (
    NearDuplicateIndex,
    minhash_signature,
    normalize_for_hash,
    signature_similarity,
    text_hash,
)

ARTICLE = """Army Moves Air Defence Units Toward Northern Border

The defence ministry confirmed on Wednesday that two air defence batteries had been moved
from their garrison near the capital to positions about forty kilometres from the northern
border, a deployment that officials described as a precaution rather than a response to any
specific threat.

According to the ministry, the batteries travelled by rail over two nights and were unloaded
at a small station that had been closed to passengers since the start of the month. Local
residents told reporters that they had seen long trains carrying covered vehicles and fuel
tankers, and that military police had blocked the road to the station for several hours.

A spokesperson for the general staff said the units would take part in a training exercise
with the air force that is scheduled to last until the end of next week. She declined to say
how many soldiers were involved, but added that the exercise had been planned months ago and
that neighbouring countries had been informed through the usual channels.

Independent analysts were less certain. A researcher at a private security institute noted
that the same batteries had been moved twice in the past year, each time shortly before
diplomatic talks, and argued that the movements were meant to send a political signal. He
pointed out that the new positions would allow the systems to cover a large part of the
airspace over the border region, including two regional airports.

The foreign ministry of the neighbouring country said it had asked for clarification and
expected a reply within days. Its spokesperson said that the government was following the
situation closely but saw no reason for alarm at this stage, and urged both sides to keep the
lines of communication open.

Opposition politicians in the capital criticised the lack of information given to parliament
and demanded a briefing from the defence minister. A committee hearing has been scheduled for
Monday, when the minister is expected to answer questions about the cost of the deployment and
its expected duration.
"""

SYNDICATED = (
    ARTICLE.replace(
        "Army Moves Air Defence Units Toward Northern Border",
        "Missile Batteries Shifted North, Ministry Says",
    )
    .replace("on Wednesday", "on Wednesday evening")
    .replace("long trains", "lengthy trains")
    .replace("less certain", "more sceptical")
    .replace("within days", "within a few days")
)

SAME_TOPIC = """Border Region Braces for Air Defence Drills

Air defence units will hold drills near the northern border next week, the general staff
announced on Thursday, adding that the exercise was planned long ago and poses no threat to
neighbouring states. The drills will involve fighter jets and ground-based missile systems.

Farmers in the border region said they had been told to expect low-flying aircraft and some
road closures. A local mayor said the announcement came too late for residents to prepare and
asked the army to compensate businesses that lose trade during the exercise.

Diplomats in the neighbouring country said they were studying the announcement. One official,
speaking on condition of anonymity, said that similar drills in the past had been followed by
larger deployments, and that his government would watch the region closely in the coming days.
"""


# -- exact ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello,   World!", "hello world"),
        ("  “Don’t” — go\n\nNOW ", "don t go now"),
        ('"Don\'t" - go now', "don t go now"),
        ("ﬁeld Ｋyiv", "field kyiv"),  # NFKC folds ligatures and full-width letters
        ("", ""),
    ],
)
def test_normalize_for_hash(text: str, expected: str):
    assert normalize_for_hash(text) == expected


def test_text_hash_is_sha256_prefix_of_normalised_text():
    # sha256("hello world") = b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9
    assert text_hash("Hello,   World!") == "b94d27b9934d3e08"


@pytest.mark.parametrize(
    "variant",
    [
        ARTICLE.replace("\n", " "),
        "  " + ARTICLE.replace(" ", "  ") + "\n\n",
        ARTICLE.upper(),
        ARTICLE.replace(",", " ,").replace("'", "’"),
    ],
)
def test_exact_copies_with_different_spacing_share_the_hash(variant: str):
    assert text_hash(variant) == text_hash(ARTICLE)


def test_different_texts_have_different_hashes():
    assert text_hash(ARTICLE) != text_hash(SYNDICATED)


# -- near ----------------------------------------------------------------------------


def test_signature_is_deterministic_and_sized():
    first = minhash_signature(ARTICLE)
    assert len(first) == 64
    assert first == minhash_signature(ARTICLE.replace("\n", " "))
    assert len(minhash_signature(ARTICLE, num_perm=128)) == 128
    assert len(minhash_signature("")) == 64
    assert minhash_signature("two words") != minhash_signature("other words")


def test_signature_similarity():
    assert signature_similarity((1, 2, 3, 4), (1, 2, 0, 0)) == 0.5
    with pytest.raises(ValueError, match="differ in length"):
        signature_similarity((1, 2), (1, 2, 3))


def test_syndicated_copy_is_found_and_same_topic_article_is_not():
    index = NearDuplicateIndex()
    index.add("original", minhash_signature(ARTICLE))
    index.add("other", minhash_signature(SAME_TOPIC))
    assert len(index) == 2
    assert index.find(minhash_signature(SYNDICATED)) == "original"
    index2 = NearDuplicateIndex()
    index2.add("original", minhash_signature(ARTICLE))
    assert index2.find(minhash_signature(SAME_TOPIC)) is None


def test_find_returns_the_most_similar_and_prefers_the_earliest_on_ties():
    index = NearDuplicateIndex(threshold=0.5)
    shortened = ARTICLE.rsplit("\n\n", 2)[0]  # the last two paragraphs cut
    index.add("cut", minhash_signature(shortened))
    index.add("full", minhash_signature(ARTICLE))
    index.add("full-again", minhash_signature(ARTICLE))
    assert index.find(minhash_signature(ARTICLE)) == "full"


def test_add_is_idempotent_and_contains():
    index = NearDuplicateIndex()
    sig = minhash_signature(ARTICLE)
    index.add("a", sig)
    index.add("a", sig)
    assert len(index) == 1 and "a" in index and "b" not in index


def test_wrong_signature_length_and_threshold_are_refused():
    index = NearDuplicateIndex(num_perm=64)
    with pytest.raises(ValueError, match="num_perm=64"):
        index.add("a", minhash_signature(ARTICLE, num_perm=32))
    with pytest.raises(ValueError, match="threshold"):
        NearDuplicateIndex(threshold=0)


def test_empty_index_finds_nothing():
    assert NearDuplicateIndex().find(minhash_signature(ARTICLE)) is None
