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

_PATTERNS = (
    r"\b\d{4}-\d{2}-\d{2}\b",
    rf"\b(?:{_WD},? )?{_MONTH_MAY} {_DAY}(?:{_TO}(?:{_MONTH_MAY} )?{_DAY})?(?:,? \d{{4}})?\b",
    rf"\b(?:{_WD},? )?(?:the )?{_DAY}(?:{_TO}{_DAY})? (?:of )?{_MONTH_MAY}(?:,? \d{{4}})?(?!\w)",
    rf"\b{_MONTH_MAY},? \d{{4}}\b",
    rf"{_PREP}(?P<t>{_MONTH_MAY})(?![\w.]| \d)",
    rf"{_PREP}(?P<t>(?:1[89]|20)\d{{2}})\b(?![,.]?\d)",
    rf"(?i:\b(?:early|mid|late|the (?:beginning|start|middle|end) of)[- ])"
    rf"(?:{_MONTH_MAY}(?: \d{{4}})?|(?:1[89]|20)\d{{2}}s?\b|(?i:(?:this|next|last|the) "
    rf"(?:week|month|year)\b))",
    rf"\b(?:(?i:last|next|this|this coming|this past|early|late|earlier|later) )?{_WD}"
    rf"(?: (?i:morning|afternoon|evening|night))?\b",
    r"(?i:\b(?:today|tonight|yesterday|tomorrow|last night)\b)",
    r"(?i:\b(?:last|this|next|the past|the previous|the coming|earlier this|later this|"
    r"early next|late last|the) (?:week|weekend|month|year|quarter)\b)",
    rf"(?i:\b{_NUM} {_UNITS}(?: or so)? (?:ago|earlier)\b)",
    rf"(?i:\bthe (?:past|last|next|coming) (?:{_NUM} )?{_UNITS}\b)",
    rf"(?i:\b(?:recently|lately|soon|in recent {_UNITS}|in the coming {_UNITS}|"
    rf"in the near future|{_UNITS}(?: or {_UNITS})? ago)\b)",
)


@lru_cache(maxsize=1)
def _compiled() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in _PATTERNS]


def candidate_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every pattern match in ``text``; matches may overlap."""
    spans = []
    for pattern in _compiled():
        for m in pattern.finditer(text):
            start, end = m.span("t") if "t" in pattern.groupindex else m.span()
            while end > start and text[end - 1] in " ,":
                end -= 1
            spans.append((start, end))
    return spans
