"""The four commands through click, and the PNG / SVG charts."""

from __future__ import annotations

import json

import click
import pandas as pd
import pytest
from click.testing import CliRunner
from test_warn_helpers import CHECKLISTS, make_store

from tocsin.cli_common import Context
from tocsin.cli_warn import index, indicators
from tocsin.cli_watch import backtest_command, watch
from tocsin.errors import QueryError
from tocsin.warn.charts import render_chart


@click.group()
@click.option("--db", default="tocsin.duckdb")
@click.pass_context
def cli(ctx: click.Context, db: str) -> None:
    ctx.obj = Context(db)


for _cmd in (index, indicators, watch, backtest_command):
    cli.add_command(_cmd)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("warn") / "w.duckdb")
    make_store(path).close()
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_index_jsonl_and_explain(db):
    out = run("--db", db, "index", "--region", "UKR", "--format", "jsonl")
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert [r["status"] for r in rows] == ["data"]
    assert rows[0]["day"] == "2030-03-01" and rows[0]["n_sources"] == 2
    out = run("--db", db, "index", "--explain", "2030-03-01", "--format", "csv")
    frame = pd.read_csv(__import__("io").StringIO(out.output))
    assert sorted(frame["id"]) == ["e1", "e2"]
    assert frame["contribution"].sum() == pytest.approx(rows[0]["index"], abs=1e-3)


def test_index_writes_a_chart(db, tmp_path):
    chart = tmp_path / "ukr.png"
    result = run("index", "--db", db, "--by", "country", "--chart", str(chart))
    assert result.exit_code == 0
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "args,words",
    [(["index", "--region", "Qwertyzzville"], "unknown region"),
     (["index", "--pair", "RUS"], "two actor codes"),
     (["indicators", "nope"], "no such checklist"),
     (["indicators", str(CHECKLISTS / "bad_unknown_place.yaml")], "Qwertyzzville")],
)  # fmt: skip
def test_bad_input_is_one_clear_message(db, args, words):
    result = CliRunner().invoke(cli, ["--db", db, *args])
    assert result.exit_code == 1
    assert words in result.output


def test_indicators_table_shows_states_and_evidence(db):
    out = run("--db", db, "indicators", str(CHECKLISTS / "good_minimal.yaml"), "--as-of",
              "2030-03-04")  # fmt: skip
    assert "pullback" in out.output and "disputed" in out.output
    assert "- 2030-03-04 [d4 Delta Times; denied] The official said no troops" in out.output


def test_indicators_timeline_csv(db):
    out = run("--db", db, "indicators", str(CHECKLISTS / "good_minimal.yaml"), "--timeline",
              "--format", "csv", "--since", "2030-03-01", "--until", "2030-03-02")  # fmt: skip
    frame = pd.read_csv(__import__("io").StringIO(out.output))
    assert len(frame) == 6  # three indicators, two days


def test_backtest_lists_when_alerts_fire(db):
    good = str(CHECKLISTS / "good_minimal.yaml")
    out = CliRunner().invoke(
        cli, ["--db", db, "backtest", "--checklist", good, "--format", "jsonl"]
    )
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    fired = {(r["subject"], r["fired_on"], r["to_state"]) for r in rows}
    assert ("Test signs: strikes", "2030-03-02", "met") in fired


def test_watch_needs_a_valid_interval(db):
    result = CliRunner().invoke(cli, ["--db", db, "watch", "x", "--every", "soon"])
    assert result.exit_code == 2
    assert "interval" in result.output


@pytest.mark.parametrize("suffix,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_charts_render_png_and_svg(tmp_path, suffix, magic):
    pytest.importorskip("matplotlib")
    series = pd.DataFrame({"region": "X", "day": pd.date_range("2030-01-01", periods=4).date,
                           "index": [1.0, float("nan"), 3.0, -2.0]})  # fmt: skip
    path = render_chart(series, tmp_path / f"c{suffix}")
    assert path.read_bytes()[:5].startswith(magic)


def test_a_chart_needs_png_or_svg(tmp_path):
    with pytest.raises(QueryError, match=r"\.png or \.svg"):
        render_chart(pd.DataFrame(columns=["region", "day", "index"]), tmp_path / "c.gif")


@pytest.mark.parametrize("cmd", [index, indicators, watch, backtest_command], ids=lambda c: c.name)
def test_docs_show_every_command_and_option(cmd):
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "warnings.md").read_text("utf-8")
    assert f"tocsin {cmd.name}" in docs
    for param in cmd.params:
        if isinstance(param, click.Option):
            longs = [o for o in param.opts if o.startswith("--")]
            assert any(o in docs for o in longs), f"{cmd.name}: {longs} not in docs/warnings.md"
