"""Tests for tocsin.nlp.equipment: names and generic nouns mapped to classes."""

from __future__ import annotations

import pytest

from tocsin.nlp.equipment import extract_equipment, load_lexicon, variants


def _equipment(nlp, sentence: str):
    doc = nlp(sentence)
    found = extract_equipment(doc)
    for e in found:
        assert doc.text[e.start : e.end] == e.text
    return [(e.text, e.cls, e.name) for e in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A Buk-M1 was loaded on the train.", ("Buk-M1", "air_defence", "Buk-M1")),
        ("A Buk M1 was loaded on the train.", ("Buk M1", "air_defence", "Buk-M1")),
        ("A Buk-M-1 was loaded on the train.", ("Buk-M-1", "air_defence", "Buk-M1")),
        ("Two S-400 batteries were moved north.", ("S-400", "air_defence", "S-400")),
        ("The unit fired Kalibr missiles.", ("Kalibr missiles", "cruise_missile", "Kalibr")),
        (
            "Three Iskander launchers were seen.",
            ("Iskander launchers", "ballistic_missile", "Iskander"),
        ),
        ("Kyiv asked for more HIMARS.", ("HIMARS", "rocket_artillery", "HIMARS")),
        ("The battery used Grad rockets.", ("Grad rockets", "rocket_artillery", "Grad")),
        ("Dozens of T-72s rolled past.", ("T-72s", "tank", "T-72")),
        ("Berlin sent Leopard 2 tanks.", ("Leopard 2 tanks", "tank", "Leopard 2")),
        ("Villagers saw BMP-2s on the road.", ("BMP-2s", "armoured_vehicle", "BMP-2")),
        ("Shahed drones hit the substation.", ("Shahed drones", "drone", "Shahed")),
        ("A Bayraktar TB2 filmed the column.", ("Bayraktar TB2", "drone", "Bayraktar TB2")),
        ("Su-34s bombed the bridge.", ("Su-34s", "aircraft", "Su-34")),
        ("Ka-52 helicopters flew low.", ("Ka-52 helicopters", "aircraft", "Ka-52")),
        ("Columns of tanks were seen.", ("tanks", "tank", None)),
        ("The army moved howitzers forward.", ("howitzers", "artillery", None)),
        ("Air-defence systems were moved forward.", ("Air-defence systems", "air_defence", None)),
        ("New air defense systems arrived.", ("air defense systems", "air_defence", None)),
        (
            "Multiple rocket launchers were fired.",
            ("Multiple rocket launchers", "rocket_artillery", None),
        ),
        ("Five landing ships left port.", ("landing ships", "naval", None)),
        ("Engineers laid pontoon bridges overnight.", ("pontoon bridges", "logistics", None)),
        ("Field hospitals were set up near the border.", ("Field hospitals", "medical", None)),
        ("The army stocked blood supplies.", ("blood supplies", "medical", None)),
        ("Fighter jets patrolled the coast.", ("Fighter jets", "aircraft", None)),
    ],
)
def test_equipment_found(nlp, sentence, expected):
    assert expected in _equipment(nlp, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The think tank published a report on the economy.",
        "General Bradley spoke to reporters.",
        "The water tank on the farm was empty.",
    ],
)
def test_not_equipment(nlp, sentence):
    assert [e for e in _equipment(nlp, sentence) if e[1] in ("tank", "armoured_vehicle")] == []


def test_anti_tank_is_not_tank(nlp):
    assert _equipment(nlp, "They carried anti-tank missiles.") == [
        ("anti-tank missiles", "anti_tank", None)
    ]


def test_variants_cover_hyphens_spellings_and_plurals():
    forms = variants("Leopard 2", specific=True)
    assert {"Leopard 2", "Leopard-2", "Leopard2", "Leopard 2s"} <= forms
    assert {"air-defence system", "air defense systems"} <= variants("air-defence system", False)


def test_lexicon_is_large_enough():
    assert len(load_lexicon()) >= 150
