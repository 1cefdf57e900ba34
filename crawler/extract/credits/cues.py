"""The phrasings of a sentence that credits a source, in the languages crosspost reads:
"The original source of this article is X", "publicado originalmente en X", "paru
initialement dans X", "zuerst erschienen bei X", "pubblicato originariamente su X",
"впервые опубликовано в X", "نُشر أولاً في X", "首发于X", "ilk olarak X'da yayımlandı",
"मूल रूप से X पर प्रकाशित", "contributed by A of X", "Con información de EFE"…

Each pattern ends where the source name begins (or, where the verb comes last, captures the
name before it); each has substring fragments, one of which any sentence it matches holds.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .fragments import Fragments

_I = re.IGNORECASE
_END = r"(?P<name>.+)"


def _ar(word: str) -> str:
    """An Arabic word with optional vowel marks after each letter."""
    return "".join(
        ch + "[\u064b-\u0652]*" if "\u0600" <= ch <= "\u06ff" else re.escape(ch) for ch in word
    )


_AR_PUBLISHED = _ar("نشر") + r"(?:" + _ar("ت") + r")?"
_AR_FIRST = (
    "(?:"
    + "|".join(_ar(w) for w in ("أولاً", "أولا", "اولا", "لأول مرة", "أصلاً", "أصلا", "في الأصل"))
    + ")"
)

# (kind, form, pattern). A pattern with a ``lead`` group sees the text before the cue.
SENTENCE: list[tuple[str, str, re.Pattern[str]]] = [
    (
        "original-source",
        "footer",
        re.compile(
            r"\boriginal\s+source\s+(?:of\s+(?:this|the)\s+(?:article|post|story|piece|report|item|text|video)\s+)?"
            r"(?:is|was|:)\s*:?\s*" + _END,
            _I,
        ),
    ),
    (
        "originally-published",
        "footer",
        re.compile(
            r"\boriginally\s+(?:been\s+)?(?:published|posted|appeared|ran|printed|featured|produced|"
            r"released|aired)(?:\s+(?:for|and|posted|published)){0,3}\s+(?:on|at|in|by|for|with|to)\s*:?\s+"
            + _END,
            _I,
        ),
    ),
    # Spanish, Portuguese, French, German, Italian, Russian, Arabic, Chinese.
    (
        "originally-published",
        "footer",
        re.compile(
            r"(?:\bpublicad[oa]s?\s+(?:originalmente|originariamente|inicialmente|por\s+primera\s+vez|pela\s+primeira\s+vez)"
            r"|\b(?:originalmente|originariamente)\s+publicad[oa]s?|\bapareci[óo]\s+(?:originalmente|por\s+primera\s+vez|primero))"
            r"\s+(?:en|em|no|na|por|pel[oa])\s*:?\s+" + _END,
            _I,
        ),
    ),
    (
        "originally-published",
        "footer",
        re.compile(
            r"\b(?:paru|parue|publié|publiée|publiés)\s+(?:initialement|originellement|originalement|d['’]abord|"
            r"à\s+l['’]origine|pour\s+la\s+première\s+fois)\s+(?:dans|sur|par|chez|sous)\s*:?\s+"
            + _END,
            _I,
        ),
    ),
    (
        "originally-published",
        "footer",
        re.compile(
            r"\b(?:(?:zuerst|erstmals|ursprünglich|urspruenglich)\s+(?:erschienen|veröffentlicht|publiziert)"
            r"|erschien\s+(?:zuerst|erstmals|ursprünglich))\s+(?:bei|in|auf|im|von|unter)\s*:?\s+"
            + _END,
            _I,
        ),
    ),
    (
        "originally-published",
        "footer",
        re.compile(
            r"\b(?:(?:pubblicat[oa]|apparso|apparsa|uscit[oa])\s+(?:originariamente|originalmente|inizialmente|"
            r"per\s+la\s+prima\s+volta)|originariamente\s+pubblicat[oa])\s+(?:su|in|da|sul|sulla|nel|nella)\s*:?\s+"
            + _END,
            _I,
        ),
    ),
    (
        "originally-published",
        "footer",
        re.compile(
            r"(?:впервые|первоначально|изначально|оригинал)\s+(?:был[аои]?\s+)?(?:опубликован[аоы]?|вышл[аои]|вышел|"
            r"появил[аио]?с[ья])\s+(?:в|на|во)\s+" + _END,
            _I,
        ),
    ),
    (
        "originally-published",
        "footer",
        re.compile(
            _AR_PUBLISHED
            + r"\s+"
            + _AR_FIRST
            + r"\s+(?:"
            + _ar("في")
            + "|"
            + _ar("على")
            + "|"
            + _ar("لدى")
            + r")\s+"
            + _END
        ),
    ),
    (
        "originally-published",
        "footer",
        re.compile(
            r"(?:本文|原文|该文|此文)?(?:首发于|首發於|首发在|原载于|原載於|最初发表于|最初發表於|原刊于|原刊於)\s*[:：]?\s*"
            + _END
        ),
    ),
    (
        "republished",
        "footer",
        re.compile(r"(?:转载自|轉載自|转自|轉自|来源于|來源於)\s*[:：]?\s*" + _END),
    ),
    # Verb-last languages name the source before the verb.
    (
        "originally-published",
        "footer",
        re.compile(
            r"\bilk\s+(?:olarak|kez)\s+(?P<name>[^'’]{2,60})['’](?:da|de|ta|te|nda|nde)\s+yay[ıi]mlan",
            _I,
        ),
    ),
    (
        "originally-published",
        "footer",
        re.compile(
            r"(?:मूल\s+रूप\s+से|पहली\s+बार|मूलतः)\s+(?P<name>.{2,60}?)\s+(?:पर|में)\s+(?:प्रकाशित|छप)"
        ),
    ),
    (
        "originally-published",
        "footer",
        re.compile(r"(?:پہلی\s+بار|اصل\s+میں)\s+(?P<name>.{2,60}?)\s+(?:پر|میں)\s+(?:شائع|چھپ)"),
    ),
    # Greedy lead-in: a post's title may itself contain "first".
    (
        "first-appeared",
        "footer",
        re.compile(
            r"^(?P<lead>.*)\b(?:first\s+(?:appeared|ran|published|posted)|appeared\s+(?:first|originally)|"
            r"was\s+first\s+published|were\s+first\s+published)\s+(?:on|at|in|by)\s*:?\s*" + _END,
            _I,
        ),
    ),
    # "A version of this piece also appeared on National Review Online": another home of the
    # piece, with no word on which came first. Closing and opening lines only.
    (
        "also-appeared",
        "footer",
        re.compile(
            r"^(?P<lead>.*)\b(?:also|previously)\s+(?:been\s+)?(?:appeared|ran|published|posted|printed)"
            r"\s+(?:on|at|in|by)\s*:?\s*" + _END,
            _I,
        ),
    ),
    (
        "print-issue",
        "print-issue",
        re.compile(
            r"\b(?:appear(?:s|ed)?|ran|runs|was\s+(?:first\s+|originally\s+)?(?:published|printed)|published|printed)"
            r"\s+(?:originally\s+|first\s+)?in\s+(?:the\s+|an?\s+)?(?:[\w’'.,/-]+\s+){0,4}?(?:print\s+)?"
            r"(?:issue|edition|number)\s+of\s+" + _END,
            _I,
        ),
    ),
    (
        "republished",
        "footer",
        re.compile(
            r"\b(?:re-?published|re-?posted|cross-?posted|reproduced)\s+(?:here\s+)?(?:with\s+(?:the\s+)?(?:kind\s+|express\s+)?"
            r"permission\s+)?(?:from|of|courtesy\s+of|by|on)\s+" + _END,
            _I,
        ),
    ),
    (
        "republished",
        "footer",
        re.compile(
            r"\b(?:reproducido|republicado|reproduzido|republicad[oa]|reproduit|reproduite|republié|republiée|"
            r"ripreso|ripresa|ripubblicato|ripubblicata|перепечатано|перепечатка)\s+(?:con\s+permiso\s+|com\s+autoriza[çc][ãa]o\s+|"
            r"avec\s+l['’]autorisation\s+|с\s+разрешения\s+)?(?:de|da|do|du|des|da|dal|dalla|из|с|со)\s+"
            + _END,
            _I,
        ),
    ),
    # "a joint publication of The Nation and Workday Magazine": each partner but the page
    (
        "joint",
        "footer",
        re.compile(
            r"\b(?:joint\s+publication\s+(?:of|between|with)|co-?published\s+(?:with|by)|"
            r"(?:published|produced|reported)\s+in\s+(?:partnership|collaboration)\s+with)\s+"
            + _END,
            _I,
        ),
    ),
    (
        "reprinted",
        "footer",
        re.compile(
            r"\breprinted\s+(?:here\s+)?(?:with\s+(?:the\s+)?(?:kind\s+|express\s+)?permission\s+)?"
            r"(?:from|of|courtesy\s+of|by)\s+" + _END,
            _I,
        ),
    ),
    ("contributed", "contributed", re.compile(r"\bcontributed\s+by\s+" + _END, _I)),
    # "The post below was written by Joseph Tye, of TX CopBlock, and posted at …"
    (
        "byline",
        "byline",
        re.compile(
            r"^(?P<lead>.*?)\b(?:was|were|is|has\s+been)\s+(?:originally\s+)?(?:written|authored|penned|"
            r"reported)\s+by\s+" + _END,
            _I,
        ),
    ),
    # Agency input: "(With inputs from PTI)", "Con información de EFE", "avec AFP", "mit Material von dpa".
    (
        "contributed",
        "contributed",
        re.compile(
            r"(?:\bwith\s+(?:additional\s+)?(?:inputs?|reporting|files|material)\s+from|\bcon\s+informaci[óo]n\s+de|"
            r"\bcom\s+informa[çc][õo]es\s+(?:d[aoe]s?)|\bcon\s+(?:fonte|informazioni\s+d[ai])|^\(?\s*avec\s+(?:l['’])?(?=(?-i:[A-Z]{2}))"
            r"|\bmit\s+(?:Material|Informationen)\s+(?:von|der|des)|\bпо\s+материалам|\bс\s+использованием\s+материалов)"
            r"\s*" + _END,
            _I,
        ),
    ),
    (
        "courtesy",
        "footer",
        re.compile(
            r"^(?:(?:this\s+)?(?:article|post|story|piece|report|column|content)\s+(?:\w+\s+){0,2})?"
            r"courtesy\s+of\s*:?\s*" + _END,
            _I,
        ),
    ),
    (
        "read-more",
        "footer",
        re.compile(
            r"^read\s+(?:more|the\s+(?:full|rest\s+of\s+the)\s+(?:article|story|post))"
            r"(?:\s+great\s+articles|\s+posts\s+like\s+this)?\s*(?:@|at|here|on|from)\s*:?\s*"
            + _END,
            _I,
        ),
    ),
    (
        "via",
        "via",
        re.compile(
            r"^(?:(?:authored|written|posted|submitted|compiled)\s+)?by\s+(?P<author>[^.]{2,60}?)\s+via\s+"
            + _END,
            _I,
        ),
    ),
    # At the start of a line only: "© dpa" after a caption credits a photo, not the text.
    # The name must start with a capital or digit: "the copyright owner" names nobody.
    (
        "copyright",
        "copyright",
        re.compile(
            r"^(?:[\w*]+\s+){0,4}?(?:(?i:copyright)\b(?!ed)\s*(?:©|\((?i:c)\))?|©\s*(?i:copyright)?|\((?i:c)\)(?=\s*\d{4}))"
            r"\s*(?:\d{4}(?:\s*[-–]\s*\d{2,4})?\s*,?\s*)?(?:(?i:by):?\s*)?(?P<name>[A-Z0-9\[<\u0400-\u04ff\u0600-\u06ff\u4e00-\u9fff].*)"
        ),
    ),
]
# Fragments one of which is in every sentence a pattern of SENTENCE can match (same order):
# testing them with `in` spares most story sentences the regular expressions.
FRAGMENTS: list[tuple[str, ...]] = [
    ("original source",),
    ("originally",),
    ("publicad", "originalmente", "originariamente", "apareci"),
    ("paru", "publié"),
    ("erschien", "veröffentlicht", "publiziert"),
    ("pubblicat", "appars", "uscit", "originariamente"),
    ("впервые", "первоначально", "изначально", "оригинал"),
    ("ن",),
    ("首发", "首發", "原载", "原載", "最初发表", "最初發表", "原刊"),
    ("转载", "轉載", "转自", "轉自", "来源于", "來源於"),
    ("ilk",),
    ("प्रकाशित", "छप"),
    ("شائع", "چھپ"),
    (
        "first appeared",
        "first ran",
        "first published",
        "first posted",
        "appeared first",
        "appeared originally",
    ),
    (
        "also appeared",
        "also ran",
        "also published",
        "also posted",
        "also printed",
        "also been",
        "previously appeared",
        "previously ran",
        "previously published",
        "previously posted",
        "previously printed",
        "previously been",
    ),
    ("issue of", "edition of", "number of"),
    ("republish", "re-publish", "repost", "re-post", "crosspost", "cross-post", "reproduced"),
    ("reproduc", "republic", "reproduz", "republi", "ripres", "ripubblic", "перепечат"),
    ("joint", "co-publish", "copublish", "partnership", "collaboration"),
    ("reprint",),
    ("contributed",),
    ("written by", "authored by", "penned by", "reported by"),
    (
        "input",
        "reporting",
        "files",
        "material",
        "informaci",
        "informa",
        "fonte",
        "avec",
        "материал",
    ),
    ("courtesy",),
    ("^read",),
    ("via",),
    ("copyright", "©", "(c)"),
]
ALL_FRAGMENTS = tuple(dict.fromkeys(f.lstrip("^") for fs in FRAGMENTS for f in fs))


def minimal(fragments: tuple[str, ...]) -> tuple[str, ...]:
    """The fragments that hold no other one: a line holding "republish" holds "republi", so
    testing the shorter tells the same."""
    return tuple(f for f in fragments if not any(g != f and g in f for g in fragments))


# Each fragment once, with the patterns it admits: a line is tested for every fragment in one
# pass instead of once per pattern.
SETS_OF: dict[str, list[int]] = {}
for _index, _fragments in enumerate(FRAGMENTS):
    if _fragments[0][0] != "^":
        for _fragment in _fragments:
            SETS_OF.setdefault(_fragment, []).append(_index)
PLAIN_FRAGMENTS = Fragments(tuple(SETS_OF))
_LEADING = tuple(fs[0][1:] for fs in FRAGMENTS if fs[0][0] == "^")  # "read" opens a sentence


@lru_cache(maxsize=4096)
def line_cues(low: str) -> tuple[str, ...] | None:
    """The fragments of the patterns that a lower-cased line holds (those a pattern needs
    anywhere in a sentence), or None when the line may hold no statement at all (cheap:
    substring tests only). Its sentences need only be tested for these."""
    found = tuple(PLAIN_FRAGMENTS.found_in(low))
    if found or any(map(low.__contains__, _LEADING)):
        return found
    return None
