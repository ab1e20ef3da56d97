"""``tocsin eval re3d``: score weapon and quantity spans on re3d-style BIO files.

Each file has one token a line, ``TOKEN<TAB>TAG`` with IOB2 tags (``B-Weapon``,
``I-Quantity``, ``O``...), and a blank line between sentences. A sentence's text is
its tokens joined as written text ("8,000", "2.5", no space before a comma),
analysed with :func:`tocsin.nlp.pipeline.analyze`.

Measures, per class and over both (micro):

* ``weapon``: gold ``Weapon`` spans against tocsin's equipment spans, less the
  classes re3d calls ``MilitaryPlatform`` (tanks, armoured vehicles, aircraft,
  drones, ships) and support (logistics, medical, electronic warfare). The spans
  are tocsin's own (descriptive adjectives in; articles, counts and nationality
  out): re3d's gold is not consistent about articles, counts or "strikes", and
  tocsin does not copy it (docs/evaluation.md gives the figures);
* ``quantity``: gold ``Quantity`` spans against tocsin's quantity spans cut to
  re3d's convention: from the number (re3d leaves the approximation word out:
  "about 50m" is marked "50m") to its last number or unit of measure (re3d marks
  "24" in "24 munitions", tocsin the whole phrase). Sums of money are left out
  (re3d has a ``Money`` class), and so are counts of a group of people
  ("97 civilians", "120 soldiers"): re3d's files keep one label a token and mark
  such a phrase as one ``Organisation``/``Person`` mention, never as a quantity.

``exact`` counts a predicted span right when it has the same start and end as a
gold span of its class; ``overlap`` when it overlaps one (each gold span is
matched once). Spans are compared as token ranges, so "24" and "24 ." differ.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tocsin.evaluate._common import EvalInputError, EvalResult, Miss, Unreadable, run_documents
from tocsin.evaluate.metrics import overlaps, prf
from tocsin.models import DocResult, Document, Quantity
from tocsin.nlp._numbers import APPROX
from tocsin.nlp.quantities import PEOPLE

if TYPE_CHECKING:
    from tocsin.run import Settings

DESCRIPTION = "re3d token-per-line BIO files: Weapon and Quantity spans"
CLASSES = {"Weapon": "weapon", "Quantity": "quantity"}
PLATFORMS = frozenset(
    {"tank", "armoured_vehicle", "aircraft", "drone", "naval", "logistics", "medical"}
    | {"electronic_warfare"}
)
_NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?%)\]}]|'s|n't|'re|'ve|'ll|'d|'m)$", re.IGNORECASE)
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "£", "€"})
_NUMBER_PART = re.compile(r"^\d+$")
_THOUSANDS_HEAD = re.compile(r"(?:^|[^\d,.])\d{1,3}(?:,\d{3})*,$")
_MONEY = frozenset({"USD", "EUR", "GBP", "RUB", "UAH", "CNY"})
#: Counted nouns of a group of people that re3d tags with the number as one mention.
_GROUPS = PEOPLE - {"person", "people"}
_MEASURE = re.compile(
    r"\d[\d,.]*[a-z]*|\b(?:percent|per cent|k?m|mi|miles?|kilomet(?:re|er)s?|square|sq|acres?|"
    r"hectares?|m3|ft|feet|kg|tonnes?|tons?|half|(?:hundred|thousand|million|billion)s?|dozens?|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|"
    r"seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty)\b|%",
    re.IGNORECASE,
)

#: Normal approximation words ("about", "over") that re3d leaves out of a quantity.
_CUT_APPROX = frozenset(APPROX.values())

Span = tuple[int, int]


@dataclass(frozen=True)
class Sentence:
    source: str
    text: str
    gold: dict[str, tuple[Span, ...]]  # class -> character spans


def _close(spans: dict[str, list[Span]], label: str | None, start: int, end: int) -> None:
    if label in CLASSES:
        spans[CLASSES[label]].append((start, end))


def _sentence(source: str, rows: list[tuple[str, str]]) -> Sentence:
    """Build the text and the gold character spans of one sentence."""
    spans: dict[str, list[Span]] = {name: [] for name in CLASSES.values()}
    text, label, start, end = "", None, 0, 0
    previous = ""
    for token, tag in rows:
        space = " " if text and _spaced(previous, token, text) else ""
        begin = len(text) + len(space)
        text = f"{text}{space}{token}"
        previous = token
        prefix, _, kind = tag.partition("-")
        if prefix == "I" and kind == label:
            end = len(text)
            continue
        _close(spans, label, start, end)
        label, start, end = (kind, begin, len(text)) if prefix in ("B", "I") else (None, 0, 0)
    _close(spans, label, start, end)
    return Sentence(source, text, {k: tuple(v) for k, v in spans.items()})


def _spaced(previous: str, token: str, text: str) -> bool:
    """Whether written text has a space between ``previous`` and ``token``."""
    if _NO_SPACE_BEFORE.match(token):
        return False
    if previous in (",", ".") and _NUMBER_PART.match(token) and text[-2:-1].isdigit():
        if previous == ".":
            return False  # "2.5"
        # "8,000" and "150,000,000", but "In 2013, 700": no group of four digits
        return not (len(token) == 3 and _THOUSANDS_HEAD.search(text))
    return previous not in _NO_SPACE_AFTER


def read_sentences(path: Path) -> tuple[list[Sentence], list[Unreadable]]:
    """Sentences of a BIO file, and the lines that could not be read."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalInputError(f"cannot read {path}: {exc}") from exc
    sentences: list[Sentence] = []
    bad: list[Unreadable] = []
    rows: list[tuple[str, str]] = []
    first = 1
    for number, line in enumerate([*lines, ""], start=1):
        if not line.strip():
            if rows:
                sentences.append(_sentence(f"{path}:{first}", rows))
            rows, first = [], number + 1
            continue
        parts = line.split("\t")
        tag = parts[-1].strip()
        if len(parts) != 2 or not (tag == "O" or tag[:2] in ("B-", "I-")):
            bad.append(Unreadable(f"{path}:{number}", f"expected TOKEN<TAB>TAG, found {line!r}"))
            continue
        rows.append((parts[0], tag))
    if not sentences and bad:
        raise EvalInputError(
            f"{path} is not a re3d BIO file: expected one TOKEN<TAB>TAG a line (tags such "
            f"as B-Weapon, I-Quantity, O); line 1 is {lines[0]!r}"
        )
    return sentences, bad


def _predicted(result: DocResult) -> dict[str, list[Span]]:
    m = result.mentions
    return {
        "weapon": [(e.start, e.end) for e in m.equipment if e.cls not in PLATFORMS],
        "quantity": [_number_part(q) for q in m.quantities if _re3d_quantity(q)],
    }


def _re3d_quantity(q: Quantity) -> bool:
    """Whether re3d would mark ``q`` as a Quantity (not Money, not a group of people)."""
    return q.unit not in _MONEY and not (q.unit is None and q.counts in _GROUPS)


def _number_part(q: Quantity) -> Span:
    """The span of a quantity phrase from its number (after the approximation word)
    up to its last number or unit of measure."""
    matches = list(_MEASURE.finditer(q.text))
    if not matches:
        return (q.start, q.end)
    first = matches[0].start() if q.approx and q.approx in _CUT_APPROX else 0
    return (q.start + first, q.start + matches[-1].end())


def _score(gold: Sequence[Span], pred: Sequence[Span], exact: bool) -> tuple[int, int, int]:
    """(tp, fp, fn) of predicted against gold spans, each gold span matched once."""
    free = list(gold)
    tp = 0
    for span in pred:
        hit = next((g for g in free if g == span or (not exact and overlaps(g, span))), None)
        if hit is not None:
            free.remove(hit)
            tp += 1
    return tp, len(pred) - tp, len(free)


def evaluate(paths: Sequence[Path], settings: Settings) -> EvalResult:
    """Score equipment and quantity spans on every sentence of the BIO files."""
    sentences: list[Sentence] = []
    unreadable: list[Unreadable] = []
    for path in paths:
        read, bad = read_sentences(path)
        sentences.extend(read)
        unreadable.extend(bad)
    docs = [Document(id=f"re3d{i}", source=s.source, text=s.text) for i, s in enumerate(sentences)]
    counts = {(c, mode): [0, 0, 0] for c in CLASSES.values() for mode in ("exact", "overlap")}
    misses: list[Miss] = []
    for sentence, result in zip(sentences, run_documents(docs, settings), strict=True):
        predicted = _predicted(result)
        for cls in CLASSES.values():
            for mode in ("exact", "overlap"):
                got = _score(sentence.gold[cls], predicted[cls], mode == "exact")
                counts[(cls, mode)] = [a + b for a, b in zip(counts[(cls, mode)], got, strict=True)]
            if set(sentence.gold[cls]) != set(predicted[cls]):
                misses.append(_miss(sentence, cls, predicted[cls]))
    figures: dict[str, Any] = {"n_sentences": len(sentences), "unreadable": len(unreadable)}
    table: list[tuple[str, float | None, int]] = []
    for mode in ("exact", "overlap"):
        total = [0, 0, 0]
        for cls in CLASSES.values():
            tp, fp, fn = counts[(cls, mode)]
            figures.setdefault(cls, {})[mode] = prf(tp, fp, fn)
            total = [total[0] + tp, total[1] + fp, total[2] + fn]
            table.append((f"{cls} span F1 ({mode})", figures[cls][mode]["f1"], tp + fn))
        figures.setdefault("all", {})[mode] = prf(*total)
        table.append(
            (f"weapon+quantity F1 ({mode})", figures["all"][mode]["f1"], total[0] + total[2])
        )
    return EvalResult("re3d", figures, tuple(table), tuple(misses), tuple(unreadable))


def _miss(sentence: Sentence, cls: str, predicted: Sequence[Span]) -> Miss:
    gold = sentence.gold[cls]
    wrong = len(set(gold) ^ set(predicted))
    return Miss(
        f"{sentence.source}/{cls}",
        sentence.text,
        {cls: [sentence.text[s:e] for s, e in gold]},
        {cls: [sentence.text[s:e] for s, e in predicted]},
        (cls,),
        float(wrong),
    )
