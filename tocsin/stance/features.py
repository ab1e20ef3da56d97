"""Features of a (claim, article) pair for stance detection.

``FeatureBuilder.fit(texts)`` learns a TF-IDF vocabulary and an LSA projection
from texts alone (no labels); ``transform(pairs)`` gives one row per pair:

- similarity: TF-IDF cosine of claim and body, of claim and the body's first
  sentences, the best and mean sentence cosine; LSA cosine;
- overlap: share of claim words, bigrams and trigrams found in the body and in
  its first 255 characters (the FNC-1 baseline's "hand" features);
- cues: refuting words ("fake", "hoax", "denied", "not true" ...), hedging words
  ("reportedly", "claims", "unconfirmed" ...) and negations, counted in the
  claim, in the body and in the three sentences closest to the claim;
- the claim's LSA vector times the body's (topic-level agreement);
- shape: lengths, a question mark in the claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from tocsin.stance.data import Pair

REFUTE = [
    "fake",
    "fraud",
    "hoax",
    "false",
    "deny",
    "denies",
    "denied",
    "denial",
    "not",
    "despite",
    "nope",
    "doubt",
    "doubts",
    "bogus",
    "debunk",
    "debunks",
    "debunked",
    "prank",
    "pranks",
    "retract",
    "retracts",
    "retracted",
    "untrue",
    "lie",
    "lies",
    "rumour",
    "rumor",
    "rumours",
    "rumors",
    "dismiss",
    "dismissed",
    "fabricated",
    "misleading",
    "refute",
    "refuted",
    "never",
    "no",
]
HEDGE = [
    "reportedly",
    "allegedly",
    "claim",
    "claims",
    "claimed",
    "could",
    "may",
    "might",
    "apparently",
    "possibly",
    "unconfirmed",
    "unverified",
    "purportedly",
    "suggests",
    "suggest",
    "believed",
    "according",
    "rumoured",
    "report",
    "reports",
    "reported",
    "said",
    "says",
    "if",
    "whether",
    "appears",
    "seems",
]
NEGATION = frozenset({"not", "no", "never", "n't", "none", "nobody", "nothing", "neither"})
SENT = re.compile(r"(?<=[.!?])\s+|\n+")
TOKEN = re.compile(r"[a-z0-9']+")
N_LSA = 40


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def sentences(text: str) -> list[str]:
    return [s for s in SENT.split(text) if len(s.split()) >= 3] or [text]


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _share(a: set[tuple[str, ...]] | set[str], b: set[tuple[str, ...]] | set[str]) -> float:
    return len(a & b) / len(a) if a else 0.0


def _cues(words: list[str], lexicon: Sequence[str]) -> np.ndarray:
    counts = dict.fromkeys(lexicon, 0)
    for w in words:
        if w in counts:
            counts[w] += 1
    return np.array(list(counts.values()), dtype=np.float32)


@dataclass
class FeatureBuilder:
    """Unsupervised text models behind the features (fit on texts, never on labels)."""

    tfidf: TfidfVectorizer = field(
        default_factory=lambda: TfidfVectorizer(
            ngram_range=(1, 2),
            min_df=1,
            max_features=60_000,
            sublinear_tf=True,
            stop_words="english",
        )
    )
    svd: TruncatedSVD = field(default_factory=lambda: TruncatedSVD(N_LSA, random_state=0))

    def fit(self, texts: Sequence[str]) -> FeatureBuilder:
        """Learn the vocabulary and the LSA projection from ``texts``."""
        matrix = self.tfidf.fit_transform(list(texts))
        n = min(N_LSA, matrix.shape[1] - 1, matrix.shape[0] - 1)
        if n < N_LSA:
            self.svd = TruncatedSVD(max(n, 1), random_state=0)
        self.svd.fit(matrix)
        return self

    def _body_parts(self, body: str) -> tuple[list[str], np.ndarray, np.ndarray, list[str]]:
        sents = sentences(body)
        vecs = self.tfidf.transform([body, *sents])
        lsa = self.svd.transform(vecs[:1])[0]
        return sents, vecs, lsa, tokens(body)

    def transform(self, pairs: Sequence[Pair]) -> np.ndarray:
        """One feature row per pair (see the module docstring)."""
        cache: dict[str, tuple[list[str], np.ndarray, np.ndarray, list[str]]] = {}
        heads = self.tfidf.transform([p.headline for p in pairs])
        head_lsa = self.svd.transform(heads)
        rows = []
        for i, pair in enumerate(pairs):
            key = pair.body_id or pair.body[:200]
            if key not in cache:
                cache[key] = self._body_parts(pair.body)
            sents, vecs, body_lsa, body_words = cache[key]
            rows.append(self._row(pair, heads[i], head_lsa[i], sents, vecs, body_lsa, body_words))
        return np.vstack(rows)

    def _row(
        self,
        pair: Pair,
        head: Any,
        head_lsa: np.ndarray,
        sents: list[str],
        vecs: Any,
        body_lsa: np.ndarray,
        body_words: list[str],
    ) -> np.ndarray:
        sims = (vecs @ head.T).toarray().ravel()
        body_sim, sent_sims = sims[0], sims[1:]
        order = np.argsort(-sent_sims)[:3]
        best_words = [w for j in order for w in tokens(sents[j])]
        intro = tokens(" ".join(sents[:2]))
        hw = tokens(pair.headline)
        hset, bset = set(hw), set(body_words)
        norm = float(np.linalg.norm(head_lsa) * np.linalg.norm(body_lsa)) or 1.0
        lead = tokens(pair.body[:255])
        scalar = [
            body_sim, sent_sims.max(), sent_sims.mean(), sent_sims[:2].max(),
            float(head_lsa @ body_lsa) / norm,
            _share(hset, bset), _share(hset, set(intro)), _share(hset, set(lead)),
            _share(_ngrams(hw, 2), _ngrams(body_words, 2)),
            _share(_ngrams(hw, 3), _ngrams(body_words, 3)),
            _share(hset, set(best_words)),
            sum(w in NEGATION for w in hw) % 2, sum(w in NEGATION for w in best_words),
            sum(w in NEGATION for w in body_words) / max(len(body_words), 1) * 100,
            np.log1p(len(hw)), np.log1p(len(body_words)), float("?" in pair.headline),
        ]  # fmt: skip
        return np.concatenate(
            [
                np.array(scalar, dtype=np.float32),
                _cues(hw, REFUTE),
                _cues(best_words, REFUTE),
                _cues(body_words, REFUTE) / max(len(body_words), 1) * 100,
                _cues(hw, HEDGE),
                _cues(best_words, HEDGE),
                _cues(body_words, HEDGE) / max(len(body_words), 1) * 100,
                np.pad(head_lsa * body_lsa, (0, N_LSA - len(head_lsa))).astype(np.float32),
            ]
        )
