"""The cheaper paths of per-document work give the answers of the plain ones they
replace: time patterns skipped on texts without their keywords, actor phrases
rejected before they are built, sentence docs without ``Span.as_doc``, MinHash
permutations drawn once, and the regex form of the hash normalisation; and what
the store keeps of rows whose key repeats (the first only), which a cheaper
insert would have to keep too. All texts are invented for these tests."""

from __future__ import annotations

import unicodedata

import pytest

from tocsin.dedupe import SCHEME, SEED, _shingles, minhash_signature, normalize_for_hash
from tocsin.nlp import _timex_patterns as tp


def _every_match(text: str) -> list[tuple[int, int]]:
    """``candidate_spans`` with no pattern skipped."""
    spans = []
    for pattern, _, _ in tp._compiled():
        for m in pattern.finditer(text):
            start, end = m.span("t") if "t" in pattern.groupindex else m.span()
            while end > start and text[end - 1] in " ,":
                end -= 1
            spans.append((start, end))
    return spans


TEXTS = [
    "Troops crossed on 3 March 2025 and again on Tuesday morning.",
    "Talks resumed last week, two days ago, in Vell; more are due in the coming months.",
    "The pact of 1994 lapsed in mid-2023. It ended on 2024-05-06 at the end of May.",
    "Nothing here names a time.",
    "",
    "THE SHELLING STOPPED YESTERDAY AND RESUMED RECENTLY.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_skipping_patterns_finds_every_match(text: str) -> None:
    assert tp.candidate_spans(text) == _every_match(text)


def test_a_text_without_keywords_is_not_scanned() -> None:
    assert tp.candidate_spans("Nothing here names a time.") == []
    # "soon" is the only keyword of the last pattern present
    assert tp.candidate_spans("Aid arrives soon.") == [(12, 16)]


def test_characters_that_fold_to_ascii_letters_are_not_screened() -> None:
    # A case-insensitive pattern matches the long s (U+017F) as "s", but "ſoon"
    # lower-cased does not contain "soon": such a text must still be scanned.
    text = "Aid arrives \u017foon."
    assert tp.candidate_spans(text) == _every_match(text) == [(12, 16)]
    kelvin = "Help came \u212aind of soon, yesterday."  # Kelvin sign folds to "k"
    assert tp.candidate_spans(kelvin) == _every_match(kelvin)


def test_every_case_sensitive_keyword_is_a_month_or_weekday_prefix() -> None:
    months = "January February March April May June July August September October"
    for name in (months + " November December Sept").split():
        assert any(name.startswith(k) for k in tp._MONTH_KEYS)


@pytest.mark.parametrize(
    "text",
    ["Ceasefire_talks — in Vell: 10½ hours, Ⅻ units", "a_b", "ÉTAT-major", "x\u0301y ٣ 中文"],
)
def test_normalisation_matches_isalnum_per_character(text: str) -> None:
    folded = unicodedata.normalize("NFKC", text).casefold()
    plain = " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())
    assert normalize_for_hash(text) == plain
    assert normalize_for_hash("a_b") == "a b"  # "_" is a word character but not alphanumeric


def test_signature_with_shared_permutations_is_that_of_a_fresh_minhash() -> None:
    from datasketch import MinHash

    text = "Invented troops massed near the border of Tarn on a cold morning."
    fresh = MinHash(num_perm=64, seed=SEED, scheme=SCHEME)
    fresh.update_batch(_shingles(text))
    assert minhash_signature(text) == tuple(int(v) for v in fresh.hashvalues)
    assert minhash_signature(text) != minhash_signature(text + " Then they left.")


SENTENCES = (
    "The Tarn Defence Ministry said its forces shelled positions near Vell on Monday. "
    "President Orlan Kest met two senior officials. Rebels in Vell attacked a convoy, "
    "and pro-Tarn separatists fired on the border post. The weather and the harvest were "
    "discussed at length by farmers. A civilian car was hit."
)


def test_screened_actor_phrases_are_those_that_yield_nothing(nlp, monkeypatch) -> None:
    from tocsin.nlp import _actor_phrases as ap
    from tocsin.nlp.actors import extract_actors

    screened = extract_actors(nlp(SENTENCES))
    assert any(a.text == "The Tarn Defence Ministry" for a in screened)
    rejected: list[str] = []
    real = ap.Screen.cannot_be_actor

    def build_all(self: ap.Screen, head):  # type: ignore[no-untyped-def]
        if real(self, head):
            rejected.append(head.text)
        return False  # every phrase is built, as before the screen

    monkeypatch.setattr(ap.Screen, "cannot_be_actor", build_all)
    assert extract_actors(nlp(SENTENCES)) == screened
    assert {"weather", "harvest"} <= set(rejected)
    assert "Ministry" not in rejected and "officials" not in rejected


def test_sentence_docs_parse_as_span_as_doc_does() -> None:
    from tocsin.nlp.annotate import _break_at_newlines, _sentence_docs, load_pipeline

    pipeline = load_pipeline()
    parser = pipeline.get_pipe("parser")
    # entities cut by no sentence edge and one at a sentence start
    text = "Vell Harbour was shelled on Monday.\nThe Tarn Navy said two boats sank near Vell."
    with pipeline.select_pipes(disable=["parser"]):
        doc = pipeline(text)
    _break_at_newlines(doc)
    chosen = list(doc.sents)
    ours = list(parser.pipe(_sentence_docs(doc, chosen)))
    theirs = list(parser.pipe([s.as_doc() for s in chosen]))
    assert len(ours) == len(chosen) == 2
    for a, b in zip(ours, theirs, strict=True):
        assert [(t.text, t.head.i, t.dep_) for t in a] == [(t.text, t.head.i, t.dep_) for t in b]


def _result(doc_id: str, event_ids: list[str], trigger: str = "massed"):  # type: ignore[no-untyped-def]
    from tocsin.models import DocResult, Document, Event, Mentions, Span

    text = "Invented troops massed near Vell. Talks followed."

    def span(sub: str) -> Span:
        return Span(start=text.index(sub), end=text.index(sub) + len(sub), text=sub)

    evs = tuple(
        Event(
            id=eid,
            doc_id=doc_id,
            type="MOBILIZE",
            mode=None,
            quad="material_conflict",
            cameo="15",
            acled_event_type=None,
            acled_sub_event_type=None,
            trigger=span(trigger),
            sentence=span("Invented troops massed near Vell."),
        )
        for eid in event_ids
    )
    doc = Document(id=doc_id, source=f"{doc_id}.txt", text=text, published="2026-11-03")
    return DocResult(document=doc, mentions=Mentions(), events=evs, minhash=(1, 2))


def _report(result, rid: str):  # type: ignore[no-untyped-def]
    from tocsin.store import Report

    d = result.document
    return Report(rid, d.id, "original", None, d.source, None, None, None, d.published)


def test_store_keeps_the_first_row_of_a_key_and_none_already_stored(tmp_path) -> None:
    from tocsin.store import Store

    store = Store.open(str(tmp_path / "s.duckdb"))
    try:
        first = _result("d1", ["e1", "e1", "e2"])  # "e1" twice in one batch
        store.write_batch([(first, _report(first, "r1"))], [], [], "run1")
        # d1 again (its document, report, hash and events are stored) and a new d2
        # with an event id "e2" already stored, whose row must not replace it
        again = _result("d1", ["e1"], trigger="Talks")
        second = _result("d2", ["e2", "e3"], trigger="Talks")
        store.write_batch(
            [(again, _report(again, "r1")), (second, _report(second, "r2"))], [], [], "run2"
        )
        con = store.con
        assert con.execute("SELECT count(*) FROM documents").fetchall() == [(2,)]
        assert con.execute("SELECT count(*) FROM reports").fetchall() == [(2,)]
        assert con.execute("SELECT count(*) FROM minhashes").fetchall() == [(2,)]
        rows = con.execute("SELECT id, doc_id, trigger FROM events ORDER BY id").fetchall()
        assert rows == [("e1", "d1", "massed"), ("e2", "d1", "massed"), ("e3", "d2", "Talks")]
        runs = con.execute("SELECT run_id FROM reports ORDER BY id").fetchall()
        assert runs == [("run1",), ("run2",)]
    finally:
        store.close()
