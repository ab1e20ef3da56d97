"""``tocsin eval acled``: score the pipeline against an ACLED export (CSV).

Each row's ``notes`` is the text (less a leading tag such as "Interception:"),
published on the row's ``timestamp`` (when ACLED published the row, never the gold
``event_date``), and run through the ingest path (:func:`tocsin.run.process_batch`).
The row's main event is the first event of the notes that ACLED codes
(``acled_event_type`` set, not negated): its actors, place and date are the row's.
Its types come from ``typing_event``: a row is one incident, coded by its heaviest
violence (a capture, else ground fighting, outranks shelling or an interception in
the same note), and a use of force with no mode takes the mode a later use of force
of the note gives. A row with no such event, or with no resolved place, is a miss on
those measures, never skipped.

Measures: event type and sub-event type (accuracy, macro-F1); actor1 and actor2 as
country + force (:func:`tocsin.nlp.actor_lexicon.acled_actor_key_from_name` for the
gold names, :func:`~tocsin.nlp.actor_lexicon.acled_actor_key` for tocsin's codes;
civilians, protesters and unidentified armed men without a country take the event's
country, as ACLED names them; an empty or unidentified gold actor is right when
tocsin gives none; a missing actor2 is looked for in the rest of the note); location within
25 km and 161 km of the gold point; admin1 (GeoNames admin1 code of the gold name
and of the predicted place); event date exact; fatalities exact over all rows and
over rows whose gold count is above 0.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tocsin.evaluate._common import (
    EvalResult,
    Miss,
    Unreadable,
    gazetteer_of,
    require_fields,
    run_raw,
)
from tocsin.evaluate.metrics import accuracy, haversine_km, macro_f1, ratio, within
from tocsin.models import Actor, DocResult, Event, Place, RawDocument
from tocsin.nlp.actor_lexicon import acled_actor_key, acled_actor_key_from_name
from tocsin.nlp.quantities import fatalities

if TYPE_CHECKING:
    from tocsin.nlp.gazetteer import Gazetteer
    from tocsin.run import Settings

DESCRIPTION = "ACLED export CSV: notes -> event type, actors, place, date, fatalities"
COLUMNS = (
    "notes",
    "timestamp",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "fatalities",
)


@dataclass(frozen=True)
class Gold:
    """The hand-coded values of one ACLED row."""

    source: str
    text: str
    published: str
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    actor1_name: str
    actor2_name: str
    admin1: str
    location: str
    lat: float
    lon: float
    event_date: str
    fatalities: int


def _day(value: str) -> str:
    """``dd/mm/yyyy[ hh:mm:ss]`` (ACLED exports) or ISO -> ISO date."""
    head = value.strip().split(" ")[0]
    if "/" in head:
        d, m, y = head.split("/")
        return date(int(y), int(m), int(d)).isoformat()
    return date.fromisoformat(head[:10]).isoformat()


# ACLED starts some notes with a tag naming the kind of event ("Interception: On 10
# March ...", "Defusal: ..."): a label of the row, not a sentence of the report.
_NOTE_TAG = re.compile(
    r"^[A-Z][A-Za-z/ -]{2,40}:\s+(?=(?:On|Around|Between|During|Overnight|Since|From)\b)"
)


def _gold(source: str, row: dict[str, str]) -> Gold:
    """Parse one row; raises ValueError (with the field) when a value is unusable."""
    text = _NOTE_TAG.sub("", (row.get("notes") or "").strip())
    if not text:
        raise ValueError("empty notes")
    try:
        stamp = datetime.fromtimestamp(int(float(row["timestamp"])), tz=UTC).date()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"timestamp {row.get('timestamp')!r} is not unix seconds") from exc
    try:
        lat, lon = float(row["latitude"]), float(row["longitude"])
        event_day = _day(row["event_date"])
        dead = int(float(row.get("fatalities") or 0))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bad latitude, longitude, event_date or fatalities: {exc}") from exc
    return Gold(
        source=source,
        text=text,
        published=stamp.isoformat(),
        event_type=row["event_type"].strip(),
        sub_event_type=row["sub_event_type"].strip(),
        actor1=acled_actor_key_from_name(row["actor1"]) if row["actor1"].strip() else None,
        actor2=acled_actor_key_from_name(row["actor2"]) if row["actor2"].strip() else None,
        actor1_name=row["actor1"].strip(),
        actor2_name=row["actor2"].strip(),
        admin1=row["admin1"].strip(),
        location=row["location"].strip(),
        lat=lat,
        lon=lon,
        event_date=event_day,
        fatalities=dead,
    )


def read_rows(path: Path) -> tuple[list[Gold], list[Unreadable]]:
    """The usable rows of an ACLED CSV and the rows that could not be used."""
    golds: list[Gold] = []
    bad: list[Unreadable] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        require_fields(str(path), COLUMNS, reader.fieldnames or [], "ACLED export CSV")
        for line, row in enumerate(reader, start=2):
            source = f"{path}:{line}"
            try:
                golds.append(_gold(source, row))
            except (ValueError, KeyError, AttributeError) as exc:
                bad.append(Unreadable(source, str(exc)))
    return golds, bad


GROUND_ORDER = ("capture", "clash")  # ground fighting, the capture of ground first
FIGHTING = frozenset({"Battles", "Explosions/Remote violence", "Strategic developments"})
ABDUCTION, ATTACK = "Abduction/forced disappearance", "Attack"
VAC = "Violence against civilians"
HELD = frozenset({":PRO", ":MED"})  # victims ACLED counts as civilians
PEACEFUL = "Peaceful protest"
INTERVENTIONS = frozenset({"arrest", "disperse"})  # COERCE modes that break up a protest
# what a use of force with no mode can turn out to be (not an interception: that is
# the other side's act)
VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
# sectors ACLED names by the event's country when the text gives none (journalists
# are civilians to ACLED; "police" with no country are the country's police)
LOCAL_SECTORS = {"CVL": "CVL", "PRO": "PRO", "REB": "REB", "MED": "CVL", "COP": "COP"}
# words for the people a use of force harms ("2 civilians sustained injuries")
HARMED = frozenset(
    {"civilian", "civilians", "resident", "residents", "people", "man", "men", "woman"}
    | {"women", "child", "children", "boy", "girl", "teenager", "pensioner", "person"}
)


def _coded(events: Sequence[Event]) -> list[Event]:
    return [e for e in events if e.acled_event_type and not e.negated]


# "following the withdrawal", "after clashes with X": an event named as the
# background of the note's own event, right before its trigger
_BACKGROUND = re.compile(
    r"\b(?:following|after|amid|amidst|despite)\s+(?:(?:the|a|an|several|heavy|\w+'s)\s+)?"
    r"(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)


def _background(event: Event, text: str) -> bool:
    return bool(_BACKGROUND.search(text[event.sentence.start : event.trigger.start]))


def main_event(events: Sequence[Event], text: str = "") -> Event | None:
    """The event a row is about: the first asserted one ACLED codes that is not
    the background of another ("following the withdrawal, sappers defused ..."),
    else the first, else None. Its actors, place and date are the row's (its
    types: ``typing_event``)."""
    coded = _coded(events)
    own = [e for e in coded if not _background(e, text)] if text else coded
    return next(iter(own or coded), None)


def typing_event(events: Sequence[Event], main: Event | None) -> Event | None:
    """The event whose ACLED types the row gets.

    An ACLED row is one incident, coded by the heaviest violence the note reports:
    an abduction whose victim is also attacked is an attack; a peaceful protest the
    note has the police detain or disperse is a protest with intervention; when the
    main event is fighting (a battle, remote violence, an interception), a capture
    of territory, else ground fighting, if the note has one ("shelled, assaulted,
    and were repulsed" is a battle); else the main event, unless that is
    a use of force with no mode ("attacked", "destroyed", "was injured") and a later
    violent use of force in the note (not an interception) says how ("... The victim
    was stabbed", "(coded as shelling)").
    """
    if main is None:
        return None
    coded = _coded(events)
    if main.acled_sub_event_type == ABDUCTION:  # "kidnapped, tortured and killed": an attack
        return next((e for e in coded if e.acled_sub_event_type == ATTACK), main)
    if main.acled_sub_event_type == PEACEFUL and any(
        e.type == "COERCE" and e.mode in INTERVENTIONS for e in coded
    ):  # "... Police detained three protesters": a protest with intervention
        return replace(main, acled_sub_event_type="Protest with intervention")
    if main.acled_event_type not in FIGHTING:
        return main  # violence against civilians, protests...: not outranked by fighting
    for mode in GROUND_ORDER:
        found = next((e for e in coded if e.type == "ASSAULT" and e.mode == mode), None)
        if found is not None:
            return found
    if main.type != "ASSAULT" or main.mode is not None:
        return main
    after = [
        e for e in coded if e.trigger.start > main.trigger.start and e.acled_event_type in VIOLENT
    ]
    return next((e for e in after if e.type == "ASSAULT" and e.mode is not None), main)


def _actor_key(actor: Actor | None, country: str | None) -> str | None:
    """The ACLED key of an actor mention. Civilians (journalists among them),
    protesters and unidentified armed men the text gives no country are named by the
    country of the event, as ACLED does ("Civilians (Ukraine)", "Unidentified Armed
    Group (Ukraine)")."""
    if actor is None:
        return None
    key = acled_actor_key(actor.code)
    sector = LOCAL_SECTORS.get(actor.sector or "")
    if key is None and actor.code is None and sector and country:
        return f"{country}:{sector}"
    return key


def _victim_key(
    result: DocResult, main: Event, actor1: str | None, country: str | None
) -> str | None:
    """Actor2 when the main event names no target: the first target of another use
    of force in the note that is not actor1 ("Russian forces shelled X. A civilian
    was killed." -> civilians), or the other side of a fight in the note ("attacked
    near X, but were repelled by the Ukrainian military"); else civilians the note
    a use of force names ("2 civilians sustained injuries"), unless as "no civilians"."""
    for event in _coded(result.events):
        if event is main or event.type != "ASSAULT":
            continue
        sides = [event.target]
        if event.mode in GROUND_ORDER:
            sides.append(event.actor)
        for side in sides:
            key = _actor_key(side, country)
            if key is not None and key != actor1:
                return key
    if main.type != "ASSAULT":
        return None
    text = result.document.text
    for actor in result.mentions.actors:
        key = _actor_key(actor, country)
        head = actor.text.lower().split()[-1]
        before = text[max(0, actor.start - 3) : actor.start].lower()
        if key is not None and key != actor1 and head in HARMED and before != "no ":
            return key
    return None


def event_place(result: DocResult, event: Event | None) -> Place | None:
    """The event's place when it has a point below country level, else the first
    place of the text resolved below country level (ACLED always codes a place
    inside the country), else the event's country (None when there is none)."""
    own = event.place if event is not None else None
    if own is not None and own.lat is not None and own.precision != "country":
        return own
    finer = next(
        (
            p
            for p in result.mentions.places
            if p.lat is not None and p.precision not in (None, "country")
        ),
        None,
    )
    return finer or (own if own is not None and own.lat is not None else None)


@lru_cache(maxsize=256)
def _admin1_code_of_name(gazetteer: Gazetteer, name: str) -> str | None:
    """GeoNames admin1 code of an ACLED admin1 name ("Zaporizhia" -> "UA.26")."""
    if not name:
        return None
    for query, kinds in (
        (f"{name} oblast", ("admin1",)),
        (name, ("admin1",)),
        (name, ("place", "admin2")),
    ):
        found = [c for c in gazetteer.lookup(query) if c.kind in kinds and c.admin1_code]
        if found:
            return max(found, key=lambda c: c.population).admin1_code
    return None


def _admin1_code(gazetteer: Gazetteer, place: Place | None) -> str | None:
    if place is None or place.geonameid is None:
        return None
    entry = gazetteer.get(place.geonameid)
    return entry.admin1_code if entry is not None else None


def _actors(
    result: DocResult, event: Event | None, typed: Event | None, place: Place | None
) -> tuple[str | None, str | None]:
    """ACLED actor1 and actor2 keys of the row's main event (see ``_actor_key``):
    with no actor, the actor of the typing event; the demonstrators of a protest
    whose actor is not coded are the protesters of the event's country; a missing
    actor2 is looked for in the rest of the note."""
    if event is None:
        return None, None
    country = place.country if place is not None else None
    actor1 = _actor_key(event.actor, country)
    if actor1 is None and typed is not None and typed is not event:
        actor1 = _actor_key(typed.actor, country)
    if event.type == "PROTEST" and country and (actor1 is None or actor1.endswith(":CVL")):
        actor1 = f"{country}:PRO"  # "about 20 people protested": the protesters
    actor2 = _actor_key(event.target, country)
    if actor2 is None:
        actor2 = _victim_key(result, event, actor1, country)
    if typed is not None and typed.acled_event_type == VAC and actor2 and actor2[-4:] in HELD:
        actor2 = actor2[:-4] + ":CVL"  # an activist or reporter abducted: a civilian to ACLED
    return actor1, actor2


def _predict(result: DocResult, gazetteer: Gazetteer) -> dict[str, Any]:
    """The values tocsin gives for one row."""
    event = main_event(result.events, result.document.text)
    typed = typing_event(result.events, event)
    place = event_place(result, event)
    time = event.time if event is not None else None
    actor1, actor2 = _actors(result, event, typed, place)
    return {
        "event_type": typed.acled_event_type if typed else None,
        "sub_event_type": typed.acled_sub_event_type if typed else None,
        "actor1": actor1,
        "actor2": actor2,
        "trigger": event.trigger.text if event else None,
        "place": place.text if place else None,
        "place_name": place.name if place else None,
        "precision": place.precision if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "admin1_code": _admin1_code(gazetteer, place),
        "event_date": time.date_start if time is not None else None,
        "fatalities": fatalities(result.document.text, result.mentions.quantities),
    }


def evaluate(paths: Sequence[Path], settings: Settings) -> EvalResult:
    """Score the pipeline on every row of the ACLED CSV files in ``paths``."""
    golds: list[Gold] = []
    unreadable: list[Unreadable] = []
    for path in paths:
        rows, bad = read_rows(path)
        golds.extend(rows)
        unreadable.extend(bad)
    raws = [RawDocument(source=g.source, content=g.text, published=g.published) for g in golds]
    results = run_raw(raws, settings)
    gazetteer = gazetteer_of(settings)
    preds: list[dict[str, Any]] = []
    kept: list[Gold] = []
    for gold, result in zip(golds, results, strict=True):
        if not isinstance(result, DocResult):
            unreadable.append(Unreadable(gold.source, f"not processed: {result.reason}"))
            continue
        kept.append(gold)
        preds.append(_predict(result, gazetteer))
    return _score(kept, preds, gazetteer, unreadable)


def _score(
    golds: list[Gold], preds: list[dict[str, Any]], gazetteer: Gazetteer, bad: list[Unreadable]
) -> EvalResult:
    n = len(golds)
    dist = [
        haversine_km(g.lat, g.lon, p["lat"], p["lon"]) if p["lat"] is not None else None
        for g, p in zip(golds, preds, strict=True)
    ]
    gold_admin = [_admin1_code_of_name(gazetteer, g.admin1) for g in golds]
    checks = {
        "event_type": [g.event_type == p["event_type"] for g, p in zip(golds, preds, strict=True)],
        "sub_event_type": [
            g.sub_event_type == p["sub_event_type"] for g, p in zip(golds, preds, strict=True)
        ],
        "actor1": [g.actor1 == p["actor1"] for g, p in zip(golds, preds, strict=True)],
        "actor2": [g.actor2 == p["actor2"] for g, p in zip(golds, preds, strict=True)],
        "location_161km": [d is not None and d <= 161 for d in dist],
        "location_25km": [d is not None and d <= 25 for d in dist],
        "admin1": [
            a is not None and a == p["admin1_code"] for a, p in zip(gold_admin, preds, strict=True)
        ],
        "event_date": [g.event_date == p["event_date"] for g, p in zip(golds, preds, strict=True)],
        "fatalities": [g.fatalities == p["fatalities"] for g, p in zip(golds, preds, strict=True)],
    }
    nonzero = [ok for g, ok in zip(golds, checks["fatalities"], strict=True) if g.fatalities > 0]
    et_gold = [g.event_type for g in golds]
    st_gold = [g.sub_event_type for g in golds]
    figures: dict[str, Any] = {
        "n": n,
        "event_type": {
            "accuracy": accuracy(et_gold, [p["event_type"] for p in preds]),
            "macro_f1": macro_f1(et_gold, [p["event_type"] for p in preds]),
        },
        "sub_event_type": {
            "accuracy": accuracy(st_gold, [p["sub_event_type"] for p in preds]),
            "macro_f1": macro_f1(st_gold, [p["sub_event_type"] for p in preds]),
        },
        "actor1": {"accuracy": ratio(sum(checks["actor1"]), n)},
        "actor2": {"accuracy": ratio(sum(checks["actor2"]), n)},
        "location": {
            "within_25km": within(dist, 25),
            "within_161km": within(dist, 161),
            "admin1": ratio(sum(checks["admin1"]), n),
        },
        "event_date": {"exact": ratio(sum(checks["event_date"]), n)},
        "fatalities": {
            "exact": ratio(sum(checks["fatalities"]), n),
            "exact_nonzero": ratio(sum(nonzero), len(nonzero)),
        },
        "unreadable": len(bad),
    }
    table = (
        ("event type accuracy", figures["event_type"]["accuracy"], n),
        ("event type macro-F1", figures["event_type"]["macro_f1"], n),
        ("sub-event type accuracy", figures["sub_event_type"]["accuracy"], n),
        ("sub-event type macro-F1", figures["sub_event_type"]["macro_f1"], n),
        ("actor1 (country + force)", figures["actor1"]["accuracy"], n),
        ("actor2 (country + force)", figures["actor2"]["accuracy"], n),
        ("location within 25 km", figures["location"]["within_25km"], n),
        ("location within 161 km", figures["location"]["within_161km"], n),
        ("admin1", figures["location"]["admin1"], n),
        ("event date exact", figures["event_date"]["exact"], n),
        ("fatalities exact", figures["fatalities"]["exact"], n),
        ("fatalities exact (gold > 0)", figures["fatalities"]["exact_nonzero"], len(nonzero)),
    )
    misses = _misses(golds, preds, dist, checks)
    return EvalResult("acled", figures, table, tuple(misses), tuple(bad))


def _misses(
    golds: list[Gold],
    preds: list[dict[str, Any]],
    dist: list[float | None],
    checks: dict[str, list[bool]],
) -> list[Miss]:
    out = []
    for i, (gold, pred) in enumerate(zip(golds, preds, strict=True)):
        failed = tuple(name for name, oks in checks.items() if not oks[i])
        if not failed:
            continue
        gold_view = {
            "event_type": gold.event_type,
            "sub_event_type": gold.sub_event_type,
            "actor1": f"{gold.actor1} ({gold.actor1_name})",
            "actor2": f"{gold.actor2} ({gold.actor2_name})",
            "location": f"{gold.location}, {gold.admin1} ({gold.lat}, {gold.lon})",
            "event_date": gold.event_date,
            "fatalities": gold.fatalities,
        }
        pred_view = dict(pred)
        km = dist[i]
        pred_view["distance_km"] = round(km, 1) if km is not None else None
        out.append(Miss(gold.source, gold.text, gold_view, pred_view, failed, len(failed)))
    return out
