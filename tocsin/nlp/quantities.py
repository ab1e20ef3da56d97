"""Quantities: numbers with their approximation word, unit and counted noun.

``extract_quantities`` scans the tokens for runs that make a number ("100,000",
"1.5 million", "two dozen", "$5bn", "80%", "tens of thousands"), then looks
left for an approximation word ("more than" -> ``over``; the table is in
:mod:`tocsin.nlp._numbers`) and right, through the dependency tree, for the unit
and the noun counted ("over 100,000 troops" counts ``troop``; "80% of the
forces" has unit ``percent`` and counts ``force``; "6 miles" has unit ``mile``).

Vague plurals keep a lower bound: "tens of thousands" is 10,000 with approx
"tens of", "hundreds of" 100 with approx "hundreds of".

Not quantities, and skipped: numbers inside DATE, TIME or ORDINAL entities,
years (1800-2100 counting nothing), ages ("aged 45", "45 years old"),
phone-like digit groups, calibres ("155mm"), numbers that belong to a name
("Su-34", "T-72", "S-400", "Buk-M1") and "one" used as a pronoun.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from tocsin.models import Quantity
from tocsin.nlp._doc import doc_text
from tocsin.nlp._numbers import (
    APPROX,
    COUNT_LEMMAS,
    SMALL,
    UNITS,
    VAGUE_PLURALS,
    parse_value,
)

__all__ = ["extract_quantities", "fatalities"]

_SKIP_ENTS = frozenset({"DATE", "TIME", "ORDINAL"})
_MONTHS = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$", re.IGNORECASE
)
_PHONE = re.compile(r"^\+?\(?\d{1,4}\)?(?:[\s.-]\d{2,4}){2,}$")
_NUMBER_PARTS = frozenset(
    {"hundred", "thousand", "million", "billion", "trillion", "dozen", "bn", "mn"}
)
_SYMBOLS = frozenset({"$", "€", "£", "us$"})
_HYPHEN_UNITS = frozenset(
    {"mile", "kilometre", "kilometer", "metre", "meter", "foot", "tonne", "ton"}
)
_SUFFIXES = frozenset({"k", "m", "mn", "bn", "b", "mm", "s"})


def extract_quantities(doc: Doc) -> list[Quantity]:
    """Every quantity in ``doc``, in text order, with exact character spans."""
    blocked = {t.i for e in doc.ents if e.label_ in _SKIP_ENTS for t in e}
    found: list[Quantity] = []
    i = 0
    while i < len(doc):
        end = _number_end(doc, i, blocked)
        if end > i:
            quantity = _build(doc, i, end)
            if quantity is not None:
                found.append(quantity)
            i = end
        else:
            i += 1
    return found


def _is_num(tok: Token) -> bool:
    return bool(tok.like_num) or tok.lower_ in _NUMBER_PARTS


def _number_end(doc: Doc, i: int, blocked: set[int]) -> int:
    """End (exclusive) of the number starting at token ``i``, or ``i`` if none does."""
    tok = doc[i]
    if i in blocked:
        return i
    if tok.lower_ in VAGUE_PLURALS and i + 1 < len(doc) and doc[i + 1].lower_ == "of":
        nxt = doc[i + 2] if i + 2 < len(doc) else None
        if nxt is not None and nxt.lower_ in VAGUE_PLURALS and nxt.lower_ != "tens":
            return i + 3
        return i + 1
    j = i + 1 if tok.lower_ in _SYMBOLS and i + 1 < len(doc) and doc[i + 1].like_num else i
    if j < len(doc) and doc[j].lower_ == "half" and j + 2 < len(doc) and doc[j + 1].lower_ == "a":
        j += 2
    if j >= len(doc) or not doc[j].like_num or j in blocked:
        return i
    j += 1
    while j < len(doc) and j not in blocked:
        cur = doc[j]
        number = _is_num(cur) and not _year_like(cur)
        if number or (
            cur.lower_ == "and" and doc[j - 1].lower_ == "hundred" and _word_num(doc, j + 1)
        ):
            j += 1
        else:
            break
    if j < len(doc) and doc[j].text == "%":
        j += 1
    return j


def _word_num(doc: Doc, i: int) -> bool:
    return i < len(doc) and doc[i].like_num and doc[i].is_alpha


def _year_like(tok: Token) -> bool:
    return bool(re.fullmatch(r"(?:18|19|20)\d\d", tok.text))


def _build(doc: Doc, start: int, end: int) -> Quantity | None:
    """The quantity of tokens [start, end), or None when it is not a quantity."""
    words = [t.text for t in doc[start:end]]
    first = doc[start].lower_
    approx: str | None = None
    if first in VAGUE_PLURALS:
        head = doc[end - 1].lower_
        value: float | None = float(
            VAGUE_PLURALS[first] * (VAGUE_PLURALS[head] if end - start == 3 else 1)
        )
        approx = f"{first} of"
    else:
        value = parse_value(words)
    if value is None or _skip(doc, start, end):
        return None
    unit, unit_end = _unit(doc, start, end)
    counted, noun_end = _counted(doc, start, end, unit_end)
    if unit == "mm":
        return None
    if _year_like(doc[start]) and end - start == 1 and counted is None and unit is None:
        return None
    if (
        doc[start].lower_ == "one"
        and end - start == 1
        and (counted is None or (unit_end < len(doc) and doc[unit_end].lower_ == "of"))
    ):
        return None
    q_start = start
    found_approx, q_start = _approx(doc, start)
    approx = approx or found_approx
    last = max(end, unit_end, noun_end) - 1
    span = doc[q_start : last + 1]
    return Quantity(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        value=value,
        unit=unit,
        counts=counted,
        approx=approx,
    )


def _skip(doc: Doc, start: int, end: int) -> bool:
    """True for names (Su-34), ages, phone numbers and day numbers beside a month."""
    text = doc_text(doc)
    s, e = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    before = text[max(0, s - 2) : s]
    if before and (before[-1].isalpha() or (before[-1] == "-" and before[:1].isalnum())):
        return True
    tail = re.match(r"[A-Za-z]+", text[e:])
    if tail and tail.group(0).lower() not in UNITS and tail.group(0).lower() not in _SUFFIXES:
        return True
    if _PHONE.match(text[s:e]):
        return True
    prev = doc[start - 1] if start > 0 else None
    nxt = doc[end] if end < len(doc) else None
    if prev is not None and (prev.lower_ in ("aged", "age") or _MONTHS.match(prev.text)):
        return True
    if nxt is not None and _MONTHS.match(nxt.text) and nxt.text[:1].isupper():
        return True
    if nxt is not None and nxt.lower_ in ("ad", "bc", "bce", "ce"):
        return True
    if nxt is not None and nxt.text == "-" and end + 1 < len(doc):
        after_hyphen = doc[end + 1].lower_
        return after_hyphen not in UNITS and after_hyphen not in _HYPHEN_UNITS
    after = text[e : e + 12].lower()
    return bool(re.match(r"[- ]years?[- ]old", after))


def _unit(doc: Doc, start: int, end: int) -> tuple[str | None, int]:
    """(normal unit, end token) from a currency symbol, "%" or the unit word after."""
    for tok in doc[start:end]:
        if tok.lower_ in _SYMBOLS or tok.text == "%":
            return UNITS[tok.lower_], end
    if end + 1 < len(doc) and doc[end].text == "-":  # "a 12-mile convoy"
        word = doc[end + 1].lower_
        if word in UNITS or word in _HYPHEN_UNITS:
            return UNITS.get(word) or UNITS.get(word + "s"), end + 2
    if end < len(doc):
        two = f"{doc[end].lower_} {doc[end + 1].lower_}" if end + 1 < len(doc) else ""
        if two in UNITS:
            return UNITS[two], end + 2
        if doc[end].lower_ in UNITS or doc[end].lower_ == "mm":
            return UNITS.get(doc[end].lower_, "mm"), end + 1
    return None, end


def _counted(doc: Doc, start: int, end: int, unit_end: int) -> tuple[str | None, int]:
    """(lemma of the counted noun, end token) for the number in [start, unit_end)."""
    noun: Token | None = None
    after = doc[unit_end] if unit_end < len(doc) else None
    if after is not None and after.lower_ == "of":
        objs = [c for c in after.children if c.dep_ == "pobj"]
        noun = objs[0] if objs else None
    elif unit_end == end:
        for tok in doc[start:end]:
            head = tok.head
            if tok.dep_ == "conj" and head.dep_ == "nummod":  # "5 or 6 tanks"
                head = head.head
            if tok.dep_ in ("nummod", "quantmod", "compound", "conj") and head.i >= end:
                noun = head
                break
    if noun is None or noun.pos_ not in ("NOUN", "PROPN") or noun.i - unit_end > 4:
        return None, unit_end
    # Nothing but modifiers between the number (or "of") and the noun.
    gap_start = unit_end + 1 if after is not None and after.lower_ == "of" else unit_end
    if any(t.like_num or t.pos_ in ("CCONJ", "VERB", "ADP") for t in doc[gap_start : noun.i]):
        return None, unit_end
    lemma = noun.lemma_.lower()
    if noun.tag_ == "NNPS" and lemma.endswith("s"):  # "Palestinians" -> "palestinian"
        lemma = lemma[:-1]
    return COUNT_LEMMAS.get(noun.lower_, lemma), noun.i + 1


def _approx(doc: Doc, start: int) -> tuple[str | None, int]:
    """(normal approximation word, its first token) just before token ``start``."""
    for size in (3, 2, 1):
        if start - size < 0:
            continue
        words = " ".join(t.lower_ for t in doc[start - size : start])
        if words in APPROX:
            return APPROX[words], start - size
    return None, start


# -- fatalities -------------------------------------------------------------------
#: Counted nouns that are people who can be killed.
PEOPLE = frozenset(
    {"person", "people", "civilian", "soldier", "serviceman", "servicemen", "man", "woman",
     "child", "resident", "member", "fighter", "militant", "rebel", "troop", "officer",
     "policeman", "volunteer", "worker", "guard", "crew", "fatality", "body", "boy", "girl",
     "passenger", "driver", "paramedic", "rescuer", "combatant", "marine", "pilot"}
)  # fmt: skip
_KILLED_AFTER = re.compile(
    r"[^.;]{0,25}?\b(?:(?:were|was|have been|had been|are|got)\s+)?"
    r"(?:killed|dead|died|slain|perished|lost their lives)\b",
    re.IGNORECASE,
)
_KILLED_BEFORE = re.compile(r"\b(?:killing|killed|kills|kill)\s+(?:at least\s+)?$", re.IGNORECASE)
_ONE_KILLED = re.compile(
    r"\b(?:a|an|one)\s+(?:[a-z-]+\s+){0,2}(?:civilian|man|woman|child|person|soldier|"
    r"serviceman|resident|boy|girl|rebel|fighter|member|volunteer|worker|officer)\s+"
    r"(?:was|has been|had been|got)\s+killed\b",
    re.IGNORECASE,
)
_CODED_HERE = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+fatalit(?:y|ies)\s+"
    r"(?:were\s+|was\s+)?coded\s+to\s+this\s+event",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"fatalit(?:y|ies)[^\]\[]{0,60}\bsplit\b|\bsplit\b[^\]\[]{0,30}fatalit", re.I)


def fatalities(text: str, quantities: Sequence[Quantity]) -> int:
    """People reported killed in ``text``: the sum of the quantities that count people
    and sit next to a kill word ("2 civilians were killed", "killing 3 soldiers"),
    plus "a civilian was killed" (1 each). A coder's note "N fatalities coded to this
    event" gives N; a note that fatalities were "split" across events, without that,
    gives 0 (the deaths belong to other events). 0 when nothing says anyone died."""
    coded = _CODED_HERE.search(text)
    if coded:
        word = coded.group(1).lower()
        return int(word) if word.isdigit() else int(SMALL[word])
    if _SPLIT.search(text):
        return 0
    total = 0
    for q in quantities:
        if q.counts not in PEOPLE or q.value is None or q.unit is not None:
            continue
        if _KILLED_AFTER.match(text, q.end) or _KILLED_BEFORE.search(
            text[max(0, q.start - 30) : q.start]
        ):
            total += int(q.value)
    return total + len(_ONE_KILLED.findall(text))
