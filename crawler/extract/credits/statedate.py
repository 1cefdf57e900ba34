"""The date a republisher gives for the original ("South Front 27 October 2020").

Global Research prints two datelines under the title: its own ("Global Research, October 28,
2020") and the source's ("South Front 27 October 2020"). The second is the best evidence of
when the original appeared, often better than anything on the original page itself.
"""

from __future__ import annotations

import re
from datetime import date

from .names import name_key

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NON_DIGIT = re.compile(r"\D")
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
DATE_PATTERN = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})"
)
_DATE_RE = re.compile(DATE_PATTERN, re.IGNORECASE)
_DATELINE = re.compile(
    rf"^(?P<name>[^\d\n]{{2,80}}?)[\s,]+(?P<date>{DATE_PATTERN})\s*$", re.IGNORECASE
)
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# Labels that precede a date without naming anybody.
_LABELS = {
    "published",
    "updated",
    "posted",
    "date",
    "modified",
    "lastupdated",
    "firstpublished",
    "on",
    "dated",
    "publishedon",
    "postedon",
    "updatedon",
    "created",
    "by",
}
_HEADER_LINES = 25


def parse_day(text: str) -> str | None:
    """``27 October 2020`` / ``October 27, 2020`` / ``2020-10-27`` -> ``2020-10-27``."""
    m = _DATE_RE.search(text)
    if not m:
        return None
    s = m.group(0).lower().replace(",", " ").replace(".", " ")
    try:
        if _ISO_DAY.fullmatch(s.strip()):
            return date.fromisoformat(s.strip()).isoformat()
        tokens = s.split()
        if tokens[0][0].isdigit():
            day, month, year = tokens[0], tokens[1], tokens[2]
        else:
            month, day, year = tokens[0], tokens[1], tokens[2]
        day = _NON_DIGIT.sub("", day)
        return date(int(year), _MONTHS[month], int(day)).isoformat()
    except (KeyError, ValueError, IndexError):
        return None


def datelines(text: str) -> list[tuple[str, str]]:
    """(name, ISO day) for each "Name, date" line among the first lines of an article."""
    found = []
    lines = 0
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        lines += 1
        if lines > _HEADER_LINES:
            break
        if "](" in line:
            line = _MARKDOWN_LINK.sub(r"\1", line)
        # The line must end with the date, so with a digit: testing that first spares the
        # paragraphs the expression, which tries every length of name on them.
        if not line.rstrip()[-1:].isdigit():
            continue
        m = _DATELINE.match(line)
        if not m:
            continue
        name = m.group("name").strip(" ,:-–—|")
        if name.lower().startswith("by "):
            name = name[3:].strip()
        if not name or name_key(name) in _LABELS or len(name.split()) > 8:
            continue
        day = parse_day(m.group("date"))
        if day:
            found.append((name, day))
    return found


def stated_origin(
    text: str, own_keys: set[str] | frozenset[str] = frozenset()
) -> tuple[str, str] | None:
    """(name, ISO day) of the original as the republisher states it, or None.

    Without knowing the page's own names, two datelines with different names are needed, and
    the earlier one is taken: an original cannot appear after its copy.
    """
    lines = datelines(text)
    others = [(n, d) for n, d in lines if name_key(n) not in own_keys]
    if own_keys and len(others) < len(lines):
        return min(others, key=lambda nd: nd[1]) if others else None
    if len({name_key(n) for n, _ in lines}) >= 2:
        return min(lines, key=lambda nd: nd[1])
    return None


def stated_origin_date(text: str, own_keys: set[str] | frozenset[str] = frozenset()) -> str | None:
    """ISO day the republisher gives for the original ("South Front 27 October 2020"), or None."""
    found = stated_origin(text, own_keys)
    return found[1] if found else None
