"""Text normalisation that survives what republishers do.

Republished copies differ from their origin in ways that carry no meaning: curly versus
straight quotes, dashes, non-breaking and zero-width spaces, soft hyphens, HTML entities left
escaped, markup left in, case, accents dropped by one CMS and kept by another.
`normalize_text` removes the differences that need whole-string operations (entities, tags,
case, compatibility forms); `code_points` then classifies every character with one table
lookup, so that punctuation of any kind separates words and invisible characters and
diacritics vanish. Paragraph breaks (line breaks) survive normalisation.
"""

from __future__ import annotations

import html
import re
import unicodedata

import numpy as np

__all__ = ["BREAK", "SEPARATOR", "UNSPACED", "WORD", "code_points", "normalize_text"]

SEPARATOR, WORD, UNSPACED, BREAK, DROP = 0, 1, 2, 3, 4

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]{0,500})?/?>")
_TABLE_SIZE = 0x30000


def _build_table() -> np.ndarray:
    table = np.fromiter(
        (WORD if chr(i).isalnum() else SEPARATOR for i in range(_TABLE_SIZE)),
        dtype=np.uint8,
        count=_TABLE_SIZE,
    )
    # Indic vowel signs and viramas are not alphanumeric but belong inside the word.
    for start, end in [(0x0900, 0x0DFF)]:
        block = table[start : end + 1]
        block[block == SEPARATOR] = WORD
        for cp in range(start, end + 1):
            if unicodedata.category(chr(cp)).startswith(("P", "Z", "S")):
                table[cp] = SEPARATOR
    # Scripts written without spaces: each character is a token (character n-grams).
    for start, end in [
        (0x0E00, 0x0EFF),  # Thai, Lao
        (0x1000, 0x109F),  # Myanmar
        (0x1780, 0x17FF),  # Khmer
        (0x3040, 0x30FF),  # Hiragana, Katakana
        (0x3400, 0x4DBF),  # CJK extension A
        (0x4E00, 0x9FFF),  # CJK unified ideographs
        (0xF900, 0xFAFF),  # CJK compatibility ideographs
        (0x20000, _TABLE_SIZE - 1),  # CJK extensions B-F
    ]:
        table[start : end + 1] = UNSPACED
    # Diacritics that copies drop or add (after NFKD they are separate code points) and
    # invisible characters some CMSs insert inside words: removing them joins the word.
    for start, end in [
        (0x0300, 0x036F), (0x0483, 0x0489), (0x0591, 0x05C7), (0x0610, 0x061A),
        (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x1AB0, 0x1AFF),
        (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F),
    ]:  # fmt: skip
        table[start : end + 1] = DROP
    for cp in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x180E):
        table[cp] = DROP
    for cp in (0x0A, 0x0D, 0x2028, 0x2029):
        table[cp] = BREAK
    return table


_CLASS = _build_table()


def _build_lower() -> np.ndarray:
    lower = np.arange(_TABLE_SIZE, dtype=np.uint32)
    for i in range(_TABLE_SIZE):
        folded = chr(i).lower()
        if len(folded) == 1 and folded != chr(i):
            lower[i] = ord(folded)
    lower[0x03C2] = 0x03C3  # final sigma folds to sigma, as str.casefold does
    return lower


# Lower-casing by table lookup is several times faster than str.casefold on non-ASCII
# text; the few multi-character foldings (ß → ss) only need to be consistent, not exact.
_LOWER = _build_lower()


def normalize_text(text: str) -> str:
    """Unescape entities, strip tags and apply NFKD (compatibility forms such as full-width
    letters and ligatures, and accents split off the letters). Case is folded later, in
    `code_points`."""
    if not text:
        return ""
    # Double-escaped entities ("&amp;quot;") are common in feeds and scraped copies.
    for _ in range(2):
        if "&" not in text:
            break
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
    return text


def code_points(text: str, *, normalized: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The normalised, lower-cased text as code points and their classes, with DROP
    characters removed. Pass ``normalized=True`` for text that already went through
    `normalize_text`.

    Returns ``(cps, classes)``: uint32 code points and uint8 classes (SEPARATOR, WORD,
    UNSPACED, BREAK).
    """
    if not normalized:
        text = normalize_text(text)
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if text.isascii():
        return _LOWER[cps], _CLASS[cps]
    beyond = cps >= _TABLE_SIZE
    if beyond.any():
        # Planes above the table (emoji, historic scripts) separate words.
        cps = np.where(beyond, np.uint32(0x20), cps)
    classes = _CLASS[cps]
    cps = _LOWER[cps]
    keep = classes != DROP
    if not keep.all():
        cps, classes = cps[keep], classes[keep]
    return cps, classes
