"""Polarity (asserted / denied / uncertain) and hedges of a claim.

- **uncertain**: the speaker says it cannot tell: a negated or "unable to"
  determine/confirm/verify/know/say above the event ("NATO can't yet determine
  whether ..."), or a phrase such as "no evidence that", "unclear whether",
  "could not be verified" in the sentence. Checked first, so "cannot confirm
  any pullback" is uncertain, not denied.
- **denied**: the event is negated ("have not returned", "no sign of a
  withdrawal"), or the speaker's reporting verb is a denial ("X denied that ...";
  a double negation, "denied that it had not ...", is not resolved).
- **asserted** otherwise.

Hedges: modal verbs (could, may, might) and appear/seem on the path from the
event up to its reporting verb; hedge adverbs ("allegedly", "reportedly") and
phrases ("if true") anywhere in the sentence; a reporting verb "claim" or
"allege" (the author keeps its distance).
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from tocsin.nlp._lexicon import find_phrases, load_lexicon

MODALS = frozenset({"could", "may", "might"})
DISTANCING_VERBS = frozenset({"claim", "allege"})


def _clause_path(anchor: Token, sent: SpacySpan, verb: Token | None) -> list[Token]:
    """The anchor and its ancestors in the sentence, up to (not including) ``verb``."""
    out = [anchor]
    tok = anchor
    while tok.head.i != tok.i and tok.head.i != (verb.i if verb is not None else -1):
        tok = tok.head
        if not sent.start <= tok.i < sent.end:
            break
        out.append(tok)
    return out


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in {"never", "unable"} for c in tok.children) or (
        tok.head.lower_ in {"unable", "impossible"}
    )


def polarity(
    anchor: Token, sent: SpacySpan, verb: Token | None, event_negated: bool, denial: bool
) -> str:
    """``asserted``, ``denied`` or ``uncertain`` (see the module docstring)."""
    lex = load_lexicon()
    path = _clause_path(anchor, sent, None)
    for tok in path[1:]:
        if tok.lemma_.lower() in lex.uncertain_verbs and _negated(tok):
            return "uncertain"
    if find_phrases(sent.text, lex.uncertain_phrases):
        return "uncertain"
    if denial or event_negated:
        return "denied"
    return "asserted"


def hedges(anchor: Token, sent: SpacySpan, verb: Token | None) -> tuple[str, ...]:
    """The hedge words of a claim, in text order (empty when it is not hedged)."""
    found: list[tuple[int, str]] = []
    for tok in _clause_path(anchor, sent, verb):
        for child in tok.children:
            if child.dep_ == "aux" and child.lower_ in MODALS:
                found.append((child.i, child.lower_))
        if tok.lemma_.lower() in {"appear", "seem"}:
            found.append((tok.i, tok.lower_))
    adverbs, phrases = _span_hedges(sent)
    found.extend(adverbs)
    if verb is not None and verb.lemma_.lower() in DISTANCING_VERBS:
        found.append((verb.i, verb.lower_))
    words = [w for _, w in sorted(set(found))]
    words += phrases
    return tuple(dict.fromkeys(words))


def _span_hedges(sent: SpacySpan) -> tuple[list[tuple[int, str]], list[str]]:
    """The hedge adverbs (index, word) and hedge phrases of a sentence: the same for
    every claim in it, so found once per sentence (kept in ``doc.user_data``)."""
    by_bounds = sent.doc.user_data.setdefault("tocsin.hedges", {})
    cached = by_bounds.get((sent.start, sent.end))
    if cached is None:
        lex = load_lexicon()
        adverbs = [
            (tok.i, tok.lower_)
            for tok in sent
            if tok.pos_ == "ADV" and tok.lower_ in lex.hedge_words
        ]
        phrases = [p for p, _, _ in find_phrases(sent.text, lex.hedge_phrases)]
        cached = by_bounds[(sent.start, sent.end)] = (adverbs, phrases)
    return cached
