"""``tocsin claims``, ``tocsin situations`` and ``tocsin stance``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pandas as pd

from tocsin.cli_common import (
    Context,
    F,
    db_option,
    echo_json,
    friendly_errors,
    parse_day,
    pass_ctx,
)
from tocsin.export import FORMATS, write
from tocsin.store import Store

STATUSES = ("single-source", "corroborated", "contradicted", "disputed")
CLAIM_TABLE = (
    ("published", "published"), ("type", "type"), ("polarity", "polarity"),
    ("speaker", "speaker"), ("speaker_type", "speaker type"), ("reported_via", "via"),
    ("evidence", "evidence"), ("outlet", "outlet"), ("quote", "quote"),
)  # fmt: skip
SITUATION_TABLE = (
    ("id", "id"), ("status", "status"), ("types", "types"), ("n_claims", "claims"),
    ("n_sources", "sources"), ("n_outlets", "outlets"), ("date_start", "from"),
    ("date_end", "to"), ("place_name", "place"), ("country", "cty"),
)  # fmt: skip


def _listing_options(fn: F) -> F:
    """--format, --output, --link, --db and error handling, shared by claims and situations."""
    decorators: list[Callable[[Any], Any]] = [
        click.option(
            "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True
        ),
        click.option(
            "--output", "-o", metavar="FILE", help="Write to FILE instead of standard output."
        ),
        click.option(
            "--link/--no-link",
            default=False,
            show_default=True,
            help="First recompute every situation from all stored claims (a full relink; "
            "ingest already links new claims; needs write access).",
        ),
        db_option,
        pass_ctx,
        friendly_errors,
    ]
    for decorate in reversed(decorators):
        fn = decorate(fn)
    return fn


def link_store(store: Store, model: str | None = None, *, full: bool = True) -> dict[str, int]:
    """Extract claims of documents that lack them, then bring the situations up to
    date: every situation again when ``full`` (after a change of the linking
    rules), else only the groups new claims join (what ingest does)."""
    from tocsin.claims_store import backfill_claims, relink
    from tocsin.nlp.annotate import load_model
    from tocsin.nlp.gazetteer import Gazetteer

    new = backfill_claims(store, load_model(model), Gazetteer.open(None))
    counts = {"new_claims": new, "situations": relink(store, full=full)}
    by_status = dict(
        store.con.execute("SELECT status, count(*) FROM situations GROUP BY 1").fetchall()
    )
    for status in STATUSES:
        counts[status] = int(by_status.get(status, 0))
    return counts


def _output(
    frame: pd.DataFrame, fmt: str, output: str | None, columns: tuple[tuple[str, str], ...]
) -> None:
    if fmt in {"csv", "parquet"} and "claims" in frame.columns:
        frame = frame.assign(claims=[json.dumps(c, default=str) for c in frame["claims"]])
    binary = None if output or sys.stdout.isatty() else sys.stdout.buffer
    write(frame, fmt, sys.stdout, binary_out=binary, output_path=output, columns=columns)


@click.command()
@click.option("--type", "types", multiple=True, metavar="PLOVER", help="PLOVER type (repeatable).")
@click.option(
    "--speaker", metavar="CODE|WORDS|TYPE", help="Speaker code prefix, name words or type."
)
@click.option("--polarity", type=click.Choice(["asserted", "denied", "uncertain"]))
@click.option(
    "--evidence", metavar="KIND", help="video, satellite_imagery, official_statement, ..."
)
@click.option(
    "--since", callback=parse_day, metavar="YYYY-MM-DD", help="Events ending on or after."
)
@click.option(
    "--until", callback=parse_day, metavar="YYYY-MM-DD", help="Events starting on or before."
)
@click.option("--doc", "doc_id", metavar="ID", help="Claims of one document (id or prefix).")
@click.option("--limit", type=click.IntRange(1), help="At most this many claims.")
@_listing_options
def claims(ctx: Context, types, speaker, polarity, evidence, since, until, doc_id, limit, fmt,
           output, link) -> None:  # fmt: skip
    """List claims: each event with its speaker, relay, polarity, hedges and evidence.

    \b
    Examples:
      tocsin claims --speaker RUS:MIL --polarity asserted
      tocsin claims --evidence video --format jsonl
      tocsin claims --speaker official_anonymous --format csv -o anonymous.csv
    """
    from tocsin.claims_store import query_claims

    if link:
        with Store.open(ctx.db) as store:
            link_store(store, ctx.model)
    with Store.open(ctx.db, read_only=True) as store:
        frame = query_claims(
            store, types=types, speaker=speaker, polarity=polarity, evidence=evidence,
            since=str(since) if since else None, until=str(until) if until else None,
            doc_id=doc_id, limit=limit,
        )  # fmt: skip
    _output(frame, fmt, output, CLAIM_TABLE)
    if fmt == "table":
        click.echo(f"{len(frame)} claims", err=True)


@click.command()
@click.argument("situation", required=False)
@click.option("--status", type=click.Choice(STATUSES), help="Only situations with this status.")
@click.option("--min-claims", type=click.IntRange(1), default=2, show_default=True)
@_listing_options
def situations(ctx: Context, situation, status, min_claims, fmt, output, link) -> None:
    """Situations: claims from many documents grouped, with a status.

    Statuses: single-source, corroborated (two independent sources in two
    outlets), contradicted (a denial or an incompatible event), disputed (both
    sides corroborated). Give a SITUATION id (or prefix) to see its claims side
    by side.
    """
    from tocsin.claims_store import query_situations

    if link:
        with Store.open(ctx.db) as store:
            click.echo(f"linked: {link_store(store, ctx.model)}", err=True)
    with Store.open(ctx.db, read_only=True) as store:
        frame = query_situations(
            store, status=status, situation_id=situation,
            min_claims=min_claims if situation is None else 1,
        )  # fmt: skip
    if situation is not None and fmt == "table":
        for _, row in frame.iterrows():
            click.echo(f"{row['id']}  {row['status']}  {row['types']}  {row['place_name']}")
            _output(pd.DataFrame(row["claims"]), "table", None, CLAIM_TABLE)
        return
    _output(frame.reset_index(drop=True), fmt, output, SITUATION_TABLE)


@click.command()
@click.argument("claim")
@click.argument("docs", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--train", nargs=2, metavar="STANCES BODIES", type=click.Path(exists=True),
              help="Train a classifier on an FNC-1-style pair of files first.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@friendly_errors
def stance(claim: str, docs: tuple[str, ...], train, as_json: bool) -> None:
    """Stance of each document (text files) towards CLAIM: agree, disagree, discuss, unrelated.

    Without --train an unsupervised rule decides (no model trained on FNC-1 ships
    with tocsin); with --train STANCES.csv BODIES.csv a classifier is trained first.
    """
    from tocsin.stance import Pair, StanceModel, load_fnc, rule_stance

    texts = {d: Path(d).read_text(encoding="utf-8", errors="replace") for d in docs}
    if not texts:
        texts = {"-": sys.stdin.read()}
    rows: list[dict[str, object]]
    if train:
        model = StanceModel.train(load_fnc(*train))
        labels = model.predict([Pair(claim, name, text) for name, text in texts.items()])
        rows = [{"doc": n, "stance": s} for n, s in zip(texts, labels, strict=True)]
    else:
        rows = []
        for name, text in texts.items():
            label, share = rule_stance(claim, text)
            rows.append({"doc": name, "stance": label, "overlap": share})
    if as_json:
        echo_json(rows)
    else:
        for row in rows:
            click.echo(f"{row['stance']:<10} {row['doc']}")
