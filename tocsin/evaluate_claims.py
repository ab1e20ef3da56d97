"""Measure claims, situations and stance against hand annotations.

``eval_claims(gold_path, docs_dir)`` runs the pipeline on each annotated
document (``DIR/<doc>.txt``), extracts claims, links them, and compares with the
gold JSON Lines (one claim per line: ``doc``, ``id``, exact ``quote``,
``speaker``, ``polarity``, ``evidence``, ``event_type``, ``situation``) and, when
a ``claims_pairs*.jsonl`` file sits next to it (or ``pairs_path`` is given), the
pairs that contradict each other.

- **claim**: a found claim matches a gold claim when the quote spans overlap
  (one to one, the largest overlap first, the same event type preferred);
  precision over found claims, recall over gold claims.
- **speaker, polarity, evidence, event_type**: F1 where a true positive is a
  matched claim that also agrees on that field (speaker: both ``author`` or a
  shared content word; evidence: a shared kind).
- **situation_pairs**: pairs of gold claims put in one situation by both.
- **contradictions**: gold ``contradicts`` pairs found on opposite sides of one
  situation.

``eval_fnc1(stances, bodies, train=None)`` is the FNC-1 stance measure: grouped
cross-validation, or training on ``train`` (stances, bodies) and testing.
"""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path
from typing import Any

from tocsin.errors import InputError
from tocsin.models import Document

EVIDENCE_ALIASES = {"satellite": "satellite_imagery", "official": "official_statement"}
STOP = frozenset(["the", "a", "an", "of", "and", "in", "on", "u.s.", "s"])


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"cannot read gold JSON Lines: {exc}") from exc


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower().replace("defence", "defense"))} - STOP


def _speaker_ok(found: str, gold: str) -> bool:
    if gold == "author" or found == "author":
        return gold == found
    return bool({w.rstrip("s") for w in _words(found)} & {w.rstrip("s") for w in _words(gold)})


def _kinds(value: str | None) -> set[str]:
    return {EVIDENCE_ALIASES.get(k.strip(), k.strip()) for k in (value or "none").split(",")}


def _f1(tp: int, n_found: int, n_gold: int) -> dict[str, float]:
    p = tp / n_found if n_found else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
    }


def _match(found: list[Any], gold: list[dict[str, Any]]) -> dict[int, int]:
    """One-to-one matches found index -> gold index, largest overlap first."""
    cands = []
    for i, c in enumerate(found):
        for j, g in enumerate(gold):
            if g["_doc"] != c.doc_id or g["_start"] < 0:
                continue
            overlap = min(c.quote.end, g["_end"]) - max(c.quote.start, g["_start"])
            if overlap > 0:
                cands.append((c.type == g.get("event_type"), overlap, i, j))
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, _, i, j in sorted(cands, reverse=True):
        if i not in out and j not in used:
            out[i] = j
            used.add(j)
    return out


def _run_documents(
    docs: dict[str, str], nlp: Any = None
) -> tuple[list[Any], list[Any], dict[str, Document]]:
    """Claims and events of each document text (the full per-document pipeline)."""
    from tocsin.nlp.annotate import load_model
    from tocsin.nlp.claims import extract_claims
    from tocsin.nlp.events import extract_events
    from tocsin.nlp.gazetteer import Gazetteer
    from tocsin.nlp.pipeline import extract_mentions

    nlp, gazetteer = nlp or load_model(), Gazetteer.open(None)
    claims, events, documents = [], [], {}
    for doc_id, text in docs.items():
        document = Document(id=doc_id, source=doc_id, text=text, outlet=doc_id)
        documents[doc_id] = document
        doc = nlp(text)
        mentions = extract_mentions(doc, None, gazetteer)
        evs = extract_events(doc, doc_id, mentions)
        events += evs
        claims += extract_claims(doc, document, mentions, evs)
    return claims, events, documents


def eval_claims(
    gold_path: str | Path,
    docs_dir: str | Path,
    pairs_path: str | Path | None = None,
    nlp: Any = None,
) -> dict[str, Any]:
    """Precision and recall of claims and their fields against gold (module docstring).

    ``nlp`` is a loaded spaCy pipeline (default: ``load_model()``).
    """
    from tocsin.link import frame_from_claims, link_claims

    gold_path, docs_dir = Path(gold_path), Path(docs_dir)
    gold = _read_jsonl(gold_path)
    texts: dict[str, str] = {}
    for g in gold:
        doc = g["doc"]
        if doc not in texts:
            path = docs_dir / f"{doc}.txt"
            if not path.is_file():
                raise InputError(str(path), "annotated document not found: name it <doc>.txt")
            texts[doc] = path.read_text(encoding="utf-8")
        start = texts[doc].find(g["quote"])
        g.update(_doc=doc, _start=start, _end=start + len(g["quote"]) if start >= 0 else -1)
    claims, events, documents = _run_documents(texts, nlp)
    match = _match(claims, gold)
    pairs = [(claims[i], gold[j]) for i, j in match.items()]
    n_found, n_gold = len(claims), len(gold)
    result: dict[str, Any] = {
        "claim": _f1(len(match), n_found, n_gold),
        "speaker": _f1(
            sum(_speaker_ok(c.speaker, g["speaker"]) for c, g in pairs), n_found, n_gold
        ),
        "polarity": _f1(sum(c.polarity == g["polarity"] for c, g in pairs), n_found, n_gold),
        "evidence": _f1(
            sum(bool({e.kind for e in c.evidence} & _kinds(g["evidence"])) for c, g in pairs),
            n_found,
            n_gold,
        ),
        "event_type": _f1(sum(c.type == g["event_type"] for c, g in pairs), n_found, n_gold),
        "gold_quotes_not_found": sum(g["_start"] < 0 for g in gold),
    }
    situations = link_claims(frame_from_claims(claims, events, documents))
    gold_of = {claims[i].id: gold[j]["id"] for i, j in match.items()}
    found_pairs, found_contra = set(), set()
    for s in situations:
        members = [(gold_of[c], s.sides[c]) for c in s.claim_ids if c in gold_of]
        for (a, sa), (b, sb) in combinations(members, 2):
            found_pairs.add(frozenset((a, b)))
            if {sa, sb} == {"A", "B"}:
                found_contra.add(frozenset((a, b)))
    gold_pairs = {
        frozenset((a["id"], b["id"]))
        for a, b in combinations(gold, 2)
        if a["situation"] and a["situation"] == b["situation"]
    }
    result["situation_pairs"] = _f1(
        len(found_pairs & gold_pairs), len(found_pairs), len(gold_pairs)
    )
    pairs_file = Path(pairs_path) if pairs_path else _pairs_file(gold_path)
    if pairs_file is not None:
        contra = {
            frozenset((p["a"], p["b"]))
            for p in _read_jsonl(pairs_file)
            if p.get("relation") == "contradicts"
        }
        result["contradictions"] = _f1(len(found_contra & contra), len(found_contra), len(contra))
    result["counts"] = {"found": n_found, "gold": n_gold, "matched": len(match)}
    return result


def _pairs_file(gold_path: Path) -> Path | None:
    """The pairs file next to the gold file (``claims_seeds_dev`` -> ``claims_pairs_dev``)."""
    for cand in (
        gold_path.with_name(gold_path.name.replace("seeds", "pairs")),
        gold_path.with_name("claims_pairs.jsonl"),
    ):
        if cand != gold_path and cand.is_file():
            return cand
    return None


def eval_fnc1(
    stances: str | Path, bodies: str | Path, train: tuple[str | Path, str | Path] | None = None
) -> dict[str, Any]:
    """FNC-1 score (``score_pct``) and per-class F1: grouped 5-fold CV, or train/test."""
    from tocsin.stance import cross_validate, load_fnc, train_and_test

    test = load_fnc(stances, bodies)
    if train is None:
        return cross_validate(test, k=5)
    return train_and_test(load_fnc(*train), test)


__all__ = ["eval_claims", "eval_fnc1"]
