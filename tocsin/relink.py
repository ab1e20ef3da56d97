"""Keep the stored situations up to date: a full recompute, or an incremental one.

The full relink (``relink_store(store, full=True)``) links every claim of the
store again (``tocsin.link.link_claims``) and replaces every situation.

The incremental relink (the default, run at the end of each ingest) gives the
same situations at a cost that depends on the new claims, not on the store.
It rests on two facts of ``tocsin.link``: a pair is only scored inside a block
(type family and week ``days // 7``, against the same and the next week;
undated claims one block per family), and whether a pair is joined depends
only on its two claims. So every pair that is not already inside a stored
situation involves a new claim, and a new claim of week ``w`` can only pair
with claims of weeks ``w-1 .. w+1`` of its family (undated: its family's
undated claims). The steps:

1. New claims are those without a row in ``situation_claims`` (which also
   links the claims of a run killed between writing claims and linking).
2. Read, in full, only the claims of the blocks new claims touch (their family,
   weeks ``w-1 .. w+1``), score their pairs, and join each old claim with its
   stored situation (pairs between old claims there are inside a situation
   already, so they change nothing).
3. The groups that hold a new claim, together with every claim of the stored
   situations they absorb (those may lie in other weeks), are built again with
   ``tocsin.link.build_situation``, their rows in the order of the full path.
4. One transaction deletes the absorbed situations and inserts the new ones;
   every other situation stays as it is.

Stored situations are assumed to be what the full relink gives for the old
claims under the same rules, so the store records the version of the rules its
situations were built with (table ``link_rules``; ``tocsin.link.RULES_VERSION``):
when it differs (a store linked by an older tocsin), the incremental relink
does a full one instead, once.
"""

from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tocsin.claims_store import LINK_SQL, claims_for_linking, write_situations

if TYPE_CHECKING:
    from tocsin.link import Situation
    from tocsin.store import Store

WEEK_SQL = (
    "CASE WHEN e.date_start IS NULL OR e.date_start < DATE '1970-01-01' THEN -1 "
    "ELSE date_diff('day', DATE '1970-01-01', e.date_start) // 7 END"
)
"""The blocking week of a claim, as ``tocsin._link_pairs.weeks`` computes it."""

NEW_CLAIMS_SQL = f"""
SELECT c.id, c.type, {WEEK_SQL} AS week
FROM claims c
JOIN events e ON e.id = c.event_id
JOIN documents d ON d.id = c.doc_id
WHERE NOT EXISTS (SELECT 1 FROM situation_claims sc WHERE sc.claim_id = c.id)
"""


def relink_store(store: Store, *, full: bool = False) -> int:
    """Bring the situations up to date with the stored claims (incrementally
    unless ``full``); returns how many situations the store holds."""
    from tocsin.link import link_claims

    if full or not _rules_current(store):
        write_situations(store, link_claims(claims_for_linking(store)))
    else:
        situations, gone = incremental_situations(store)
        if situations or gone:
            write_situations(store, situations, replace=gone)
    _record_rules(store)  # after the situations: a crash in between means a full relink
    # fetchall: a result left open by fetchone blocks a later register() (DuckDB 2)
    return int(store.con.execute("SELECT count(*) FROM situations").fetchall()[0][0])


def _rules_current(store: Store) -> bool:
    """Were the stored situations built with this tocsin's linking rules? (A store
    with no situations yet has nothing to redo.)"""
    from tocsin.link import RULES_VERSION

    con = store.con
    if not con.execute("SELECT count(*) FROM situations").fetchall()[0][0]:
        return True
    rows = con.execute("SELECT version FROM link_rules").fetchall()
    return bool(rows) and rows[0][0] == RULES_VERSION


def _record_rules(store: Store) -> None:
    """Note that the stored situations follow this tocsin's linking rules."""
    from tocsin.link import RULES_VERSION

    store.con.execute("DELETE FROM link_rules")
    store.con.execute("INSERT INTO link_rules VALUES (?, current_timestamp)", [RULES_VERSION])


def _touched_blocks(new: pd.DataFrame) -> pd.DataFrame:
    """(type, week) of every block a new claim can pair into: its family's types
    and weeks ``w-1 .. w+1`` (undated: week -1 only)."""
    from tocsin.link import claim_families
    from tocsin.nlp._lexicon import load_lexicon

    families = load_lexicon().families
    members: dict[object, set[object]] = {}
    for t, f in families.items():
        members.setdefault(f, {f}).add(t)  # a type named as a family is in it
    keys: set[tuple[object, int]] = set()
    for fam, week in zip(claim_families(new["type"]), new["week"], strict=True):
        weeks = [-1] if week < 0 else [w for w in (week - 1, week, week + 1) if w >= 0]
        for t in members.get(fam, {fam}):
            keys.update((t, int(w)) for w in weeks)
    return pd.DataFrame(sorted(keys, key=str), columns=["type", "week"])


def _query(store: Store, sql: str, **frames: pd.DataFrame) -> pd.DataFrame:
    """Run ``sql`` with small frames registered under their names."""
    con = store.con
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        return con.execute(sql).df()
    finally:
        for name in frames:
            con.unregister(name)


def incremental_situations(store: Store) -> tuple[list[Situation], list[str]]:
    """The situations of the groups that hold a new claim, and the ids of the
    stored situations they replace (see the module docstring)."""
    from tocsin.link import build_situation, claim_families, components, group_rows, scored_pairs

    new = store.con.execute(NEW_CLAIMS_SQL).df()
    if new.empty:
        return [], []
    # 2. the touched blocks in full, with the stored situation of each claim
    block = _query(
        store,
        LINK_SQL.format(
            extra=", sc.situation_id",
            join=f"JOIN touched_blocks t ON t.type = c.type AND t.week = {WEEK_SQL}\n"
            "LEFT JOIN situation_claims sc ON sc.claim_id = c.id",
        ),
        touched_blocks=_touched_blocks(new),
    )
    # nodes: the block's claims, then one per stored situation; edges: claim to
    # its situation, and the pairs with a new claim (pairs of two old claims are
    # inside one situation already)
    sits = block["situation_id"]
    old = sits.notna().to_numpy()
    old_sits, sit_of = np.unique(sits[old].to_numpy(dtype=str), return_inverse=True)
    to_sit = (np.flatnonzero(old), len(block) + sit_of)
    pairs = scored_pairs(block, claim_families(block["type"]), focus=~old)
    labels = components(len(block) + len(old_sits), chain([to_sit], pairs)).tolist()
    # 3. groups holding a new claim (a new claim outside every block, e.g. of
    # no type, is a group of its own), and the stored situations they absorb
    new_ids = set(new["id"])
    group_of = dict(zip(block["id"], labels[: len(block)], strict=True))  # claim id -> group
    affected = {group_of[c] for c in new_ids if c in group_of}
    for k, cid in enumerate(sorted(new_ids - group_of.keys())):
        group_of[cid] = -1 - k
        affected.add(-1 - k)
    group_of_sit = {
        str(s): labels[len(block) + k]
        for k, s in enumerate(old_sits)
        if labels[len(block) + k] in affected
    }
    gone = list(group_of_sit)
    rows = _query(
        store,
        LINK_SQL.format(
            extra=", sc.situation_id",
            join="JOIN (SELECT id FROM new_ids UNION SELECT claim_id FROM situation_claims "
            "WHERE situation_id IN (SELECT id FROM gone_ids)) w ON w.id = c.id\n"
            "LEFT JOIN situation_claims sc ON sc.claim_id = c.id",
        ),
        new_ids=pd.DataFrame({"id": sorted(new_ids)}),
        gone_ids=pd.DataFrame({"id": gone}, dtype=object),
    )
    groups: dict[int, list[int]] = {}
    for i, (cid, sit) in enumerate(zip(rows["id"], rows["situation_id"], strict=True)):
        groups.setdefault(group_of[cid] if cid in group_of else group_of_sit[sit], []).append(i)
    members = list(groups.values())
    family = claim_families(rows["type"])
    situations = [
        build_situation(group, str(family[m[0]]))
        for m, group in zip(members, group_rows(rows, members), strict=True)
    ]
    return situations, gone
