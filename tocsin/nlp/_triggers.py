"""Find PLOVER trigger words in one sentence and keep at most one event per trigger.

Candidates come from four sources, in order of strength: multiword phrases,
verbs whose object names the type ("send troops"), plain verbs, and nouns in an
event position (after a light verb, as a subject, as a headline root ...). A
stronger candidate claims its tokens and its anchor (the syntactic head of the
trigger); weaker ones that overlap are dropped, as are two candidates of one type
in one clause. Triggers inside the complement of an AGREE/THREATEN/DEMAND/REJECT/
CONCEDE/PROTEST trigger are content, not events ("refused to withdraw" is one
REJECT). ``recode`` then applies the tense rules (future cooperation is AGREE,
future or "unless" conflict is THREATEN, force prepared for is MOBILIZE).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from tocsin.nlp._ontology import Ontology, Phrase, load_ontology

PARTICLES = frozenset(
    {"up", "back", "out", "off", "down", "in", "over", "away", "into", "on"}
    | {"upon", "for", "with", "of", "at", "to"}
)
OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "attr", "oprd", "obj"})
NOUN_PREPS = frozenset({"in", "during", "after", "amid", "amidst", "following", "despite"})
EVIDENCE_NOUNS = frozenset({"sign", "evidence", "indication", "report", "proof", "trace", "hint"})
EMBED_DEPS = frozenset({"xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj", "acl", "advcl"})
RANKS = {"must": -1, "phrase": 0, "object": 1, "verb": 2, "noun": 3}
MAX_GAP = 4
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
FUTURE_AUX = frozenset({"will", "shall", "would", "'ll", "wo"})


@dataclass(frozen=True)
class Candidate:
    """A trigger found in a sentence: its type, tokens (doc indices) and anchor."""

    type: str
    kind: str  # must, phrase, object, verb, noun
    start: int  # first token index (doc)
    end: int  # last token index + 1
    anchor: int  # index of the head token of the trigger
    token_ids: frozenset[int]


@lru_cache(maxsize=1)
def _phrase_index() -> dict[str, list[tuple[str, Phrase]]]:
    """Phrases of every type, indexed by their first word."""
    index: dict[str, list[tuple[str, Phrase]]] = defaultdict(list)
    for spec in load_ontology().types.values():
        for phrase in spec.phrases:
            index[phrase[0]].append((spec.name, phrase))
    return dict(index)


def word_matches(word: str, token: Token) -> bool:
    """True when a lexicon word names this token (by lemma or lower-case form, or a
    regular inflection the lemmatiser missed: "raped" lemmatised as "rap")."""
    return word in match_forms(token)


def match_forms(token: Token) -> frozenset[str]:
    """Every lexicon word that names the token (see ``word_matches``): its lemma,
    lower-case form and norm, and its form less a regular "-s", "-es", "-d", "-ed"."""
    lower = token.lower_
    forms = {token.lemma_.lower(), lower, token.norm_}
    if lower.endswith(("s", "d")):
        forms.add(lower[:-1])
    if lower.endswith(("es", "ed")):
        forms.add(lower[:-2])
    return frozenset(forms)


@dataclass(frozen=True)
class _SentenceView:
    """A sentence's tokens without hyphens ("build-up" reads "build up"), each with
    its match forms and punctuation flag, and where each form occurs: built once per
    sentence, since every phrase of the lexicon is matched against it."""

    tokens: tuple[Token, ...]
    forms: tuple[frozenset[str], ...]
    punct: tuple[bool, ...]
    starts: dict[str, tuple[int, ...]]
    verbs: dict[str, tuple[Token, ...]]  # the sentence's VERB tokens by lower-case lemma


@lru_cache(maxsize=32)
def _view(sent: SpacySpan) -> _SentenceView:
    tokens = tuple(t for t in sent if not (t.is_punct and t.text in {"-", "–", "‐"}))
    forms = tuple(match_forms(t) for t in tokens)
    starts: dict[str, list[int]] = defaultdict(list)
    for pos, token_forms in enumerate(forms):
        for form in token_forms:
            starts[form].append(pos)
    verbs: dict[str, list[Token]] = defaultdict(list)
    for t in sent:
        if t.pos_ == "VERB":
            verbs[t.lemma_.lower()].append(t)
    return _SentenceView(
        tokens,
        forms,
        tuple(t.is_punct for t in tokens),
        {k: tuple(v) for k, v in starts.items()},
        {k: tuple(v) for k, v in verbs.items()},
    )


def _match_from(view: _SentenceView, pos: int, phrase: Phrase) -> list[int] | None:
    """Match ``phrase`` at token ``pos`` of the view; return the positions of matched words."""
    if not phrase:
        return []
    word, rest = phrase[0], phrase[1:]
    if word == "*":
        for gap in range(MAX_GAP + 1):
            if any(view.punct[p] for p in range(pos, min(pos + gap, len(view.tokens)))):
                break
            found = _match_from(view, pos + gap, rest)
            if found is not None:
                return found
        return None
    if pos >= len(view.tokens) or word not in view.forms[pos]:
        return None
    found = _match_from(view, pos + 1, rest)
    return None if found is None else [pos, *found]


def sentence_keys(sent: SpacySpan) -> frozenset[str]:
    """Every form a lexicon word could match in the sentence (for a quick reject)."""
    keys: set[str] = set()
    for t in sent:
        lower = t.lower_
        keys.update((t.lemma_.lower(), lower, t.norm_, lower[:-1], lower[:-2]))
    return frozenset(keys)


def find_phrase(
    sent: SpacySpan, phrase: Phrase, keys: frozenset[str] | None = None
) -> Iterator[list[Token]]:
    """Every match of a lexicon phrase in the sentence, as its matched tokens.
    ``keys`` (from ``sentence_keys``) lets absent phrases be skipped quickly."""
    if keys is not None and phrase[0] not in keys:
        return
    yield from _view_matches(_view(sent), phrase)


def _view_matches(view: _SentenceView, phrase: Phrase) -> Iterator[list[Token]]:
    """``find_phrase`` on a sentence's view."""
    for pos in view.starts.get(phrase[0], ()):
        found = _match_from(view, pos, phrase)
        if found is not None:
            yield [view.tokens[p] for p in found]
    if len(phrase) == 2 and phrase[1] in PARTICLES:
        for token in view.verbs.get(phrase[0], ()):
            for child in token.rights:  # "fired on X", never "On <date>, ... fired"
                if child.dep_ in ("prt", "advmod", "prep") and child.lower_ == phrase[1]:
                    yield [token, child]


def phrase_head(tokens: list[Token]) -> Token:
    """The matched token highest in the parse (a verb preferred)."""
    ids = {t.i for t in tokens}
    tops = [t for t in tokens if t.head.i not in ids or t.head.i == t.i] or tokens
    verbs = [t for t in tops if t.pos_ in ("VERB", "AUX")]
    return (verbs or tops)[0]


def _candidate(type_: str, kind: str, tokens: list[Token], anchor: Token) -> Candidate:
    return Candidate(
        type=type_,
        kind=kind,
        start=min(t.i for t in tokens),
        end=max(t.i for t in tokens) + 1,
        anchor=anchor.i,
        token_ids=frozenset(t.i for t in tokens),
    )


def object_lemmas(verb: Token) -> set[str]:
    """Lemmas of a verb's objects (and their compounds and conjuncts)."""
    found: set[str] = set()
    stack = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
    for prep in (c for c in verb.children if c.dep_ == "prep"):
        stack.extend(c for c in prep.children if c.dep_ == "pobj" and prep.lower_ == "of")
    while stack:
        tok = stack.pop()
        found.update({tok.lemma_.lower(), tok.lower_})
        stack.extend(c for c in tok.children if c.dep_ in ("conj", "compound", "appos"))
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
            stack.extend(p for p in prep.children if p.dep_ == "pobj")
    return found


def noun_in_event_position(token: Token, light_verbs: frozenset[str]) -> bool:
    """Whether a noun trigger names an event here (not a modifier or a mere topic)."""
    dep, head = token.dep_, token.head
    if dep in ("compound", "amod", "nmod", "npadvmod"):
        return False
    if dep == "conj":
        return noun_in_event_position(head, light_verbs)
    if dep == "ROOT" or (dep in ("nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX")):
        return True
    if any(c.dep_ == "poss" for c in token.children):
        return True
    if dep in ("dobj", "attr", "oprd") and head.lemma_.lower() in light_verbs:
        return True
    if dep == "attr" and any(c.dep_ == "expl" for c in head.children):
        return True  # "there was an armed clash near X"
    if dep == "pobj":
        prep = head.lower_
        if prep in NOUN_PREPS:
            return True
        if prep != "of":
            return False
        # "no sign of a withdrawal", "ten days of war games", "a wave of strikes"
        owner = head.head
        if owner.lemma_.lower() in EVIDENCE_NOUNS:
            return True
        return (
            owner.pos_ == "NOUN"
            and owner.i != token.i
            and noun_in_event_position(owner, light_verbs)
        )
    return False


def verb_lemma(token: Token) -> str:
    """The token's lemma; for a past form the lemmatiser got wrong ("raped" -> "rap"),
    the form less its "-d"/"-ed" when that is a lexicon verb."""
    lemma = token.lemma_.lower()
    lower = token.lower_
    if token.tag_ in ("VBD", "VBN") and lower.endswith("ed") and lemma not in _lexicon_verbs():
        for stem in (lower[:-1], lower[:-2]):
            if stem in _lexicon_verbs():
                return stem
    return lemma


@lru_cache(maxsize=1)
def _single_words() -> frozenset[str]:
    """Every verb, verb-with-object and noun of the lexicon (a token that is none of
    them cannot be a verb, object or noun trigger)."""
    words: set[str] = set()
    for spec in load_ontology().types.values():
        words |= set(spec.verbs) | set(spec.verbs_with_object) | set(spec.nouns)
    return frozenset(words)


@lru_cache(maxsize=1)
def _lexicon_verbs() -> frozenset[str]:
    ontology = load_ontology()
    return frozenset(v for spec in ontology.types.values() for v in spec.verbs)


def _in_subject(tokens: list[Token], head: Token) -> bool:
    """True when a matched word lies in the subject of the matched verb."""
    subject = {t.i for c in head.children if c.dep_ in SUBJECT_DEPS for t in c.subtree}
    return any(t.i in subject for t in tokens)


def _raw_candidates(sent: SpacySpan, ontology: Ontology) -> Iterator[Candidate]:
    seen: set[tuple[str, int, int]] = set()
    firsts = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    view = _view(sent)
    for first in firsts:
        for type_, phrase in _phrase_index().get(first, []):
            for tokens in _view_matches(view, phrase):
                key = (type_, tokens[0].i, tokens[-1].i)
                head = phrase_head(tokens)
                if key in seen or (
                    head.pos_ in ("NOUN", "PROPN")
                    and not noun_in_event_position(head, ontology.light_verbs)
                ):
                    continue
                if _in_subject(tokens, head):
                    continue  # "artillery struck" is a subject and its verb, not "artillery strike"
                seen.add(key)
                yield _candidate(type_, "phrase", tokens, head)
    lexicon = _single_words()
    for token in sent:
        lemma = verb_lemma(token)
        if lemma not in lexicon and token.lower_ not in lexicon:
            continue  # no type has this word: nothing below can match
        for spec in ontology.types.values():
            if token.pos_ == "VERB" and lemma in spec.verbs_with_object:
                if object_lemmas(token) & spec.verbs_with_object[lemma]:
                    yield _candidate(spec.name, "object", [token], token)
            elif token.pos_ == "VERB" and lemma in spec.verbs and token.dep_ != "amod":
                yield _candidate(spec.name, "verb", [token], token)
            elif (
                token.pos_ in ("NOUN", "PROPN")
                and (lemma in spec.nouns or token.lower_ in spec.nouns)
                and noun_in_event_position(token, ontology.light_verbs)
            ):
                yield _candidate(spec.name, "noun", [token], token)


def _must_candidates(sent: SpacySpan, ontology: Ontology) -> Iterator[Candidate]:
    """ "X must do Y" as a statement or reported speech is a DEMAND."""
    for token in sent:
        if token.lemma_.lower() == "must" and token.dep_ == "aux":
            verb = token.head
            if verb.dep_ == "ROOT" or (
                verb.dep_ == "ccomp" and verb.head.lemma_.lower() in ontology.speech_verbs
            ):
                yield Candidate(
                    "DEMAND", "must", token.i, token.i + 1, verb.i, frozenset({token.i})
                )


def clause_head(token: Token) -> Token:
    """The verb whose clause holds the token (the token itself when it is a verb)."""
    current = token
    for _ in range(4):
        if current.pos_ in ("VERB", "AUX") or current.head.i == current.i:
            return current
        current = current.head
    return current


def _embedded_in(cand: Candidate, kept: dict[int, Candidate], doc_tokens: SpacySpan) -> bool:
    """True when the candidate sits in the complement of an embedding trigger."""
    ontology = load_ontology()
    token = doc_tokens.doc[cand.anchor]
    steps = 0
    while (token.dep_ in EMBED_DEPS or token.dep_ == "conj") and token.head.i != token.i:
        via_conj = token.dep_ == "conj"
        token = token.head
        steps += 1
        other = kept.get(token.i)
        if steps > 6:
            break
        if via_conj or other is None or other is cand:
            continue
        if other.type in ontology.embedding_types:
            return True
    return False


def select_candidates(sent: SpacySpan) -> list[Candidate]:
    """The triggers of one sentence: at most one per token and anchor, one per type
    and clause, none inside the complement of an embedding trigger."""
    ontology = load_ontology()
    pool = list(_must_candidates(sent, ontology)) + list(_raw_candidates(sent, ontology))
    pool.sort(key=lambda c: (RANKS[c.kind], -(c.end - c.start), c.start))
    taken: set[int] = set()
    anchors: dict[int, Candidate] = {}
    clauses: set[tuple[str, int]] = set()
    kept: list[Candidate] = []
    for cand in pool:
        clause = (cand.type, clause_head(sent.doc[cand.anchor]).i)
        if cand.token_ids & taken or cand.anchor in anchors or clause in clauses:
            continue
        taken |= cand.token_ids
        anchors[cand.anchor] = cand
        clauses.add(clause)
        kept.append(cand)
    governors = dict(anchors)
    for cand in kept:
        if cand.type in ontology.embedding_types:
            governors.setdefault(clause_head(sent.doc[cand.anchor]).i, cand)
    kept = [c for c in kept if not _embedded_in(c, governors, sent)]
    return sorted((recode(c, sent, ontology) for c in kept), key=lambda c: c.start)


def recode(cand: Candidate, sent: SpacySpan, ontology: Ontology) -> Candidate:
    """Apply the manual's tense and modality rules to a trigger's type:
    future cooperation -> AGREE, "will not agree" -> REJECT, future or "unless"
    conflict -> THREATEN, force one prepares for -> MOBILIZE."""
    verb = clause_head(sent.doc[cand.anchor])
    future = any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in verb.children)
    negated = any(c.dep_ == "neg" for c in verb.children)
    unless = any(
        c.dep_ == "advcl" and any(m.lower_ == "unless" for m in c.children) for c in verb.children
    )
    if cand.type in ontology.future_as_agree and unless:
        return replace(cand, type="THREATEN")
    if cand.type in ontology.future_as_agree and future and not negated:
        return replace(cand, type="AGREE")
    if cand.type == "AGREE" and future and negated:
        return replace(cand, type="REJECT")
    if cand.type in ontology.future_as_threaten and (future or unless) and not negated:
        return replace(cand, type="THREATEN")
    current = verb
    while cand.type == "ASSAULT" and current.dep_ == "xcomp" and current.head.i != current.i:
        current = current.head
        if current.lemma_.lower() in ontology.preparation_verbs:
            return replace(cand, type="MOBILIZE")
    return cand
