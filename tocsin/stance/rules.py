"""An unsupervised stance: thresholds on overlap and cue words, no training data.

Used by ``tocsin stance`` when no training file is given. The claim is
``unrelated`` when its words barely occur in the article; ``disagree`` when
the sentences closest to it carry refuting words ("denied", "false", "hoax",
"fake"); ``discuss`` when they hedge ("reportedly", "claims", "could not be
verified", "unclear whether"); ``agree`` otherwise.
"""

from __future__ import annotations

from tocsin.stance.features import REFUTE, sentences, tokens

RELATED_SHARE = 0.35
STRONG_REFUTE = frozenset(REFUTE) - {"not", "no", "never", "despite", "doubt", "doubts"}
STRONG_HEDGE = frozenset(
    [
        "reportedly",
        "allegedly",
        "unconfirmed",
        "unverified",
        "verified",
        "may",
        "might",
        "could",
        "claim",
        "claims",
        "claimed",
        "purportedly",
        "whether",
        "unclear",
        "rumour",
        "rumor",
        "apparently",
        "possibly",
    ]
)
# function words left out of a claim's content words ("not", "no", "said" stay: they carry stance)
STOP = frozenset({
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "and", "or", "but", "is", "are",
    "was", "were", "be", "by", "with", "as", "it",
})  # fmt: skip


def rule_stance(claim: str, article: str) -> tuple[str, float]:
    """(stance, share of the claim's content words found in the article's best sentences)."""
    claim_words = {w for w in tokens(claim) if w not in STOP}
    if not claim_words:
        return "unrelated", 0.0
    scored = sorted(
        ((len(claim_words & set(tokens(s))) / len(claim_words), s) for s in sentences(article)),
        reverse=True,
    )
    best = [s for _, s in scored[:3]]
    share = len(claim_words & {w for w in tokens(article)}) / len(claim_words)
    if share < RELATED_SHARE or scored[0][0] < 0.2:
        return "unrelated", round(share, 3)
    words = [w for s in best for w in tokens(s)]
    if any(w in STRONG_REFUTE for w in words):
        return "disagree", round(share, 3)
    if any(w in STRONG_HEDGE for w in words):
        return "discuss", round(share, 3)
    return "agree", round(share, 3)
