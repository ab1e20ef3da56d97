"""Claims: attribution, relay, polarity, hedges and evidence on invented sentences.

Actors come from the real actor extractor (no gazetteer needed); expected values
were worked out by reading each sentence.
"""

from __future__ import annotations

import pytest

from tocsin.models import Claim, Document, Mentions
from tocsin.nlp.actors import extract_actors
from tocsin.nlp.claims import claim_id, extract_claims
from tocsin.nlp.events import extract_events


@pytest.fixture(scope="module")
def claims_of(nlp):
    def run(text: str, outlet: str = "Test Wire") -> list[Claim]:
        doc = nlp(text)
        mentions = Mentions(actors=tuple(extract_actors(doc)))
        events = extract_events(doc, "doc-1", mentions)
        document = Document(id="doc-1", source="test", text=text, outlet=outlet)
        return extract_claims(doc, document, mentions, events)

    return run


def only(claims: list[Claim], type_: str) -> Claim:
    found = [c for c in claims if c.type == type_]
    assert found, f"no {type_} claim in {[c.type for c in claims]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "type_", "speaker", "speaker_type", "polarity"),
    [
        (
            "Belarus's defence ministry said on Monday that some units had returned to "
            "their bases near Grodno.",
            "RETREAT", "Belarus's defence ministry", "military", "asserted",
        ),
        (
            "The Kremlin denied that Russian troops had shelled the village.",
            "ASSAULT", "The Kremlin", "government", "denied",
        ),
        (
            "Russian units have not returned to their bases, a U.S. official said.",
            "RETREAT", "a U.S. official", "official_anonymous", "denied",
        ),
        (
            "NATO cannot yet determine whether any Russian troops have withdrawn, the "
            "alliance's spokeswoman said.",
            "RETREAT", "the alliance's spokeswoman", "international_org", "uncertain",
        ),
        (
            "Russian forces allegedly shelled the town of Kupiansk on Sunday.",
            "ASSAULT", "author", "author", "asserted",
        ),
        (
            "The monitoring group said satellite images showed that Russian troops had "
            "deployed near Yelnya.",
            "MOBILIZE", "The monitoring group", "osint_group", "asserted",
        ),
    ],
)  # fmt: skip
def test_speaker_type_and_polarity(claims_of, text, type_, speaker, speaker_type, polarity):
    claim = only(claims_of(text), type_)
    assert (claim.speaker, claim.speaker_type, claim.polarity) == (speaker, speaker_type, polarity)


def test_relay_cited_as_saying(claims_of):
    claim = only(
        claims_of(
            "The Interfax news agency cited the ministry as saying that troops were "
            "withdrawing from the border."
        ),
        "RETREAT",
    )
    assert claim.speaker == "the ministry"
    assert claim.reported_via == "The Interfax news agency"
    assert claim.verb is not None and claim.verb.text == "cited"


def test_media_report_according_to_official(claims_of):
    claim = only(
        claims_of(
            "TASS reports that tanks were moved into firing positions near Kursk, "
            "according to a Russian official."
        ),
        "MOBILIZE",
    )
    assert (claim.speaker, claim.reported_via) == ("a Russian official", "TASS")
    assert claim.speaker_type == "official_anonymous"
    assert [e.kind for e in claim.evidence] == ["anonymous_source"]


def test_hedge_words_are_kept(claims_of):
    claim = only(
        claims_of("Russian forces allegedly shelled the town of Kupiansk on Sunday."), "ASSAULT"
    )
    assert claim.hedged and claim.hedges == ("allegedly",)
    assert [e.kind for e in claim.evidence] == ["none"]


def test_unhedged_statement(claims_of):
    claim = only(
        claims_of("Belarus's defence ministry said that some units had returned to their bases."),
        "RETREAT",
    )
    assert not claim.hedged and claim.hedges == ()
    assert [e.kind for e in claim.evidence] == ["official_statement"]


def test_own_video_is_the_speakers_evidence(claims_of):
    claim = only(
        claims_of(
            "Russia's Defence Ministry said troops were withdrawing from Crimea and released "
            "a video of tanks leaving."
        ),
        "RETREAT",
    )
    video = [e for e in claim.evidence if e.kind == "video"]
    assert video and video[0].by == "RUS:MIL" and video[0].own
    assert video[0].text == "video"


def test_evidence_cues(claims_of):
    claim = only(
        claims_of(
            "Kyiv's army said Russian drones struck a power station in Sumy overnight, citing "
            "videos posted on Telegram."
        ),
        "ASSAULT",
    )
    assert claim.speaker == "Kyiv's army"
    assert {e.kind for e in claim.evidence} == {"official_statement", "video", "social_media"}


def test_quotation_carried_to_its_speaker(claims_of):
    text = (
        '"We cannot confirm any withdrawal. We see more troops arriving," the '
        "alliance's spokeswoman said."
    )
    claim = only(claims_of(text), "RETREAT")
    assert claim.speaker == "the alliance's spokeswoman"
    assert claim.polarity == "uncertain"


def test_definite_speaker_takes_the_earlier_name(claims_of):
    claims = claims_of(
        "A senior U.S. official said Russian troops had moved closer to the border. "
        "The official said more troops had deployed near Belgorod."
    )
    assert len(claims) == 2
    assert {c.speaker for c in claims} == {"A senior U.S. official"}
    assert claims[1].speaker_span is not None and claims[1].speaker_span.text == "The official"


@pytest.mark.parametrize(
    "text",
    [
        "The weather was mild and the market was quiet on Sunday.",
        "",
        "Subscribe to our newsletter. Print Friendly, PDF & Email",
    ],
)
def test_no_event_no_claim(claims_of, text):
    assert claims_of(text) == []


def test_offsets_are_exact(claims_of):
    text = (
        "Russia's Defence Ministry said troops were withdrawing from Crimea and released a "
        'video of tanks leaving.\n\n"We cannot confirm any withdrawal," the alliance\'s '
        "spokeswoman said. TASS reports that tanks were moved into firing positions near "
        "Kursk, according to a Russian official."
    )
    claims = claims_of(text)
    assert len(claims) >= 3
    for c in claims:
        for span in (c.quote, c.speaker_span, c.via_span, c.verb, *c.evidence):
            if span is not None:
                assert text[span.start : span.end] == span.text


def test_unclosed_quote_and_long_sentence(claims_of):
    text = '"Troops have withdrawn from the border, the ministry said ' + "and " * 300 + "then."
    claims = claims_of(text)
    assert all(c.doc_id == "doc-1" for c in claims)


def test_claim_id_is_stable():
    assert claim_id("abc") == claim_id("abc")
    assert claim_id("abc") != claim_id("abd")
    assert len(claim_id("abc")) == 16


def test_seed_withdrawal_is_contradicted(nlp, shared_dir):
    """The ministry's withdrawal claim and the U.S. official's (via CBS News) meet."""
    from tocsin.evaluate_claims import _run_documents
    from tocsin.link import frame_from_claims, link_claims

    seed = next((shared_dir / "seeds").glob("000_*.txt"))
    claims, events, documents = _run_documents({"seed": seed.read_text(encoding="utf-8")}, nlp)
    by_id = {c.id: c for c in claims}
    situations = link_claims(frame_from_claims(claims, events, documents))
    ministry = [c for c in claims if c.type == "RETREAT" and "Ministry" in c.speaker]
    official = [c for c in claims if c.speaker == "a U.S. official"]
    assert ministry and official
    assert official[0].reported_via == "CBS News"
    assert [e.kind for e in official[0].evidence] == ["anonymous_source"]
    home = next(s for s in situations if ministry[0].id in s.claim_ids)
    assert home.status == "contradicted"
    assert official[0].id in home.claim_ids
    assert {home.sides[ministry[0].id], home.sides[official[0].id]} == {"A", "B"}
    assert by_id[ministry[0].id].evidence[0].kind == "official_statement"
