"""Measure tocsin against data people coded by hand: ``tocsin eval KIND FILE...``.

Each kind of labelled data has one module here with ``DESCRIPTION`` (one line) and
``evaluate(paths, settings) -> EvalResult``; the table below registers it. Adding a
kind is one module plus one line in ``_KINDS``.

    acled    ACLED export CSV               -> tocsin.evaluate.acled
    plover   PLOVER gold-standard JSONL     -> tocsin.evaluate.plover
    geo      GeoWebNews / LGL XML           -> tocsin.evaluate.geo
    timeml   TimeML (.tml) files or folders -> tocsin.evaluate.timeml
    re3d     re3d token-per-line BIO files  -> tocsin.evaluate.re3d

Every kind runs the real pipeline (``tocsin.run.process_batch`` or
``tocsin.nlp.pipeline.analyze``), never a shortcut, and reports the records it
could not read instead of dropping them. See docs/evaluation.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from tocsin.evaluate._common import EvalInputError, EvalResult, Miss, Unreadable

if TYPE_CHECKING:
    from tocsin.run import Settings

__all__ = ["EvalInputError", "EvalResult", "Miss", "Unreadable", "evaluate", "kinds"]

_KINDS = MappingProxyType(
    {
        "acled": "tocsin.evaluate.acled",
        "plover": "tocsin.evaluate.plover",
        "geo": "tocsin.evaluate.geo",
        "timeml": "tocsin.evaluate.timeml",
        "re3d": "tocsin.evaluate.re3d",
    }
)


def kinds() -> dict[str, str]:
    """Every registered kind and its one-line description."""
    return {name: importlib.import_module(mod).DESCRIPTION for name, mod in _KINDS.items()}


def evaluate(
    kind: str, paths: Sequence[str | Path], settings: Settings | None = None
) -> EvalResult:
    """Run the pipeline over labelled files of ``kind`` and score it.

    Raises ``EvalInputError`` for an unknown kind, a missing file or a file that is
    not of that kind (the message names what was expected and what was found).
    """
    from tocsin.run import Settings

    if kind not in _KINDS:
        raise EvalInputError(f"unknown eval kind {kind!r}; use one of {', '.join(_KINDS)}")
    files = [Path(p) for p in paths]
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        raise EvalInputError(f"no such file: {', '.join(missing)}")
    if not files:
        raise EvalInputError(f"give at least one {kind} file to evaluate")
    module = importlib.import_module(_KINDS[kind])
    result: EvalResult = module.evaluate(files, settings or Settings())
    return result
