"""Stance (FNC-1): the score, the file reader, the rule stance and the classifier.

Fixtures in tests/fixtures/claims/ are invented; FNC-1 scores are worked out by
hand from the official weights (0.25 for related/unrelated right, 0.75 more for
the right related class).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tocsin.errors import InputError
from tocsin.evaluate_claims import eval_claims
from tocsin.stance import LABELS, Pair, StanceModel, fnc_score, load_fnc, rule_stance

FIXTURES = Path(__file__).parent / "fixtures" / "claims"


@pytest.fixture(scope="module")
def pairs() -> list[Pair]:
    return load_fnc(FIXTURES / "stances.csv", FIXTURES / "bodies.csv")


@pytest.mark.parametrize(
    ("gold", "predicted", "score", "best"),
    [
        (["agree"], ["agree"], 1.0, 1.0),
        (["agree"], ["discuss"], 0.25, 1.0),
        (["agree"], ["unrelated"], 0.0, 1.0),
        (["unrelated"], ["unrelated"], 0.25, 0.25),
        (["unrelated"], ["disagree"], 0.0, 0.25),
        (["disagree", "unrelated"], ["disagree", "unrelated"], 1.25, 1.25),
    ],
)
def test_fnc_score(gold, predicted, score, best):
    result = fnc_score(gold, predicted)
    assert (result["score"], result["max_score"]) == (score, best)
    assert result["score_pct"] == pytest.approx(100 * score / best)


def test_per_class_f1():
    result = fnc_score(["agree", "agree", "disagree"], ["agree", "disagree", "disagree"])
    assert result["f1"]["agree"] == pytest.approx(2 / 3, abs=1e-4)  # P 1, R 1/2
    assert result["f1"]["disagree"] == pytest.approx(2 / 3, abs=1e-4)  # P 1/2, R 1
    assert result["f1"]["discuss"] == 0.0


def test_load_fnc(pairs):
    assert len(pairs) == 8
    assert pairs[0].headline == "Drone attack sets fuel depot on fire"
    assert pairs[0].body_id == "1" and pairs[0].body.startswith("The regional governor")
    assert {p.stance for p in pairs} == set(LABELS)


def test_load_fnc_unknown_body(tmp_path):
    stances = tmp_path / "s.csv"
    stances.write_text("Headline,Body ID,Stance\nA claim,99,agree\n", encoding="utf-8")
    with pytest.raises(InputError, match="body id 99"):
        load_fnc(stances, FIXTURES / "bodies.csv")


@pytest.mark.parametrize("index", [0, 1, 2, 3, 4, 5, 7])
def test_rule_stance_on_clear_cases(pairs, index):
    pair = pairs[index]
    assert rule_stance(pair.headline, pair.body)[0] == pair.stance


def test_rule_stance_empty_claim():
    assert rule_stance("", "Some article text here.") == ("unrelated", 0.0)


def test_model_trains_and_predicts(pairs):
    model = StanceModel.train(pairs * 3)
    predicted = model.predict(pairs)
    assert len(predicted) == len(pairs) and set(predicted) <= set(LABELS)
    assert model.predict([]) == []


def test_training_needs_labels(pairs):
    with pytest.raises(InputError):
        StanceModel.train([Pair("a claim", "1", "a body")])


def test_eval_claims_on_invented_gold(nlp):
    result = eval_claims(
        FIXTURES / "gold.jsonl", FIXTURES / "docs", pairs_path=FIXTURES / "pairs.jsonl", nlp=nlp
    )
    # The first sentence carries two RETREAT events (completed drills, returning),
    # the second one; the third sentence none: 3 claims found, 2 match the gold.
    assert result["counts"] == {"found": 3, "gold": 2, "matched": 2}
    assert result["claim"]["recall"] == 1.0
    assert result["claim"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["speaker"]["recall"] == 1.0
    assert result["polarity"]["recall"] == 1.0
    assert result["contradictions"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_eval_claims_missing_document(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"doc": "nope", "id": "x", "quote": "q"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"nope\.txt"):
        eval_claims(gold, tmp_path)
