"""The mode of an event (how force was used, what kind of protest ...), picked from
the trigger, its object, its doer and the rest of the sentence, in the order the
header of ``tocsin/data/plover.yaml`` documents."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from tocsin.models import Equipment
from tocsin.nlp._event_args import by_distance, char_range, subject_tokens
from tocsin.nlp._ontology import TypeSpec
from tocsin.nlp._triggers import find_phrase, sentence_keys

ATTACK_NOUNS = frozenset({"attack", "strike", "raid", "barrage", "salvo", "wave", "assault"})


def object_heads(verb: Token) -> set[str]:
    """Lemmas of what a verb acts on: the heads of its objects (or passive subject),
    their conjuncts and "of" phrases ("a group of drones"); for an attack noun also its
    modifiers ("repelled a drone attack" -> attack, drone)."""
    found: set[str] = set()
    stack = [c for c in verb.children if c.dep_ in ("dobj", "obj", "nsubjpass", "attr")]
    while stack:
        tok = stack.pop()
        lemma = tok.lemma_.lower()
        found.update({lemma, tok.lower_})
        stack.extend(c for c in tok.children if c.dep_ == "conj")
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
            stack.extend(p for p in prep.children if p.dep_ == "pobj")
        if lemma in ATTACK_NOUNS:
            found.update(
                c.lemma_.lower() for c in tok.children if c.dep_ in ("compound", "amod", "nmod")
            )
    return found


def _object_mode(spec: TypeSpec, anchor: Token | None) -> str | None:
    """The first mode whose ``with_object`` lists the trigger verb and one of its objects."""
    if anchor is None or anchor.pos_ not in ("VERB", "AUX"):
        return None
    lemma = anchor.lemma_.lower()
    wanted = [m for m in spec.modes if lemma in m.with_object]
    if not wanted:
        return None
    objects = object_heads(anchor)
    return next((m.name for m in wanted if objects & m.with_object[lemma]), None)


def _subject_mode(
    spec: TypeSpec, anchor: Token | None, sent: SpacySpan, keys: frozenset[str]
) -> str | None:
    """A mode named by the doer ("Russian drones struck", "air forces and artillery
    struck"); when the doer names several, the first mode in the ontology's order
    wins, so air and drone strikes come before shelling, as ACLED ranks them."""
    if anchor is None:
        return None
    tokens, _passive = subject_tokens(anchor)
    ids = {t.i for head in tokens for t in head.subtree}
    if not ids:
        return None
    for mode in spec.modes:
        for words in mode.words:
            if any({t.i for t in m} <= ids for m in find_phrase(sent, words, keys)):
                return mode.name
    return None


def pick_mode(
    spec: TypeSpec,
    trigger_tokens: Sequence[Token],
    sent: SpacySpan,
    equipment: Sequence[Equipment],
    trig: tuple[int, int],
    taken: frozenset[int] = frozenset(),
    anchor: Token | None = None,
) -> str | None:
    """The mode: a mode named by the trigger verb and its object (``with_object``:
    "shot down a drone"), then trigger words (the longest phrase), then words of the
    doer ("Russian drones struck"), then a dominant mode named in the sentence, then
    the nearest equipment class, then sentence words (not those of other triggers,
    listed in ``taken``)."""
    if not spec.modes:
        return None
    by_object = _object_mode(spec, anchor)
    if by_object is not None:
        return by_object
    trigger_ids = {t.i for t in trigger_tokens}
    keys = sentence_keys(sent)
    own: tuple[int, str] | None = None
    for mode in spec.modes:
        for words in mode.words:
            for match in find_phrase(sent, words, keys):
                if {t.i for t in match} <= trigger_ids and (own is None or len(match) > own[0]):
                    own = (len(match), mode.name)
    if own is not None:
        return own[1]
    by_subject = _subject_mode(spec, anchor, sent, keys)
    if by_subject is not None:
        return by_subject
    for mode in spec.modes:
        if any(
            not any(t.i in taken for t in match)
            for words in mode.dominant
            for match in find_phrase(sent, words, keys)
        ):
            return mode.name
    for item in by_distance(equipment, *trig):
        for mode in spec.modes:
            if item.cls.lower() in mode.equipment:
                return mode.name
    best: tuple[int, str] | None = None
    for mode in spec.modes:
        for words in mode.words:
            for match in find_phrase(sent, words, keys):
                if any(t.i in taken for t in match):
                    continue
                start, end = char_range(match)
                distance = max(trig[0] - end, start - trig[1], 0)
                if best is None or distance < best[0]:
                    best = (distance, mode.name)
    return best[1] if best else None
