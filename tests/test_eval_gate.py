"""The eval gate (as trafilatura's): figures on ../shared/eval/dev/ must not fall
under the floors pinned in tests/eval_floors.json. Skipped when ../shared is absent.
Slow (about two minutes in all): each kind runs the whole pipeline on its file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tocsin.evaluate import evaluate

FLOORS = json.loads((Path(__file__).parent / "eval_floors.json").read_text(encoding="utf-8"))
KINDS = sorted(k for k in FLOORS if not k.startswith("_"))

pytestmark = [pytest.mark.evalgate, pytest.mark.slow]


def _get(figures: dict[str, Any], path: str) -> Any:
    value: Any = figures
    for part in path.split("."):
        value = value[part]
    return value


def test_floors_file_names_known_measures():
    for kind in KINDS:
        assert FLOORS[kind]["floors"], kind
        assert all(0.0 <= v <= 1.0 for v in FLOORS[kind]["floors"].values())


@pytest.mark.parametrize("kind", KINDS)
def test_figures_stay_above_floors(kind, shared_dir):
    path = shared_dir / "eval" / "dev" / FLOORS[kind]["file"]
    if not path.exists():
        pytest.skip(f"{path} is not present")
    figures = evaluate(kind, [path]).figures
    below = {
        name: (_get(figures, name), floor)
        for name, floor in FLOORS[kind]["floors"].items()
        if _get(figures, name) is None or _get(figures, name) < floor
    }
    assert not below, f"{kind}: figures under their floors (value, floor): {below}"
