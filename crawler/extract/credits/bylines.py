"""Bylines and sign-offs naming an agency or outlet ("By The Associated Press", "By JOSH BOAK
Associated Press", "PTI", "AFP/dpa", "sak/Reuters", "— Reuters", "The New York Times"),
contributor lines ("… and The Associated Press contributed to this report") and aggregator
provider labels ("Fox Nation • 2h", "Provided by Reuters").

Names here count only when they resolve to a known outlet or agency or read as a
publication's name, so a reporter's byline is never taken for a source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from .clauses import trim_name, valid_name
from .datelines import DASH
from .names import Found, clean_text

_I = re.IGNORECASE
_WS_RUN = re.compile(r"\s+")
_LIST_MARK = re.compile(r"[,|]")
_COMMA_PART = re.compile(r"[^,]+")
_AND = re.compile(r"\s+and\s+")
Known = Callable[[str], bool]

BYLINE = re.compile(
    r"^(?:by|por|par|von|di|da|de|door|av|af|przez|oleh|от|автор|بقلم|كتب|yazan|लेखक|تحریر|作者|记者|記者)"
    r"\s*[:：]?\s+(?P<name>.{2,400})$",
    _I,
)
_PROVIDER = re.compile(
    r"^(?:provided\s+by|distributed\s+by|content\s+(?:provided\s+)?by|powered\s+by|from|publicado\s+por|"
    r"proporcionado\s+por|fourni\s+par|bereitgestellt\s+von|fornito\s+da|fornecido\s+por)\s*[:：]?\s*(?P<name>.{2,80})$",
    _I,
)
_BULLET_LABEL = re.compile(
    r"^(?P<name>[^•·|]{2,60}?)\s*[•·|]\s*(?:\d+\s*(?:h|hr|hrs|hours?|m|min|mins|minutes?|d|days?)\b|"
    r"\d+\s*(?:min|minute)s?\s+read|\d{1,2}[/.]\d{1,2}|[A-Z][a-z]{2,8}\.?\s+\d{1,2}|yesterday|today|now)",
    _I,
)
_BULLET_ALONE = re.compile(r"^(?P<name>[^•·|]{2,40}?)\s*[•·]$")
_LABEL_NAME = re.compile(r"^[A-Z0-9][\w.'’&-]*(?:\s+[A-Z0-9][\w.'’&-]*){0,4}$")
# A caption's photo credit ("(AP Photo/Luca Bruno)") puts the photographer's line after it.
PHOTO_CAPTION = re.compile(r"\b(?:AP|AFP|Reuters|EPA|Getty|Photo)\s*Photo\b|\bPhoto\s*(?:by\b|:|/)|ORG XMIT", _I)
# The lookahead names every character a match can start with (a space, a mark, a joining
# word's first letter): it spares the alternatives at the other positions of a line.
_SPLIT = re.compile(
    r"(?=[\s,/;|&•·+ayeumwcиو،、])\s*(?:[,/;|&•·+]|(?<!\.)\b(?:and|y|et|und|e|mit|with|avec|con|com)\b(?!\.\w)|\bи\b|و|،|、|\s"
    + DASH
    + r"\s)\s*",
    _I,
)
_ROLE = re.compile(
    r"\s+(?:staff(?:\s+(?:writer|reporter|report))?|wire(?:\s+service)?|news\s+service|reporters?|"
    r"correspondents?|redacci[óo]n|r[ée]daction|redaktion|redazione|reda[çc][ãa]o|desk|bureau|"
    r"news\s+desk|agency|agencies|report)$",
    _I,
)
# What follows a byline's names: "in Valencia", a date, an e-mail address.
_BYLINE_TAIL = re.compile(
    r"(?:\s+in\s+[A-Z][\w.'’ -]{1,30}$|\s*[|·•,-]?\s*(?:(?:updated|published|posted)\b:?\s*)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.?\s+\d{1,2}\b.*$|\s+[-–—|]\s+\S*@.*$|\s+[-–—|]\s+\[email.*$)",
    _I,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _may_have_tail(line: str) -> bool:
    """Whether :data:`_BYLINE_TAIL` can match: it needs " in ", a month or an address. The
    expression tries every position of a line; this test is a few substring checks."""
    low = line.lower()
    return " in " in low or "@" in low or "[email" in low or any(m in low for m in _MONTHS)


_INITIALS = re.compile(r"^[a-zäöüß]{2,4}$")  # "sak/Reuters": an editor's initials beside the agency
_INPUTS = re.compile(
    r"^\(?\s*(?:(?:with\s+inputs?\s+from|inputs?\s+from|mit|avec|con|com)\s+|[—–-]\s*)", _I
)
_COPYRIGHT_LINE = re.compile(r"^\W*(?:©|\(c\)|copyright\b)", _I)
_PHOTO_AGENCY = re.compile(
    r"\b(?:getty|images|imago|shutterstock|alamy|zuma|epa|sipa|picture[\s-]alliance|istock\w*|handout|"
    r"AP\s+Photo|pool\s+photo)\b",
    _I,
)
_PHOTO_LINE = re.compile(
    r"^\W*(?:photo|foto|bild|image|credit|picture|video|grafik|graphic)s?\b", _I
)
# A publication's name: "The New York Times", "Seattle Magazine", "Daily Mail".
PUBLICATION = re.compile(
    r"^(?:the\s+|The\s+)?(?:(?!The\s)[A-Z][\w.'’&-]*\s+){1,5}(?:Times|Post|News|Journal|Herald|Tribune|Gazette|Telegraph|"
    r"Guardian|Chronicle|Magazine|Press|Review|Daily|Observer|Star|Sun|Mail|Express|Independent|Inquirer|"
    r"Register|Globe|Record|Bulletin|Courier|Examiner|Dispatch|Monitor|Standard|Weekly|Today|Reporter|Wire|"
    r"Newsweek|Sentinel|Ledger|Enquirer|Leader|Mirror|Argus|Beacon|Statesman|Advertiser|Citizen|Free\s+Press)$"
)
_PERSON = re.compile(r"^(?:[A-Z][\w.'’-]*\s*){1,4}$")
# "Jill Colvin is an Associated Press writer."
_WRITER = re.compile(
    r"^[A-Z][\w.'’ -]{2,60}?\s+(?:is|are|was)\s+(?:an?|the)\s+(?P<name>.{2,60}?)\s+(?:staff\s+)?"
    r"(?:writer|reporter|correspondent|journalist|columnist|editor|photographer|contributor)s?\b",
    re.IGNORECASE,
)
_PLACE_PART = re.compile(r"(?:^|,)\s*([A-Z][A-Z .'-]{2,30})\s*(?=,|$)")


def credited_names(
    text: str, known: Known, suffix: Callable[[str], list[tuple[str, int]]] | None = None
) -> tuple[list[tuple[str, int]], int]:
    """(name, offset) of each part of a byline or sign-off that names a source, and how many
    parts the line has."""
    found = []
    total = 0
    start = 0
    for m in [*_SPLIT.finditer(text), None]:
        end = m.start() if m else len(text)
        part = text[start:end]
        name = _ROLE.sub("", part.strip(" ().[]（）\"'“”")).strip(" .")
        if name and not (_INITIALS.match(name) and not known(name)):
            total += 1
            # "Vasilisa Stepanenko The Associated Press": the agency closes the part
            closing = suffix(part) if suffix else []
            if closing:
                found.extend((n, start + at) for n, at in closing)
            elif known(name):
                found.append((name, start + max(part.find(name), 0)))
        start = m.end() if m else len(text)
    return found, total


# A word of each name _PHOTO_AGENCY knows: an ASCII line without one holds none of them.
_PHOTO_AGENCY_WORDS = (
    "getty", "images", "imago", "shutterstock", "alamy", "zuma", "epa", "sipa", "picture",
    "istock", "handout", "photo",
)  # fmt: skip


def _photo_agency(line: str) -> bool:
    # The expression is tried at every position; in ASCII, matching without case is lower().
    if line.isascii() and not any(map(line.lower().__contains__, _PHOTO_AGENCY_WORDS)):
        return False
    return _PHOTO_AGENCY.search(line) is not None


# "Posted 5:57 am, July 16, 2018, by Associated Press, Updated …"
_POSTED_BY = re.compile(
    r"^(?:posted|published|updated)\b.{0,60}?\bby\s+(?P<name>[^,|]{2,60}?)\s*(?:[,|]|$)", _I
)


# "KVELLER via JTA — The state of …": a dateline naming the agency that carried the story
def byline(
    stripped: str,
    pos: int,
    known: Known,
    bare_known: Known,
    agency_names: Callable[[str], list[tuple[str, int]]],
    at_top: bool,
    at_bottom: bool,
) -> Iterator[Found]:
    """Bylines naming an agency or outlet ("By Reuters staff", "By JOSH BOAK Associated
    Press", "Por EFE"); lines that are only such names ("PTI", "AFP/dpa", "— Reuters")."""
    if not stripped or len(stripped.split(None, 17)) > 16:
        return
    # Whitespace runs collapse (pages pad bylines with hundreds of spaces, which would cost the
    # expressions quadratic time); ``index`` maps each kept character to its offset in the line.
    if " ".join(stripped.split()) != stripped:  # a whitespace run, or whitespace but " "
        # A run becomes one space, where the run's last character stood; the characters
        # between runs keep theirs (taken a run at a time, not a character at a time).
        kept: list[int] = []
        at = 0
        for run in _WS_RUN.finditer(stripped):
            kept.extend(range(at, run.start()))
            kept.append(run.end() - 1)
            at = run.end()
        kept.extend(range(at, len(stripped)))
        index: Sequence[int] = kept
        stripped = _WS_RUN.sub(" ", stripped)
    else:  # nothing to collapse (most lines): the same line, offsets unchanged
        index = range(len(stripped))
    if len(stripped) > 400:
        return
    if (
        _PHOTO_LINE.match(stripped)
        or _COPYRIGHT_LINE.match(stripped)
        or _photo_agency(stripped)
    ):
        return  # "Photo: Pablo Martinez Monsivais, AP" credits a picture; "©" lines are notices
    m = _POSTED_BY.match(stripped)
    tail = None if m or not _may_have_tail(stripped) else _BYLINE_TAIL.search(stripped)
    if tail and tail.start() > 0:
        stripped = stripped[: tail.start()]
    m = m or BYLINE.match(stripped)
    if m:
        if at_bottom and not at_top:
            return
        body, offset, form = m.group("name"), m.start("name"), "byline"
        parts, _ = credited_names(body, known, agency_names)  # "By JOSH BOAK Associated Press"
    else:
        if not (at_top or at_bottom):
            return
        body, offset = stripped, 0
        inputs = _INPUTS.match(body)
        if inputs:
            body, offset = body[inputs.end() :], inputs.end()
        parts, total = credited_names(body, bare_known)
        if parts and parts[-1][1] > 0 and len(parts) < total and _LIST_MARK.search(body):
            # "Jonathan Lemire, Jill Colvin and Vladimir Isachenkov, Associated Press"
            people = [p for p in _SPLIT.split(body) if p and p.strip()]
            named = {n for n, _ in parts}
            if all(_PERSON.match(p.strip()) or p.strip() in named for p in people):
                total = len(parts)
        # "AFP, MANILA": the agency and the place it filed from
        places = len(_PLACE_PART.findall(body)) if len(parts) == 1 else 0
        if not parts or len(parts) + places < total:
            return  # a line that is not only source names is a heading or a sentence
        if len(parts) < total and "/" in body:
            return  # "Fabrizio Bensch/REUTERS": a photographer and the agency of the picture
        form = "sign-off" if at_bottom and (inputs or not at_top) else "byline"
        if inputs and inputs.group(0).strip(" (—–-"):
            form = "contributed"  # "(With inputs from PTI)", "mit AP"
    for name, at in parts:
        start = pos + index[min(offset + at, len(index) - 1)]
        yield Found(
            form, clean_text(stripped), name, start, start + len(name), form=form, strict=True
        )


def provider_label(stripped: str, pos: int, known: Known) -> Found | None:
    """An aggregator's label for its provider: "Provided by Reuters", "Fox Nation • 2h",
    "Local 10 Miami•" (a name and the bullet alone: the label's layout, whatever the name)."""
    bullet = "•" in stripped or "·" in stripped or "|" in stripped
    m = _PROVIDER.match(stripped) or (_BULLET_LABEL.match(stripped) if bullet else None)
    alone = None
    if not m and bullet and stripped[-1] in "•·" and not BYLINE.match(stripped):
        alone = _BULLET_ALONE.match(stripped)
    m = m or alone
    if not m:
        return None
    name, _, _ = trim_name(m.group("name"))
    if not valid_name(name) or not (known(name) or (alone and _LABEL_NAME.match(name))):
        return None
    at = pos + m.start("name")
    return Found(
        "provider-label",
        clean_text(stripped),
        name,
        at,
        at + len(name),
        form="provider-label",
        strict=alone is None,
    )


def writer_line(stripped: str, pos: int, known: Known) -> Found | None:
    """A closing line naming the reporter's employer: "Jill Colvin is an Associated Press writer."."""
    m = _WRITER.match(stripped)
    if not m or not known(m.group("name")):
        return None
    at = pos + m.start("name")
    return Found(
        "sign-off",
        clean_text(stripped),
        m.group("name"),
        at,
        at + len(m.group("name")),
        form="sign-off",
        strict=True,
    )


_CONTRIBUTED = re.compile(
    r"(?:^|(?<=[.;]\s))(?P<subject>[^.;]{2,200}?)\s+(?:also\s+)?contributed\s+(?:to\s+)?(?:this|the)\s+"
    r"(?:report|story|article|piece|coverage)",
    re.IGNORECASE,
)
_STAFF_AFTER = re.compile(
    r"(?:['’]s?\s|\s+(?:writers?|reporters?|staff|correspondents?|journalists?)\b)"
)


def contributors(stripped: str, pos: int, known: Known, names: list[str]) -> Iterator[Found]:
    """Outlets among those credited for contributing: "Fox News' Gregg Re and The Associated
    Press contributed to this report", "Associated Press writers A and B contributed …"."""
    m = _CONTRIBUTED.search(stripped)
    if not m:
        return
    subject, base = m.group("subject"), m.start("subject")
    lead = len(subject) - len(subject.lstrip("—–- ("))
    subject, base = subject[lead:], base + lead
    for part in _COMMA_PART.finditer(subject):
        for piece in _AND.split(part.group(0)):
            text = piece.strip()
            at = base + part.start() + part.group(0).find(text)
            found = text if known(text) else None
            if not found:
                found = next(
                    (
                        n
                        for n in names
                        if text.startswith(n) and _STAFF_AFTER.match(text[len(n) :] + " ")
                    ),
                    None,
                )
            if found:
                start = pos + at
                yield Found(
                    "contributed",
                    clean_text(stripped),
                    found,
                    start,
                    start + len(found),
                    form="contributed",
                    strict=True,
                )


def initials_signoff(stripped: str, pos: int, agency: Known) -> Iterator[Found]:
    """An editor's initials beside the agencies, closing a German story: "sak/Reuters",
    "dpa/AFP/ler". Distinctive enough to count wherever it stands."""
    parts = stripped.strip("() ").split("/")
    named = [p.strip() for p in parts if agency(p.strip())]
    initials = [p for p in parts if _INITIALS.match(p.strip()) and not agency(p.strip())]
    if not named or not initials or len(named) + len(initials) != len(parts):
        return
    offset = 0
    for name in named:
        at = stripped.find(name, offset)
        offset = at + len(name)
        yield Found(
            "sign-off",
            clean_text(stripped),
            name,
            pos + at,
            pos + at + len(name),
            form="sign-off",
            strict=True,
        )
