"""Datelines: the place and agency opening a wire story, with any dash and in any script
("VENICE, Italy (AP) —", "MADRID, 3 mar (EFE).-", "ISLAMABAD, Dec 3 (APP):", "(اے پی پی)",
"МОСКВА, 3 декабря. /ТАСС/.", "МОСКВА, 3 дек — РИА Новости.", "新华社北京12月3日电",
"(서울=연합뉴스)", "KVELLER via JTA —"), and a paragraph closing "— Reuters".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .names import Found, clean_text, looks_like_domain, name_key

_I = re.IGNORECASE
Known = Callable[[str], bool]

# Dashes as written and as mis-decoded (UTF-8 read as cp1252 once or twice).
DASH = r"(?:—|–|‒|―|−|‐|-{1,3}|â€[”“\"•\x94\x93]|Ã¢Â?€Â?[\x93\x94”“]|Ã¢â‚¬â€[œ\x9d])"
_WIRE_TAIL = re.compile(r"(?:^|\s)" + DASH + r"\s*(?P<name>[^\W\d_][\w .]{1,30}?)\s*\.?$")
_TAIL_CHARS = 64  # a dash as mis-decoded (12 characters), spaces, a 31-character name
_DASHES = "—–‒―−‐-€"  # a dash, or the € that starts one mis-decoded
# What a dateline opens with must stand in its first _HEAD_CHARS characters: a bracket or
# slash, a dash, or a CJK agency's 电.
_HEAD_CHARS = 160
# Tested with `in`, a character at a time: each is a fast scan, where a character class is
# tried at every position.
_HEAD_OPEN = "([（【/"
_HEAD_CJK = "电電【"
_OPEN, _CLOSE = r"(?P<open>[(\[（【/])", r"[)\]）】/]"
_DATELINE_TAIL = (
    r"\s*(?P<name>[^\W_][\w&.'’ -]{0,40}?)\s*"
    + _CLOSE
    + r"\s*[.,:：۔]?\s*(?:"
    + DASH
    + r"|\.|:|：|۔|$|(?=\S))"
)
_DATELINE = re.compile(
    r"^(?P<place>[^\W\d_][\w\u0900-\u0dff.'’ ,/\-۔،]{0,60}?)?\s*" + _OPEN + _DATELINE_TAIL
)
# "TURNBERRY/GLASGOW, Scotland (Reuters) -": a slash inside the place
_DATELINE_PAREN = re.compile(
    r"^(?P<place>[^\W\d_][\w\u0900-\u0dff.'’ ,/\-۔،]{0,60}?)?\s*(?P<open>[(\[（【])"
    + _DATELINE_TAIL
)
# MOSCOW, Dec 3 — RIA Novosti.   ·   Москва. 3 декабря. INTERFAX.RU -
_DATELINE_AFTER = (
    # MOSCOW, Dec 3 — RIA Novosti.
    re.compile(
        r"^(?P<place>[^\W\d_][\w.'’ -]{1,40}?)[,.]\s*[^—–]{0,30}?\s*"
        + DASH
        + r"\s*(?P<name>[^\W\d_][\w.\" -]{1,30}?)\s*[.,](?:\s|$)"
    ),
    # Москва. 3 декабря. INTERFAX.RU -
    re.compile(
        r"^(?P<place>[^\W\d_][\w.'’ -]{1,40}?)[,.]\s*[^—–]{0,30}?[,.]\s*"
        r"(?P<name>[^\W\d_][\w.\"-]{1,30}?)\s*" + DASH
    ),
)
_CALLSIGN = re.compile(r"[KWCX][A-Z]{2,3}(?:-(?:TV|FM|AM))?")
_NOT_AGENCY = {
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
    "file",
    "ap photo",
    "reuters photo",
}
_PRESSISH = re.compile(r"\b(?:press|news|newswire|wire|agency|service|media|times|post)\b", _I)
_CJK_DATELINE = re.compile(
    r"^(?:【[^】]{0,15}?(?P<bracket>\S{2,6}?)】|(?P<name>[\u3040-\u30ff\u4e00-\u9fff]{2,6})"
    r"(?:[^\s，。]{0,20}?)[电電](?:[（(]|\s|$))"
)

_PAIRS = {"(": ")", "[": "]", "（": "）", "【": "】", "/": "/"}
_KO_DATELINE = re.compile(r"^[(\[（]\s*[^=)）\]]{1,20}=\s*(?P<name>[^)）\]]{1,20}?)\s*[)\]）]")


def dateline(
    stripped: str, pos: int, known: Known, agency: Known, wire_only: Known = lambda _: True
) -> Found | None:
    """A dateline opening the article: "LONDON (Reuters) -", "Berlin (dpa) -", "ISLAMABAD, Dec 3
    (APP):", "(اے پی پی)", "МОСКВА, 3 декабря. /ТАСС/.", "新华社北京12月3日电"."""
    m = None
    head = stripped[:_HEAD_CHARS]
    opens = any(map(head.__contains__, _HEAD_OPEN))
    dashed = any(map(head.__contains__, _DASHES))
    if not (opens or dashed or any(map(head.__contains__, _HEAD_CJK))):
        return None
    for pattern in (_DATELINE, _DATELINE_PAREN) if opens else ():
        m = pattern.match(stripped)
        # "( REUTERS/Jonathan Ernst/Reuters )" is a photo credit, not "(REUTERS)"
        if m and _PAIRS.get(m.group("open")) == stripped[m.end("name") :].lstrip()[:1]:
            break
        m = None
    if m and not (m.group("place") or "").strip() and not stripped[m.end() :].strip():
        m = None  # "(AFP)" alone on a line is a byline or a sign-off
    if m and m.group("name").strip():
        name = m.group("name").strip(" .")
        place = (m.group("place") or "").strip()
        wire = agency(name) and (m.group("open") != "/" or wire_only(name))
        # "HOUSTON, Texas (KTRK) --": a station's call sign names its own newsroom; slashes
        # ("/ТАСС/") and a dateline without a place name agencies only.
        other = (
            place[:1].isupper()
            and m.group("open") != "/"
            and _CALLSIGN.fullmatch(name) is None
            and not looks_like_domain(name)
            and (known(name) or _PRESSISH.search(name))
        )
        if name_key(name) not in _NOT_AGENCY and len(place.split()) <= 8 and (wire or other):
            at = pos + m.start("name")
            return Found(
                "wire-dateline",
                clean_text(stripped[: m.end()]).rstrip(" ."),
                name,
                at,
                at + len(name),
                form="dateline",
                strict=not wire,
            )
    m = _KO_DATELINE.match(stripped) if opens else None
    if m and agency(m.group("name")):
        at = pos + m.start("name")
        return Found(
            "wire-dateline",
            clean_text(stripped[: m.end()]),
            m.group("name"),
            at,
            at + len(m.group("name")),
            form="dateline",
        )
    for pattern in _DATELINE_AFTER if dashed else ():
        m = pattern.match(stripped)
        if m and agency(m.group("name").strip(' ."')) and m.group("place").strip().isupper():
            name = m.group("name").strip(' ."')
            at = pos + m.start("name")
            return Found(
                "wire-dateline",
                clean_text(stripped[: m.end()]).rstrip(" .-—–"),
                name,
                at,
                at + len(name),
                form="dateline",
            )
    first = stripped[:1]
    # The CJK dateline opens with 【 or a kana or CJK character: most lines are told by that.
    cjk = first == "【" or "\u3040" <= first <= "\u30ff" or "\u4e00" <= first <= "\u9fff"
    m = _CJK_DATELINE.match(stripped) if cjk else None
    if m:
        group = "name" if m.group("name") else "bracket"
        name = m.group(group)
        for size in range(len(name), 1, -1):  # "新华社北京" → "新华社"
            if agency(name[:size]):
                at = pos + m.start(group)
                return Found(
                    "wire-dateline",
                    clean_text(stripped[: m.end()]),
                    name[:size],
                    at,
                    at + size,
                    form="dateline",
                )
            if group == "bracket" and agency(name[-size:]):
                at = pos + m.end(group) - size
                return Found(
                    "wire-dateline",
                    clean_text(stripped[: m.end()]),
                    name[-size:],
                    at,
                    at + size,
                    form="dateline",
                )
    return None


def wire_tail(stripped: str, pos: int, agency: Known) -> Found | None:
    """A paragraph that ends "— AP" or "-- Reuters."."""
    # The dash, the name and the space before them fit in the last _TAIL_CHARS characters:
    # searching only there spares long paragraphs a scan from every position.
    start = max(0, len(stripped) - _TAIL_CHARS)
    if not any(map(stripped[start:].__contains__, _DASHES)):
        return None
    m = _WIRE_TAIL.search(stripped, start)
    if not m or not agency(m.group("name").strip()):
        return None
    name = m.group("name").strip()
    at = pos + m.start("name")
    sentence = stripped if len(stripped) < 40 else stripped[m.start() :].strip()
    return Found("wire-dateline", clean_text(sentence), name, at, at + len(name), form="sign-off")


_VIA_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’ -]{1,30}?\s+via\s+(?P<name>[A-Z][\w.'’ -]{1,30}?)\s*" + DASH + r"\s"
)


def via_dateline(stripped: str, pos: int) -> Found | None:
    if "via" not in stripped:
        return None  # the expression needs the word (as written: it ignores no case)
    m = _VIA_DATELINE.match(stripped)
    if not m:
        return None
    at = pos + m.start("name")
    return Found(
        "wire-dateline",
        clean_text(stripped[: m.end()]).rstrip(" —–-"),
        m.group("name"),
        at,
        at + len(m.group("name")),
        form="dateline",
    )
