"""Lines that name a source without a cue word: a sign-off shared with the page's own outlet
("Wochenblatt / Última Hora", "AFP/The Local"), a line that is only another site's address
("BVINEWS.COM"), and the note about the source that closes a republished piece
("LifeNews.com is an independent news agency devoted to …").

What makes them credits is where they stand and what stands beside them, so each form is
narrow: the shared sign-off needs the page's own name as one of its two parts, the address
line must be nothing but an address, the note must describe a publication.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .clauses import valid_name
from .names import Found, clean_text, file_name_like, looks_like_domain

Known = Callable[[str], bool]

_SHARED = re.compile(r"\s*/\s*")
_NAME_PART = re.compile(r"^[A-ZÀ-ÖØ-Þ\u0400-\u042f][\w.'’&-]*(?:\s+[\w.'’&-]+){0,3}$")
_MAX_SHARED = 60
_HOST = re.compile(r"(?:www\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}")
# "X is an independent news agency devoted to …", "X is a nonprofit newsroom …"
_ABOUT = re.compile(
    r"^(?P<name>[A-Z0-9][\w.&'’-]*(?:\s+[A-Z0-9][\w.&'’-]*){0,4})\s+(?:is|was)\s+(?:an?|the)\s+"
    r"(?:[\w-]+\s+){0,4}?(?:news|agency|website|web\s+site|site|publication|newspaper|magazine|outlet|"
    r"newsroom|publisher|blog|journal|media\s+(?:company|organi[sz]ation|outlet)|news\s+service)\b"
)


def shared_signoff(stripped: str, pos: int, own: Known) -> list[Found]:
    """ "Wochenblatt / Última Hora" closing a Wochenblatt story: the page's own name and its
    source. Only when one of the two parts is the page's own name; the other is credited."""
    if len(stripped) > _MAX_SHARED or ":" in stripped or "/" not in stripped:
        return []
    parts = _SHARED.split(stripped.strip("() "))
    if len(parts) != 2 or not all(_NAME_PART.match(p) for p in parts):
        return []
    mine = [own(p) for p in parts]
    if mine.count(True) != 1:
        return []
    name = parts[mine.index(False)]
    if not valid_name(name):
        return []
    at = pos + stripped.find(name)
    return [Found("sign-off", clean_text(stripped), name, at, at + len(name), form="sign-off")]


def address_line(stripped: str, pos: int, edge: bool) -> Found | None:
    """A line that is only a site's address ("BVINEWS.COM", "(henrymakow.com)"): the sign-off
    of the site the piece came from. Only a host name, not a link to a page (a reference);
    at the top or bottom of the text, or set in capitals as sign-offs are. The page's own
    address is left out by the caller."""
    name = stripped.strip(" .*_-–—()[]").removesuffix("/")
    if (
        not name
        or len(name) > 60
        or not _HOST.fullmatch(name)
        or file_name_like(name)
        or not (edge or name.isupper())
        or not looks_like_domain(name)
    ):
        return None
    at = pos + stripped.find(name)
    return Found("sign-off", clean_text(stripped), name, at, at + len(name), form="sign-off")


def about_source(stripped: str, pos: int, known: Known) -> Found | None:
    """A closing note that describes the source: "LifeNews.com is an independent news agency
    devoted to …". The name must be a site's address or a known outlet or agency."""
    m = _ABOUT.match(stripped)
    if not m:
        return None
    name = m.group("name")
    if not (looks_like_domain(name) or known(name)):
        return None
    at = pos + m.start("name")
    return Found("sign-off", clean_text(stripped), name, at, at + len(name), form="sign-off")
