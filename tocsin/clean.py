"""Clean a RawDocument into a Document: main text only, metadata normalised.

HTML goes through trafilatura (comments and tables off, precision favoured);
title, date and site name come from its metadata when the record lacks them.
A fragment (a feed summary, an HTML text field) is wrapped in <body> first.
When trafilatura still finds no main text, the visible text of the markup is
kept instead, one line per block element.

Then every text goes through the plain-text cleaner, which works line by line:

1. Newlines are normalised; each line's whitespace runs become one space.
2. Reader comments: the text is cut at the first comment-section heading
   ("Leave a Reply", "83 comments", "Join the discussion"), at a widget label
   ("Comments", "Add a comment") with a commenter or "Reply" line under it,
   or, without a heading, at the start of the first comment block: the
   commenter line ("1. Jane Doe", "Bob says:") before the first bare "Reply"
   line, else the paragraph before it. Everything after the cut is dropped.
   Only a heading or "Reply" that follows some prose counts, so a "Comment"
   section label above an opinion piece never cuts it.
3. Boilerplate lines are dropped: comment widget labels left in the text
   (scraped pages carry them mid-article), share and print bars ("Print
   Friendly, PDF & Email", "Share this:", "Click to share on ...", lone network
   names), ad headings ("You Might Like", "Recommended for you", "Sponsored",
   "Advertisement") with the short link lines under them, "Learn more about
   ..." lines, "This article is from the archive of our partner ...",
   subscription prompts ("Subscribe to ...", "Sign up for our newsletter"),
   lone navigation words ("Home", "Menu", "Skip to content") and comment-form
   lines ("Leave a Reply", "Your email address will not be published.").
4. Paragraphs: a blank line ends a paragraph. Inside a block, a line is joined
   to the next with a space when it looks hard-wrapped (40+ characters, no
   closing punctuation); otherwise each line is its own paragraph (headline
   lists, one-paragraph-per-line texts). Paragraphs are joined by ``"\\n\\n"``.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from tocsin._dates import normalize_published
from tocsin.dedupe import text_hash
from tocsin.errors import InputError
from tocsin.models import Document, RawDocument

__all__ = ["clean", "clean_text", "normalize_published"]

_COMMENT_HEADING = re.compile(  # always opens the comment section
    r"^(?:leave a (?:reply|comment)|\d[\d,.]*k?\s+(?:comments?|responses?|replies|thoughts)"
    r"(?:\s+on\b.*)?|reader comments|join the (?:discussion|conversation)"
    r"|(?:one|\d+) thoughts? on\b.*|responses to\b.*)[:.]?$",
    re.IGNORECASE,
)
_COMMENT_LABEL = re.compile(  # a widget label: opens the section only if comments follow
    r"^(?:comments?(?:\s*\(\d+\))?|recent comments|(?:show|view|see|read)\s+(?:all\s+)?"
    r"(?:\d+\s+)?comments?|(?:add|post|write) a comment|(?:see all comments\s*)?write a comment"
    r"|got something to say\?.*|be the first to comment\.?)[:.]?$",
    re.IGNORECASE,
)
_REPLY = re.compile(r"^(?:reply|reply\s*↓|log in to reply|reply to this comment)$", re.I)
_COMMENTER = re.compile(
    r"^(?:\d{1,3}[.)]\s+\S.{0,60}|\S.{0,60}\s(?:says|said|wrote):?|\S.{0,60}\s(?:on|at)\s.*"
    r"\d{1,2}:\d{2}\s*(?:am|pm)?)$",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"^(?:print friendly,? pdf (?:&|and) email|print friendly|share this(?: article| story)?:?"
    r"|click to (?:share|print|email)\b.*|share on \w+.*|like this:?|like loading\.*|related:?"
    r"|facebook|twitter|x|whatsapp|linkedin|reddit|telegram|pinterest|email|print|tweet|share"
    r"|this article is from the archive of our partner\b.*|learn more about\b.*"
    r"|(?:subscribe|sign up)\b.{0,80}\b(?:newsletters?|inbox|updates|alerts|digest|briefing"
    r"|our|free|today|now|here)\b.{0,40}"
    r"|already a (?:subscriber|member)\b.*|support (?:our|independent) journalism\b.*"
    r"|advertisement|sponsored(?: content)?|ad|home|menu|main menu|search|toggle navigation"
    r"|skip to (?:main )?content|back to top|log ?in|sign in|leave a (?:reply|comment)"
    r"|your email address will not be published\.?.*|required fields are marked \*?)$",
    re.IGNORECASE,
)
_AD_HEADING = re.compile(
    r"^(?:you might (?:also )?like|recommended(?: for you)?|sponsored(?: content| links)?"
    r"|advertisement|more from \S.{0,40}|around the web|promoted (?:stories|links)"
    r"|from our partners)$",
    re.IGNORECASE,
)
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr")
_CLOSING = tuple(".!?:;\"'”’)]…")


def _lines(text: str) -> list[str]:
    """Split into lines with whitespace runs collapsed; blank lines become ''."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [" ".join(line.split()) for line in text.split("\n")]


def _is_sentence(line: str) -> bool:
    """A line of prose: six words or more, ending like a sentence."""
    return len(line.split()) >= 6 and line.endswith((".", "!", "?", '"', "”", "’"))


def _comment_start(lines: list[str]) -> int | None:
    """Index of the first line of the reader-comment section, or None.

    A heading or "Reply" line counts only once some prose came before it, so a
    section label such as "Comment" above an opinion piece does not cut it. A
    widget label ("Comments", "Add a comment") cuts only when a "Reply" or a
    commenter line follows within a few lines; scraped pages often carry such
    labels in the middle of the article.
    """
    seen_prose = False
    for index, line in enumerate(lines):
        if seen_prose and _COMMENT_HEADING.match(line):
            return index
        if seen_prose and _COMMENT_LABEL.match(line):
            following = [ln for ln in lines[index + 1 : index + 13] if ln]
            if any(_REPLY.match(ln) or _COMMENTER.match(ln) for ln in following[:8]):
                return index
        if seen_prose and _REPLY.match(line):
            return _comment_block_start(lines, index)
        seen_prose = seen_prose or _is_sentence(line)
    return None


def _comment_block_start(lines: list[str], reply: int) -> int:
    """Walk back from a 'Reply' line to the commenter line or paragraph that opens it."""
    for index in range(reply - 1, max(reply - 40, -1), -1):
        if lines[index] and _COMMENTER.match(lines[index]):
            return index
    index = reply - 1
    while index > 0 and not lines[index]:
        index -= 1
    while index > 0 and lines[index - 1]:
        index -= 1
    return max(index, 0)


def _drop_boilerplate(lines: list[str]) -> list[str]:
    """Remove share, print, ad and subscription lines; ad headings take their link list."""
    kept: list[str] = []
    in_ad = False
    for line in lines:
        if _AD_HEADING.match(line):
            in_ad = True
            continue
        if in_ad:
            if not line:
                in_ad = False
            elif len(line.split()) <= 14 and not line.endswith((".", "!", "?", '"', "”")):
                continue
            else:
                in_ad = False
        if line and (_BOILERPLATE.match(line) or _COMMENT_LABEL.match(line)):
            continue
        kept.append(line)
    return kept


def _paragraphs(lines: list[str]) -> list[str]:
    """Group lines into paragraphs (see the module docstring, step 4)."""
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        current = f"{current} {line}" if current else line
        if len(line) < 40 or line.endswith(_CLOSING):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def clean_text(text: str) -> str:
    """Plain-text cleaner: drop comments and boilerplate, keep paragraphs as '\\n\\n'."""
    lines = _lines(text)
    cut = _comment_start(lines)
    if cut is not None:
        lines = lines[:cut]
    return "\n\n".join(_paragraphs(_drop_boilerplate(lines))).strip()


def _extract_html(raw: RawDocument) -> tuple[str, dict[str, str | None]]:
    """Main text of an HTML page (paragraphs on their own lines) and its metadata."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    markup = raw.content
    if not re.search(r"<body\b", markup[:100_000], re.IGNORECASE):
        markup = f"<html><body>{markup}</body></html>"  # a fragment, e.g. a feed summary
    extracted = trafilatura.bare_extraction(
        markup,
        url=raw.url,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=True,
    )
    meta: dict[str, str | None] = {"title": None, "date": None, "sitename": None}
    text = ""
    if extracted is not None and not isinstance(extracted, dict):
        text = extracted.text or ""
        meta = {"title": extracted.title, "date": extracted.date, "sitename": extracted.sitename}
    if not text.strip():
        text = _markup_text(markup)
    # trafilatura puts one paragraph per line: make that explicit for the cleaner.
    return text.replace("\n", "\n\n"), meta


def _markup_text(markup: str) -> str:
    """All visible text of ``markup``, one line per block element (the fallback)."""
    try:
        tree = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError):
        return ""
    for element in tree.xpath("//script|//style|//noscript|//nav|//form|//template"):
        element.drop_tree()
    for element in tree.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
        element.text = "\n" + (element.text or "")
    return str(tree.text_content())


def clean(raw: RawDocument) -> Document:
    """Turn a RawDocument into a Document with the main text only.

    Raises InputError(raw.source, reason) when no main text is left.
    """
    title, published, outlet = raw.title, raw.published, raw.outlet
    content = raw.content
    if raw.content_type == "html":
        content, meta = _extract_html(raw)
        title = title or meta["title"]
        published = published or meta["date"]
        outlet = outlet or meta["sitename"]
    text = clean_text(content)
    if not text:
        what = "page" if raw.content_type == "html" else "text"
        raise InputError(
            raw.source,
            f"no main text left after cleaning: the {what} holds only markup, navigation, "
            "ads or reader comments",
        )
    return Document(
        id=text_hash(text),
        source=raw.source,
        text=text,
        title=" ".join(title.split()) if title else None,
        url=raw.url,
        outlet=outlet,
        published=normalize_published(published),
    )
