"""Publication dates from a page, each with the source that gave it.

Dates decide who published first, so every date carries where it came from.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from htmldate import find_date
from lxml import html as lxml_html

logger = logging.getLogger(__name__)

_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "report"}


@dataclass(frozen=True)
class DateEvidence:
    """An ISO-8601 date (``YYYY-MM-DD`` or full timestamp) and the source that stated it."""

    value: str
    source: str


def _jsonld_objects(tree) -> list[dict]:
    found: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                found.append(obj)
                if "@graph" in obj:
                    stack.append(obj["@graph"])
    return found


def jsonld_published(tree) -> str | None:
    for obj in _jsonld_objects(tree):
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types):
            value = obj.get("datePublished")
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def published_date(html: str, url: str | None = None, tree=None) -> DateEvidence | None:
    """The page's own publication date: JSON-LD first, then htmldate's original-date search."""
    if tree is None:
        try:
            tree = lxml_html.fromstring(html)
        except (ValueError, lxml_html.etree.ParserError):
            return None
    value = jsonld_published(tree)
    if value:
        return DateEvidence(value, "jsonld")
    try:
        found = find_date(tree, original_date=True, extensive_search=False, url=url)
    except Exception as exc:  # htmldate raises assorted errors on odd markup
        logger.debug("htmldate failed on %s: %s", url, exc)
        found = None
    return DateEvidence(found, "htmldate") if found else None
