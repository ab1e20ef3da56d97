"""The shortcuts that make per-document extraction cheaper give the answers of the
plain computations they replace: the feature regex grouped by first letter, the
substring pre-check of claim phrases, the gazetteer's cached tables, sentence
starts by binary search, the trigger-word verdict kept per sentence, sentence
docs built from one array, and the quick reject of tokens that start no number.
All texts are invented for these tests."""

from __future__ import annotations

import re

import pytest

from tocsin.nlp._doc import sentence_start
from tocsin.nlp._lexicon import find_phrases, phrase_pattern
from tocsin.nlp.places import _by_first_letter, _feature_pattern


def _plain(alternatives: list[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w\-])(?:{'|'.join(alternatives)})(?![\w\-])", re.IGNORECASE)


def _grouped(alternatives: list[str]) -> re.Pattern[str]:
    body = _by_first_letter(alternatives)
    return re.compile(rf"(?<![\w\-])(?:{body})(?![\w\-])", re.IGNORECASE)


def test_grouping_by_first_letter_keeps_the_order_of_preference() -> None:
    # "sea" comes first, so the plain alternation takes the short match at "Sea of
    # Tarn": the grouped one must do the same, not prefer the longer alias.
    alts = ["sea", "sea of tarn", "tarn", "marsh"]
    assert _by_first_letter(alts) == "s(?:ea|ea of tarn)|t(?:arn)|m(?:arsh)"
    text = "Boats left the Sea of Tarn for the marsh; SEA-side towns and Tarnish hills."
    plain = [m.span() for m in _plain(alts).finditer(text)]
    assert [m.span() for m in _grouped(alts).finditer(text)] == plain
    assert [text[a:b] for a, b in plain] == ["Sea", "Tarn", "marsh"]


def test_grouping_falls_back_when_an_alternative_starts_with_a_symbol() -> None:
    alts = ["zorya", r"\-x", "yar"]
    assert _by_first_letter(alts) == "zorya|\\-x|yar"


def test_feature_pattern_finds_the_longest_alias_first() -> None:
    pattern = _feature_pattern(("Tarn", "Sea of Tarn", "Gulf of Vell", "Vell"))
    text = "Ships in the Sea of Tarn and the gulf of  Vell; Vell-based crews."
    assert [m.group() for m in pattern.finditer(text)] == ["Sea of Tarn", "gulf of  Vell"]


@pytest.mark.parametrize(
    "text",
    [
        "Officials, According To sources, said it may have been a drill.",
        "ACCORDING TO the report it MAY HAVE happened; according to-do lists, no.",
        "Nobody said anything of the kind.",
        "Selon la presse — according to officials — it may have been a drill.",  # not ASCII
        "It may\u00a0have been, according to \u212aiev.",  # no-break space, Kelvin sign
    ],
)
def test_find_phrases_finds_what_the_patterns_find(text: str) -> None:
    phrases = ("according to", "may have", "kind", "to-do")
    expected = sorted(
        ((p, m.start(), m.end()) for p in phrases for m in phrase_pattern(p).finditer(text)),
        key=lambda f: f[1],
    )
    assert find_phrases(text, phrases) == expected


def test_find_phrases_is_case_insensitive_on_ascii_text() -> None:
    text = "They MAY HAVE left."
    assert find_phrases(text, ("may have",)) == [("may have", 5, 13)]


def test_gazetteer_tables_are_read_once_and_handed_out_as_copies() -> None:
    from tocsin.nlp.gazetteer import Gazetteer

    gazetteer = Gazetteer.open()
    demonyms = gazetteer.demonyms()
    assert demonyms["ukrainian"] == "UKR"
    demonyms["ukrainian"] = "XXX"
    assert gazetteer.demonyms()["ukrainian"] == "UKR"
    aliases = gazetteer.feature_aliases()
    aliases.clear()
    assert gazetteer.feature_aliases()
    # Kharkiv oblast (GeoNames admin1 code UA.07), cached or not
    region = gazetteer.admin1("UA.07")
    assert region is not None and region.kind == "admin1" and "Kharkiv" in region.name
    assert gazetteer.admin1("UA.07") == gazetteer._admin1_uncached("UA.07")
    assert gazetteer.admin1("XX.99") is None


def test_sentence_start_is_the_start_of_the_tokens_sentence(nlp) -> None:
    doc = nlp("Troops moved north. The border stayed closed!\n\nTalks resume on Monday.")
    for tok in doc:
        assert sentence_start(doc, tok.i) == tok.sent.start
    assert sentence_start(doc, len(doc) - 1) > 0


def test_could_hold_event_is_asked_once_per_sentence(nlp) -> None:
    from tocsin.nlp import events

    doc = nlp("Artillery shelled the town. The weather was mild.")
    first, second = list(doc.sents)
    assert events.could_hold_event(first) is True
    assert events.could_hold_event(second) is False
    verdicts = doc.user_data[events._VERDICTS]
    assert verdicts == {(first.start, first.end): True, (second.start, second.end): False}
    # a kept verdict is what is answered (the words of a sentence never change)
    verdicts[(second.start, second.end)] = True
    assert events.could_hold_event(second) is True


def test_sentence_docs_are_the_sentences_as_docs(nlp) -> None:
    from spacy.attrs import ENT_IOB, ENT_TYPE, LEMMA, SENT_START, TAG

    from tocsin.nlp.annotate import _sentence_docs, load_pipeline

    pipeline = load_pipeline()
    text = "Drones struck Vell port on Monday. Ships left. The Tarn Navy said two boats sank."
    with pipeline.select_pipes(disable=["parser"]):
        doc = pipeline(text)
    chosen = [s for i, s in enumerate(doc.sents) if i != 1]
    attrs = [TAG, LEMMA, ENT_IOB, ENT_TYPE, SENT_START]
    built = _sentence_docs(doc, chosen)
    assert [d.text for d in built] == [s.as_doc().text for s in chosen]
    for made, sent in zip(built, chosen, strict=True):
        assert (made.to_array(attrs) == sent.as_doc().to_array(attrs)).all()
        assert (made.tensor == doc.tensor[sent.start : sent.end]).all()
    assert _sentence_docs(doc, []) == []


@pytest.mark.parametrize(
    ("sentence", "text", "value"),
    [
        ("Half a million people fled.", "Half a million", 500_000),
        ("It cost $40 million.", "$40 million", 40_000_000),
        ("Several thousand troops arrived.", "Several thousand", 3_000),
        ("Thousands of troops arrived.", "Thousands", 1_000),
    ],
)
def test_quantities_that_begin_with_a_word_still_start(nlp, sentence, text, value) -> None:
    from tocsin.nlp.quantities import extract_quantities

    first = extract_quantities(nlp(sentence))[0]
    assert first.start == sentence.index(text) and first.text.startswith(text)
    assert first.value == value
