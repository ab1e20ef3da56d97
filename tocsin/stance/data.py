"""Reading FNC-1-style files: a stances CSV (Headline, Body ID, Stance) and a bodies
CSV (Body ID, articleBody)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from tocsin.errors import InputError

LABELS = ("agree", "disagree", "discuss", "unrelated")


@dataclass(frozen=True)
class Pair:
    """A claim (headline) and an article body, with the gold stance when known."""

    headline: str
    body_id: str
    body: str
    stance: str | None = None


def load_fnc(stances: str | Path, bodies: str | Path) -> list[Pair]:
    """Pairs of an FNC-1 stances file joined with its bodies file."""
    csv.field_size_limit(10_000_000)
    try:
        with open(bodies, encoding="utf-8", newline="") as f:
            body_text = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(f)}
        with open(stances, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, KeyError) as exc:
        raise InputError(
            str(stances),
            f"cannot read FNC-1 files ({exc}): expected columns Headline, "
            "Body ID, Stance and Body ID, articleBody",
        ) from exc
    pairs = []
    for row in rows:
        bid = row["Body ID"]
        if bid not in body_text:
            raise InputError(str(stances), f"body id {bid} is not in {bodies}")
        stance = (row.get("Stance") or "").strip().lower() or None
        if stance is not None and stance not in LABELS:
            raise InputError(str(stances), f"unknown stance {stance!r}: use one of {LABELS}")
        pairs.append(Pair(row["Headline"], bid, body_text[bid], stance))
    return pairs
