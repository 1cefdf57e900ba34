"""Credits in a page's structured metadata: JSON-LD ``author``, ``publisher``,
``sourceOrganization``, ``provider``, ``isBasedOn``; ``<meta name="original-source">``,
``<meta name="syndication-source">``, ``<link rel="original-source">`` and author meta tags.

A syndicated copy often says nothing in its text but keeps the wire's name in its author
field ("Associated Press") or links the original in ``isBasedOn``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

logger = logging.getLogger(__name__)

# JSON-LD keys that name where the piece came from -> (form, needs a known name)
_LD_FIELDS = {
    "author": "byline",
    "creator": "byline",
    "publisher": "metadata",
    "sourceOrganization": "metadata",
    "provider": "metadata",
    "isBasedOn": "metadata",
    "isBasedOnUrl": "metadata",
}
_AUTHOR_META = (
    "author",
    "article:author",
    "og:article:author",
    "articleAuthor",
    "byl",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "parsely-author",
    "cXenseParse:author",
)
_SOURCE_META = (
    "original-source",
    "syndication-source",
    "dc.source",
    "dcterms.source",
    "articleSource",
    "article:source",
)
_MAX_LD_CHARS = 500_000
_SHARED = re.compile(r"\s*/\s*")


@dataclass(frozen=True)
class MetaCredit:
    """A source named in metadata: ``field`` as the page spells it, the name and/or URL."""

    field: str
    form: str
    name: str | None
    url: str | None

    @property
    def sentence(self) -> str:
        value = " ".join(v for v in (self.name, f"<{self.url}>" if self.url else None) if v)
        return f"{self.field}: {value}"


def _join(base: str | None, href: str | None) -> str | None:
    if not href or not isinstance(href, str) or not href.strip():
        return None
    try:
        url = urljoin(base or "", href.strip())
    except ValueError:
        return None
    return url if url.startswith(("http://", "https://")) else None


def _parties(value: object, base: str | None) -> Iterator[tuple[str | None, str | None]]:
    """(name, url) of each party in a JSON-LD value: a string, an object or a list."""
    if isinstance(value, list):
        for item in value[:20]:
            yield from _parties(item, base)
    elif isinstance(value, dict):
        name = value.get("name") or value.get("legalName") or value.get("alternateName")
        url = value.get("url") or value.get("@id") or value.get("sameAs")
        if isinstance(name, list):
            name = next((n for n in name if isinstance(n, str)), None)
        if isinstance(url, list):
            url = next((u for u in url if isinstance(u, str)), None)
        name = name.strip() if isinstance(name, str) and name.strip() else None
        url = _join(base, url) if isinstance(url, str) and "#" not in url else None
        if name or url:
            yield name, url
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text.startswith(("http://", "https://", "/")):
            yield None, _join(base, text)
        else:
            yield text, None


def _objects(data: object, depth: int = 0) -> Iterator[dict]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data[:200]:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in data:
                yield from _objects(data[key], depth + 1)


_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "blogposting",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "webpage",
    "socialmediaposting",
    "liveblogposting",
    "creativework",
    "report",
    "scholarlyarticle",
}


def _is_article(obj: dict) -> bool:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds)


def read(tree, base_url: str | None) -> list[MetaCredit]:
    """The credits a parsed page's metadata states, in page order."""
    found: list[MetaCredit] = []
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        raw = (script.text or "").strip()
        if not raw or len(raw) > _MAX_LD_CHARS:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            logger.debug("unreadable JSON-LD on %s", base_url)
            continue
        for obj in _objects(data):
            if not _is_article(obj):
                continue
            for key, form in _LD_FIELDS.items():
                for name, url in _parties(obj.get(key), base_url):
                    found.append(MetaCredit(key, form, name, url))
    for name in _AUTHOR_META:
        for value in tree.xpath("//meta[@name=$n or @property=$n]/@content", n=name):
            if value and value.strip() and not value.strip().startswith(("http://", "https://")):
                # A shared byline names each party: "AFP/The Local".
                for part in _SHARED.split(value.strip()):
                    if part.strip():
                        found.append(MetaCredit(f"meta {name}", "byline", part.strip(), None))
    for name in _SOURCE_META:
        for value in tree.xpath("//meta[@name=$n or @property=$n]/@content", n=name):
            url = (
                _join(base_url, value)
                if value and value.strip().startswith(("http", "/"))
                else None
            )
            label = None if url else (value or "").strip() or None
            if url or label:
                found.append(MetaCredit(f"meta {name}", "metadata", label, url))
    for href in tree.xpath(
        '//link[contains(concat(" ", normalize-space(@rel), " "), " original-source ")]/@href'
    ):
        url = _join(base_url, href)
        if url:
            found.append(MetaCredit("link original-source", "metadata", None, url))
    return list(dict.fromkeys(found))
