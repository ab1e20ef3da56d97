"""Arguments of one event: actor, target, place, time, quantities, equipment, mode,
negation and hedging, read from the parse around the trigger and from the mentions
the other extractors found (passed in; this module imports none of them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from tocsin.models import Actor, Equipment, Mentions, Place, Span
from tocsin.nlp._ontology import TypeSpec
from tocsin.nlp._triggers import clause_head, find_phrase, sentence_keys

S = TypeVar("S", bound=Span)

TARGET_PREPS = frozenset({"against", "on", "at", "with", "to", "toward", "towards", "upon", "of"})
NEG_WORDS = frozenset({"not", "n't", "no", "never", "neither", "nor", "without"})
NEG_GOVERNORS = frozenset({"deny", "fail", "dismiss", "refute"})
MODALS = frozenset({"could", "may", "might", "would"})
HEDGE_ADVERBS = frozenset(
    {"allegedly", "reportedly", "apparently", "purportedly", "supposedly", "possibly"}
    | {"probably", "likely", "presumably", "seemingly", "perhaps", "maybe"}
)
HEDGE_GOVERNORS = frozenset({"claim", "allege", "appear", "seem", "suggest", "rumour", "rumor"})
HEDGE_PHRASES = (
    "if true",
    "unconfirmed",
    "unverified",
    "could not be verified",
    "could not be independently verified",
    "cannot be independently verified",
    "not independently verified",
)
CLIMB_DEPS = frozenset({"xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj", "acl", "conj"})


def _ancestors(token: Token, limit: int = 6) -> list[Token]:
    """Heads above a token through complement links, nearest first."""
    found: list[Token] = []
    current = token
    while current.dep_ in CLIMB_DEPS and current.head.i != current.i and len(found) < limit:
        current = current.head
        found.append(current)
    return found


def _char_range(tokens: Sequence[Token]) -> tuple[int, int]:
    return (min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens))


def _subtree_range(token: Token) -> tuple[int, int]:
    return _char_range(list(token.subtree))


def _overlaps(mention: Span, rng: tuple[int, int]) -> bool:
    return mention.start < rng[1] and rng[0] < mention.end


def in_sentence(mentions: Sequence[S], sent: SpacySpan) -> list[S]:
    """Mentions that lie inside the sentence."""
    return [m for m in mentions if sent.start_char <= m.start and m.end <= sent.end_char]


def by_distance(mentions: Sequence[S], start: int, end: int) -> list[S]:
    """Mentions nearest to the character range first (left of it wins ties)."""

    def gap(m: Span) -> tuple[int, int]:
        if m.end <= start:
            return (start - m.end, 0)
        if m.start >= end:
            return (m.start - end, 1)
        return (0, 0)

    return sorted(mentions, key=gap)


def _mention_in(actors: Sequence[Actor], rngs: Sequence[tuple[int, int]], head: Token | None):
    """The actor mention covering a head token, else the leftmost in the ranges."""
    for rng in rngs:
        hits = [a for a in actors if _overlaps(a, rng)]
        if head is not None:
            on_head = [a for a in hits if a.start <= head.idx < a.end]
            if on_head:
                return on_head[0]
        if hits:
            return min(hits, key=lambda a: a.start)
    return None


def _subject_tokens(anchor: Token) -> tuple[list[Token], bool]:
    """Tokens naming the doer of the event, and whether the clause is passive."""
    verb = clause_head(anchor)
    found: list[Token] = []
    if anchor.pos_ in ("NOUN", "PROPN"):
        found += [c for c in anchor.children if c.dep_ in ("poss", "compound", "amod")]
        found += [p for c in anchor.children if c.lower_ == "by" for p in c.children]
    current = verb
    for _ in range(4):
        subj = [c for c in current.children if c.dep_ in ("nsubj", "csubj")]
        agent = [p for c in current.children if c.dep_ == "agent" for p in c.children]
        if subj or agent:
            passive = any(c.dep_ == "nsubjpass" for c in current.children)
            return found + agent + subj, passive
        if current.dep_ in ("conj", "xcomp", "advcl") and current.head.i != current.i:
            current = current.head
        elif current.dep_ in ("relcl", "acl"):
            return [*found, current.head], False
        else:
            break
    passive = any(c.dep_ == "nsubjpass" for c in verb.children)
    return found, passive


def find_actor(anchor: Token, trig: tuple[int, int], actors: Sequence[Actor]) -> Actor | None:
    """The actor mention naming the subject (or agent), else the nearest to the left."""
    tokens, _passive = _subject_tokens(anchor)
    actor = _mention_in(actors, [_subtree_range(t) for t in tokens], tokens[0] if tokens else None)
    if actor is not None:
        return actor
    patients = [c for c in clause_head(anchor).children if c.dep_ == "nsubjpass"]
    excluded = [_subtree_range(p) for p in patients]
    left = [a for a in actors if a.end <= trig[0] and not any(_overlaps(a, r) for r in excluded)]
    return max(left, key=lambda a: a.end) if left else None


def _object_ranges(anchor: Token, with_object: bool = True) -> list[tuple[int, int]]:
    """Character ranges of the object and target-like prepositional phrases."""
    heads = [anchor] if anchor.pos_ in ("VERB", "AUX") else [anchor, clause_head(anchor)]
    ranges: list[tuple[int, int]] = []
    for head in heads:
        for child in head.children:
            if child.dep_ in ("dobj", "nsubjpass", "dative", "obj") and with_object:
                ranges.append(_subtree_range(child))
            elif child.dep_ in ("prep", "agent") and child.lower_ in TARGET_PREPS:
                ranges += [_subtree_range(p) for p in child.children if p.dep_ == "pobj"]
    return ranges


def find_target(
    anchor: Token,
    actor: Actor | None,
    actors: Sequence[Actor],
    places: Sequence[Place] = (),
    moves_object: bool = False,
) -> Actor | None:
    """The actor mention in the object or in an against/on/at/with/to phrase.

    Uncoded actor mentions that are also places ("shelled Kharkiv") are places,
    not targets. With ``moves_object`` (MOBILIZE, RETREAT, AID: "withdrew troops")
    the direct object is what is moved, not the target.
    """
    spots = {(p.start, p.end) for p in places}
    others = [
        a
        for a in actors
        if (actor is None or (a.start, a.end) != (actor.start, actor.end))
        and not (a.code is None and (a.start, a.end) in spots)
    ]
    found = _mention_in(others, _object_ranges(anchor, not moves_object), None)
    if found is None:  # "threatened to cut supplies to X": the complement's object
        for comp in (c for c in anchor.children if c.dep_ in ("xcomp", "ccomp")):
            found = found or _mention_in(others, _object_ranges(comp), None)
    return found


def _path_to(token: Token, top: Token) -> list[Token]:
    """The token and its heads up to ``top`` (inclusive)."""
    path = [token]
    while path[-1].i != top.i and path[-1].head.i != path[-1].i and len(path) < 8:
        path.append(path[-1].head)
    return path


def is_negated(anchor: Token) -> bool:
    """A `neg` child, "no"/"never", "yet to", or a governing deny/fail/"no sign of"."""
    verb = clause_head(anchor)
    for tok in _path_to(anchor, verb):
        if any(c.dep_ == "neg" or c.lower_ in NEG_WORDS for c in tok.children):
            return True
    doc = anchor.doc
    before = [t.lower_ for t in doc[max(verb.i - 3, 0) : verb.i]]
    if "yet" in before and "to" in before:
        return True
    for tok in _ancestors(verb):
        if tok.lemma_.lower() in NEG_GOVERNORS:
            return True
        if tok.pos_ in ("NOUN", "PROPN") and any(c.lower_ in ("no", "never") for c in tok.children):
            return True
        if tok.pos_ in ("VERB", "AUX") and any(c.dep_ == "neg" for c in tok.children):
            return True
    return False


def is_hedged(anchor: Token, sent: SpacySpan) -> bool:
    """Modal auxiliaries, hedging adverbs, claim/appear/seem governors, "if true"..."""
    verb = clause_head(anchor)
    chain = [*_path_to(anchor, verb), *_ancestors(verb)]
    for tok in chain:
        for child in tok.children:
            if child.dep_ == "aux" and child.lower_ in MODALS:
                return True
            if child.lower_ in HEDGE_ADVERBS:
                return True
            if child.dep_ == "mark" and child.lower_ in ("if", "unless") and tok.i == verb.i:
                return True
    if any(tok.lemma_.lower() in HEDGE_GOVERNORS for tok in chain[1:]):
        return True
    text = sent.text.lower()
    return any(p in text for p in HEDGE_PHRASES)


def pick_mode(
    spec: TypeSpec,
    trigger_tokens: Sequence[Token],
    sent: SpacySpan,
    equipment: Sequence[Equipment],
    trig: tuple[int, int],
    taken: frozenset[int] = frozenset(),
) -> str | None:
    """The mode: trigger words (the longest phrase), then a dominant mode named in
    the sentence, then the nearest equipment class, then sentence words (not those of
    other triggers, listed in ``taken``)."""
    if not spec.modes:
        return None
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
                start, end = _char_range(match)
                distance = max(trig[0] - end, start - trig[1], 0)
                if best is None or distance < best[0]:
                    best = (distance, mode.name)
    return best[1] if best else None


def sentence_mentions(mentions: Mentions, sent: SpacySpan):
    """The mentions of each kind inside one sentence."""
    return (
        in_sentence(mentions.actors, sent),
        in_sentence(mentions.places, sent),
        in_sentence(mentions.times, sent),
        in_sentence(mentions.quantities, sent),
        in_sentence(mentions.equipment, sent),
    )
