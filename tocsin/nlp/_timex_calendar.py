"""Calendar helpers and word tables shared by the time-expression rules.

Nothing here looks at text positions: these are pure functions on dates and on
single words (month names, weekday names, number words, spelled-out years).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from types import MappingProxyType


def _names(names: list[str], extra: dict[str, int]) -> MappingProxyType[str, int]:
    """Full and three-letter names (lower case) -> 1-based month or 0-based weekday."""
    table = {}
    for i, name in enumerate(names):
        if not name:
            continue
        table[name.lower()] = i
        table[name.lower()[:3]] = i
    return MappingProxyType(table | extra)


MONTHS = _names(["", *calendar.month_name[1:]], {"sept": 9})
WEEKDAYS = _names(list(calendar.day_name), {"tues": 1, "wednes": 2, "thur": 3, "thurs": 3})

#: Regex alternatives (lower case) for month and weekday names, longest first.
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
WEEKDAY_RE = "|".join(sorted((w for w in WEEKDAYS if len(w) > 3), key=len, reverse=True))

_UNITS = MappingProxyType(
    {
        "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
        "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
        "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
        "eighteen": 18, "nineteen": 19,
    }
)  # fmt: skip
_TENS = MappingProxyType(
    {
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
        "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    }
)  # fmt: skip
_ORDINALS = MappingProxyType(
    {
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
        "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
        "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
        "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    }
)  # fmt: skip
NUMBER_WORD_RE = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
ORDINAL_WORD_RE = "|".join(sorted(_ORDINALS, key=len, reverse=True))

SEASONS = MappingProxyType(
    {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
)


def number(text: str) -> int | None:
    """Parse a small cardinal: "3", "two", "twenty four", "twenty-four", "a"."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    words = re.split(r"[\s-]+", text)
    total = 0
    for word in words:
        if word in _UNITS:
            total += _UNITS[word]
        elif word in _TENS:
            total += _TENS[word]
        else:
            return None
    return total


def ordinal(text: str) -> int | None:
    """Parse a day ordinal: "8", "8th", "eighth", "twenty-first"."""
    text = text.strip().lower()
    digits = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", text)
    if digits:
        return int(digits.group(1))
    parts = re.split(r"[\s-]+", text)
    if len(parts) == 1:
        return _ORDINALS.get(parts[0])
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _ORDINALS:
        return _TENS[parts[0]] + _ORDINALS[parts[1]]
    return None


def spelled_year(text: str) -> int | None:
    """Parse a year said in words: "nineteen ninety-six", "two thousand", "2001"."""
    text = re.sub(r"\s+", " ", text.strip().lower().replace("-", " "))
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    m = re.fullmatch(r"two thousand(?: (?:and )?(.+))?", text)
    if m:
        rest = number(m.group(1)) if m.group(1) else 0
        return None if rest is None else 2000 + rest
    words = text.split(" ")
    if len(words) >= 2 and words[0] in _UNITS and 10 <= _UNITS[words[0]] <= 20:
        tail = " ".join(words[1:])
        low = 0 if tail == "hundred" else number(tail)
        if low is not None and low < 100:
            return _UNITS[words[0]] * 100 + low
    return None


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) shifted by ``delta`` months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def week_of(day: date) -> tuple[date, date]:
    """The Monday-Sunday week containing ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def iso_week(day: date) -> str:
    """TIMEX3 week value, e.g. "1998-W05"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def quarter_of(day: date) -> tuple[int, int]:
    """(year, quarter) of a date."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a quarter."""
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), month_end(year, first + 2)


def season_range(year: int, code: str) -> tuple[date, date]:
    """Meteorological season (northern hemisphere); winter runs Dec of ``year`` to Feb."""
    if code == "WI":
        return date(year, 12, 1), month_end(year + 1, 2)
    first = {"SP": 3, "SU": 6, "FA": 9}[code]
    return date(year, first, 1), month_end(year, first + 2)


def safe_date(year: int, month: int, day: int) -> date | None:
    """A date, or None when the day does not exist (Feb. 30)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None
