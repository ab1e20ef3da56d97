"""Equipment: weapon and system names and generic nouns, mapped to a class.

The lexicon is ``tocsin/data/equipment.yaml`` (its header explains the layout
and the variants generated: hyphen/space forms, spellings, plurals). Matching
uses two spaCy ``PhraseMatcher``s built once per vocabulary: one on lower case,
one on the exact text for names that are also ordinary words ("Tor", "Grad").
The longest match wins; a specific name directly followed by a generic noun
("Kalibr cruise missiles") becomes one mention with the specific name. A match
that names what a site makes or stores ("a VBIED factory", "weapons caches",
"drone production facility") is the site, not equipment, and is dropped; so is
one after "anti-" or "counter-" ("counter-IED training", "anti-drone guns"), and one
that names the crew of a weapon ("a mortar team").

A mention starts at the descriptive adjectives written before it ("simple chemical
weapons", "other military hardware", "ground-based artillery", "shoulder-fired
missiles"), as the weapon phrase a reader would underline; it leaves out articles
and numbers, words of quantity ("several rockets"), doubt ("apparent barrel bombs")
and nationality or maker ("Israeli missiles", "Russian-made tanks"), which say whose
or how many, not what the weapon is, and adjectives when the weapon word only
modifies the next noun ("sustained machine gun fire").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import spacy
import yaml
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
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
#: Nouns after which an equipment word names the people who serve it ("mortar team").
_CREW_NOUNS = frozenset({"team", "teams"})
_COUNTER = frozenset({"anti", "counter", "non"})
#: Adjectives that count, hedge, rank or date a weapon ("several", "apparent", "first",
#: "new"), or tell how often or hard it was used ("sustained machine gun fire"): they
#: say how many, whether or when, not what the weapon is, and stay out of its span.
_NOT_DESCRIPTIVE = frozenset(
    {"several", "many", "multiple", "numerous", "various", "few", "some", "more", "most",
     "additional", "further", "much", "enough", "all", "both", "each", "every", "same",
     "apparent", "alleged", "suspected", "possible", "probable", "presumed", "purported",
     "reported", "unidentified", "unknown", "unspecified", "likely", "so", "called",
     "first", "last", "next", "previous", "latest", "former", "own", "certain",
     "sustained", "intense", "intensive", "indiscriminate", "constant", "continuous",
     "continued", "repeated", "relentless", "sporadic", "occasional", "daily", "nightly",
     "new", "newer", "newest", "old", "older", "recent", "current", "existing", "future",
     "remaining", "extra"}
)  # fmt: skip
#: A model designation: letters then a number ("Kh-69", "B-52", "T-72B3", "AK-47") or
#: a number, letters, a number ("9M723", "2S19", "3M22").
_DESIGNATION = re.compile(
    r"^(?:[A-Z][A-Za-z]{0,3}-?\d+[A-Za-z0-9-]*|\d+[A-Z]{1,2}\d+[A-Za-z0-9-]*)$"
)
#: Parts of speech after which an equipment word modifies the next noun ("mortar attack").
_NOUNS = frozenset({"NOUN", "PROPN"})
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
    chosen = _with_designations(doc, sorted(filter_spans(spans), key=lambda s: s.start), m)
    result: list[Equipment] = []
    previous: tuple[Span, str, str | None] | None = None
    for span, cls, name in chosen:
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
    ends = [0] + [e.end for e in result]
    return [_with_adjectives(doc, e, after) for e, after in zip(result, ends, strict=False)]


def _with_designations(
    doc: Doc, chosen: list[Span], m: _Matchers
) -> list[tuple[Span, str, str | None]]:
    """Matches with their class and name, and model designations joined to them: a
    suffix written onto a known name ("T-72B3M" from "T-72B3"), and a designation
    the lexicon does not list before a generic noun, which names it ("9M723
    missiles", "Kh-69 cruise missiles", "RS-26 Rubezh ICBM")."""
    out: list[tuple[Span, str, str | None]] = []
    taken = 0
    for span in chosen:
        cls, name = m.labels[span.label_]
        start, end = span.start, span.end
        if name is not None and cls != _STOP:
            while end < len(doc) and not doc[end - 1].whitespace_ and doc[end].text.isalnum():
                end += 1
        elif cls != _STOP:
            for n in (1, 2):  # "9M723 missiles", "RS-26 Rubezh ICBM"
                before = doc[start - n : start] if start - n >= taken else None
                if before and _DESIGNATION.match(before[0].text) and _named_by(before[1:]):
                    start, name = before.start, before.text
                    break
        out.append((doc[start:end], cls, name))
        taken = end
    return out


def _named_by(words: Span) -> bool:
    """Whether ``words``, between a designation and a generic noun, are empty or one
    capitalised name ("Rubezh" in "RS-26 Rubezh ICBM")."""
    return all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in words)


def _with_adjectives(doc: Doc, item: Equipment, after: int) -> Equipment:
    """``item`` extended left over the descriptive adjectives written before it (not
    back into the mention that ends at character ``after``)."""
    span = doc.char_span(item.start, item.end)
    if span is None or (span.end < len(doc) and doc[span.end].pos_ in _NOUNS):
        return item
    start = span.start
    while (begin := _adjective_before(doc, start)) is not None and doc[begin].idx >= after:
        start = begin
    if start == span.start:
        return item
    text = doc.text[doc[start].idx : item.end]
    return Equipment(doc[start].idx, item.end, text, item.cls, item.name)


def _adjective_before(doc: Doc, start: int) -> int | None:
    """Where a descriptive adjective directly before token ``start`` begins: one word
    tagged JJ ("simple") or a hyphenated compound ending in an adjective or participle
    ("ground-based", "long-range"); None when there is none."""
    if start == 0:
        return None
    last = doc[start - 1]
    if last.tag_ == "JJ" and _describes(last) and (start < 2 or doc[start - 2].text != "-"):
        return start - 1  # not the tail of a compound ("borne" of "drone-borne")
    if start >= 3 and doc[start - 2].text == "-" and last.tag_ in ("JJ", "VBN", "NN"):
        first = doc[start - 3]
        if _describes(first) and _describes(last) and first.pos_ in ("NOUN", "ADJ", "PROPN"):
            return start - 3
    return None


def _describes(tok: Token) -> bool:
    """A word that can describe a weapon: not a count, hedge or rank word, and not a
    nationality, place or organisation ("Israeli", "US-made", "ISIL")."""
    if tok.lower_ in _NOT_DESCRIPTIVE or tok.ent_type_ in ("NORP", "GPE", "ORG", "CARDINAL"):
        return False
    return not (tok.text[:1].isupper() and not tok.is_sent_start)


def _site_or_counter(span: Span) -> bool:
    """True for a match that names a site ("VBIED factory", "weapons caches"), a crew
    ("mortar teams") or what is used against the equipment ("counter-IED training",
    "anti-drone guns")."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lower_ in _SITE_NOUNS | _CREW_NOUNS:
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
