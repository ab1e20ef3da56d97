"""How ``tocsin eval acled`` turns a note's events into one ACLED row: which event
gives the types, which the actors, and how actors ACLED names by country get one.

Events and mentions are built by hand for invented notes; the expected values were
worked out from the rules in tocsin/evaluate/acled.py's docstrings.
"""

from __future__ import annotations

from tocsin.evaluate.acled import _NOTE_TAG, _actors, main_event, typing_event
from tocsin.models import Actor, DocResult, Document, Event, Mentions, Place, Span

ACLED = {
    "artillery": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "clash": ("Battles", "Armed clash"),
    "primitive": ("Violence against civilians", "Attack"),
    "abduct": ("Violence against civilians", "Abduction/forced disappearance"),
    "intercept": ("Strategic developments", "Disrupted weapons use"),
    "demo": ("Protests", "Peaceful protest"),
    "arrest": ("Strategic developments", "Arrests"),
    None: ("Battles", "Armed clash"),
}


def _actor(code: str | None, sector: str | None = None, text: str = "x", at: int = 0) -> Actor:
    country = code.split(":")[0] if code else None
    if code and sector is None:
        sector = code.split(":")[1]
    return Actor(at, at + len(text), text, code=code, country=country, sector=sector)


def _event(
    at: int,
    mode: str | None,
    type_: str = "ASSAULT",
    actor: Actor | None = None,
    target: Actor | None = None,
    negated: bool = False,
) -> Event:
    kind, sub = ACLED[mode]
    return Event(
        id=f"e{at}",
        doc_id="d",
        type=type_,
        mode=mode,
        quad="material_conflict",
        cameo="19",
        acled_event_type=kind,
        acled_sub_event_type=sub,
        trigger=Span(at, at + 1, "t"),
        sentence=Span(0, 100, "s"),
        actor=actor,
        target=target,
        negated=negated,
    )


def _result(events, actors=(), text="x" * 200) -> DocResult:
    return DocResult(Document("d", "s", text), Mentions(actors=tuple(actors)), tuple(events))


RUS = _actor("RUR:MIL")
FRE = _actor("FRE:MIL")
HERE = Place(0, 1, "x", country="FRE", lat=1.0, lon=1.0)


def test_the_main_event_is_the_first_asserted_coded_one():
    denied = _event(1, "clash", negated=True)
    shelling = _event(5, "artillery")
    assert main_event([denied, shelling]) is shelling
    assert main_event([]) is None


def test_a_background_event_is_not_the_main_one():
    text = "On 3 May, following the Ruritanian withdrawal, sappers defused mines."
    withdrawal = _event(text.index("withdrawal"), "clash")
    defused = _event(text.index("defused"), "intercept")
    events = [withdrawal, defused]
    assert main_event(events, text) is defused
    # without the text, or with only background events, the first one
    assert main_event(events) is withdrawal
    assert main_event([withdrawal], text) is withdrawal


def test_an_abduction_whose_victim_is_attacked_is_an_attack():
    kidnapped, beaten = _event(1, "abduct"), _event(9, "primitive")
    assert typing_event([kidnapped, beaten], kidnapped) is beaten
    assert typing_event([kidnapped], kidnapped) is kidnapped


def test_a_protest_the_police_break_up_is_one_with_intervention():
    protest = _event(1, "demo", type_="PROTEST")
    detained = _event(30, "arrest", type_="COERCE")
    typed = typing_event([protest, detained], protest)
    assert (typed.acled_event_type, typed.acled_sub_event_type) == (
        "Protests",
        "Protest with intervention",
    )
    assert typing_event([protest], protest) is protest


def test_ground_fighting_in_the_note_makes_the_row_a_battle():
    shelling, clash = _event(1, "artillery", actor=RUS), _event(9, "clash", actor=RUS)
    events = [shelling, clash]
    assert main_event(events) is shelling
    assert typing_event(events, shelling) is clash


def test_fighting_does_not_outrank_violence_against_civilians():
    beating, clash = _event(1, "primitive"), _event(9, "clash")
    assert typing_event([beating, clash], beating) is beating


def test_a_use_of_force_without_mode_takes_the_later_one_s():
    attacked, stabbed = _event(1, None), _event(9, "primitive")
    assert typing_event([attacked, stabbed], attacked) is stabbed
    # not an interception, the other side's act
    intercepted = _event(9, "intercept")
    assert typing_event([attacked, intercepted], attacked) is attacked
    # not an earlier one
    before, attacked = _event(0, "primitive"), _event(5, None)
    assert typing_event([before, attacked], attacked) is attacked


def test_civilians_without_a_country_are_of_the_event_s_country():
    victims = _actor(None, "CVL", "two civilians")
    event = _event(1, "artillery", actor=RUS, target=victims)
    assert _actors(_result([event]), event, event, HERE) == ("RUR:MIL", "FRE:CVL")
    # without a place the country is unknown: no key
    assert _actors(_result([event]), event, event, None) == ("RUR:MIL", None)


def test_a_journalist_without_a_country_is_a_civilian_of_the_event_s_country():
    reporter = _actor(None, "MED", "a journalist")
    event = _event(1, None, actor=_actor(None, "REB", "two men"), target=reporter)
    assert _actors(_result([event]), event, event, HERE) == ("FRE:REB", "FRE:CVL")


def test_police_without_a_country_are_the_event_s_country_s():
    event = _event(1, None, actor=_actor(None, "COP", "police"))
    assert _actors(_result([event]), event, event, HERE)[0] == "FRE:COP"


def test_an_abducted_activist_is_a_civilian():
    activist = _actor("FRE:PRO", text="a local activist")
    event = _event(1, "abduct", actor=RUS, target=activist)
    assert _actors(_result([event]), event, event, HERE) == ("RUR:MIL", "FRE:CVL")


def test_an_uncoded_protest_actor_is_the_protesters():
    crowd = _actor(None, "CVL", "about 40 people")
    event = _event(1, "demo", type_="PROTEST", actor=crowd)
    assert _actors(_result([event]), event, event, HERE)[0] == "FRE:PRO"


def test_a_missing_actor2_comes_from_the_rest_of_the_note():
    shelling = _event(1, "artillery", actor=RUS)
    killed = _event(20, None, target=_actor(None, "CVL", "a civilian"))
    assert _actors(_result([shelling, killed]), shelling, shelling, HERE) == (
        "RUR:MIL",
        "FRE:CVL",
    )


def test_the_other_side_of_a_fight_in_the_note_is_actor2():
    attack = _event(1, None, actor=RUS)
    repelled = _event(20, "clash", actor=FRE, target=RUS)
    assert _actors(_result([attack, repelled]), attack, repelled, HERE) == ("RUR:MIL", "FRE:MIL")


def test_civilians_named_in_the_note_are_actor2_unless_none_were():
    text = "Shelling hit the town. Two civilians were hurt."
    hurt = _actor(None, "CVL", "civilians", at=text.index("civilians"))
    shelling = _event(0, "artillery", actor=RUS)
    assert _actors(_result([shelling], [hurt], text), shelling, shelling, HERE)[1] == "FRE:CVL"
    text = "Shelling hit the town. No civilians were hurt."
    spared = _actor(None, "CVL", "civilians", at=text.index("civilians"))
    assert _actors(_result([shelling], [spared], text), shelling, shelling, HERE)[1] is None


def test_a_leading_tag_is_not_part_of_the_note():
    assert _NOTE_TAG.sub("", "Interception: On 3 May 2031, x") == "On 3 May 2031, x"
    assert _NOTE_TAG.sub("", "Around 3 May 2031, x") == "Around 3 May 2031, x"
    # a label not followed by the note's date opening is kept
    assert _NOTE_TAG.sub("", "Update: the bridge was hit") == "Update: the bridge was hit"
