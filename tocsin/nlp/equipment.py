"""Equipment: weapon and system names and generic nouns, mapped to a class.

The lexicon is ``tocsin/data/equipment.yaml`` (its header explains the layout
and the variants generated: hyphen/space forms, spellings, plurals). Matching
uses two spaCy ``PhraseMatcher``s built once per vocabulary: one on lower case,
one on the exact text for names that are also ordinary words ("Tor", "Grad").
The longest match wins; a specific name directly followed by a generic noun
("Kalibr cruise missiles") becomes one mention with the specific name. A match
that names what a site makes or stores ("a VBIED factory", "weapons caches",
"drone production facility") is the site, not equipment, and is dropped; so is
one after "anti-" or "counter-" ("counter-IED training", "anti-drone guns").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import spacy
import yaml
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from tocsin.errors import TocsinError
from tocsin.models import Equipment

__all__ = ["extract_equipment", "load_lexicon"]

_STOP = "stop"
_SPELLINGS = (("defence", "defense"), ("armoured", "armored"), ("armour", "armor"))
_BLOCKING_ENTS = frozenset({"PERSON", "ORG", "WORK_OF_ART"})
#: Nouns after which an equipment word describes a site ("VBIED factory", "weapons cache").
_SITE_NOUNS = frozenset(
    {"facility", "facilities", "factory", "factories", "plant", "plants", "workshop",
     "workshops", "warehouse", "warehouses", "cache", "caches", "depot", "depots",
     "storage", "stockpile", "stockpiles", "staging", "production", "manufacturing",
     "assembly", "construction", "site", "sites", "industry"}
)  # fmt: skip
_COUNTER = frozenset({"anti", "counter", "non"})
_TITLES = frozenset(
    {"general", "gen", "mr", "mrs", "ms", "dr", "senator", "sen", "president", "minister"}
    | {"colonel", "col", "admiral", "adm", "lieutenant", "lt", "major", "maj", "captain"}
)


@dataclass(frozen=True)
class _Entry:
    cls: str
    name: str | None
    forms: tuple[str, ...]
    cased: bool


@dataclass(frozen=True)
class _Matchers:
    lower: PhraseMatcher
    cased: PhraseMatcher
    labels: dict[str, tuple[str, str | None]]  # match key -> (class, canonical name)


@lru_cache(maxsize=1)
def load_lexicon() -> tuple[_Entry, ...]:
    """The entries of ``tocsin/data/equipment.yaml`` (read once per process)."""
    path = resources.files("tocsin") / "data" / "equipment.yaml"
    try:
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TocsinError(
            f"cannot read the equipment lexicon {path}: {exc}. Reinstall tocsin or fix the YAML."
        ) from exc
    cased = set(data.pop("cased", []) or [])
    entries = [_Entry(_STOP, None, tuple(data.pop("stop", []) or []), False)]
    for cls, body in data.items():
        for line in body.get("names", []) or []:
            forms = tuple(f.strip() for f in line.split("|") if f.strip())
            entries.append(_Entry(cls, forms[0], forms, forms[0] in cased))
        for noun in body.get("generic", []) or []:
            entries.append(_Entry(cls, None, (noun,), False))
    return tuple(entries)


def variants(form: str, specific: bool) -> set[str]:
    """Spelling, hyphenation and plural variants of one lexicon form."""
    forms = {form}
    for british, american in _SPELLINGS:
        forms |= {f.replace(british, american) for f in forms}
    hyphens = set()
    for f in forms:
        hyphens |= {f.replace("-", " "), f.replace("-", "")}
        if specific and any(c.isdigit() for c in f):
            hyphens |= {f.replace(" ", "-"), f.replace(" ", "")}
    forms |= {h for h in hyphens if h.strip()}
    plurals = set()
    for f in forms:
        if f.endswith("y") and not specific and f[-2:-1] not in "aeiou":
            plurals.add(f[:-1] + "ies")
        elif f.endswith(("s", "x", "ch", "sh")):
            plurals.add(f + "es" if not specific else f)
        else:
            plurals.add(f + "s")
    return forms | plurals


@lru_cache(maxsize=4)
def _matchers(vocab: Vocab) -> _Matchers:
    """Phrase matchers for ``vocab``, built once per vocabulary."""
    tokenizer = spacy.blank("en", vocab=vocab)
    lower = PhraseMatcher(vocab, attr="LOWER")
    cased = PhraseMatcher(vocab, attr="ORTH")
    labels: dict[str, tuple[str, str | None]] = {}
    for n, entry in enumerate(load_lexicon()):
        key = f"equipment_{n}"
        labels[key] = (entry.cls, entry.name)
        forms = set().union(*(variants(f, entry.name is not None) for f in entry.forms))
        if entry.cased:
            cased.add(key, [tokenizer.make_doc(f) for f in sorted(forms)])
        else:
            lower.add(key, [tokenizer.make_doc(f.lower()) for f in sorted(forms)])
    return _Matchers(lower, cased, labels)


def extract_equipment(doc: Doc) -> list[Equipment]:
    """Every equipment mention of ``doc``, in text order."""
    m = _matchers(doc.vocab)
    spans = [Span(doc, s, e, label=k) for k, s, e in m.lower(doc)]
    spans += [Span(doc, s, e, label=k) for k, s, e in m.cased(doc) if _cased_ok(doc, s, e)]
    spans = [s for s in spans if _noun_like(s, m.labels[s.label_][1])]
    spans = [s for s in spans if not _site_or_counter(s)]
    chosen = sorted(filter_spans(spans), key=lambda s: s.start)
    result: list[Equipment] = []
    previous: tuple[Span, str, str | None] | None = None
    for span in chosen:
        cls, name = m.labels[span.label_]
        if cls == _STOP:
            previous = None
            continue
        if previous and name is None and previous[2] and _adjacent(previous[0], span):
            first = previous[0]
            merged = doc[first.start : span.end]
            result[-1] = Equipment(
                merged.start_char, merged.end_char, merged.text, previous[1], previous[2]
            )
            previous = None
            continue
        result.append(Equipment(span.start_char, span.end_char, span.text, cls, name))
        previous = (span, cls, name)
    return result


def _site_or_counter(span: Span) -> bool:
    """True for a match that names a site ("VBIED factory", "weapons caches") or what
    is used against the equipment ("counter-IED training", "anti-drone guns")."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lower_ in _SITE_NOUNS:
        return True
    before = doc[max(0, span.start - 2) : span.start]
    return len(before) == 2 and before[1].text == "-" and before[0].lower_ in _COUNTER


def _noun_like(span: Span, name: str | None) -> bool:
    """Generic one-word matches must be nouns ("tanks" the verb is not equipment)."""
    return name is not None or len(span) > 1 or span[0].pos_ in ("NOUN", "PROPN", "X")


def _adjacent(first: Span, second: Span) -> bool:
    """True when ``second`` follows ``first`` with at most a hyphen between them."""
    gap = first.doc[first.end : second.start]
    return len(gap) == 0 or (len(gap) == 1 and gap[0].text == "-")


def _cased_ok(doc: Doc, start: int, end: int) -> bool:
    """A cased name is not equipment inside a longer name ("Creighton Abrams",
    "The Lancet") or after a title ("General Bradley")."""
    if start > 0 and doc[start - 1].lower_.rstrip(".") in _TITLES:
        return False
    for ent in doc.ents:
        overlaps = ent.start < end and start < ent.end
        if overlaps and ent.label_ in _BLOCKING_ENTS and (ent.start < start or ent.end > end):
            return False
    return True
