"""Extraction as an extraction worker runs it: a fetched page's HTML to a complete article.

This module is what a worker process imports, so it imports only what extraction needs:
the crawl's Scrapy machinery, the store and the near-duplicate index stay out of the worker
(they would cost it a second of start-up CPU), and the signing code is loaded only when the
worker signs (a crawl that stores and matches in its crawling process).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from crawler.extract.page import NotAnArticle, extract_article
from crawler.urls import BadURL, canonical_url, outlet_of

if TYPE_CHECKING:
    from dedupe.matcher import Presigned
    from dedupe.shingles import Tokens
    from dedupe.signature import SignatureParams

logger = logging.getLogger(__name__)

# (article or None, why it is not one or None, (tokens, presigned) or None)
Extracted = tuple[dict[str, Any] | None, str | None, "tuple[Tokens, Presigned] | None"]


def extract_or_reason(
    html: str, url: str, sign: SignatureParams | None = None, hints: dict[str, Any] | None = None
) -> Extracted:
    """Returns (article, None, prepared) or (None, why it is not one, None).
    The article is complete (identity, outlet, canonical credit URLs, a date from ``hints``
    when the page has none): the crawling process only hands it on. With ``sign`` (the
    store's signature parameters) the text is also tokenised and signed, for the matcher:
    ``prepared`` is then (tokens, presigned)."""
    try:
        article = extract_article(html, url)
    except NotAnArticle as exc:
        return None, str(exc), None
    except Exception as exc:  # a parser bug on one page must not stop the crawl
        logger.exception("extraction failed on %s", url)
        return None, f"extraction failed: {type(exc).__name__}: {exc}", None
    complete(article, url, hints or {})
    if sign is None:
        return article, None, None
    from dedupe.matcher import presign
    from dedupe.shingles import tokenize

    tokens = tokenize(article["text"])
    return article, None, (tokens, presign(tokens, sign))


def extract_many(pages: list[tuple[Any, ...]]) -> list[Extracted]:
    """:func:`extract_or_reason` for each page of a batch."""
    return [extract_or_reason(*page) for page in pages]


def complete(article: dict[str, Any], url: str, hints: dict[str, Any]) -> None:
    """Set what the crawl knows beyond the page: the fetched URL, the article's identity
    and outlet, canonical credit URLs, and a date from the sitemap or feed."""
    article["fetched_url"] = url
    article["url"] = article_identity(url, article.get("declared_canonical"))
    article["outlet"] = outlet_of(article["url"])
    for hit in article.get("attributions", []):
        hit["url"] = _canonical_or_none(hit.get("url"))
    if not article.get("published_at"):
        # A date from the sitemap or feed is weaker than the page's own, but better than none.
        for hint, source in (
            ("news_publication_date", "news-sitemap"),
            ("feed_published", "feed"),
            ("sitemap_lastmod", "sitemap"),
        ):
            if hints.get(hint):
                article["published_at"], article["date_source"] = hints[hint], source
                break


def article_identity(page_url: str, declared: str | None) -> str:
    """An article's key: its declared canonical URL when that stays on the same outlet (AMP,
    mobile and tracking variants collapse to one article), else its own canonical URL. A
    canonical link to another outlet is evidence of republication, not identity."""
    own = canonical_url(page_url)
    if declared:
        try:
            target = canonical_url(declared)
        except BadURL:
            return own
        if outlet_of(target) == outlet_of(own):
            return target
    return own


def _canonical_or_none(url: str | None) -> str | None:
    try:
        return canonical_url(url) if url else None
    except BadURL:
        return None
