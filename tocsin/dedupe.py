"""Exact and near-duplicate detection of articles.

* Exact: ``text_hash(text)`` hashes ``normalize_for_hash(text)``: case, quotes,
  punctuation and whitespace do not change the hash.
* Near: ``minhash_signature(text)`` is a MinHash over word 3-shingles of the
  normalised text (fixed seed, so signatures are stable across runs and
  processes); ``NearDuplicateIndex`` keeps signatures in a MinHash LSH and
  answers "which earlier document is this a copy of?".

A syndicated copy (new headline, a few edited words) is a second *report* of
the same article, not a second event.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from datasketch import MinHash, MinHashLSH

__all__ = [
    "NearDuplicateIndex",
    "minhash_signature",
    "normalize_for_hash",
    "signature_similarity",
    "text_hash",
]

SEED = 1
SHINGLE = 3
SCHEME = "affine32"  # datasketch 2.x: 32-bit hashes, values fit in uint32


_NOT_ALNUM = re.compile(r"[\W_]")
"""A character that is not ``str.isalnum`` (``\\w`` is exactly alphanumeric or "_")."""


def normalize_for_hash(text: str) -> str:
    """Lowercase, NFKC-fold, replace punctuation and symbols by spaces, collapse whitespace."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_ALNUM.sub(" ", folded).split())


def text_hash(text: str) -> str:
    """First 16 hex digits of the SHA-256 of ``normalize_for_hash(text)``."""
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()[:16]


def _shingles(text: str) -> list[bytes]:
    """Word 3-shingles of the normalised text (the whole text when shorter)."""
    words = normalize_for_hash(text).split()
    if len(words) <= SHINGLE:
        return [" ".join(words).encode("utf-8")]
    return [
        " ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)
    ]


def minhash_signature(text: str, num_perm: int = 64) -> tuple[int, ...]:
    """MinHash signature (``num_perm`` integers) of the word 3-shingles of ``text``."""
    minhash = MinHash(
        num_perm=num_perm, seed=SEED, scheme=SCHEME, permutations=_permutations(num_perm)
    )
    minhash.update_batch(_shingles(text))
    return tuple(int(v) for v in minhash.hashvalues)


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> Any:
    """The permutation parameters of a fresh MinHash: drawn from a random generator
    seeded with ``SEED``, so always the same; drawn once, not for every text."""
    return MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations


def _to_minhash(signature: Sequence[int], num_perm: int) -> MinHash:
    if len(signature) != num_perm:
        raise ValueError(
            f"signature has {len(signature)} values but the index uses num_perm={num_perm}; "
            "compute it with minhash_signature(text, num_perm) using the same num_perm"
        )
    return MinHash(
        num_perm=num_perm,
        seed=SEED,
        scheme=SCHEME,
        hashvalues=list(signature),
        permutations=_permutations(num_perm),
    )


def signature_similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures of the same length."""
    if len(a) != len(b) or not a:
        raise ValueError(f"signatures differ in length ({len(a)} vs {len(b)}) or are empty")
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


class NearDuplicateIndex:
    """Signatures of documents seen so far, queried for near-duplicates via MinHash LSH."""

    def __init__(self, threshold: float = 0.8, num_perm: int = 64) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[str, tuple[int, ...]] = {}
        self._rank: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._signatures

    def add(self, doc_id: str, signature: Sequence[int]) -> None:
        """Index a document's signature; adding a known ``doc_id`` again does nothing."""
        if doc_id in self._signatures:
            return
        self._lsh.insert(doc_id, _to_minhash(signature, self.num_perm))
        self._rank[doc_id] = len(self._signatures)
        self._signatures[doc_id] = tuple(int(v) for v in signature)

    def find(self, signature: Sequence[int]) -> str | None:
        """The indexed doc id most similar to ``signature`` at or above the threshold.

        Ties go to the document added first. None when there is no such document.
        """
        candidates = self._lsh.query(_to_minhash(signature, self.num_perm))
        best: tuple[float, int, str] | None = None
        for doc_id in candidates:
            score = signature_similarity(signature, self._signatures[doc_id])
            if score < self.threshold:
                continue
            key = (-score, self._rank[doc_id], doc_id)
            if best is None or key < best:
                best = key
        return None if best is None else best[2]
