"""Read one match block of a checklist: each field checked, with its line on error."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import yaml

from tocsin.warn.checklist_match import Match
from tocsin.warn.regions import DEFAULT_KM

if TYPE_CHECKING:
    from tocsin.warn.checklist import _Reader


@lru_cache(maxsize=1)
def _ontology() -> dict[str, frozenset[str]]:
    from tocsin.nlp._ontology import load_ontology

    return {
        name: frozenset(m.name for m in spec.modes) for name, spec in load_ontology().types.items()
    }


class BlockValues:
    """Turns the fields of one match block into a :class:`Match`."""

    def __init__(self, reader: _Reader, field: str) -> None:
        self.r = reader
        self.field = field

    def build(self, f: dict[str, yaml.Node]) -> Match:
        types = self.types(f["types"]) if "types" in f else ()
        near = self.near(f["near"]) if "near" in f else ()
        min_q, counts = self.quantity(f["quantity"]) if "quantity" in f else (None, ())
        return Match(
            types=types,
            modes=self.modes(f["modes"], types) if "modes" in f else (),
            actors=self.codes(f, "actors"),
            targets=self.codes(f, "targets"),
            equipment=self.equipment(f["equipment"]) if "equipment" in f else (),
            words=tuple(w.lower() for w, _, _ in self.r.strings(f["words"], self.at("words")))
            if "words" in f
            else (),
            countries=tuple(
                self.r.check_country(c, n, at)
                for c, n, at in self.r.strings(f["countries"], self.at("countries"))
            )
            if "countries" in f
            else (),
            admin1=self.admin1(f["admin1"]) if "admin1" in f else (),
            near=near,
            min_quantity=min_q,
            quantity_counts=counts,
        )

    def at(self, name: str) -> str:
        return f"{self.field}.{name}"

    def types(self, node: yaml.Node) -> tuple[str, ...]:
        from tocsin.nlp._ontology import normalise_type

        known = _ontology()
        out = []
        for value, n, at in self.r.strings(node, self.at("types")):
            name = normalise_type(value)
            if name not in known:
                self.r.fail(n, at, f"unknown PLOVER type {value!r}; known: {', '.join(known)}")
            out.append(name)
        return tuple(out)

    def modes(self, node: yaml.Node, types: tuple[str, ...]) -> tuple[str, ...]:
        known = _ontology()
        allowed = set().union(*(known[t] for t in (types or tuple(known))))
        out = []
        for value, n, at in self.r.strings(node, self.at("modes")):
            if value not in allowed:
                scope = f"of {', '.join(types)}" if types else "of any type"
                self.r.fail(n, at, f"unknown mode {value!r} {scope}; known: "
                            f"{', '.join(sorted(allowed))}")  # fmt: skip
            out.append(value)
        return tuple(out)

    def codes(self, f: dict[str, yaml.Node], name: str) -> tuple[str, ...]:
        if name not in f:
            return ()
        return tuple(
            self.r.check_actor(code, n, at)
            for code, n, at in self.r.strings(f[name], self.at(name))
        )

    def equipment(self, node: yaml.Node) -> tuple[str, ...]:
        from tocsin.warn.checklist import equipment_classes

        known = equipment_classes()
        out = []
        for value, n, at in self.r.strings(node, self.at("equipment")):
            if value not in known:
                self.r.fail(n, at, f"unknown equipment class {value!r}; known: "
                            f"{', '.join(sorted(known))}")  # fmt: skip
            out.append(value)
        return tuple(out)

    def admin1(self, node: yaml.Node) -> tuple[tuple[str | None, str], ...]:
        out = []
        for value, n, at in self.r.strings(node, self.at("admin1")):
            found = [c for c in self.r.gazetteer().lookup(value) if c.kind == "admin1"]
            if not found:
                self.r.fail(n, at, f"{value!r} is not an admin1 region in the gazetteer")
            out.append((found[0].country, found[0].name))
        return tuple(out)

    def near(self, node: yaml.Node) -> tuple[tuple[float, float, float], ...]:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        out = []
        for i, item in enumerate(items):
            field = self.at("near") + (f"[{i}]" if isinstance(node, yaml.SequenceNode) else "")
            f = self.r.mapping(item, field, ("place", "km"))
            if "place" not in f:
                self.r.fail(item, f"{field}.place", "required field missing")
            place = self.r.scalar(f["place"], f"{field}.place", str)
            km = (
                float(self.r.positive(f["km"], f"{field}.km", (int, float)))
                if "km" in f
                else DEFAULT_KM
            )
            out.append((*self.point(place, f["place"], f"{field}.place"), km))
        return tuple(out)

    def point(self, place: str, node: yaml.Node, field: str) -> tuple[float, float]:
        found: list[Any] = [c for c in self.r.gazetteer().lookup(place) if c.lat is not None]
        if not found:
            self.r.fail(node, field, f"unknown place {place!r}: not in the gazetteer")
        return float(found[0].lat), float(found[0].lon)

    def quantity(self, node: yaml.Node) -> tuple[float, tuple[str, ...]]:
        f = self.r.mapping(node, self.at("quantity"), ("min", "counts"))
        if "min" not in f:
            self.r.fail(node, self.at("quantity.min"), "required field missing")
        minimum = float(self.r.scalar(f["min"], self.at("quantity.min"), (int, float)))
        counts = (
            tuple(c for c, _, _ in self.r.strings(f["counts"], self.at("quantity.counts")))
            if "counts" in f
            else ()
        )
        return minimum, counts
