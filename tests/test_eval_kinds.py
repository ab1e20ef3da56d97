"""``tocsin eval`` on the project's own invented gold fixtures (always run).

Every fixture in tests/fixtures/eval/ was written for these tests; the expected
figures are worked out by hand from the gold in them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tocsin.cli_common import Context
from tocsin.cli_eval import eval_command
from tocsin.evaluate import EvalInputError, evaluate, kinds
from tocsin.nlp.quantities import fatalities

FIXTURES = Path(__file__).parent / "fixtures" / "eval"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def acled():
    return evaluate("acled", [FIXTURES / "acled_mini.csv"])


def test_registry_lists_the_kinds():
    assert set(kinds()) >= {"acled", "plover", "geo", "timeml", "re3d"}
    assert all(isinstance(text, str) and text for text in kinds().values())


def test_acled_types_dates_places_and_fatalities(acled):
    # rows 1-4: shelling, interception, protest, clash -> all coded as in the gold
    assert acled.figures["n"] == 4
    assert acled.figures["event_type"]["accuracy"] == 1.0
    assert acled.figures["sub_event_type"]["accuracy"] == 1.0
    assert acled.figures["event_date"]["exact"] == 1.0
    assert acled.figures["fatalities"] == {"exact": 1.0, "exact_nonzero": 1.0}


def test_acled_unknown_village_falls_back_to_the_named_region(acled):
    # Zzyxivka is invented: its row is placed in Donetsk oblast (within 161 km of the
    # gold point, not within 25 km); the three real towns are within 25 km
    assert acled.figures["location"]["within_161km"] == 1.0
    assert acled.figures["location"]["within_25km"] == 0.75
    assert acled.figures["location"]["admin1"] == 1.0


def test_acled_unreadable_row_is_listed_with_its_reason(acled):
    assert acled.figures["unreadable"] == 1
    (bad,) = acled.unreadable
    assert bad.source.endswith("acled_mini.csv:6")
    assert "timestamp" in bad.reason


def test_acled_wrong_columns_names_expected_and_found(tmp_path):
    path = tmp_path / "not_acled.csv"
    path.write_text("headline,body\nA,B\n", encoding="utf-8")
    with pytest.raises(EvalInputError) as info:
        evaluate("acled", [path])
    message = str(info.value)
    assert "missing notes" in message and "found headline, body" in message


def test_plover_types_and_broken_line():
    result = evaluate("plover", [FIXTURES / "plover_mini.jsonl"])
    # FIGHT is the older name of ASSAULT; all four types are right
    assert result.figures["event_type"]["accuracy"] == 1.0
    assert result.figures["event_type"]["macro_f1"] == 1.0
    assert [u.source.rsplit(":", 1)[1] for u in result.unreadable] == ["5"]


def test_geo_gold_spans_and_end_to_end():
    result = evaluate("geo", [FIXTURES / "geo_mini.xml"])
    # Odesa, Istanbul, Lviv resolve; the invented Zzyxborough cannot: 3 of 4
    assert result.figures["acc_161km_gold"] == 0.75
    assert result.figures["e2e"]["recall"] == 0.75
    assert [m.gold["toponym"] for m in result.misses] == ["Zzyxborough"]


def test_timeml_values_given_gold_spans():
    result = evaluate("timeml", [FIXTURES / "timeml"])
    # DCT Wed 2024-03-06: Monday -> 2024-03-04, last week -> 2024-W09,
    # February -> 2024-02, now -> PRESENT_REF; the DURATION is not counted
    assert result.figures["n_dates"] == 4
    assert result.figures["value_accuracy_gold"] == 1.0


def test_timeml_file_of_another_kind_is_explained(tmp_path):
    path = tmp_path / "x.tml"
    path.write_text("<doc><p>no timeml here</p></doc>", encoding="utf-8")
    with pytest.raises(EvalInputError, match=r"expected <DCT><TIMEX3 value=...> and <TEXT>"):
        evaluate("timeml", [path])


def test_geo_file_of_another_kind_is_explained(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text("<root><item/></root>", encoding="utf-8")
    with pytest.raises(EvalInputError, match=r"no <article> elements \(found <root> with <item>"):
        evaluate("geo", [path])


def test_unknown_kind_is_refused():
    with pytest.raises(EvalInputError, match="unknown eval kind 'fnord'"):
        evaluate("fnord", [FIXTURES / "acled_mini.csv"])


def test_cli_json_has_the_issue_shape_and_errors():
    args = ["acled", str(FIXTURES / "acled_mini.csv"), "--json", "--errors", "2"]
    out = CliRunner().invoke(eval_command, args, obj=Context())
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(data) >= {"n", "event_type", "sub_event_type", "actor1", "actor2", "location"}
    assert set(data["location"]) == {"within_25km", "within_161km", "admin1"}
    assert set(data["fatalities"]) == {"exact", "exact_nonzero"}
    assert len(data["errors"]) <= 2
    assert data["unreadable_records"][0]["reason"].startswith("timestamp")


def test_cli_table_lists_worst_misses():
    args = ["geo", str(FIXTURES / "geo_mini.xml"), "--errors", "1"]
    out = CliRunner().invoke(eval_command, args, obj=Context())
    assert out.exit_code == 0, out.output
    assert "accuracy@161km, gold toponyms" in out.output
    assert "#1" in out.output and "Zzyxborough" in out.output


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Russian forces shelled X. 2 civilians were killed, 1 was wounded.", 2),
        ("A civilian was killed and two were wounded.", 1),
        ("Rebels fired at Y. One soldier was killed [1 fatality split among 9 events].", 0),
        ("Troops clashed near Z [40 reported. 3 fatalities coded to this event].", 3),
        ("Three soldiers were wounded near Z.", 0),
    ],
)
def test_fatalities(nlp, text, expected):
    from tocsin.nlp.quantities import extract_quantities

    assert fatalities(text, extract_quantities(nlp(text))) == expected


def test_re3d_spans_exact_and_unreadable_line():
    result = evaluate("re3d", [FIXTURES / "re3d_mini.txt"])
    fig = result.figures
    # weapons: "Javelin missiles" and "IED" (explosive class) found; tanks are platforms
    assert fig["weapon"]["exact"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    # quantities "40", "Two", "5 km", "3": tocsin's phrases cut after the number or unit
    assert fig["quantity"]["exact"]["f1"] == 1.0
    assert fig["n_sentences"] == 3 and fig["unreadable"] == 1
    assert list(result.misses) == []


@pytest.mark.parametrize(
    ("rows", "text", "spans"),
    [
        (
            [("8", "B-Quantity"), (",", "I-Quantity"), ("000", "I-Quantity"), ("fled", "O")],
            "8,000 fled",
            ["8,000"],
        ),
        (
            [
                ("a", "O"),
                ("2", "B-Quantity"),
                (".", "I-Quantity"),
                ("5", "I-Quantity"),
                ("km", "I-Quantity"),
                ("walk", "O"),
                (".", "O"),
            ],
            "a 2.5 km walk.",
            ["2.5 km"],
        ),
        (
            [("Kyiv", "O"), (",", "O"), ("20", "B-Quantity"), ("(", "O"), ("1", "O"), (")", "O")],
            "Kyiv, 20 (1)",
            ["20"],
        ),
    ],
)
def test_re3d_tokens_join_as_written_text(rows, text, spans):
    from tocsin.evaluate.re3d import _sentence

    sentence = _sentence("x", rows)
    assert sentence.text == text
    assert [sentence.text[a:b] for a, b in sentence.gold["quantity"]] == spans


def test_re3d_file_of_another_kind_is_explained(tmp_path):
    path = tmp_path / "not_bio.txt"
    path.write_text("just a sentence of prose\nand another one\n", encoding="utf-8")
    with pytest.raises(EvalInputError, match="TOKEN<TAB>TAG"):
        evaluate("re3d", [path])
