"""Credits stated in a sentence: "The original source of this article is X", "publicado
originalmente en X", "zuerst erschienen bei X", "首发于X", "contributed by A of X".

Each pattern ends where the source name begins (or, in languages that put the verb last,
captures the name before it). A sentence inside the story ("the species first appeared in
West Michigan") is told apart by where it stands and what it speaks of: away from the first
and last lines of an article, a statement must speak of the piece itself ("this article",
"the post …", "este artículo") or stand alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .clauses import A_OF_B, BY_AT, LEAD_TRIM, trim_name, valid_name
from .cues import FRAGMENTS, PLAIN_FRAGMENTS, SENTENCE, SETS_OF
from .names import (
    URL,
    Found,
    clean_text,
    is_platform,
    looks_like_domain,
    name_key,
    starts_like_name,
)

_I = re.IGNORECASE
_THE_POST = re.compile(r"\s*(?:the|this)\s+post\b", _I)
_HOLDER_SPLIT = re.compile(r",|\s+and\s+")
_NOT_HOLDER = re.compile(r"\d{4}|all rights reserved|(?:inc|llc|ltd|ps|plc)", _I)
_BY_END = re.compile(r"\bby\s*:?\s*$", _I)
_NAME_END = re.compile(r"\s+and\s+(?=[A-Z])|;")
_YEAR_START = re.compile(r"\d{4}\b")
_NAME_PARTS = re.compile(r"\s+(?:and|y|e|et|und|и)\s+|,\s*|/")
_WRITER_OF = re.compile(
    r"(?P<author>(?:(?!\s(?:and|&)\s)[^,;]){2,60}?),?\s+(?:of|from|at|for)\s+(?P<name>[^,;()]{2,60}?)(?=\s*(?:[,;(]|\s+and\s|\.?$))"
)
# A writer's school or institute is their affiliation, not the piece's source.
_ACADEMIC = re.compile(r"\b(?:universit\w*|college|school|institute|academy|department|hospital)\b", _I)
# Statement kinds whose name must resolve to a known outlet or agency to count.
_STRICT = {"contributed-input", "print-issue"}
# What a statement speaks of when it credits: the piece, not the world.
_PIECE = re.compile(
    r"\b(?:article|post|story|piece|column|report|essay|op-?ed|blog|interview|commentary|analysis|version|"
    r"content|item|text|feature|editorial|letter|review|podcast|episode|video|artículo|nota|texto|columna|"
    r"artigo|matéria|texte|tribune|chronique|Artikel|Beitrag|Text|articolo|pezzo|статья|материал|публикация|"
    r"makale|yazı|haber|this|these)\b|مقال|本文|原文|文章|लेख|مضمون",
    _I,
)
_PHOTO = re.compile(
    r"\b(?:photos?|photographs?|pictures?|images?|foto|fotos|fotografía|bild|bilder|immagine|imagem|"
    r"фото|illustration|graphic|caption|video|footage|cover\s+image|top\s+image|featured\s+image|"
    r"screenshot|credit)\b|صورة|图片|圖片|写真|사진|फोटो|تصویر",
    _I,
)
# Photo agencies and stock libraries: a copyright naming them credits a picture.
_PHOTO_CREDIT = re.compile(
    r"/|\b(?:getty|imago|istock\w*|shutterstock|epa|zuma|sipa|alamy|picture[\s-]alliance|handout|"
    r"photo\w*|foto\w*|images?|riproduzione|rechte|reserved|riservata|licencja)\b",
    _I,
)


def _pattern_with(text: str) -> int:
    return next(i for i, (_, _, p) in enumerate(SENTENCE) if text in p.pattern)


# Words one of which a sentence written in ASCII holds (lower-cased) where the pattern
# matches. The fragments of :data:`.cues.FRAGMENTS` are written for every script, and in
# English text some are common words ("information" holds "informa", "Republican" holds
# "republic"), which would send many sentences through slow expressions that cannot match
# them. Outside ASCII, case-insensitive matching folds more letters than lower() does
# ("ſ" matches "s"), so there only the fragments tell.
NEEDS_IF_ASCII: dict[int, tuple[str, ...]] = {
    _pattern_with("reproducido"): (
        "reproducido", "republicad", "reproduzido", "reproduit", "ripres", "ripubblicat",
    ),
    _pattern_with(r"con\s+informaci"): (
        "input", "reporting", "files", "material", "informacion", "informacoes", "fonte",
        "informazioni", "avec", "informationen",
    ),
    _pattern_with("joint"): (
        "publication", "co-publish", "copublish", "partnership", "collaboration",
    ),
}  # fmt: skip


def sentence_hits(
    sentence: str, start: int, edge: str | None, cues: tuple[str, ...] | None = None
) -> Iterator[Found]:
    """Credits stated in one sentence at offset ``start``; ``edge`` is "top" or "bottom" when
    the sentence is in the first or last lines of the article, where credits stand. ``cues``
    are the fragments its line holds (:func:`.cues.line_cues`), when known: a sentence holds
    no others."""
    stripped = sentence.strip()
    lead_len = len(sentence) - len(sentence.lstrip())
    low = stripped.lower()
    found = PLAIN_FRAGMENTS.found_in(low) if cues is None else filter(low.__contains__, cues)
    cued = {i for f in found for i in SETS_OF[f]}
    if stripped.isascii():
        cued = {
            i for i in cued if i not in NEEDS_IF_ASCII or any(map(low.__contains__, NEEDS_IF_ASCII[i]))
        }
    for index, ((kind, form, pattern), fragments) in enumerate(zip(SENTENCE, FRAGMENTS, strict=True)):
        if fragments[0][0] == "^":
            if not low.startswith(fragments[0][1:]):
                continue
        elif index not in cued:
            continue
        m = pattern.search(stripped)
        if not m:
            continue
        lead = m.group("lead") if "lead" in pattern.groupindex else stripped[: m.start()]
        if _PHOTO.search(lead[-40:]) and kind != "contributed":
            continue  # "Photo courtesy of X", "Image first published by Y"
        if kind == "byline":
            # Only a writer named with the outlet they write for: "written by A, of X".
            written = _WRITER_OF.match(m.group("name"))
            if not written or not _PIECE.search(lead) or _ACADEMIC.search(written.group("name")):
                continue
        if kind == "also-appeared" and (edge is None or (lead.strip() and not _PIECE.search(lead))):
            continue  # "the study was previously published in Nature" is the story's
        if (
            kind == "first-appeared"
            and len(lead.split()) > 30
            and not _THE_POST.match(lead)
        ):
            continue
        if lead.strip() and not _PIECE.search(lead) and len(stripped.split()) > 25:
            continue  # a story sentence: "…first appeared in West Michigan in 1990"
        if (
            edge != "bottom"
            and kind in ("first-appeared", "originally-published")
            and lead.strip()
            and not _PIECE.search(lead)
        ):
            continue  # only a closing line may lead with the title ("X first appeared on Y")
        raw = m.group("name")
        name, author, day = trim_name(raw)
        strict = kind in _STRICT or (
            kind == "contributed" and not m.group(0).lower().startswith("contributed")
        )
        if kind == "via":
            author = m.group("author")
            if is_platform(name):
                continue
        holders: tuple[str, ...] = ()
        if kind == "copyright" and "," in raw and not URL.match(name):
            # "Copyright © Pavel Rudenko, Strategic Culture Foundation, 2020": the holder list
            # may name the author and the outlet; the caller picks the outlet among them.
            parts = [p.strip(" .") for p in _HOLDER_SPLIT.split(raw) if p.strip(" .")]
            parts = [
                p
                for p in parts
                if not _NOT_HOLDER.fullmatch(p)
            ]
            name = parts[0] if parts else name
            holders = tuple(parts)
        if not author and _BY_END.search(stripped[: m.start("name")]):
            # "originally published by Michael Snyder at his Economic Collapse Blog"
            split = BY_AT.match("by " + name)
            if split:
                author, name = split.group("author"), LEAD_TRIM.sub("", split.group("name")).strip()
        if kind == "byline":
            author, name = written.group("author"), written.group("name").strip(" .")
            raw = m.group("name")[: written.end("name")]
        elif kind in ("contributed", "via") and not author:
            # "contributed by Jane Doe of The New York Times and John Roe of Reuters"
            name = _NAME_END.split(name)[0].strip()
            split = A_OF_B.match(name)
            if split and (
                looks_like_domain(split.group("name")) or split.group("name")[:1].isupper()
            ):
                author, name = split.group("author"), split.group("name")
        if kind == "copyright" and (
            _PHOTO_CREDIT.search(name)
            or name_key(name) == "copyright"
            or _PHOTO.search(stripped[: m.start()])
        ):
            continue
        if not valid_name(name) and not (
            # "Read more at: <the original's title>", whose link a text export lost
            kind == "read-more" and name[:1].isupper() and len(name.split()) <= 25
        ):
            continue
        # In running prose a source is a proper name or a site: "first published in 1998" is not.
        if not (
            starts_like_name(name) or strict or looks_like_domain(name) or URL.match(name)
        ) or _YEAR_START.match(name):
            continue
        s = start + lead_len + m.start("name")
        # "Copyright 2013 Mercedes Kirkel, http://www.mercedeskirkel.com": the site follows the name.
        link = URL.search(raw)
        url = link.group(0).rstrip(".,;:!?)>") if link else None
        if kind == "joint" or (strict and kind == "contributed"):
            offset = 0
            for part in _NAME_PARTS.split(name):
                if valid_name(part) and (starts_like_name(part) or strict):
                    at = s + raw.find(part, offset)
                    offset = at - s + len(part)
                    yield Found(
                        "republished" if kind == "joint" else kind,
                        clean_text(stripped),
                        part,
                        at,
                        at + len(part),
                        form=form,
                        strict=strict,
                    )
            continue
        yield Found(
            kind,
            clean_text(stripped),
            name,
            s,
            s + len(raw),
            author,
            day,
            url,
            holders,
            form=form,
            strict=strict,
        )
