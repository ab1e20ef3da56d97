"""Stance of an article towards a claim: agree, disagree, discuss or unrelated (FNC-1).

- ``features``: headline/body features (word and n-gram overlap, TF-IDF and
  LSA similarity, refuting, hedging and negation cues in the sentences of the
  body closest to the claim).
- ``model``: a gradient-boosted classifier trained at run time from a
  user-given FNC-1-style file, the FNC-1 score and grouped cross-validation.
- ``rules``: an unsupervised stance (thresholds on the same features, no
  training data), the default of ``tocsin stance``.

No weights trained on FNC-1 ship with tocsin (its licence does not allow it):
see docs/claims.md.
"""

from tocsin.stance.data import LABELS, Pair, load_fnc
from tocsin.stance.model import StanceModel, cross_validate, fnc_score, train_and_test
from tocsin.stance.rules import rule_stance

__all__ = [
    "LABELS",
    "Pair",
    "StanceModel",
    "cross_validate",
    "fnc_score",
    "load_fnc",
    "rule_stance",
    "train_and_test",
]
