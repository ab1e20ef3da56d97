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
("Su-34", "T-72", "S-400", "Buk-M1", "Resolution 2254", "CTF 50", "G-20": a
number inside a named entity after its first word, or after a reference word
such as "section" or "chapter"), citation marks ("[3]"), geographic coordinates
("35° 01′ N", "35.0325; 43.6463"), radio frequencies and data rates ("12130 MHz",
"27.5 Mb/s"), ratios written with a slash ("24/7"), and "one" used as a pronoun.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import MappingProxyType

from spacy.tokens import Doc, Token

from tocsin.models import Quantity
from tocsin.nlp._doc import doc_text
from tocsin.nlp._numbers import (
    APPROX,
    COUNT_LEMMAS,
    MULTIPLIERS,
    SMALL,
    UNITS,
    VAGUE_PLURALS,
    parse_value,
)
from tocsin.nlp.annotate import FLAT_DEP

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
_TENS = frozenset({"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"})
_UNITS_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine"})
#: "a few thousand", "several hundred": the lower bound is this many of the magnitude.
_FEW = MappingProxyType({"few": 2, "several": 3})
_MAGNITUDES = frozenset({"hundred", "thousand", "million", "billion", "dozen"})
_RANGE_WORDS = frozenset({"to", "-", "–", "—"})
#: The words other than numbers that can begin a quantity in ``_number_end``.
_STARTERS = frozenset({*VAGUE_PLURALS, *_FEW, *_SYMBOLS, "half"})
#: Entities whose inner numbers are part of a name ("Radio 4", "Resolution 2254").
_NAME_ENTS = frozenset(
    {"ORG", "LAW", "PRODUCT", "EVENT", "FAC", "WORK_OF_ART", "PERSON", "GPE", "LOC", "NORP"}
)
#: Words after which a number is a reference, not an amount ("section 119.3").
_REFERENCE_WORDS = frozenset(
    {"resolution", "resolutions", "section", "article", "chapter", "paragraph", "clause",
     "order", "passcode", "code", "no", "no.", "number", "page", "route", "highway",
     "flight", "room", "channel", "unit", "exercise", "phase", "verse", "item"}
)  # fmt: skip
#: Units of radio frequency and data rate: technical figures, not amounts.
_TECHNICAL_UNITS = frozenset(
    {"hz", "khz", "mhz", "ghz", "uhf", "vhf", "mbps", "kbps", "gbps", "mb", "kb", "gb"}
)
_COORDINATES = re.compile(
    r"-?\d{1,3}(?:\.\d+)?\s*°(?!\s*[CF]\b)(?:\s*\d{1,2}(?:\.\d+)?\s*[′'])?"
    r"(?:\s*\d{1,2}(?:\.\d+)?\s*[″\"])?"
    r"|-?\d{1,3}\.\d{3,}\s*[;,]\s*-?\d{1,3}\.\d{3,}"
)


def extract_quantities(doc: Doc) -> list[Quantity]:
    """Every quantity in ``doc``, in text order, with exact character spans."""
    blocked = {t.i for e in doc.ents if e.label_ in _SKIP_ENTS for t in e}
    blocked |= _name_numbers(doc)
    blocked |= _coordinate_tokens(doc)
    found: list[Quantity] = []
    i = 0
    while i < len(doc):
        end = _number_end(doc, i, blocked)
        if end > i:
            stop = _range_end(doc, end, blocked)
            quantity = _build(doc, i, end, stop)
            if quantity is not None:
                found.append(quantity)
            i = stop
        else:
            i += 1
    return found


def _name_numbers(doc: Doc) -> set[int]:
    """Indices of numbers that are part of a name: inside a named entity after its
    first word ("CTF 50", "Radio 4"), unless a common noun follows that the number
    counts (the tagger sometimes runs a name into "X. 2 civilians")."""
    found: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in _NAME_ENTS:
            continue
        for tok in ent[1:]:
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if tok.like_num and not (nxt is not None and nxt.pos_ == "NOUN" and nxt.is_lower):
                found.add(tok.i)
    return found


def _coordinate_tokens(doc: Doc) -> set[int]:
    """Indices of the tokens inside geographic coordinates ("33° 47′ N", "33.78; 44.50")."""
    text = doc_text(doc)
    if "°" not in text and ";" not in text and "," not in text:
        return set()
    found: set[int] = set()
    for match in _COORDINATES.finditer(text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None:
            found.update(t.i for t in span)
    return found


def _is_num(tok: Token) -> bool:
    return bool(tok.like_num) or tok.lower_ in _NUMBER_PARTS


def _number_end(doc: Doc, i: int, blocked: set[int]) -> int:
    """End (exclusive) of the number starting at token ``i``, or ``i`` if none does."""
    tok = doc[i]
    if i in blocked or not (tok.like_num or tok.lower_ in _STARTERS):
        return i  # the quick answer for most tokens: no case below can start here
    if tok.lower_ in VAGUE_PLURALS and i + 1 < len(doc) and doc[i + 1].lower_ == "of":
        nxt = doc[i + 2] if i + 2 < len(doc) else None
        if nxt is not None and nxt.lower_ in VAGUE_PLURALS and nxt.lower_ != "tens":
            return i + 3
        return i + 1
    if tok.lower_ in _FEW and i + 1 < len(doc) and doc[i + 1].lower_ in _MAGNITUDES:
        return i + 2  # "a few thousand", "several hundred"
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
        elif cur.text in ("-", "–") and _tens_and_units(doc, j):
            j += 2  # "twenty-three"
        else:
            break
    if j < len(doc) and doc[j].text == "%":
        j += 1
    return j


def _range_end(doc: Doc, end: int, blocked: set[int]) -> int:
    """End of a range whose first number ends at ``end`` ("3,000 to 5,000",
    "15-20 percent"), or ``end`` when no second number follows."""
    if end + 1 >= len(doc) or doc[end].lower_ not in _RANGE_WORDS:
        return end
    second = _number_end(doc, end + 1, blocked)
    if second == end + 1 or doc[end + 1].lower_ in VAGUE_PLURALS:
        return end
    low = parse_value([t.text for t in doc[_first_digit(doc, end) : end]])
    high = parse_value([t.text for t in doc[end + 1 : second]])
    return second if low is not None and high is not None and high > low else end


def _first_digit(doc: Doc, end: int) -> int:
    """Start of the number that ends at ``end`` (its run of number tokens)."""
    i = end
    while i > 0 and (_is_num(doc[i - 1]) or doc[i - 1].lower_ in _SYMBOLS):
        i -= 1
    return i


def _tens_and_units(doc: Doc, hyphen: int) -> bool:
    """True when the hyphen at ``hyphen`` joins a tens word and a units word."""
    return (
        doc[hyphen - 1].lower_ in _TENS
        and hyphen + 1 < len(doc)
        and doc[hyphen + 1].lower_ in _UNITS_WORDS
    )


def _word_num(doc: Doc, i: int) -> bool:
    return i < len(doc) and doc[i].like_num and doc[i].is_alpha


def _year_like(tok: Token) -> bool:
    return bool(re.fullmatch(r"(?:18|19|20)\d\d", tok.text))


def _build(doc: Doc, start: int, end: int, stop: int) -> Quantity | None:
    """The quantity of tokens [start, end), or None when it is not a quantity. A range
    ("15 to 20 percent") runs on to ``stop``: its value is the lower bound, with
    approximation "at least" unless a word before says otherwise."""
    words = [t.text for t in doc[start:end]]
    first = doc[start].lower_
    approx: str | None = None
    if first in _FEW:
        value: float | None = float(_FEW[first] * MULTIPLIERS[doc[start + 1].lower_])
        approx = "a few" if first == "few" else first
    elif first in VAGUE_PLURALS:
        head = doc[end - 1].lower_
        value = float(VAGUE_PLURALS[first] * (VAGUE_PLURALS[head] if end - start == 3 else 1))
        approx = f"{first} of"
    else:
        value = parse_value(words)
    if value is None or _skip(doc, start, stop):
        return None
    if stop > end:
        approx, end = approx or "at least", stop
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
    if first == "few" and start > 0 and doc[start - 1].lower_ == "a":
        q_start = start - 1
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
    if prev is not None and prev.lower_ in _REFERENCE_WORDS:
        return True
    if prev is not None and nxt is not None and prev.text == "[" and nxt.text == "]":
        return True  # a citation mark
    if nxt is not None and nxt.lower_ in _TECHNICAL_UNITS:
        return True
    if _slash_ratio(doc, start, end):
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


def _slash_ratio(doc: Doc, start: int, end: int) -> bool:
    """True for "24/7", "5/6", "Mb/s": a slash between the number and a number or unit."""
    before = doc[start - 2 : start] if start >= 2 else None
    after = doc[end : end + 2] if end + 2 <= len(doc) else None
    if before is not None and before[1].text == "/" and before[0].like_num:
        return True
    return after is not None and after[0].text == "/" and after[1].like_num


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
        if noun is None and doc[start].dep_ == FLAT_DEP:
            noun = _next_noun(doc, end)
    # The head of a number is a noun even when tagged as an adjective ("1 civilian").
    if noun is None or noun.pos_ not in ("NOUN", "PROPN", "ADJ") or noun.i - unit_end > 4:
        return None, unit_end
    # Nothing but modifiers between the number (or "of") and the noun.
    gap_start = unit_end + 1 if after is not None and after.lower_ == "of" else unit_end
    if any(t.like_num or t.pos_ in ("CCONJ", "VERB", "ADP") for t in doc[gap_start : noun.i]):
        return None, unit_end
    lemma = noun.lemma_.lower()
    if noun.tag_ == "NNPS" and lemma.endswith("s"):  # "Palestinians" -> "palestinian"
        lemma = lemma[:-1]
    return COUNT_LEMMAS.get(noun.lower_, lemma), noun.i + 1


def _next_noun(doc: Doc, end: int) -> Token | None:
    """In a sentence left unparsed (flat tree), the noun a number counts: the last word
    of the run of adjectives and nouns right after it ("350 Syrian workers")."""
    noun: Token | None = None
    for tok in doc[end : end + 4]:
        if tok.pos_ in ("NOUN", "PROPN"):
            noun = tok
        elif tok.pos_ != "ADJ" or noun is not None:
            break
    return noun


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
_KILLED_BEFORE = re.compile(
    r"\b(?:killing|killed|kills|kill|bodies of|corpses of)\s+(?:at least\s+|another\s+)?$",
    re.IGNORECASE,
)
_SINGLE_PEOPLE = (
    r"(?:victim|civilian|man|woman|child|person|soldier|serviceman|resident|boy|girl|rebel|fighter|"
    r"member|volunteer|worker|officer|policeman|driver|guard|commander|militant|pensioner|"
    r"farmer|teacher|journalist|priest|doctor|nurse|student|official|mayor|activist|"
    r"villager|local|partisan|collaborator|businessman|employee|sapper|medic|prisoner)"
)
_ONE_KILLED = re.compile(
    rf"\b(?:a|an|one)\s+(?:[\w'-]+\s+){{0,3}}?{_SINGLE_PEOPLE}\s+"
    r"(?:was|has been|had been|got)\s+(?:reportedly\s+)?killed\b",
    re.IGNORECASE,
)
#: One death told without a number, used only when nothing else counts the dead:
#: "killed a resident", "killed the deputy head", "the victim died", "his dead body".
_ONE_DEATH = re.compile(
    r"\b(?:killed|killing|murdered|executed|shot dead|stabbed to death|beat to death)\s+"
    r"(?:a|an|the|one|his|her)\s+(?!number\b|total\b|remaining\b)"
    r"|\b(?:was|has been|had been|got)\s+(?:reportedly\s+)?(?:killed|shot dead|executed)\b"
    rf"|\b(?:the|a|an|one)\s+(?:[\w'-]+\s+){{0,2}}?(?:{_SINGLE_PEOPLE}|wounded|injured)"
    r"\s+(?:later\s+|subsequently\s+)?(?:died|succumbed)\b"
    rf"|\b(?:dead body|body of (?:a|an|the)\s+(?:[\w'-]+\s+){{0,2}}?"
    rf"{_SINGLE_PEOPLE})\b",
    re.IGNORECASE,
)
_NO_DEATHS = re.compile(
    r"\b(?:no one|nobody|none|no casualties|no fatalities|no deaths|no victims|no one was)\b",
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
    and sit next to a kill word ("2 civilians were killed", "killing 3 soldiers",
    "killing 1 and injuring 2", "the bodies of 4 men"), plus "a civilian was killed"
    (1 each, unless a number already counted that person: "one soldier was killed"
    is 1). When nothing of that kind is found, one death told without a number
    ("killed a resident", "the victim died", "his dead body") gives 1. A coder's note
    "N fatalities coded to this event" gives N; a note that fatalities were "split"
    across events, without that, gives 0 (the deaths belong to other events). 0 when
    nothing says anyone died, or when the text says no one did."""
    coded = _CODED_HERE.search(text)
    if coded:
        word = coded.group(1).lower()
        return int(word) if word.isdigit() else int(SMALL[word])
    if _SPLIT.search(text):
        return 0
    total = 0
    counted: list[Quantity] = []
    for q in quantities:
        if q.value is None or q.unit is not None:
            continue
        before = _KILLED_BEFORE.search(text[max(0, q.start - 30) : q.start])
        people = q.counts in PEOPLE or (q.counts is None and before is not None)
        if people and (before or _KILLED_AFTER.match(text, q.end)):
            total += int(q.value)
            counted.append(q)
    for match in _ONE_KILLED.finditer(text):
        if not any(match.start() <= q.start < match.end() for q in counted):
            total += 1
    if total == 0 and _ONE_DEATH.search(text) and not _NO_DEATHS.search(text):
        return 1
    return total
