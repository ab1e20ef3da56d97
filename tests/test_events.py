"""PLOVER event extraction: invented sentences with hand-built mentions.

Mentions are built by hand (spans found with str.index) as spaCy's own tests build
objects, so these tests do not depend on the actor, place or equipment extractors.
Expected values were worked out by reading each sentence.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from tocsin.models import Actor, Equipment, Mentions, Place, Quantity, TimeRange
from tocsin.nlp._ontology import load_ontology
from tocsin.nlp.events import (
    acled_types,
    cameo_of,
    event_id,
    extract_events,
    normalise_type,
    plover_types,
    quad_of,
)


def _at(text: str, sub: str) -> tuple[int, int, str]:
    start = text.index(sub)
    return start, start + len(sub), sub


def actor(text: str, sub: str, code: str) -> Actor:
    return Actor(*_at(text, sub), code=code)


def place(text: str, sub: str) -> Place:
    return Place(*_at(text, sub), name=sub)


def gear(text: str, sub: str, cls: str) -> Equipment:
    return Equipment(*_at(text, sub), cls=cls)


# Each case: sentence, mentions builder, and the event expected from it.
CASES = {
    "build-up": (
        "The Ruritanian army massed 40,000 troops near Kovel on Tuesday.",
        lambda t: Mentions(
            actors=(actor(t, "The Ruritanian army", "RUR:MIL"),),
            places=(place(t, "Kovel"),),
            times=(TimeRange(*_at(t, "Tuesday")),),
            quantities=(Quantity(*_at(t, "40,000 troops"), value=40000.0, unit="troops"),),
        ),
        dict(
            type="MOBILIZE",
            mode="troops",
            trigger="massed",
            actor="The Ruritanian army",
            target=None,
            place="Kovel",
            negated=False,
            hedged=False,
        ),
    ),
    "withdrawal": (
        "Some Ruritanian battalions returned to their bases in Brest after the exercise.",
        lambda t: Mentions(
            actors=(actor(t, "Ruritanian battalions", "RUR:MIL"),),
            places=(place(t, "Brest"),),
        ),
        dict(
            type="RETREAT",
            mode="withdraw",
            trigger="returned to their bases",
            actor="Ruritanian battalions",
            target=None,
            place="Brest",
            negated=False,
            hedged=False,
        ),
    ),
    "denied withdrawal": (
        "Officials in Vilnius denied that Ruritanian troops had pulled back from the border.",
        lambda t: Mentions(
            actors=(actor(t, "Officials", "LTU:GOV"), actor(t, "Ruritanian troops", "RUR:MIL")),
            places=(place(t, "Vilnius"),),
        ),
        dict(
            type="RETREAT",
            mode="withdraw",
            trigger="pulled back",
            actor="Ruritanian troops",
            target=None,
            place=None,
            negated=True,
            hedged=False,
        ),
    ),
    "hedged strike": (
        "Ruritanian forces may have shelled Kovel overnight, local officials said.",
        lambda t: Mentions(
            actors=(
                actor(t, "Ruritanian forces", "RUR:MIL"),
                actor(t, "local officials", "UKR:GOV"),
            ),
            places=(place(t, "Kovel"),),
        ),
        dict(
            type="ASSAULT",
            mode="artillery",
            trigger="shelled",
            actor="Ruritanian forces",
            target=None,
            place="Kovel",
            negated=False,
            hedged=True,
        ),
    ),
    "phone call": (
        "President Smith held a phone call with Chancellor Berger on Friday.",
        lambda t: Mentions(
            actors=(
                actor(t, "President Smith", "USA:GOV"),
                actor(t, "Chancellor Berger", "DEU:GOV"),
            ),
        ),
        dict(
            type="CONSULT",
            mode="phone",
            trigger="held a phone call",
            actor="President Smith",
            target="Chancellor Berger",
            place=None,
            negated=False,
            hedged=False,
        ),
    ),
    "sanctions": (
        "The European Union imposed new sanctions on Ruritania last week.",
        lambda t: Mentions(
            actors=(actor(t, "The European Union", "EUR:GOV"), actor(t, "Ruritania", "RUR:GOV")),
        ),
        dict(
            type="SANCTION",
            mode="sever",
            trigger="imposed new sanctions",
            actor="The European Union",
            target="Ruritania",
            place=None,
            negated=False,
            hedged=False,
        ),
    ),
    "threat": (
        "Ruritania threatened to cut gas supplies to Moldavia.",
        lambda t: Mentions(
            actors=(actor(t, "Ruritania", "RUR:GOV"), actor(t, "Moldavia", "MDA:GOV")),
        ),
        dict(
            type="THREATEN",
            mode="relations",
            trigger="threatened",
            actor="Ruritania",
            target="Moldavia",
            place=None,
            negated=False,
            hedged=False,
        ),
    ),
    "drone strike on a city": (
        "A Ruritanian drone strike hit an apartment block in Odesa on Monday.",
        lambda t: Mentions(
            actors=(actor(t, "Ruritanian", "RUR:MIL"),),
            places=(place(t, "Odesa"),),
            equipment=(gear(t, "drone", "drone"),),
        ),
        dict(
            type="ASSAULT",
            mode="drone",
            trigger="drone strike",
            actor="Ruritanian",
            target=None,
            place="Odesa",
            negated=False,
            hedged=False,
        ),
    ),
    "protest": (
        "Thousands of people rallied in Minsk against the election results.",
        lambda t: Mentions(places=(place(t, "Minsk"),)),
        dict(
            type="PROTEST",
            mode="demo",
            trigger="rallied",
            actor=None,
            target=None,
            place="Minsk",
            negated=False,
            hedged=False,
        ),
    ),
}


def _text(span) -> str | None:
    return None if span is None else span.text


@pytest.mark.parametrize("name", list(CASES))
def test_event_is_coded_as_read_by_hand(nlp, name):
    text, build, want = CASES[name]
    doc = nlp(text)
    events = [e for e in extract_events(doc, "doc-1", build(text)) if e.type == want["type"]]
    assert len(events) == 1, [
        (e.type, e.trigger.text) for e in extract_events(doc, "d", build(text))
    ]
    event = events[0]
    got = dict(
        type=event.type,
        mode=event.mode,
        trigger=event.trigger.text,
        actor=_text(event.actor),
        target=_text(event.target),
        place=_text(event.place),
        negated=event.negated,
        hedged=event.hedged,
    )
    assert got == want


def test_spans_point_into_the_text(nlp):
    text = "Ruritanian forces may have shelled Kovel overnight. The EU condemned the attack."
    doc = nlp(text)
    events = extract_events(doc, "doc-2", Mentions())
    assert [e.type for e in events] == ["ASSAULT", "DISAPPROVE"]
    for event in events:
        assert text[event.trigger.start : event.trigger.end] == event.trigger.text
        assert text[event.sentence.start : event.sentence.end] == event.sentence.text
    assert events[1].sentence.text == "The EU condemned the attack."


def test_codes_follow_type_and_mode(nlp):
    text = "A Ruritanian drone strike hit an apartment block in Odesa on Monday."
    _, build, _ = CASES["drone strike on a city"]
    (event,) = extract_events(nlp(text), "doc-3", build(text))
    assert (event.quad, event.cameo) == ("material_conflict", "19")
    assert (event.acled_event_type, event.acled_sub_event_type) == (
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    assert [e.text for e in event.equipment] == ["drone"]


def test_time_and_quantities_come_from_the_sentence(nlp):
    text, build, _ = CASES["build-up"]
    (event,) = extract_events(nlp(text), "doc-4", build(text))
    assert event.time is not None and event.time.text == "Tuesday"
    assert [q.text for q in event.quantities] == ["40,000 troops"]


def test_no_time_mention_leaves_time_empty(nlp):
    text = "Ruritanian forces shelled Kovel."
    (event,) = extract_events(nlp(text), "doc-5", Mentions())
    assert event.time is None


@pytest.mark.parametrize(
    "text,types",
    [
        # a refusal embeds the refused act: one REJECT, no RETREAT
        ("Ruritania refused to withdraw its troops from the border.", ["REJECT"]),
        # reported "must" is a demand; the reporting verb is not an event
        ("The minister said Ruritania must withdraw its forces.", ["DEMAND"]),
        # future aid is an intention (AGREE), as the manual codes it
        ("Freedonia will send more weapons to Moldavia.", ["AGREE"]),
        # two events in one sentence, from two clauses
        (
            "Ruritania massed tanks near the border and shelled two villages.",
            ["MOBILIZE", "ASSAULT"],
        ),
        # a noun trigger without a light verb or subject role is not an event
        ("The attack helicopter is made in Ruritania.", []),
        # a multiword trigger split by a gap
        ("Ruritania put its nuclear forces on high alert.", ["MOBILIZE"]),
    ],
)
def test_trigger_selection(nlp, text, types):
    assert [e.type for e in extract_events(nlp(text), "doc-6", Mentions())] == types


@pytest.mark.parametrize(
    "text,negated,hedged",
    [
        ("Ruritanian troops have not withdrawn from the border.", True, False),
        ("Ruritanian troops have yet to withdraw from the border.", True, False),
        ("Observers saw no sign of a withdrawal.", True, False),
        ("Ruritanian troops reportedly withdrew from the border.", False, True),
        ("Ruritanian troops appear to have withdrawn from the border.", False, True),
        ("Ruritanian troops withdrew from the border, if true.", False, True),
        ("Ruritanian troops withdrew from the border.", False, False),
    ],
)
def test_negation_and_hedging(nlp, text, negated, hedged):
    events = [e for e in extract_events(nlp(text), "doc-7", Mentions()) if e.type == "RETREAT"]
    assert [(e.negated, e.hedged) for e in events] == [(negated, hedged)]


def test_event_id_is_stable_and_short():
    first = event_id("doc-1", 17, "ASSAULT")
    assert re.fullmatch(r"[0-9a-f]{16}", first)
    assert first == event_id("doc-1", 17, "ASSAULT")
    assert first != event_id("doc-1", 17, "MOBILIZE")
    assert first != event_id("doc-2", 17, "ASSAULT")


def test_plover_types_are_the_manuals():
    assert set(plover_types()) == {
        "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT",
        "INVESTIGATE", "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "SANCTION", "PROTEST",
        "MOBILIZE", "COERCE", "ASSAULT", "CRIME",
    }  # fmt: skip


@pytest.mark.parametrize(
    "type_,quad,cameo",
    [
        ("AGREE", "verbal_cooperation", "03"),
        ("CONCEDE", "verbal_cooperation", "08"),
        ("RETREAT", "material_cooperation", "08"),
        ("INVESTIGATE", "material_cooperation", "09"),
        ("SANCTION", "verbal_conflict", "16"),
        ("PROTEST", "material_conflict", "14"),
        ("MOBILIZE", "material_conflict", "15"),
        ("ASSAULT", "material_conflict", "19"),
    ],
)
def test_quad_and_cameo_from_the_manual_tables(type_, quad, cameo):
    assert quad_of(type_) == quad
    assert cameo_of(type_) == cameo


@pytest.mark.parametrize(
    "type_,mode,expected",
    [
        (
            "ASSAULT",
            "artillery",
            ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ),
        ("ASSAULT", "intercept", ("Strategic developments", "Disrupted weapons use")),
        ("ASSAULT", "abduct", ("Violence against civilians", "Abduction/forced disappearance")),
        ("ASSAULT", None, ("Battles", "Armed clash")),
        ("PROTEST", "riot", ("Riots", "Violent demonstration")),
        ("COERCE", "arrest", ("Strategic developments", "Arrests")),
        ("AGREE", None, ("Strategic developments", "Agreement")),
        ("CONSULT", "phone", (None, None)),
        ("MOBILIZE", "no-such-mode", ("Strategic developments", "Change to group/activity")),
    ],
)
def test_acled_mapping(type_, mode, expected):
    assert acled_types(type_, mode) == expected


def test_cameo_refined_by_mode():
    assert cameo_of("ASSAULT", "assassinate") == "18"
    assert cameo_of("ASSAULT", "drone") == "19"


def test_legacy_names_and_unknown_types():
    assert normalise_type("FIGHT") == "ASSAULT"
    assert normalise_type("accuse") == "DISAPPROVE"
    with pytest.raises(ValueError, match="unknown PLOVER event type"):
        quad_of("PARADE")


@pytest.mark.parametrize("type_", [t for t in plover_types() if t != "CRIME"])
def test_every_type_has_a_substantial_lexicon(type_):
    spec = load_ontology().types[type_]
    size = len(spec.verbs) + len(spec.nouns) + len(spec.phrases) + len(spec.verbs_with_object)
    assert size >= 20


def _main_type(doc, events) -> str:
    """The event highest in the parse (non-negated first): one type per sentence."""

    def depth(event) -> int:
        span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        return min(len(list(t.ancestors)) for t in span)

    if not events:
        return "NONE"
    return min(events, key=lambda e: (e.negated, depth(e), e.trigger.start)).type


@pytest.mark.slow
@pytest.mark.evalgate
def test_plover_gold_standard_dev(nlp, shared_dir):
    path = shared_dir / "eval" / "dev" / "plover_gsr_dev.jsonl"
    if not path.exists():
        pytest.skip("plover_gsr_dev.jsonl is not present")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    gold = [normalise_type(r["event"]) for r in records]
    pred = [_main_type(d, extract_events(d, r["id"], Mentions())) for d, r in
            zip(nlp.pipe(r["text"] for r in records), records, strict=True)]  # fmt: skip
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    tp = Counter(g for g, p in zip(gold, pred, strict=True) if g == p)
    n_gold, n_pred = Counter(gold), Counter(pred)
    f1 = [2 * tp[c] / (n_gold[c] + n_pred[c]) for c in n_gold]
    assert accuracy >= 0.80
    assert sum(f1) / len(f1) >= 0.75


def test_uncoded_actor_that_is_a_place_is_not_the_target(nlp):
    text = "Ruritanian forces shelled Kovel."
    mentions = Mentions(
        actors=(actor(text, "Ruritanian forces", "RUR:MIL"), Actor(*_at(text, "Kovel"))),
        places=(place(text, "Kovel"),),
    )
    (event,) = extract_events(nlp(text), "doc-8", mentions)
    assert (event.target, _text(event.place)) == (None, "Kovel")


def test_moved_forces_are_not_the_target(nlp):
    text = "Ruritania withdrew its troops from Moldavia."
    mentions = Mentions(
        actors=(actor(text, "Ruritania", "RUR:GOV"), actor(text, "its troops", "RUR:MIL")),
    )
    (event,) = extract_events(nlp(text), "doc-9", mentions)
    assert (event.type, _text(event.actor), event.target) == ("RETREAT", "Ruritania", None)
