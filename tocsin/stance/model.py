"""Train, predict and measure stance with a gradient-boosted classifier.

``StanceModel.train(pairs)`` fits the unsupervised text models on the texts of
the pairs, then a ``HistGradientBoostingClassifier`` on their features.
``cross_validate(pairs, k)`` folds by body id (a body is never in both the
training and the test part) and reports the FNC-1 score relative to its
maximum and per-class F1 over all folds; ``train_and_test`` trains on one set of
pairs and tests on another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from tocsin.errors import InputError
from tocsin.stance.data import LABELS, Pair
from tocsin.stance.features import FeatureBuilder

RELATED = frozenset({"agree", "disagree", "discuss"})
# Up-weighting of the rare classes (the FNC-1 score rewards finding them).
CLASS_WEIGHT = {"agree": 1.5, "disagree": 3.0, "discuss": 1.0, "unrelated": 1.0}


@dataclass
class StanceModel:
    """Feature builder and classifier, trained together."""

    features: FeatureBuilder
    classifier: HistGradientBoostingClassifier

    @classmethod
    def train(
        cls, pairs: Sequence[Pair], seed: int = 0, features: FeatureBuilder | None = None
    ) -> StanceModel:
        """Fit on labelled pairs (every pair needs a stance).

        ``features``: an already fitted builder (else one is fitted on these texts).
        """
        labels = [p.stance for p in pairs]
        if any(label is None for label in labels):
            raise InputError("training pairs", "every training pair needs a Stance")
        features = features or FeatureBuilder().fit(_texts(pairs))
        return cls(features, _classifier(features.transform(pairs), labels, seed))

    def predict(self, pairs: Sequence[Pair]) -> list[str]:
        """The stance of each pair."""
        if not pairs:
            return []
        x = self.features.transform(pairs)
        with threadpool_limits(1):
            return [str(y) for y in self.classifier.predict(x)]


def _texts(pairs: Sequence[Pair]) -> list[str]:
    return [p.headline for p in pairs] + list({p.body_id: p.body for p in pairs}.values())


def _classifier(x: np.ndarray, labels: Sequence[Any], seed: int) -> HistGradientBoostingClassifier:
    """A gradient-boosted classifier on feature rows, rare classes up-weighted."""
    weights = np.array([CLASS_WEIGHT[str(label)] for label in labels])
    clf = HistGradientBoostingClassifier(
        max_iter=150, learning_rate=0.1, max_leaf_nodes=31, l2_regularization=1.0,
        early_stopping=False, random_state=seed,
    )  # fmt: skip
    with threadpool_limits(1):  # OpenMP threads crawl on a busy 2-core machine
        clf.fit(x, np.array([str(label) for label in labels]), sample_weight=weights)
    return clf


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """The FNC-1 score, its maximum, the relative score and per-class F1."""
    score = best = 0.0
    for g, p in zip(gold, predicted, strict=True):
        best += 0.25 if g == "unrelated" else 1.0
        if g == p:
            score += 0.25
            if g != "unrelated":
                score += 0.5
        if g in RELATED and p in RELATED:
            score += 0.25
    f1 = f1_score(list(gold), list(predicted), labels=list(LABELS), average=None, zero_division=0)
    confusion = {g: {p: 0 for p in LABELS} for g in LABELS}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    return {
        "score": round(score, 2),
        "max_score": round(best, 2),
        "score_pct": round(100 * score / best, 2) if best else 0.0,
        "f1": {label: round(float(v), 4) for label, v in zip(LABELS, f1, strict=True)},
        "macro_f1": round(float(np.mean(f1)), 4),
        "pairs": len(gold),
        "confusion": confusion,
    }


def cross_validate(pairs: Sequence[Pair], k: int = 5, seed: int = 0) -> dict[str, Any]:
    """FNC-1 score and per-class F1 over ``k`` folds grouped by body id.

    The text models (TF-IDF, LSA) are fitted once on all texts, without labels,
    as the FNC-1 baseline does; the classifier of each fold sees only the labels
    of its training bodies.
    """
    if len({p.body_id for p in pairs}) < k:
        raise InputError("stances", f"grouped cross-validation needs at least {k} bodies")
    gold = [str(p.stance) for p in pairs]
    x = FeatureBuilder().fit(_texts(pairs)).transform(pairs)
    predicted = np.empty(len(pairs), dtype=object)
    groups = [p.body_id for p in pairs]
    for train_idx, test_idx in GroupKFold(n_splits=k).split(x, gold, groups):
        clf = _classifier(x[train_idx], [gold[i] for i in train_idx], seed)
        with threadpool_limits(1):
            predicted[test_idx] = clf.predict(x[test_idx])
    result = fnc_score(gold, [str(p) for p in predicted])
    result["folds"] = k
    result["grouped_by"] = "body id"
    return result


def train_and_test(train: Sequence[Pair], test: Sequence[Pair]) -> dict[str, Any]:
    """Train on ``train`` and measure on ``test`` (bodies shared by both are reported)."""
    model = StanceModel.train(train)
    result = fnc_score([str(p.stance) for p in test], model.predict(test))
    result["shared_bodies"] = len({p.body_id for p in train} & {p.body_id for p in test})
    return result
