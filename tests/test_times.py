"""Tests for tocsin.nlp.times: time expressions resolved against a publication date.

Expected dates are worked out by hand from a calendar: 2022-02-15 is a Tuesday,
2021-12-03 a Friday, 1998-01-08 a Thursday in ISO week 2.
"""

from __future__ import annotations

from datetime import date

import pytest

from tocsin.nlp.times import NO_REF, VAGUE, extract_times, timex_value

PUB = date(2022, 2, 15)


def _find(nlp, sentence: str, expression: str, published: date | None = PUB):
    doc = nlp(sentence)
    times = extract_times(doc, published)
    for t in times:
        assert doc.text[t.start : t.end] == t.text
    hits = [t for t in times if t.text == expression]
    assert hits, f"{expression!r} not found in {[t.text for t in times]}"
    return hits[0]


@pytest.mark.parametrize(
    ("sentence", "expression", "start", "end", "granularity"),
    [
        (
            "Tanks crossed the river on Tuesday, officers said.",
            "Tuesday",
            "2022-02-15",
            "2022-02-15",
            "day",
        ),
        ("Drones struck the depot on Friday.", "Friday", "2022-02-11", "2022-02-11", "day"),
        ("The envoy will fly to Vienna on Friday.", "Friday", "2022-02-18", "2022-02-18", "day"),
        ("The talks resume next Friday.", "next Friday", "2022-02-18", "2022-02-18", "day"),
        ("A depot burned last Tuesday.", "last Tuesday", "2022-02-08", "2022-02-08", "day"),
        (
            "Shelling resumed yesterday near the bridge.",
            "yesterday",
            "2022-02-14",
            "2022-02-14",
            "day",
        ),
        ("The ministry said today that units left.", "today", "2022-02-15", "2022-02-15", "day"),
        ("A second convoy arrives tomorrow.", "tomorrow", "2022-02-16", "2022-02-16", "day"),
        (
            "Satellite images taken last week show tents.",
            "last week",
            "2022-02-07",
            "2022-02-13",
            "week",
        ),
        ("More trains arrived this week.", "this week", "2022-02-14", "2022-02-20", "week"),
        ("Drills are planned for next week.", "next week", "2022-02-21", "2022-02-27", "week"),
        ("The brigade moved last month.", "last month", "2022-01-01", "2022-01-31", "month"),
        ("Spending rose sharply this year.", "this year", "2022-01-01", "2022-12-31", "year"),
        ("The pipeline was closed in January.", "January", "2022-01-01", "2022-01-31", "month"),
        ("The pontoon was built in March.", "March", "2021-03-01", "2021-03-31", "month"),
        ("The summit will open in March.", "March", "2022-03-01", "2022-03-31", "month"),
        ("Drills ran Feb. 10-20 near the lake.", "Feb. 10-20", "2022-02-10", "2022-02-20", "range"),
        (
            "Drills ran February 10 to 20 in the north.",
            "February 10 to 20",
            "2022-02-10",
            "2022-02-20",
            "range",
        ),
        (
            "Drills ran 10-20 February in the north.",
            "10-20 February",
            "2022-02-10",
            "2022-02-20",
            "range",
        ),
        (
            "Troops massed in mid-February near the city.",
            "mid-February",
            "2022-02-11",
            "2022-02-20",
            "range",
        ),
        ("Crews will return in early March.", "early March", "2022-03-01", "2022-03-10", "range"),
        ("The brigade was formed in late 2021.", "late 2021", "2021-09-01", "2021-12-31", "range"),
        ("The base was enlarged in 2014.", "2014", "2014-01-01", "2014-12-31", "year"),
        (
            "Ten strikes were recorded in the past 24 hours.",
            "the past 24 hours",
            "2022-02-14",
            "2022-02-15",
            "range",
        ),
        ("The column left two days ago.", "two days ago", "2022-02-13", "2022-02-13", "day"),
        ("The column left three weeks ago.", "three weeks ago", "2022-01-24", "2022-01-30", "week"),
        (
            "The order was signed on Jan. 5, 2022.",
            "Jan. 5, 2022",
            "2022-01-05",
            "2022-01-05",
            "day",
        ),
        (
            "The order was signed on 5 January 2022.",
            "5 January 2022",
            "2022-01-05",
            "2022-01-05",
            "day",
        ),
        (
            "The order is dated 2022-01-05 in the file.",
            "2022-01-05",
            "2022-01-05",
            "2022-01-05",
            "day",
        ),
        (
            "Rail traffic doubled over the weekend.",
            "the weekend",
            "2022-02-12",
            "2022-02-13",
            "range",
        ),
        (
            "Prices have doubled since January.",
            "since January",
            "2022-01-01",
            "2022-02-15",
            "range",
        ),
        (
            "Two bases were built earlier this year.",
            "earlier this year",
            "2022-01-01",
            "2022-02-15",
            "range",
        ),
        (
            "The rail link was cut the day before yesterday.",
            "the day before yesterday",
            "2022-02-13",
            "2022-02-13",
            "day",
        ),
        (
            "The pact was signed on Saturday, February 12.",
            "Saturday, February 12",
            "2022-02-12",
            "2022-02-12",
            "day",
        ),
    ],
)
def test_extract_times_resolves(nlp, sentence, expression, start, end, granularity):
    found = _find(nlp, sentence, expression)
    assert (found.date_start, found.date_end, found.granularity) == (start, end, granularity)
    assert found.reason is None


def test_by_the_end_of_month_runs_from_publication(nlp):
    found = _find(
        nlp,
        "Planners expect 90,000 soldiers by the end of January.",
        "by the end of January",
        published=date(2021, 12, 3),
    )
    assert (found.date_start, found.date_end, found.granularity) == (
        "2021-12-03",
        "2022-01-31",
        "range",
    )


@pytest.mark.parametrize(
    ("sentence", "expression"),
    [
        ("The launcher was moved months or years ago, a resident said.", "months or years ago"),
        ("The unit recently returned to its barracks.", "recently"),
        ("Officials say the ferry will sail soon.", "soon"),
    ],
)
def test_vague_expressions_keep_span_without_dates(nlp, sentence, expression):
    found = _find(nlp, sentence, expression)
    assert (found.date_start, found.date_end, found.reason) == (None, None, VAGUE)


def test_without_publication_date_only_absolute_dates_resolve(nlp):
    sentence = "Gunfire was heard on Tuesday and on Jan. 5, 2022 at the post."
    relative = _find(nlp, sentence, "Tuesday", published=None)
    absolute = _find(nlp, sentence, "Jan. 5, 2022", published=None)
    assert (relative.date_start, relative.reason) == (None, NO_REF)
    assert (absolute.date_start, absolute.date_end) == ("2022-01-05", "2022-01-05")


def test_ages_are_not_times_and_durations_say_so(nlp):
    doc = nlp("The 45-year-old pilot served for three weeks at the airfield.")
    times = extract_times(doc, PUB)
    assert all("year-old" not in t.text for t in times)
    durations = [t for t in times if t.text == "three weeks"]
    assert durations and durations[0].date_start is None and durations[0].reason


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yesterday", "1998-01-07"),
        ("Friday", "1998-01-02"),
        ("last week", "1998-W01"),
        ("this month", "1998-01"),
        ("last year", "1997"),
        ("the fourth quarter", "1998-Q4"),
        ("the latest quarter", "1997-Q4"),
        ("recently", "PAST_REF"),
        ("now", "PRESENT_REF"),
        ("the future", "FUTURE_REF"),
        ("mid-1996", "1996"),
        ("the 1990s", "199"),
        ("this summer", "1998-SU"),
        ("two years ago", "1996"),
        ("Dec. 24", "1997-12-24"),
        ("March 3, 1995", "1995-03-03"),
        ("nineteen eighty-nine", "1989"),
        ("that year", None),
    ],
)
def test_timex_value(text, value):
    assert timex_value(text, date(1998, 1, 8)) == value
