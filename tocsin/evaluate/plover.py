"""``tocsin eval plover``: score event coding on PLOVER gold-standard records (JSONL).

Each record's ``text`` is one sentence, run through the ingest path. The record's
predicted event is the first asserted event of the sentence (the first event when
all are negated); older type names in the gold (FIGHT, ACCUSE, YIELD) are mapped to
tocsin's types with :func:`tocsin.nlp._ontology.normalise_type`.

Measures: event type accuracy and macro-F1 over all records (no event is a miss);
source and target actor accuracy over records with a gold actor code: right when
the country (or IGO) of tocsin's actor is one of the gold codes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tocsin.evaluate._common import EvalResult, Miss, Unreadable, require_fields, run_raw
from tocsin.evaluate.metrics import accuracy, macro_f1, per_class_f1, ratio
from tocsin.models import Actor, DocResult, Event, RawDocument
from tocsin.nlp._ontology import normalise_type

if TYPE_CHECKING:
    from tocsin.run import Settings

DESCRIPTION = "PLOVER gold-standard JSON Lines: sentence -> event type, source, target"
FIELDS = ("text", "event")
INTERNATIONAL = frozenset({"IGO", "NGO"})


@dataclass(frozen=True)
class Gold:
    """One PLOVER record: its sentence, event type and actor codes."""

    source: str
    text: str
    event: str
    sources: frozenset[str]
    targets: frozenset[str]


def _codes(value: Any) -> frozenset[str]:
    """Country (or IGO/NGO) parts of a record's ``source``/``target`` field."""
    items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    codes = set()
    for item in items:
        code = str(item.get("code") or "").strip().upper() if isinstance(item, dict) else ""
        if code:
            codes.add(code[:3])
    return frozenset(codes)


def read_records(path: Path) -> tuple[list[Gold], list[Unreadable]]:
    """Usable records of a PLOVER JSONL file, and the lines that could not be used."""
    golds: list[Gold] = []
    bad: list[Unreadable] = []
    seen_fields: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                bad.append(Unreadable(where, f"not JSON: {exc.msg}"))
                continue
            if not isinstance(record, dict):
                bad.append(Unreadable(where, "not a JSON object"))
                continue
            seen_fields.update(record)
            if not str(record.get("text") or "").strip() or not record.get("event"):
                bad.append(Unreadable(where, "no text or no event"))
                continue
            golds.append(
                Gold(
                    source=where,
                    text=str(record["text"]),
                    event=normalise_type(str(record["event"])),
                    sources=_codes(record.get("source")),
                    targets=_codes(record.get("target")),
                )
            )
    if not golds:
        require_fields(str(path), FIELDS, sorted(seen_fields), "PLOVER JSON Lines")
    return golds, bad


def main_event(events: Sequence[Event]) -> Event | None:
    """The first asserted event, else the first event, else None."""
    return next((e for e in events if not e.negated), events[0] if events else None)


def actor_code(actor: Actor | None) -> str | None:
    """The part of an actor's code PLOVER gold compares: country, or IGO/NGO."""
    if actor is None:
        return None
    if actor.sector in INTERNATIONAL:
        return actor.sector
    return actor.country


def evaluate(paths: Sequence[Path], settings: Settings) -> EvalResult:
    """Score the pipeline on every record of the PLOVER JSONL files in ``paths``."""
    golds: list[Gold] = []
    unreadable: list[Unreadable] = []
    for path in paths:
        rows, bad = read_records(path)
        golds.extend(rows)
        unreadable.extend(bad)
    raws = [RawDocument(source=g.source, content=g.text) for g in golds]
    kept: list[Gold] = []
    events: list[Event | None] = []
    for gold, result in zip(golds, run_raw(raws, settings), strict=True):
        if not isinstance(result, DocResult):
            unreadable.append(Unreadable(gold.source, f"not processed: {result.reason}"))
            continue
        kept.append(gold)
        events.append(main_event(result.events))
    return _score(kept, events, unreadable)


def _score(golds: list[Gold], events: list[Event | None], bad: list[Unreadable]) -> EvalResult:
    gold_types = [g.event for g in golds]
    pred_types = [e.type if e else None for e in events]
    src = [
        (actor_code(e.actor if e else None) in g.sources)
        for g, e in zip(golds, events, strict=True)
        if g.sources
    ]
    tgt = [
        (actor_code(e.target if e else None) in g.targets)
        for g, e in zip(golds, events, strict=True)
        if g.targets
    ]
    per_type = per_class_f1(gold_types, pred_types)
    figures: dict[str, Any] = {
        "n": len(golds),
        "event_type": {
            "accuracy": accuracy(gold_types, pred_types),
            "macro_f1": macro_f1(gold_types, pred_types),
            "per_type_f1": {str(k): round(v, 4) for k, v in sorted(per_type.items(), key=str)},
        },
        "source": {"accuracy": ratio(sum(src), len(src)), "n": len(src)},
        "target": {"accuracy": ratio(sum(tgt), len(tgt)), "n": len(tgt)},
        "unreadable": len(bad),
    }
    table = (
        ("event type accuracy", figures["event_type"]["accuracy"], len(golds)),
        ("event type macro-F1", figures["event_type"]["macro_f1"], len(golds)),
        ("source actor (country/IGO)", figures["source"]["accuracy"], len(src)),
        ("target actor (country/IGO)", figures["target"]["accuracy"], len(tgt)),
    )
    misses = []
    for gold, event in zip(golds, events, strict=True):
        if event is not None and event.type == gold.event:
            continue
        predicted = {
            "event": event.type if event else None,
            "trigger": event.trigger.text if event else None,
            "actor": event.actor.code if event and event.actor else None,
            "target": event.target.code if event and event.target else None,
        }
        gold_view = {
            "event": gold.event,
            "source": sorted(gold.sources),
            "target": sorted(gold.targets),
        }
        misses.append(Miss(gold.source, gold.text, gold_view, predicted, ("event_type",), 1.0))
    return EvalResult("plover", figures, table, tuple(misses), tuple(bad))
