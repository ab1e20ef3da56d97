"""Arguments of one event: actor, target, time, quantities, equipment, negation and
hedging, read from the parse around the trigger and from the mentions the other
extractors found (passed in; this module imports none of them). The place is
``_event_place``'s, the mode ``_event_mode``'s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from tocsin.models import Actor, Mentions, Place, Span
from tocsin.nlp._actor_phrases import WEAPON
from tocsin.nlp._triggers import clause_head

S = TypeVar("S", bound=Span)

TARGET_PREPS = frozenset(
    {"against", "on", "at", "with", "to", "toward", "towards", "upon", "of", "between"}
)
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
ARMED_SECTORS = frozenset({"MIL", "REB", "PMC", "COP"})
CLIMB_DEPS = frozenset({"xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj", "acl", "conj"})


def _ancestors(token: Token, limit: int = 6) -> list[Token]:
    """Heads above a token through complement links, nearest first."""
    found: list[Token] = []
    current = token
    while current.dep_ in CLIMB_DEPS and current.head.i != current.i and len(found) < limit:
        current = current.head
        found.append(current)
    return found


def char_range(tokens: Sequence[Token]) -> tuple[int, int]:
    return (min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens))


def _subtree_range(token: Token) -> tuple[int, int]:
    return char_range(list(token.subtree))


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


def subject_tokens(anchor: Token) -> tuple[list[Token], bool]:
    """Tokens naming the doer of the event, and whether the clause is passive."""
    verb = clause_head(anchor)
    found: list[Token] = []
    if anchor.pos_ in ("NOUN", "PROPN"):
        found += [c for c in anchor.children if c.dep_ in ("poss", "compound", "amod")]
        found += [p for c in anchor.children if c.lower_ == "by" for p in c.children]
        # "a clash between Russian and Ukrainian forces": the first side acts
        found += [p for c in anchor.children if c.lower_ == "between" for p in c.children]
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
    if passive:
        found += _deep_agent(verb)
    return found, passive


def _deep_agent(verb: Token) -> list[Token]:
    """The "by X" of a passive clause that the parser hung lower down ("were fired
    upon with small arms by rebel forces": "by" under "arms")."""
    for tok in verb.subtree:
        lower = tok.lower_ == "by" and tok.dep_ in ("prep", "agent") and tok.head.i != verb.i
        if lower and clause_head(tok.head).i == verb.i:
            return [p for p in tok.children if p.dep_ == "pobj"]
    return []


def _first_of_pair(hits: list[Actor]) -> Actor | None:
    """The first of two sides named together ("Russian and Ukrainian forces clashed"):
    the leftmost coded mention when the mentions have different codes; else None."""
    coded = sorted((a for a in hits if a.code), key=lambda a: a.start)
    if len(coded) < 2 or len({a.code for a in coded}) < 2:
        return None
    return coded[0]


def comes_under(anchor: Token) -> bool:
    """ "X came under fire/attack/shelling from Y": X is the target, Y the actor."""
    verb = clause_head(anchor)
    return verb.lemma_.lower() == "come" and any(
        c.dep_ == "prep" and c.lower_ == "under" for c in verb.children
    )


def _subject_range(verb: Token) -> set[int]:
    return {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}


def _source_agents(verb: Token) -> list[Token]:
    """The "from Y" / "by Y" of a "came under fire" clause, wherever it hangs."""
    subject = _subject_range(verb)
    return [
        p
        for t in verb.subtree
        if t.lower_ in ("by", "from") and t.dep_ in ("prep", "agent") and t.i not in subject
        for p in t.children
        if p.dep_ == "pobj"
    ]


def find_actor(anchor: Token, trig: tuple[int, int], actors: Sequence[Actor]) -> Actor | None:
    """The actor mention naming the subject (or agent), else the nearest to the left,
    else the nearest armed actor or weapon that is not the patient or object; of two
    sides named together in the subject, the first."""
    if comes_under(anchor):
        ranges = [_subtree_range(t) for t in _source_agents(clause_head(anchor))]
        return _mention_in(actors, ranges, None)
    tokens, _passive = subject_tokens(anchor)
    ranges = [_subtree_range(t) for t in tokens]
    if tokens and any(c.dep_ == "cc" for t in tokens for c in t.subtree):
        pair = _first_of_pair([a for a in actors if any(_overlaps(a, r) for r in ranges)])
        if pair is not None:
            return pair
    actor = _mention_in(actors, ranges, tokens[0] if tokens else None)
    if actor is not None:
        return actor
    patients = [c for c in clause_head(anchor).children if c.dep_ == "nsubjpass"]
    excluded = [_subtree_range(p) for p in patients]
    left = [a for a in actors if a.end <= trig[0] and not any(_overlaps(a, r) for r in excluded)]
    if left:
        return max(left, key=lambda a: a.end)
    # "a civilian was killed when a Russian mine went off": the side of the weapon
    excluded += _object_ranges(anchor)
    arms = [
        a
        for a in actors
        if (a.reason == WEAPON or (a.code and a.sector in ARMED_SECTORS))
        and not any(_overlaps(a, r) for r in excluded)
    ]
    return next(iter(by_distance(arms, *trig)), None)


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
            elif child.dep_ == "prep":  # "fired in the direction of X"
                ranges += [
                    _subtree_range(p)
                    for p in child.children
                    if p.dep_ == "pobj" and p.lemma_.lower() == "direction"
                ]
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
    if comes_under(anchor):
        verb = clause_head(anchor)
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        return _mention_in(others, [_subtree_range(c) for c in subjects], None)
    found = _mention_in(others, _object_ranges(anchor, not moves_object), None)
    if found is None:  # "threatened to cut supplies to X": the complement's object
        for comp in (c for c in anchor.children if c.dep_ in ("xcomp", "ccomp")):
            found = found or _mention_in(others, _object_ranges(comp), None)
    return found


def find_opponent(
    trig: tuple[int, int], actor: Actor | None, actors: Sequence[Actor]
) -> Actor | None:
    """The other side of a fight the syntax gave no target for: the armed actor of
    the sentence nearest to the trigger whose country is not the actor's, or rebels
    against the state's forces ("Russian forces attacked near X, but were repelled
    by Ukrainian forces"). Ground fighting always has two sides; shelling or a
    strike may have none."""
    if actor is None or actor.country is None:
        return None
    sides = [
        a
        for a in actors
        if a.code
        and a.sector in ARMED_SECTORS
        and a.country is not None
        and a.code != actor.code
        and (a.country != actor.country or "REB" in (a.sector, actor.sector))
    ]
    return next(iter(by_distance(sides, *trig)), None)


def _path_to(token: Token, top: Token) -> list[Token]:
    """The token and its heads up to ``top`` (inclusive)."""
    path = [token]
    while path[-1].i != top.i and path[-1].head.i != path[-1].i and len(path) < 8:
        path.append(path[-1].head)
    return path


def _negates(child: Token, anchor: Token) -> bool:
    """A negation word under the path to the trigger; "without" only when the trigger
    is inside it ("a day without shelling", not "withdrew without a fight")."""
    if child.dep_ == "neg":
        return True
    if child.lower_ == "without":
        return any(t.i == anchor.i for t in child.subtree)
    return child.lower_ in NEG_WORDS


def is_negated(anchor: Token) -> bool:
    """A `neg` child, "no"/"never", "yet to", a governing deny/fail/"no sign of", or
    "without" over the trigger ("a day without shelling"; not "withdrew without a
    fight")."""
    verb = clause_head(anchor)
    if verb.head.lower_ == "without" and verb.head.i != verb.i:  # "a day without shelling"
        return True
    for tok in _path_to(anchor, verb):
        if any(_negates(c, anchor) for c in tok.children):
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


def sentence_mentions(mentions: Mentions, sent: SpacySpan):
    """The mentions of each kind inside one sentence."""
    return (
        in_sentence(mentions.actors, sent),
        in_sentence(mentions.places, sent),
        in_sentence(mentions.times, sent),
        in_sentence(mentions.quantities, sent),
        in_sentence(mentions.equipment, sent),
    )
