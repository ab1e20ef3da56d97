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


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # descriptive adjectives belong to the weapon phrase
        ("The cell tried to build crude chemical weapons.", "crude chemical weapons"),
        ("Militia fighters carried shoulder-fired missiles.", "shoulder-fired missiles"),
        ("Long-range rockets hit the depot overnight.", "Long-range rockets"),
        ("Raiders took fuel and other military hardware.", "other military hardware"),
        # articles, numbers, counts, doubt, age, nationality and maker stay out
        ("Guards found a rifle under the bed.", "rifle"),
        ("Twelve rockets hit the airfield.", "rockets"),
        ("Several rockets hit the airfield.", "rockets"),
        ("Officials condemned the apparent car bomb.", "car bomb"),
        ("The new howitzers arrived by rail.", "howitzers"),
        ("Israeli missiles hit the harbour.", "missiles"),
        ("Russian-made tanks crossed the river.", "tanks"),
        # a weapon word that modifies the next noun keeps no adjective
        ("Villagers heard sustained machine gun fire.", "machine gun"),
        ("It was a deadly mortar attack.", "mortar"),
    ],
)
def test_weapon_phrase_span(nlp, sentence, expected):
    assert [e[0] for e in _equipment(nlp, sentence)] == [expected]


def test_adjective_does_not_reach_into_the_previous_mention(nlp):
    found = [e[0] for e in _equipment(nlp, "They sold heavy artillery and light mortars.")]
    assert found == ["heavy artillery", "light mortars"]


def test_weapon_crew_is_not_equipment(nlp):
    assert _equipment(nlp, "The drone located two mortar teams.") == [("drone", "drone", None)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a designation the lexicon does not list names the generic noun after it
        ("The army fired 9M723 missiles.", ("9M723 missiles", "missile", "9M723")),
        ("Bombers launched Kh-69 cruise missiles.", ("Kh-69 cruise missiles", "cruise_missile",
                                                     "Kh-69")),
        ("Moscow tested an RS-26 Rubezh ICBM.", ("RS-26 Rubezh ICBM", "ballistic_missile",
                                                  "RS-26 Rubezh")),
        # a suffix written onto a known name stays in the mention
        ("A T-72B3M tank was hit.", ("T-72B3M tank", "tank", "T-72")),
    ],
)  # fmt: skip
def test_model_designations(nlp, sentence, expected):
    assert expected in _equipment(nlp, sentence)


def test_numbers_and_units_are_not_designations(nlp):
    found = _equipment(nlp, "In 2015 the crews fired 24 rockets and 155mm shells.")
    assert found == [("rockets", "missile", None), ("shells", "munition", None)]


def test_tail_of_a_hyphenated_compound_is_not_an_adjective(nlp):
    found = _equipment(nlp, "Soldiers dropped a drone-borne explosive on the trench.")
    assert found == [("drone", "drone", None), ("explosive", "explosive", None)]
