"""Article extraction: main text and metadata from decoded HTML, with trafilatura.

Runs in worker processes (see ``crawler.pipelines``), so it takes and returns plain data.
Never hand trafilatura or htmldate a URL to fetch: crosspost fetches through Scrapy, which
obeys robots.txt, throttling and proxies.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import asdict
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html
from trafilatura import bare_extraction

from crawler.extract.credits import credits_with_lines, read_page
from crawler.extract.dates import published_date
from crawler.urls import BadURL, outlet_of

logger = logging.getLogger(__name__)

MIN_TEXT_CHARS = 200
# Larger documents are not news articles and would stall the worker for minutes.
MAX_HTML_CHARS = 5_000_000


class NotAnArticle(Exception):
    """The page holds no article; the message says why, and is recorded on the capture."""


# lxml refuses a str that declares its encoding ("<?xml version=... encoding=...?>", as MSN
# and XHTML pages start); the text is decoded already, so the declaration says nothing.
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml\b[^>]*\?>", re.IGNORECASE)
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _looks_binary(html: str) -> bool:
    sample = html[:4096]
    return "\x00" in sample or len(_NOT_TEXT.findall(sample)) > len(sample) * 0.05


def _meta(tree, *names: str) -> str | None:
    for name in names:
        values = tree.xpath(
            "//meta[@property=$n or @name=$n]/@content", n=name
        )
        for value in values:
            if value and value.strip():
                return value.strip()
    return None


def declared_canonical(tree, page_url: str) -> str | None:
    """The page's own ``<link rel=canonical>``, made absolute."""
    for href in tree.xpath('//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href'):
        href = href.strip()
        if href:
            return urljoin(page_url, href)
    return None


def parse_html(html: str):
    if not html or not html.strip():
        raise NotAnArticle("empty body")
    if len(html) > MAX_HTML_CHARS:
        raise NotAnArticle(f"HTML too large for an article ({len(html):,} characters)")
    if _looks_binary(html):
        raise NotAnArticle("binary content, not HTML")
    try:
        tree = lxml_html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle(f"unparsable HTML: {exc}") from None
    if tree is None or not len(tree):
        raise NotAnArticle("unparsable HTML")
    return tree


def extract_article(html: str, url: str) -> dict[str, Any]:
    """Extract one article from decoded HTML fetched from ``url``.

    Raises :class:`NotAnArticle` when the page has no article text.
    """
    tree = parse_html(html)
    canonical = declared_canonical(tree, url)
    date = published_date(html, url, tree=tree)
    lang = (tree.get("lang") or _meta(tree, "og:locale", "language") or "").split("-")[0].split("_")[0]
    og_type = _meta(tree, "og:type")
    page = read_page(tree, url)
    # trafilatura prunes the tree it is given; it goes last.
    doc = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    if doc is None or not (doc.text or "").strip():
        raise NotAnArticle("no main text found")
    text = doc.text.strip()
    if len(text) < MIN_TEXT_CHARS:
        raise NotAnArticle(f"main text too short for an article ({len(text)} characters)")
    try:
        own_outlet = outlet_of(url)
    except BadURL:
        own_outlet = None
    attributions, credit_lines = credits_with_lines(text, page, url, own_outlet=own_outlet)
    return {
        "attributions": [asdict(hit) for hit in attributions],
        "title": doc.title,
        "author": doc.author,
        "sitename": doc.sitename or _meta(tree, "og:site_name"),
        "description": doc.description,
        "published_at": date.value if date else doc.date,
        "date_source": date.source if date else ("trafilatura" if doc.date else None),
        "declared_canonical": canonical,
        "language": lang or doc.language,
        "og_type": og_type,
        "text": text,
        "text_hash": hashlib.sha1(text.encode("utf-8")).hexdigest(),
        "attribution_lines": credit_lines,
    }
