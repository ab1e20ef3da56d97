"""The README documents every command and option users meet (as sqlite-utils does)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from tocsin.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "tocsin") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in group.commands.items():
        out.append((f"{prefix} {name}", cmd))
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, f"{prefix} {name}"))
    return out


@pytest.mark.parametrize("name,cmd", _commands(main), ids=lambda x: getattr(x, "name", x))
def test_command_is_documented_with_an_example(name, cmd):
    assert name in README, f"README has no example of `{name}`"


@pytest.mark.parametrize("name,cmd", _commands(main), ids=lambda x: getattr(x, "name", x))
def test_command_options_appear_in_readme(name, cmd):
    for param in cmd.params:
        if isinstance(param, click.Option) and not param.hidden:
            longs = [o for o in param.opts if o.startswith("--") and o != "--help"]
            if longs:
                assert any(o in README for o in longs), f"{name}: {longs} not in README"


def test_quickstart_has_exactly_two_commands():
    section = README.split("## Quickstart", 1)[1].split("##", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["make demo", "make test"]
