"""``tocsin index`` and ``tocsin indicators``, and the options they share with
``tocsin watch`` and ``tocsin backtest`` (:mod:`tocsin.cli_watch`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import pandas as pd

from tocsin.cli_common import Context, db_option, friendly_errors, parse_day, pass_ctx
from tocsin.export import plain, write
from tocsin.store import Store
from tocsin.warn.alerts import index_alerts, robust_z
from tocsin.warn.backtest import IndexSpec
from tocsin.warn.checklist import Checklist, ChecklistError, default_checklists, load_checklist
from tocsin.warn.escalation import contributions, daily_index, select
from tocsin.warn.evidence import event_evidence
from tocsin.warn.indicators import evaluate, indicator_timeline
from tocsin.warn.regions import DEFAULT_KM, parse_pair, resolve_region

WARN_FORMATS = ("table", "csv", "jsonl")
SERIES_TABLE = (
    ("region", "region"), ("day", "day"), ("status", "status"), ("index", "index"),
    ("escalation", "escal."), ("cooperation", "coop."), ("n_events", "events"),
    ("n_sources", "sources"), ("n_reports", "reports"), ("z", "z"), ("alert", "alert"),
)  # fmt: skip
EXPLAIN_TABLE = (
    ("type", "type"), ("mode", "mode"), ("actor", "actor"), ("place_name", "place"),
    ("polarity", "polarity"), ("weight", "w"), ("magnitude", "m"), ("certainty", "c"),
    ("n_support", "src"), ("corroboration", "k"), ("contribution", "contrib."),
    ("sentence", "sentence"),
)  # fmt: skip
STATUS_TABLE = (
    ("checklist", "checklist"), ("indicator", "indicator"), ("state", "state"),
    ("sources", "sources"), ("n_dispute", "disputing"), ("day", "as of"), ("evidence", "sentence"),
)  # fmt: skip
ALERT_TABLE = (
    ("fired_on", "fired on"), ("lag_days", "lag"), ("day", "day"), ("kind", "kind"),
    ("severity", "sev."), ("subject", "subject"), ("message", "sentence"),
)  # fmt: skip


def format_options(fn: Any) -> Any:
    fn = click.option(
        "--output", "-o", metavar="FILE", help="Write to FILE instead of standard output."
    )(fn)
    return click.option(
        "--format", "fmt", type=click.Choice(WARN_FORMATS), default="table", show_default=True
    )(fn)


def index_options(fn: Any) -> Any:
    options = [
        click.option(
            "--region",
            metavar="NAME",
            help="ISO3 country, admin1 region, or a place "
            "or feature name (e.g. 'Russia-Ukraine border'); default: everywhere.",
        ),
        click.option(
            "--km",
            type=click.FloatRange(0, 5000, min_open=True),
            default=DEFAULT_KM,
            show_default=True,
            help="Radius around a place or feature --region.",
        ),
        click.option("--pair", metavar="A,B", help="Actor pair, either direction (RUS,UKR)."),
        click.option(
            "--by",
            type=click.Choice(["country", "admin1"]),
            help="One series per country or admin1 region.",
        ),
        click.option("--since", callback=parse_day, metavar="YYYY-MM-DD", help="First day."),
        click.option("--until", callback=parse_day, metavar="YYYY-MM-DD", help="Last day."),
        click.option(
            "--threshold",
            type=float,
            default=3.0,
            show_default=True,
            help="Robust z-score that raises an index alert.",
        ),
        click.option(
            "--baseline-days",
            type=click.IntRange(2),
            default=28,
            show_default=True,
            help="Trailing days of the baseline.",
        ),
        click.option(
            "--min-baseline",
            type=click.IntRange(1),
            default=7,
            show_default=True,
            help="Days with data the baseline needs before alerts can fire.",
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def index_spec(
    region: str | None, km: float, pair: str | None, by: str | None, **kw: Any
) -> IndexSpec:
    return IndexSpec(
        region=resolve_region(region, km) if region else None,
        pair=parse_pair(pair) if pair else None,
        by=by,
        **kw,
    )


def emit(
    frame: pd.DataFrame, fmt: str, output: str | None, columns: Sequence[tuple[str, str]]
) -> None:
    frame = frame.copy()
    for col in frame.select_dtypes("float").columns:
        frame[col] = frame[col].round(3)
    if fmt != "table":
        for col in frame.columns:
            if frame[col].map(lambda v: isinstance(v, list | dict)).any():
                frame[col] = frame[col].map(
                    lambda v: json.dumps(v, default=plain, ensure_ascii=False)
                )
    write(frame, fmt, sys.stdout, output_path=output, columns=columns)


@click.command("index")
@index_options
@click.option(
    "--explain",
    callback=parse_day,
    metavar="YYYY-MM-DD",
    help="List the events behind one day's value, with each term of the formula.",
)
@click.option("--chart", metavar="FILE.png|svg", help="Also draw the series to a PNG or SVG file.")
@format_options
@db_option
@pass_ctx
@friendly_errors
def index(
    ctx: Context,
    region,
    km,
    pair,
    by,
    since,
    until,
    threshold,
    baseline_days,
    min_baseline,
    explain,
    chart,
    fmt,
    output,
) -> None:
    """The daily escalation index of a region or actor pair, with alerts.

    Conflict events raise it, cooperation lowers it (weights in the spirit of the
    Goldstein scale, scaled by quantities, certainty and independent sources;
    see docs/warnings.md). A day without events is "no data", not zero.

    \b
    Examples:
      tocsin index --region UKR --chart ukr.png
      tocsin index --by admin1 --since 2026-10-01 --format csv -o index.csv
      tocsin index --region "Russia-Ukraine border" --km 300 --explain 2026-10-15
    """
    spec = index_spec(
        region,
        km,
        pair,
        by,
        threshold=threshold,
        baseline_days=baseline_days,
        min_baseline=min_baseline,
    )
    with Store.open(ctx.db, read_only=True) as store:
        scored = contributions(select(event_evidence(store), spec.region, spec.pair))
    if explain:
        rows = scored[pd.to_datetime(scored["day"]).dt.date == explain]
        rows = rows.sort_values("contribution", key=lambda s: -s.abs())
        emit(rows, fmt, output, EXPLAIN_TABLE)
        if fmt == "table":
            click.echo(
                f"index on {explain}: {rows['contribution'].sum():.2f} ({len(rows)} events)",
                err=True,
            )
        return
    label = spec.region.label if spec.region else ("all" if not spec.pair else "")
    if spec.pair:
        label = f"{label} {spec.pair[0]}-{spec.pair[1]}".strip()
    series = daily_index(scored, start=since, end=until, by=by, label=label)
    alerts = index_alerts(
        series,
        scored,
        threshold=threshold,
        baseline_days=baseline_days,
        min_baseline=min_baseline,
        region_column=by,
    )
    series = _with_z(series, alerts, baseline_days, min_baseline)
    emit(series, fmt, output, SERIES_TABLE)
    if chart:
        from tocsin.warn.charts import render_chart

        path = render_chart(series, chart, alerts=alerts, title=f"Escalation index: {label or by}")
        click.echo(f"chart: {path}", err=True)
    if fmt == "table":
        n_data = int((series["status"] == "data").sum()) if len(series) else 0
        click.echo(f"{len(series)} rows, {n_data} with data, {len(alerts)} alerts", err=True)


def _with_z(series: pd.DataFrame, alerts: pd.DataFrame, days: int, minimum: int) -> pd.DataFrame:
    if series.empty:
        return series.assign(z=pd.Series(dtype=float), alert=pd.Series(dtype=object))
    parts = [
        robust_z(p, baseline_days=days, min_baseline=minimum)
        for _, p in series.groupby("region", sort=True)
    ]
    out = pd.concat(parts, ignore_index=True).drop(columns=["scale", "n_baseline"])
    out["z"] = out["z"].round(2)
    fired = {(a["subject"], a["day"]): a["to_state"] for a in alerts.to_dict("records")}
    out["alert"] = [fired.get((r, d)) for r, d in zip(out["region"], out["day"], strict=True)]
    return out


def checklists_named(names: Sequence[str]) -> list[Checklist]:
    shipped = {p.stem: p for p in default_checklists()}
    paths = []
    for name in names or list(shipped):
        if Path(name).is_file():
            paths.append(Path(name))
        elif name in shipped:
            paths.append(shipped[name])
        else:
            raise ChecklistError(
                f"{name}: no such checklist file nor a shipped checklist ({', '.join(shipped)})"
            )
    return [load_checklist(p) for p in paths]


@click.command()
@click.argument("checklists", nargs=-1, metavar="[CHECKLIST]...")
@click.option(
    "--as-of",
    callback=parse_day,
    metavar="YYYY-MM-DD",
    help="Evaluate on this day (default: the last day with events).",
)
@click.option("--timeline", is_flag=True, help="The state of every indicator on every day.")
@click.option("--since", callback=parse_day, metavar="YYYY-MM-DD", help="First day of --timeline.")
@click.option("--until", callback=parse_day, metavar="YYYY-MM-DD", help="Last day of --timeline.")
@click.option(
    "--evidence",
    "n_evidence",
    type=click.IntRange(0),
    default=3,
    show_default=True,
    help="Evidence sentences printed per indicator in the table.",
)
@format_options
@db_option
@pass_ctx
@friendly_errors
def indicators(
    ctx: Context, checklists, as_of, timeline, since, until, n_evidence, fmt, output
) -> None:
    """Evaluate indicator checklists (YAML) with the evidence for and against each sign.

    CHECKLIST is a YAML file or the name of a shipped one (ground_invasion_readiness,
    de_escalation); default: both shipped checklists. States: met, disputed,
    partial, not met, no data (nothing at all in the region and window).

    \b
    Examples:
      tocsin indicators
      tocsin indicators my_signs.yaml --as-of 2026-11-05 --format jsonl
      tocsin indicators de_escalation --timeline --format csv -o states.csv
    """
    loaded = checklists_named(checklists)
    with Store.open(ctx.db, read_only=True) as store:
        frame = event_evidence(store)
    if timeline:
        out = pd.concat(
            [indicator_timeline(frame, c, since, until) for c in loaded], ignore_index=True
        )
        cols = (
            ("checklist", "checklist"),
            ("indicator", "indicator"),
            ("day", "day"),
            ("state", "state"),
            ("n_sources", "sources"),
            ("n_dispute", "disputing"),
        )
        emit(out, fmt, output, cols)
        return
    status = pd.concat([evaluate(frame, c, as_of) for c in loaded], ignore_index=True)
    if fmt != "table":
        emit(status, fmt, output, STATUS_TABLE)
        return
    status["sources"] = [
        f"{n}/{m}" for n, m in zip(status["n_sources"], status["min_sources"], strict=True)
    ]
    status["evidence"] = [(s[0]["sentence"] if s else "") for s in status["supporting"]]
    emit(status, fmt, output, STATUS_TABLE)
    if n_evidence and not output:
        _print_evidence(status, n_evidence)


def _print_evidence(status: pd.DataFrame, n: int) -> None:
    for rec in status.to_dict("records"):
        if not rec["supporting"] and not rec["disputing"]:
            continue
        click.echo(f"\n{rec['indicator']} ({rec['state']}):")
        for sign, items in (("+", rec["supporting"]), ("-", rec["disputing"])):
            for e in items[:n]:
                src = ", ".join(e["sources"])
                click.echo(
                    f"  {sign} {e['day']} [{e['doc_id'][:8]} {src}; {e['polarity']}] "
                    f"{e['sentence']}"
                )
