"""Pieces shared by the CLI command modules: context, error handling, options."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import click

from tocsin.errors import TocsinError

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Context:
    db: str = "tocsin.duckdb"
    model: str | None = None


pass_ctx = click.make_pass_decorator(Context)


def friendly_errors(fn: F) -> F:
    """Turn library errors into click errors: the message, exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except TocsinError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def db_option(fn: F) -> F:
    """``--db`` on a command too, so it may come after the command name."""

    def callback(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
        if value:
            ctx.ensure_object(Context).db = value

    return click.option(
        "--db",
        "db_override",
        metavar="PATH",
        expose_value=False,
        is_eager=True,
        callback=callback,
        help="The DuckDB store (same as the global --db; env TOCSIN_DB).",
    )(fn)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def parse_day(_ctx: Any, _param: Any, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from exc
