"""``tocsin watch`` (ingest at an interval and report new alerts) and ``tocsin
backtest`` (replay the store day by day as if live)."""

from __future__ import annotations

import json
from typing import Any

import click

from tocsin.cli_common import Context, db_option, friendly_errors, parse_day, pass_ctx
from tocsin.cli_warn import (
    ALERT_TABLE,
    checklists_named,
    emit,
    format_options,
    index_options,
    index_spec,
)
from tocsin.store import Store
from tocsin.warn.alerts import index_alerts
from tocsin.warn.backtest import IndexSpec, backtest, summary
from tocsin.warn.escalation import contributions, daily_index, select
from tocsin.warn.evidence import event_evidence

checklist_option = click.option(
    "--checklist",
    "checklist_names",
    multiple=True,
    metavar="CHECKLIST",
    help="Checklist file or shipped name (repeatable; default: the shipped ones).",
)


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.option(
    "--every",
    default="10m",
    show_default=True,
    metavar="INTERVAL",
    help="Time between runs: 30s, 10m, 1h.",
)
@click.option("--post", "post_url", metavar="URL", help="POST each new alert as JSON to URL.")
@checklist_option
@click.option(
    "--by",
    type=click.Choice(["country", "admin1"]),
    default="country",
    show_default=True,
    help="Index alerts per country or admin1 region.",
)
@click.option(
    "--since",
    callback=parse_day,
    metavar="YYYY-MM-DD",
    help="Ignore alerts about days before this one.",
)
@click.option("--times", type=click.IntRange(1), help="Stop after this many runs.")
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Worker processes for ingest.",
)
@click.option("--json", "as_json", is_flag=True, help="Print each alert as one JSON line.")
@db_option
@pass_ctx
@friendly_errors
def watch(
    ctx: Context, paths, every, post_url, checklist_names, by, since, times, workers, as_json
) -> None:
    """Ingest a folder or feed at an interval and print (and POST) new alerts.

    Each run ingests what is new, recomputes the index and indicator alerts and
    reports those not reported before (kept in the store, so a restart does not
    repeat them). The store is open for writing while a run lasts.

    \b
    Examples:
      tocsin watch news/ --every 10m
      tocsin watch https://example.org/feed.rss --every 1h --post https://hooks.example.org/tocsin
      tocsin watch news/ --times 1 --since 2026-11-01 --json
    """
    from tocsin.warn.watch import WatchSettings, parse_interval
    from tocsin.warn.watch import watch as run_watch

    try:
        seconds = parse_interval(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc
    settings = WatchSettings(
        paths=list(paths),
        checklists=checklists_named(checklist_names),
        spec=IndexSpec(by=by),
        post_url=post_url,
        since=since,
        model=ctx.model,
        workers=workers,
    )

    def show(alert: dict[str, Any]) -> None:
        if as_json:
            click.echo(json.dumps(alert, ensure_ascii=False))
        else:
            click.echo(
                f"{alert['day']}  {alert['severity']:<6} {alert['kind']:<9} {alert['message']}"
            )

    total = run_watch(ctx.db, settings, seconds, times=times, on_alert=show)
    click.echo(f"{total} new alerts", err=True)


@click.command("backtest")
@checklist_option
@index_options
@click.option(
    "--late-days",
    type=click.IntRange(0),
    default=7,
    show_default=True,
    help="How many days back a late report can still raise an index alert.",
)
@click.option("--chart", metavar="FILE.png|svg", help="Draw the final index with live alerts.")
@format_options
@db_option
@pass_ctx
@friendly_errors
def backtest_command(
    ctx: Context,
    checklist_names,
    region,
    km,
    pair,
    by,
    since,
    until,
    threshold,
    baseline_days,
    min_baseline,
    late_days,
    chart,
    fmt,
    output,
) -> None:
    """Replay the store day by day, as if live, and list when each alert would have fired.

    On each day only documents already published (or ingested) count. Prints
    the alerts with the day they fire and their lag behind the day they are
    about, then how many hindsight index alerts were caught live.

    \b
    Examples:
      tocsin backtest
      tocsin backtest --by admin1 --chart backtest.png --format csv -o alerts.csv
      tocsin backtest --region UKR --checklist de_escalation --late-days 3
    """
    if by is None and region is None and pair is None:
        by = "country"
    spec = index_spec(
        region,
        km,
        pair,
        by,
        threshold=threshold,
        baseline_days=baseline_days,
        min_baseline=min_baseline,
        late_days=late_days,
    )
    loaded = checklists_named(checklist_names)
    with Store.open(ctx.db, read_only=True) as store:
        live = backtest(store, loaded, spec, since, until)
        scored = contributions(select(event_evidence(store), spec.region, spec.pair))
    label = spec.region.label if spec.region else "all"
    series = daily_index(scored, by=spec.by, label=label)
    hindsight = index_alerts(
        series,
        scored,
        threshold=threshold,
        baseline_days=baseline_days,
        min_baseline=min_baseline,
        region_column=spec.by,
    )
    emit(live, fmt, output, ALERT_TABLE)
    figures = summary(live, hindsight)
    click.echo(", ".join(f"{k} {v}" for k, v in figures.items()), err=True)
    if chart:
        from tocsin.warn.charts import render_chart

        shown = live.assign(value=live["value"]) if len(live) else live
        path = render_chart(
            series, chart, alerts=shown, title="Escalation index (back-test alerts)"
        )
        click.echo(f"chart: {path}", err=True)
