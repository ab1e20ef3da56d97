"""Publication dates as given by records, feeds and pages -> ISO dates (YYYY-MM-DD).

Accepted: ISO 8601 dates and datetimes (the date as written, not shifted to
UTC), RFC 822 feed dates, "Feb 15, 2022", "15 February 2022", "2022/02/15",
"20220215", and unix timestamps in seconds (9-11 digits) or milliseconds
(12-14 digits), read as UTC. A value missing its day, month or year, or a
numeric date whose day and month could be swapped ("02/03/2022"), gives None:
better no date than a wrong one.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from dateutil import parser as dateparser

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIMESTAMP = re.compile(r"^\d{9,14}(?:\.\d+)?$")
_NUMERIC_DM = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_DEFAULTS = (datetime(1901, 1, 1), datetime(1902, 2, 2))  # two different fill-ins


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def normalize_published(value: str | None) -> str | None:
    """Return the ISO date (YYYY-MM-DD) of a publication date string, or None."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if match := _ISO_DATE.match(text) or _COMPACT.match(text):
        return _iso(*(int(g) for g in match.groups()))
    if _TIMESTAMP.match(text):
        seconds = float(text)
        if seconds >= 1e11:
            seconds /= 1000
        return datetime.fromtimestamp(seconds, tz=UTC).date().isoformat()
    numeric = _NUMERIC_DM.match(text)
    if numeric and int(numeric[1]) <= 12 and int(numeric[2]) <= 12 and numeric[1] != numeric[2]:
        return None  # day and month could be either way round
    parsed = []
    for default in _DEFAULTS:
        try:
            parsed.append(dateparser.parse(text, default=default, dayfirst=bool(numeric)))
        except (ValueError, OverflowError, TypeError):
            return None
    first, second = parsed
    if first.date() != second.date():
        return None  # some part of the date was missing and got filled in
    return first.date().isoformat()
