"""Tests of tocsin.clean: HTML extraction, the plain-text cleaner, dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from tocsin.clean import clean, clean_text, normalize_published
from tocsin.dedupe import text_hash
from tocsin.errors import InputError
from tocsin.models import RawDocument

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"

BODY = (
    "The garrison commander said the exercise would end on Friday.\n\n"
    "Residents were asked to avoid the forest road until then."
)


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# -- plain-text cleaner --------------------------------------------------------------


@pytest.mark.parametrize(
    "tail",
    [
        "Leave a Reply\n\nGreat article!\n\nYour email address will not be published.",
        "12 Comments\n\nAnna\n\nI disagree with the commander.",
        "Comments\n\nNadia wrote:\nFirst!",
        "Join the discussion\n\nSome reader text here.",
        "  1. Night Heron\n\n    Nobody believes this.\n\n    Reply\n"
        "  2. Pike\n\n    Agreed.\n\n    Reply",
        "Ivan P. says:\nThe road was open yesterday evening.\nReply",
    ],
)
def test_comment_sections_are_cut(tail: str):
    assert clean_text(f"{BODY}\n\n{tail}") == BODY


@pytest.mark.parametrize(
    "noise",
    [
        "Print Friendly, PDF & Email",
        "Share this:\nClick to share on Facebook (Opens in new window)\nTwitter\nWhatsApp",
        "You Might Like\nTen Tricks Pilots Do Not Want You to Know\nLearn more about AdNet...",
        "Recommended for you\nThe Best Boots of the Season",
        "Advertisement",
        "Sponsored",
        "This article is from the archive of our partner The Example Journal.",
        "Subscribe to our newsletter for daily updates",
        "Sign up for the morning briefing",
    ],
)
def test_boilerplate_lines_are_dropped(noise: str):
    text = f"{BODY.split(chr(10))[0]}\n\n{noise}\n\n{BODY.split(chr(10))[-1]}"
    assert clean_text(text) == BODY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "First  paragraph\twith   tabs.\n\n\n\nSecond one.",
            "First paragraph with tabs.\n\nSecond one.",
        ),
        (
            "One paragraph per line.\nAnother paragraph per line.",
            "One paragraph per line.\n\nAnother paragraph per line.",
        ),
        (
            "A hard-wrapped paragraph that goes on for quite\nsome time before it ends here.",
            "A hard-wrapped paragraph that goes on for quite some time before it ends here.",
        ),
        (
            "Headline without a stop\nFeb. 15, 2022\nBody text.",
            "Headline without a stop\n\nFeb. 15, 2022\n\nBody text.",
        ),
        ("\r\n  Windows line ends.\r\n\r\nTwo.\r\n", "Windows line ends.\n\nTwo."),
    ],
)
def test_paragraphs_and_whitespace(text: str, expected: str):
    assert clean_text(text) == expected


def test_sentences_that_mention_comments_or_sharing_are_kept():
    text = (
        "The ministry declined to comment on the reports.\n\n"
        "Officials said the two countries share a long border.\n\n"
        "Subscribers to the state bond were repaid in full, the bank said."
    )
    assert clean_text(text) == text
    # a "Comment" section label above an opinion piece goes, the piece stays
    assert clean_text(f"Comment\n\n{text}") == text


def test_comment_widget_mid_article_does_not_cut_the_article():
    text = (
        f"{BODY}\n\nComments\nAdd a comment\n0\n\n"
        "The road is expected to reopen on Saturday morning, the police said."
    )
    assert clean_text(text) == (
        f"{BODY}\n\n0\n\nThe road is expected to reopen on Saturday morning, the police said."
    )


def test_fixture_article_with_comments():
    raw = (FIXTURES / "article_with_comments.txt").read_text()
    text = clean_text(raw)
    lines = text.split("\n\n")
    assert lines[0] == "Border Drills Extended Near Narva"
    assert len(lines) == 4  # headline and three body paragraphs
    assert lines[-1].startswith("Analysts said the timing")
    for gone in (
        "Reply",
        "Harbour Watcher",
        "Quiet Owl",
        "Marta",
        "Share",
        "You Might",
        "AdNetwork",
    ):
        assert gone not in text


# -- clean() -------------------------------------------------------------------------


def test_clean_plain_text_document():
    raw = RawDocument(
        source="a.txt",
        content=f"  {BODY}\n\nPrint Friendly, PDF & Email\n",
        title="  Exercise   ends ",
        url="https://example.org/x",
        outlet="Example",
        published="Tue, 15 Feb 2022 10:00:00 GMT",
    )
    doc = clean(raw)
    assert doc.text == BODY
    assert doc.id == text_hash(BODY)
    assert (doc.source, doc.title, doc.url, doc.outlet, doc.published) == (
        "a.txt",
        "Exercise ends",
        "https://example.org/x",
        "Example",
        "2022-02-15",
    )


def test_clean_html_page_drops_nav_share_comments_and_footer():
    raw = RawDocument(
        source="page.html", content=(FIXTURES / "page.html").read_text(), content_type="html"
    )
    doc = clean(raw)
    paras = paragraphs(doc.text)
    assert paras[1].startswith("The port authority in Klaipeda suspended")
    assert paras[-1].endswith("once the restrictions are lifted.")
    assert len(paras) == 4  # the heading and three paragraphs
    for gone in (
        "Home",
        "Weather",
        "Share on Facebook",
        "SeaDog77",
        "Lina",
        "Comments",
        "Copyright",
    ):
        assert gone not in doc.text
    assert doc.title == "Ferry Service Suspended After Naval Exercise Announced"
    assert doc.published == "2023-05-04"
    assert doc.outlet == "The Coastal Ledger"


def test_record_metadata_wins_over_page_metadata():
    raw = RawDocument(
        source="x",
        content=(FIXTURES / "page.html").read_text(),
        content_type="html",
        title="Given title",
        published="2023-05-01",
        outlet="Given outlet",
    )
    doc = clean(raw)
    assert (doc.title, doc.published, doc.outlet) == ("Given title", "2023-05-01", "Given outlet")


def test_comment_block_without_comment_class_is_still_dropped():
    html = (
        "<html><body><article><p>The coast guard said two patrol boats left port on "
        "Sunday to escort a tanker through the strait, a routine task in winter.</p>"
        "<p>The operation is expected to last three days, weather permitting.</p>"
        '<div class="thread"><h4>Leave a Reply</h4><p>Reader Bob wrote that he saw '
        "the boats himself from the pier that morning.</p></div></article></body></html>"
    )
    doc = clean(RawDocument(source="x", content=html, content_type="html"))
    assert "Bob" not in doc.text
    assert doc.text.startswith("The coast guard said two patrol boats")


def test_html_fragment_and_truncated_html_are_read():
    fragment = "<p>Two <b>drones</b> were shot down overnight.</p><p>No one was hurt.</p>"
    doc = clean(RawDocument(source="f", content=fragment, content_type="html"))
    assert doc.text == "Two drones were shot down overnight.\n\nNo one was hurt."
    truncated = "<html><body><article><p>The talks ended late on Tuesday without a deal, both sid"
    doc = clean(RawDocument(source="t", content=truncated, content_type="html"))
    assert doc.text.startswith("The talks ended late on Tuesday")


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (
            "<html><body><nav><a href='/'>Home</a></nav><script>var a = 1;</script></body></html>",
            "html",
        ),
        ("   \n\n  ", "text"),
        ("Leave a Reply\n\nYour email address will not be published.", "text"),
    ],
)
def test_nothing_left_raises_input_error(content: str, content_type: str):
    with pytest.raises(InputError) as info:
        clean(RawDocument(source="src-1", content=content, content_type=content_type))
    assert info.value.source == "src-1"
    assert "no main text left" in info.value.reason


# -- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-02-15", "2022-02-15"),
        ("2022-02-15T23:30:00-05:00", "2022-02-15"),  # the date as written, not UTC
        ("2022-02-15 08:00", "2022-02-15"),
        ("Tue, 15 Feb 2022 10:00:00 GMT", "2022-02-15"),
        ("Wed, 16 Feb 2022 18:45:00 +0300", "2022-02-16"),
        ("Feb 15, 2022", "2022-02-15"),
        ("15 February 2022", "2022-02-15"),
        ("February 15, 2022 at 9:03 am", "2022-02-15"),
        ("2022/02/15", "2022-02-15"),
        ("20220215", "2022-02-15"),
        ("15/02/2022", "2022-02-15"),
        ("1645000000", "2022-02-16"),  # 2022-02-16 08:26:40 UTC
        ("1645142400", "2022-02-18"),  # midnight UTC
        ("1645000000000", "2022-02-16"),  # milliseconds
        ("02/03/2022", None),  # day and month ambiguous
        ("February 2022", None),  # no day
        ("15 February", None),  # no year
        ("2022", None),
        ("yesterday", None),
        ("not a date at all", None),
        ("2022-02-30", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_published(value: str | None, expected: str | None):
    assert normalize_published(value) == expected


# -- the real seeds (read only, never copied) ----------------------------------------


def test_seeds_reality_check(shared_dir: Path):
    seeds = sorted((shared_dir / "seeds").glob("*.txt"))
    assert len(seeds) == 3
    for path in seeds:
        raw_text = path.read_text(encoding="utf-8")
        text = clean(RawDocument(source=str(path), content=raw_text)).text
        lines = [ln.strip() for ln in text.split("\n")]
        assert "Reply" not in lines
        if path.name.startswith("004_"):
            raw_lines = [ln.strip() for ln in raw_text.splitlines()]
            assert raw_lines.count("Reply") > 20  # the input does end in reader comments
            # the body (everything before the first numbered commenter) is kept
            first_commenter = next(i for i, ln in enumerate(raw_lines) if ln.startswith("1. "))
            body_chars = sum(len(ln) for ln in raw_lines[:first_commenter])
            assert 0.95 * body_chars <= len(text) <= 1.05 * body_chars
            assert len(text) < 0.4 * len(raw_text)
            numbered = [ln for ln in lines if ln[:3] in {f"{n}. " for n in range(1, 10)}]
            assert not numbered  # no numbered commenter line survives
        else:
            assert len(text) >= 0.97 * len(" ".join(raw_text.split()))
