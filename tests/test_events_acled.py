"""Event coding for conflict reports as ACLED codes them: the mode of a use of force
(from its object, its doer, dominant weapons), the two sides of a fight, and the
newer lexicon classes (riots, defusals, forced transfers, bases established).

Every sentence is invented for these tests. Mentions are built by hand (spans found
with str.index), so the tests do not depend on the other extractors; expected
values were worked out by reading each sentence against the rules in
tocsin/data/plover.yaml and docs/ontology.md.
"""

from __future__ import annotations

import pytest

from tocsin.models import Actor, Equipment, Mentions, Place
from tocsin.nlp._actor_phrases import WEAPON
from tocsin.nlp.events import capture_sub_event, extract_events


def _at(text: str, sub: str) -> tuple[int, int, str]:
    start = text.index(sub)
    return start, start + len(sub), sub


def side(text: str, sub: str, code: str, reason: str | None = None) -> Actor:
    country, sector = code.split(":")
    return Actor(*_at(text, sub), code=code, country=country, sector=sector, reason=reason)


def gear(text: str, sub: str, cls: str) -> Equipment:
    return Equipment(*_at(text, sub), cls=cls)


def _events(nlp, text: str, mentions: Mentions | None = None):
    return extract_events(nlp(text), "doc", mentions or Mentions())


def _assault(nlp, text: str, mentions: Mentions | None = None):
    found = [e for e in _events(nlp, text, mentions) if e.type == "ASSAULT"]
    assert found, [(e.type, e.trigger.text) for e in _events(nlp, text, mentions)]
    return found[0]


@pytest.mark.parametrize(
    ("text", "mode", "acled"),
    [
        # what was shot down decides: a drone is an interception ...
        (
            "Freedonian air defence shot down four drones over Kovel.",
            "intercept",
            ("Strategic developments", "Disrupted weapons use"),
        ),
        # ... a crewed aircraft is anti-aircraft fire, which ACLED counts as shelling
        (
            "Freedonian troops shot down a fighter jet near Kovel.",
            "anti-aircraft",
            ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ),
        (
            "Freedonian gunners shot down a Su-34 near Kovel.",
            "anti-aircraft",
            ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ),
        # repelling an attack on the ground is fighting, not an interception
        (
            "Freedonian troops repelled an assault near Kovel.",
            "clash",
            ("Battles", "Armed clash"),
        ),
        (
            "Freedonian troops repelled a drone attack on Kovel.",
            "intercept",
            ("Strategic developments", "Disrupted weapons use"),
        ),
        # the doer names the weapon; of two, air before shelling (ACLED's rank)
        (
            "Ruritanian drones and artillery struck Kovel.",
            "drone",
            ("Explosions/Remote violence", "Air/drone strike"),
        ),
        # heavy machine guns and grenade launchers without small arms: shelling
        (
            "The rebels fired heavy machine guns and grenade launchers at the village.",
            "heavy-weapons",
            ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ),
        # small arms anywhere in the sentence make it ground fighting
        (
            "The rebels fired grenade launchers and small arms at the village.",
            "firearms",
            ("Battles", "Armed clash"),
        ),
        # unexploded ordnance going off is a remote explosive
        (
            "A shepherd was injured when unexploded ordnance went off in a field.",
            "explosives",
            ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ),
    ],
)
def test_mode_of_a_use_of_force(nlp, text, mode, acled):
    event = _assault(nlp, text)
    assert event.mode == mode
    assert (event.acled_event_type, event.acled_sub_event_type) == acled


def test_launching_missiles_is_a_missile_strike_whatever_the_launcher(nlp):
    # an air-defence system fired at the ground is a missile attack, not an interception
    text = "Ruritanian forces launched two Vityaz missiles at Kovel."
    mentions = Mentions(equipment=(gear(text, "Vityaz", "air_defence"),))
    assert _assault(nlp, text, mentions).mode == "missile"


def test_aircraft_deploying_bombs_strike(nlp):
    event = _assault(nlp, "Ruritanian air forces deployed cluster bombs near Kovel.")
    assert (event.trigger.text, event.mode) == ("deployed", "aerial")


def test_a_noun_trigger_s_modifiers_name_its_mode(nlp):
    text = "Ruritanian forces conducted ground attacks and shelled Kovel with artillery."
    attack = next(e for e in _events(nlp, text) if e.trigger.text.endswith("attacks"))
    assert attack.mode == "clash"


def test_activating_a_munition_is_a_remote_explosive(nlp):
    event = _assault(nlp, "A farmer was injured when he activated a cluster munition in a field.")
    assert event.mode == "explosives"


def test_shooting_civilians_is_violence_against_civilians(nlp):
    text = "Ruritanian soldiers shot two civilians in Kovel."
    mentions = Mentions(
        actors=(
            side(text, "Ruritanian soldiers", "RUR:MIL"),
            Actor(*_at(text, "two civilians"), sector="CVL"),
        )
    )
    event = _assault(nlp, text, mentions)
    assert (event.acled_event_type, event.acled_sub_event_type) == (
        "Violence against civilians",
        "Attack",
    )
    # shelling them stays remote violence
    text = "Ruritanian forces shelled two civilians in Kovel."
    mentions = Mentions(
        actors=(
            side(text, "Ruritanian forces", "RUR:MIL"),
            Actor(*_at(text, "two civilians"), sector="CVL"),
        )
    )
    assert _assault(nlp, text, mentions).acled_event_type == "Explosions/Remote violence"


def test_a_subject_and_its_verb_are_not_a_noun_phrase_trigger(nlp):
    # "artillery struck" must not be read as the phrase "artillery strike"
    event = _assault(nlp, "Ruritanian air forces and artillery struck the depot.")
    assert (event.trigger.text, event.mode) == ("struck", "aerial")


def test_a_sentence_opening_with_on_is_not_a_fire_on_phrase(nlp):
    event = _assault(nlp, "On Monday the rebels fired mortars at the bridge.")
    assert event.trigger.text.startswith("fired")
    assert not event.trigger.text.startswith("On")


def test_two_sides_named_together(nlp):
    text = "Ruritanian and Freedonian forces clashed near Kovel."
    mentions = Mentions(
        actors=(
            side(text, "Ruritanian", "RUR:MIL"),
            side(text, "Freedonian forces", "FRE:MIL"),
        )
    )
    event = _assault(nlp, text, mentions)
    assert (event.actor.text, event.target.text) == ("Ruritanian", "Freedonian forces")


def test_a_clash_between_two_sides(nlp):
    text = "There was an armed clash between Ruritanian and Freedonian troops near Kovel."
    mentions = Mentions(
        actors=(
            side(text, "Ruritanian", "RUR:MIL"),
            side(text, "Freedonian troops", "FRE:MIL"),
        )
    )
    event = _assault(nlp, text, mentions)
    assert (event.mode, event.actor.text, event.target.text) == (
        "clash",
        "Ruritanian",
        "Freedonian troops",
    )


def test_the_other_side_of_a_fight_is_its_target(nlp):
    text = "Ruritanian forces attacked near Kovel, but were repelled by Freedonian troops."
    mentions = Mentions(
        actors=(
            side(text, "Ruritanian forces", "RUR:MIL"),
            side(text, "Freedonian troops", "FRE:MIL"),
        )
    )
    attack = next(e for e in _events(nlp, text, mentions) if e.trigger.text == "attacked")
    assert (attack.actor.text, attack.target.text) == ("Ruritanian forces", "Freedonian troops")


def test_fire_in_the_direction_of_a_side(nlp):
    text = "The rebels fired mortars in the direction of Freedonian troops near Kovel."
    mentions = Mentions(
        actors=(side(text, "The rebels", "FRE:REB"), side(text, "Freedonian troops", "FRE:MIL"))
    )
    assert _assault(nlp, text, mentions).target.text == "Freedonian troops"


def test_shelling_gets_no_invented_target(nlp):
    text = "Ruritanian forces shelled Kovel, Freedonian officials said."
    mentions = Mentions(
        actors=(
            side(text, "Ruritanian forces", "RUR:MIL"),
            side(text, "Freedonian officials", "FRE:GOV"),
        )
    )
    assert _assault(nlp, text, mentions).target is None


def test_came_under_fire_from(nlp):
    text = "Freedonian positions came under fire from mortars used by Ruritanian rebels."
    mentions = Mentions(
        actors=(
            side(text, "Freedonian positions", "FRE:MIL", WEAPON),
            side(text, "Ruritanian rebels", "RUR:REB"),
        )
    )
    event = _assault(nlp, text, mentions)
    assert (event.actor.text, event.target.text) == ("Ruritanian rebels", "Freedonian positions")


def test_passive_agent_hung_under_the_weapon(nlp):
    text = "Freedonian troops were fired upon with rifles and machine guns by Ruritanian rebels."
    mentions = Mentions(
        actors=(
            side(text, "Freedonian troops", "FRE:MIL"),
            side(text, "Ruritanian rebels", "RUR:REB"),
        )
    )
    assert _assault(nlp, text, mentions).actor.text == "Ruritanian rebels"


def test_a_weapon_speaks_for_its_side_when_no_one_else_does(nlp):
    text = "A shepherd was killed when a Ruritanian mine exploded near Kovel."
    mentions = Mentions(actors=(side(text, "a Ruritanian mine", "RUR:MIL", WEAPON),))
    killed = next(e for e in _events(nlp, text, mentions) if e.trigger.text == "killed")
    assert killed.actor is not None and killed.actor.text == "a Ruritanian mine"


@pytest.mark.parametrize(
    ("text", "type_", "mode", "acled"),
    [
        (
            "A group of men threw stones at the police outside the town hall.",
            "PROTEST",
            "riot",
            ("Riots", "Violent demonstration"),
        ),
        (
            "Sappers defused an unexploded shell found in a garden.",
            "COERCE",
            "disrupt-weapons",
            ("Strategic developments", "Disrupted weapons use"),
        ),
        (
            "Police seized grenades and explosives from a garage.",
            "COERCE",
            "disrupt-weapons",
            ("Strategic developments", "Disrupted weapons use"),
        ),
        (
            "Unknown men burned down the car of a local reporter.",
            "COERCE",
            "destroy",
            ("Strategic developments", "Looting/property destruction"),
        ),
        (
            "Police seized two cars from a garage.",
            "COERCE",
            "confiscate",
            ("Strategic developments", "Looting/property destruction"),
        ),
        (
            "Occupying troops forcibly relocated the residents of a care home to another region.",
            "COERCE",
            "forced-transfer",
            ("Violence against civilians", "Abduction/forced disappearance"),
        ),
        (
            "Ruritanian commanders established their military presence in a former school.",
            "MOBILIZE",
            "base",
            ("Strategic developments", "Headquarters or base established"),
        ),
    ],
)
def test_lexicon_classes(nlp, text, type_, mode, acled):
    found = [e for e in _events(nlp, text) if e.type == type_]
    assert found, [(e.type, e.trigger.text) for e in _events(nlp, text)]
    event = found[0]
    assert event.mode == mode
    assert (event.acled_event_type, event.acled_sub_event_type) == acled


def _side(code: str) -> Actor:
    country, sector = code.split(":")
    return Actor(0, 1, "x", code=code, country=country, sector=sector)


def _where(country: str) -> Place:
    return Place(0, 1, "x", country=country)


@pytest.mark.parametrize(
    ("actor", "place", "sub"),
    [
        (_side("FRE:MIL"), _where("FRE"), "Government regains territory"),
        (_side("RUR:MIL"), _where("FRE"), "Non-state actor overtakes territory"),
        (_side("FRE:REB"), _where("FRE"), "Non-state actor overtakes territory"),
        (_side("FRE:MIL"), None, "Non-state actor overtakes territory"),
        (None, _where("FRE"), "Non-state actor overtakes territory"),
    ],
)
def test_capture_sub_event(actor, place, sub):
    assert capture_sub_event(actor, place) == sub


def test_retaking_ground_at_home_is_government_regains_territory(nlp):
    text = "Freedonian forces retook control of Kovel after heavy fighting."
    mentions = Mentions(
        actors=(side(text, "Freedonian forces", "FRE:MIL"),),
        places=(Place(*_at(text, "Kovel"), name="Kovel", country="FRE", lat=1.0, lon=1.0),),
    )
    found = [e for e in _events(nlp, text, mentions) if e.mode == "capture"]
    assert found and found[0].acled_sub_event_type == "Government regains territory"


def test_without_a_fight_does_not_negate_the_withdrawal(nlp):
    (event,) = _events(nlp, "Ruritanian forces withdrew from Kovel without a fight.")
    assert (event.type, event.negated) == ("RETREAT", False)


def test_a_day_without_shelling_is_negated(nlp):
    events = _events(nlp, "Kovel spent a day without shelling.")
    assert [e.negated for e in events if e.type == "ASSAULT"] == [True]


def test_rebels_are_the_other_side_of_the_state_s_forces(nlp):
    text = "Freedonian troops and Freedonian rebels exchanged small arms fire near Kovel."
    mentions = Mentions(
        actors=(
            side(text, "Freedonian troops", "FRE:MIL"),
            side(text, "Freedonian rebels", "FRE:REB"),
        )
    )
    event = _assault(nlp, text, mentions)
    assert (event.actor.text, event.target.text) == ("Freedonian troops", "Freedonian rebels")


def test_gathering_to_demand_is_a_protest(nlp):
    events = _events(nlp, "Hundreds of residents gathered to demand the release of prisoners.")
    assert [e.type for e in events] == ["PROTEST"]


def test_a_past_form_the_lemmatiser_misses_is_still_a_trigger(nlp):
    # spaCy lemmatises "raped" as "rap"
    event = _assault(nlp, "Ruritanian soldiers raped a woman in a village near Kovel.")
    assert (event.trigger.text, event.mode) == ("raped", "sexual")
