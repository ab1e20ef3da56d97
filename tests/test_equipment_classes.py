"""Tests for the weapon classes of tocsin/data/equipment.yaml (small arms, explosives,
munitions, chemical weapons) and the rules that drop sites and counter-measures."""

from __future__ import annotations

import pytest

from tocsin.nlp.equipment import extract_equipment


def _equipment(nlp, sentence: str) -> list[tuple[str, str]]:
    doc = nlp(sentence)
    found = extract_equipment(doc)
    for e in found:
        assert doc.text[e.start : e.end] == e.text
    return [(e.text, e.cls) for e in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Sappers cleared an IED from the road.", [("IED", "explosive")]),
        ("Two VBIEDs struck the checkpoint.", [("VBIEDs", "explosive")]),
        (
            "An improvised explosive device hit the patrol.",
            [("improvised explosive device", "explosive")],
        ),
        ("The gunmen had a heavy machine gun.", [("heavy machine gun", "small_arms")]),
        ("Each guard carried a rifle.", [("rifle", "small_arms")]),
        ("The jets dropped forty munitions.", [("munitions", "munition")]),
        ("The regime dropped barrel bombs on the market.", [("barrel bombs", "explosive")]),
        ("Inspectors found chemical weapons at the depot.", [("chemical weapons", "chemical")]),
        (
            "Fighters fired rocket-propelled grenade launchers.",
            [("rocket-propelled grenade launchers", "anti_tank")],
        ),
        (
            "They seized heavy weapons and military hardware.",
            [
                ("heavy weapons", "weapon"),
                ("military hardware", "weapon"),
            ],
        ),
        (
            "Crews lost an air defense artillery system.",
            [("air defense artillery system", "air_defence")],
        ),
    ],
)
def test_weapon_classes(nlp, sentence, expected):
    assert _equipment(nlp, sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Aircraft struck a VBIED factory north of the river.",
        "The raid destroyed two weapons caches.",
        "The plant makes drone production equipment.",
        "Engineers ran counter-IED training for the recruits.",
        "The town hall hosted a bomb disposal course.",
        "Investigators traced a shell company in the capital.",
    ],
)
def test_sites_counter_measures_and_stop_phrases_are_not_equipment(nlp, sentence):
    assert _equipment(nlp, sentence) == []


def test_site_rule_keeps_the_weapon_elsewhere_in_the_sentence(nlp):
    found = _equipment(nlp, "A VBIED factory was hit and a VBIED exploded nearby.")
    assert found == [("VBIED", "explosive")]


def test_anti_tank_missile_keeps_its_full_name(nlp):
    found = _equipment(nlp, "Troops fired an anti-tank missile at a tank.")
    assert found == [("anti-tank missile", "anti_tank"), ("tank", "tank")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Police said the men were beaten with rifle butts.", [("rifle butts", "small_arms")]),
        ("A man waved a gun at the checkpoint.", [("gun", "small_arms")]),
        ("The raid found explosives and a shotgun.", [("explosives", "explosive"),
                                                       ("shotgun", "small_arms")]),
        ("Fighters fired RPGs at the convoy.", [("RPGs", "anti_tank")]),
        ("A Katyusha landed near the embassy.", [("Katyusha", "rocket_artillery")]),
        ("The drone fired a Hellfire missile.", [("drone", "drone"),
                                                 ("Hellfire missile", "missile")]),
        ("The frigate carried Exocet missiles.", [("frigate", "naval"),
                                                  ("Exocet missiles", "cruise_missile")]),
        ("Tehran tested a Shahab-3 ballistic missile.",
         [("Shahab-3 ballistic missile", "ballistic_missile")]),
        ("Warplanes dropped FAB-500 bombs.", [("Warplanes", "aircraft"),
                                                     ("FAB-500 bombs", "munition")]),
        ("Farmers keep finding unexploded ordnance.", [("unexploded ordnance", "munition")]),
        ("Inspectors found traces of VX in the shells.", [("VX", "chemical"),
                                                          ("shells", "munition")]),
        ("Police fired tear gas at the crowd.", [("tear gas", "chemical")]),
        ("Youths threw Molotov cocktails at the station.",
         [("Molotov cocktails", "explosive")]),
        ("Officials feared a dirty bomb.", [("dirty bomb", "nuclear")]),
        ("Witnesses said the jets dropped chlorine.", [("chlorine", "chemical")]),
        ("The attackers carried knives and a machete.", [("knives", "blade"),
                                                        ("machete", "blade")]),
        ("No weapons of mass destruction were found.",
         [("weapons of mass destruction", "weapon")]),
    ],
)  # fmt: skip
def test_more_weapon_classes(nlp, sentence, expected):
    assert _equipment(nlp, sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "A water cannon was parked outside the stadium.",
        "The new tax is a double-edged sword for farmers.",
        "The pool smelled of chlorine dioxide.",
        "The memo was the smoking gun investigators wanted.",
        "The bill on gun control passed the senate.",
        "She joined the explosive ordnance disposal unit.",
        "We meet at 4 pm to aim 9 volunteers at the task.",
    ],
)
def test_figures_of_speech_and_units_are_not_equipment(nlp, sentence):
    assert _equipment(nlp, sentence) == []


def test_band_and_newspaper_names_are_not_weapons(nlp):
    assert _equipment(nlp, "Guns N' Roses toured; Rodong Sinmun ran a story.") == []
