"""``tocsin eval timeml``: score date normalisation on TimeML (TimeBank, TempEval-3).

Each ``.tml`` file (or every ``.tml`` file of a folder) has a document creation
time (``<DCT><TIMEX3 value=...>``) and a ``<TEXT>`` whose ``<TIMEX3>`` elements
carry the gold ``type`` and ``value``. The text, tags removed, is analysed with
:func:`tocsin.nlp.pipeline.analyze` with the DCT as publication date.

Measures, over gold TIMEX3 of type DATE:

* ``value_accuracy_gold``: given the gold span, share whose value from
  :func:`tocsin.nlp.times.timex_value` equals the gold value (``1998-01-08``,
  ``1998-W05``, ``1998-Q1``, ``PRESENT_REF`` ...). ``calendar_accuracy_gold`` is the
  same over gold values that are calendar dates (digits only, no ``X``/``REF``).
* ``e2e``: tocsin's own time mentions that have a value, matched to a gold DATE
  they overlap with the same value; mentions overlapping a gold TIME, DURATION or
  SET are not counted.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tocsin.evaluate._common import EvalInputError, EvalResult, Miss, Unreadable, run_documents
from tocsin.evaluate.metrics import overlaps, prf, ratio
from tocsin.models import Document
from tocsin.nlp.times import timex_value

if TYPE_CHECKING:
    from tocsin.run import Settings

DESCRIPTION = "TimeML .tml files or folders: DATE expressions -> TIMEX3 values"
_CALENDAR = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class TimeDoc:
    source: str
    text: str
    dct: date
    timexes: tuple[Timex, ...]


def _flatten(node: ET.Element, parts: list[str], timexes: list[Timex], offset: int) -> int:
    """Append the text under ``node`` to ``parts``, recording TIMEX3 spans."""
    if node.text:
        parts.append(node.text)
        offset += len(node.text)
    for child in node:
        start = offset
        offset = _flatten(child, parts, timexes, offset)
        if child.tag == "TIMEX3":
            surface = "".join(parts)[start:offset]
            timexes.append(
                Timex(start, offset, surface, child.get("type", ""), child.get("value", ""))
            )
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    return offset


def read_tml(path: Path) -> TimeDoc:
    """One TimeML document; raises EvalInputError naming what is missing."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise EvalInputError(f"{path} is not XML ({exc}); expected a TimeML .tml file") from exc
    dct_node = root.find("DCT/TIMEX3")
    text_node = root.find("TEXT")
    if dct_node is None or text_node is None:
        found = ", ".join(f"<{c.tag}>" for c in root) or "no elements"
        raise EvalInputError(
            f"{path} is not TimeML with a creation time: expected <DCT><TIMEX3 value=...> and "
            f"<TEXT> under <{root.tag}>; found {found}"
        )
    try:
        dct = date.fromisoformat((dct_node.get("value") or "")[:10])
    except ValueError as exc:
        raise EvalInputError(f"{path}: DCT value {dct_node.get('value')!r} is not a date") from exc
    parts: list[str] = []
    timexes: list[Timex] = []
    _flatten(text_node, parts, timexes, 0)
    return TimeDoc(str(path), "".join(parts), dct, tuple(timexes))


def _files(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        out.extend(sorted(path.glob("*.tml")) if path.is_dir() else [path])
    if not out:
        raise EvalInputError(f"no .tml files in {', '.join(map(str, paths))}")
    return out


def evaluate(paths: Sequence[Path], settings: Settings) -> EvalResult:
    """Score date normalisation on the TimeML files (or folders) in ``paths``."""
    docs: list[TimeDoc] = []
    unreadable: list[Unreadable] = []
    files = _files(paths)
    for path in files:
        try:
            docs.append(read_tml(path))
        except EvalInputError as exc:
            if len(files) == 1:
                raise
            unreadable.append(Unreadable(str(path), str(exc)))
    documents = [
        Document(id=f"tml{i}", source=d.source, text=d.text, published=d.dct.isoformat())
        for i, d in enumerate(docs)
    ]
    results = run_documents(documents, settings)
    right = total = cal_right = cal_total = tp = fp = fn = 0
    misses: list[Miss] = []
    for doc, result in zip(docs, results, strict=True):
        dates = [t for t in doc.timexes if t.type == "DATE"]
        others = [t for t in doc.timexes if t.type != "DATE"]
        for gold in dates:
            value = timex_value(gold.text, doc.dct)
            ok = value == gold.value
            total += 1
            right += ok
            if _CALENDAR.match(gold.value):
                cal_total += 1
                cal_right += ok
            if not ok:
                misses.append(_miss(doc, gold, value))
        matched: set[int] = set()
        for found in result.mentions.times:
            value = timex_value(found.text, doc.dct)
            if value is None:
                continue
            span = (found.start, found.end)
            hit = next(
                (
                    i
                    for i, g in enumerate(dates)
                    if i not in matched and g.value == value and overlaps(span, (g.start, g.end))
                ),
                None,
            )
            if hit is not None:
                matched.add(hit)
                tp += 1
            elif not any(overlaps(span, (g.start, g.end)) for g in others):
                fp += 1
        fn += len(dates) - len(matched)
    e2e = prf(tp, fp, fn)
    figures: dict[str, Any] = {
        "n_documents": len(docs),
        "n_dates": total,
        "value_accuracy_gold": ratio(right, total),
        "calendar_accuracy_gold": ratio(cal_right, cal_total),
        "e2e": e2e,
        "unreadable": len(unreadable),
    }
    table = (
        ("DATE value accuracy, gold spans", figures["value_accuracy_gold"], total),
        ("  calendar dates only", figures["calendar_accuracy_gold"], cal_total),
        ("end-to-end precision", e2e["precision"], tp + fp),
        ("end-to-end recall", e2e["recall"], tp + fn),
        ("end-to-end F1", e2e["f1"], total),
    )
    return EvalResult("timeml", figures, table, tuple(misses), tuple(unreadable))


def _miss(doc: TimeDoc, gold: Timex, value: str | None) -> Miss:
    context = doc.text[max(0, gold.start - 120) : gold.end + 120]
    return Miss(
        f"{doc.source}@{gold.start}",
        context,
        {"text": gold.text, "value": gold.value, "dct": doc.dct.isoformat()},
        {"value": value},
        ("value",),
        1.0 if value is None else 2.0,
    )
