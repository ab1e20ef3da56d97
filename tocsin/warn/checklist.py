"""Indicator checklists: the YAML schema, read with line numbers, checked against the data.

A checklist is a YAML mapping (see ``docs/warnings.md`` for the full schema)::

    name: Ground invasion readiness
    window_days: 14                    # default window of every indicator
    indicators:
      - id: air_defence_forward
        name: Air defence moved forward
        min_sources: 2                 # independent sources for "met"
        polarity: [asserted, uncertain]
        match:                         # one block, or a list of blocks (any may match)
          types: [MOBILIZE]
          equipment: [air_defence]
          near: {place: Russia-Ukraine border, km: 400}
        disputed_by:                   # optional: events that speak against it
          types: [RETREAT]

Every problem is a :class:`ChecklistError` naming the file, line, column and
field (``indicators[2].match.types[0]``). Types, modes and equipment classes are
checked against the ontology and lexicons; actor codes against the actor
lexicon; places and admin1 regions against the gazetteer. An unknown name is an
error, never a silent zero.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

import yaml

from tocsin.errors import TocsinError
from tocsin.warn.checklist_match import Match
from tocsin.warn.regions import DEFAULT_KM, actor_code_problem, country_problem

POLARITIES = ("asserted", "uncertain")
TOP_FIELDS = ("name", "description", "window_days", "indicators")
INDICATOR_FIELDS = (
    "id", "name", "description", "window_days", "min_sources", "polarity", "weight", "match",
    "disputed_by",
)  # fmt: skip
MATCH_FIELDS = (
    "types", "modes", "actors", "targets", "equipment", "words", "countries", "admin1", "near",
    "quantity",
)  # fmt: skip
DEFAULT_WINDOW = 14


class ChecklistError(TocsinError):
    """A checklist file is malformed or names something unknown; says where."""


@dataclass(frozen=True)
class Indicator:
    """One sign to watch: the events that satisfy it, over a window of days."""

    id: str
    name: str
    match: tuple[Match, ...]
    disputed_by: tuple[Match, ...] = ()
    description: str = ""
    window_days: int = DEFAULT_WINDOW
    min_sources: int = 1
    polarity: tuple[str, ...] = POLARITIES
    weight: float = 1.0
    line: int = 0


@dataclass(frozen=True)
class Checklist:
    name: str
    indicators: tuple[Indicator, ...]
    description: str = ""
    path: str = ""


def default_checklists() -> list[Path]:
    """The checklists shipped in ``tocsin/data/checklists``."""
    folder = Path(str(resources.files("tocsin") / "data" / "checklists"))
    return sorted(folder.glob("*.yaml"))


def load_checklist(path: str | Path, gazetteer: Any = None) -> Checklist:
    """Read and check a checklist file; raises :class:`ChecklistError` with line and field."""
    p = Path(path)
    if not p.is_file():
        names = ", ".join(c.stem for c in default_checklists())
        raise ChecklistError(f"{path}: no such checklist file (shipped checklists: {names})")
    text = p.read_text(encoding="utf-8")
    return parse_checklist(text, str(path), gazetteer)


def parse_checklist(text: str, source: str = "<checklist>", gazetteer: Any = None) -> Checklist:
    """Parse checklist YAML text (see :func:`load_checklist`)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        raise ChecklistError(f"{where}: not valid YAML: {exc.problem or exc}") from exc
    return _Reader(source, gazetteer).checklist(root)


class _Reader:
    """Walks the YAML node tree, so every message can name a line and a field."""

    def __init__(self, source: str, gazetteer: Any) -> None:
        self.source = source
        self._gazetteer = gazetteer

    def fail(self, node: yaml.Node | None, field: str, message: str) -> NoReturn:
        where = self.source
        if node is not None:
            where += f":{node.start_mark.line + 1}:{node.start_mark.column + 1}"
        raise ChecklistError(f"{where}: {field}: {message}")

    def mapping(self, node: yaml.Node, field: str, known: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, field, f"expected a mapping with fields {', '.join(known)}")
        out: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = str(key.value)
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.fail(key, f"{field}.{name}" if field else name, f"unknown field{hint}; "
                          f"known: {', '.join(known)}")  # fmt: skip
            if name in out:
                self.fail(key, f"{field}.{name}" if field else name, "given twice")
            out[name] = value
        return out

    def scalar(self, node: yaml.Node, field: str, kind: type | tuple[type, ...]) -> Any:
        value = yaml.SafeLoader("").construct_object(node) if node is not None else None
        if isinstance(value, bool) or not isinstance(value, kind):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            self.fail(node, field, f"expected a {names}, got {value!r}")
        return value

    def strings(self, node: yaml.Node, field: str) -> list[tuple[str, yaml.Node, str]]:
        """A string or a list of strings: (value, node, field with its index) each."""
        if isinstance(node, yaml.ScalarNode):
            return [(self.scalar(node, field, str), node, field)]
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.fail(node, field, "expected a string or a non-empty list of strings")
        return [
            (self.scalar(n, f"{field}[{i}]", str), n, f"{field}[{i}]")
            for i, n in enumerate(node.value)
        ]

    def positive(self, node: yaml.Node, field: str, kind: type | tuple[type, ...]) -> Any:
        value = self.scalar(node, field, kind)
        if value <= 0:
            self.fail(node, field, f"must be greater than 0, got {value}")
        return value

    # -- the schema ------------------------------------------------------------------

    def checklist(self, root: yaml.Node | None) -> Checklist:
        if root is None:
            raise ChecklistError(f"{self.source}: the checklist is empty")
        top = self.mapping(root, "", TOP_FIELDS)
        for required in ("name", "indicators"):
            if required not in top:
                self.fail(root, required, "required field missing")
        window = (
            self.positive(top["window_days"], "window_days", int)
            if "window_days" in top
            else DEFAULT_WINDOW
        )
        items = top["indicators"]
        if not isinstance(items, yaml.SequenceNode) or not items.value:
            self.fail(items, "indicators", "expected a non-empty list of indicators")
        indicators = [
            self.indicator(n, f"indicators[{i}]", window) for i, n in enumerate(items.value)
        ]
        seen: dict[str, int] = {}
        for ind, node in zip(indicators, items.value, strict=True):
            if ind.id in seen:
                self.fail(node, f"indicators[{len(seen)}].id", f"duplicate id {ind.id!r}")
            seen[ind.id] = ind.line
        description = (
            self.scalar(top["description"], "description", str) if "description" in top else ""
        )
        return Checklist(
            self.scalar(top["name"], "name", str), tuple(indicators), description, self.source
        )

    def indicator(self, node: yaml.Node, field: str, window: int) -> Indicator:
        f = self.mapping(node, field, INDICATOR_FIELDS)
        for required in ("id", "name", "match"):
            if required not in f:
                self.fail(node, f"{field}.{required}", "required field missing")
        ident = self.scalar(f["id"], f"{field}.id", str)
        if not re.fullmatch(r"[a-z0-9_]+", ident):
            self.fail(f["id"], f"{field}.id", f"{ident!r}: use lower-case letters, digits and _")
        polarity: tuple[str, ...] = POLARITIES
        if "polarity" in f:
            values = self.strings(f["polarity"], f"{field}.polarity")
            for value, n, at in values:
                if value not in POLARITIES:
                    self.fail(n, at, f"{value!r}: choose from {', '.join(POLARITIES)}")
            polarity = tuple(v for v, _, _ in values)

        def opt(name: str, read: Any, default: Any) -> Any:
            return read(f[name], f"{field}.{name}") if name in f else default

        return Indicator(
            id=ident,
            name=self.scalar(f["name"], f"{field}.name", str),
            match=self.blocks(f["match"], f"{field}.match"),
            disputed_by=opt("disputed_by", self.blocks, ()),
            description=opt("description", lambda n, a: self.scalar(n, a, str), ""),
            window_days=opt("window_days", lambda n, a: self.positive(n, a, int), window),
            min_sources=opt("min_sources", lambda n, a: self.positive(n, a, int), 1),
            polarity=polarity,
            weight=float(opt("weight", lambda n, a: self.positive(n, a, (int, float)), 1.0)),
            line=node.start_mark.line + 1,
        )

    def blocks(self, node: yaml.Node, field: str) -> tuple[Match, ...]:
        if isinstance(node, yaml.SequenceNode):
            if not node.value:
                self.fail(node, field, "expected a match block or a non-empty list of them")
            return tuple(self.block(n, f"{field}[{i}]") for i, n in enumerate(node.value))
        return (self.block(node, field),)

    def block(self, node: yaml.Node, field: str) -> Match:
        from tocsin.warn.checklist_values import BlockValues

        f = self.mapping(node, field, MATCH_FIELDS)
        if not f:
            self.fail(node, field, "an empty match block would match every event")
        values = BlockValues(self, field)
        return values.build(f)

    def check_actor(self, code: str, node: yaml.Node, field: str) -> str:
        problem = actor_code_problem(code)
        if problem:
            self.fail(node, field, problem)
        return code

    def check_country(self, code: str, node: yaml.Node, field: str) -> str:
        problem = country_problem(code)
        if problem:
            self.fail(node, field, problem)
        return code

    def gazetteer(self) -> Any:
        if self._gazetteer is None:
            from tocsin.nlp.gazetteer import Gazetteer

            self._gazetteer = Gazetteer.open()
        return self._gazetteer


@lru_cache(maxsize=1)
def equipment_classes() -> frozenset[str]:
    """The equipment classes of ``tocsin/data/equipment.yaml``."""
    path = resources.files("tocsin") / "data" / "equipment.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return frozenset(k for k in data if k not in ("cased", "stop"))


__all__ = [
    "DEFAULT_KM", "Checklist", "ChecklistError", "Indicator", "default_checklists",
    "equipment_classes", "load_checklist", "parse_checklist",
]  # fmt: skip
