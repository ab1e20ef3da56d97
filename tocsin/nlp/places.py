"""Find toponyms in a document and resolve them to gazetteer entries.

Toponyms come from three sources:

* spaCy entities labelled GPE, LOC or FAC;
* entities labelled ORG or NORP whose text is exactly the main name of a
  country, admin1 region, feature, or a place of at least 10,000 people (an
  alternate name counts from 100,000 people: Kharkov), and PERSON entities
  likewise but with places of at least 250,000 people (the
  small model tags Belarus as ORG and Kharkov as PERSON; a person such as
  "Modi" or "Graham" must not become a village), unless the text around it
  says it is a place: "the village of X", "near X", "X territorial community",
  "X, Kharkiv region";
* phrase matches of the project's feature table (Donbas, Sea of Azov), which
  take precedence over entities they overlap.

A leading "the" is left out of the span; a following "oblast", "region" or
"province" is taken in ("Kharkiv region" is one toponym). Demonyms
("Ukrainian") are not places: they only count as evidence of a country.
Names in ``tocsin/data/places_stoplist.txt`` (compass words, "Kremlin", weapon
systems named like villages) are skipped, and an all-capital abbreviation of
up to four letters matches main names only (GeoNames lists airport codes
such as "SBU" among alternate names).
Disambiguation is documented in ``_place_scoring``. A toponym the gazetteer
does not know is kept with ``reason="not in gazetteer"`` and no coordinates.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from tocsin.models import Place
from tocsin.nlp._doc import doc_text
from tocsin.nlp._fold import fold
from tocsin.nlp._gazetteer_sources import data_file, demonym_table, is_iso3, region_abbreviations
from tocsin.nlp._place_scoring import (
    BIG_CITY,
    Mention,
    Qualifier,
    contains,
    drop_city_regions,
    find_qualifiers,
    named_region,
    region_fallback,
    region_seats,
    resolve,
)
from tocsin.nlp.gazetteer import Candidate, Gazetteer

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_places", "resolve_spans"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
RETAG_LABELS = frozenset({"ORG", "NORP", "PERSON"})
RETAG_MIN_POPULATION = {"ORG": 10_000, "NORP": 10_000, "PERSON": 250_000}
RETAG_KINDS = frozenset({"country", "admin1", "feature"})
NOT_FOUND = "not in gazetteer"
NO_POINT = "no representative point for this region"
_REGION_SUFFIX = re.compile(r"[ \t-]+(?:oblast|region|province)\b", re.IGNORECASE)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_TRAILING_POSSESSIVE = re.compile(r"(?:'s|’s|')$")
_SETTLEMENT_BEFORE = re.compile(
    r"\b(?:village|town|city|settlement|hamlet|township|port|outskirts)s?(?: of)?\s+$",
    re.IGNORECASE,
)
# Words before or after a name that say it is a settlement whatever its entity
# label: "near X", "in proximity to X", "X territorial community", "X hromada".
_NEAR_BEFORE = re.compile(
    r"\b(?:near|in (?:the )?(?:proximity|vicinity|direction) (?:to|of))\s+$", re.IGNORECASE
)
_SETTLEMENT_AFTER = re.compile(
    r"\s+(?:territorial\s+|urban\s+|rural\s+)?(?:community|hromada|village)\b", re.IGNORECASE
)
_CITY_DISTRICT = re.compile(
    r"(?<![\w'’\-])(?P<city>[A-Z][\w'’]+)[ \t]?[-–][ \t]?"
    r"[A-Z][\w'’]+(?:sk|zk|tsk)(?:yi|yy|iy|ij|ii|y|i)(?![\w'’\-])"
)
_NAME_BEFORE_REGION = re.compile(
    r"(?<![\w'’\-])[A-Z][\w'’\-]*(?:[ \t]+[A-Z][\w'’\-]*){0,3}(?=\s*[,(]\s*[A-Z])"
)
FALLBACK = "not in gazetteer near the region named beside it: located to that region"
PART_OF_NAME = "not in gazetteer: located to the known part of its name"
IN_MAIN_TOWN = "not in gazetteer: located to the town the document names most often"
IN_MAIN_REGION = "not in gazetteer: located to the region the document names most often"
_REGION_KEY = re.compile(r"^(?P<base>.+) (?:oblast|region|province)$")


@lru_cache(maxsize=1)
def stoplist() -> frozenset[str]:
    """Folded names that are never resolved as places."""
    path = data_file("places_stoplist.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line) for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _demonym_regions() -> dict[str, str]:
    """Folded demonym -> name of the region it stands for ("european" -> "Europe")."""
    return {fold(word): name for word, name in demonym_table() if not is_iso3(name)}


def lookup(gazetteer: Gazetteer, text: str) -> list[Candidate]:
    """``gazetteer.lookup`` that also knows press abbreviations of regions, as
    written with their dots ("Calif.", "N.M."): those name the region only."""
    code = region_abbreviations().get(text.strip())
    if code is not None:
        region = gazetteer.admin1(code)
        if region is not None:
            return [region]
    return gazetteer.lookup(text) or _region_by_city_exonym(gazetteer, text)


def _region_by_city_exonym(gazetteer: Gazetteer, text: str) -> list[Candidate]:
    """ "Kiev region", "Kharkov oblast": a region named with another name of the
    big city it is named after is looked up under the city's main name ("Kyiv
    region"). Empty when the text is not "<name> region/oblast/province"."""
    match = _REGION_KEY.match(fold(text))
    if match is None:
        return []
    base, word = match.group("base"), fold(text).rsplit(" ", 1)[1]
    for city in gazetteer.lookup(base):
        main = fold(city.name)
        if city.kind != "place" or city.population < BIG_CITY or main == base:
            continue
        found = [c for c in gazetteer.lookup(f"{main} {word}") if c.kind in ("admin1", "admin2")]
        if found:
            return found
    return []


def qualifier_lookup(gazetteer: Gazetteer, text: str) -> list[Candidate]:
    """``lookup`` for a name written beside a place as the region it lies in: a
    city of 100,000 people also stands for the admin1 region named after it ("X,
    Zaporizhia" is in Zaporizka oblast). Such a region is returned with
    ``primary=False``, which tells ``find_qualifiers`` it came from a city name."""
    found = lookup(gazetteer, text)
    key = fold(text)
    extra: list[Candidate] = []
    for c in found:
        if c.kind != "place" or c.population < BIG_CITY or not c.admin1_code:
            continue
        region = gazetteer.admin1(c.admin1_code)
        if region is None or any(r.geonameid == region.geonameid for r in (*found, *extra)):
            continue
        if _same_stem(key, fold(region.name)):
            extra.append(replace(region, primary=False))
    return found + extra


def _same_stem(city: str, region: str) -> bool:
    """Whether a region's name starts like the city's ("zaporizka oblast" and
    "zaporizhia", "sumska oblast" and "sumy"): the region is named after it."""
    need = min(len(city) - 1, 5)
    return need >= 3 and city[:need] == region[:need]


def _is_abbreviation(text: str) -> bool:
    letters = text.replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 4


@lru_cache(maxsize=4)
def _feature_pattern(aliases: tuple[str, ...]) -> re.Pattern[str]:
    """One regex matching any feature alias, longest first, separators relaxed."""

    def relax(alias: str) -> str:
        parts = [re.escape(p) for p in re.split(r"[\s\-]+", alias)]
        return r"[\s\-–]+".join(parts).replace("'", "['’]?").replace("’", "['’]?")

    body = _by_first_letter([relax(a) for a in sorted(set(aliases), key=len, reverse=True)])
    return re.compile(rf"(?<![\w\-])(?:{body})(?![\w\-])", re.IGNORECASE)


def _by_first_letter(alternatives: list[str]) -> str:
    """The alternation of ``alternatives`` (regex sources), with those that begin
    with the same ASCII letter or digit grouped behind it: "a(?:lps|zov sea)|b(?:...)".

    It matches exactly what the plain alternation matches, in the same order of
    preference: two alternatives with different first letters can never match at
    the same place, and each group keeps its members' order. It is faster because
    at each word the regex engine tries a couple of dozen first letters instead of
    every alias (a few hundred) in turn. When some alternative begins otherwise,
    the plain alternation is returned."""
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        first = alt[:1]
        if not (first.isascii() and first.isalnum()):
            return "|".join(alternatives)
        groups.setdefault(first.lower(), []).append(alt[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the", a trailing possessive and surrounding spaces."""
    span = text[start:end]
    lead = _LEADING_THE.match(span)
    if lead:
        start += lead.end()
    tail = _TRAILING_POSSESSIVE.search(text[start:end])
    if tail and end - start > len(tail.group()):
        end -= len(tail.group())
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _feature_spans(text: str, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    aliases = tuple(alias for alias, _ in gazetteer.feature_aliases())
    spans = []
    for match in _feature_pattern(aliases).finditer(text):
        start, end = _trim(text, match.start(), match.end())
        if start < end and text[start].isupper():
            spans.append((start, end))
    return spans


def _entity_candidates(
    label: str,
    text: str,
    gazetteer: Gazetteer,
    qualifiers: Sequence[Qualifier] = (),
    settlement: bool = False,
) -> list[Candidate] | None:
    """Candidates for an entity; None when it is not to be treated as a toponym.

    The text around an ORG/NORP/PERSON entity overrules its label when it says
    the entity is a place: ``settlement`` ("the village of X") keeps every
    candidate; a region named beside it ("X, Kharkiv region") keeps the
    candidates in that region."""
    cands = lookup(gazetteer, text)
    if _is_abbreviation(text) and text.strip() not in region_abbreviations():
        cands = [c for c in cands if c.primary]
    if not cands:
        match = _REGION_KEY.match(fold(text))
        if match:  # "Kiev region": the regions named after "Kiev" or holding it
            base = gazetteer.lookup(match.group("base"))
            cands = [c for c in base if c.kind in ("admin1", "admin2")]
            if not cands and base and base[0].admin1_code:
                region = gazetteer.admin1(base[0].admin1_code)
                cands = [region] if region else []
    seats = region_seats(cands)
    cands = drop_city_regions(cands)
    regions = [q for _, found in qualifiers for q in found]
    inside = [c for c in cands if any(contains(q, c) for q in regions)]
    if label in RETAG_LABELS and inside:
        return inside
    if label in RETAG_LABELS and not settlement:
        floor = RETAG_MIN_POPULATION[label]
        cands = [c for c in cands if _retag_ok(c, floor) or c.geonameid in seats]
        if _is_abbreviation(text):  # "IMO", "SBU": organisations, unless "UK", "EU"
            cands = [c for c in cands if c.kind in ("country", "feature")]
        return cands or None
    return cands


def _retag_ok(c: Candidate, floor: int) -> bool:
    """Whether an ORG/NORP/PERSON entity may be read as this candidate."""
    if c.kind in RETAG_KINDS:
        return c.primary
    big_enough = c.kind == "place" and c.population >= floor
    return big_enough and (c.primary or c.population >= BIG_CITY)


def _mentions(doc: Doc, gazetteer: Gazetteer) -> tuple[list[Mention], list[str]]:
    """Toponym mentions in reading order, and the countries demonyms imply."""
    text = doc_text(doc)
    demonyms = gazetteer.demonyms()
    implied: list[str] = []
    spans: dict[tuple[int, int], str] = {s: "FEATURE" for s in _feature_spans(text, gazetteer)}
    districts = _district_spans(text, gazetteer)
    for (start, end), label in [
        *((k, "DISTRICT") for k in districts),
        *((k, "QUALIFIED") for k in _qualified_spans(doc, gazetteer)),
    ]:
        if not any(s < end and start < e for s, e in spans):
            spans[(start, end)] = label
    taken = sorted(spans)
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS | RETAG_LABELS:
            continue
        start, end = _trim(text, ent.start_char, ent.end_char)
        if start >= end:
            continue
        key = fold(text[start:end])
        if key in demonyms:
            implied.append(demonyms[key])
            continue
        if key in stoplist():
            continue
        suffix = _REGION_SUFFIX.match(text, end)
        if suffix and (ent.label_ in PLACE_LABELS or gazetteer.lookup(text[start : suffix.end()])):
            end = suffix.end()
        if any(s < end and start < e for s, e in taken):
            continue
        spans[(start, end)] = ent.label_
    mentions = []
    for (start, end), label in sorted(spans.items()):
        qualifiers = find_qualifiers(text, start, end, lambda t: qualifier_lookup(gazetteer, t))
        if label == "DISTRICT":
            city = districts[(start, end)]
            mentions.append(Mention(start, end, text[start:end], city, reason=PART_OF_NAME))
            continue
        settlement = _is_settlement(text, start, end, label)
        cands = _entity_candidates(label, text[start:end], gazetteer, qualifiers, settlement)
        fallback = region_fallback(text, end, qualifiers, cands or [])
        if fallback is not None:
            mentions.append(Mention(start, end, text[start:end], fallback, qualifiers, True))
        elif cands is not None:
            mentions.append(Mention(start, end, text[start:end], cands, qualifiers))
    return mentions, implied


def _is_settlement(text: str, start: int, end: int, label: str) -> bool:
    """Whether the words around the span say it names a settlement ("the village
    of X", "X territorial community"; "near X" for a name that is not an
    abbreviation, as an organisation's would be)."""
    if _SETTLEMENT_BEFORE.search(text, max(0, start - 40), start):
        return True
    if _SETTLEMENT_AFTER.match(text, end):
        return True
    near = _NEAR_BEFORE.search(text, max(0, start - 40), start) is not None
    return near and label in RETAG_LABELS and not _is_abbreviation(text[start:end])


def _district_spans(text: str, gazetteer: Gazetteer) -> dict[tuple[int, int], list[Candidate]]:
    """City districts written "City - District" ("Kyiv - Pecherskyi", "Kiev-Podilskyi",
    the raions of Ukrainian cities, adjectives in -skyi): the span and the big
    cities (100,000 people) it may be in. The gazetteer lists no city districts,
    so such a span is located to its city."""
    found = {}
    for match in _CITY_DISTRICT.finditer(text):
        cities = [
            c
            for c in lookup(gazetteer, match.group("city"))
            if c.kind == "place" and c.population >= BIG_CITY
        ]
        if cities:
            found[(match.start(), match.end())] = cities
    return found


def _qualified_spans(doc: Doc, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """Proper names followed by the admin region they lie in ("Vuhledar, Donetsk",
    "Kupiansk (Kharkiv region)") that spaCy did not tag as places; such a name is a
    toponym whatever its entity label."""
    text = doc_text(doc)
    found = []
    for match in _NAME_BEFORE_REGION.finditer(text):
        start, end = _trim(text, match.start(), match.end())
        span = doc.char_span(start, end)
        if span is None or not all(t.pos_ == "PROPN" for t in span):
            continue
        if span.label_ in PLACE_LABELS or fold(span.text) in stoplist():
            continue
        found_q = find_qualifiers(text, start, end, lambda t: qualifier_lookup(gazetteer, t))
        if named_region(text, end, found_q):
            found.append((start, end))
    return found


def _place(m: Mention, chosen: Candidate | None) -> Place:
    if chosen is None:
        return Place(start=m.start, end=m.end, text=m.text, reason=NOT_FOUND)
    no_point = chosen.lat is None or chosen.lon is None
    reason = NO_POINT if no_point else FALLBACK if m.fallback else m.reason
    return Place(
        start=m.start,
        end=m.end,
        text=m.text,
        geonameid=chosen.geonameid,
        name=chosen.name,
        admin1=chosen.admin1,
        country=chosen.country,
        lat=chosen.lat,
        lon=chosen.lon,
        precision=chosen.kind,
        reason=reason,
    )


def extract_places(doc: Doc, gazetteer: Gazetteer) -> list[Place]:
    """Every toponym in ``doc``, resolved in the context of the document.

    Returns one ``Place`` per mention in text order; ``doc.text[p.start:p.end]
    == p.text``. ``precision`` is the kind of the entry chosen: place, admin1,
    admin2, country or feature.
    """
    mentions, implied = _mentions(doc, gazetteer)
    chosen = resolve(mentions, implied)
    return [_place(m, c) for m, c in zip(mentions, chosen, strict=True)]


def resolve_spans(
    text: str,
    spans: Iterable[tuple[int, int]],
    gazetteer: Gazetteer,
    context: Sequence[Place] = (),
) -> list[Place]:
    """Resolve given toponym spans (e.g. gold ones in an evaluation) with the
    same disambiguation, using ``context`` places (e.g. from
    :func:`extract_places`) as extra evidence of countries and anchors.

    Every given span is taken to be a toponym, so one the gazetteer does not know
    is still located, with a ``reason`` saying how: to a known part of its name
    ("Colorado State University" -> Colorado), else to the town the document
    names most often (a street or building lies in the town of the story), else
    to the region or country it names most often."""
    mentions = []
    partial: set[int] = set()
    demonyms = gazetteer.demonyms()
    for i, (start, end) in enumerate(spans):
        cands = _span_candidates(text[start:end], gazetteer, demonyms)
        if not cands and (cands := _part_candidates(text[start:end], gazetteer)):
            partial.add(i)
        qualifiers = find_qualifiers(text, start, end, lambda t: qualifier_lookup(gazetteer, t))
        mentions.append(Mention(start, end, text[start:end], cands, qualifiers))
    extra = [
        Mention(p.start, p.end, p.text, [c])
        for p in context
        if p.geonameid is not None and (c := gazetteer.get(p.geonameid)) is not None
    ]
    chosen = resolve([*mentions, *extra])[: len(mentions)]
    every = [*chosen, *(m.candidates[0] for m in extra)]
    main, why = _main_town(every), IN_MAIN_TOWN
    if main is None:
        main, why = _main_region(every), IN_MAIN_REGION
    out = []
    for i, (m, c) in enumerate(zip(mentions, chosen, strict=True)):
        if c is None and main is not None:
            out.append(replace(_place(m, main), reason=why))
        else:
            out.append(replace(_place(m, c), reason=PART_OF_NAME) if i in partial else _place(m, c))
    return out


def _part_candidates(span: str, gazetteer: Gazetteer) -> list[Candidate]:
    """Candidates of the longest run of capitalised words of ``span`` that the
    gazetteer knows as an admin1 region, country or city of 100,000 people (its
    main name): "Arizona State University" -> Arizona; "Brands Hatch" gives none."""
    words = span.split()
    for size in range(len(words) - 1, 0, -1):
        for lo in range(len(words) - size + 1):
            part = " ".join(words[lo : lo + size])
            if not part[0].isupper() or len(part) < 3 or fold(part) in stoplist():
                continue
            found = [c for c in lookup(gazetteer, part) if _known_part(c, size)]
            if found:
                return drop_city_regions(found)
    return []


def _known_part(c: Candidate, words: int) -> bool:
    if c.kind == "place":
        return c.primary and c.population >= BIG_CITY
    return c.kind in ("country", "admin1") or (c.kind == "feature" and words > 1)


def _main_town(chosen: Sequence[Candidate | None]) -> Candidate | None:
    """The populated place chosen most often in a document (first on ties), among
    the towns of the country chosen most often and read by their main name or a
    big city's exonym ("Washington Square" as an alternate name of a town in New
    York is too weak a reading to hang a story's streets on)."""
    picked = [c for c in chosen if c is not None]
    countries = Counter(c.country for c in picked if c.country)
    towns = [
        c
        for c in picked
        if c.kind == "place" and (c.primary or c.population >= BIG_CITY) and c.country
    ]
    if not towns:
        return None
    top = max(countries.values())
    towns = [c for c in towns if countries[c.country or ""] == top] or towns
    counts = Counter(c.geonameid for c in towns)
    return max(towns, key=lambda c: counts[c.geonameid])


def _main_region(chosen: Sequence[Candidate | None]) -> Candidate | None:
    """When a document names no town: the admin region, else the country, with a
    point chosen most often (first on ties)."""
    for kinds in (("admin2", "admin1"), ("country",)):
        found = [c for c in chosen if c is not None and c.kind in kinds and c.lat is not None]
        if found:
            counts = Counter(c.geonameid for c in found)
            return max(found, key=lambda c: counts[c.geonameid])
    return None


def _span_candidates(span: str, gazetteer: Gazetteer, demonyms: dict[str, str]) -> list[Candidate]:
    """Candidates of a given span; a demonym stands for its region or country
    ("European" for Europe, "Canadian" for Canada, not the town of Canadian)."""
    key = fold(span)
    region = _demonym_regions().get(key)
    if region is not None:
        found = [c for c in gazetteer.lookup(region) if c.kind != "place"]
        if found:
            return found[:1]
    iso = demonyms.get(key)
    if iso and (country := gazetteer.country(iso)) is not None:
        return [country]
    return drop_city_regions(lookup(gazetteer, span))
