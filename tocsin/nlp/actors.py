"""Actor mentions: who acts in a text, normalised to a code (``RUS:MIL``, ``NATO``).

``extract_actors(doc)`` works in four steps:

1. **Hits**: aliases of the lexicon (countries, demonyms, capitals, seats of
   power, named bodies, people; see ``tocsin/data/actors.yaml``) found with a
   spaCy ``PhraseMatcher``, longest first.
2. **Phrases**: each nominal head whose phrase (its left dependents, plus "of"
   phrases: "units of the Western Military District") holds an actor noun
   ("troops", "defence ministry", "official"), a named body or a person becomes
   one actor; its country comes from a country word in the phrase.
3. **Standalone hits** not inside a phrase: people and named bodies always;
   countries and capitals only when they act (subject, possessive, agent,
   "according to X"; a country also as an object). "in Kyiv" is a place.
4. **Leftovers**: NER ``ORG``/``PERSON`` entities tocsin cannot code keep code
   None with a reason. An actor noun without a country takes the country of an
   earlier actor of the same sentence, else keeps reason "country not stated".

Overlapping candidates are resolved by keeping the longest span (a coded one when two
are as long).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.attrs import DEP, POS
from spacy.symbols import ADJ, NOUN, PROPN

from tocsin.models import Actor
from tocsin.nlp._actor_phrases import (
    ANONYMOUS,
    IDENTITY,
    INFERRED,
    NOT_STATED,
    UNKNOWN_ORG,
    UNKNOWN_PERSON,
    WEAPON,
    Cand,
    Hit,
    Screen,
    acts,
    entry_cand,
    phrase_cands,
)
from tocsin.nlp._doc import doc_text
from tocsin.nlp.actor_lexicon import (
    Lexicon,
    acled_actor_key,
    acled_actor_key_from_name,
    country_code,
    lexicon,
    person_name,
    person_office,
)

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

__all__ = [
    "ANONYMOUS",
    "IDENTITY",
    "INFERRED",
    "NOT_STATED",
    "UNKNOWN_ORG",
    "UNKNOWN_PERSON",
    "WEAPON",
    "acled_actor_key",
    "acled_actor_key_from_name",
    "country_code",
    "extract_actors",
    "person_name",
    "person_office",
]

# Civilians, protesters and unidentified armed men are not of the country of another
# kind of actor near them: "Russian forces shelled X, injuring two civilians".
OWN_SECTORS = frozenset({"CVL", "PRO", "REB"})

_PATRON_SUFFIXES = frozenset(
    {"backed", "led", "supported", "sponsored", "installed", "allied", "aligned", "funded"}
    | {"made", "built", "supplied", "designed", "produced", "manufactured"}  # "Iranian-made"
)
_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "appos", "attr"})


@lru_cache(maxsize=4)
def _matcher(vocab: Vocab) -> PhraseMatcher:
    import spacy
    from spacy.matcher import PhraseMatcher

    make_doc = spacy.blank("en", vocab=vocab).make_doc
    matcher = PhraseMatcher(vocab, attr="ORTH")
    for alias in lexicon().aliases:
        matcher.add(alias, [make_doc(alias)])
    return matcher


def _is_patron(doc: Doc, start: int, end: int) -> bool:
    before = start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in ("pro", "anti")
    after = end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ in _PATRON_SUFFIXES
    return before or after


def _hits(doc: Doc, lex: Lexicon) -> list[Hit]:
    """Lexicon aliases in the doc, longest first, without overlaps."""
    found = sorted(_matcher(doc.vocab)(doc), key=lambda m: (m[1] - m[2], m[1]))
    places = {
        i
        for match_id, start, end in found
        if lex.aliases[doc.vocab.strings[match_id]].kind in ("country", "capital")
        for i in range(start, end)
    }
    # a person entity with words that are not places: "George Washington", "Michael Jordan"
    names = [
        e for e in doc.ents if e.label_ == "PERSON" and not places.issuperset(range(e.start, e.end))
    ]
    taken: set[int] = set()
    hits: list[Hit] = []
    for match_id, start, end in found:
        if taken.intersection(range(start, end)):
            continue
        entry = lex.aliases[doc.vocab.strings[match_id]]
        in_name = any(p.start <= start and end <= p.end for p in names)
        if entry.kind in ("country", "capital") and in_name:
            continue
        taken.update(range(start, end))
        hits.append(Hit(start, end, entry, _is_patron(doc, start, end)))
    return sorted(hits, key=lambda h: h.start)


def _sentence_fill(doc: Doc, actors: list[Actor]) -> list[Actor]:
    """Give "country not stated" actors the country of an earlier actor of the same sentence."""
    starts = [sent.start_char for sent in doc.sents]
    out: list[Actor] = []
    for actor in actors:
        if actor.reason == NOT_STATED and actor.sector:
            sent_start = starts[bisect_right(starts, actor.start) - 1] if starts else 0
            earlier = [a for a in out if a.country and sent_start <= a.start < actor.start]
            if actor.sector in OWN_SECTORS:  # "Russian forces shelled X, injuring civilians"
                earlier = [a for a in earlier if a.sector == actor.sector]
            if earlier:
                word = actor.text.lower().split()[-1]
                same = [a for a in earlier if a.sector and a.text.lower().split()[-1] == word]
                source = same[-1] if same else earlier[-1]
                iso = source.country
                sector = source.sector if same else actor.sector
                code = f"{iso}:{sector}"
                actor = replace(actor, country=iso, sector=sector, code=code, reason=INFERRED)
        out.append(actor)
    return out


def _leftover_ents(doc: Doc, hits: list[Hit]) -> list[Cand]:
    """NER organisations and persons that no lexicon entry covers."""
    hit_tokens = {i for h in hits for i in range(h.start, h.end)}
    out: list[Cand] = []
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "PERSON") or hit_tokens.intersection(
            range(ent.start, ent.end)
        ):
            continue
        if "\n" in ent.text.strip():
            continue  # an entity across lines is a parsing accident
        if ent.label_ == "ORG":
            out.append(Cand(ent.start, ent.end, None, None, None, None, UNKNOWN_ORG))
        else:
            out.append(Cand(ent.start, ent.end, None, None, None, ent.text, UNKNOWN_PERSON))
    return out


def _to_actor(doc: Doc, text: str, cand: Cand) -> Actor | None:
    """The Actor for a candidate, its span trimmed of surrounding whitespace."""
    span: Span = doc[cand.start : cand.end]
    start, end = span.start_char, span.end_char
    start += len(text[start:end]) - len(text[start:end].lstrip())
    end -= len(text[start:end]) - len(text[start:end].rstrip())
    if start >= end:
        return None
    return Actor(
        start=start,
        end=end,
        text=text[start:end],
        code=cand.code,
        country=cand.country,
        sector=cand.sector,
        name=cand.name,
        reason=cand.reason,
    )


def _phrase_heads(doc: Doc, hit_at: dict[int, Hit]) -> list[int]:
    """Indices of the tokens that may head an actor phrase: nominals and lexicon
    hits, not compounds. Read from the token arrays (a ``Token`` object per token
    of the text would cost more than the test)."""
    strings = doc.vocab.strings
    compound = strings["compound"]
    nominal_deps = {strings[d] for d in _NOMINAL_DEPS}
    heads = []
    for i, (pos, dep) in enumerate(doc.to_array([POS, DEP]).tolist()):
        # "killing 1 civilian" tagged ADJ
        nominal = pos in (NOUN, PROPN) or (pos == ADJ and dep in nominal_deps)
        if dep != compound and (nominal or i in hit_at):
            heads.append(i)
    return heads


def extract_actors(doc: Doc) -> list[Actor]:
    """All actor mentions in ``doc``, coded, in text order, without overlaps."""
    lex = lexicon()
    hits = _hits(doc, lex)
    hit_at = {i: h for h in hits for i in range(h.start, h.end)}
    cands: list[Cand] = []
    screen = Screen(doc, lex, hit_at)
    for i in _phrase_heads(doc, hit_at):
        tok = doc[i]
        if i not in hit_at and screen.cannot_be_actor(tok):
            continue
        cands.extend(phrase_cands(doc, tok, lex, hit_at))
    for hit in hits:
        kind = hit.entry.kind
        root = doc[hit.start : hit.end].root
        if kind in ("person", "org", "seat") or (not hit.patron and acts(root, kind)):
            cands.append(entry_cand(hit.start, hit.end, hit.entry))
    cands.extend(_leftover_ents(doc, hits))
    chosen: list[Cand] = []
    taken: set[int] = set()
    # longest first; of two as long, a coded one before an uncoded NER leftover
    for cand in sorted(cands, key=lambda c: (c.start - c.end, c.code is None, c.start)):
        if not taken.intersection(range(cand.start, cand.end)):
            taken.update(range(cand.start, cand.end))
            chosen.append(cand)
    text = doc_text(doc)
    found = (_to_actor(doc, text, c) for c in sorted(chosen, key=lambda c: c.start))
    return _sentence_fill(doc, [a for a in found if a is not None])
