"""Resolve one time expression: normalise it, peel composite forms, apply a rule.

Composite forms, tried in this order before the single-expression rules:

1. "by X", "until X": from the reference date (or X's start, if X is already
   past) to the end of X, granularity ``range``; "since X": X's start to the
   reference date. The TIMEX3 value is X's.
2. Ranges "X - Y", "X to Y", "from X to Y", "between X and Y", with the month
   and year shared ("Feb. 10-20", "10-20 February", "February 10 to 20").
   No TIMEX3 value (TimeML has no single value for a range).
3. Parts of a period: "early", "mid", "late", "the beginning/middle/end of",
   "earlier/later this ...": the first, middle or last third of the period
   (``range``); "earlier this year" runs from the start of the year to the
   reference date. The TIMEX3 value is the whole period's ("mid-1996" -> 1996).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

from tocsin.nlp import _timex_calendar as cal
from tocsin.nlp import _timex_relative as rel
from tocsin.nlp import _timex_rules as r
from tocsin.nlp._timex_rules import (
    NUM,
    PART,
    UNIT,
    WD,
    D,
    M,
    Resolution,
    Rule,
    RuleFunc,
    Tense,
    Y,
)

_REL = r"(?:(?P<rel>last|this|next|this past|this coming|coming|past) )?"
_PREV = r"the past|the last|the previous|the coming|the next|the current|the full"
_YEARS = r"(?P<year>\d{4}|(?:nineteen|twenty|two thousand)[ \w-]*)"

_RULES_SOURCE: tuple[tuple[str, RuleFunc], ...] = (
    (r"(?P<year>\d{4})-(?P<m>\d{1,2})-(?P<day>\d{1,2})", r._iso),
    (rf"{r.WDP}{M},? (?:the )?{D}(?:,? {Y})?", r._date),
    (rf"{r.WDP}(?:the )?{D} (?:of )?{M}(?:,? {Y})?", r._date),
    (rf"{M},? (?:of )?{_YEARS}", r._month_year),
    (rf"{M} (?P<rel>this|last|next) year", r._month_year),
    (rf"{_REL}{M}", r._month),
    (rf"(?:(?:the |in )?(?:fiscal|calendar|fy|the year|the) )?{_YEARS}(?: period)?", r._year),
    (r"(?:the )?(?:early |mid-?|late )?(?P<dec>\d{3})0'?s", r._decade),
    (
        r"(?:the )?(?P<cent>nineteen )?(?P<name>twenties|thirties|forties|fifties|sixties|"
        r"seventies|eighties|nineties)(?P<dec>)",
        r._decade,
    ),
    (r"(?P<rel>this|the last|the past|last|the previous) decade", r._this_decade),
    (r"(?:the )?(?P<n>\w+) century", r._century),
    (
        r"(?:(?P<rel>this|last|next|this past|this coming|the) )?(?P<season>spring|summer|fall|"
        rf"autumn|winter)(?: of {_YEARS})?",
        r._season,
    ),
    (rf"{_YEARS} (?P<season>spring|summer|fall|autumn|winter)(?P<rel>)", r._season),
    (
        r"(?:the |its |their )?(?:(?P<rel>this|last|next) year's |(?P<year>\d{4}) |"
        r"(?P<ago>year-(?:earlier|ago)|year (?:earlier|ago)) |fiscal |calendar |a flat |the )*"
        r"(?P<q>first|second|third|"
        r"fourth|1st|2nd|3rd|4th)[- ](?:fiscal )?quarter(?: of (?:fiscal )?(?P<yearb>\d{4}))?",
        rel.quarter,
    ),
    (r"q(?P<q>[1-4])(?: |-)?(?P<year>\d{4})?(?P<rel>)(?P<ago>)", rel.quarter),
    (
        r"(?:the )?(?:(?P<ago>year-(?:earlier|ago)|year (?:earlier|ago)|comparable year-ago|last "
        r"year's|corresponding|same) |latest |most recent |recent |reporting |just-ended |)"
        r"(?:fiscal )?(?:quarter|period|three months)"
        r"(?: (?P<ago2>a year (?:ago|earlier)|last year))?",
        rel.the_quarter,
    ),
    (r"(?:this|the current) (?:fiscal )?quarter", rel.this_quarter),
    (
        rf"(?:the )?(?P<h>first|second|last) half(?: of (?:(?P<rel>this|last|next) year|{Y}))?",
        rel.half,
    ),
    (r"(?P<word>today|tonight|yesterday|tomorrow|last night)" + PART, rel.relative_day),
    (r"(?P<word>this)(?: morning| afternoon| evening)", rel.relative_day),
    (r"(?P<word>the day (?:before yesterday|after tomorrow))", rel.relative_day),
    (rf"{_REL}{WD}{PART}", rel.weekday),
    (
        rf"(?P<rel>{_PREV}|last|this|next|this past|past|current|this fiscal|the fiscal|"
        rf"the current fiscal|the calendar|the) (?P<unit>week|month|year|quarter)",
        rel.relative_period,
    ),
    (r"(?:the )?(?:fiscal )?year(?:-| |'s )?end", rel.year_end),
    (r"(?:(?P<rel>the|this|last|next|this past|this coming|over the) )?weekend", rel.weekend),
    (
        rf"(?:(?:about|nearly|almost|some|more than|over|roughly|around|just|only|less than|"
        rf"barely|exactly|a little over|just over|at least) )?{NUM} {UNIT}(?: or so)? "
        rf"(?P<dir>ago|earlier|before|from now|hence)",
        rel.ago,
    ),
    (r"(?:the )?year-(?:earlier|ago)", rel.year_ago),
    (
        rf"(?:in |over |during |within )?(?:the )?(?P<rel>past|last|previous|next|coming|"
        rf"following)(?: {NUM})? {UNIT}",
        rel.past_n,
    ),
    (rf"(?:{r._PRESENT_REF})", r._ref_value("PRESENT_REF")),
    (rf"(?:{r._PAST_REF})", r._ref_value("PAST_REF")),
    (rf"(?:{r._FUTURE_REF})", r._ref_value("FUTURE_REF")),
    (rf"(?:{r._ANAPHORIC})", r._anaphoric),
)

_PARTS = (
    r"(?:the )?(?P<part>early|earlier|mid|middle|late|later|the beginning of|the start of|"
    r"the end of|the middle of|the close of|the turn of|beginning of|start of|end of|middle of|"
    r"the first half of|the second half of|a good part of|much of|part of|around|about|"
    r"sometime|some time|as early as|as late as|no later than|shortly before|shortly after|"
    r"just before|just after)[- ](?:in |of )?(?P<rest>.+)"
)
_OPERATORS = r"(?P<op>by|until|till|through|since|not until|before|after|from) (?P<rest>.+)"
_SEP = re.compile(r" ?- ?| to | through | until | till | and ")
_DAY_ONLY = re.compile(rf"{D}")


@lru_cache(maxsize=1)
def _rules() -> list[Rule]:
    return [(re.compile(source), func) for source, func in _RULES_SOURCE]


def normalise(text: str) -> str:
    """Lower case, one space, unified dashes, no edge punctuation or possessive."""
    text = text.lower().replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'")
    text = re.sub(r"\s+", " ", text).strip(" ,;:!?\"'()")
    text = re.sub(r"'s$", "", text)
    text = re.sub(
        r"^(?:on|in|at|during|of|over|for the|from now until|as of|beginning|starting)"
        r" (?=\S)",
        "",
        text,
    )
    return text.rstrip(".") if not re.search(rf"\b(?:{cal.MONTH_RE})\.$", text) else text


def atom(text: str, ref: date | None, tense: Tense) -> Resolution | None:
    """Apply the first single-expression rule that matches all of ``text``."""
    for pattern, func in _rules():
        m = pattern.fullmatch(text)
        if m:
            res = func(m, ref, tense)
            if res is not None:
                return res
    return None


def resolve(text: str, ref: date | None, tense: Tense = None) -> Resolution | None:
    """Resolve an expression (any case, as written) against ``ref``.

    Returns None when no rule applies; raises :class:`NeedsReference` when the
    expression is relative and ``ref`` is None.
    """
    return _resolve(normalise(text), ref, tense, depth=0)


def _resolve(text: str, ref: date | None, tense: Tense, depth: int) -> Resolution | None:
    if depth > 3 or not text:
        return None
    res = atom(text, ref, tense)
    if res is not None:
        return res
    open_end = re.fullmatch(
        r"(?P<rest>.+?),? (?:or so|or later|or earlier|and beyond|at the latest)", text
    )
    if open_end:
        return _resolve(open_end["rest"], ref, tense, depth + 1)
    op = re.fullmatch(_OPERATORS, text)
    if op:
        found = _operator(op["op"], op["rest"], ref, tense, depth)
        if found is not None:
            return found
    found = _range(text, ref, tense, depth)
    if found is not None:
        return found
    part = re.fullmatch(_PARTS, text)
    if part:
        return _part(part["part"], part["rest"], ref, tense, depth)
    return None


def _operator(op: str, rest: str, ref: date | None, tense: Tense, depth: int) -> Resolution | None:
    inner = _resolve(rest, ref, "past" if op == "since" else tense, depth + 1)
    if inner is None or inner.start is None or inner.end is None:
        return inner
    if op in ("by", "until", "till", "through", "not until"):
        start = ref if ref is not None and ref <= inner.end else inner.start
        return Resolution(inner.value, min(start, inner.start), inner.end, "range")
    if op == "since":
        end = ref if ref is not None and ref >= inner.start else inner.end
        return Resolution(inner.value, inner.start, end, "range")
    return inner


def _range(text: str, ref: date | None, tense: Tense, depth: int) -> Resolution | None:
    body = re.sub(r"^(?:from|between) ", "", text)
    for sep in _SEP.finditer(body):
        left, right = body[: sep.start()], body[sep.end() :]
        if not left or not right:
            continue
        pair = _range_pair(left, right, ref, tense, depth)
        if pair is not None:
            return pair
    return None


def _day_parts(text: str) -> tuple[int | None, int, int | None] | None:
    """(month, day, year) of "feb. 10", "10 february 2022", "20"; None otherwise."""
    for pattern in (rf"{M},? (?:the )?{D}(?:,? {Y})?", rf"(?:the )?{D} (?:of )?{M}(?:,? {Y})?"):
        m = re.fullmatch(pattern, text)
        if m:
            day = cal.ordinal(m["day"])
            year = int(m["year"]) if m["year"] else None
            return (cal.MONTHS[m["month"]], day, year) if day else None
    m = re.fullmatch(D, text)
    day = cal.ordinal(m["day"]) if m else None
    return (None, day, None) if day else None


def _range_pair(
    left: str, right: str, ref: date | None, tense: Tense, depth: int
) -> Resolution | None:
    """Both ends of a range; day ranges share month and year ("Feb. 10-20", "10-20 Feb")."""
    lp, rp = _day_parts(left), _day_parts(right)
    if lp and rp and (lp[0] or rp[0]):
        lmonth, rmonth = lp[0] or rp[0], rp[0] or lp[0]
        assert lmonth is not None and rmonth is not None
        year = rp[2] or lp[2]
        years = [year] if year else [y for y in range(need_year(ref) - 1, need_year(ref) + 2)]
        cands = []
        for y in years:
            first = cal.safe_date(y - (1 if rmonth < lmonth and year else 0), lmonth, lp[1])
            last = cal.safe_date(y + (1 if rmonth < lmonth and not year else 0), rmonth, rp[1])
            if first and last and first <= last:
                cands.append((first, last))
        if not cands:
            return None
        first, last = cands[r.pick(cands, ref, tense) if ref and len(cands) > 1 else 0]
        return Resolution(None, first, last, "range")
    first_res = _resolve(left, ref, tense, depth + 1)
    last_res = _resolve(right, ref, tense, depth + 1)
    if first_res is None or last_res is None:
        return None
    if first_res.start is None or last_res.end is None or first_res.start > last_res.end:
        return None
    return Resolution(None, first_res.start, last_res.end, "range")


def need_year(ref: date | None) -> int:
    """The reference year, or :class:`NeedsReference`."""
    return r.need(ref).year


def _part(part: str, rest: str, ref: date | None, tense: Tense, depth: int) -> Resolution | None:
    inner = _resolve(rest, ref, tense, depth + 1)
    if inner is None or inner.start is None or inner.end is None:
        return inner
    if part in ("earlier", "later") and ref is not None and inner.start <= ref <= inner.end:
        if part == "earlier":
            return replace(inner, end=ref, granularity="range")
        return replace(inner, start=ref, granularity="range")
    if part in _KEEP or inner.granularity == "day":
        return inner
    start, end = _third(inner.start, inner.end, inner.granularity, _PART_THIRD.get(part, 1))
    return Resolution(inner.value, start, end, "range")


_KEEP = frozenset(
    {"around", "about", "sometime", "some time", "no later than", "shortly before", "just before"}
    | {"shortly after", "just after", "a good part of", "much of", "part of"}
)
#: Which part of the period a word selects: 0 first third, 2 last third, 3/4 halves.
_PART_THIRD = MappingProxyType(
    dict.fromkeys(["early", "earlier", "the beginning of", "the start of", "beginning of"], 0)
    | dict.fromkeys(["start of", "as early as", "the turn of"], 0)
    | dict.fromkeys(["late", "later", "the end of", "end of", "the close of", "as late as"], 2)
    | {"the first half of": 3, "the second half of": 4}
)


def _third(start: date, end: date, granularity: str | None, which: int) -> tuple[date, date]:
    """The first (0), middle (1) or last (2) third of a period, or its halves (3, 4).

    Months split at the 10th and 20th, years at April and August; other
    periods into three equal parts.
    """
    if which >= 3:
        middle = start + timedelta(days=(end - start).days // 2)
        return (start, middle) if which == 3 else (middle + timedelta(days=1), end)
    if granularity == "month":
        bounds = [(1, 10), (11, 20), (21, end.day)][which]
        return start.replace(day=bounds[0]), start.replace(day=bounds[1])
    if granularity == "year":
        months = [(1, 4), (5, 8), (9, 12)][which]
        return date(start.year, months[0], 1), cal.month_end(start.year, months[1])
    step = max(1, ((end - start).days + 1) // 3)
    if which == 0:
        return start, start + timedelta(days=step - 1)
    if which == 2:
        return end - timedelta(days=step - 1), end
    return start + timedelta(days=step), end - timedelta(days=step)
