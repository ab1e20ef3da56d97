"""Rules that resolve one time expression against a reference date.

Each rule is a regular expression matched against the whole normalised
expression (lower case, single spaces, dashes unified) and a function that turns
the match into a :class:`Resolution`: a date range, a granularity and the
TIMEX3 value. The composite forms ("by ...", "since ...", ranges, "early ...")
are handled in :mod:`tocsin.nlp._timex_resolve`, which calls :func:`atom`.

Conventions (documented here once):

* a month or day without a year: with ``tense="past"`` the latest one not
  after the reference date, with ``tense="future"`` the earliest one not before
  it; with no tense the one containing the reference date, else the next one if
  it starts within ``FUTURE_WINDOW_DAYS``, else the latest past one;
* a bare weekday is the latest such day on or before the reference date unless
  the tense is future (then the next one on or after it); "last"/"next" force
  strictly before/after;
* weeks run Monday to Sunday (ISO); "the quarter" and "the latest quarter" are
  the last completed quarter (how news reports results); "this quarter" is the
  current one;
* vague expressions ("recently", "soon", "now") get no dates and a TIMEX3
  reference value (PAST_REF, FUTURE_REF, PRESENT_REF);
* anaphoric ones ("that year", "the next day") get neither.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from tocsin.nlp import _timex_calendar as cal

Tense = str | None  # "past", "future" or None (unknown / present)


class NeedsReference(Exception):
    """Raised by a rule that needs a reference date when none was given."""


@dataclass(frozen=True)
class Resolution:
    """What one expression means: a date range, a granularity and a TIMEX3 value.

    ``vague`` marks references such as "recently" (no dates, a REF value);
    ``reason`` says why nothing could be given when every other field is None.
    """

    value: str | None
    start: date | None = None
    end: date | None = None
    granularity: str | None = None
    vague: bool = False
    reason: str | None = None


def day_res(day: date) -> Resolution:
    return Resolution(day.isoformat(), day, day, "day")


def month_res(year: int, month: int) -> Resolution:
    return Resolution(
        f"{year:04d}-{month:02d}", date(year, month, 1), cal.month_end(year, month), "month"
    )


def year_res(year: int) -> Resolution:
    return Resolution(f"{year:04d}", date(year, 1, 1), date(year, 12, 31), "year")


def week_res(day: date) -> Resolution:
    monday, sunday = cal.week_of(day)
    return Resolution(cal.iso_week(day), monday, sunday, "week")


def quarter_res(year: int, quarter: int) -> Resolution:
    first, last = cal.quarter_range(year, quarter)
    return Resolution(f"{year:04d}-Q{quarter}", first, last, "quarter")


def need(ref: date | None) -> date:
    """The reference date, or :class:`NeedsReference` when there is none."""
    if ref is None:
        raise NeedsReference
    return ref


#: Without a tense, a month or day up to this many days ahead is read as
#: future; further ahead, the past one is taken (news mostly reports the past).
FUTURE_WINDOW_DAYS = 120


def pick(cands: list[tuple[date, date]], ref: date, tense: Tense) -> int:
    """Index of the candidate period that the reference date and tense select."""
    if tense == "past":
        past = [i for i, (s, _) in enumerate(cands) if s <= ref]
        return past[-1] if past else 0
    if tense == "future":
        future = [i for i, (_, e) in enumerate(cands) if e >= ref]
        return future[0] if future else len(cands) - 1

    for i, (s, e) in enumerate(cands):
        if s <= ref <= e:
            return i
    ahead = [i for i, (s, _) in enumerate(cands) if s > ref]
    if ahead and (cands[ahead[0]][0] - ref).days <= FUTURE_WINDOW_DAYS:
        return ahead[0]
    past = [i for i, (_, e) in enumerate(cands) if e < ref]
    return past[-1] if past else (ahead[0] if ahead else 0)


M = rf"(?P<month>{cal.MONTH_RE})\.?"
D = rf"(?P<day>\d{{1,2}}(?:st|nd|rd|th)?|{cal.ORDINAL_WORD_RE}|(?:twenty|thirty)[ -]\w+)"
Y = r"(?P<year>\d{4})"
WD = rf"(?P<wd>{cal.WEEKDAY_RE})"
WDP = rf"(?:(?:(?P<wdrel>this coming|this|next|last|coming|on) )?{WD},? )?"
_NW = cal.NUMBER_WORD_RE
NUM = rf"(?P<num>\d+|an?|one|{_NW}|(?:{_NW})[ -](?:{_NW}))"
UNIT = r"(?P<unit>hour|day|week|month|year|decade)s?"
PART = r"(?: (?:morning|afternoon|evening|night))?"

_U = r"(?:hours|days|weeks|months|quarters|years|decades)"
_PAST_REF = (
    r"recent(?:ly)?|lately|previously|formerly|earlier|before|once|in the past|the past|past|"
    rf"(?:in )?(?:the )?(?:recent|past|last few|past few|past several|last several) {_U}"
    rf"(?: (?:and|or) {_U})?|(?:several|a few|some|many|few) {_U} (?:ago|earlier)|"
    rf"{_U}(?: (?:and|or) {_U})? ago|more recently|until recently|not long ago|"
    r"some time ago|a while ago|long ago|the time"
)
_FUTURE_REF = (
    r"soon|shortly|(?:the )?(?:near |distant )?future|eventually|someday|one day|later|"
    rf"(?:in )?(?:the )?(?:coming|next few|upcoming|next several) {_U}(?: (?:and|or) {_U})?|"
    r"(?:the |in the )?(?:near|short|long|medium) term|a later date|"
    r"as soon as possible|before long|from time to time|future \w+"
)
_PRESENT_REF = (
    r"now|right now|just now|currently|current|at present|presently|these days|nowadays|"
    r"at the moment|this moment|this \w+ moment|at this time|already|yet|so far|to date|"
    r"for now|for the time being|still"
)
_ANAPHORIC = (
    r"that (?:day|week|month|year|time|quarter)|then|the same (?:day|week|month|year|time)|"
    r"the (?:next|following|previous|preceding) (?:day|week|month|year|morning|night)|"
    r"the day(?: before| after)?|the year before|a (?:day|week|month|year) later|"
    r"(?:\w+ )?(?:days|weeks|months|years) later|the second day|the \w+ day"
)

RuleFunc = Callable[[re.Match[str], date | None, Tense], Resolution | None]
Rule = tuple[re.Pattern[str], RuleFunc]


def _ref_value(value: str) -> Callable[[re.Match[str], date | None, Tense], Resolution]:
    return lambda m, ref, tense: Resolution(value, vague=True)


def _anaphoric(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution:
    return Resolution(None, reason="anaphoric: depends on another time in the text")


def _iso(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution | None:
    day = cal.safe_date(int(m["year"]), int(m["m"]), int(m["day"]))
    return day_res(day) if day else None


def month_day(
    month: int, day: int, year: int | None, ref: date | None, tense: Tense, wd: int | None = None
) -> Resolution | None:
    """A month and day, with the year given or chosen by :func:`pick`.

    A weekday given with it ("Saturday, April 25") picks among the years where
    it falls on that weekday, when there is one.
    """
    if year is not None:
        found = cal.safe_date(year, month, day)
        return day_res(found) if found else None
    ref = need(ref)
    years = [y for y in (ref.year - 1, ref.year, ref.year + 1) if cal.safe_date(y, month, day)]
    days = [date(y, month, day) for y in years]
    if wd is not None and any(d.weekday() == wd for d in days):
        days = [d for d in days if d.weekday() == wd]
    return day_res(days[pick([(d, d) for d in days], ref, tense)]) if days else None


def _date(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution | None:
    day = cal.ordinal(m["day"])
    if day is None or not 1 <= day <= 31:
        return None
    year = int(m["year"]) if m["year"] else None
    wd = cal.WEEKDAYS[m["wd"]] if m.groupdict().get("wd") else None
    if m.groupdict().get("wdrel") in ("this coming", "next", "coming"):
        tense = "future"
    return month_day(cal.MONTHS[m["month"]], day, year, ref, tense, wd)


def _month_year(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution | None:
    month = cal.MONTHS[m["month"]]
    if m.groupdict().get("rel"):
        shift = {"this": 0, "last": -1, "next": 1}[m["rel"]]
        return month_res(need(ref).year + shift, month)
    year = cal.spelled_year(m["year"])
    return month_res(year, month) if year else None


def _month(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution | None:
    ref = need(ref)
    month = cal.MONTHS[m["month"]]
    rel = m["rel"]
    if rel == "this":
        return month_res(ref.year, month)
    if rel in ("last", "this past"):
        return month_res(ref.year if month < ref.month else ref.year - 1, month)
    if rel in ("next", "this coming", "coming"):
        return month_res(ref.year if month > ref.month else ref.year + 1, month)
    cands = [(date(y, month, 1), cal.month_end(y, month)) for y in (ref.year - 1, ref.year)]
    cands.append((date(ref.year + 1, month, 1), cal.month_end(ref.year + 1, month)))
    year = ref.year - 1 + pick(cands, ref, tense)
    return month_res(year, month)


def _year(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution | None:
    year = cal.spelled_year(m["year"])
    return year_res(year) if year and 1000 <= year <= 2999 else None


def _decade(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution:
    if m["dec"]:
        first = int(m["dec"]) * 10
    else:
        names = ["twenties", "thirties", "forties", "fifties", "sixties"]
        names += ["seventies", "eighties", "nineties"]
        tens = 10 * (names.index(m["name"]) + 2)
        century = 1900 if m["cent"] else need(ref).year // 100 * 100
        first = century + tens
        if not m["cent"] and first > need(ref).year:
            first -= 100
    return Resolution(str(first // 10), date(first, 1, 1), date(first + 9, 12, 31), "range")


def _this_decade(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution:
    back = m["rel"] != "this"
    first = need(ref).year // 10 * 10 - (10 if back else 0)
    return Resolution(str(first // 10), date(first, 1, 1), date(first + 9, 12, 31), "range")


def _century(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution | None:
    n = cal.ordinal(m["n"])
    if not n:
        return None
    first = (n - 1) * 100
    return Resolution(f"{n - 1:02d}", date(max(first, 1), 1, 1), date(first + 99, 12, 31), "range")


def _season(m: re.Match[str], ref: date | None, tense: Tense) -> Resolution | None:
    code = cal.SEASONS[m["season"]]
    if m["year"]:
        year = cal.spelled_year(m["year"])
        if year is None:
            return None
    else:
        ref = need(ref)
        rel = m["rel"] or ""
        cands = [cal.season_range(y, code) for y in (ref.year - 2, ref.year - 1, ref.year)]
        if rel == "this":
            return season_res(ref.year - (code == "WI" and ref.month <= 2), code)
        if rel in ("last", "this past", "past"):
            idx = max(i for i, (_, e) in enumerate(cands) if e < ref)
        elif rel in ("next", "this coming", "coming"):
            cands.append(cal.season_range(ref.year + 1, code))
            idx = min(i for i, (s, _) in enumerate(cands) if s > ref)
        else:
            cands.append(cal.season_range(ref.year + 1, code))
            idx = pick(cands, ref, tense)
        year = cands[idx][0].year
    return season_res(year, code)


def season_res(year: int, code: str) -> Resolution:
    start, end = cal.season_range(year, code)
    return Resolution(f"{year:04d}-{code}", start, end, "range")
