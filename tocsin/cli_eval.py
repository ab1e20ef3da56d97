"""``tocsin eval``: run the pipeline on labelled data and print its figures."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import click

from tocsin.cli_common import Context, echo_json, friendly_errors, pass_ctx

KINDS = ("acled", "plover", "geo", "timeml", "re3d")


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
@pass_ctx
@friendly_errors
def eval_command(
    ctx: Context, kind: str, files: tuple[str, ...], as_json: bool, n_errors: int
) -> None:
    """Measure extraction quality on data people coded by hand.

    \b
    KIND is one of:
      acled   an ACLED export CSV (notes, timestamp, event_type, actor1, latitude, ...)
      plover  PLOVER gold-standard records (JSON Lines: text, event, source, target)
      geo     GeoWebNews / LGL XML (articles with toponym spans and coordinates)
      timeml  TimeML .tml files or folders of them (TIMEX3 values, a DCT)
      re3d    re3d token-per-line BIO files (Weapon and Quantity spans)

    \b
    Examples:
      tocsin eval acled ../shared/eval/dev/acled_ukraine_dev.csv
      tocsin eval timeml ../shared/eval/dev/timebank_dev --json
      tocsin eval geo ../shared/eval/dev/geowebnews_dev.xml --errors 20
    """
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


def _clip(text: str, limit: int = 400) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
