"""The claim lexicon (``data/claims.yaml``) loaded once into frozen sets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from tocsin.nlp._yaml import safe_load


@dataclass(frozen=True)
class ClaimLexicon:
    """Word lists for attribution, polarity, hedging, evidence and linking."""

    reporting_verbs: frozenset[str]
    denial_verbs: frozenset[str]
    uncertain_verbs: frozenset[str]
    uncertain_phrases: tuple[str, ...]
    hedge_words: frozenset[str]
    hedge_phrases: tuple[str, ...]
    media_words: frozenset[str]
    speaker_nouns: dict[str, tuple[str, ...]]
    sector_types: dict[str, str]
    anonymous_phrases: tuple[str, ...]
    evidence: dict[str, tuple[str, ...]]
    release_verbs: frozenset[str]
    families: dict[str, str]  # PLOVER type -> family name
    incompatible: frozenset[frozenset[str]]


def _words(raw: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in raw.get(key, []))


@lru_cache(maxsize=1)
def load_lexicon() -> ClaimLexicon:
    """Read ``tocsin/data/claims.yaml`` (cached)."""
    text = resources.files("tocsin.data").joinpath("claims.yaml").read_text(encoding="utf-8")
    raw = safe_load(text)
    families = {t: name for name, types in raw["families"].items() for t in types}
    return ClaimLexicon(
        reporting_verbs=_words(raw, "reporting_verbs"),
        denial_verbs=_words(raw, "denial_verbs"),
        uncertain_verbs=_words(raw, "uncertain_verbs"),
        uncertain_phrases=tuple(raw["uncertain_phrases"]),
        hedge_words=_words(raw, "hedge_words"),
        hedge_phrases=tuple(raw["hedge_phrases"]),
        media_words=_words(raw, "media_words"),
        speaker_nouns={k: tuple(v) for k, v in raw["speaker_nouns"].items()},
        sector_types=dict(raw["sector_types"]),
        anonymous_phrases=tuple(raw["anonymous_phrases"]),
        evidence={k: tuple(str(p) for p in v) for k, v in raw["evidence"].items()},
        release_verbs=_words(raw, "release_verbs"),
        families=families,
        incompatible=frozenset(frozenset(pair) for pair in raw["incompatible"]),
    )


@lru_cache(maxsize=512)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A case-insensitive pattern matching ``phrase`` at word boundaries."""
    return re.compile(r"(?<![\w-])" + re.escape(phrase.lower()) + r"(?![\w-])", re.IGNORECASE)


def find_phrases(text: str, phrases: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """Every occurrence of the phrases in ``text``: (phrase, start, end), in text order.

    Most phrases are absent from most sentences, so an ASCII phrase is first looked
    for as a plain substring of the lower-cased text (a fraction of the cost of a
    regex search); for ASCII text and phrase that test can only fail when the
    case-insensitive pattern would find nothing either."""
    lower = text.lower() if text.isascii() else None
    found = [
        (phrase, m.start(), m.end())
        for phrase in phrases
        if lower is None or not phrase.isascii() or phrase.lower() in lower
        for m in phrase_pattern(phrase).finditer(text)
    ]
    return sorted(found, key=lambda f: f[1])
