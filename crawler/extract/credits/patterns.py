"""The phrasings that name a source, matched line by line over an article's text.

Each pattern ends where the source name begins; the name runs to the end of the sentence and
is then trimmed of the clauses that follow names in practice ("under a Creative Commons
licence", "on October 27, 2020", ". Visit ..."). Matches keep their offsets in the text so
that a name can be tied to the link drawn around it in the HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .outlets import WIRE_SERVICES, looks_like_domain, name_key
from .statedate import DATE_PATTERN, parse_day

KINDS = (
    "original-source",
    "originally-published",
    "first-appeared",
    "source-url",
    "republished",
    "reprinted",
    "contributed",
    "courtesy",
    "read-more",
    "via",
    "wire-dateline",
    "copyright",
    "canonical",
)

_I = re.IGNORECASE
_END = r"(?P<name>.+)"
# Statements within a sentence: (kind, pattern up to the start of the name).
_SENTENCE = [
    (
        "original-source",
        re.compile(
            r"\boriginal\s+source\s+(?:of\s+(?:this|the)\s+(?:article|post|story|piece|report|item|text|video)\s+)?"
            r"(?:is|was|:)\s*:?\s*" + _END,
            _I,
        ),
    ),
    (
        "originally-published",
        re.compile(
            r"\boriginally\s+(?:been\s+)?(?:published|posted|appeared|ran|printed|featured|produced|"
            r"released|aired)(?:\s+(?:for|and|posted|published)){0,3}\s+(?:on|at|in|by|for|with|to)\s*:?\s+"
            + _END,
            _I,
        ),
    ),
    # Greedy lead-in: a post's title may itself contain "first".
    (
        "first-appeared",
        re.compile(
            r"^(?P<lead>.*)\b(?:first\s+(?:appeared|ran|published|posted)|appeared\s+first|"
            r"was\s+first\s+published|were\s+first\s+published)\s+(?:on|at|in|by)\s*:?\s*" + _END,
            _I,
        ),
    ),
    (
        "republished",
        re.compile(
            r"\b(?:re-?published|re-?posted|cross-?posted)\s+(?:here\s+)?(?:with\s+(?:the\s+)?(?:kind\s+|express\s+)?"
            r"permission\s+)?(?:from|of|courtesy\s+of|by|on)\s+" + _END,
            _I,
        ),
    ),
    (
        "reprinted",
        re.compile(
            r"\breprinted\s+(?:here\s+)?(?:with\s+(?:the\s+)?(?:kind\s+|express\s+)?permission\s+)?"
            r"(?:from|of|courtesy\s+of|by)\s+" + _END,
            _I,
        ),
    ),
    ("contributed", re.compile(r"\bcontributed\s+by\s+" + _END, _I)),
    (
        "courtesy",
        re.compile(
            r"^(?:(?:this\s+)?(?:article|post|story|piece|report|column|content)\s+(?:\w+\s+){0,2})?"
            r"courtesy\s+of\s*:?\s*" + _END,
            _I,
        ),
    ),
    (
        "read-more",
        re.compile(
            r"^read\s+(?:more|the\s+(?:full|rest\s+of\s+the)\s+(?:article|story|post))"
            r"(?:\s+great\s+articles|\s+posts\s+like\s+this)?\s*(?:@|at|here|on|from)\s*:?\s*"
            + _END,
            _I,
        ),
    ),
    (
        "via",
        re.compile(
            r"^(?:(?:authored|written|posted|submitted|compiled)\s+)?by\s+(?P<author>[^.]{2,60}?)\s+via\s+"
            + _END,
            _I,
        ),
    ),
    # The name must start with a capital or digit: "the copyright owner" names nobody.
    # At the start of a sentence only: "© dpa" after a caption credits a photo, not the text.
    # The name must start with a capital or digit: "the copyright owner" names nobody.
    (
        "copyright",
        re.compile(
            r"^(?:[\w*]+\s+){0,4}?(?:(?i:copyright)\b(?!ed)\s*(?:©|\((?i:c)\))?|©\s*(?i:copyright)?|\((?i:c)\)(?=\s*\d{4}))"
            r"\s*(?:\d{4}(?:\s*[-–]\s*\d{2,4})?\s*,?\s*)?(?:(?i:by):?\s*)?(?P<name>[A-Z0-9\[<].*)"
        ),
    ),
]
# Statements that own a whole line.
_SOURCE_LINE = re.compile(
    r"^[(\[]?\s*(?:original\s+|article\s+|story\s+)?(?:source|sources|source\s+link|source\s+url)\s*[:：]\s*(?P<name>.*?)[)\]]?$",
    _I,
)
_VIA_LINE = re.compile(r"^(?:h/t\s+)?via\s*:?\s+(?P<name>.+)$", _I)
_WIRE_LEAD = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}(?:,\s*[A-Z][\w.'’ ]{1,30}?)?\s+)?"
    r"\((?P<name>[A-Z][\w&.'’ -]{0,40}?)\)\s*(?:—|–|--?)\s*\S"
)
_WIRE_TAIL = re.compile(r"(?:^|\s)(?:—|–|--?)\s*(?P<name>[A-Z][\w .]{1,30}?)\s*\.?$")

_CUES = re.compile(
    r"original\s+source|originally\s|first\s+(?:appeared|ran|published|posted)|appeared\s+first|"
    r"re-?published|reprinted|re-?posted|cross-?posted|contributed\s+by|courtesy\s+of|read\s+(?:more|the)|"
    # The wire cues need their capitals: "(AP) —", "— Reuters". Under re.I a bare [A-Z]
    # would let every hyphenated word through the filter.
    r"\bvia\b|\bsources?\b|copyright|©|\(c\)\s*\d|(?-i:\([A-Z][\w&.' -]{0,40}\)\s*[—–-]|[—–-]\s*[A-Z])",
    _I,
)
# One of these is in every line _CUES matches. Testing them with `in` first spares most
# lines the case-insensitive alternation, which costs ~100 µs on a paragraph.
_CUE_FRAGMENTS = ("original", "first", "publish", "reprint", "posted", "contributed",
                  "courtesy", "read", "via", "source", "copyright", "©", "(c)", "—", "–", "-")


def _has_cue(line: str) -> bool:
    low = line.lower()
    return any(f in low for f in _CUE_FRAGMENTS) and _CUES.search(line) is not None


_PLATFORMS = {
    "email",
    "e-mail",
    "mail",
    "twitter",
    "x",
    "facebook",
    "paypal",
    "patreon",
    "telegram",
    "google",
    "googletranslate",
    "youtube",
    "getty",
    "gettyimages",
    "compfight",
    "shutterstock",
    "flickr",
    "wikimedia",
    "wikimediacommons",
    "wikipedia",
    "instagram",
    "reddit",
    "rss",
    "sms",
    "text",
    "whatsapp",
    "signal",
    "zoom",
    "skype",
    "phone",
    "telephone",
    "fax",
    "post",
    "linkedin",
    "gab",
    "rumble",
    "bitchute",
    "tiktok",
    "venmo",
    "cashapp",
    "bitcoin",
    "crypto",
    "our",
    "the",
    "this",
    "a",
    "an",
    "satellite",
    "video",
    "videolink",
    "livestream",
    "press",
    "pressrelease",
    "ap",
    "apimages",
    "unsplash",
    "pixabay",
    "pexels",
    "screenshot",
    "screengrab",
    "imgur",
    "giphy",
    "canva",
    "creativecommons",
    "mailchimp",
    "feedburner",
    "substackapp",
}
_NOT_NAMES = {
    "this",
    "here",
    "it",
    "the",
    "our",
    "my",
    "your",
    "their",
    "his",
    "her",
    "us",
    "me",
    "you",
    "them",
    "all",
    "allrightsreserved",
    "unknown",
    "na",
    "none",
    "author",
    "authors",
    "internet",
    "web",
    "website",
    "site",
    "blog",
    "link",
    "below",
    "above",
    "original",
    "the original",
}
# Photo agencies and stock libraries: a copyright naming them credits a picture.
_PHOTO_CREDIT = re.compile(
    r"/|\b(?:dpa|afp|ap|reuters|getty|imago|istock\w*|shutterstock|epa|zuma|pa\s+wire|press\s+association|"
    r"photo\w*|foto\w*|images?|keystone|anp|belga|aap|xinhua|sipa|alamy|picture[\s-]alliance|handout|"
    r"riproduzione|rechte|reserved|riservata|licencja)\b",
    _I,
)
_NON_WIRE_PARENS = {
    "photo",
    "photos",
    "video",
    "image",
    "update",
    "updated",
    "watch",
    "opinion",
    "editorial",
    "exclusive",
    "analysis",
    "listen",
    "audio",
    "graphic",
    "map",
}
_PRESSISH = re.compile(r"\b(?:press|news|newswire|wire|agency|service|media|times|post)\b", _I)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\"'\]]+", _I)
_CUTS = [
    re.compile(r"\s+(?:on|in)\s+(?=" + DATE_PATTERN + ")", _I),
    re.compile(r",?\s+(?:under|licen[sc]ed)\s+(?:a\s+|the\s+)?(?:creative|cc\b|licen)", _I),
    re.compile(r",?\s+(?:with|by)\s+(?:[\w’'-]+\s+){0,3}permission\b", _I),
    re.compile(r"\s+and\s+(?:is|was|has|have|are|were|it|can|may|appears?)\b", _I),
    re.compile(r",?\s+(?:which|who|where|whose|that)\b", _I),
    re.compile(r"\s*[(\[|]"),
    re.compile(r"\s+[-–—]\s+"),
    re.compile(r"\s+(?:here|below)\s*:?\s*$", _I),
    re.compile(r":\s*(?=https?://|www\.)", _I),
    re.compile(r"\s+all\s+rights\s+reserved", _I),
]
_LEAD_TRIM = re.compile(
    r"^(?:(?:his|her|their|its|our)\s+|the\s+(?:website|blog|site|web\s*site)\s+)", _I
)
_BY_AT = re.compile(r"^by\s+(?P<author>.{2,60}?)\s+(?:at|on|in|for)\s+(?P<name>.+)$", _I)
_A_OF_B = re.compile(r"^(?P<author>[^,]{2,60}?)\s+(?:of|from|at)\s+(?P<name>.+)$", _I)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Gen|Col|Lt|Sgt|Rep|Sen|Gov|Inc|Co|Ltd|No|vs|U\.S|U\.K))\.$"
)


@dataclass(frozen=True)
class Found:
    """A statement located in a text; offsets let the caller find the link around the name."""

    kind: str
    sentence: str
    name: str
    start: int
    end: int
    author: str | None = None
    day: str | None = None
    url: str | None = None
    holders: tuple[str, ...] = ()  # every name in a copyright line


def clean_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _sentences(line: str, offset: int) -> Iterator[tuple[str, int]]:
    start = 0
    for m in _SENTENCE_END.finditer(line):
        if _ABBREV.search(line[start : m.start()].rstrip('"”’)')) or looks_like_domain(
            line[m.start() - 1 : m.start()]
        ):
            continue
        yield line[start : m.start()], offset + start
        start = m.end()
    yield line[start:], offset + start


def _trim_name(raw: str) -> tuple[str, str | None, str | None]:
    """(name, author, stated day) from the text that follows a cue."""
    name = raw.strip()
    day = None
    urls = _URL.findall(name)
    if urls and _URL.fullmatch(name.strip(" <>.,;")):
        return urls[0].rstrip(".,;:!?)>"), None, None
    for cut in _CUTS:
        m = cut.search(name)
        if m and m.start() > 0:
            tail = name[m.start() :]
            day = day or parse_day(tail)
            name = name[: m.start()]
    name = name.strip(" \t\"'“”‘’«»<>*_.,;:!?").replace("®", "").replace("™", "").strip()
    name = re.sub(r",?\s*\d{4}$", "", name).strip(" ,")
    author = None
    m = _BY_AT.match(name)
    if m:
        author, name = m.group("author"), m.group("name")
    name = _LEAD_TRIM.sub("", name).strip()
    return name, author, day


def valid_name(name: str) -> bool:
    if not name or _URL.match(name):
        return bool(name)
    key = name_key(name)
    if len(key) < 2 or name.lower() in _NOT_NAMES or key in _NOT_NAMES:
        return False
    if re.fullmatch(r"[\d\W]+", name) or parse_day(name) == name:
        return False
    return len(name.split()) <= 10 and len(name) <= 100


def _platform(name: str) -> bool:
    key = name_key(name)
    first = name_key(name.split()[0]) if name.split() else ""
    return (
        key in _PLATFORMS
        or first in _PLATFORMS
        or any(key.startswith(p) for p in _PLATFORMS if len(p) > 4)
    )


def _sentence_hits(sentence: str, start: int) -> Iterator[Found]:
    stripped = sentence.strip()
    lead = len(sentence) - len(sentence.lstrip())
    for kind, pattern in _SENTENCE:
        m = pattern.search(stripped)
        if not m:
            continue
        if kind == "first-appeared":
            lead_text = m.group("lead")
            if len(lead_text.split()) > 30 and not re.match(
                r"\s*(?:the|this)\s+post\b", lead_text, _I
            ):
                continue
        raw = m.group("name")
        name, author, day = _trim_name(raw)
        if kind == "via":
            author = m.group("author")
            if _platform(name):
                continue
        if kind == "copyright" and "," in raw and not _URL.match(name):
            # "Copyright © Pavel Rudenko, Strategic Culture Foundation, 2020": the holder list
            # may name the author and the outlet; the caller picks the outlet among them.
            parts = [p.strip(" .") for p in re.split(r",|\s+and\s+", raw) if p.strip(" .")]
            parts = [
                p
                for p in parts
                if not re.fullmatch(r"\d{4}|all rights reserved|(?:inc|llc|ltd|ps|plc)", p, _I)
            ]
            name = parts[0] if parts else name
            holders = tuple(parts)
        else:
            holders = ()
        if not author and re.search(r"\bby\s*:?\s*$", stripped[: m.start("name")], _I):
            # "originally published by Michael Snyder at his Economic Collapse Blog"
            split = _BY_AT.match("by " + name)
            if split:
                author, name = (
                    split.group("author"),
                    _LEAD_TRIM.sub("", split.group("name")).strip(),
                )
        if kind in ("contributed", "via") and not author:
            split = _A_OF_B.match(name)
            if split and (
                looks_like_domain(split.group("name")) or split.group("name")[:1].isupper()
            ):
                author, name = split.group("author"), split.group("name")
        if kind == "copyright" and (_PHOTO_CREDIT.search(name) or name_key(name) == "copyright"):
            continue
        if not valid_name(name):
            continue
        # In running prose a source is a proper name or a site: "first published in 1998" is not.
        if not (name[:1].isupper() or looks_like_domain(name) or _URL.match(name)) or re.match(
            r"\d{4}\b", name
        ):
            continue
        s = start + lead + m.start("name")
        # "Copyright 2013 Mercedes Kirkel, http://www.mercedeskirkel.com": the site follows the name.
        link = _URL.search(raw)
        url = link.group(0).rstrip(".,;:!?)>") if link else None
        yield Found(kind, clean_text(stripped), name, s, s + len(raw), author, day, url, holders)


def _line_hits(line: str, start: int, next_line: str | None, first_lines: bool) -> Iterator[Found]:
    stripped = line.strip()
    lead = len(line) - len(line.lstrip())
    m = _SOURCE_LINE.match(stripped)
    if m:
        raw = m.group("name")
        pos = start + lead + m.start("name")
        if not raw.strip() and next_line and _URL.fullmatch(next_line.strip(" <>")):
            raw = next_line.strip(" <>")
        name, _, day = _trim_name(raw)
        if valid_name(name):
            yield Found("source-url", clean_text(stripped), name, pos, pos + len(raw), day=day)
        return
    m = _VIA_LINE.match(stripped)
    if m and len(stripped.split()) <= 8:
        name, _, _ = _trim_name(m.group("name"))
        if valid_name(name) and not _platform(name):
            pos = start + lead + m.start("name")
            yield Found("via", clean_text(stripped), name, pos, pos + len(m.group("name")))
        return
    if first_lines:
        m = _WIRE_LEAD.match(stripped)
        if m:
            name = m.group("name").strip()
            key = name_key(name)
            # "HOUSTON, Texas (KTRK) --": a US station's call sign names the page's own newsroom.
            callsign = re.fullmatch(r"[KW][A-Z]{2,3}(?:-TV)?", name) is not None
            if (
                not callsign
                and key not in _NON_WIRE_PARENS
                and (key in WIRE_SERVICES or m.group("place") or _PRESSISH.search(name))
            ):
                pos = start + lead + m.start("name")
                yield Found(
                    "wire-dateline", clean_text(stripped[: m.end() - 1]), name, pos, pos + len(name)
                )
                return
    m = _WIRE_TAIL.search(stripped)
    if m and name_key(m.group("name")) in WIRE_SERVICES:
        pos = start + lead + m.start("name")
        sentence = stripped if len(stripped) < 40 else stripped[m.start() :].strip()
        yield Found(
            "wire-dateline",
            clean_text(sentence),
            m.group("name").strip(),
            pos,
            pos + len(m.group("name")),
        )


def scan(text: str) -> list[Found]:
    """Every attribution statement in a text, in order; a line may hold several."""
    hits: list[Found] = []
    lines = [(m.group(0), m.start()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]
    for index, (line, start) in enumerate(lines):
        if not _has_cue(line):
            continue
        next_line = lines[index + 1][0] if index + 1 < len(lines) else None
        line_hits = list(_line_hits(line, start, next_line, first_lines=index < 40))
        hits.extend(line_hits)
        if line_hits:
            continue
        for sentence, s_start in _sentences(line, start):
            for hit in _sentence_hits(sentence, s_start):
                # "This column first ran on ATTN:" with the link on the following line.
                if (
                    not hit.url
                    and next_line
                    and line.rstrip().endswith(":")
                    and _URL.fullmatch(next_line.strip(" <>"))
                ):
                    hit = replace(hit, url=next_line.strip(" <>"))
                hits.append(hit)
    return hits


def candidate_lines(text: str) -> list[str]:
    """Lines that carry an attribution statement, whitespace-normalised, in order."""
    seen: list[str] = []
    for hit in scan(text):
        line = text[
            text.rfind("\n", 0, hit.start) + 1 : (text.find("\n", hit.start) + 1 or len(text) + 1)
            - 1
        ]
        line = clean_text(line)
        if line not in seen:
            seen.append(line)
    return seen
