"""Actor mentions in conflict reports: weapons and positions that stand for a side,
unidentified armed men, civilians who are not of the attacker's country, makers of
weapons that are not their users.

Every sentence is invented for these tests; expected codes were worked out by hand
from the rules in tocsin/data/actors.yaml.
"""

from __future__ import annotations

import pytest

from tocsin.nlp.actors import NOT_STATED, WEAPON, extract_actors


def _actors(nlp, text):
    return extract_actors(nlp(text))


def _find(actors, text):
    found = [a for a in actors if a.text == text]
    assert found, f"no actor {text!r} in {[a.text for a in actors]}"
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "span", "code"),
    [
        ("Belarusian drones struck a fuel depot overnight.", "Belarusian drones", "BLR:MIL"),
        ("Troops shelled Moldovan positions near the river.", "Moldovan positions", "MDA:MIL"),
        ("Gunners shot down two Polish missiles.", "two Polish missiles", "POL:MIL"),
        ("A Georgian fighter jet crashed near the border.", "A Georgian fighter jet", "GEO:MIL"),
    ],
)
def test_a_weapon_named_with_a_country_is_its_armed_forces(nlp, sentence, span, code):
    found = _find(_actors(nlp, sentence), span)
    assert (found.code, found.reason) == (code, WEAPON)


def test_a_weapon_without_a_country_is_not_an_actor(nlp):
    assert _actors(nlp, "A drone struck a fuel depot overnight.") == []


def test_a_makers_country_is_not_the_users(nlp):
    actors = _actors(nlp, "Gunners shot down five Iranian-made drones.")
    assert all(a.country != "IRN" for a in actors), [(a.text, a.code) for a in actors]


@pytest.mark.parametrize(
    ("sentence", "span"),
    [
        ("Two masked men attacked a shopkeeper in the market.", "Two masked men"),
        ("Unidentified persons set fire to a car.", "Unidentified persons"),
        ("Local partisans blew up a railway bridge.", "Local partisans"),
    ],
)
def test_unidentified_armed_men_are_an_armed_group(nlp, sentence, span):
    found = _find(_actors(nlp, sentence), span)
    assert (found.sector, found.code, found.reason) == ("REB", None, NOT_STATED)


def test_civilians_do_not_take_the_attackers_country(nlp):
    actors = _actors(nlp, "Moldovan troops shelled the town, injuring two civilians.")
    civilians = _find(actors, "two civilians")
    assert (civilians.sector, civilians.country) == ("CVL", None)
    assert _find(actors, "Moldovan troops").code == "MDA:MIL"


def test_soldiers_still_take_the_country_of_their_sentence(nlp):
    # the rule for civilians leaves the inference for other actor nouns alone
    actors = _actors(nlp, "Moldovan officials said soldiers had left the base.")
    assert _find(actors, "soldiers").code == "MDA:MIL"


def test_a_civilian_tagged_as_an_adjective_is_still_an_actor(nlp):
    actors = _actors(nlp, "The shelling killed 1 civilian and wounded a farmer.")
    assert any(a.sector == "CVL" and "civilian" in a.text for a in actors), [
        (a.text, a.sector) for a in actors
    ]


def test_emergency_services_are_the_government(nlp):
    actors = _actors(nlp, "Moldovan emergency service specialists cleared the road.")
    assert any(a.code == "MDA:GOV" for a in actors), [(a.text, a.code) for a in actors]


def test_an_adjective_of_a_thing_is_not_an_actor(nlp):
    actors = _actors(nlp, "Missiles hit the port, damaging civilian infrastructure.")
    assert all(a.sector != "CVL" for a in actors), [(a.text, a.sector) for a in actors]


def test_a_country_and_its_forces_before_a_thing(nlp):
    actors = _actors(nlp, "Partisans blew up a Moldovan military train near the border.")
    assert _find(actors, "a Moldovan military train").code == "MDA:MIL"


def test_a_civilian_vehicle_is_civilians_not_the_army(nlp):
    actors = _actors(nlp, "A Moldovan civilian vehicle was hit near the border.")
    assert _find(actors, "A Moldovan civilian vehicle").code == "MDA:CVL"


def test_air_defence_is_the_armed_forces(nlp):
    actors = _actors(nlp, "Moldovan air defence intercepted two drones.")
    assert _find(actors, "Moldovan air defence").code == "MDA:MIL"


def test_a_civilian_car_without_a_country_is_civilians(nlp):
    actors = _actors(nlp, "Soldiers opened fire on a civilian car near the bridge.")
    car = _find(actors, "a civilian car")
    assert (car.sector, car.code) == ("CVL", None)


def test_a_use_of_force_named_with_a_country_is_its_armed_forces(nlp):
    actors = _actors(nlp, "Two civilians were killed in a Polish missile strike on the depot.")
    assert _find(actors, "a Polish missile strike").code == "POL:MIL"
