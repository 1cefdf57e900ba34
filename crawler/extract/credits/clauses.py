"""Clauses around a source name: trimming what follows it, and telling a name from a date."""

from __future__ import annotations

import re

from .names import DATE_WORDS, NOT_NAMES, URL, name_key
from .statedate import parse_day

_I = re.IGNORECASE
_YEAR_TAIL = re.compile(r",?\s*\d{4}(?:\s*[-–]\s*(?:\d{2,4})?)?$")
_NO_LETTERS = re.compile(r"[\d\W]+")
_CUTS = [
    re.compile(
        r"\s+(?:on|in)\s+(?=(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
        r"[a-z]*\.?\s+\d|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})",
        _I,
    ),
    re.compile(r",?\s+(?:under|licen[sc]ed)\s+(?:a\s+|the\s+)?(?:creative|cc\b|licen)", _I),
    re.compile(r",?\s+(?:with|by)\s+(?:[\w’'-]+\s+){0,3}permission\b", _I),
    re.compile(r"\s+and\s+(?:is|was|has|have|are|were|it|can|may|appears?)\b", _I),
    re.compile(r",?\s+(?:which|who|where|whose|that)\b", _I),
    # An apposition describes the name: "Workday Magazine, a nonprofit newsroom devoted to …"
    re.compile(r",\s+(?:a|an|the)\s+(?=[a-z])"),
    re.compile(r"\s*[(\[|（【]"),
    re.compile(r"\s+[-–—]\s+"),
    re.compile(r"\s+(?:here|below)\s*:?\s*$", _I),
    re.compile(r":\s*(?=https?://|www\.)", _I),
    re.compile(r"\s+all\s+rights\s+reserved", _I),
    re.compile(r"[。；;]"),
]
LEAD_TRIM = re.compile(
    r"^(?:(?:his|her|their|its|our)\s+|the\s+(?:website|blog|site|web\s*site)\s+)", _I
)
BY_AT = re.compile(r"^by\s+(?P<author>.{2,60}?)\s+(?:at|on|in|for)\s+(?P<name>.+)$", _I)
A_OF_B = re.compile(r"^(?P<author>[^,]{2,60}?)\s+(?:of|from|at|for)\s+(?P<name>.+)$", _I)


def trim_name(raw: str) -> tuple[str, str | None, str | None]:
    """(name, author, stated day) from the text that follows a cue."""
    name = raw.strip()
    day = None
    urls = URL.findall(name)
    if urls and URL.fullmatch(name.strip(" <>.,;")):
        return urls[0].rstrip(".,;:!?)>"), None, None
    for cut in _CUTS:
        m = cut.search(name)
        if m and m.start() > 0:
            tail = name[m.start() :]
            day = day or parse_day(tail)
            name = name[: m.start()]
    name = (
        name.strip(" \t\"'“”‘’«»<>*_.,;:!?。，：「」『』").replace("®", "").replace("™", "").strip()
    )
    name = _YEAR_TAIL.sub("", name).strip(" ,")
    author = None
    m = BY_AT.match(name)
    if m:
        author, name = m.group("author"), m.group("name")
    name = LEAD_TRIM.sub("", name).strip()
    return name, author, day


def valid_name(name: str) -> bool:
    """A plausible source name: not a pronoun, a date, a number or a whole sentence."""
    if not name or URL.match(name):
        return bool(name)
    key = name_key(name)
    if len(key) < 2 or name.lower() in NOT_NAMES or key in NOT_NAMES:
        return False
    if _NO_LETTERS.fullmatch(name) or parse_day(name) == name or DATE_WORDS.match(name):
        return False
    return len(name.split()) <= 10 and len(name) <= 100
