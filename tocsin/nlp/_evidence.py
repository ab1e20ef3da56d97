"""What kind of speaker, and what evidence the text offers for a claim.

Speaker types: ``author``, ``government``, ``military``, ``international_org``,
``official_anonymous``, ``media``, ``osint_group``, ``analyst``, ``other``.
Head nouns decide first (an analyst, a monitoring group, a source), then the
sector of the speaker's actor code (``data/claims.yaml``: ``sector_types``);
an unnamed official ("a U.S. official", coded with name ``anonymous``) is
``official_anonymous``.

Evidence kinds: ``official_statement``, ``video``, ``satellite_imagery``,
``anonymous_source``, ``railway_schedules``, ``social_media``,
``media_report``, ``none``. Cues are phrases of the claim's sentence; the
speaker adds its own kind (a ministry's word is an official statement, an
anonymous official is an anonymous source, a news outlet is a media report).
A video or image whose release verb has the speaker (or the speaker's party) as
its subject or modifier is marked ``own``: it is still only that party's
evidence, and the linker does not count it as an independent source.
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan

from tocsin.models import Actor, Evidence, Span
from tocsin.nlp._lexicon import find_phrases, load_lexicon

STATEMENT_TYPES = frozenset({"government", "military", "international_org"})
OWN_KINDS = frozenset({"video", "satellite_imagery", "social_media"})


def party(code: str | None) -> str | None:
    """The party of an actor code: its country (``RUS:MIL`` -> ``RUS``) or the body."""
    if not code:
        return None
    return code.split(":", 1)[0]


def speaker_type(text: str, actor: Actor | None, anonymous: bool) -> str:
    """The type of a speaker phrase (see the module docstring)."""
    lex = load_lexicon()
    lower = text.lower()
    words = set(lower.replace("'s", " ").split())
    words |= {w[:-1] for w in words if w.endswith("s")}
    for kind, nouns in lex.speaker_nouns.items():
        if words & set(nouns) or find_phrases(lower, nouns):
            return kind
    media_actor = actor is not None and actor.sector == "MED"
    uncoded = actor is None or actor.sector in (None, "MED")
    if media_actor or (words & lex.media_words and uncoded):
        return "media"
    if anonymous or (actor is not None and actor.name == "anonymous"):
        return "official_anonymous"
    if actor is not None and actor.sector:
        return lex.sector_types.get(actor.sector, "other")
    if actor is not None and actor.code and ":" not in actor.code and actor.country:
        return "government"  # a country speaking: "Russia said"
    if actor is not None and actor.code:
        return "international_org"
    return "other"


def _released_by(sent: SpacySpan, cue_start: int, actors: list[Actor]) -> Actor | None:
    """The actor that released the evidence named at ``cue_start``, if the text says."""
    cue = next((t for t in sent if t.idx <= cue_start < t.idx + len(t)), None)
    if cue is None:
        return None
    lex = load_lexicon()
    heads = [cue, cue.head, cue.head.head]
    ranges: list[tuple[int, int]] = []
    for child in cue.children:  # "a Defence Ministry video", "the ministry's video"
        if child.dep_ in {"compound", "poss", "nmod"}:
            ranges.append((child.left_edge.idx, child.idx + len(child)))
    for h in heads:
        if h.lemma_.lower() in lex.release_verbs:
            if h.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in h.children):
                h = h.head  # "the ministry said ... and released a video"
            for child in h.children:
                if child.dep_ in {"nsubj", "agent"}:
                    sub = child if child.dep_ == "nsubj" else next(iter(child.children), child)
                    ranges.append((sub.left_edge.idx, sub.right_edge.idx + len(sub.right_edge)))
    for start, end in ranges:
        for a in actors:
            if a.start < end and start < a.end:
                return a
    return None


def find_evidence(
    sent: SpacySpan,
    speaker_kind: str,
    speaker_actor: Actor | None,
    actors: list[Actor],
    cite: Span | None,
) -> tuple[Evidence, ...]:
    """Evidence offered for a claim in ``sent`` (never empty: ``none`` if nothing).

    ``cite`` is the span that carries the speaker's own word (the reporting verb,
    or the speaker phrase after "according to"): implied evidence points to it.
    """
    lex = load_lexicon()
    text = sent.text
    base = sent.start_char
    found: list[Evidence] = []
    seen: set[str] = set()
    for kind, phrases in lex.evidence.items():
        for _phrase, start, end in find_phrases(text, phrases):
            if kind in seen:
                break
            if kind == "media_report" and speaker_kind == "author":
                continue
            by = _released_by(sent, base + start, actors) if kind in OWN_KINDS else None
            own = bool(
                by is not None
                and speaker_actor is not None
                and party(by.code) is not None
                and party(by.code) == party(speaker_actor.code)
            )
            found.append(
                Evidence(
                    start=base + start,
                    end=base + end,
                    text=text[start:end],
                    kind=kind,
                    by=(by.code or by.text) if by is not None else None,
                    own=own,
                )
            )
            seen.add(kind)
    implied = {
        "official_anonymous": "anonymous_source",
        "media": "media_report",
    }.get(speaker_kind)
    if speaker_kind in STATEMENT_TYPES and cite is not None:
        implied = "official_statement"
    if implied and implied not in seen and cite is not None:
        found.insert(0, Evidence(start=cite.start, end=cite.end, text=cite.text, kind=implied))
    if not found:
        found.append(Evidence(start=base, end=base, text="", kind="none"))
    return tuple(found)
