"""Bytes -> text for the readers: binary sniffing and encoding detection.

``binary_kind(head)`` names what a non-text file looks like ("PDF", "PNG image")
from its first bytes. ``decode_bytes(data)`` turns a document's bytes into text,
trying in order:

1. a UTF-8 BOM, then UTF-32 and UTF-16 BOMs;
2. strict UTF-8;
3. UTF-8 with a few bad bytes: decoded with U+FFFD replacements when the bad
   bytes are few next to the valid multi-byte characters (or next to the text);
   a file with many of both is "mixed encoding" and refused;
4. charset detection (charset_normalizer), preferring cp1252 when it ties with
   the best guess (short Western texts are often guessed as cp1250);
5. cp1252 as the last resort, if the result looks like text.

Failures raise ``DecodeError`` whose message says what to do.
"""

from __future__ import annotations

import codecs
import unicodedata

import charset_normalizer

# (prefix, description); checked in order, longest prefixes first where they overlap.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive, e.g. DOCX, XLSX or EPUB"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office 97-2003 document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"PAR1", "Parquet file"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM video"),
    (b"{\\rtf", "RTF document"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_LATIN_FAMILY = frozenset(
    {"cp1250", "cp1252", "cp1257", "latin_1", "iso8859_15", "iso8859_2", "mac_roman"}
)


class DecodeError(ValueError):
    """Bytes that tocsin cannot turn into text; ``str(err)`` is the reason."""


def bom_encoding(head: bytes) -> str | None:
    """Return the codec named by a byte-order mark at the start of ``head``, if any."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


def binary_kind(head: bytes) -> str | None:
    """Say what ``head`` (a file's first bytes) looks like if it is not text, else None."""
    if bom_encoding(head) in ("utf-16", "utf-32"):
        return None  # NUL bytes are expected there
    if head[4:8] == b"ftyp":
        return "MP4/MOV video"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[head[8:12]]
    for prefix, kind in _MAGIC:
        if head.startswith(prefix):
            return kind
    if b"\x00" in head:
        return "contains NUL bytes"
    return None


def _utf8_counts(data: bytes) -> tuple[int, str]:
    """Decode ``data`` as UTF-8 with replacement; return (invalid sequences, text)."""
    text = data.decode("utf-8", errors="replace")
    return text.count("\ufffd") - data.count(b"\xef\xbf\xbd"), text


def _looks_like_text(text: str, *, latin: bool = False) -> bool:
    """True when ``text`` has few control characters.

    With ``latin``, also require that most letters are ASCII (a misread non-Latin
    encoding decodes to runs of accented letters).
    """
    if not text:
        return True
    controls = sum(
        1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\t\n\r\f"
    )
    if controls > len(text) * 0.01:
        return False
    if not latin:
        return True
    letters = [ch for ch in text if ch.isalpha()]
    non_ascii = sum(1 for ch in letters if ord(ch) > 0x7F)
    return non_ascii <= max(len(letters), 1) * 0.3


def _detect(data: bytes) -> str | None:
    """Guess a legacy encoding with charset_normalizer; None when nothing fits."""
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    tied = [m.encoding for m in matches if m.chaos <= best + 0.01]
    if "cp1252" in tied and tied[0] in _LATIN_FAMILY:
        return "cp1252"
    return tied[0]


def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """Decode a document's bytes; return (text, note) where note says what was repaired.

    Raises DecodeError with an actionable reason when the bytes are not text in
    one encoding.
    """
    bom = bom_encoding(data[:4])
    if bom is not None:
        try:
            return data.decode(bom), None
        except UnicodeDecodeError as err:
            raise DecodeError(
                f"starts with a {bom.upper()} byte-order mark but is not valid {bom.upper()} "
                f"(bad bytes at offset {err.start}); re-save the file as UTF-8"
            ) from err
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    bad, replaced = _utf8_counts(data)
    good = sum(1 for ch in replaced if ord(ch) > 0x7F) - replaced.count("\ufffd")
    if good > 0:
        if bad * 10 <= good or bad <= max(2, len(data) // 1000):
            return replaced, f"{bad} byte sequence(s) not valid UTF-8 replaced with U+FFFD"
        raise DecodeError(
            f"mixed encoding: {good} valid UTF-8 characters and {bad} invalid byte "
            "sequences; convert the whole file to UTF-8 (e.g. with iconv)"
        )
    encoding = _detect(data)
    if encoding is not None:
        text = data.decode(encoding, errors="replace")
        if _looks_like_text(text):
            return text, f"decoded as {encoding} (not UTF-8)"
    text = data.decode("cp1252", errors="replace")
    if _looks_like_text(text, latin=True):
        return text, "decoded as cp1252 (not UTF-8)"
    raise DecodeError(
        "undecodable: not UTF-8, UTF-16 or any single encoding that charset detection "
        "recognises; check that it is a text file and convert it to UTF-8"
    )
