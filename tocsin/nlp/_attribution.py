"""Who says it: the speaker, the relay and the reporting verb of an event's clause.

``attribute(anchor, sent, ...)`` looks, in order, for

1. a reporting verb above the event on its dependency path ("X said that Y
   withdrew"), or hanging after it ("Y withdrew, X said"; "Y withdrew, X was
   quoted as saying");
2. "according to X" in the sentence;
3. for a sentence inside an open quotation with no reporting verb of its own,
   the reporting clause of the same paragraph that carries the quotation.

The speaker is the subject of the reporting verb (the agent of a passive; the
object of "cite/quote X as saying", whose subject is then the relay). A media
speaker with an "according to X" in the same sentence becomes the relay of X
("CBS News reports ..., according to a U.S. official"); a media speaker of an
outer reporting verb is the relay of an inner one. No attribution means the
article speaks in its own voice: the speaker is the author.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from tocsin.nlp._doc import doc_sents, doc_text, sentence_start
from tocsin.nlp._lexicon import load_lexicon

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
TAIL_DEPS = frozenset({"conj", "parataxis", "advcl", "ccomp"})
CITE_VERBS = frozenset({"cite", "quote"})
SPEAKER_KEEP = frozenset(
    {"det", "amod", "compound", "poss", "case", "nummod", "prep", "pobj", "cc", "conj"}
    | {"nmod", "flat", "quantmod", "advmod", "npadvmod"}
)
REPORT_NOUNS = frozenset(
    {"claim", "statement", "announcement", "assertion", "denial", "allegation", "assurance"}
)
QUOTES = frozenset({'"', "“", "”", "«", "»"})


@dataclass(frozen=True)
class Attribution:
    """The reporting clause of a claim (token indices into the Doc)."""

    speaker: tuple[int, int] | None  # token range [start, end) of the speaker phrase
    relay: tuple[int, int] | None
    verb: int | None  # the reporting verb token
    denial: bool = False  # the speaker denies the content ("X denied that ...")


def phrase_range(head: Token) -> tuple[int, int]:
    """Token range of a noun phrase without its appositions and relative clauses."""
    start, end = head.i, head.i + 1
    stack = [head]
    while stack:
        tok = stack.pop()
        for child in tok.children:
            if child.dep_ in SPEAKER_KEEP and not (child.is_punct or child.text in QUOTES):
                start = min(start, child.left_edge.i if child.i < head.i else child.i)
                end = max(end, child.i + 1)
                stack.append(child)
    while end - 1 > start and head.doc[end - 1].dep_ in {"cc", "case"}:
        end -= 1
    return start, end


def is_reporting(token: Token) -> bool:
    """A reporting verb ("said"), or a reporting noun with a possessor ("Moscow's claim")."""
    lemma = token.lemma_.lower()
    if token.pos_ == "NOUN":
        return lemma in REPORT_NOUNS and _child(token, {"poss"}) is not None
    return token.pos_ in {"VERB", "AUX"} and lemma in load_lexicon().reporting_verbs


def _preceding_np(verb: Token) -> Token | None:
    """The head of a noun phrase just before ``verb`` (", the secretary general said")."""
    j = verb.i - 1
    first = sentence_start(verb.doc, verb.i)
    if j < first or verb.doc[j].pos_ not in {"NOUN", "PROPN"}:
        return None
    k = j
    while k - 1 >= first and not verb.doc[k - 1].is_punct:
        k -= 1
    if k == first or verb.doc[k - 1].text not in {",", "—", "–"}:
        return None
    return verb.doc[j]


def _child(token: Token, deps: frozenset[str] | set[str]) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def _agent(token: Token) -> Token | None:
    agent = _child(token, {"agent"})
    return _child(agent, {"pobj"}) if agent is not None else None


def speaker_of(verb: Token) -> tuple[Token | None, Token | None, Token]:
    """(speaker head, relay head, verb that carries them) of a reporting verb."""
    if verb.pos_ == "NOUN":
        return _child(verb, {"poss"}), None, verb
    governor = verb
    if _child(verb, SUBJECT_DEPS) is None and verb.dep_ in {"pcomp", "xcomp", "advcl"}:
        up = verb.head.head if verb.head.lower_ == "as" else verb.head
        if up.lemma_.lower() in CITE_VERBS:
            governor = up
    if governor is verb and verb.lemma_.lower() == "cite":
        return None, None, verb  # "citing videos": evidence, not a speaker
    if governor.lemma_.lower() in CITE_VERBS:
        passive = _child(governor, {"nsubjpass"})
        if passive is not None:
            return passive, _agent(governor), governor
        obj = _child(governor, {"dobj"})
        if obj is not None:
            return obj, _child(governor, {"nsubj"}), governor
    subject = _child(governor, {"nsubj", "csubj"})
    if subject is None:
        subject = _agent(governor) or _child(governor, {"nsubjpass"})
    if subject is None and governor.dep_ == "conj":
        subject = _child(governor.head, {"nsubj"})  # "X beat the drum and claimed ..."
    if subject is None:
        subject = _preceding_np(governor)
    if subject is not None and (
        subject.pos_ not in {"NOUN", "PROPN", "PRON"} or subject.lower_ in {"'s", "’s", "it"}
    ):
        subject = None
    relay = None
    if governor.lemma_.lower() == "tell":
        relay = _child(governor, {"dobj", "dative"})
    return subject, relay, governor


def _path(anchor: Token, limit: int = 10) -> list[Token]:
    """The anchor's ancestors inside its sentence, nearest first."""
    out: list[Token] = []
    tok = anchor
    while tok.head.i != tok.i and len(out) < limit:
        tok = tok.head
        out.append(tok)
    return out


def _tail_verb(anchor: Token, path: list[Token]) -> Token | None:
    """A reporting verb hanging after the event clause: "Y withdrew, X said"."""
    for node in [anchor, *path]:
        for child in node.children:
            tail = child.i > anchor.i and child.dep_ in TAIL_DEPS
            if tail and is_reporting(child) and child not in path:
                return child
    return None


def _according_to(sent: SpacySpan) -> Token | None:
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.nbor().lower_ == "to":
            obj = _child(tok.nbor(), {"pobj"})
            if obj is not None:
                return obj
    return None


def _range(tok: Token | None) -> tuple[int, int] | None:
    return phrase_range(tok) if tok is not None else None


def attribute(
    anchor: Token, sent: SpacySpan, is_media: Callable[[tuple[int, int] | None], bool]
) -> Attribution | None:
    """The attribution of the clause headed by ``anchor`` in ``sent``, or None.

    ``is_media(token_range)`` says whether a phrase names a news outlet.
    """
    lex = load_lexicon()
    path = [t for t in _path(anchor) if t.sent == sent]
    verbs = [t for t in path if is_reporting(t)]
    tail = _tail_verb(anchor, path)
    if tail is not None and (not verbs or verbs[0].i > tail.i or verbs[0] == sent.root):
        verbs.insert(0, tail)
    according = _according_to(sent)
    speaker = relay = None
    verb = None
    for v in verbs:
        s, r, gov = speaker_of(v)
        if s is None:
            continue
        speaker, relay, verb = _range(s), _range(r), gov
        outer = [u for u in verbs if u is not v and u.i != gov.i]
        if relay is None and outer:
            o_speaker = speaker_of(outer[0])[0]
            if o_speaker is not None and is_media(_range(o_speaker)):
                relay = _range(o_speaker)
        break
    if according is not None:
        acc = _range(according)
        if speaker is None:
            speaker = acc
        elif is_media(speaker) and acc is not None and not is_media(acc):
            speaker, relay = acc, speaker
    if speaker is None:
        return None
    if relay is not None and not is_media(relay):
        relay = None
    denial = any(v.lemma_.lower() in lex.denial_verbs for v in verbs[:1])
    return Attribution(speaker=speaker, relay=relay, verb=verb.i if verb else None, denial=denial)


def inside_quote(sent: SpacySpan) -> bool:
    """True when the sentence opens or continues a quotation it does not close."""
    text = doc_text(sent.doc)
    para_start = text.rfind("\n", 0, sent.start_char) + 1
    before = text[para_start : sent.start_char]
    n_before = sum(before.count(q) for q in ('"', "“", "”"))
    opens = sent.text.lstrip()[:1] in {'"', "“"}
    return n_before % 2 == 1 or opens


def paragraph_attribution(
    sent: SpacySpan, found: dict[int, Attribution], max_gap: int = 3
) -> Attribution | None:
    """The attribution of a nearby sentence of the same paragraph (quote carried on).

    ``found`` maps a sentence start token to the attribution found in it.
    """
    sents = doc_sents(sent.doc)
    idx = next(i for i, s in enumerate(sents) if s.start == sent.start)
    for step in range(1, max_gap + 1):
        for j in (idx + step, idx - step):
            if not 0 <= j < len(sents):
                continue
            other = sents[j]
            between = doc_text(sent.doc)[
                min(sent.end_char, other.end_char) : max(sent.start_char, other.start_char)
            ]
            if "\n\n" in between:
                continue
            if other.start in found:
                return found[other.start]
    return None
