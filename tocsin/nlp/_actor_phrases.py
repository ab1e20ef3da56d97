"""Actor phrases: the nominal phrase around an actor noun, a title or a name, coded.

Used by :func:`tocsin.nlp.actors.extract_actors`, which finds the lexicon hits
first. A phrase's span is its head's left dependents ("the Russian Defense
Ministry"), cut after its last comma or "and", plus "of" phrases ("units of the
Southern Military District"). Its code comes from, in order: a known person
named in it, a named body in it, its country words with the sector of its
actor noun, a country right after it ("rebels in Ivory Coast"), the host
country of a patron ("pro-Russian separatists").
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spacy.attrs import LEMMA, LOWER

from tocsin.nlp._doc import sentence_start
from tocsin.nlp.actor_lexicon import Entry, Lexicon

if TYPE_CHECKING:
    from collections.abc import Mapping

    from spacy.tokens import Doc, Span, Token

NOT_STATED = "country not stated"
UNKNOWN_ORG = "unknown organisation"
UNKNOWN_PERSON = "person not in the people list"
IDENTITY = "country not stated: the group is named by an identity, not a country"
INFERRED = "country inferred from an earlier actor in the sentence"
ANONYMOUS = "anonymous"
WEAPON = "a weapon, position or use of force standing for the armed forces of its country"
_ACTING_DEPS = frozenset({"nsubj", "nsubjpass", "poss"})
_OBJECT_DEPS = frozenset({"dobj", "dative"})
_TARGET_PREPS = frozenset({"with", "against", "between", "on", "upon"})
_INDEFINITE = frozenset({"a", "an", "one", "some", "several", "many", "two", "three", "other"})
_FILLER_POS = frozenset({"DET", "PUNCT", "CCONJ", "ADJ", "ADV", "NUM"})
_COUNTRY_PREPS = frozenset({"in", "from", "throughout", "across"})
_CIVIL = frozenset({"civilian", "civil", "private", "commercial", "passenger", "fishing"})
_CUT_TEXTS = frozenset({",", ";", ":", "(", ")", '"', "—", "–", "and", "or", "and/or", "&"})


@dataclass(frozen=True)
class Hit:
    start: int  # token index
    end: int  # token index, exclusive
    entry: Entry
    patron: bool = False  # "pro-Russian", "Moscow-backed": names a sponsor, not the actor


def _forms(tok: Token) -> tuple[str, ...]:
    low = tok.lower_
    return (low, tok.lemma_.lower(), low[:-1] if low.endswith("s") else low)


def _get(tok: Token, table: Mapping[str, str | None]) -> tuple[bool, str | None]:
    """(found, value) for the first of the token's forms present in ``table``."""
    for form in _forms(tok):
        if form in table:
            return True, table[form]
    return False, None


def _is_actor_noun(tok: Token, lex: Lexicon) -> bool:
    return _get(tok, lex.nouns)[0] or _get(tok, lex.roles)[0] or _is_weapon(tok, lex)


def _is_weapon(tok: Token, lex: Lexicon) -> bool:
    """A weapon, vehicle or position noun ("drones", "positions"): an actor only
    with a country word ("Russian drones")."""
    return _get(tok, lex.weapons)[0]


def acts(tok: Token, kind: str) -> bool:
    """True when a country (``kind`` "country") or capital token plays an actor's role."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ in _ACTING_DEPS:
        return True
    if tok.dep_ == "pobj":
        prep = tok.head.lower_
        if prep == "by" or (prep == "to" and tok.head.head.lower_ == "according"):
            return True
        return kind == "country" and prep in _TARGET_PREPS
    return kind == "country" and tok.dep_ in _OBJECT_DEPS


@dataclass(frozen=True)
class Cand:
    start: int  # token index
    end: int  # token index, exclusive
    code: str | None
    country: str | None
    sector: str | None
    name: str | None = None
    reason: str | None = None


def entry_cand(start: int, end: int, entry: Entry) -> Cand:
    country, sector = entry.country, entry.sector
    if entry.kind == "country":
        return Cand(start, end, entry.code, country, None)
    name = None if entry.kind in ("capital", "seat") else entry.name
    if entry.kind == "org" and entry.country is None:
        sector = entry.sector or "IGO"
    return Cand(start, end, entry.code, country, sector, name)


def _phrase_bounds(doc: Doc, head: Token, lex: Lexicon, hit_at: dict[int, Hit]) -> tuple[int, int]:
    """Token range of the phrase headed by ``head``: its left part, then "of" phrases."""
    start = max(head.left_edge.i, sentence_start(doc, head.i))
    end = head.i + 1
    node = head
    while True:
        preps = [c for c in node.rights if c.dep_ == "prep" and c.lower_ == "of"]
        objs = [c for p in preps for c in p.children if c.dep_ == "pobj"]
        if not objs:
            break
        obj = objs[0]
        span_toks = doc[obj.left_edge.i : obj.i + 1]
        useful = any(t.i in hit_at for t in span_toks) or any(
            _is_actor_noun(t, lex) or _get(t, lex.modifiers)[0] for t in span_toks
        )
        if not useful:
            break
        end, node = obj.i + 1, obj
    return start, end


def _sector(doc: Doc, main: Token, start: int, end: int, lex: Lexicon) -> str | None:
    """Sector of an actor phrase from its main noun, compounds and modifiers."""
    for lo in (main.i - 1, main.i - 2):
        if lo >= start:
            key = doc[lo : main.i + 1].text.lower()
            for form in {key, f"{doc[lo : main.i].text.lower()} {main.lemma_.lower()}"}:
                if form in lex.compounds:
                    return lex.compounds[form]
    fixed, sector = _get(main, lex.nouns)
    if not fixed:
        fixed, sector = _get(main, lex.weapons)
    if fixed:
        return sector
    _, default = _get(main, lex.roles)
    others = [t for t in doc[start:end] if t.i != main.i]
    others.sort(key=lambda t: abs(t.i - main.i))
    for tok in others:
        found, value = _get(tok, lex.modifiers)
        if found:
            return value
    return default


def _anonymous(doc: Doc, main: Token, start: int, lex: Lexicon) -> bool:
    """An unnamed individual: "a U.S. official", "two senior officials", "Russian officials"."""
    if not set(_forms(main)) & lex.person_nouns:
        return False
    left = doc[start : main.i]
    if any(t.dep_ == "nummod" or t.lower_ in _INDEFINITE for t in left):
        return True
    definite = any(t.lower_ in ("the", "this", "that", "these", "those") for t in left)
    possessed = any(t.dep_ == "poss" for t in left)
    return main.tag_ in ("NNS", "NNPS") and not definite and not possessed


def _person_ents(doc: Doc) -> list[Span]:
    """The doc's PERSON entities, computed once per doc (kept in ``doc.user_data``)."""
    key = "tocsin.actors.persons"
    if key not in doc.user_data:
        doc.user_data[key] = [e for e in doc.ents if e.label_ == "PERSON"]
    persons: list[Span] = doc.user_data[key]
    return persons


@dataclass(frozen=True)
class _Phrase:
    start: int
    end: int
    head: Token
    hits: list[Hit]
    coordinated: list[Hit]  # country words before "and" in "Russian and Belarusian troops"
    persons: list[Span]  # NER persons inside


def _phrase(doc: Doc, head: Token, lex: Lexicon, hit_at: dict[int, Hit]) -> _Phrase:
    """The phrase headed by ``head``, cut after its last comma or "and"."""
    start, end = _phrase_bounds(doc, head, lex, hit_at)
    cut = max((t.i for t in doc[start : head.i] if t.lower_ in _CUT_TEXTS), default=None)
    coordinated: list[Hit] = []
    if cut is not None:
        before = {hit_at[i] for i in range(start, cut) if i in hit_at}
        rest = [t for t in doc[start:cut] if t.i not in hit_at and t.pos_ not in _FILLER_POS]
        if not rest:
            coordinated = sorted(
                (h for h in before if h.entry.kind == "country" and not h.patron),
                key=lambda h: h.start,
            )
        start = cut + 1
    hits = sorted({hit_at[i] for i in range(start, end) if i in hit_at}, key=lambda h: h.start)
    start = min([start, *(h.start for h in hits)])
    end = max([end, *(h.end for h in hits)])
    persons = [
        e
        for e in _person_ents(doc)
        if start <= e.start and e.end <= end and not any(i in hit_at for i in range(e.start, e.end))
    ]
    return _Phrase(start, end, head, hits, coordinated, persons)


def _main_noun(doc: Doc, ph: _Phrase, lex: Lexicon, hit_at: dict[int, Hit]) -> Token | None:
    """The actor noun of a phrase: its head, or the title before a name."""
    if _is_actor_noun(ph.head, lex):
        return ph.head
    # "President Smith", "emergency service specialists"; not an adjective of a
    # thing ("civilian infrastructure")
    titles = [t for t in doc[ph.start : ph.head.i] if _is_actor_noun(t, lex) and t.pos_ != "ADJ"]
    return titles[-1] if titles else None


def _named(ph: _Phrase, main: Token | None) -> Cand | None:
    """A phrase naming a known person (the head, or a name after its title) or a body."""
    people = [h for h in ph.hits if h.entry.kind == "person"]
    named = next((h for h in people if h.start <= ph.head.i < h.end), None)
    if named is None and main is not None:
        named = next((h for h in reversed(people) if h.start > main.i), None)
    if named is None and main is None and people:
        named = people[-1]
    if named is not None:
        return entry_cand(ph.start, ph.end, named.entry)
    body = next((h for h in ph.hits if h.entry.kind in ("org", "seat")), None)
    if body is not None:
        return replace(entry_cand(ph.start, ph.end, body.entry), name=body.entry.name)
    return None


def _country_after(ph: _Phrase, hit_at: dict[int, Hit]) -> Hit | None:
    """A country named right after the phrase: "rebels in Ivory Coast", "police from Serbia"."""
    last = ph.head.doc[ph.end - 1]
    for prep in last.rights:
        if prep.dep_ == "prep" and prep.lower_ in _COUNTRY_PREPS:
            for obj in prep.children:
                hit = hit_at.get(obj.i)
                if obj.dep_ == "pobj" and hit is not None and hit.entry.kind == "country":
                    return hit
    return None


class Screen:
    """Rejects, before its phrase is built, a head whose phrase cannot be an actor.

    ``phrase_cands`` returns nothing when the phrase has no lexicon hit, no
    actor noun (its head, or a title before it) and no NER person. Its phrase
    lies inside the head's subtree and sentence (from ``left_edge``; "of"
    phrases are right dependents), so when that stretch holds no hit and no
    person, and neither the head nor a token left of it there is an actor noun,
    the phrase is empty whatever its exact bounds: most nouns of a text ("the
    border", "talks") go no further than this test. One per document; whether a
    token is an actor noun depends only on its lower form and lemma, so it is
    decided once per distinct pair.
    """

    def __init__(self, doc: Doc, lex: Lexicon, hit_at: dict[int, Hit]) -> None:
        self._doc = doc
        self._hits = sorted(hit_at)
        self._persons = [(e.start, e.end) for e in _person_ents(doc)]
        strings = doc.vocab.strings
        known: dict[tuple[int, int], bool] = {}
        prefix = [0]  # prefix[k]: actor nouns among tokens 0 .. k-1
        for low_id, lemma_id in doc.to_array([LOWER, LEMMA]).tolist():
            flag = known.get((low_id, lemma_id))
            if flag is None:
                low, lemma = strings[low_id], strings[lemma_id]
                forms = (low, lemma.lower(), low[:-1] if low.endswith("s") else low)
                flag = known[(low_id, lemma_id)] = any(
                    f in table for table in (lex.nouns, lex.roles, lex.weapons) for f in forms
                )
            prefix.append(prefix[-1] + flag)
        self._prefix = prefix

    def cannot_be_actor(self, head: Token) -> bool:
        """True when ``phrase_cands`` would return nothing for ``head``."""
        i = head.i
        pre = self._prefix
        if pre[i + 1] > pre[i]:
            return False
        lo = max(head.left_edge.i, sentence_start(self._doc, i))
        hi = head.right_edge.i + 1
        k = bisect_left(self._hits, lo)
        if k < len(self._hits) and self._hits[k] < hi:
            return False
        if any(lo <= s and e <= hi for s, e in self._persons):
            return False
        return pre[i] == pre[lo]


def phrase_cands(doc: Doc, head: Token, lex: Lexicon, hit_at: dict[int, Hit]) -> list[Cand]:
    """Actor candidates for the phrase headed by ``head`` (empty when it is not an actor)."""
    ph = _phrase(doc, head, lex, hit_at)
    root_hit = hit_at.get(head.i)
    main = _main_noun(doc, ph, lex, hit_at)
    if main is None and root_hit is None and not ph.persons:
        return []
    named = _named(ph, main)
    if named is not None:
        return [named]
    start, end = ph.start, ph.end
    if main is None:
        if root_hit is not None and acts(head, root_hit.entry.kind) and not root_hit.patron:
            return [entry_cand(start, end, root_hit.entry)]
        if root_hit is None:
            return [Cand(start, end, None, None, None, ph.persons[-1].text, UNKNOWN_PERSON)]
        return []
    sector = _sector(doc, main, start, end, lex)
    own = [p for p in ph.persons if p.start > main.i]
    anonymous = _anonymous(doc, main, start, lex)
    name = own[-1].text if own else (ANONYMOUS if anonymous else None)
    countries = [
        h
        for h in ph.hits
        if not h.patron and h.entry.country and h.entry.kind in ("country", "capital", "person")
    ]
    if sector is None and not countries:
        return []
    if countries:
        weapon = _is_weapon(main, lex)
        if weapon and any(t.lower_ in _CIVIL for t in doc[start:end]):
            sector, weapon = "CVL", False  # "a Moldovan civilian vehicle": civilians
        found = _country_cands(start, end, [*ph.coordinated, *countries], sector, name)
        return [replace(c, reason=WEAPON) for c in found] if weapon else found
    if _is_weapon(main, lex):
        if any(t.lower_ in _CIVIL for t in doc[start:end]):  # "a civilian car"
            return [Cand(start, end, None, None, "CVL", name, NOT_STATED)]
        return []  # "a drone", "the positions": whose, the text does not say here
    where = _country_after(ph, hit_at) if sector else None
    if where is not None:
        return [
            Cand(
                start,
                where.end,
                f"{where.entry.country}:{sector}",
                where.entry.country,
                sector,
                name,
            )
        ]
    patron = next((h for h in ph.hits if h.patron and h.entry.country in lex.patrons), None)
    if patron is not None and sector == "REB" and patron.entry.country is not None:
        host = lex.patrons[patron.entry.country]
        why = f"country assumed: {patron.entry.country}-backed separatists are coded {host}:REB"
        return [Cand(start, end, f"{host}:{sector}", host, sector, name, why)]
    identity = any(t.ent_type_ == "NORP" and t.i not in hit_at for t in doc[start:end])
    return [Cand(start, end, None, None, sector, name, IDENTITY if identity else NOT_STATED)]


def _country_cands(
    start: int, end: int, countries: list[Hit], sector: str | None, name: str | None
) -> list[Cand]:
    """One actor per country named in a phrase: "Russian and Belarusian troops" gives
    "Russian" (RUS:MIL) and "Belarusian troops" (BLR:MIL)."""

    def code(iso: str | None) -> str | None:
        return f"{iso}:{sector}" if sector and iso else iso

    first = countries[0].entry.country
    if all(h.entry.country == first for h in countries):
        return [Cand(start, end, code(first), first, sector, name)]
    out = [
        Cand(h.start, h.end, code(h.entry.country), h.entry.country, sector) for h in countries[:-1]
    ]
    last = countries[-1]
    iso = last.entry.country
    return [*out, Cand(last.start, end, code(iso), iso, sector, name)]
