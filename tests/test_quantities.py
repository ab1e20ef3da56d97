"""Tests for tocsin.nlp.quantities: values, approximation words, units, counted nouns."""

from __future__ import annotations

import pytest

from tocsin.nlp.quantities import extract_quantities


def _quantities(nlp, sentence: str):
    doc = nlp(sentence)
    found = extract_quantities(doc)
    for q in found:
        assert doc.text[q.start : q.end] == q.text
    return found


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit", "counts", "approx"),
    [
        (
            "The army has moved over 100,000 troops to the plain.",
            "over 100,000 troops",
            100_000,
            None,
            "troop",
            "over",
        ),
        (
            "Analysts counted 40,000 troops near the lake.",
            "40,000 troops",
            40_000,
            None,
            "troop",
            None,
        ),
        (
            "About 80% of the forces are in position.",
            "About 80% of the forces",
            80,
            "percent",
            "force",
            "about",
        ),
        ("The camp lies 6 miles from the river.", "6 miles", 6, "mile", None, None),
        (
            "The airliner had 298 people aboard when it fell.",
            "298 people",
            298,
            None,
            "person",
            None,
        ),
        (
            "The raid destroyed a school, killing 3 civilians.",
            "3 civilians",
            3,
            None,
            "civilian",
            None,
        ),
        (
            "The fund pledged 1.5 million rounds of ammunition.",
            "1.5 million rounds",
            1_500_000,
            None,
            "round",
            None,
        ),
        ("Six tanks crossed the ford at dawn.", "Six tanks", 6, None, "tank", None),
        (
            "The patrol met two dozen soldiers at the gate.",
            "two dozen soldiers",
            24,
            None,
            "soldier",
            None,
        ),
        (
            "Tens of thousands of people fled the valley.",
            "Tens of thousands of people",
            10_000,
            None,
            "person",
            "tens of",
        ),
        (
            "Hundreds of vehicles queued at the crossing.",
            "Hundreds of vehicles",
            100,
            None,
            "vehicle",
            "hundreds of",
        ),
        (
            "The convoy stopped nearly 30 km from the town.",
            "nearly 30 km",
            30,
            "km",
            None,
            "nearly",
        ),
        (
            "The brigade lost at least 12 howitzers in March.",
            "at least 12 howitzers",
            12,
            None,
            "howitzer",
            "at least",
        ),
        (
            "Fewer than 1,000 soldiers remain on the island.",
            "Fewer than 1,000 soldiers",
            1_000,
            None,
            "soldier",
            "under",
        ),
        (
            "The depot held some 5,000 tonnes of fuel.",
            "some 5,000 tonnes of fuel",
            5_000,
            "tonne",
            "fuel",
            "about",
        ),
        (
            "Up to 300 km of track was repaired.",
            "Up to 300 km of track",
            300,
            "km",
            "track",
            "up to",
        ),
        (
            "The ministry approved $2.5 billion for drones.",
            "$2.5 billion",
            2_500_000_000,
            "USD",
            None,
            None,
        ),
        (
            "Roughly 175,000 soldiers could be deployed.",
            "Roughly 175,000 soldiers",
            175_000,
            None,
            "soldier",
            "about",
        ),
        (
            "Almost 70 percent of the battalions are ready.",
            "Almost 70 percent of the battalions",
            70,
            "percent",
            "battalion",
            "nearly",
        ),
        ("A 12-mile convoy stalled on the road.", "12-mile", 12, "mile", None, None),
        (
            "Dozens of Ukrainians queued at the gate.",
            "Dozens of Ukrainians",
            12,
            None,
            "ukrainian",
            "dozens of",
        ),
    ],
)
def test_quantity_fields(nlp, sentence, text, value, unit, counts, approx):
    found = [q for q in _quantities(nlp, sentence) if q.text == text]
    assert found, f"{text!r} not in {[q.text for q in _quantities(nlp, sentence)]}"
    q = found[0]
    assert (q.value, q.unit, q.counts, q.approx) == (value, unit, counts, approx)


@pytest.mark.parametrize(
    "sentence",
    [
        "Crews moved a Buk-M1 and a T-72 past Su-34 jets and an S-400 radar.",
        "The bridge opened in 2014 and was repaired in 2019.",
        "The 45-year-old driver, aged 45, was stopped on Feb. 10.",
        "Call the desk on +7 495 123 45 67 for details.",
        "It was the first time the third battalion had moved.",
        "The shelling started at 10:30 on 12 March 2022.",
        "The fort was built around 198 AD by a one-party state.",
    ],
)
def test_not_quantities(nlp, sentence):
    assert _quantities(nlp, sentence) == []


def test_several_in_one_sentence_in_text_order(nlp):
    found = _quantities(nlp, "Some 40,000 troops and 300 tanks were seen 20 km away.")
    assert [(q.value, q.counts, q.unit) for q in found] == [
        (40_000, "troop", None),
        (300, "tank", None),
        (20, None, "km"),
    ]
