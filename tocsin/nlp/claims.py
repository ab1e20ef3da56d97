"""Claims: each event as asserted by a speaker, relayed by an outlet, on some evidence.

``extract_claims(doc, document, mentions, events)`` gives one :class:`Claim` per
event, in text order:

1. **Attribution** (``_attribution``): the reporting verb above or after the
   event, "according to X", or the reporting clause of a quotation carried over
   several sentences; a relay when a news outlet passes the words on ("Interfax
   cited the ministry as saying", "CBS News reports ..., according to a U.S.
   official"), also when the official follows the outlet's report in the
   next sentences. A definite or pronoun speaker ("the official", "he") takes the
   name of the last speaker with the same head noun (or the last speaker). No
   attribution: the article's own voice, speaker ``author``.
2. **Speaker type and evidence** (``_evidence``).
3. **Polarity and hedges** (``_polarity``).

A document without events gives no claims: nothing is invented. ``Claim.id``
is a stable 16-hex hash of the event id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from tocsin.models import Actor, Claim, Document, Event, Evidence, Mentions, Span
from tocsin.nlp._attribution import (
    QUOTES,
    Attribution,
    attribute,
    inside_quote,
    is_reporting,
    paragraph_attribution,
    phrase_range,
    speaker_of,
)
from tocsin.nlp._doc import doc_text
from tocsin.nlp._evidence import find_evidence, party, speaker_type
from tocsin.nlp._lexicon import find_phrases, load_lexicon
from tocsin.nlp._polarity import hedges, polarity

__all__ = ["Claim", "Evidence", "claim_id", "extract_claims"]

PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})
MEDIA_COMMON = frozenset(
    {"news", "agency", "newspaper", "broadcaster", "channel", "outlet", "television"}
    | {"radio", "reporter", "correspondent", "journalist", "media", "tv"}
)
RELAY_REACH = 600  # characters between an outlet's report and an official it relays
STRIP = " \t\n,;:" + "".join(QUOTES)


@dataclass(frozen=True)
class _Speaker:
    text: str
    actor: Actor | None
    kind: str
    head: str


def claim_id(event_id: str) -> str:
    """A stable 16-hex-digit id for the claim carrying this event."""
    return hashlib.sha256(f"claim\x1f{event_id}".encode()).hexdigest()[:16]


def _span(doc: Doc, start: int, end: int) -> Span:
    """A Span of character offsets, trimmed of spaces, commas and quote marks."""
    text = doc_text(doc)
    while start < end and text[start] in STRIP:
        start += 1
    while end > start and text[end - 1] in STRIP:
        end -= 1
    return Span(start=start, end=end, text=text[start:end])


def _tok_span(doc: Doc, rng: tuple[int, int]) -> Span:
    return _span(doc, doc[rng[0]].idx, doc[rng[1] - 1].idx + len(doc[rng[1] - 1]))


def _anchor(doc: Doc, event: Event) -> Token:
    """The syntactic head of the event's trigger."""
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    tokens = [t for t in span if event.trigger.start <= t.idx] if span is not None else []
    if not tokens:
        return span[0] if span is not None else doc[0]
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), tokens[0])


def _actor_in(actors: tuple[Actor, ...], span: Span) -> Actor | None:
    hits = [a for a in actors if a.start < span.end and span.start < a.end]
    return max(hits, key=lambda a: (a.code is not None, a.end - a.start)) if hits else None


class _Media:
    """Decides whether a token range names a news outlet."""

    def __init__(self, doc: Doc, actors: tuple[Actor, ...], outlet: str | None) -> None:
        self.doc, self.actors = doc, actors
        self.outlet = (outlet or "").lower()
        self.words = load_lexicon().media_words

    def __call__(self, rng: tuple[int, int] | None) -> bool:
        if rng is None:
            return False
        toks = self.doc[rng[0] : rng[1]]
        actor = _actor_in(self.actors, _tok_span(self.doc, rng))
        if actor is not None and actor.sector == "MED":
            return True
        if actor is not None and actor.sector not in (None, "MED"):
            return False
        if self.outlet and self.outlet in toks.text.lower():
            return True
        return any(
            t.lower_ in MEDIA_COMMON or (t.pos_ == "PROPN" and t.lower_ in self.words) for t in toks
        )


def _quote_range(doc: Doc, anchor: Token, sent: SpacySpan, verb: Token | None) -> Span:
    """The reported content: the verb's complement on the path, else the sentence."""
    if verb is None:
        return _span(doc, sent.start_char, sent.end_char)
    node = anchor
    while node.head.i != node.i and node.head.i != verb.i:
        node = node.head
    if node.head.i == verb.i and node.i != verb.i:
        return _span(doc, node.left_edge.idx, node.right_edge.idx + len(node.right_edge))
    left = min([verb.left_edge.i] + [c.left_edge.i for c in verb.children if c.dep_ == "nsubj"])
    if left > anchor.i:
        return _span(doc, sent.start_char, doc[left].idx)
    return _span(doc, doc[verb.right_edge.i].idx + len(verb.right_edge), sent.end_char)


def _sentence_attributions(doc: Doc, media: _Media) -> dict[int, Attribution]:
    """Attributions of sentences that hold a quotation mark (for quotes carried on)."""
    found: dict[int, Attribution] = {}
    text = doc_text(doc)
    for sent in doc.sents:
        sent_text = text[sent.start_char : sent.end_char]  # sent.text, without rebuilding it
        if not any(q in sent_text for q in QUOTES):
            continue
        for tok in sent:
            if is_reporting(tok):
                speaker, _relay, gov = speaker_of(tok)
                if speaker is not None and speaker.lower_ not in PRONOUNS:
                    att = attribute(tok, sent, media)
                    if att is None:
                        att = Attribution(speaker=phrase_range(speaker), relay=None, verb=gov.i)
                    found[sent.start] = att
                    break
    return found


def _first_person(doc: Doc, att: Attribution) -> bool:
    """True when the speaker is "we" or "I" (a quotation's speaker speaking)."""
    if att.speaker is None:
        return False
    return doc[att.speaker[0] : att.speaker[1]].text.lower() in {"we", "i", "us"}


class _Speakers:
    """Speakers met so far in a document, to resolve "the official" and "he"."""

    def __init__(self) -> None:
        self.seen: list[_Speaker] = []

    def resolve(self, doc: Doc, rng: tuple[int, int], actors: tuple[Actor, ...]) -> _Speaker:
        span = _tok_span(doc, rng)
        toks = doc[rng[0] : rng[1]]
        head = toks.root
        actor = _actor_in(actors, span)
        definite = toks[0].lower_ in {"the", "this", "that"}
        if head.lower_ in PRONOUNS or definite:
            same = [
                s
                for s in self.seen
                if s.head == head.lemma_.lower()
                and (
                    actor is None
                    or not actor.code
                    or s.actor is None
                    or party(s.actor.code) == party(actor.code)
                )
            ]
            pool = same if definite else self.seen
            if pool:
                return pool[-1]
        anonymous = bool(find_phrases(span.text, load_lexicon().anonymous_phrases)) or (
            toks[0].lower_ in {"a", "an", "two", "three", "several"}
            and head.lemma_.lower() in {"official", "source", "diplomat", "officer"}
        )
        kind = speaker_type(span.text, actor, anonymous)
        found = _Speaker(span.text, actor, kind, head.lemma_.lower())
        self.seen.append(found)
        return found


def extract_claims(
    doc: Doc, document: Document, mentions: Mentions, events: list[Event]
) -> list[Claim]:
    """The claim carrying each event of a parsed document (see the module docstring)."""
    if not events:
        return []
    media = _Media(doc, mentions.actors, document.outlet)
    quoted = _sentence_attributions(doc, media)
    speakers = _Speakers()
    claims: list[Claim] = []
    for event in sorted(events, key=lambda e: (e.trigger.start, e.id)):
        anchor = _anchor(doc, event)
        sent = anchor.sent
        att = attribute(anchor, sent, media)
        if inside_quote(sent) and (att is None or _first_person(doc, att)):
            carried = paragraph_attribution(sent, quoted)
            if carried is not None:
                att = carried if att is None else replace(att, speaker=carried.speaker)
        if att is not None and _first_person(doc, att) and not inside_quote(sent):
            att = None  # "I think ..." in the article's own voice
        claim = _build(doc, document, mentions, event, anchor, sent, att, speakers, media)
        claims.append(_carry_relay(claim, claims, sent.start))
    return claims


def _carry_relay(claim: Claim, before: list[Claim], sent_start: int) -> Claim:
    """An anonymous official right after a news outlet's report speaks through it.

    "CBS News reports that ... . Russia has moved ..., according to a U.S.
    official": the official's words come to the reader via CBS News.
    """
    if claim.speaker_type != "official_anonymous" or claim.reported_via is not None:
        return claim
    for prev in reversed(before[-6:]):
        near = claim.quote.start - prev.quote.end < RELAY_REACH
        if prev.speaker_type == "media" and prev.speaker_span is not None and near:
            return replace(claim, reported_via=prev.speaker, via_span=prev.speaker_span)
    return claim


def _build(
    doc: Doc,
    document: Document,
    mentions: Mentions,
    event: Event,
    anchor: Token,
    sent: SpacySpan,
    att: Attribution | None,
    speakers: _Speakers,
    media: _Media,
) -> Claim:
    verb = doc[att.verb] if att is not None and att.verb is not None else None
    if verb is not None and not sent.start <= verb.i < sent.end:
        verb = None  # the attribution of another sentence of the quotation
    speaker_span = via_span = None
    if att is not None and att.speaker is not None:
        who = speakers.resolve(doc, att.speaker, mentions.actors)
        if att.speaker[0] >= sent.start and att.speaker[1] <= sent.end:
            speaker_span = _tok_span(doc, att.speaker)
        if att.relay is not None and media(att.relay):
            via_span = _tok_span(doc, att.relay)
        speaker, kind, actor = who.text, who.kind, who.actor
    else:
        speaker, kind, actor = "author", "author", None
    verb_span = _span(doc, verb.idx, verb.idx + len(verb)) if verb is not None else None
    cite = verb_span or speaker_span
    evidence = find_evidence(sent, kind, actor, list(mentions.actors), cite)
    words = hedges(anchor, sent, verb)
    return Claim(
        id=claim_id(event.id),
        doc_id=document.id,
        event_id=event.id,
        type=event.type,
        speaker=speaker,
        speaker_type=kind,
        quote=_quote_range(doc, anchor, sent, verb),
        polarity=polarity(anchor, sent, verb, event.negated, att.denial if att else False),
        speaker_code=actor.code if actor is not None else None,
        speaker_span=speaker_span,
        reported_via=via_span.text if via_span is not None else None,
        via_span=via_span,
        verb=verb_span,
        hedged=bool(words) or event.hedged,
        hedges=words,
        evidence=evidence,
    )
