"""The data model: frozen records that flow through the pipeline.

``RawDocument`` (read) -> ``Document`` (clean) -> mentions (``Actor``, ``Place``,
``TimeRange``, ``Quantity``, ``Equipment``) -> ``Event`` -> ``Claim`` (with its
``Evidence``) -> rows in the store.

Every extracted value carries ``start``/``end``: character offsets into
``Document.text`` (the cleaned text), so it can be traced to its sentence.
A value that could not be resolved keeps its span and says why in ``reason``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawDocument:
    """One input record as read, before cleaning.

    ``source`` names where it came from: a path, ``path:line`` for a record in a
    JSON Lines or CSV file, ``path#item`` for a feed entry, or a URL.
    """

    source: str
    content: str
    content_type: str = "text"  # "text" or "html"
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO 8601 date or datetime, as given


@dataclass(frozen=True)
class Skipped:
    """An input that could not be used, and why. Recorded in the store."""

    source: str
    reason: str


@dataclass(frozen=True)
class Document:
    """Cleaned main text with its metadata. ``id`` is the content hash."""

    id: str
    source: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or None


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Actor(Span):
    """An actor normalised to a code: ``RUS:MIL``, ``UKR:GOV``, ``NATO``.

    ``code`` is None when the text names an actor tocsin cannot code.
    """

    code: str | None = None
    country: str | None = None  # ISO 3166 alpha-3
    sector: str | None = None  # GOV, MIL, REB, MED, POL, ...
    name: str | None = None  # a named person or body, as normalised
    reason: str | None = None


@dataclass(frozen=True)
class Place(Span):
    """A toponym resolved to a gazetteer entry.

    ``precision`` is one of ``place`` (a populated place), ``admin2``,
    ``admin1``, ``country``, ``feature`` (sea, region, border from the project's
    alias table). Unresolved: ``geonameid`` and coordinates are None and
    ``reason`` says why.
    """

    geonameid: int | None = None
    name: str | None = None
    admin1: str | None = None
    country: str | None = None  # ISO 3166 alpha-3
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class TimeRange(Span):
    """A time expression resolved against the publication date.

    ``granularity`` is one of ``day``, ``week``, ``month``, ``quarter``,
    ``year``, ``range``; ``date_start``/``date_end`` are ISO dates, inclusive.
    """

    date_start: str | None = None
    date_end: str | None = None
    granularity: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Quantity(Span):
    """A number with its unit and what it counts: "over 100,000 troops"."""

    value: float | None = None
    unit: str | None = None  # "troops", "percent", "km", "mile", "people", ...
    counts: str | None = None  # the noun counted, lemmatised: "troop", "tank"
    approx: str | None = None  # "over", "about", "up to", "at least", or None


@dataclass(frozen=True)
class Equipment(Span):
    """A weapon or system named to a class: Buk-M1 -> air_defence."""

    cls: str = ""
    name: str | None = None


@dataclass(frozen=True)
class Event:
    """A PLOVER-coded event found in one sentence of a document."""

    id: str
    doc_id: str
    type: str  # PLOVER event type, e.g. MOBILIZE
    mode: str | None
    quad: str  # verbal_cooperation, material_cooperation, verbal_conflict, material_conflict
    cameo: str | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    trigger: Span
    sentence: Span
    actor: Actor | None = None
    target: Actor | None = None
    place: Place | None = None
    time: TimeRange | None = None
    quantities: tuple[Quantity, ...] = field(default_factory=tuple)
    equipment: tuple[Equipment, ...] = field(default_factory=tuple)
    negated: bool = False
    hedged: bool = False


@dataclass(frozen=True)
class Evidence(Span):
    """One piece of evidence named in the text, with its cue span.

    ``kind``: official_statement, video, satellite_imagery, anonymous_source,
    railway_schedules, social_media, media_report, ... ``by`` is who released it
    when the text says (an actor code or phrase); ``own`` is True when that is
    the speaker's own party (a party's own video is still only its evidence).
    """

    kind: str = ""
    by: str | None = None
    own: bool = False


@dataclass(frozen=True)
class Claim:
    """One event as a speaker asserts, denies or doubts it.

    ``speaker`` is the speaker's name as resolved ("a senior U.S. defence
    official" for a later "the official"), or ``author``; ``speaker_span`` is
    where this claim names it (None for the author). ``reported_via`` is the
    outlet that relays the words, when the text names one. ``quote`` is the
    reported content (the whole sentence for the author's own voice).
    """

    id: str
    doc_id: str
    event_id: str
    type: str
    speaker: str
    speaker_type: str
    quote: Span
    polarity: str  # asserted, denied, uncertain
    speaker_code: str | None = None
    speaker_span: Span | None = None
    reported_via: str | None = None
    via_span: Span | None = None
    verb: Span | None = None
    hedged: bool = False
    hedges: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Mentions:
    """All mentions found in one document."""

    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    times: tuple[TimeRange, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    equipment: tuple[Equipment, ...] = ()


@dataclass(frozen=True)
class DocResult:
    """What the per-document function returns: the rows for one document."""

    document: Document
    mentions: Mentions
    events: tuple[Event, ...]
    minhash: tuple[int, ...] = ()
    claims: tuple[Claim, ...] = ()
