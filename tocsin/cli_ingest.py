"""``tocsin ingest`` and ``tocsin demo``."""

from __future__ import annotations

import sys
import time
from importlib import resources
from pathlib import Path

import click

from tocsin.cli_common import Context, db_option, echo_json, friendly_errors, pass_ctx
from tocsin.errors import StoreError
from tocsin.run import IngestSummary, Settings
from tocsin.run import ingest as run_ingest
from tocsin.store import Store

DEMO_CORPUS = "data/demo/articles.jsonl"


def demo_corpus_path() -> Path:
    return Path(str(resources.files("tocsin") / DEMO_CORPUS))


class Progress:
    """A live line on stderr: documents, words/s, events, skipped (only on a TTY)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()
        self._last = 0.0

    def __call__(self, s: IngestSummary) -> None:
        now = time.perf_counter()
        if not self.enabled or now - self._last < 0.5:
            return
        self._last = now
        rate = s.words_processed / max(now - self.started, 1e-9)
        click.echo(
            f"\r  {s.read:,} read, {s.documents:,} new documents, "
            f"{s.exact_copies + s.near_copies:,} copies, {s.skipped:,} skipped, "
            f"{s.events:,} events, {rate:,.0f} words/s ",
            err=True,
            nl=False,
        )

    def done(self) -> None:
        if self.enabled:
            click.echo("", err=True)


def print_summary(s: IngestSummary, seconds: float) -> None:
    rate = s.words_processed / max(seconds, 1e-9)
    click.echo(f"Ingest {s.run_id} finished in {seconds:.1f} s ({rate:,.0f} words/s)")
    click.echo(f"  records read        {s.read:>8,}")
    click.echo(f"  already in store    {s.already_ingested:>8,}")
    click.echo(f"  new documents       {s.documents:>8,}")
    click.echo(f"  exact copies        {s.exact_copies:>8,}")
    click.echo(f"  near copies         {s.near_copies:>8,}")
    click.echo(f"  skipped             {s.skipped:>8,}")
    click.echo(f"  events              {s.events:>8,}")
    if s.situations:
        click.echo(f"  situations (store)  {s.situations:>8,}")
    for etype, n in s.events_by_type.most_common():
        click.echo(f"    {etype:<18}{n:>8,}")
    if s.skip_reasons:
        click.echo("Skipped (kept in the store's `skipped` table):")
        for sk in s.skip_reasons[:20]:
            click.echo(f"  {sk.source}: {sk.reason}")
        if len(s.skip_reasons) > 20:
            click.echo(f"  ... and {len(s.skip_reasons) - 20} more")


def _run(
    ctx: Context,
    paths: list[str],
    workers: int,
    max_bytes: int,
    as_json: bool,
    dask: str | None = None,
) -> None:
    progress = Progress(enabled=sys.stderr.isatty() and not as_json)
    started = time.perf_counter()
    settings = Settings(model=ctx.model)
    with Store.open(ctx.db) as store:
        mapper = None
        if dask:
            from tocsin.distributed import dask_mapper

            mapper = dask_mapper(settings, dask, workers=workers)
        summary = run_ingest(
            paths,
            store,
            settings=settings,
            workers=workers,
            max_bytes=max_bytes,
            progress=progress,
            mapper=mapper,
        )
    progress.done()
    if as_json:
        echo_json(summary.as_dict())
    else:
        print_summary(summary, time.perf_counter() - started)


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes for parsing (use the number of cores).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(1),
    default=20_000_000,
    show_default=True,
    help="Skip single documents (and records) larger than this.",
)
@click.option(
    "--dask",
    metavar="ADDRESS",
    default=None,
    help="Parse on a Dask cluster: 'local' (a loopback LocalCluster of --workers "
    "processes) or a scheduler address such as tcp://10.0.0.5:8786.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@db_option
@pass_ctx
@friendly_errors
def ingest(
    ctx: Context,
    paths: tuple[str, ...],
    workers: int,
    max_bytes: int,
    dask: str | None,
    as_json: bool,
) -> None:
    """Read articles into the store: files, folders, feeds, URL lists or URLs.

    \b
    Formats: .txt .html .jsonl .json .csv .tsv .parquet, RSS/Atom feeds, files
    listing URLs, and any of these gzipped; folders are read recursively; globs
    ("shards/*.jsonl") and @LIST (a file naming one shard per line) too. JSON
    Lines, CSV and Parquet fields: text/body/content, title, url,
    published/date, outlet/source.

    Runs are idempotent: records already in the store are passed over, copies
    of known articles become extra reports, and a killed run can simply be
    started again. Inputs that cannot be used are listed with the reason.

    \b
    Examples:
      tocsin ingest articles/ --workers 2
      tocsin --db crisis.duckdb ingest feed.xml urls.txt news.jsonl.gz
      tocsin ingest 'shards/*.parquet' --dask tcp://scheduler:8786
    """
    _run(ctx, list(paths), workers, max_bytes, as_json, dask)


@click.command()
@click.option("--workers", "-w", type=click.IntRange(1, 64), default=1, show_default=True)
@db_option
@pass_ctx
@friendly_errors
def demo(ctx: Context, workers: int) -> None:
    """Ingest the built-in sample corpus into a fresh store and show what it found.

    The corpus (tocsin/data/demo/) is 30 short articles invented by the project
    about an imagined crisis in real places. The store is recreated on each run;
    a store that holds other documents is never touched.
    """
    _fresh_demo_store(ctx.db)
    _run(ctx, [str(demo_corpus_path())], workers, 20_000_000, as_json=False)
    from tocsin.export import write
    from tocsin.query import EventFilter, events, stats

    with Store.open(ctx.db, read_only=True) as store:
        s = stats(store)
        frame = events(store, EventFilter(limit=25))
        geo = frame[frame["lat"].notna()]
        write(geo, "table", sys.stdout, title="Geocoded events (first 25; `tocsin events` for all)")
        click.echo(
            f"{s['events']} events in {s['documents']} documents "
            f"({s['events_geocoded']} geocoded), from {s['first_date']} to {s['last_date']}."
        )
        statuses = store.con.execute(
            "SELECT status, count(*) FROM situations GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
        click.echo("Situations: " + ", ".join(f"{n} {status}" for status, n in statuses))
        click.echo(
            f"Store: {ctx.db}. Next: tocsin --db {ctx.db} situations --status contradicted; "
            f"tocsin --db {ctx.db} serve"
        )


def _fresh_demo_store(path: str) -> None:
    """Remove an earlier demo store; refuse to touch a store with other documents."""
    p = Path(path)
    if not p.exists():
        return
    with Store.open(path, read_only=True) as store:
        row = store.con.execute(
            "SELECT count(*) FROM reports WHERE source NOT LIKE ?",
            [f"%{DEMO_CORPUS.split('/')[-1]}%"],
        ).fetchone()
    if row and row[0]:
        raise StoreError(
            f"{path} holds documents that are not from the demo corpus; "
            "give `tocsin --db demo.duckdb demo` (or another new path)"
        )
    p.unlink()
    Path(f"{path}.wal").unlink(missing_ok=True)
