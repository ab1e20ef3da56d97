"""``tocsin synth``, ``tocsin export-shards``, ``tocsin import-shards``, ``tocsin bench-scale``."""

from __future__ import annotations

import click

from tocsin.cli_common import Context, db_option, echo_json, friendly_errors, pass_ctx


@click.command()
@click.argument("out", type=click.Path(file_okay=False))
@click.option("--docs", "-n", type=click.IntRange(0), default=1000, show_default=True)
@click.option("--shards", type=click.IntRange(1), default=1, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet"]), default="jsonl")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--short", is_flag=True, help="1-2 sentences per article (fast tests).")
@friendly_errors
def synth(out: str, docs: int, shards: int, fmt: str, seed: int, short: bool) -> None:
    """Write a synthetic corpus (invented articles, ~5% exact and ~5% near copies).

    \b
    Example:
      tocsin synth corpus/ --docs 100000 --shards 16 --format parquet
      tocsin ingest 'corpus/part-*.parquet' --workers 2
    """
    from tocsin.synth import write_corpus

    sentences = (1, 2) if short else (3, 7)
    paths = write_corpus(out, docs, shards=shards, fmt=fmt, seed=seed, sentences=sentences)
    click.echo(f"wrote {docs:,} articles to {len(paths)} shard(s) in {out}")


@click.command("export-shards")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--overwrite", is_flag=True, help="Replace the shards already in FOLDER.")
@db_option
@pass_ctx
@friendly_errors
def export_shards(ctx: Context, folder: str, overwrite: bool) -> None:
    """Write the store as Parquet shards partitioned by day (FOLDER/events/day=.../).

    \b
    Query them in place, e.g. with DuckDB:
      SELECT type, count(*) FROM read_parquet('FOLDER/events/**/*.parquet',
        hive_partitioning = true) WHERE day BETWEEN '2026-11-01' AND '2026-11-30' GROUP BY 1
    """
    from tocsin.shards import export_shards as export
    from tocsin.store import Store

    with Store.open(ctx.db, read_only=True) as store:
        counts = export(store, folder, overwrite=overwrite)
    click.echo(
        f"exported {ctx.db} to {folder}: " + ", ".join(f"{n:,} {t}" for t, n in counts.items())
    )


@click.command("import-shards")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@db_option
@pass_ctx
@friendly_errors
def import_shards(ctx: Context, folder: str) -> None:
    """Build (or extend) the store from Parquet shards written by export-shards.

    Idempotent: documents and events the store already has are not added again.
    """
    from tocsin.shards import import_shards as load
    from tocsin.store import Store

    with Store.open(ctx.db) as store:
        added = load(folder, store)
    click.echo(
        f"imported {folder} into {ctx.db}: " + ", ".join(f"{n:,} {t}" for t, n in added.items())
    )


@click.command("bench-scale")
@click.option("--docs", "sizes", default="1000", show_default=True, metavar="N[,N...]",
              help="Synthetic corpus sizes, e.g. 10000,100000.")  # fmt: skip
@click.option("--workers", "worker_list", default="1,2", show_default=True, metavar="W[,W...]")
@click.option("--engine", type=click.Choice(["dask", "local"]), default="dask", show_default=True)
@click.option("--no-spacy", is_flag=True, help="Skip the bare spaCy baseline runs.")
@click.option("--events", "n_events", type=click.IntRange(0), default=1_000_000, show_default=True,
              help="Events in the query-latency store (0 skips the query check).")  # fmt: skip
@click.option("--documents", "n_docs", type=click.IntRange(1), default=200_000, show_default=True)
@click.option("--skip-ingest", is_flag=True, help="Only run the query-latency check.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@friendly_errors
def bench_scale(
    ctx: Context, sizes: str, worker_list: str, engine: str, no_spacy: bool, n_events: int,
    n_docs: int, skip_ingest: bool, as_json: bool,
) -> None:  # fmt: skip
    """Scale benchmark: ingest throughput on 1 and 2 workers, and query latency.

    \b
    Example (about 5 minutes on 2 cores):
      tocsin bench-scale --docs 1000,4000 --workers 1,2
      tocsin bench-scale --skip-ingest --events 1000000 --documents 200000
    """
    from tocsin.bench_scale import ingest_scaling, query_latency

    try:
        size_list = [int(s) for s in sizes.split(",")]
        workers = [int(w) for w in worker_list.split(",")]
    except ValueError as exc:
        raise click.BadParameter("give numbers like 1000,4000 and 1,2") from exc
    say = lambda msg: click.echo(f"  {msg}", err=True)  # noqa: E731 (stderr: JSON stays clean)
    result: dict[str, object] = {}
    if not skip_ingest:
        result["ingest"] = ingest_scaling(
            size_list, workers, engine=engine, model=ctx.model, spacy=not no_spacy, progress=say
        )
    if n_events:
        say(f"query latency: filling a store with {n_events:,} events, {n_docs:,} documents")
        result["queries"] = query_latency(n_events, n_docs)
    if as_json:
        echo_json(result)
        return
    _print_tables(result)


def _print_tables(result: dict[str, object]) -> None:
    rows = result.get("ingest") or []
    if rows:
        click.echo(
            f"{'docs':>8} {'W':>2} {'words':>10} {'tocsin w/s':>10} {'per core':>9} "
            f"{'spaCy w/s':>10} {'ratio':>6} {'eff.':>5} {'MB main':>8} {'MB worker':>9}"
        )
        for r in rows:  # type: ignore[attr-defined]
            click.echo(
                f"{r['docs']:>8,} {r['workers']:>2} {r['words']:>10,} "
                f"{r['tocsin_words_per_s']:>10,} {r['tocsin_words_per_s_per_core']:>9,} "
                f"{r.get('spacy_words_per_s', 0):>10,} {r.get('ratio_to_spacy', 0):>6.2f} "
                f"{r.get('scaling_efficiency', 0):>5.2f} {r['peak_main_mb']:>8,} "
                f"{r['peak_worker_mb']:>9,}"
            )
    queries = result.get("queries")
    if isinstance(queries, dict):
        click.echo(f"\nquery latency: {queries['events']:,} events, {queries['documents']:,} "
                   f"documents (filled in {queries['fill_seconds']} s; escalation evidence "
                   f"table built in {queries.get('evidence_table_seconds', 0)} s)")  # fmt: skip
        for q in queries["queries"]:
            click.echo(f"  {q['query']:<52} cold {q['cold_ms']:>7.1f} ms  "
                       f"warm {q['warm_ms']:>7.1f} ms  ({q['rows']:,} rows)")  # fmt: skip
