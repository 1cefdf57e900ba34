"""How the crawler tells pages apart: start-URL kinds, listing pages, feeds."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector

# Pages that list articles rather than hold one: followed for discovery, never stored as
# articles.
_LISTING_PATH = re.compile(
    r"""(^/?$)
      |/(tag|tags|category|categories|topics?|author|authors|section|archives?|page|search)(/|$)
      |/(feed|rss|atom)(/|\.xml|$)
      |/\d{4}/(\d{2}/)?$          # date archives: /2020/ or /2020/10/
      |/wp-(json|admin|login)
      |/(login|register|subscribe|donate|contact|about|privacy|terms)(/|$)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_LISTING_QUERY = re.compile(r"(^|&)(s|q|page|paged|replytocom|share)=", re.IGNORECASE)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


def is_listing_url(url: str) -> bool:
    parts = urlsplit(url)
    return bool(_LISTING_PATH.search(parts.path) or _LISTING_QUERY.search(parts.query))


def start_kind(url: str) -> str:
    """What a start URL is: ``site`` (a root), ``robots``, ``sitemap``, ``feed`` or ``page``."""
    path = urlsplit(url).path.lower()
    if path in ("", "/"):
        return "site"
    if path.endswith("/robots.txt"):
        return "robots"
    if path.endswith((".xml", ".xml.gz")) and "sitemap" in path:
        return "sitemap"
    if re.search(r"/(feed|rss|atom)(/|\.xml)?$|\.(rss|atom)$", path):
        return "feed"
    if path.endswith((".xml", ".xml.gz")):
        return "sitemap"
    return "page"


def feed_links(selector: Selector, base_url: str) -> list[str]:
    """Feeds a page advertises with ``<link rel=alternate type=application/rss+xml>``."""
    urls = []
    for link in selector.xpath("//link[@rel='alternate'][@href]"):
        if (link.attrib.get("type") or "").lower() in FEED_TYPES:
            urls.append(urljoin(base_url, link.attrib["href"].strip()))
    return urls


class BrokenFeed(ValueError):
    """A feed URL whose body is neither RSS nor Atom."""


def xml_problem(body: bytes) -> str | None:
    """Why ``body`` is not well-formed XML, or None. Parsing is strict here and lenient later,
    so a feed that is salvageable still yields its entries while the defect is recorded."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        return str(exc)
    return None


def parse_feed(body: bytes, base_url: str) -> list[dict[str, Any]]:
    """Entries of an RSS or Atom feed as ``{"url", "published"}``.

    parsel parses XML with entity resolution off, so a hostile feed cannot read local files.
    """
    text = body.lstrip()
    if not text.startswith(b"<"):
        raise BrokenFeed("not XML")
    try:
        sel = Selector(body=body, type="xml")
    except ValueError as exc:
        raise BrokenFeed(f"unparsable XML: {exc}") from None
    sel.remove_namespaces()
    root = sel.xpath("/*")
    if not root:
        raise BrokenFeed("unparsable XML")
    tag = root[0].xpath("name()").get()
    entries: list[dict[str, Any]] = []
    if tag in ("rss", "RDF"):
        for item in sel.xpath("//item"):
            link = item.xpath("normalize-space(link)").get() or item.xpath("@about").get()
            if link:
                entries.append(
                    {
                        "url": urljoin(base_url, link),
                        "published": item.xpath("normalize-space(pubDate)").get()
                        or item.xpath("normalize-space(date)").get()
                        or None,
                    }
                )
    elif tag == "feed":
        for entry in sel.xpath("//entry"):
            link = (
                entry.xpath("link[@rel='alternate']/@href").get()
                or entry.xpath("link[not(@rel)]/@href").get()
            )
            if link:
                entries.append(
                    {
                        "url": urljoin(base_url, link.strip()),
                        "published": entry.xpath("normalize-space(published)").get()
                        or entry.xpath("normalize-space(updated)").get()
                        or None,
                    }
                )
    else:
        raise BrokenFeed(f"root element <{tag}> is neither RSS nor Atom")
    return entries


def news_publication_dates(body: bytes) -> dict[str, str]:
    """``loc`` → ``news:publication_date`` of a Google News sitemap.

    Scrapy's ``Sitemap`` flattens each ``<url>`` to its direct children and so drops the nested
    ``<news:news>`` block; this second pass keeps the date as evidence. Entities are never
    resolved and nothing is fetched.
    """
    if b"sitemap-news" not in body[:4096] and b"news:" not in body[:4096]:
        return {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return {}
    if root is None:
        return {}
    dates: dict[str, str] = {}
    for url in root.iterfind("{*}url"):
        loc = url.findtext("{*}loc")
        date = url.findtext("{*}news/{*}publication_date")
        if loc and date and date.strip():
            dates[loc.strip()] = date.strip()
    return dates
