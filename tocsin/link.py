"""Situations: claims from many documents about one real-world situation, with a status.

``link_claims(frame)`` works in four steps:

1. **Blocking**: claims are compared only within one family of event types
   (``data/claims.yaml``: forces = MOBILIZE/RETREAT, violence = ASSAULT/COERCE,
   talks, pressure, help, inquiry) and one week of event dates (with the next
   week, so a pair across a week boundary is still seen). Claims without a date
   form their own block per family. Blocks are scored with numpy in slices, so
   100,000 claims take seconds to minutes, never all pairs.
2. **Scoring** a pair: dates must overlap within ``DAY_SLACK`` days and places
   (when both are known) lie within ``FAR_KM``; then the score adds the cosine
   of the content words of trigger and quote, the same actor party, a nearby
   place and the same type. Pairs of one type need some shared words, a
   nearby place, or the same actor party in the same document; pairs of
   different types ``MIN_TEXT`` word overlap; pairs at or above ``THRESHOLD``
   are joined (connected components).
3. **Sides**: the first asserted claim fixes the account (side ``A``). A claim
   is on side ``B`` when it denies that account or asserts an incompatible
   event (RETREAT vs MOBILIZE of the same forces, AGREE vs REJECT); uncertain
   claims are ``neutral``.
4. **Status**, from independent sources: a source is the speaker (its actor
   code for institutions, else its name), the outlet for the author's own voice,
   and one source per party for every claim a party makes about its own action
   ("Russia says Russian troops withdraw", however many outlets repeat it, with
   whatever video it released). A syndicated copy is not a document at all, and
   the same outlet twice counts once.

   - ``contradicted``: both sides have claims, from different sources;
   - ``disputed``: contradicted, and each side has two independent sources in
     two outlets;
   - ``corroborated``: one side only, with two independent sources in two outlets;
   - ``single-source``: otherwise.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from tocsin._link_pairs import party, scored_pairs
from tocsin.nlp._lexicon import load_lexicon

RULES_VERSION = 2
"""The version of the linking rules (blocking, pair scoring, sides, status).
Raise it with any change that can group or judge claims differently: a store
whose situations were built under another version is relinked in full by the
next incremental relink (``tocsin.relink``), since that path takes the stored
situations as given. Version 2: pairs across a week boundary are scored
whatever the claims' order."""


@dataclass(frozen=True)
class Situation:
    """Claims grouped as one real-world situation, with their sides and status."""

    id: str
    status: str  # single-source, corroborated, contradicted, disputed
    family: str
    types: tuple[str, ...]
    claim_ids: tuple[str, ...]
    sides: dict[str, str]  # claim id -> A, B, neutral
    source_keys: dict[str, str]  # claim id -> independent-source key
    n_sources: int
    n_outlets: int
    date_start: str | None = None
    date_end: str | None = None
    place_name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


EDGE_BUFFER = 4_000_000  # pairs held before they are folded into a spanning forest


def _forest(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges joining each node to the first node of its component (n - k edges)."""
    first = np.unique(labels, return_index=True)[1]
    root = first[labels]
    keep = root != np.arange(len(labels))
    return np.flatnonzero(keep), root[keep]


def components(n: int, edges: Iterable[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The connected component of each of ``n`` nodes joined by ``edges`` (arrays
    of node pairs), with scipy. Edges are folded into a spanning forest whenever
    ``EDGE_BUFFER`` of them are held, so memory stays O(n) however many pairs."""
    held: list[tuple[np.ndarray, np.ndarray]] = []
    size = 0

    def solve() -> np.ndarray:
        i = np.concatenate([np.empty(0, np.int64), *(e[0] for e in held)])
        j = np.concatenate([np.empty(0, np.int64), *(e[1] for e in held)])
        graph = sparse.coo_matrix((np.ones(len(i), np.int8), (i, j)), shape=(n, n))
        return connected_components(graph.tocsr(), directed=False)[1]

    for pair in edges:
        held.append(pair)
        size += len(pair[0])
        if size > EDGE_BUFFER:
            held, size = [_forest(solve())], 0
    return solve()


def source_key(row: dict[str, object], main_party: str | None = None) -> str:
    """The independent-source key of a claim (see the module docstring, step 4).

    ``main_party`` is the party of the situation's actors, used when the
    claim's own event names no actor.
    """
    if row.get("speaker_type") == "author" or row.get("speaker") == "author":
        return f"outlet:{row.get('outlet') or row.get('doc_id')}"
    speaker_party = party(row.get("speaker_code"))
    actor_party = party(row.get("actor")) or main_party
    if speaker_party and speaker_party == actor_party:
        return f"self:{speaker_party}"
    code = row.get("speaker_code")
    institutional = row.get("speaker_type") in {"government", "military", "international_org"}
    if isinstance(code, str) and code and institutional:
        return f"code:{code}"
    name = re.sub(r"^(the|a|an)\s+|'s|’s", "", str(row.get("speaker") or "").lower()).strip()
    return f"name:{name}"


def _sides(rows: list[dict[str, object]], keys: dict[str, str]) -> dict[str, str]:
    """Side of each claim: A (the account of the reference type), B (against it), neutral.

    The reference type is the one most claims speak of, asserting or denying it
    (the first asserted claim's type breaks ties). A claim's own side comes from
    its polarity and whether its type is incompatible with the reference. One
    independent source then stands on one side: its claims all take the side most
    of them have (on a tie, the side of its claims of the reference type), so a
    party whose statements were typed two ways is never counted against itself.
    """
    incompatible = load_lexicon().incompatible
    first = next((r["type"] for r in rows if r["polarity"] == "asserted"), rows[0]["type"])
    spoken = Counter(r["type"] for r in rows if r["polarity"] != "uncertain")
    reference = max(spoken, key=lambda t: (spoken[t], t == first)) if spoken else first
    own: dict[str, str] = {}
    votes: dict[str, Counter[tuple[str, bool]]] = {}
    for r in rows:
        cid = str(r["id"])
        if r["polarity"] == "uncertain":
            own[cid] = "neutral"
            continue
        positive = r["polarity"] == "asserted"
        if frozenset({r["type"], reference}) in incompatible:
            positive = not positive
        own[cid] = "A" if positive else "B"
        votes.setdefault(keys[cid], Counter())[(own[cid], r["type"] == reference)] += 1
    settled = {
        key: max(("A", "B"), key=lambda s: (v[(s, True)] + v[(s, False)], v[(s, True)]))
        for key, v in votes.items()
    }
    return {i: side if side == "neutral" else settled[keys[i]] for i, side in own.items()}


def _status(rows: list[dict[str, object]], sides: dict[str, str], keys: dict[str, str]) -> str:
    def support(side: str) -> tuple[set[str], set[str]]:
        members = [r for r in rows if sides[str(r["id"])] == side]
        return {keys[str(r["id"])] for r in members}, {str(r["outlet"]) for r in members}

    (a_keys, a_outlets), (b_keys, b_outlets) = support("A"), support("B")
    a_strong = len(a_keys) >= 2 and len(a_outlets) >= 2
    b_strong = len(b_keys) >= 2 and len(b_outlets) >= 2
    if a_keys and b_keys and (b_keys - a_keys):
        return "disputed" if a_strong and b_strong else "contradicted"
    if a_strong or (b_strong and not a_keys):
        return "corroborated"
    return "single-source"


def _summary(rows: list[dict[str, object]]) -> dict[str, object]:
    starts = [str(r["date_start"])[:10] for r in rows if pd.notna(r["date_start"])]
    ends = [str(r["date_end"])[:10] for r in rows if pd.notna(r["date_end"])]
    placed = [r for r in rows if pd.notna(r["place_name"]) and pd.notna(r["lat"])]
    top = Counter(str(r["place_name"]) for r in placed).most_common(1)
    place = next((r for r in placed if top and r["place_name"] == top[0][0]), None)
    countries = Counter(str(r["country"]) for r in rows if pd.notna(r["country"]))
    return {
        "date_start": min(starts) if starts else None,
        "date_end": max(ends) if ends else None,
        "place_name": place["place_name"] if place else None,
        "lat": float(place["lat"]) if place else None,  # type: ignore[arg-type]
        "lon": float(place["lon"]) if place else None,  # type: ignore[arg-type]
        "country": countries.most_common(1)[0][0] if countries else None,
    }


LINK_FIELDS = (
    "id", "doc_id", "type", "polarity", "speaker", "speaker_code", "speaker_type", "actor",
    "place_name", "lat", "lon", "country", "date_start", "date_end", "outlet",
)  # fmt: skip
"""The columns a situation is built from (pairs also read ``quote`` and ``trigger``)."""


def claim_families(types: Iterable[Any]) -> np.ndarray:
    """The type family of each claim type (``data/claims.yaml``; a type of no
    family is a family of its own)."""
    families = load_lexicon().families
    return np.array([families.get(t, t) for t in types], dtype=object)


def link_groups(frame: pd.DataFrame, family: np.ndarray) -> list[list[int]]:
    """Row positions of each group of linked claims (steps 1-2), each in frame
    order, groups in the order of their first row."""
    labels = components(len(frame), scored_pairs(frame, family))
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels.tolist()):
        groups.setdefault(label, []).append(i)
    return list(groups.values())


def group_rows(frame: pd.DataFrame, groups: Iterable[list[int]]) -> Iterator[list[dict[str, Any]]]:
    """The ``LINK_FIELDS`` of each group's rows as dicts, group by group.

    Reads each column once as a list, so a big frame is never turned into one
    dict per row all at once (``to_dict("records")`` of 400,000 claims is GBs).
    """
    columns = {c: frame[c].tolist() for c in LINK_FIELDS}
    for members in groups:
        yield [{c: columns[c][i] for c in LINK_FIELDS} for i in members]


def build_situation(rows: list[dict[str, Any]], family: str) -> Situation:
    """One situation from its claims (steps 3-4), ``rows`` in frame order:
    publication (unknown last), document, sentence, claim id. Used by the full
    and the incremental linking alike, so both give the same situation."""
    ids = [str(r["id"]) for r in rows]
    parties = Counter(p for r in rows if (p := party(r["actor"])))
    main_party = parties.most_common(1)[0][0] if parties else None
    keys = {str(r["id"]): source_key(r, main_party) for r in rows}
    sides = _sides(rows, keys)
    return Situation(
        id=hashlib.sha256("\x1f".join(sorted(ids)).encode()).hexdigest()[:16],
        status=_status(rows, sides, keys),
        family=family,
        types=tuple(sorted({str(r["type"]) for r in rows})),
        claim_ids=tuple(ids),
        sides=sides,
        source_keys=keys,
        n_sources=len(set(keys.values())),
        n_outlets=len({str(r["outlet"]) for r in rows}),
        **_summary(rows),  # type: ignore[arg-type]
    )


def link_claims(frame: pd.DataFrame) -> list[Situation]:
    """Group claims into situations (see the module docstring).

    ``frame`` has one row per claim with ``id, doc_id, type, polarity, speaker,
    speaker_code, speaker_type, quote, trigger, actor, place_name, lat, lon,
    country, date_start, date_end, outlet``, ordered by publication (unknown
    last), document, sentence, then claim id (as
    ``claims_store.claims_for_linking`` returns it).
    """
    if frame.empty:
        return []
    frame = frame.reset_index(drop=True)
    family = claim_families(frame["type"])
    groups = link_groups(frame, family)
    return [
        build_situation(rows, str(family[members[0]]))
        for members, rows in zip(groups, group_rows(frame, groups), strict=True)
    ]


def frame_from_claims(
    claims: list[Any], events: list[Any], documents: dict[str, Any]
) -> pd.DataFrame:
    """The frame ``link_claims`` reads, built in memory from claims, their events and
    documents (by id), without a store. Undated events keep no date."""
    by_id = {e.id: e for e in events}
    rows = []
    for c in claims:
        e = by_id[c.event_id]
        d = documents[c.doc_id]
        t, p = e.time, e.place
        rows.append(
            dict(
                id=c.id,
                doc_id=c.doc_id,
                type=c.type,
                polarity=c.polarity,
                speaker=c.speaker,
                speaker_code=c.speaker_code,
                speaker_type=c.speaker_type,
                quote=c.quote.text,
                trigger=e.trigger.text,
                actor=e.actor.code if e.actor else None,
                place_name=p.name if p else None,
                lat=p.lat if p else None,
                lon=p.lon if p else None,
                country=p.country if p else None,
                date_start=(t.date_start if t else None) or d.published,
                date_end=(t.date_end if t else None) or d.published,
                outlet=d.outlet or d.source,
            )
        )
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


FRAME_COLUMNS = [
    "id", "doc_id", "type", "polarity", "speaker", "speaker_code", "speaker_type", "quote",
    "trigger", "actor", "place_name", "lat", "lon", "country", "date_start", "date_end", "outlet",
]  # fmt: skip
