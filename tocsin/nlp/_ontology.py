"""The PLOVER ontology and trigger lexicon, read once from ``tocsin/data/plover.yaml``.

The YAML file documents itself (sources, how modes are picked); this module turns
it into frozen records and answers the small questions other modules ask:
``plover_types``, ``quad_of``, ``cameo_of``, ``acled_types``, ``normalise_type``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from tocsin.errors import TocsinError
from tocsin.nlp._yaml import safe_load

QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")

Phrase = tuple[str, ...]  # words of a multiword trigger; "*" is a gap of 0-3 words


class OntologyError(TocsinError):
    """The ontology file is missing or malformed."""


@dataclass(frozen=True)
class ModeSpec:
    """One mode of an event type: its ACLED mapping and the cues that pick it."""

    name: str
    source: str  # "manual" or "tocsin"
    description: str
    acled: tuple[str | None, str | None] | None  # None: inherit the type's mapping
    cameo: str | None
    words: tuple[Phrase, ...]
    equipment: frozenset[str]
    dominant: tuple[Phrase, ...] = ()  # words that make the mode win anywhere in the sentence
    # trigger verb lemma -> object lemmas that make the mode win over everything else
    # ("shot down a drone" intercept, "shot down a jet" anti-aircraft)
    with_object: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class TypeSpec:
    """One PLOVER event type with its codes, modes and trigger lexicon."""

    name: str
    quad: str
    cameo: str | None
    description: str
    acled: tuple[str | None, str | None]
    modes: tuple[ModeSpec, ...]
    verbs: frozenset[str]
    nouns: frozenset[str]
    phrases: tuple[Phrase, ...]
    verbs_with_object: dict[str, frozenset[str]]

    def mode(self, name: str | None) -> ModeSpec | None:
        """The mode called ``name``, or None."""
        return next((m for m in self.modes if m.name == name), None)


@dataclass(frozen=True)
class Ontology:
    """Everything the event extractor needs from the YAML file."""

    types: dict[str, TypeSpec]
    light_verbs: frozenset[str]
    embedding_types: frozenset[str]
    future_as_agree: frozenset[str]
    future_as_threaten: frozenset[str]
    preparation_verbs: frozenset[str]
    speech_verbs: frozenset[str]
    legacy_names: dict[str, str]


def split_phrase(text: str) -> Phrase:
    """Lower-case words of a lexicon entry; hyphens and spaces split words."""
    return tuple(w for w in re.split(r"[\s\-]+", text.lower().strip()) if w)


def _pair(value: Any, where: str) -> tuple[str | None, str | None]:
    if value is None:
        return (None, None)
    if not isinstance(value, list) or len(value) != 2:
        raise OntologyError(f"plover.yaml: {where} must be [event_type, sub_event_type] or null")
    return (value[0], value[1])


def _mode(name: str, raw: dict[str, Any], where: str) -> ModeSpec:
    return ModeSpec(
        name=name,
        source=str(raw.get("source", "tocsin")),
        description=str(raw.get("description", "")),
        acled=_pair(raw["acled"], f"{where}.acled") if "acled" in raw else None,
        cameo=raw.get("cameo"),
        words=tuple(split_phrase(str(w)) for w in raw.get("words", [])),
        equipment=frozenset(str(e).lower() for e in raw.get("equipment", [])),
        dominant=tuple(split_phrase(str(w)) for w in raw.get("dominant", [])),
        with_object={
            str(v).lower(): frozenset(str(o).lower() for o in objs)
            for v, objs in (raw.get("with_object") or {}).items()
        },
    )


def _type(name: str, raw: dict[str, Any]) -> TypeSpec:
    quad = raw.get("quad")
    if quad not in QUADS:
        raise OntologyError(f"plover.yaml: {name}.quad is {quad!r}; use one of {', '.join(QUADS)}")
    modes = raw.get("modes") or {}
    nouns = [str(n).lower() for n in raw.get("nouns", [])]
    phrases = [str(p) for p in raw.get("phrases", [])]
    vwo = raw.get("verbs_with_object") or {}
    return TypeSpec(
        name=name,
        quad=quad,
        cameo=raw.get("cameo"),
        description=str(raw.get("description", "")),
        acled=_pair(raw.get("acled"), f"{name}.acled"),
        modes=tuple(_mode(m, spec or {}, f"{name}.modes.{m}") for m, spec in modes.items()),
        verbs=frozenset(str(v).lower() for v in raw.get("verbs", [])),
        nouns=frozenset(n for n in nouns if len(split_phrase(n)) == 1),
        # a "noun" written with a hyphen or space ("build-up") is matched as a phrase
        phrases=tuple(
            split_phrase(p) for p in phrases + [n for n in nouns if len(split_phrase(n)) > 1]
        ),
        verbs_with_object={
            str(v).lower(): frozenset(str(o).lower() for o in objs) for v, objs in vwo.items()
        },
    )


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    """Read and check ``tocsin/data/plover.yaml`` (once per process)."""
    try:
        text = resources.files("tocsin").joinpath("data/plover.yaml").read_text("utf-8")
    except OSError as exc:
        raise OntologyError(
            f"cannot read tocsin/data/plover.yaml ({exc}); reinstall tocsin with its data files"
        ) from exc
    raw = safe_load(text)
    if not isinstance(raw, dict) or not isinstance(raw.get("types"), dict):
        raise OntologyError("plover.yaml has no 'types' mapping; restore the file from the repo")
    types = {name: _type(name, spec) for name, spec in raw["types"].items()}
    return Ontology(
        types=types,
        light_verbs=frozenset(raw.get("light_verbs", [])),
        embedding_types=frozenset(raw.get("embedding_types", [])),
        future_as_agree=frozenset(raw.get("future_as_agree", [])),
        future_as_threaten=frozenset(raw.get("future_as_threaten", [])),
        preparation_verbs=frozenset(raw.get("preparation_verbs", [])),
        speech_verbs=frozenset(raw.get("speech_verbs", [])),
        legacy_names=dict(raw.get("legacy_names") or {}),
    )


def _spec(type_: str) -> TypeSpec:
    ontology = load_ontology()
    name = normalise_type(type_)
    if name not in ontology.types:
        known = ", ".join(ontology.types)
        raise ValueError(f"unknown PLOVER event type {type_!r}; known types: {known}")
    return ontology.types[name]


def plover_types() -> list[str]:
    """The PLOVER event types tocsin codes, in the manual's order."""
    return list(load_ontology().types)


def normalise_type(type_: str) -> str:
    """Map an older PLOVER name (FIGHT, ACCUSE, YIELD) to the type used here."""
    name = type_.strip().upper()
    return load_ontology().legacy_names.get(name, name)


def quad_of(type_: str) -> str:
    """The quad category of a type, e.g. ``quad_of("MOBILIZE") == "material_conflict"``."""
    return _spec(type_).quad


def cameo_of(type_: str, mode: str | None = None) -> str | None:
    """The CAMEO cue category (two digits) of a type, refined by its mode when known."""
    spec = _spec(type_)
    mode_spec = spec.mode(mode)
    if mode_spec is not None and mode_spec.cameo is not None:
        return mode_spec.cameo
    return spec.cameo


def acled_types(type_: str, mode: str | None) -> tuple[str | None, str | None]:
    """ACLED (event_type, sub_event_type) for a PLOVER type and mode; (None, None) when
    ACLED does not code that kind of event."""
    spec = _spec(type_)
    mode_spec = spec.mode(mode)
    if mode_spec is not None and mode_spec.acled is not None:
        return mode_spec.acled
    return spec.acled
