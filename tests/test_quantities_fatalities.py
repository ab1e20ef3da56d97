"""Tests for tocsin.nlp.quantities.fatalities: deaths told in several ways."""

from __future__ import annotations

import pytest

from tocsin.nlp.quantities import extract_quantities, fatalities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a number that already counts the person is not counted again
        ("Rebels shelled the village. One local soldier was killed.", 1),
        ("One civilian was killed and a soldier was killed later.", 2),
        # a kill word before a bare number
        ("Artillery hit the suburb, killing 2 and injuring 5 civilians.", 2),
        ("Artillery hit the suburb, killing 1 civilian and destroying a school.", 1),
        # bodies found
        ("Police found the bodies of 3 men near the farm.", 3),
        # one death told without a number
        ("Gunmen killed a teacher in the market of the town.", 1),
        ("A mine hit the car near the bridge. The driver died in hospital.", 1),
        ("Militants seized the mayor. His dead body was found two days later.", 1),
        ("Troops abducted, beat and killed the head of the village council.", 1),
        ("Police found the body of a missing farmer in the river.", 1),
        ("A 44-year-old resident was killed by shrapnel.", 1),
        # nobody died
        ("Shells hit the depot; no one was killed.", 0),
        ("Gunmen fired at the body of a truck on the highway.", 0),
        ("Three soldiers were wounded near the lake.", 0),
        # several numbers
        ("Two civilians died and four soldiers were killed in the raid.", 6),
    ],
)
def test_fatalities(nlp, text, expected):
    assert fatalities(text, extract_quantities(nlp(text))) == expected


def test_a_split_note_still_gives_zero(nlp):
    text = "Rebels fired at the post. A soldier was killed [fatalities split across 4 events]."
    assert fatalities(text, extract_quantities(nlp(text))) == 0
