"""PLOVER-coded events from a parsed document and its mentions.

``extract_events(doc, doc_id, mentions)`` works sentence by sentence:

1. **Triggers** (``_triggers``): words of the lexicon in ``data/plover.yaml`` are
   found by lemma and dependency role. A verb trigger heads the event clause; a
   noun trigger ("strike", "talks", "withdrawal", "build-up") counts only after a
   light verb ("held talks"), as a subject or headline root, after
   in/during/after/amid, with a possessor, or after "sign/evidence of". Multiword
   phrases beat verbs whose object names the type ("send troops"), which beat
   plain verbs, which beat nouns; each token, each anchor (trigger head) and each
   (type, clause) gives at most one event. Several events per sentence are allowed.
   Reporting verbs (say, tell, announce) are not in the lexicon: the event is the
   reported clause; "X said Y must Z" is a DEMAND. Triggers in the complement of an
   AGREE/THREATEN/DEMAND/REJECT/CONCEDE/PROTEST trigger belong to it ("refused to
   withdraw" is one REJECT). Future-tense aid, cooperation, meetings and retreat
   are AGREE, as the PLOVER manual codes intentions; "will not agree" is REJECT;
   future or "unless"-conditioned conflict is THREATEN; force an actor prepares
   for ("prepared to resume shelling") is MOBILIZE.
2. **Arguments** (``_event_args``, ``_event_place``, ``_event_mode``):
   - actor: the actor mention covering the trigger's subject (nsubj, or the agent
     "by X" of a passive, wherever the parser hung it; for a noun trigger its
     possessor or modifier, or the first side of "between X and Y"), climbing
     conjoined and xcomp verbs; the first of two sides named together ("Russian
     and Ukrainian forces clashed"); else the nearest actor left of the trigger;
     else the nearest armed actor or weapon of the sentence that is not the
     patient or object; "X came under fire from Y": Y;
   - target: the actor mention in the object (or passive subject) or in an
     against/on/at/with/to/of/between phrase ("came under fire": the subject);
     for ground fighting, small-arms fire or a use of force with no mode and no
     such target, the nearest armed actor of the sentence from another country (or
     rebels against the state's forces);
   - place: a place attached to the clause by in/near/at/into/from/across... or
     as its object, else the nearest place in the sentence; places that are not
     the target first;
   - time: the time mention of the sentence nearest to the trigger, else None (the
     store may fall back to the publication date and must say so);
   - quantities and equipment: those of the sentence, nearest to the trigger first;
   - mode: the verb and its object ("shot down a drone"), trigger words, words of
     the doer ("Russian drones struck"), dominant words, the nearest equipment
     class, then mode words in the sentence (see the YAML header).
3. **Polarity**: negated for a `neg` child, "no"/"never", "yet to", or a governing
   deny/fail or "no sign of"; hedged for could/may/might/would, allegedly,
   reportedly, apparently, claimed, appears/seems to, "if true", "unconfirmed".

Codes: quad and CAMEO cue category from the ontology (the mode can refine CAMEO:
ASSAULT is 19 for military force, 18 for bombings, abductions, assassinations),
ACLED event and sub-event type from the (type, mode) pair (a capture of territory:
"Government regains territory" when a state's own forces take ground at home,
else "Non-state actor overtakes territory"; shooting or killing civilians with no
heavier weapon named: "Violence against civilians / Attack"). ``Event.id`` is a stable
16-hex hash of (doc_id, trigger start, type).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from tocsin.models import Actor, Event, Mentions, Place, Span
from tocsin.nlp._doc import doc_text
from tocsin.nlp._event_args import (
    by_distance,
    find_actor,
    find_opponent,
    find_target,
    is_hedged,
    is_negated,
    sentence_mentions,
)
from tocsin.nlp._event_mode import pick_mode
from tocsin.nlp._event_place import find_place
from tocsin.nlp._ontology import (
    acled_types,
    cameo_of,
    load_ontology,
    normalise_type,
    plover_types,
    quad_of,
)
from tocsin.nlp._triggers import MAX_GAP, Candidate, select_candidates

MOVES_OBJECT = frozenset({"MOBILIZE", "RETREAT", "AID"})
GROUND_MODES = frozenset({"clash", "capture", "firearms"})  # ground fighting: two sides
STATE_SECTORS = frozenset({"MIL", "GOV", "COP"})
DIRECT_MODES = frozenset({None, "firearms"})  # force used at close range, or not said


def capture_sub_event(actor: Actor | None, place: Place | None) -> str:
    """ACLED's sub-event of a capture of territory: "Government regains territory"
    when the state's own forces take ground in their own country, else "Non-state
    actor overtakes territory" (ACLED counts a foreign army as non-state there)."""
    own = (
        actor is not None
        and actor.sector in STATE_SECTORS
        and place is not None
        and actor.country is not None
        and actor.country == place.country
    )
    return "Government regains territory" if own else "Non-state actor overtakes territory"


__all__ = [
    "acled_types",
    "cameo_of",
    "event_id",
    "extract_events",
    "normalise_type",
    "plover_types",
    "quad_of",
]


def event_id(doc_id: str, trigger_start: int, type_: str) -> str:
    """A stable 16-hex-digit id for the event of this type at this trigger."""
    key = f"{doc_id}\x1f{trigger_start}\x1f{type_}".encode()
    return hashlib.sha256(key).hexdigest()[:16]


def _span(text: str, start: int, end: int) -> Span:
    """A span with surrounding white space trimmed (sentences end in newlines)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start=start, end=end, text=text[start:end])


def _code_event(
    doc: Doc,
    doc_id: str,
    sent: SpacySpan,
    cand: Candidate,
    mentions: Mentions,
    others: frozenset[int],
    text: str,
) -> Event:
    """Build the Event of one selected trigger (``others``: tokens of other triggers;
    ``text``: the document text, read once)."""
    spec = load_ontology().types[cand.type]
    anchor = doc[cand.anchor]
    span_tokens = doc[cand.start : cand.end]
    trig = (span_tokens[0].idx, span_tokens[-1].idx + len(span_tokens[-1]))
    # the words that name the mode: the trigger's own ("fired from ... on": not the
    # gap), with a noun trigger's modifiers ("ground attacks", "drone strikes")
    trigger_tokens = list(span_tokens)
    if len(trigger_tokens) > len(cand.token_ids) + MAX_GAP:
        trigger_tokens = [doc[i] for i in sorted(cand.token_ids)]
    if anchor.pos_ in ("NOUN", "PROPN"):
        trigger_tokens += [c for c in anchor.children if c.dep_ in ("compound", "amod")]
    actors, places, times, quantities, equipment = sentence_mentions(mentions, sent)
    actor = find_actor(anchor, trig, actors)
    target = find_target(anchor, actor, actors, places, cand.type in MOVES_OBJECT)
    mode = pick_mode(spec, trigger_tokens, sent, equipment, trig, others - cand.token_ids, anchor)
    if target is None and cand.type == "ASSAULT" and (mode is None or mode in GROUND_MODES):
        target = find_opponent(trig, actor, actors)
    acled_event, acled_sub = acled_types(cand.type, mode)
    place = find_place(anchor, trig, places, target)
    if mode == "capture":
        acled_sub = capture_sub_event(actor, place)
    elif cand.type == "ASSAULT" and mode in DIRECT_MODES and target and target.sector == "CVL":
        # shooting or killing civilians at close range is not a battle: ACLED codes
        # it violence against civilians (shelling them stays remote violence)
        acled_event, acled_sub = "Violence against civilians", "Attack"
    near_times = by_distance(times, *trig)
    return Event(
        id=event_id(doc_id, trig[0], cand.type),
        doc_id=doc_id,
        type=cand.type,
        mode=mode,
        quad=spec.quad,
        cameo=cameo_of(cand.type, mode),
        acled_event_type=acled_event,
        acled_sub_event_type=acled_sub,
        trigger=_span(text, *trig),
        sentence=_span(text, sent.start_char, sent.end_char),
        actor=actor,
        target=target,
        place=place,
        time=near_times[0] if near_times else None,
        quantities=tuple(by_distance(quantities, *trig)),
        equipment=tuple(by_distance(equipment, *trig)),
        negated=is_negated(anchor),
        hedged=is_hedged(anchor, sent),
    )


@lru_cache(maxsize=1)
def trigger_lexicon() -> tuple[frozenset[str], dict[str, tuple[frozenset[str], ...]]]:
    """Single trigger words, and multiword triggers indexed by their first word
    (each as the set of its words, gaps left out)."""
    words: set[str] = {"must"}
    phrases: dict[str, set[frozenset[str]]] = {}
    for spec in load_ontology().types.values():
        words |= spec.verbs | spec.nouns | set(spec.verbs_with_object)
        for phrase in spec.phrases:
            parts = [w.lower() for w in phrase if w != "*"]
            if len(parts) == 1:
                words.add(parts[0])
            elif parts:
                phrases.setdefault(parts[0], set()).add(frozenset(parts))
    return frozenset(w.lower() for w in words), {k: tuple(v) for k, v in phrases.items()}


_VERDICTS = "tocsin.could_hold_event"


def could_hold_event(sent: SpacySpan) -> bool:
    """True when the sentence holds a trigger word, or all the words of a multiword
    trigger (as lemma, form, or form less a plural ending): only such sentences
    can hold an event, so only they need the dependency parser.

    The answer is kept in ``doc.user_data`` by sentence bounds: ``annotate`` asks
    before the parse and ``extract_events`` after it, and the words it reads
    (lemmas, forms, norms) are the same both times."""
    verdicts = sent.doc.user_data.setdefault(_VERDICTS, {})
    key = (sent.start, sent.end)
    if key not in verdicts:
        verdicts[key] = _holds_trigger_words(sent)
    return bool(verdicts[key])


def _holds_trigger_words(sent: SpacySpan) -> bool:
    words, phrases = trigger_lexicon()
    keys: set[str] = set()
    for t in sent:
        lower = t.lower_
        keys.update((t.lemma_.lower(), lower, t.norm_, lower[:-1], lower[:-2]))
    if not keys.isdisjoint(words):
        return True
    return any(p <= keys for first in keys & phrases.keys() for p in phrases[first])


def extract_events(doc: Doc, doc_id: str, mentions: Mentions) -> list[Event]:
    """PLOVER events of a parsed document, in text order (see the module docstring)."""
    events: list[Event] = []
    text = doc_text(doc)
    for sent in doc.sents:
        if not could_hold_event(sent):
            continue
        selected = select_candidates(sent)
        taken = frozenset(i for c in selected for i in c.token_ids)
        for cand in selected:
            events.append(_code_event(doc, doc_id, sent, cand, mentions, taken, text))
    return events
