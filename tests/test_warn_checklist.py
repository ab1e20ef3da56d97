"""Checklist YAML: the shipped and test checklists load; every mistake names line and field."""

from __future__ import annotations

import pytest
from test_warn_helpers import CHECKLISTS

from tocsin.warn.checklist import (
    ChecklistError,
    default_checklists,
    load_checklist,
    parse_checklist,
)


def test_the_shipped_checklists_load_with_the_indicators_the_issue_lists():
    loaded = {p.stem: load_checklist(p) for p in default_checklists()}
    assert set(loaded) == {"ground_invasion_readiness", "de_escalation"}
    ids = {i.id for i in loaded["ground_invasion_readiness"].indicators}
    assert {"troops_massed", "air_defence_forward", "fuel_logistics", "field_hospitals",
            "attack_positions", "rail_heavy_equipment", "reservists_called_up",
            "embassies_evacuated", "naval_closures"} == ids  # fmt: skip
    assert {i.id for i in loaded["de_escalation"].indicators} == {
        "verified_withdrawal", "talks_scheduled", "exercises_ended"}  # fmt: skip


def test_a_good_checklist_reads_into_typed_values():
    c = load_checklist(CHECKLISTS / "good_minimal.yaml")
    strikes, pullback, army = c.indicators
    assert (strikes.window_days, strikes.min_sources, strikes.line) == (3, 2, 5)
    assert strikes.match[0].types == ("ASSAULT",) and strikes.match[0].countries == ("UKR",)
    assert pullback.polarity == ("asserted",)
    assert pullback.match[0].types == ("RETREAT",)  # a single string is a one-item list
    assert pullback.disputed_by[0].words == ("closer to",)
    assert army.match[0].min_quantity == 50000 and army.match[0].quantity_counts == ("troop",)
    lat, lon, km = army.match[0].near[0]
    assert (round(lat, 1), round(lon, 1), km) == (50.4, 36.8, 300.0)


@pytest.mark.parametrize(
    "name,where,field,words",
    [
        ("bad_yaml_syntax.yaml", ":5:", "", "not valid YAML"),
        ("bad_unknown_type.yaml", ":10:15", "indicators[1].match.types[0]", "ASSALT"),
        ("bad_unknown_place.yaml", ":7:21", "indicators[0].match.near.place", "Qwertyzzville"),
        ("bad_unknown_actor.yaml", ":7:16", "indicators[0].match.actors[0]", "sector 'XYZ'"),
        ("bad_field_typo.yaml", ":5:5", "indicators[0].min_source", "did you mean 'min_sources'"),
        ("bad_min_sources.yaml", ":5:18", "indicators[0].min_sources", "expected a int"),
        ("bad_missing_match.yaml", ":3:5", "indicators[0].match", "required field missing"),
    ],
)
def test_a_malformed_checklist_names_the_line_and_field(name, where, field, words):
    with pytest.raises(ChecklistError) as info:
        load_checklist(CHECKLISTS / name)
    message = str(info.value)
    assert f"{name}{where}" in message
    assert field in message
    assert words in message


@pytest.mark.parametrize(
    "text,words",
    [
        ("", "empty"),
        ("- just a list", "expected a mapping"),
        ("name: x\nindicators: []", "non-empty list"),
        ("name: x\nindicators:\n  - {id: A-1, name: y, match: {types: MOBILIZE}}", "lower-case"),
        ("name: x\nindicators:\n  - {id: a, name: y, match: {}}", "empty match block"),
        ("name: x\nindicators:\n  - {id: a, name: y, match: {modes: [nonsense]}}", "unknown mode"),
        ("name: x\nindicators:\n  - {id: a, name: y, match: {equipment: [laser]}}", "equipment"),
        ("name: x\nindicators:\n  - {id: a, name: y, match: {countries: [XQZ]}}", "country code"),
        ("name: x\nindicators:\n  - {id: a, name: y, match: {admin1: [Atlantis Oblast]}}",
         "not an admin1"),
        ("name: x\nindicators:\n  - {id: a, name: y, window_days: 0, match: {types: AGREE}}",
         "greater than 0"),
        ("name: x\nindicators:\n  - {id: a, name: y, polarity: denied, match: {types: AGREE}}",
         "choose from"),
        ("name: x\nindicators:\n  - {id: a, name: y, match: {types: AGREE}}\n"
         "  - {id: a, name: z, match: {types: AGREE}}", "duplicate id"),
    ],
)  # fmt: skip
def test_inline_mistakes_are_reported(text, words):
    with pytest.raises(ChecklistError, match=words):
        parse_checklist(text, "inline.yaml")


def test_a_missing_file_lists_the_shipped_checklists(tmp_path):
    with pytest.raises(ChecklistError, match="de_escalation"):
        load_checklist(tmp_path / "nope.yaml")
