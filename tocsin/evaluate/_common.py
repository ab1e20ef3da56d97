"""What every evaluation kind shares: its result records, its input error and the
way it runs the real pipeline over labelled texts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from tocsin.errors import TocsinError
from tocsin.models import DocResult, Document, RawDocument, Skipped

if TYPE_CHECKING:
    from tocsin.nlp.gazetteer import Gazetteer
    from tocsin.run import Settings

BATCH = 64


class EvalInputError(TocsinError):
    """A labelled file is not of the kind asked for (wrong columns or elements)."""


@dataclass(frozen=True)
class Miss:
    """One labelled item the pipeline got wrong: what was expected, what came out.

    ``severity`` orders the misses for ``--errors N`` (larger is worse): the number of
    measures failed, or a distance.
    """

    source: str
    text: str
    gold: dict[str, Any]
    predicted: dict[str, Any]
    failed: tuple[str, ...]
    severity: float


@dataclass(frozen=True)
class Unreadable:
    """A record of a labelled file that could not be used, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class EvalResult:
    """The figures of one evaluation run.

    ``figures`` is the JSON object ``tocsin eval KIND --json`` prints; ``table`` has
    one ``(measure, value, support)`` row per figure for the text table.
    """

    kind: str
    figures: dict[str, Any]
    table: tuple[tuple[str, float | None, int], ...]
    misses: tuple[Miss, ...] = ()
    unreadable: tuple[Unreadable, ...] = field(default_factory=tuple)

    def worst(self, n: int) -> list[Miss]:
        """The ``n`` worst misses, most severe first (stable for equal severity)."""
        return sorted(self.misses, key=lambda m: -m.severity)[:n]


def require_fields(where: str, expected: Sequence[str], found: Sequence[str], kind: str) -> None:
    """Raise ``EvalInputError`` naming what is missing when ``found`` lacks a field."""
    missing = [name for name in expected if name not in found]
    if missing:
        raise EvalInputError(
            f"{where} is not a {kind} file: missing {', '.join(missing)}. Expected "
            f"{', '.join(expected)}; found {', '.join(found) or 'nothing'}."
        )


def _batches(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def run_raw(raws: Sequence[RawDocument], settings: Settings) -> list[DocResult | Skipped]:
    """Run the ingest path (clean, annotate, extract) over records, one result each."""
    from tocsin.run import process_batch

    out: list[DocResult | Skipped] = []
    for batch in _batches(raws, BATCH):
        out.extend(process_batch(batch, settings))
    return out


def run_documents(documents: Sequence[Document], settings: Settings) -> list[DocResult]:
    """Run annotate and extract over documents whose text must keep its offsets
    (gold spans point into it), so cleaning is skipped."""
    from tocsin.nlp.annotate import load_model
    from tocsin.nlp.pipeline import analyze

    nlp = load_model(settings.model)
    return list(analyze(documents, nlp, gazetteer_of(settings), batch_size=settings.batch_size))


@lru_cache(maxsize=2)
def gazetteer_of(settings: Settings) -> Gazetteer:
    """The gazetteer named by ``settings`` (opened once per process)."""
    from tocsin.nlp.gazetteer import Gazetteer

    return Gazetteer.open(settings.gazetteer)
