"""Number words, multipliers, approximation words and units for quantities.

Tables are data (frozen), and :func:`parse_value` turns the text of a number
("100,000", "1.5 million", "two dozen", "twenty-five", "$5bn", "80%") into a float.
"""

from __future__ import annotations

import re
from types import MappingProxyType

SMALL = MappingProxyType(
    {
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
        "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
        "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
        "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
        "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
    }
)  # fmt: skip
MULTIPLIERS = MappingProxyType(
    {
        "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
        "trillion": 1_000_000_000_000, "dozen": 12, "score": 20, "k": 1_000, "m": 1_000_000,
        "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000, "half": 0.5,
    }
)  # fmt: skip

#: "tens of thousands": value is the lower bound (10 x 1,000), approx "tens of".
VAGUE_PLURALS = MappingProxyType(
    {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000,
     "millions": 1_000_000, "billions": 1_000_000_000}
)  # fmt: skip

#: Approximation phrases (lower case, as token sequences) and their normal form.
APPROX = MappingProxyType(
    {
        "over": "over", "more than": "over", "above": "over", "in excess of": "over",
        "upwards of": "over", "greater than": "over", "just over": "over", "well over": "over",
        "about": "about", "around": "about", "approximately": "about", "roughly": "about",
        "some": "about", "circa": "about", "an estimated": "about", "estimated": "about",
        "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly",
        "up to": "up to", "as many as": "up to", "as much as": "up to", "no more than": "up to",
        "at least": "at least", "no fewer than": "at least", "no less than": "at least",
        "a minimum of": "at least", "fewer than": "under", "less than": "under",
        "under": "under", "below": "under",
    }
)  # fmt: skip

#: Unit words (lower case) and their normal form. Currency symbols are units too.
UNITS = MappingProxyType(
    {
        "%": "percent", "percent": "percent", "per cent": "percent", "pct": "percent",
        "$": "USD", "us$": "USD", "dollars": "USD", "dollar": "USD", "usd": "USD",
        "€": "EUR", "euros": "EUR", "euro": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
        "pounds": "GBP", "roubles": "RUB", "rubles": "RUB", "rouble": "RUB", "ruble": "RUB",
        "hryvnias": "UAH", "hryvnia": "UAH", "hryvnia's": "UAH", "yuan": "CNY",
        "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
        "miles": "mile", "mile": "mile", "metres": "metre", "meters": "metre", "metre": "metre",
        "meter": "metre", "m": "metre", "feet": "foot", "foot": "foot", "ft": "foot",
        "tonnes": "tonne", "tonne": "tonne", "tons": "tonne", "ton": "tonne", "kg": "kg",
        "kilograms": "kg", "kilogrammes": "kg", "hectares": "hectare", "hectare": "hectare",
        "barrels": "barrel", "barrel": "barrel", "acres": "acre", "acre": "acre",
        "square kilometres": "km2", "square kilometers": "km2", "sq km": "km2",
        "square miles": "mile2", "litres": "litre", "liters": "litre",
        "nautical miles": "nautical mile",
    }
)  # fmt: skip

#: Lemmas spaCy leaves as they are but analysts expect singular.
COUNT_LEMMAS = MappingProxyType({"people": "person", "personnel": "personnel", "men": "man"})

_DIGITS = re.compile(r"^[$€£]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(k|m|mn|bn|b)?%?$", re.I)


def parse_value(words: list[str]) -> float | None:
    """The value of a number written as tokens: ["1.5", "million"], ["two", "dozen"]."""
    total = 0.0
    current: float | None = None
    for raw in words:
        word = raw.lower().strip()
        if word in ("and", "-", "a", "an") and current is not None:
            continue
        m = _DIGITS.match(word)
        if m:
            number = float(m.group(1).replace(",", "") + (f".{m.group(2)}" if m.group(2) else ""))
            current = (current or 0) + number * (
                MULTIPLIERS[m.group(3).lower()] if m.group(3) else 1
            )
        elif word in ("$", "€", "£", "%", "us$", "per", "cent", "percent"):
            continue
        elif "-" in word and all(p in SMALL for p in word.split("-")):
            current = (current or 0) + sum(SMALL[p] for p in word.split("-"))
        elif word in SMALL:
            current = (current or 0) + SMALL[word]
        elif word in MULTIPLIERS:
            mult = MULTIPLIERS[word]
            if mult >= 1000:
                total += (current if current is not None else 1) * mult
                current = None
            else:
                current = (current if current is not None else 1) * mult
        else:
            return None
    if current is not None:
        total += current
    return total if (current is not None or total) else None
