"""From cleaned documents to mentions and events: the NLP half of the pipeline.

``analyze`` annotates a batch of documents with spaCy (``annotate``: the parser
only on sentences holding a word of the event lexicon, see
``could_hold_event``), then runs each extractor in turn on every text:

1. actors      -> ``Actor``      (codes such as ``RUS:MIL``)
2. places      -> ``Place``      (GeoNames ids, coordinates, precision)
3. times       -> ``TimeRange``  (relative to the publication date)
4. quantities  -> ``Quantity``
5. equipment   -> ``Equipment``
6. events      -> ``Event``      (PLOVER-coded, using 1-5)
7. claims      -> ``Claim``      (who asserts, denies or doubts each event, on what evidence)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING

from tocsin.dedupe import minhash_signature
from tocsin.models import DocResult, Document, Mentions
from tocsin.nlp.actors import extract_actors
from tocsin.nlp.annotate import annotate
from tocsin.nlp.claims import extract_claims
from tocsin.nlp.equipment import extract_equipment
from tocsin.nlp.events import could_hold_event, extract_events
from tocsin.nlp.places import extract_places
from tocsin.nlp.quantities import extract_quantities
from tocsin.nlp.times import extract_times

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from tocsin.nlp.gazetteer import Gazetteer


def extract_mentions(doc: Doc, published: date | None, gazetteer: Gazetteer) -> Mentions:
    """All mentions of one parsed document."""
    return Mentions(
        actors=tuple(extract_actors(doc)),
        places=tuple(extract_places(doc, gazetteer)),
        times=tuple(extract_times(doc, published)),
        quantities=tuple(extract_quantities(doc)),
        equipment=tuple(extract_equipment(doc)),
    )


def analyze(
    documents: Sequence[Document], nlp: Language, gazetteer: Gazetteer, batch_size: int = 32
) -> Iterator[DocResult]:
    """Parse and extract every document, in order."""
    texts = (d.text for d in documents)
    docs = annotate(nlp, texts, keep=could_hold_event, batch_size=batch_size)
    for document, doc in zip(documents, docs, strict=True):
        published = date.fromisoformat(document.published) if document.published else None
        mentions = extract_mentions(doc, published, gazetteer)
        events = extract_events(doc, document.id, mentions)
        yield DocResult(
            document=document,
            mentions=mentions,
            events=tuple(events),
            minhash=minhash_signature(document.text),
            claims=tuple(extract_claims(doc, document, mentions, events)),
        )
