"""A synthetic news corpus of the project's own, for scale tests and benchmarks.

Articles are built from templates invented for tocsin: a theatre (a set of
real places from the gazetteer and the actors around them) is picked, then a
headline and a few sentences about troop moves, strikes, talks, sanctions,
threats, aid and protests, with varied actors, numbers, equipment and time
expressions ("on Tuesday", "last week", "on March 3") relative to the
publication date. A share of the articles are copies of an earlier one: exact
copies (same text, another outlet) and near copies (a line added), so the
deduplication path is exercised too.

Everything is deterministic: article ``i`` of seed ``s`` is the same whatever
the corpus size, so a 10k corpus is the first 10k articles of a 100k one.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

__all__ = ["THEATRES", "Theatre", "article", "generate", "write_corpus"]


@dataclass(frozen=True)
class Theatre:
    """Places (name, ISO3) and the actors (phrases by ISO3 or bloc) of one region."""

    places: tuple[tuple[str, str], ...]
    actors: dict[str, tuple[str, ...]]


THEATRES: tuple[Theatre, ...] = (
    Theatre(
        places=(
            ("Kharkiv", "UKR"),
            ("Belgorod", "RUS"),
            ("Kupiansk", "UKR"),
            ("Izium", "UKR"),
            ("Sumy", "UKR"),
            ("Kursk", "RUS"),
            ("Bakhmut", "UKR"),
            ("Donetsk", "UKR"),
            ("Voronezh", "RUS"),
            ("Kherson", "UKR"),
            ("Zaporizhzhia", "UKR"),
            ("Sevastopol", "UKR"),
            ("Novorossiysk", "RUS"),
            ("Odesa", "UKR"),
        ),
        actors={
            "RUS": ("Russian forces", "the Russian defence ministry", "Russian troops"),
            "UKR": ("Ukrainian troops", "the Ukrainian general staff", "Ukrainian forces"),
        },
    ),
    Theatre(
        places=(
            ("Minsk", "BLR"),
            ("Brest", "BLR"),
            ("Grodno", "BLR"),
            ("Suwalki", "POL"),
            ("Rzeszow", "POL"),
            ("Vilnius", "LTU"),
            ("Narva", "EST"),
            ("Kaliningrad", "RUS"),
            ("Pskov", "RUS"),
            ("Riga", "LVA"),
        ),
        actors={
            "BLR": ("Belarusian troops", "the Belarusian defence ministry"),
            "POL": ("Polish border guards", "the Polish army"),
            "NATO": ("NATO", "the alliance"),
            "RUS": ("Russian forces", "the Russian defence ministry"),
        },
    ),
    Theatre(
        places=(("Taipei", "TWN"), ("Kaohsiung", "TWN"), ("Xiamen", "CHN"), ("Fuzhou", "CHN")),
        actors={
            "CHN": ("Chinese warships", "the People's Liberation Army", "Beijing"),
            "TWN": ("Taiwan's defence ministry", "Taiwanese coast guard vessels"),
        },
    ),
    Theatre(
        places=(("Seoul", "KOR"), ("Pyongyang", "PRK"), ("Kaesong", "PRK")),
        actors={
            "PRK": ("North Korean artillery units", "Pyongyang"),
            "KOR": ("the South Korean military", "Seoul"),
        },
    ),
    Theatre(
        places=(
            ("Tbilisi", "GEO"),
            ("Yerevan", "ARM"),
            ("Baku", "AZE"),
            ("Chisinau", "MDA"),
            ("Tiraspol", "MDA"),
        ),
        actors={
            "ARM": ("Armenian forces", "the Armenian defence ministry"),
            "AZE": ("Azerbaijani troops", "the Azerbaijani defence ministry"),
            "GEO": ("the Georgian government",),
            "MDA": ("Moldovan police",),
        },
    ),
)

EQUIPMENT = (
    "Buk-M1 air defence systems", "Iskander missile launchers", "T-72 tanks",
    "Grad rocket launchers", "Su-34 bombers", "attack drones", "Patriot batteries",
    "HIMARS launchers", "landing ships", "field hospitals", "self-propelled howitzers",
)  # fmt: skip
OUTLETS = (
    "The Northern Ledger", "Harbour Daily", "Frontier Wire", "The Evening Signal",
    "Continental Post", "Meridian News", "The Lantern", "Riverside Courier",
)  # fmt: skip
SOURCES = (
    "a defence official", "satellite imagery", "local officials", "an open-source group",
    "two people familiar with the matter", "the regional governor",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip

EVENT_TEMPLATES = (
    "{actor} moved {troops} troops and {equip} to positions near {place} {when}.",
    "{actor} deployed {equip} about {km} kilometres from {place} {when}, {source} said.",
    "{actor} said some units were returning to their bases from {place} {when}.",
    "{actor} shelled the outskirts of {place} {when}, wounding {small} people.",
    "A drone strike hit a fuel depot in {place} {when}, according to {source}.",
    "Officials from {actor_b} and {actor} met in {place} {when} to discuss the crisis.",
    "{actor} warned that it would respond to any provocation near {place}.",
    "The European Union announced new sanctions against {actor_b} {when}.",
    "{actor} accused {actor_b} of escalating tensions around {place}.",
    "Thousands of people protested in {place} {when} against the deployment.",
    "{actor} demanded that {actor_b} withdraw its forces from the area around {place}.",
    "{actor} and {actor_b} agreed to a ceasefire around {place} {when}.",
    "The United States pledged {money} million dollars in military aid to {actor_b} {when}.",
    "Satellite images showed {vehicles} armoured vehicles parked outside {place} {when}.",
)  # fmt: skip
FILLERS = (
    "The claim could not be independently verified.",
    "Officials did not respond to a request for comment.",
    "The region has seen rising tension since {month}.",
    "Residents said they heard explosions through the night.",
    "Analysts said the build-up was the largest this year.",
)
UPDATES = ("This story has been updated.", "Additional reporting by our regional desk.")


def _when(rng: random.Random, published: date) -> str:
    choice = rng.randrange(6)
    if choice == 0:
        return ""
    if choice == 1:
        return "last week"
    if choice == 2:
        return "overnight"
    if choice == 3:
        day = published - timedelta(days=rng.randrange(1, 7))
        return f"on {WEEKDAYS[day.weekday()]}"
    day = published - timedelta(days=rng.randrange(0, 20))
    return f"on {MONTHS[day.month - 1]} {day.day}"


def _troops(rng: random.Random) -> str:
    n = rng.choice((1_500, 4_000, 10_000, 25_000, 40_000, 100_000, 175_000))
    return f"{rng.choice(('', 'about ', 'more than ', 'up to ', 'over '))}{n:,}"


def _sentence(rng: random.Random, theatre: Theatre, published: date, template: str) -> str:
    codes = list(theatre.actors)
    a, b = rng.sample(codes, 2) if len(codes) > 1 else (codes[0], codes[0])
    place = rng.choice(theatre.places)[0]
    text = template.format(
        actor=rng.choice(theatre.actors[a]),
        actor_b=rng.choice(theatre.actors[b]),
        place=place,
        when=_when(rng, published),
        troops=_troops(rng),
        equip=rng.choice(EQUIPMENT),
        km=rng.choice((6, 15, 30, 50, 120)),
        small=rng.randrange(2, 40),
        money=rng.choice((50, 200, 400, 1200)),
        vehicles=rng.choice((40, 120, 300, 800)),
        source=rng.choice(SOURCES),
        month=MONTHS[published.month - 1],
    )
    text = " ".join(text.split()).replace(" ,", ",").replace(" .", ".")
    return text[0].upper() + text[1:]


def _original(
    i: int, seed: int, start: date, days: int, sentences: tuple[int, int]
) -> dict[str, Any]:
    rng = random.Random(f"tocsin-synth:{seed}:{i}")
    theatre = rng.choice(THEATRES)
    published = start + timedelta(days=rng.randrange(days))
    n = rng.randint(*sentences)
    body = [_sentence(rng, theatre, published, rng.choice(EVENT_TEMPLATES)) for _ in range(n)]
    body.insert(
        rng.randrange(1, n + 1), rng.choice(FILLERS).format(month=MONTHS[published.month - 1])
    )
    outlet = rng.choice(OUTLETS)
    slug = outlet.lower().replace("the ", "").replace(" ", "-")
    return {
        "id": f"synth-{seed}-{i}",
        "title": body[0].rstrip("."),
        "text": "\n\n".join(body),
        "published": published.isoformat(),
        "outlet": outlet,
        "url": f"https://{slug}.example/{published:%Y/%m}/{i}",
    }


def article(
    i: int,
    seed: int = 0,
    *,
    start: date = date(2026, 1, 1),
    days: int = 365,
    near_dup: float = 0.05,
    exact_dup: float = 0.05,
    sentences: tuple[int, int] = (3, 7),
) -> dict[str, Any]:
    """Article ``i`` of the corpus of ``seed``: a dict with id, title, text, published,
    outlet and url (the fields ``tocsin ingest`` reads from JSON Lines).

    With probability ``exact_dup`` it is an exact copy of an earlier article
    (another outlet and URL), with ``near_dup`` a near copy (a line appended).
    """
    rng = random.Random(f"tocsin-synth-copy:{seed}:{i}")
    roll = rng.random()
    kw = {"start": start, "days": days, "sentences": sentences}
    if i > 0 and roll < exact_dup + near_dup:
        doc = _original(rng.randrange(i), seed, **kw)  # type: ignore[arg-type]
        doc["id"] = f"synth-{seed}-{i}"
        doc["outlet"] = rng.choice([o for o in OUTLETS if o != doc["outlet"]])
        doc["url"] = f"https://wire-{rng.randrange(100)}.example/copy/{i}"
        if roll >= exact_dup:
            doc["text"] += "\n\n" + rng.choice(UPDATES)
        return doc
    return _original(i, seed, **kw)  # type: ignore[arg-type]


def generate(n: int, seed: int = 0, **options: Any) -> Iterator[dict[str, Any]]:
    """The first ``n`` articles of the corpus of ``seed`` (options as :func:`article`)."""
    for i in range(n):
        yield article(i, seed, **options)


def write_corpus(
    out: str | Path, n: int, *, shards: int = 1, fmt: str = "jsonl", seed: int = 0, **options: Any
) -> list[Path]:
    """Write ``n`` articles to ``shards`` files ``part-00000.<fmt>`` ... in folder ``out``.

    ``fmt`` is ``jsonl`` or ``parquet`` (written by DuckDB). Articles are split
    into contiguous blocks, so shard ``k`` holds articles ``k*n/shards`` onwards.
    Returns the paths written, in order.
    """
    if fmt not in ("jsonl", "parquet"):
        raise ValueError(f"format {fmt!r}: use jsonl or parquet")
    if n < 0 or shards < 1:
        raise ValueError("give n >= 0 articles and shards >= 1")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for k in range(shards):
        lo, hi = k * n // shards, (k + 1) * n // shards
        jsonl = folder / f"part-{k:05d}.jsonl"
        with jsonl.open("w", encoding="utf-8") as fh:
            for i in range(lo, hi):
                fh.write(json.dumps(article(i, seed, **options), ensure_ascii=False) + "\n")
        if fmt == "parquet":
            target = folder / f"part-{k:05d}.parquet"
            _jsonl_to_parquet(jsonl, target)
            jsonl.unlink()
            jsonl = target
        paths.append(jsonl)
    return paths


def _jsonl_to_parquet(src: Path, dst: Path) -> None:
    columns = "{id: 'VARCHAR', title: 'VARCHAR', text: 'VARCHAR', published: 'VARCHAR', " \
        "outlet: 'VARCHAR', url: 'VARCHAR'}"  # fmt: skip
    con = duckdb.connect()
    try:
        con.execute(
            f"COPY (SELECT * FROM read_json(?, format='newline_delimited', columns={columns})) "
            "TO ? (FORMAT parquet)",
            [str(src), str(dst)],
        )
    finally:
        con.close()
