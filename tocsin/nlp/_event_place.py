"""Where an event happened: the choice among the places of its sentence.

Kept apart from :mod:`tocsin.nlp._event_args` because place choice is its own
problem (coded-to hints, attached prepositions, targets that are places, broad
versus precise places) and is tuned against the geographic evaluations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Token

from tocsin.models import Actor, Place
from tocsin.nlp._doc import doc_text
from tocsin.nlp._event_args import (
    _ancestors,
    _overlaps,
    _subtree_range,
    by_distance,
)
from tocsin.nlp._triggers import clause_head

PLACE_PREPS = frozenset(
    {"in", "near", "at", "into", "from", "across", "around", "outside", "on", "toward", "towards"}
    | {"along", "over", "inside", "within", "off", "to", "through", "north", "south", "east"}
    | {"west", "by", "close", "beyond"}
)

_CODED_TO = re.compile(r"\bcoded to\s+(?:the\s+)?$", re.IGNORECASE)


def find_place(
    anchor: Token, trig: tuple[int, int], places: Sequence[Place], target: Actor | None
) -> Place | None:
    """The event's place: one a coder pointed to ("coded to X") first; then places
    that are not the target; then one attached to the clause by a preposition or as
    its object; then a town or region before a country or an unresolved name; the
    nearest to the trigger breaks ties."""
    if not places:
        return None
    verb = clause_head(anchor)
    attached: list[tuple[int, int]] = []
    for head in {anchor, verb}:
        for tok in head.subtree:
            if tok.dep_ == "prep" and tok.lower_ in PLACE_PREPS:
                attached += [_subtree_range(p) for p in tok.children if p.dep_ == "pobj"]
        attached += [_subtree_range(c) for c in head.children if c.dep_ in ("dobj", "nsubjpass")]

    # places inside the subject of a governing clause ("officials in X said") are not
    # where the reported event happened
    foreign = [
        _subtree_range(c)
        for tok in _ancestors(verb)
        for c in tok.children
        if c.dep_ in ("nsubj", "nsubjpass")
    ]
    eligible = [p for p in places if not any(_overlaps(p, r) for r in foreign)]

    text = doc_text(anchor.doc)

    def score(p: Place) -> tuple[int, int, int, int]:
        is_target = target is not None and _overlaps(p, (target.start, target.end))
        is_attached = any(_overlaps(p, r) for r in attached)
        coded = _CODED_TO.search(text, max(0, p.start - 12), p.start) is not None
        broad = p.precision == "country" or p.lat is None
        return (int(not coded), int(is_target), int(not is_attached), int(broad))

    ranked = by_distance(eligible, *trig)
    return min(ranked, key=score) if ranked else None
