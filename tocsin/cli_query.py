"""``tocsin events``, ``tocsin show`` and ``tocsin stats``."""

from __future__ import annotations

import sys

import click

from tocsin.cli_common import Context, db_option, echo_json, friendly_errors, parse_day, pass_ctx
from tocsin.export import FORMATS, write
from tocsin.query import (
    EventFilter,
    find_document,
    parse_near,
)
from tocsin.query import (
    events as query_events,
)
from tocsin.query import (
    stats as query_stats,
)
from tocsin.show import render_document
from tocsin.store import Store


@click.command()
@click.option(
    "--since", callback=parse_day, metavar="YYYY-MM-DD", help="Events ending on or after this day."
)
@click.option(
    "--until",
    callback=parse_day,
    metavar="YYYY-MM-DD",
    help="Events starting on or before this day.",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="PLOVER",
    help="PLOVER type, e.g. ASSAULT (repeatable).",
)
@click.option(
    "--actor",
    metavar="CODE",
    help="Actor or target code prefix (RUS, RUS:MIL, NATO) or words of the actor's text.",
)
@click.option(
    "--country", metavar="ISO3", help="Events placed in this country (ISO 3166 alpha-3, e.g. UKR)."
)
@click.option(
    "--near", metavar="PLACE|LAT,LON", help="Events within --km of a place name or a point."
)
@click.option(
    "--km",
    type=click.FloatRange(0, 20_000),
    default=50.0,
    show_default=True,
    help="Radius for --near.",
)
@click.option("--text", metavar="WORDS", help="Words that must all occur in the event's sentence.")
@click.option("--doc", "doc_id", metavar="ID", help="Events of one document (id or id prefix).")
@click.option("--no-negated", is_flag=True, help="Leave out negated events ('did not withdraw').")
@click.option("--limit", type=click.IntRange(1), help="At most this many events.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    help="Write to FILE instead of standard output (needed for parquet on a terminal).",
)
@db_option
@pass_ctx
@friendly_errors
def events(
    ctx: Context,
    since,
    until,
    types,
    actor,
    country,
    near,
    km,
    text,
    doc_id,
    no_negated,
    limit,
    fmt,
    output,
) -> None:
    """List events, filtered, as a table or CSV / JSON Lines / Parquet / GeoJSON.

    Each row is one PLOVER-coded event with its actor, target, place (GeoNames
    id, coordinates, admin1, country), date range, the sentence it came from and
    the character offsets of every value in the document.

    \b
    Examples:
      tocsin events --type ASSAULT --since 2026-11-01
      tocsin events --near Kharkiv --km 100 --format geojson -o kharkiv.geojson
      tocsin events --actor RUS:MIL --format jsonl | jq .place_name
      tocsin events --format parquet -o events.parquet
    """
    f = EventFilter(
        since=since, until=until, types=tuple(types), actor=actor, country=country,
        near=parse_near(near) if near else None, km=km, text=text, doc_id=doc_id,
        include_negated=not no_negated, limit=limit,
    )  # fmt: skip
    with Store.open(ctx.db, read_only=True) as store:
        frame = query_events(store, f)
    binary = None if output or sys.stdout.isatty() else sys.stdout.buffer
    write(frame, fmt, sys.stdout, binary_out=binary, output_path=output)
    if fmt == "table":
        click.echo(f"{len(frame)} events", err=True)


@click.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True, help="The document, mentions and events as JSON.")
@db_option
@pass_ctx
@friendly_errors
def show(ctx: Context, doc: str, as_json: bool) -> None:
    """Print a document with its extracted spans marked.

    DOC is a document id (or a unique prefix of it, as printed by `tocsin
    events`) or the exact source path. Spans are marked [[text|kind: value]];
    the events found in it follow.
    """
    with Store.open(ctx.db, read_only=True) as store:
        document = find_document(store, doc)
    if as_json:
        echo_json(document)
    else:
        click.echo(render_document(document))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@db_option
@pass_ctx
@friendly_errors
def stats(ctx: Context, as_json: bool) -> None:
    """Summarise the store: documents, reports, events by type, skipped inputs."""
    with Store.open(ctx.db, read_only=True) as store:
        s = query_stats(store)
    if as_json:
        echo_json(s)
        return
    click.echo(f"Store {s['path']}")
    for key in ("documents", "reports", "events", "events_geocoded", "mentions", "skipped", "runs"):
        click.echo(f"  {key:<16}{s[key]:>10,}")
    click.echo(f"  dates           {s['first_date']} .. {s['last_date']}")
    if s["reports_by_kind"]:
        click.echo("Reports: " + ", ".join(f"{k} {n}" for k, n in s["reports_by_kind"].items()))
    if s["events_by_type"]:
        click.echo("Events by type:")
        for t, n in s["events_by_type"].items():
            click.echo(f"  {t:<16}{n:>10,}")
    if s["top_places"]:
        click.echo("Top places:")
        for p in s["top_places"]:
            click.echo(f"  {p['place']} ({p['country']}): {p['events']}")
