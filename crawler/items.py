"""Items the spider yields: one per fetched (or failed) page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PageItem:
    """A page as fetched: what the store keeps as a capture, and the input of extraction.

    ``html`` is the body decoded by Scrapy (charset from headers, BOM or ``<meta>``); it is
    None for non-text responses and for failures, whose reason is in ``error``.
    """

    url: str
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    html: str | None = None
    encoding: str | None = None
    content_type: str | None = None
    fetched_at: str | None = None
    is_listing: bool = False
    error: str | None = None
    # Set when the page was deliberately not fetched (robots.txt, a filter).
    skip_reason: str | None = None
    discovered_via: str | None = None
    # Date evidence seen before the page itself: sitemap <lastmod>, Google News
    # <news:publication_date>, feed <pubDate>.
    hints: dict[str, Any] = field(default_factory=dict)
    # The page's entry in the crawl frontier (its canonical URL), and the sitemap/feed date
    # it was listed with: both let a re-crawl skip what did not change.
    frontier_url: str | None = None
    listed_date: str | None = None
    # A conditional request answered 304: the stored copy is still current.
    not_modified: bool = False
    # How the fetch went when it took more than one try: retries, redirects to another outlet.
    notes: list[str] = field(default_factory=list)
