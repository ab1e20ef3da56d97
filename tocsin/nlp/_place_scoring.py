"""Choose one gazetteer candidate per toponym, in the context of its document.

Each candidate ``c`` of a mention gets a score; the highest wins (ties: the
gazetteer's order, best kind then population). All mentions with the same
folded text share one reading ("one sense per discourse").

1. Region named next to the place: ``+10`` when ``c`` lies in the admin region
   or country written beside it ("Izium, Kharkiv region", "X (Donetsk
   oblast)", "in the Kharkiv oblast village of X", "Paris, Texas"). The named
   region's own candidates that contain some candidate of the place get the
   same bonus, so "Atlanta, Georgia" also settles Georgia.
2. Countries of the document: ``+3 * n(c.country) / sum(n)``, where ``n``
   counts the mentions whose every candidate lies in one country
   (countries named outright, unambiguous towns and regions, features), the
   demonyms ("Ukrainian") and the mentions settled by step 1.
3. Proximity: ``+2`` within 150 km, ``+1`` within 400 km of an anchor: the
   point of another mention whose candidates all lie within 100 km of each
   other, or whose best candidate by step 4 leads all others by 1, or that
   step 1 settled; ``+2`` as well for a place or admin2 region
   inside an admin1 region that is such an anchor ("Orange County" in a story
   about California). A country gets ``+2`` when an anchor lies in it.
4. Prior by kind and size: a feature 4.5 (the project's table), a country 4.0,
   an admin1 region 2.5, an admin2 region 1.0 plus ``0.1 * log10(population)``,
   a populated place ``0.5 * log10(population)`` plus 1.0 from a million people
   plus ``log10(number of names)`` (GeoNames lists many names for places
   known worldwide, Geneva in Switzerland, and few for their namesakes); ``+0.5`` when
   the text is the place's main name, ``-0.5`` when only an alternate name of
   a place under 100,000 people (big cities' exonyms, Kiev or Odessa, are fine);
   ``-3`` for a place under 100,000 people when the same name is also a
   country, admin1 region or feature ("Russia" is not Russia, Ohio, unless
   step 1 says so), and for any place whose alternate name is a country's
   name ("Mexico" is the country, not Mexico City); ``-6`` for an admin2
   region when the name is also a country or feature ("Atlantic" is the ocean,
   not Atlantic County) or is not one the region is written with ("Suffolk
   County" for the City of Suffolk); ``-2`` for an entry without coordinates.

Before scoring, an admin region is dropped when a place in that same region has
the same name and at least 100,000 people or a tenth of the people of the
region's places (bare "Kharkiv", "Moscow" and "Kherson" are the cities,
"Kharkiv region" the oblast).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tocsin.nlp._fold import fold
from tocsin.nlp.gazetteer import Candidate

QUALIFIER_BONUS = 10.0
COUNTRY_BONUS = 3.0
NEAR_KM, NEAR_BONUS = 150.0, 2.0
FAR_KM, FAR_BONUS = 400.0, 1.0
ANCHOR_SPREAD_KM = 100.0
DOMINANCE = 1.0
BIG_CITY = 100_000
SEAT_SHARE = 0.1
SHADOW_PENALTY = 3.0
MINOR_ADMIN2_PENALTY = 6.0  # a county is seldom named without "County"
SHADOWING_KINDS = frozenset({"country", "admin1", "feature"})
KIND_PRIOR = {"feature": 4.5, "country": 4.0, "admin1": 2.5, "admin2": 1.0}
NO_POINT_PENALTY = 2.0
NAMES_WEIGHT = 1.0

REGION_WORD = r"(?i:oblast|region|province|raion|district|governorate|state|county)"
# A name goes on over spaces to the next capitalised word, but not past a full
# stop ending a word of three lower-case letters or more ("Kramatorsk, Donetsk.
# As a result" names Donetsk; "St. Louis" and "N.M." go on).
_NAME = r"(?<![\w'’\-])[A-Z][\w'’.\-]*(?:(?<![a-z]{3}\.)[ \t]+[A-Z][\w'’.\-]*)*"
_AFTER = re.compile(
    rf"\s*(?:,|\(|\s(?:in|of)\s)\s*(?:[Tt]he\s+)?(?:{_NAME}(?:'s|’s)\s+)?"
    rf"(?P<name>{_NAME})(?P<word>\s+{REGION_WORD}\b)?"
)
_BEFORE = re.compile(
    rf"(?P<name>{_NAME})\s+(?P<word>{REGION_WORD})(?:'s|’s)?\s+(?:[a-z\-]+\s+){{1,2}}of\s+$"
)

_LIST_GOES_ON = re.compile(r"\s*(?:,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+)(?:the\s+)?[A-Z]")

Qualifier = tuple[str, list[Candidate]]  # the text naming a region, its candidates


@dataclass
class Mention:
    """A toponym span and the gazetteer's candidates for it."""

    start: int
    end: int
    text: str
    candidates: list[Candidate]
    qualifiers: list[Qualifier] = field(default_factory=list)
    fallback: bool = False  # candidates are the region named beside an unknown place
    reason: str | None = None  # how an unknown name was located, when it was

    @property
    def key(self) -> str:
        return fold(self.text)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def drop_city_regions(cands: list[Candidate]) -> list[Candidate]:
    """Drop admin regions named like a big city inside them, or like a town holding
    at least ``SEAT_SHARE`` of the people of the region's places: the town the
    region is named after (Kherson, whose GeoNames population fell under 100,000)."""
    return [c for c in cands if not (c.kind.startswith("admin") and _seats(c, cands))]


def region_seats(cands: Sequence[Candidate]) -> set[int]:
    """Ids of the towns among ``cands`` that an admin1 region among them is named
    after (see :func:`drop_city_regions`): a name good enough for the region is
    good enough for its town."""
    return {t.geonameid for c in cands if c.kind == "admin1" for t in _seats(c, cands)}


def _seats(region: Candidate, cands: Sequence[Candidate]) -> list[Candidate]:
    floor = min(BIG_CITY, SEAT_SHARE * region.population)
    return [
        t
        for t in cands
        if t.kind == "place" and t.admin1_code == region.admin1_code and t.population >= floor
    ]


def find_qualifiers(
    text: str, start: int, end: int, lookup: Callable[[str], list[Candidate]]
) -> list[Qualifier]:
    """Admin regions or countries written right beside the span [start, end)."""
    found: list[Qualifier] = []
    after = _AFTER.match(text, end, min(len(text), end + 80))
    before = _BEFORE.search(text, max(0, start - 80), start)
    for match in (after, before):
        if match:
            hit = _region_candidates(match.group("name"), match.group("word"), lookup)
            if hit is not None and not (match is after and _in_list(text, match.end(), hit)):
                found.append(hit)
    return found


def _in_list(text: str, end: int, hit: Qualifier) -> bool:
    """Whether a name after a comma is the next item of a list ("Mexico, the US,
    and Canada"; "Kyiv, Kharkiv and Odesa") rather than where a place lies
    ("Paris, France"). A region written with its kind word ("Izium, Kharkiv
    region, and Kupiansk") is always where the place lies."""
    if re.search(rf"\b{REGION_WORD}$", hit[0]):
        return False
    return _LIST_GOES_ON.match(text, end) is not None


def _region_candidates(
    name: str, word: str | None, lookup: Callable[[str], list[Candidate]]
) -> Qualifier | None:
    """Admin/country candidates of a qualifier, dropping words until one is known."""
    words = name.split()
    for lo, hi in [(i, len(words)) for i in range(len(words))] + [
        (0, j) for j in range(len(words) - 1, 0, -1)
    ]:
        part = " ".join(words[lo:hi])
        for text in ([f"{part} {word.strip()}"] if word else []) + [part]:
            cands = [c for c in lookup(text) if c.kind in ("admin1", "admin2", "country")]
            if cands:
                return text, cands
    return None


def named_region(text: str, end: int, qualifiers: Sequence[Qualifier]) -> list[Candidate]:
    """Admin regions written right after the span ending at ``end`` and nothing more
    ("X, Donetsk." "X (Sumy region)", not "X, Texas Republican"): the most specific
    kind first (a raion or district named as such, else the oblast or state)."""
    follow = text[end : end + 80]
    for surface, regions in qualifiers:
        name = re.escape(surface.rstrip("."))
        tight = re.match(rf"\s*(?:,|\()\s*(?:[Tt]he\s+)?{name}(?![\w'’\-])", follow)
        if tight is None or re.match(r"\s+[A-Z]", follow[tight.end() :]):
            continue
        admin = [r for r in regions if r.kind in ("admin1", "admin2")]
        low = surface.lower()
        order = ("admin2", "admin1") if re.search(r"raion|district", low) else ("admin1", "admin2")
        admin.sort(key=lambda r: (order.index(r.kind), -r.population))
        if admin:
            return admin[:1]
    return []


def region_fallback(
    text: str, end: int, qualifiers: Sequence[Qualifier], cands: Sequence[Candidate]
) -> list[Candidate] | None:
    """The region named beside a place when none of the place's candidates lies in
    it (a village missing from the gazetteer, or a namesake elsewhere); None when
    no admin region is named or a candidate is in it."""
    regions = named_region(text, end, qualifiers)
    if not regions:
        return None
    region = regions[0]
    if any(c.geonameid == region.geonameid or contains(region, c) for c in cands):
        return None
    return regions


def contains(region: Candidate, c: Candidate) -> bool:
    """Whether ``c`` lies in the admin region or country ``region``."""
    if region.geonameid == c.geonameid:
        return False
    if region.kind == "country":
        return c.country == region.country
    return c.admin1_code is not None and c.admin1_code == region.admin1_code


def _anchor(cands: Sequence[Candidate]) -> Candidate | None:
    """The first candidate when all candidates with a point lie close together,
    else the candidate whose prior clearly leads all others ("California" the
    state, not the small towns of that name)."""
    pts = [c for c in cands if c.lat is not None and c.lon is not None and c.kind != "country"]
    if not pts:
        return None
    first = pts[0]
    assert first.lat is not None and first.lon is not None
    for c in pts[1:]:
        assert c.lat is not None and c.lon is not None
        if haversine_km(first.lat, first.lon, c.lat, c.lon) > ANCHOR_SPREAD_KM:
            return _dominant(cands)
    return first


def _dominant(cands: Sequence[Candidate]) -> Candidate | None:
    """The candidate (with a point, not a country) whose prior exceeds every
    other candidate's by ``DOMINANCE``, or None."""
    shadowed = {c.kind for c in cands} & SHADOWING_KINDS
    ranked = sorted(((prior(c) - _shadow(c, shadowed), c) for c in cands), key=lambda t: -t[0])
    best = ranked[0][1]
    if best.kind == "country" or best.lat is None or best.lon is None:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < DOMINANCE:
        return None
    return best


def prior(c: Candidate) -> float:
    """Step 4 of the module doc: kind, population and name match."""
    if c.kind == "place":
        score = 0.5 * math.log10(max(c.population, 1)) + (1.0 if c.population >= 1_000_000 else 0)
        score += NAMES_WEIGHT * math.log10(max(c.n_names, 1))
    else:
        score = KIND_PRIOR.get(c.kind, 0.0)
        if c.kind == "admin2":
            score += 0.1 * math.log10(max(c.population, 1))
    if c.lat is None or c.lon is None:
        score -= NO_POINT_PENALTY
    if c.primary:
        return score + 0.5
    return score - 0.5 if c.population < BIG_CITY else score


def resolve(
    mentions: Sequence[Mention], demonym_countries: Sequence[str] = ()
) -> list[Candidate | None]:
    """The chosen candidate of every mention (None when it has none)."""
    boosts: dict[str, set[int]] = {}
    countries: Counter[str] = Counter(demonym_countries)
    anchors: dict[str, list[Candidate]] = {}
    by_key: dict[str, Mention] = {}
    for m in mentions:
        by_key.setdefault(m.key, m)
        for surface, regions in m.qualifiers:
            pairs = [(c, q) for q in regions for c in m.candidates if contains(q, c)]
            boosts.setdefault(m.key, set()).update(c.geonameid for c, _ in pairs)
            boosts.setdefault(fold(surface), set()).update(q.geonameid for _, q in pairs)
    for key, m in by_key.items():
        pool = [c for c in m.candidates if c.geonameid in boosts.get(key, ())] or m.candidates
        if len({c.country for c in pool}) == 1 and pool[0].country:
            countries[pool[0].country] += sum(1 for x in mentions if x.key == key)
        anchor = _anchor(pool)
        if anchor is not None:
            anchors.setdefault(key, []).append(anchor)
    total = sum(countries.values())
    choice: dict[str, Candidate | None] = {}
    for key, m in by_key.items():
        others = [a for k, pts in anchors.items() if k != key for a in pts]
        shadowed = {c.kind for c in m.candidates} & SHADOWING_KINDS
        scored = [
            (_score(c, key, boosts, countries, total, others) - _shadow(c, shadowed), -i, c)
            for i, c in enumerate(m.candidates)
        ]
        choice[key] = max(scored, key=lambda t: (t[0], t[1]))[2] if scored else None
    return [choice[m.key] for m in mentions]


def _shadow(c: Candidate, shadowed: set[str]) -> float:
    """Penalty of a place whose name is also a country, admin1 region or feature,
    and of an admin2 region whose name is also a country or feature ("Atlantic"
    is the ocean, not Atlantic County) or that is read by a name it is not
    written with ("Suffolk County" for the City of Suffolk)."""
    if not shadowed:
        return 0.0
    if c.kind == "admin2":
        minor = not c.primary or bool(shadowed & {"country", "feature"})
        return MINOR_ADMIN2_PENALTY if minor else 0.0
    if c.kind != "place":
        return 0.0
    if c.population < BIG_CITY or ("country" in shadowed and not c.primary):
        return SHADOW_PENALTY
    return 0.0


def _score(
    c: Candidate,
    key: str,
    boosts: dict[str, set[int]],
    countries: Counter[str],
    total: int,
    anchors: list[Candidate],
) -> float:
    score = prior(c)
    if c.geonameid in boosts.get(key, ()):
        score += QUALIFIER_BONUS
    if total and c.country:
        score += COUNTRY_BONUS * countries.get(c.country, 0) / total
    if c.kind == "country":
        return score + (NEAR_BONUS if any(a.country == c.country for a in anchors) else 0.0)
    if any(a.kind == "admin1" and contains(a, c) for a in anchors):
        return score + NEAR_BONUS
    if c.lat is not None and c.lon is not None and anchors:
        lat, lon = c.lat, c.lon
        dist = min(
            (
                haversine_km(lat, lon, a.lat, a.lon)
                for a in anchors
                if a.lat is not None and a.lon is not None
            ),
            default=math.inf,
        )
        score += NEAR_BONUS if dist <= NEAR_KM else FAR_BONUS if dist <= FAR_KM else 0.0
    return score
