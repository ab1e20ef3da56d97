"""Time expressions: find them in a document and resolve them to date ranges.

``extract_times`` takes spaCy's DATE and TIME entities plus its own patterns
for what the tagger misses (weekdays, "two days ago", "Feb. 10-20", vague words),
works out the tense of the verb each one hangs from, and resolves each against
the publication date with the rules in :mod:`tocsin.nlp._timex_resolve`.

``timex_value`` gives the TimeML TIMEX3 value of one DATE expression.

How each form resolves (ranges are inclusive ISO dates):

* "on Tuesday": the latest Tuesday on or before publication; with "next" or a
  future-tense verb the next one on or after it; "last Tuesday" strictly before.
* "last week" / "this week" / "next week": Monday to Sunday, granularity week.
* "in January", "Feb. 10": the year that puts it closest to publication; a
  past-tense verb picks the latest one not after publication, a future-tense
  verb the earliest one not before it.
* "by the end of January": granularity ``range``, from the publication date
  (or from the 21st, if that month is already over) to 31 January. "since X"
  runs from the start of X to publication.
* "early/mid/late March": days 1-10, 11-20, 21-end (``range``); "early/mid/late
  2021": January-April, May-August, September-December.
* "the past 24 hours": the day before publication to publication (``range``).
* vague ("recently", "soon", "months or years ago"): dates None, reason
  "vague: no date can be given"; relative forms without a publication date:
  dates None, reason "no publication date". Absolute dates always resolve.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from tocsin.models import TimeRange
from tocsin.nlp._doc import doc_text
from tocsin.nlp._timex_patterns import candidate_spans
from tocsin.nlp._timex_resolve import resolve
from tocsin.nlp._timex_rules import NeedsReference, Resolution

__all__ = ["extract_times", "timex_value"]

VAGUE = "vague: no date can be given"
NO_REF = "no publication date"
DURATION = "duration: not anchored to a date"
UNSUPPORTED = "unresolved: form not supported"

_AGE = re.compile(r"\b(?:years?|months?)[- ]old\b|\baged?\b", re.I)
_DURATION = re.compile(
    r"^(?:about |nearly |almost |some |more than |over |at least |the |another |a further )?"
    r"(?:\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|many|"
    r"a couple of|dozens of|hundreds of)[ -](?:hours?|days?|weeks?|months?|years?|decades?)$",
    re.I,
)
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "going"})
_FUTURE_VERBS = frozenset({"plan", "expect", "schedule", "due", "set", "intend", "aim", "prepare"})
_ABBREV = re.compile(r"\b(?:[A-Z][a-z]{2,3}|[a-z]\.[a-z])\.$")
_BARE_UNITS = re.compile(r"^(?:for |in )?(?:days|weeks|months|years|decades)$", re.I)
_PREFIX = re.compile(r"\b(by|until|till|since|through)\s+$", re.I)


def timex_value(text: str, dct: date) -> str | None:
    """The TIMEX3 value of a DATE expression (its exact span) given the creation date.

    Returns e.g. "1998-01-08", "1998-01", "1998-W05", "1998-Q1", "PAST_REF", or
    None when the expression has no rule or is anaphoric ("that year").
    """
    try:
        res = _resolve_cached(text, dct, None)
    except NeedsReference:  # pragma: no cover - dct is always given here
        return None
    return res.value if res else None


@lru_cache(maxsize=4096)
def _resolve_cached(text: str, ref: date | None, tense: str | None) -> Resolution | None:
    return resolve(text, ref, tense)


def extract_times(doc: Doc, published: date | None) -> list[TimeRange]:
    """All time expressions of ``doc``, resolved against ``published``, in text order."""
    text = doc_text(doc)
    found: list[tuple[int, int, int, TimeRange]] = []
    for (start, end), keep in _candidates(doc).items():
        pre = _PREFIX.search(text, max(0, start - 8), start)
        starts = [pre.start(), start] if pre else [start]
        for s in starts:
            item = _make(doc, s, end, published, keep)
            if item is not None:
                rank = 1 if item.reason in (UNSUPPORTED, DURATION) else 0
                found.append((rank, -(end - s), s, item))
                break
    chosen: list[TimeRange] = []
    taken: list[tuple[int, int]] = []
    for _, _, _, item in sorted(found, key=lambda f: f[:3]):
        if all(item.end <= s or item.start >= e for s, e in taken):
            chosen.append(item)
            taken.append((item.start, item.end))
    return sorted(chosen, key=lambda t: t.start)


def _candidates(doc: Doc) -> dict[tuple[int, int], bool]:
    """NER DATE/TIME spans and pattern matches, trimmed of edge punctuation.

    The value says whether an unresolved span is still worth keeping: DATE
    entities are (with a reason), TIME entities alone are not.
    """
    spans: dict[tuple[int, int], bool] = {}
    for s, e in candidate_spans(doc_text(doc)):
        spans[_trim(doc_text(doc), s, e)] = True
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            key = _trim(doc_text(doc), ent.start_char, ent.end_char)
            spans[key] = spans.get(key, False) or ent.label_ == "DATE"
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing commas and full stops that do not end an abbreviation ("Jan.")."""
    while end > start and text[end - 1] in " ,;:'\"":
        end -= 1
    if end > start and text[end - 1] == "." and not _ABBREV.search(text, start, end):
        end -= 1
    return start, end


def _make(
    doc: Doc, start: int, end: int, published: date | None, is_date_entity: bool = True
) -> TimeRange | None:
    """Resolve one candidate span; None for ages and spans with no time word."""
    raw = doc_text(doc)[start:end]
    if _AGE.search(raw) or not re.search(r"[A-Za-z]|\d{4}", raw):
        return None
    tense = _tense(doc, start, end)
    try:
        res = _resolve_cached(raw, published, tense)
    except NeedsReference:
        return TimeRange(start, end, raw, reason=NO_REF)
    if res is None:
        if _BARE_UNITS.match(raw):
            return TimeRange(start, end, raw, reason=VAGUE)
        if _DURATION.match(raw.strip()):
            return TimeRange(start, end, raw, reason=DURATION)
        if not is_date_entity:
            return None  # an unresolved TIME entity ("twelve seconds") is noise
        return TimeRange(start, end, raw, reason=UNSUPPORTED)
    if res.start is None or res.end is None:
        reason = VAGUE if res.vague else res.reason or UNSUPPORTED
        return TimeRange(start, end, raw, reason=reason)
    return TimeRange(
        start, end, raw, res.start.isoformat(), res.end.isoformat(), res.granularity, None
    )


def _tense(doc: Doc, start: int, end: int) -> str | None:
    """ "past", "future" or None for the verb the expression at [start, end) hangs from."""
    span: Span | None = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    verb: Token = span.root
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    return _verb_tense(verb)


def _verb_tense(verb: Token) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & _FUTURE_AUX:
        return "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes):
        return "past"
    if verb.lemma_ in _FUTURE_VERBS:
        return "future"
    if "to" in words and verb.head is not verb and verb.head.lemma_ in _FUTURE_VERBS:
        return "future" if verb.head.tag_ != "VBD" else None
    return None
