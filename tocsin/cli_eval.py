"""``tocsin eval``: run the pipeline on labelled data and print its figures."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import click

from tocsin.cli_common import Context, echo_json, friendly_errors, pass_ctx

KINDS = ("acled", "plover", "geo", "timeml", "re3d", "claims", "fnc1")


@click.command("eval")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option(
    "--errors",
    "n_errors",
    type=click.IntRange(0),
    default=0,
    metavar="N",
    help="Also list the N worst misses with their text, gold and prediction.",
)
@click.option(
    "--docs",
    "docs_dir",
    type=click.Path(exists=True, file_okay=False),
    help="claims: the folder of annotated documents (the gold's `doc` + .txt).",
)
@click.option(
    "--pairs",
    "pairs_path",
    type=click.Path(exists=True, dir_okay=False),
    help="claims: the gold pairs of claims that contradict or corroborate each other.",
)
@click.option(
    "--train",
    nargs=2,
    metavar="STANCES BODIES",
    type=click.Path(exists=True, dir_okay=False),
    help="fnc1: train on these files and test on FILES (default: grouped 5-fold CV).",
)
@pass_ctx
@friendly_errors
def eval_command(
    ctx: Context,
    kind: str,
    files: tuple[str, ...],
    as_json: bool,
    n_errors: int,
    docs_dir: str | None,
    pairs_path: str | None,
    train: tuple[str, str] | None,
) -> None:
    """Measure extraction quality on data people coded by hand.

    \b
    KIND is one of:
      acled   an ACLED export CSV (notes, timestamp, event_type, actor1, latitude, ...)
      plover  PLOVER gold-standard records (JSON Lines: text, event, source, target)
      geo     GeoWebNews / LGL XML (articles with toponym spans and coordinates)
      timeml  TimeML .tml files or folders of them (TIMEX3 values, a DCT)
      re3d    re3d token-per-line BIO files (Weapon and Quantity spans)
      claims  hand-annotated claims (JSON Lines) with --docs DIR [--pairs FILE]
      fnc1    FNC-1 stances and bodies CSVs: the FNC-1 score and per-class F1

    \b
    Examples:
      tocsin eval acled ../shared/eval/dev/acled_ukraine_dev.csv
      tocsin eval timeml ../shared/eval/dev/timebank_dev --json
      tocsin eval geo ../shared/eval/dev/geowebnews_dev.xml --errors 20
      tocsin eval claims GOLD.jsonl --docs ../shared/seeds --pairs PAIRS.jsonl
      tocsin eval fnc1 STANCES.csv BODIES.csv --json
    """
    if kind in ("claims", "fnc1"):
        _eval_claims_kind(kind, files, docs_dir, pairs_path, train, as_json)
        return
    from tocsin.evaluate import evaluate
    from tocsin.run import Settings

    result = evaluate(kind, files, Settings(model=ctx.model))
    worst = result.worst(n_errors) if n_errors else []
    if as_json:
        out: dict[str, Any] = dict(result.figures)
        if result.unreadable:
            out["unreadable_records"] = [asdict(u) for u in result.unreadable]
        if n_errors:
            out["errors"] = [asdict(m) for m in worst]
        echo_json(out)
        return
    click.echo(f"tocsin eval {kind}: {', '.join(files)}")
    click.echo(f"{'measure':<34} {'value':>7} {'n':>6}")
    for name, value, support in result.table:
        shown = f"{value:.3f}" if value is not None else "-"
        click.echo(f"{name:<34} {shown:>7} {support:>6}")
    if result.unreadable:
        click.echo(f"\n{len(result.unreadable)} record(s) could not be used:")
        for bad in result.unreadable:
            click.echo(f"  {bad.source}: {bad.reason}")
    for i, miss in enumerate(worst, start=1):
        click.echo(f"\n#{i} {miss.source}  failed: {', '.join(miss.failed)}")
        click.echo(f"  text: {_clip(miss.text)}")
        click.echo(f"  gold: {json.dumps(miss.gold, ensure_ascii=False, default=str)}")
        click.echo(f"  predicted: {json.dumps(miss.predicted, ensure_ascii=False, default=str)}")


def _eval_claims_kind(
    kind: str,
    files: tuple[str, ...],
    docs_dir: str | None,
    pairs_path: str | None,
    train: tuple[str, str] | None,
    as_json: bool,
) -> None:
    """The claims and FNC-1 stance measures (their figures are nested dicts)."""
    from tocsin.evaluate_claims import eval_claims, eval_fnc1

    if kind == "claims":
        if len(files) != 1 or not docs_dir:
            raise click.UsageError("eval claims takes one GOLD.jsonl and --docs DIR")
        figures = eval_claims(files[0], docs_dir, pairs_path)
    else:
        if len(files) != 2:
            raise click.UsageError("eval fnc1 takes STANCES.csv BODIES.csv")
        figures = eval_fnc1(files[0], files[1], train=train)
    if as_json:
        echo_json(figures)
        return
    click.echo(f"tocsin eval {kind}: {', '.join(files)}")
    for name, value in _flatten(figures):
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        click.echo(f"{name:<40} {shown:>8}")


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        out: list[tuple[str, Any]] = []
        for key, inner in value.items():
            out += _flatten(inner, f"{prefix}.{key}" if prefix else str(key))
        return out
    return [(prefix, value)]


def _clip(text: str, limit: int = 400) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
