"""Source names as written in credits: the comparison key, trimming, and what is not a name.

A credit names its source loosely ("South Front", "SouthFront", "southfront.org", "The
Daily Ledger"), so names compare by a key that ignores case, spacing, punctuation and a
leading "The". The name runs from the end of a cue to the end of its clause, trimmed of what
follows names in practice ("under a Creative Commons licence", "on October 27, 2020").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from crawler.urls import registered_domain

_I = re.IGNORECASE
_LEADING_THE = re.compile(r"^\W*the\b")
_SPACES = re.compile(r"\s+")
_DOMAINISH = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://)?(?:[\w-]+\.)+[a-z][\w-]*(?::\d+)?(?:[/?#]\S*)?$", _I
)
URL = re.compile(r"(?:https?://|www\.)[^\s<>()\"'\]]+", _I)
DATE_WORDS = re.compile(
    r"^(?:on\s+|in\s+|el\s+|le\s+|am\s+)?(?:\d|(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|yesterday)\b|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*(?:\d|$))",
    _I,
)


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """The comparison key of an outlet name: ``The South-Front®`` -> ``southfront``."""
    text = unicodedata.normalize("NFKD", name).casefold()
    text = text.replace("&", "and")
    text = _LEADING_THE.sub("", text)
    # NFKD splits accents and Indic vowel signs off their letters; keep the marks of
    # scripts that are not Latin, or "पीटीआई" would lose its vowels.
    return "".join(
        ch for ch in text if ch.isalnum() or (ord(ch) > 0x36F and unicodedata.category(ch) == "Mn")
    )


def looks_like_domain(text: str) -> bool:
    """True for ``southfront.org``, ``www.SHTFplan.com`` or a URL; false for ``St. Louis``."""
    text = text.strip()
    if not _DOMAINISH.match(text):
        return False
    return registered_domain(text) is not None


# Suffixes of source files that are also country domains ("setup.py", "index.js", "run.sh")
_FILE_SUFFIXES = {"py", "js", "sh", "md", "rs", "rb", "go", "cs", "ts", "so", "ps", "cc", "ai"}


def file_name_like(text: str) -> bool:
    """True for "setup.py" or "bigstuff.py": a file name, though .py is Paraguay's domain
    (whose sites are under com.py, as abc.com.py)."""
    head, dot, suffix = text.strip().rpartition(".")
    return bool(dot) and "." not in head and suffix.lower() in _FILE_SUFFIXES


def clean_text(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Found:
    """A credit located in a text; offsets let the caller find the link around the name.

    ``form`` is where a reader sees it (footer, byline, dateline, sign-off, provider-label,
    contributed, print-issue, copyright, via, source-url, metadata, canonical).
    """

    kind: str
    sentence: str
    name: str
    start: int
    end: int
    author: str | None = None
    day: str | None = None
    url: str | None = None
    holders: tuple[str, ...] = ()  # every name in a copyright line
    form: str = "footer"
    strict: bool = False  # counts only when the name resolves to a known outlet or agency


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
NOT_NAMES = {
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


def is_platform(name: str) -> bool:
    """A sharing or image platform ("via email", "via Getty"), not a source of text."""
    key = name_key(name)
    first = name_key(name.split()[0]) if name.split() else ""
    return (
        key in _PLATFORMS
        or first in _PLATFORMS
        or any(key.startswith(p) for p in _PLATFORMS if len(p) > 4)
    )


def starts_like_name(name: str) -> bool:
    """Proper names start with a capital; scripts without case start with a letter."""
    first = name[:1]
    return first.isupper() or (first.isalpha() and not first.islower())
