"""Scanning an article's text line by line for credits, by where each line stands.

The first lines of an article hold its byline and dateline, the last its sign-off and
footer; a statement in between must speak of the piece itself. A line may hold several
credits ("Source: X. Originally published on Y").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import lru_cache
from itertools import accumulate

from . import bylines, closings, datelines
from . import lines as line_forms
from .bylines import PUBLICATION
from .cues import line_cues, minimal
from .fragments import Fragments
from .names import URL, Found, clean_text, looks_like_domain, name_key
from .registry import Registry, shared_registry
from .statements import sentence_hits

# A sentence ends after its stop: the match starts at the stop, one character before the
# next sentence's space, so that the expression is tried only where a stop stands.
_SENTENCE_END = re.compile(
    r"[.!?。！？۔](?:(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(\[]?[A-Z0-9\u0400-\u04ff\u0600-\u06ff\u0900-\u097f])|(?<=[。！？۔])\s*)"
)
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Gen|Col|Lt|Sgt|Rep|Sen|Gov|Inc|Co|Ltd|No|vs|U\.S|U\.K))\.$"
)
_ABBREV_CHARS = 6  # an abbreviation and its stop are at most this long: searched only there
# One of these is in every line a statement pattern can match; testing them with `in` first
# spares most story lines the regular expressions.
_CUE_FRAGMENTS = (
    "original",
    "first",
    "appeared",
    "also ran",
    "previously ran",
    "publish",
    "reprint",
    "posted",
    "contributed",
    "courtesy",
    "read",
    "via",
    "source",
    "copyright",
    "©",
    "(c)",
    "—",
    "–",
    "-",
    "issue",
    "edition",
    "input",
    "reproduc",
    "publicad",
    "paru",
    "publié",
    "erschien",
    "veröffentlicht",
    "pubblicat",
    "appars",
    "опубликов",
    "вышл",
    "перепечат",
    "материал",
    "نشر",
    "نُشر",
    "首发",
    "首發",
    "转载",
    "轉載",
    "来源",
    "來源",
    "原载",
    "原載",
    "yayımlan",
    "yayimlan",
    "प्रकाशित",
    "شائع",
    "fuente",
    "fonte",
    "quelle",
    "источник",
    "джерело",
    "مصدر",
    "kaynak",
    "स्रोत",
    "ماخذ",
    "información",
    "informaç",
    "material",
    "avec",
    "ripres",
    "republic",
    "republi",
    "reproduz",
    "bron",
    "źródło",
    "sumber",
    "nguồn",
    "출처",
    "出典",
    "provided",
    "distributed",
    "from",
    "•",
    "·",
    "(",
    "（",
    "【",
    "/",
    "电",
    "電",
)
# The same fragments, the commonest first, so that a line with a cue is told early.
_COMMON_CUES = ("-", "(", "/", "from", "read", "—", "–", "source", "first", "via", "publish")
_CUE_TESTS = minimal(_COMMON_CUES + tuple(f for f in _CUE_FRAGMENTS if f not in _COMMON_CUES))
_CUES = Fragments(_CUE_TESTS, first=tuple(f for f in _CUE_TESTS if f in _COMMON_CUES))
_TOP_LINES = 6  # bylines and agency lines stand in the first lines …
_BOTTOM_LINES = 4  # … sign-offs in the last
_EDGE_LINES = 8  # statements about the piece stand within this many lines of either end
_DATELINE_LINES = 60
_BYLINE_LINES = 25  # "By …" lines, after the furniture a text export keeps above the story

Known = Callable[[str], bool]
_BEFORE_NAME = re.compile(r"(?:,|\b(?:of|for|at|de|pour|für|per|para)\b|\||l['’])\s*$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _has_cue(line: str) -> bool:
    # Cached: the text of an article is scanned twice (its credits, its credit lines).
    return _CUES.any_in(line.lower())


def _sentences(line: str, offset: int) -> Iterator[tuple[str, int]]:
    start = 0
    for m in _SENTENCE_END.finditer(line):
        end = m.start() + 1  # after the stop
        if end <= start:
            continue
        before = line[start:end].rstrip('"”’)')
        if _ABBREV.search(before, max(len(before) - _ABBREV_CHARS, 0)) or looks_like_domain(
            line[max(end - 1, 0) : end]
        ):
            continue
        yield line[start:end], offset + start
        start = m.end()
    yield line[start:], offset + start


def _byline_names(registry: Registry) -> list[str]:
    return [n for n, _ in registry.names() if len(n) >= 2]


def _agency_names(registry: Registry) -> Callable[[str], list[tuple[str, int]]]:
    """The agency closing a byline after the reporter's name: "JOSH BOAK Associated Press",
    "Jane Doe of Reuters", "Jean Dupont pour l'AFP"."""
    names = registry.names()
    # Only a name whose last character closes the part can match: index them by it.
    by_last: dict[str, list[str]] = {}
    for name, _ in names:
        if len(name) >= 2:
            by_last.setdefault(name[-1], []).append(name)

    def find(body: str) -> list[tuple[str, int]]:
        text = body.rstrip(" .")
        for name in by_last.get(text[-1:], ()):
            if not text.endswith(name):
                continue
            before = text[: -len(name)]
            if not before.strip():
                return []  # the whole part is the name: no reporter before it
            if before and before[-1:].isalnum():
                continue  # "…Bloomberg" inside a word
            person = _BEFORE_NAME.sub("", before.strip())
            separated = person != before.strip()
            caps = person.isupper() and len(person) > 3
            # A single word closing a byline may be a surname ("By Michael Bloomberg").
            if person and (separated or caps or len(name.split()) >= 2):
                return [(name, len(text) - len(name))]
        return []

    return find


def _rows(text: str) -> list[tuple[str, int]]:
    """(line, offset) of every line with more than whitespace."""
    lines = text.split("\n")
    # Each line's offset, summed in C: a whole page has thousands of lines.
    starts = accumulate(map((1).__add__, map(len, lines)), initial=0)
    return [(line, at) for line, at in zip(lines, starts) if line and not line.isspace()]


def scan(
    text: str,
    known: Known | None = None,
    registry: Registry | None = None,
    *,
    title_at: int = 0,
    whole_page: bool = False,
    own: Known | None = None,
) -> list[Found]:
    """Every credit in a text, in order.

    ``known`` tells whether a name is a known outlet or agency (default: the registry or a
    publication's name); ``whole_page`` when ``text`` is a whole page rebuilt from HTML, whose
    last lines are the site's footer, not the article's: there only the lines from the title
    (``title_at``) on open the article, and no line closes it.
    """
    registry = registry or shared_registry()

    def agency(name: str) -> bool:
        return registry.find(name) is not None

    def wire(name: str) -> bool:
        source = registry.find(name)
        return source is not None and source.kind == "wire"

    if known is None:

        def known(name: str) -> bool:
            return agency(name) or PUBLICATION.fullmatch(name) is not None

    agency_names = registry.derived("scan.agency_names", _agency_names)
    names = registry.derived("scan.byline_names", _byline_names)

    def bare_known(name: str) -> bool:
        # A line that is only a name: on a whole page, share buttons ("Flipboard"), text-size
        # controls ("AA") and section labels stand there too, so only a wire or syndicator
        # spelled out counts; in an article's text, any outlet or agency.
        source = registry.find(name)
        if whole_page:
            return bool(source and source.kind in ("wire", "syndicator") and len(name) >= 3)
        if source:
            return source.kind != "aggregator"
        # A publication's name alone on a line needs its article: "The New York Times".
        return known(name) and (not PUBLICATION.fullmatch(name) or name.startswith("The "))

    hits: list[Found] = []
    rows = _rows(text)
    first = next((i for i, (_, s) in enumerate(rows) if s >= title_at), 0) if title_at else 0
    last = len(rows) - 1
    own = own or (lambda name: False)
    for index, (line, start) in enumerate(rows):
        from_top = index - first
        # On a whole page, captions and share bars stand between the title and the byline.
        at_top = 0 <= from_top < (_BYLINE_LINES if whole_page else _TOP_LINES)
        at_bottom = not whole_page and last - index < _BOTTOM_LINES
        if at_bottom and index == last and from_top > 0:
            at_top = False  # the last line of a short text closes it
        edge = (0 <= from_top < _EDGE_LINES) or (not whole_page and last - index < _EDGE_LINES)
        address = not whole_page and len(line) < 64 and "." in line and " " not in line.strip()
        if (
            not (at_top or at_bottom or address)
            and not _has_cue(line)
            and not (0 <= from_top < _BYLINE_LINES and bylines.BYLINE.match(line.strip()))
        ):
            continue
        stripped = line.strip()
        pos = start + len(line) - len(line.lstrip())
        if address:
            found_address = closings.address_line(stripped, pos, at_top or at_bottom)
            if found_address is not None:
                hits.append(found_address)
                continue
        next_line = rows[index + 1][0] if index < last else None
        line_hit = line_forms.source_line(stripped, pos, next_line)
        low = stripped.lower()
        if line_hit is None and ("via" in low or "h/t" in low or "h.t." in low or "tip" in low):
            vias = line_forms.via_line(stripped, pos)
            if vias:
                hits.extend(vias)
                continue
        if line_hit is None and (at_top or at_bottom) and "/" in stripped:
            shared = closings.shared_signoff(stripped, pos, own)
            if shared:
                hits.extend(shared)
                continue
        if line_hit is None and "/" in stripped and len(stripped) < 40:
            found = list(bylines.initials_signoff(stripped, pos, agency))
            if found:
                hits.extend(found)
                continue
        if line_hit is None and 0 <= from_top < _DATELINE_LINES:
            line_hit = datelines.dateline(
                stripped, pos, known, agency, wire
            ) or datelines.via_dateline(stripped, pos)
        if line_hit is None and (at_bottom or edge):
            line_hit = line_forms.courtesy_line(stripped, pos)
        if line_hit is None and at_bottom:
            line_hit = (
                datelines.wire_tail(stripped, pos, agency)
                or bylines.writer_line(stripped, pos, known)
                or closings.about_source(stripped, pos, known)
            )
        if line_hit is None and (at_top or at_bottom or 0 <= from_top < _BYLINE_LINES):
            line_hit = bylines.provider_label(stripped, pos, known) if at_top else None
            if line_hit is None:
                found = list(
                    bylines.byline(
                        stripped, pos, known, bare_known, agency_names, at_top, at_bottom
                    )
                )
                if found and index > 0 and bylines.PHOTO_CAPTION.search(rows[index - 1][0]):
                    found = []  # "Luca Bruno, AP" after "(AP Photo/Luca Bruno)": the photo's
                if found:
                    hits.extend(found)
                    continue
        if line_hit is None and "contributed" in low:
            found = list(bylines.contributors(stripped, pos, known, names))
            if found:
                hits.extend(found)
                continue
        if line_hit is None:
            line_hit = datelines.wire_tail(stripped, pos, agency) if edge else None
        if line_hit is not None and line_hit.form == "source-url" and not agency(line_hit.name):
            # "Quelle: APA/sda/dpa": one credit per agency
            parts, total = bylines.credited_names(line_hit.name, agency)
            if parts and len(parts) == total:
                base = line_hit.start
                hits.extend(
                    replace(line_hit, name=n, start=base + at, end=base + at + len(n))
                    for n, at in parts
                )
                continue
        if line_hit is not None:
            hits.append(line_hit)
            if line_hit.form != "dateline":
                continue
        cues = line_cues(low)
        if cues is None:
            continue
        for sentence, s_start in _sentences(line, start):
            where = (
                "top"
                if 0 <= from_top < 3
                else "bottom"
                if not whole_page and last - index < _EDGE_LINES
                else "top"
                if edge
                else None
            )
            for hit in sentence_hits(sentence, s_start, where, cues):
                # "This column first ran on ATTN:" with the link on the following line.
                if (
                    not hit.url
                    and next_line
                    and line.rstrip().endswith(":")
                    and URL.fullmatch(next_line.strip(" <>"))
                ):
                    hit = replace(hit, url=next_line.strip(" <>"))
                hits.append(hit)
    return hits


def candidate_lines(text: str) -> list[str]:
    """Lines that carry a credit, whitespace-normalised, in order."""
    return lines_of(text, scan(text))


def lines_of(text: str, hits: list[Found]) -> list[str]:
    """The lines of ``text`` that the credits ``hits`` stand on, whitespace-normalised."""
    seen: list[str] = []
    for hit in hits:
        line = text[
            text.rfind("\n", 0, hit.start) + 1 : (text.find("\n", hit.start) + 1 or len(text) + 1)
            - 1
        ]
        line = clean_text(line)
        if line not in seen:
            seen.append(line)
    return seen


__all__ = ["candidate_lines", "lines_of", "name_key", "scan"]
