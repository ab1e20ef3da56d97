"""Rules for expressions relative to the reference date: days, weekdays, weeks,
months, years and quarters counted from it, and "N units ago".

Same conventions as :mod:`tocsin.nlp._timex_rules` (its docstring lists them).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import MappingProxyType

from tocsin.nlp import _timex_calendar as cal
from tocsin.nlp._timex_rules import (
    Resolution,
    Tense,
    day_res,
    month_res,
    need,
    quarter_res,
    week_res,
    year_res,
)

_SHIFT = MappingProxyType(
    {
        "last": -1, "past": -1, "previous": -1, "the past": -1, "the last": -1,
        "the previous": -1, "this past": -1, "this": 0, "the": 0, "the current": 0,
        "current": 0, "the full": 0, "this fiscal": 0, "the fiscal": 0, "the current fiscal": 0,
        "the calendar": 0, "next": 1, "the next": 1, "the coming": 1, "coming": 1,
        "this coming": 1, "": 0,
    }
)  # fmt: skip
_QUARTERS = MappingProxyType(
    {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
)


def shift_of(word: str | None) -> int:
    """-1, 0 or +1 for "last", "this", "next" and their variants."""
    return _SHIFT.get(word or "", 0)


def relative_day(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution:
    """today, tonight, yesterday, tomorrow, last night, the day before yesterday."""
    word = m["word"]
    offsets = {"today": 0, "tonight": 0, "this": 0, "yesterday": -1, "last night": -1}
    offsets.update({"tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2})
    return day_res(need(ref) + timedelta(days=offsets[word]))


def weekday(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution:
    """A weekday, optionally with last/this/next (see the module conventions)."""
    ref = need(ref)
    target = cal.WEEKDAYS[m["wd"]]
    rel = m["rel"] or ""
    back = (ref.weekday() - target) % 7
    ahead = (target - ref.weekday()) % 7
    if rel in ("last", "this past", "past"):
        return day_res(ref - timedelta(days=back or 7))
    if rel in ("next", "this coming", "coming"):
        return day_res(ref + timedelta(days=ahead or 7))
    if rel == "this":
        monday, _ = cal.week_of(ref)
        return day_res(monday + timedelta(days=target))
    if tense == "future":
        return day_res(ref + timedelta(days=ahead))
    return day_res(ref - timedelta(days=back))


def relative_period(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution | None:
    """last/this/next week, month, year or quarter; "the past year" etc."""
    ref = need(ref)
    shift = shift_of(m["rel"])
    unit = m["unit"]
    if unit == "week":
        res = week_res(ref + timedelta(weeks=shift))
    elif unit == "month":
        res = month_res(*cal.add_months(ref.year, ref.month, shift))
    elif unit == "year":
        res = year_res(ref.year + shift)
    else:
        year, q = cal.quarter_of(ref)
        index = year * 4 + q - 1 + shift
        res = quarter_res(index // 4, index % 4 + 1)
    if m["rel"] in ("the past", "the last", "past"):
        # "the past week": the days up to ref, not the previous calendar week.
        days = {"week": 7, "month": 30, "year": 365, "quarter": 91}[unit]
        return Resolution(res.value, ref - timedelta(days=days), ref, "range")
    return res


def weekend(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution:
    """The Saturday-Sunday weekend selected by last/this/next and the tense."""
    ref = need(ref)
    saturday = ref + timedelta(days=5 - ref.weekday())  # Saturday of this ISO week
    rel = m["rel"] or ""
    if rel in ("last", "this past", "past"):
        if saturday + timedelta(days=1) >= ref:
            saturday -= timedelta(weeks=1)
    elif rel in ("next", "this coming", "coming"):
        if saturday <= ref:
            saturday += timedelta(weeks=1)
    elif ref.weekday() < 5 and tense != "future":
        saturday -= timedelta(weeks=1)
    year, week, _ = saturday.isocalendar()
    value = f"{year}-W{week:02d}-WE"
    return Resolution(value, saturday, saturday + timedelta(days=1), "range")


def quarter(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution | None:
    """ "the third quarter", "third-quarter", "next year's first quarter", "Q3 2021"."""
    q = _QUARTERS.get(m["q"]) or (int(m["q"]) if m["q"].isdigit() else 0)
    if not 1 <= q <= 4:
        return None
    given = m["year"] or (m["yearb"] if "yearb" in m.groupdict() else None)
    back = 1 if m["ago"] else 0
    year = int(given) if given else need(ref).year + shift_of(m["rel"]) - back
    return quarter_res(year, q)


def last_completed_quarter(ref: date, years_back: int = 0) -> Resolution:
    """The last completed quarter before ``ref``, moved back by whole years."""
    year, q = cal.quarter_of(ref)
    index = year * 4 + q - 2
    return quarter_res(index // 4 - years_back, index % 4 + 1)


def the_quarter(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution:
    """ "the quarter", "the latest quarter" (last completed); "the year-ago quarter"."""
    return last_completed_quarter(need(ref), 1 if m["ago"] or m["ago2"] else 0)


def this_quarter(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution:
    """ "this quarter", "the current quarter"."""
    return quarter_res(*cal.quarter_of(need(ref)))


def half(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution:
    """ "the first half of 2021" -> 2021-H1."""
    year = int(m["year"]) if m["year"] else need(ref).year + shift_of(m["rel"])
    n = 1 if m["h"] == "first" else 2
    start = date(year, 1 if n == 1 else 7, 1)
    end = date(year, 6, 30) if n == 1 else date(year, 12, 31)
    return Resolution(f"{year}-H{n}", start, end, "range")


def ago(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution | None:
    """ "two days ago", "three weeks ago", "a year earlier", "10 days from now"."""
    ref = need(ref)
    n = cal.number(m["num"])
    if n is None:
        return None
    n = -n if m["dir"] in ("ago", "earlier", "before") else n
    unit = m["unit"]
    if unit == "hour":
        return day_res(ref + timedelta(hours=24 * (n // 24)))
    if unit == "day":
        return day_res(ref + timedelta(days=n))
    if unit == "week":
        return week_res(ref + timedelta(weeks=n))
    if unit == "month":
        return month_res(*cal.add_months(ref.year, ref.month, n))
    if unit == "year":
        return year_res(ref.year + n)
    first = (ref.year + 10 * n) // 10 * 10
    return Resolution(str(first // 10), date(first, 1, 1), date(first + 9, 12, 31), "range")


def year_ago(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution:
    """ "year-earlier", "year-ago" on their own: the previous year."""
    return year_res(need(ref).year - 1)


def past_n(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution | None:
    """ "the past 24 hours", "the next three days": a range ending or starting at ref.

    No TIMEX3 value: TimeML calls these durations, not dates.
    """
    ref = need(ref)
    forward = m["rel"] in ("next", "coming", "following")
    if not m["num"] and m.group(0).endswith("s"):  # "past years", "the coming weeks"
        return Resolution("FUTURE_REF" if forward else "PAST_REF", vague=True)
    n = cal.number(m["num"]) if m["num"] else 1
    if n is None:
        return None
    days = {"hour": n / 24, "day": n, "week": 7 * n, "month": 30.44 * n, "year": 365.25 * n}
    span = timedelta(days=max(1, round(days.get(m["unit"], 3652.5 * n))))
    if forward:
        return Resolution(None, ref, ref + span, "range")
    return Resolution(None, ref - span, ref, "range")


def year_end(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution:
    """ "year-end", "year end": 31 December of the reference year."""
    return day_res(date(need(ref).year, 12, 31))
