"""Fold a place name to the key the gazetteer indexes it under."""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

_DROP = re.compile(r"['`\"´.]")
_SPACE = re.compile(r"[\s\-‐‑‒–—_/,;:()\[\]]+")


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """Fold a name for matching: ASCII (``unidecode``), lower case, no apostrophes
    or dots, hyphens and other separators as single spaces.

    "Khar'kov", "Kharkov" -> "kharkov"; "Zaporizhzhia" and "Zaporozhye" stay
    distinct keys that the gazetteer lists for the same city; "U.S." -> "us";
    "Харків" -> "kharkiv"; "Nagorno-Karabakh" -> "nagorno karabakh".
    """
    text = unidecode(name).lower()
    text = _DROP.sub("", text)
    return _SPACE.sub(" ", text).strip()
