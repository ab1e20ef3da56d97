"""Patterns that find time expressions spaCy's NER tends to miss.

Month and weekday names must be capitalised (so "may" the verb and "march" the
walk are not dates); the other words match in any case. Each match is a
candidate span; :mod:`tocsin.nlp.times` resolves it and keeps the best ones.
"""

from __future__ import annotations

import re
from functools import lru_cache

_MONTH = (
    r"(?:January|February|March|April|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_MONTH_MAY = rf"(?:{_MONTH}|May)"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_TO = r"(?:\s?[-\u2013]\s?| to | and | through | until )"
_NUM = (
    r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|a couple of|a few|several)"
)
_UNITS = r"(?:hours?|days?|weeks?|months?|years?|decades?)"
_PREP = r"\b(?:in|In|since|Since|by|By|until|from|From|during|During|through|of|before|after) "

_MONTH_KEYS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""Every spelling of ``_MONTH_MAY`` holds one of these (case-sensitive)."""

# (pattern, keywords, folded): a text can match the pattern only if it holds one
# of the keywords (in its lower-cased form when ``folded``), so a text without
# any skips the pattern. Each keyword list must be implied by the pattern: a
# month or weekday name, the fixed words of a case-insensitive alternation.
_PATTERNS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    (r"\b\d{4}-\d{2}-\d{2}\b", ("-",), False),
    (
        rf"\b(?:{_WD},? )?{_MONTH_MAY} {_DAY}(?:{_TO}(?:{_MONTH_MAY} )?{_DAY})?"
        rf"(?:,? \d{{4}})?\b",
        _MONTH_KEYS,
        False,
    ),
    (
        rf"\b(?:{_WD},? )?(?:the )?{_DAY}(?:{_TO}{_DAY})? (?:of )?{_MONTH_MAY}"
        rf"(?:,? \d{{4}})?(?!\w)",
        _MONTH_KEYS,
        False,
    ),
    (rf"\b{_MONTH_MAY},? \d{{4}}\b", _MONTH_KEYS, False),
    (rf"{_PREP}(?P<t>{_MONTH_MAY})(?![\w.]| \d)", _MONTH_KEYS, False),
    (rf"{_PREP}(?P<t>(?:1[89]|20)\d{{2}})\b(?![,.]?\d)", ("18", "19", "20"), False),
    (
        rf"(?i:\b(?:early|mid|late|the (?:beginning|start|middle|end) of)[- ])"
        rf"(?:{_MONTH_MAY}(?: \d{{4}})?|(?:1[89]|20)\d{{2}}s?\b|(?i:(?:this|next|last|the) "
        rf"(?:week|month|year)\b))",
        ("early", "mid", "late", "beginning of", "start of", "middle of", "end of"),
        True,
    ),
    (
        rf"\b(?:(?i:last|next|this|this coming|this past|early|late|earlier|later) )?{_WD}"
        rf"(?: (?i:morning|afternoon|evening|night))?\b",
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        False,
    ),
    (
        r"(?i:\b(?:today|tonight|yesterday|tomorrow|last night)\b)",
        ("today", "tonight", "yesterday", "tomorrow", "last night"),
        True,
    ),
    (
        r"(?i:\b(?:last|this|next|the past|the previous|the coming|earlier this|later this|"
        r"early next|late last|the) (?:week|weekend|month|year|quarter)\b)",
        ("week", "month", "year", "quarter"),
        True,
    ),
    (rf"(?i:\b{_NUM} {_UNITS}(?: or so)? (?:ago|earlier)\b)", ("ago", "earlier"), True),
    (
        rf"(?i:\bthe (?:past|last|next|coming) (?:{_NUM} )?{_UNITS}\b)",
        ("the past", "the last", "the next", "the coming"),
        True,
    ),
    (
        rf"(?i:\b(?:recently|lately|soon|in recent {_UNITS}|in the coming {_UNITS}|"
        rf"in the near future|{_UNITS}(?: or {_UNITS})? ago)\b)",
        ("recently", "lately", "soon", "in recent", "in the coming", "in the near future", "ago"),
        True,
    ),
)

_UNFOLDED = ("\u0130", "\u0131", "\u017f", "\u212a")
"""The only characters besides ASCII letters that a case-insensitive pattern matches
to an ASCII letter (dotted and dotless i, long s, Kelvin sign); ``str.lower`` does
not map them all to that letter, so a text holding one is not screened."""


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern[str], tuple[str, ...], bool]]:
    return [(re.compile(p), keys, folded) for p, keys, folded in _PATTERNS]


def candidate_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every pattern match in ``text``; matches may overlap.

    A pattern runs only on a text that holds one of its keywords (a substring
    test costs far less than a regex scan of the whole text)."""
    low = None if any(c in text for c in _UNFOLDED) else text.lower()
    spans = []
    for pattern, keys, folded in _compiled():
        where = low if folded else text
        if where is not None and not any(k in where for k in keys):
            continue
        for m in pattern.finditer(text):
            start, end = m.span("t") if "t" in pattern.groupindex else m.span()
            while end > start and text[end - 1] in " ,":
                end -= 1
            spans.append((start, end))
    return spans
