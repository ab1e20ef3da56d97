"""Claims and situations in the DuckDB store: schema, writes, reads.

Tables (``CLAIMS_MIGRATION``, schema version 2 in ``tocsin.store.MIGRATIONS``):

- ``claims``: one row per claim (an event as a speaker asserts, denies or doubts
  it), with the character offsets of the speaker, relay, reporting verb and
  quote, the hedge words and the evidence (JSON).
- ``situations``: one row per situation (claims grouped by ``tocsin link``) with
  its status, type family, dates and counts of sources and outlets.
- ``situation_claims``: which claim is in which situation, on which side
  (``A``: the first asserted account, ``B``: the accounts against it,
  ``neutral``: uncertain) and under which independent-source key.

Claims are written with the document (idempotent: a claim id already stored adds
nothing). Situations are kept up to date by ``relink`` (``tocsin.relink``): at
the end of an ingest only the groups new claims join are built again and
replace the situations they absorb; a full relink recomputes every situation.
Either way the writes are one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from tocsin.errors import StoreError
from tocsin.models import Claim

if TYPE_CHECKING:
    from tocsin.link import Situation
    from tocsin.store import Store

LINK_RULES_MIGRATION = """
CREATE TABLE link_rules (version INTEGER, linked_at TIMESTAMP)
"""
"""Schema version 4: the version of the linking rules the stored situations were
built with (``tocsin.link.RULES_VERSION``); see ``tocsin.relink``."""

CLAIMS_MIGRATION = """
CREATE TABLE claims (
    id VARCHAR PRIMARY KEY, doc_id VARCHAR, event_id VARCHAR, type VARCHAR,
    speaker VARCHAR, speaker_code VARCHAR, speaker_type VARCHAR,
    speaker_text VARCHAR, speaker_start INTEGER, speaker_end INTEGER,
    reported_via VARCHAR, via_start INTEGER, via_end INTEGER,
    verb VARCHAR, verb_start INTEGER, verb_end INTEGER,
    quote VARCHAR, quote_start INTEGER, quote_end INTEGER,
    polarity VARCHAR, hedged BOOLEAN, hedges VARCHAR,
    evidence VARCHAR, evidence_kinds VARCHAR, own_evidence BOOLEAN
);
CREATE TABLE situations (
    id VARCHAR PRIMARY KEY, status VARCHAR, family VARCHAR, types VARCHAR,
    n_claims INTEGER, n_sources INTEGER, n_outlets INTEGER,
    date_start DATE, date_end DATE, place_name VARCHAR, country VARCHAR,
    lat DOUBLE, lon DOUBLE, linked_at TIMESTAMP
);
CREATE TABLE situation_claims (
    claim_id VARCHAR PRIMARY KEY, situation_id VARCHAR, side VARCHAR, source_key VARCHAR
);
CREATE INDEX claims_doc ON claims (doc_id);
CREATE INDEX claims_event ON claims (event_id);
CREATE INDEX situation_claims_situation ON situation_claims (situation_id)
"""

CLAIM_COLUMNS = (
    "id", "doc_id", "event_id", "type", "speaker", "speaker_code", "speaker_type",
    "speaker_text", "speaker_start", "speaker_end", "reported_via", "via_start", "via_end",
    "verb", "verb_start", "verb_end", "quote", "quote_start", "quote_end", "polarity",
    "hedged", "hedges", "evidence", "evidence_kinds", "own_evidence",
)  # fmt: skip


def claim_row(c: Claim) -> dict[str, Any]:
    """One flat row of the ``claims`` table."""
    evidence = [
        {"kind": e.kind, "text": e.text, "start": e.start, "end": e.end, "by": e.by, "own": e.own}
        for e in c.evidence
    ]
    return dict(
        id=c.id, doc_id=c.doc_id, event_id=c.event_id, type=c.type, speaker=c.speaker,
        speaker_code=c.speaker_code, speaker_type=c.speaker_type,
        speaker_text=c.speaker_span.text if c.speaker_span else None,
        speaker_start=c.speaker_span.start if c.speaker_span else None,
        speaker_end=c.speaker_span.end if c.speaker_span else None,
        reported_via=c.reported_via,
        via_start=c.via_span.start if c.via_span else None,
        via_end=c.via_span.end if c.via_span else None,
        verb=c.verb.text if c.verb else None, verb_start=c.verb.start if c.verb else None,
        verb_end=c.verb.end if c.verb else None, quote=c.quote.text,
        quote_start=c.quote.start, quote_end=c.quote.end, polarity=c.polarity,
        hedged=c.hedged, hedges=json.dumps(list(c.hedges)), evidence=json.dumps(evidence),
        evidence_kinds=",".join(sorted({e.kind for e in c.evidence})),
        own_evidence=any(e.own for e in c.evidence),
    )  # fmt: skip


def write_claims(store: Store, claims: Iterable[Claim]) -> int:
    """Insert claims (ignoring ids already stored); returns how many rows were given."""
    rows = [claim_row(c) for c in claims]
    if not rows:
        return 0
    frame = pd.DataFrame.from_records(rows, columns=list(CLAIM_COLUMNS))  # noqa: F841
    cols = ", ".join(f'"{c}"' for c in CLAIM_COLUMNS)
    try:
        store.con.execute(
            f"INSERT INTO claims ({cols}) SELECT {cols} FROM frame ON CONFLICT DO NOTHING"
        )
    except duckdb.Error as exc:
        raise StoreError(f"cannot write claims to {store.path}: {exc}") from exc
    return len(rows)


LINK_SQL = """
SELECT c.id, c.doc_id, c.type, c.polarity, c.speaker, c.speaker_code, c.speaker_type,
       c.quote, e.actor, e.trigger, e.place_name, e.lat, e.lon, e.country,
       e.date_start, e.date_end, coalesce(d.outlet, d.source) AS outlet,
       d.published, e.start AS sentence_start{extra}
FROM claims c
JOIN events e ON e.id = c.event_id
JOIN documents d ON d.id = c.doc_id
{join}
ORDER BY d.published NULLS LAST, c.doc_id, e.start NULLS LAST, c.id
"""
"""Claims with what linking reads, in the order situations list them (the claim
id last, so the order is total and a group's rows come in the same order
whichever claims are read)."""


def claims_for_linking(store: Store) -> pd.DataFrame:
    """Every claim with what linking needs: event actor, place, dates; document outlet."""
    return store.con.execute(LINK_SQL.format(extra="", join="")).df()


def relink(store: Store, *, full: bool = False) -> int:
    """Bring the situations up to date with the stored claims: only the groups new
    claims join, or every situation again when ``full`` (see ``tocsin.relink``).
    Returns how many situations the store holds."""
    from tocsin.relink import relink_store

    return relink_store(store, full=full)


SITUATION_COLUMNS = [
    "id", "status", "family", "types", "n_claims", "n_sources", "n_outlets", "date_start",
    "date_end", "place_name", "country", "lat", "lon", "linked_at",
]  # fmt: skip
SITUATION_CASTS = [
    f"CAST({c} AS {t})"
    for c, t in zip(SITUATION_COLUMNS, ["VARCHAR"] * 4 + ["INTEGER"] * 3 + ["DATE"] * 2
                    + ["VARCHAR"] * 2 + ["DOUBLE"] * 2 + ["TIMESTAMP"], strict=True)
]  # fmt: skip


def write_situations(
    store: Store, situations: Sequence[Situation], *, replace: Sequence[str] | None = None
) -> None:
    """Write situations and their claim links in one transaction, after deleting
    the stored situations named in ``replace`` (and their links), or every stored
    situation when ``replace`` is None."""
    now = datetime.now(UTC).replace(tzinfo=None)
    sit_rows = [
        (s.id, s.status, s.family, ",".join(s.types), len(s.claim_ids), s.n_sources,
         s.n_outlets, s.date_start, s.date_end, s.place_name, s.country, s.lat, s.lon, now)
        for s in situations
    ]  # fmt: skip
    link_rows = [
        (cid, s.id, s.sides.get(cid, "neutral"), s.source_keys.get(cid))
        for s in situations
        for cid in s.claim_ids
    ]
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        if replace is None:
            con.execute("DELETE FROM situation_claims")
            con.execute("DELETE FROM situations")
        elif replace:
            con.register("gone_frame", pd.DataFrame({"id": list(replace)}, dtype=object))
            con.execute(
                "DELETE FROM situation_claims WHERE situation_id IN (SELECT id FROM gone_frame)"
            )
            con.execute("DELETE FROM situations WHERE id IN (SELECT id FROM gone_frame)")
            con.unregister("gone_frame")
        if sit_rows:  # one INSERT from a frame: executemany costs ~2 ms a row
            sit_frame = pd.DataFrame(sit_rows, columns=SITUATION_COLUMNS, dtype=object)
            con.register("sit_frame", sit_frame)
            con.execute(
                f"INSERT INTO situations SELECT {', '.join(SITUATION_CASTS)} FROM sit_frame"
            )
            con.unregister("sit_frame")
        if link_rows:
            frame = pd.DataFrame(link_rows, columns=["claim_id", "situation_id", "side", "key"])
            con.register("link_frame", frame)
            con.execute("INSERT INTO situation_claims SELECT * FROM link_frame")
            con.unregister("link_frame")
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise StoreError(f"cannot write situations to {store.path}: {exc}") from exc


CLAIM_VIEW = """
    SELECT c.id, c.doc_id, c.event_id, c.type, c.speaker, c.speaker_code, c.speaker_type,
           c.reported_via, c.verb, c.polarity, c.hedged, c.hedges, c.evidence_kinds AS evidence,
           c.quote, c.quote_start, c.quote_end, c.speaker_start, c.speaker_end,
           e.actor, e.target, e.place_name, e.country, e.lat, e.lon, e.date_start, e.date_end,
           coalesce(d.outlet, d.source) AS outlet, d.published, sc.situation_id
    FROM claims c JOIN events e ON e.id = c.event_id JOIN documents d ON d.id = c.doc_id
    LEFT JOIN situation_claims sc ON sc.claim_id = c.id
"""


@dataclass(frozen=True)
class ClaimFilter:
    """What :func:`query_claims` and :func:`count_claims` keep (speaker matches a
    code prefix, words of the name, or the speaker type)."""

    types: Sequence[str] = ()
    speaker: str | None = None
    polarity: str | None = None
    evidence: str | None = None
    since: str | None = None
    until: str | None = None
    doc_id: str | None = None

    def sql(self) -> tuple[str, list[Any]]:
        """`` WHERE ...`` over CLAIM_VIEW's tables, and its parameters."""
        where: list[str] = []
        args: list[Any] = []
        if self.types:
            where.append(f"c.type IN ({', '.join('?' * len(self.types))})")
            args += [t.upper() for t in self.types]
        if self.speaker:
            where.append("(c.speaker_code LIKE ? OR lower(c.speaker) LIKE ? OR c.speaker_type = ?)")
            args += [f"{self.speaker}%", f"%{self.speaker.lower()}%", self.speaker.lower()]
        if self.polarity:
            where.append("c.polarity = ?")
            args.append(self.polarity)
        if self.evidence:
            where.append("c.evidence_kinds LIKE ?")
            args.append(f"%{self.evidence}%")
        if self.since:
            where.append("e.date_end >= ?")
            args.append(self.since)
        if self.until:
            where.append("e.date_start <= ?")
            args.append(self.until)
        if self.doc_id:
            where.append("c.doc_id LIKE ?")
            args.append(f"{self.doc_id}%")
        return (" WHERE " + " AND ".join(where) if where else ""), args


def query_claims(
    store: Store,
    *,
    limit: int | None = None,
    offset: int = 0,
    **filters: Any,
) -> pd.DataFrame:
    """Claims as a DataFrame, oldest publication first, filtered by ``ClaimFilter``
    fields given as keywords, paged in SQL."""
    where, args = ClaimFilter(**filters).sql()
    sql = CLAIM_VIEW + where + " ORDER BY d.published NULLS LAST, c.doc_id, c.quote_start, c.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    if offset:
        sql += f" OFFSET {int(offset)}"
    return store.con.execute(sql, args).df()


def count_claims(store: Store, **filters: Any) -> int:
    """How many claims :func:`query_claims` would list without a limit."""
    where, args = ClaimFilter(**filters).sql()
    row = store.con.execute(f"SELECT count(*) FROM ({CLAIM_VIEW}{where})", args).fetchone()
    return int(row[0]) if row else 0


def _situation_filter(
    status: str | None, situation_id: str | None, min_claims: int
) -> tuple[str, list[Any]]:
    where: list[str] = ["s.n_claims >= ?"]
    args: list[Any] = [min_claims]
    if status:
        where.append("s.status = ?")
        args.append(status)
    if situation_id:
        where.append("s.id LIKE ?")
        args.append(f"{situation_id}%")
    return " WHERE " + " AND ".join(where), args


def count_situations(store: Store, *, status: str | None = None, min_claims: int = 1) -> int:
    """How many situations :func:`query_situations` would list without a limit."""
    where, args = _situation_filter(status, None, min_claims)
    row = store.con.execute(f"SELECT count(*) FROM situations s{where}", args).fetchone()
    return int(row[0]) if row else 0


SITUATION_CLAIM_FIELDS = (
    "speaker", "speaker_type", "reported_via", "polarity", "hedged", "evidence",
    "type", "quote", "doc_id", "outlet", "published", "side", "id",
)  # fmt: skip


SITUATION_CLAIMS_SQL = """
WITH sc AS (
    SELECT * FROM situation_claims WHERE situation_id IN (SELECT unnest(?::VARCHAR[]))
)
SELECT c.id, c.doc_id, c.type, c.speaker, c.speaker_type, c.reported_via,
       c.polarity, c.hedged, c.evidence_kinds AS evidence, c.quote,
       coalesce(d.outlet, d.source) AS outlet, d.published, sc.situation_id, sc.side
FROM sc JOIN claims c ON c.id = sc.claim_id
JOIN events e ON e.id = c.event_id JOIN documents d ON d.id = c.doc_id
ORDER BY d.published NULLS LAST, c.id
"""


def query_situations(
    store: Store,
    *,
    status: str | None = None,
    situation_id: str | None = None,
    min_claims: int = 1,
    limit: int | None = None,
    offset: int = 0,
) -> pd.DataFrame:
    """Situations, most claims first, with their claims side by side (a list of
    dicts per row, ``SITUATION_CLAIM_FIELDS``). Filters and paging run in SQL, and
    only the claims of the situations returned are read, so one situation of a
    store with millions of claims costs a few index lookups."""
    where, args = _situation_filter(status, situation_id, min_claims)
    page = f" LIMIT {int(limit)}" if limit is not None else ""
    page += f" OFFSET {int(offset)}" if offset else ""
    sits = store.con.execute(
        f"SELECT s.* FROM situations s{where} ORDER BY s.n_claims DESC, s.id{page}", args
    ).df()
    ids = sits["id"].tolist()
    claims = (
        store.con.execute(SITUATION_CLAIMS_SQL, [ids]).df()
        if ids
        else pd.DataFrame(columns=[*SITUATION_CLAIM_FIELDS, "situation_id"])
    )
    by_sit: dict[str, list[dict[str, Any]]] = {}
    for rec in claims.to_dict("records"):
        item = {k: rec[k] for k in SITUATION_CLAIM_FIELDS}
        item["published"] = str(rec["published"])[:10] if rec["published"] is not None else None
        by_sit.setdefault(rec["situation_id"], []).append(item)
    sits["claims"] = [by_sit.get(i, []) for i in sits["id"]]
    return sits


def backfill_claims(store: Store, nlp: Any, gazetteer: Any, batch_size: int = 16) -> int:
    """Extract and store the claims of every stored document that has events but no claims.

    Re-parses the document text (event ids are stable hashes, so the claims join
    the stored events). Used by ``tocsin link`` until claim extraction runs in
    the ingest pipeline; returns the number of claims written.
    """
    from datetime import date

    from tocsin.models import Document
    from tocsin.nlp.claims import extract_claims
    from tocsin.nlp.events import extract_events
    from tocsin.nlp.pipeline import extract_mentions

    rows = store.con.execute(
        """
        SELECT d.id, d.source, d.text, d.title, d.url, d.outlet, CAST(d.published AS VARCHAR)
        FROM documents d
        WHERE EXISTS (SELECT 1 FROM events e WHERE e.doc_id = d.id)
          AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.doc_id = d.id)
        ORDER BY d.id
        """
    ).fetchall()
    docs = [Document(*r) for r in rows]
    written = 0
    for document, doc in zip(
        docs, nlp.pipe((d.text for d in docs), batch_size=batch_size), strict=True
    ):
        published = date.fromisoformat(document.published) if document.published else None
        mentions = extract_mentions(doc, published, gazetteer)
        events = extract_events(doc, document.id, mentions)
        written += write_claims(store, extract_claims(doc, document, mentions, events))
    return written
