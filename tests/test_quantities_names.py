"""Tests for numbers that tocsin.nlp.quantities must not take for amounts (citation
marks, coordinates, frequencies, ratios, numbers in names) and for ranges."""

from __future__ import annotations

import pytest

from tocsin.nlp.quantities import extract_quantities


def _texts(nlp, sentence: str) -> list[str]:
    doc = nlp(sentence)
    found = extract_quantities(doc)
    for q in found:
        assert doc.text[q.start : q.end] == q.text
    return [q.text for q in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The dam was built by the ministry. [2] It holds water.", []),
        ("The fort lies at 48° 12′ 30″ N 37° 40′ 10″ E near the river.", []),
        ("Its position is 48.2083; 37.6694 on the map.", []),
        ("The station broadcasts on 11470 MHz at night.", []),
        ("The channel runs 24/7 from the capital.", []),
        ("The council adopted Resolution 2401 yesterday.", []),
        ("The change is set out in section 12.4 of the code.", []),
        ("Task Force 51 sailed from the port.", []),
        ("The patrol saw 12 tanks and 40 trucks.", ["12 tanks", "40 trucks"]),
        ("Temperatures reached 35 °C in the south.", ["35 °C"]),  # not a coordinate
    ],
)
def test_not_amounts(nlp, sentence, expected):
    assert _texts(nlp, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit", "counts", "approx"),
    [
        (
            "From 2,000 to 3,000 fighters held the town.",
            "2,000 to 3,000 fighters",
            2000,
            None,
            "fighter",
            "at least",
        ),
        ("The army took 10 to 15 percent of the area.", "10 to 15 percent", 10, "percent", "area",
         "at least"),
        ("The shelling killed 4-6 residents overnight.", "4-6 residents", 4, None, "resident",
         "at least"),
    ],
)  # fmt: skip
def test_ranges_keep_the_lower_bound(nlp, sentence, text, value, unit, counts, approx):
    (q,) = [q for q in extract_quantities(nlp(sentence)) if q.text.startswith(text)]
    assert (q.text[: len(text)], q.value, q.unit, q.counts, q.approx) == (
        text,
        value,
        unit,
        counts,
        approx,
    )


def test_a_falling_pair_is_not_a_range(nlp):
    found = extract_quantities(nlp("They won the match 3 to 1 at home."))
    assert all(" to " not in q.text for q in found)


@pytest.mark.parametrize(
    ("sentence", "text", "value", "approx"),
    [
        ("Twenty-three civilians were evacuated.", "Twenty-three civilians", 23, None),
        ("The army sent ninety-four tanks.", "ninety-four tanks", 94, None),
        ("Only a few thousand people stayed.", "a few thousand people", 2000, "a few"),
        ("Several hundred troops arrived.", "Several hundred troops", 300, "several"),
    ],
)
def test_compound_and_vague_numbers(nlp, sentence, text, value, approx):
    (q,) = extract_quantities(nlp(sentence))
    assert (q.text, q.value, q.approx) == (text, value, approx)


def test_a_few_without_a_magnitude_is_not_a_number(nlp):
    assert extract_quantities(nlp("A few soldiers came back.")) == []
