"""Charts of an index series: PNG or SVG, with matplotlib (Agg backend, no display).

One line per region; days with ``no data`` are gaps, not zeros; alerts are
marked with triangles (up: above the baseline, down: below it).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tocsin.errors import QueryError

FORMATS = (".png", ".svg")
MAX_LINES = 8


def render_chart(
    series: pd.DataFrame,
    path: str | Path,
    *,
    alerts: pd.DataFrame | None = None,
    title: str = "Escalation index",
) -> Path:
    """Draw ``series`` (``region, day, index``) to ``path`` (.png or .svg); returns the path.

    With many regions only the ``MAX_LINES`` with the largest total index are drawn.
    """
    out = Path(path)
    if out.suffix.lower() not in FORMATS:
        raise QueryError(f"--chart {path}: give a file ending in .png or .svg")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise QueryError("charts need matplotlib: pip install matplotlib") from exc
    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=110)
    try:
        totals = series.groupby("region")["index"].apply(lambda s: s.abs().sum())
        regions = list(totals.sort_values(ascending=False).index[:MAX_LINES])
        for region in regions:
            part = series[series["region"] == region].sort_values("day")
            days = pd.to_datetime(part["day"])
            values = part["index"].astype(float)
            (line,) = ax.plot(days, values, marker="o", markersize=3, linewidth=1.2, label=region)
            if alerts is not None and not alerts.empty:
                hits = alerts[(alerts["kind"] == "index") & (alerts["subject"] == region)]
                for up, marker in ((True, "^"), (False, "v")):
                    sel = hits[(hits["to_state"] == "up") == up]
                    ax.scatter(pd.to_datetime(sel["day"]), sel["value"].astype(float),
                               marker=marker, s=70, color=line.get_color(), edgecolor="black",
                               zorder=3)  # fmt: skip
        ax.axhline(0, color="grey", linewidth=0.6)
        ax.set_title(title)
        ax.set_ylabel("index (conflict +, cooperation -)")
        ax.grid(alpha=0.3)
        if regions:
            ax.legend(loc="upper left", fontsize=8, ncol=2)
        note = "gaps: no data (not zero); triangles: alerts"
        ax.text(0.99, 0.01, note, transform=ax.transAxes, ha="right", va="bottom", fontsize=7)
        fig.autofmt_xdate()
        fig.tight_layout()
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, format=out.suffix.lower()[1:])
    finally:
        plt.close(fig)
    return out
