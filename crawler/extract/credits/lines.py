"""Credits that own a line: "Source: X" in any language, "via X", "Courtesy: X". Datelines
are in :mod:`.datelines`, bylines, sign-offs and provider labels in :mod:`.bylines`.

Where the line stands decides what it can be: datelines and bylines open an article,
sign-offs close it; a bare name in the middle of a story is a heading, not a credit. Names in
bylines, sign-offs and labels count only when they resolve to a known outlet or agency or read
as a publication's name, so a reporter's byline is never taken for a source.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .clauses import trim_name, valid_name
from .names import URL, Found, clean_text, is_platform

_I = re.IGNORECASE
_SOURCE_WORDS = (
    r"source|sources|source\s+link|source\s+url|fuente|fuentes|fonte|fontes|quelle|quellen|источник|"
    r"источники|джерело|المصدر|مصدر|来源|來源|出处|出處|स्रोत|ماخذ|ذریعہ|kaynak|bron|źródło|zrodlo|forrás|"
    r"zdroj|kilde|källa|lähde|sumber|nguồn|出典|출처|πηγή|מקור|منبع|izvor|vir|allikas|šaltinis|avots|извор"
)
_SOURCE_LINE = re.compile(
    r"^(?:[/|•·–—-]\s*)?[(\[（]?\s*(?:original\s+|article\s+|story\s+|news\s+|weitere\s+|other\s+|additional\s+|autres\s+|"
    r"otras\s+|altre\s+)?(?:" + _SOURCE_WORDS + r")\s*[:：•·|]\s*"
    r"(?P<name>.*?)[)\]）]?$",
    _I,
)
_SOURCE_MARKS = (":", "：", "•", "·", "|")  # one of these follows the word in _SOURCE_LINE
# "via X", "h/t via X", "H/T: X", "Hat tip to X", and the same in brackets: "(via Geeks Are
# Sexy)". A line of its own only: inside a sentence "via" is the story's ("via satellite").
_VIA_LINE = re.compile(
    r"^(?P<open>[(\[])?\s*(?:(?:h/t\s+)?via|h/t|h\.t\.|hat\s+tip(?:\s+to)?)\s*:?\s+(?P<name>.+?)"
    r"\s*(?(open)[)\]])$",
    _I,
)
_VIA_PARTS = re.compile(r"\s+(?:and|&)\s+|,\s*|;\s*")
# "IHR (Institute For Historical Review)": the spelled-out name is the one to resolve.
_ABBREVIATED = re.compile(r"^(?P<short>[\w.]{2,12})\s*\((?P<long>[^()]{4,80})\)$")
# PLACE[, region or date] (AGENCY) —   ·   (AGENCY) —   ·   MOSCOW, Dec 3 /TASS/.
Known = Callable[[str], bool]


_COURTESY_LINE = re.compile(
    r"^(?:courtesy(?!\s+of\b)|بشکریہ|بہ\s*شکریہ|سौजन्य|सौजन्य|cortes[íi]a(?:\s+de)?|gentileza(?:\s+de)?|"
    r"avec\s+l['’]aimable\s+autorisation\s+d[eu]|mit\s+freundlicher\s+genehmigung\s+(?:von|der|des)|"
    r"per\s+gentile\s+concessione\s+(?:di|de[li]|della)|بإذن\s+من)\s*[:：]?\s*(?P<name>.{2,80})$",
    _I,
)


# "(서울=연합뉴스)": Korean agencies put the place and themselves in one bracket
def courtesy_line(stripped: str, pos: int) -> Found | None:
    """A closing "Courtesy: X" in any language ("بشکریہ: ڈان")."""
    m = _COURTESY_LINE.match(stripped)
    if not m:
        return None
    name, _, _ = trim_name(m.group("name"))
    if not valid_name(name):
        return None
    at = pos + m.start("name")
    return Found(
        "courtesy", clean_text(stripped), name, at, at + len(name), form="footer", strict=True
    )


def source_line(stripped: str, pos: int, next_line: str | None) -> Found | None:
    if not any(map(stripped.__contains__, _SOURCE_MARKS)):
        return None  # no mark after a "Source" word (most lines): the expression cannot match
    m = _SOURCE_LINE.match(stripped)
    if not m:
        return None
    raw = m.group("name")
    at = pos + m.start("name")
    if not raw.strip() and next_line and URL.fullmatch(next_line.strip(" <>")):
        raw = next_line.strip(" <>")
    name, _, day = trim_name(raw)
    if not valid_name(name):
        return None
    return Found(
        "source-url", clean_text(stripped), name, at, at + len(raw), day=day, form="source-url"
    )


def via_line(stripped: str, pos: int) -> list[Found]:
    """The sources of a "via X" line, one per name ("h/t A and B")."""
    m = _VIA_LINE.match(stripped)
    if not m or len(stripped.split()) > 12:
        return []
    raw = m.group("name")
    if " @ " in raw or len(raw.split()) > 8:
        return []  # "h/t Preamble to the U.S. Constitution @ vocabulary.com": a reference
    found = []
    offset = 0
    for part in _VIA_PARTS.split(raw):
        at = raw.find(part, offset)
        offset = at + len(part)
        short = _ABBREVIATED.match(part.strip())
        if short and _abbreviates(short.group("short"), short.group("long")):
            part, at = short.group("long"), at + part.find(short.group("long"))
        name, _, _ = trim_name(part)
        if not valid_name(name) or is_platform(name) or not name[:1].isalnum():
            continue
        start = pos + m.start("name") + at
        found.append(Found("via", clean_text(stripped), name, start, start + len(part), form="via"))
    return found


def _abbreviates(short: str, long: str) -> bool:
    """True when ``short`` is built of the initials of ``long``, in order ("IHR" for
    "Institute For Historical Review", its "For" left out)."""
    initials = iter(w[0].upper() for w in long.split() if w[:1].isalpha())
    letters = short.replace(".", "").upper()
    return len(letters) >= 2 and all(ch in initials for ch in letters)
