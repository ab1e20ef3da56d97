"""Tests for the re3d conventions of tocsin.evaluate.re3d: how tocsin's quantity
phrases are cut and which of them re3d would mark, and how tokens join as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tocsin.evaluate import evaluate
from tocsin.evaluate.re3d import _number_part, _re3d_quantity, _sentence
from tocsin.models import Quantity

FIXTURES = Path(__file__).parent / "fixtures" / "eval"


def _q(text: str, **fields) -> Quantity:
    return Quantity(start=10, end=10 + len(text), text=text, **fields)


@pytest.mark.parametrize(
    ("quantity", "span"),
    [
        (_q("about 50m", value=50, unit="metre", approx="about"), (16, 19)),
        (_q("more than 2,000 people", value=2000, approx="over"), (20, 25)),
        (_q("24 munitions", value=24, counts="munition"), (10, 12)),
        (_q("5 km", value=5, unit="km"), (10, 14)),
        (_q("tens of thousands", value=10000, approx="tens of"), (10, 27)),
        (_q("half a million", value=500000), (10, 24)),
    ],
)
def test_number_part(quantity, span):
    assert _number_part(quantity) == span


@pytest.mark.parametrize(
    ("quantity", "kept"),
    [
        (_q("$5 million", value=5e6, unit="USD"), False),  # re3d's Money class
        (_q("97 civilians", value=97, counts="civilian"), False),  # an Organisation there
        (_q("40 soldiers", value=40, counts="soldier"), False),
        (_q("28 people", value=28, counts="person"), True),
        (_q("12 tanks", value=12, counts="tank"), True),
        (_q("30 percent", value=30, unit="percent"), True),
    ],
)
def test_which_quantities_re3d_marks(quantity, kept):
    assert _re3d_quantity(quantity) is kept


@pytest.mark.parametrize(
    ("rows", "text"),
    [
        ([("In", "O"), ("2013", "O"), (",", "O"), ("700", "B-Quantity"), ("left", "O")],
         "In 2013, 700 left"),
        ([("150", "B-Quantity"), (",", "I-Quantity"), ("000", "I-Quantity"),
          (",", "I-Quantity"), ("000", "I-Quantity")], "150,000,000"),
        ([("1", "B-Quantity"), (",", "I-Quantity"), ("200", "I-Quantity")], "1,200"),
    ],
)  # fmt: skip
def test_four_digit_number_and_comma_stay_apart(rows, text):
    assert _sentence("x", rows).text == text


def test_conventions_fixture():
    result = evaluate("re3d", [FIXTURES / "re3d_conventions.txt"])
    fig = result.figures
    # gold: Weapon "machine guns", "IEDs"; Quantity "300", "2 km" (not "about 2 km"),
    # "15" of "15 strikes"; "[4]", the coordinates and the sum of money are not marked
    assert fig["weapon"]["exact"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert fig["quantity"]["exact"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert fig["n_sentences"] == 3


def test_weapon_spans_take_adjectives_but_not_counts_or_nationality(tmp_path):
    # invented sentences; gold by hand: "crude chemical weapons", "rockets" (not
    # "several rockets"), "missiles" (not "Israeli missiles"); no weapon in "mortar team"
    rows = [
        "The\tO\ncell\tO\nhid\tO\ncrude\tB-Weapon\nchemical\tI-Weapon\nweapons\tI-Weapon\n.\tO\n",
        "Several\tO\nrockets\tB-Weapon\nhit\tO\nthe\tO\nbase\tO\n.\tO\n",
        "Israeli\tO\nmissiles\tB-Weapon\nhit\tO\na\tO\nmortar\tO\nteam\tO\n.\tO\n",
    ]
    path = tmp_path / "weapons.txt"
    path.write_text("\n".join(rows), encoding="utf-8")
    fig = evaluate("re3d", [path]).figures
    assert fig["n_sentences"] == 3
    assert fig["weapon"]["exact"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
