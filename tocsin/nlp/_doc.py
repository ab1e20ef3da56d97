"""Cached views of a parsed Doc that the extractors ask for many times.

spaCy rebuilds ``Doc.text`` from its tokens at every access and ``Doc.sents``
walks the whole parse, so per-mention calls cost O(length of the document)
each. These helpers compute them once per Doc (kept in ``doc.user_data``).
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span

_TEXT = "tocsin.text"
_SENTS = "tocsin.sents"
_SENT_STARTS = "tocsin.sent_starts"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return str(text)


def doc_sents(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, computed once (call after the parse is final)."""
    sents = doc.user_data.get(_SENTS)
    if sents is None:
        sents = doc.user_data[_SENTS] = list(doc.sents)
    return list(sents)


def sentence_start(doc: Doc, i: int) -> int:
    """``doc[i].sent.start`` by a binary search in the sentence starts, computed once
    (``Token.sent`` walks back token by token and builds two spans at every call).
    Call after the parse is final."""
    starts = doc.user_data.get(_SENT_STARTS)
    if starts is None:
        starts = doc.user_data[_SENT_STARTS] = [s.start for s in doc_sents(doc)]
    return int(starts[bisect_right(starts, i) - 1])
