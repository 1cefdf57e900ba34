"""The outlets spider: discovers articles on the outlets of a job and fetches them.

Start URLs may be site roots (sitemaps found through robots.txt, feeds through
``<link rel=alternate>``, then links within the outlet), sitemaps, feeds or article pages.
The spider yields one :class:`~crawler.items.PageItem` per fetched or failed page and never
touches the store.

    scrapy crawl outlets -a start=http://southfront.test/ -s CROSSPOST_DB=out.db
    scrapy crawl outlets -a outlets_file=examples/sample-outlets.toml

Which requests are actually made (new pages only, each once per run, resumable after a crash)
is decided by the frontier (``crawler.crawl.frontier``), not here.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import SitemapSpider
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from crawler.crawl.discovery import (
    FEED_TYPES,
    BrokenFeed,
    feed_links,
    is_listing_url,
    news_publication_dates,
    parse_feed,
    start_kind,
    xml_problem,
)
from crawler.crawl.outlets_file import load_outlets
from crawler.items import PageItem
from crawler.urls import BadURL, canonical_url, check_url, outlet_of

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_start_urls(start: str | Iterable[str] | None, urls_file: str | None) -> list[str]:
    """Start URLs from a comma/whitespace-separated argument and/or a file (one per line,
    ``#`` comments allowed). Raises :class:`BadURL` naming the first unusable one."""
    urls: list[str] = []
    if isinstance(start, str):
        urls.extend(part for part in start.replace(",", " ").split() if part)
    elif start:
        urls.extend(start)
    if urls_file:
        for line in Path(urls_file).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                urls.append(line)
    return [check_url(url) for url in urls]


class OutletSpider(SitemapSpider):
    name = "outlets"

    def __init__(
        self,
        start: str | list[str] | None = None,
        urls_file: str | None = None,
        follow_links: bool | str = True,
        outlets_file: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.start_list = read_start_urls(start, urls_file)
        # From an outlets file: display names and aliases for the store's outlet registry,
        # and per-outlet limits the frontier applies.
        self.registry: list[dict[str, Any]] = []
        self.outlet_limits: dict[str, dict[str, Any]] = {}
        domains: set[str] = set()
        if outlets_file:
            outlets = load_outlets(outlets_file)
            self.start_list += [u for u in outlets.start_urls if u not in self.start_list]
            self.registry = outlets.registry()
            self.outlet_limits = outlets.limits()
            domains = {outlet_of(d) for e in outlets.outlets for d in e.domains}
        if not self.start_list:
            raise ValueError("no start URL: pass -a start=URL[,URL...] or -a urls_file=FILE")
        self.follow_links = str(follow_links).lower() not in ("0", "false", "no", "off")
        # The job's outlets: link following never leaves them.
        self.outlets = {outlet_of(url) for url in self.start_list} | domains
        self.link_extractor = LinkExtractor(unique=True, canonicalize=False)

    # -- starting -------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_list:
            kind = start_kind(url)
            meta = {"discovered_via": "start"}
            if kind == "site":
                robots = urljoin(url, "/robots.txt")
                yield Request(robots, self.parse_sitemap, errback=self.on_error, meta=meta)
                yield Request(url, self.parse_page, errback=self.on_error, meta=meta)
            elif kind in ("robots", "sitemap"):
                yield Request(url, self.parse_sitemap, errback=self.on_error, meta=meta)
            elif kind == "feed":
                yield Request(url, self.parse_feed, errback=self.on_error, meta=meta)
            else:
                yield Request(url, self.parse_page, errback=self.on_error, meta=meta)

    def _in_job(self, url: str) -> bool:
        try:
            return outlet_of(url) in self.outlets
        except BadURL:
            return False

    # -- sitemaps -------------------------------------------------------------------------
    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        is_robots = urlsplit(response.url).path.endswith("/robots.txt")
        if response.status == 304:
            yield self._listing(response, None)
            return
        if response.status >= 400 and not is_robots:
            yield self._failed(response, f"HTTP {response.status} for sitemap")
            return
        if is_robots:
            sitemaps = []
            if response.status < 400 and isinstance(response, TextResponse):
                sitemaps = list(sitemap_urls_from_robots(response.body, base_url=response.url))
            if not sitemaps:
                sitemaps = [urljoin(response.url, "/sitemap.xml")]
            yield self._listing(response, None)
            for url in sitemaps:
                yield response.follow(
                    url, self.parse_sitemap, errback=self.on_error,
                    meta={"discovered_via": "robots.txt"},
                )
            return
        body = self._get_sitemap_body(response)
        try:
            sitemap = Sitemap(body) if body else None
        except Exception as exc:  # lxml raises several types on garbage
            logger.warning("Ignoring unparsable sitemap %s: %s", response.url, exc)
            sitemap = None
        if sitemap is None or sitemap.type not in ("sitemapindex", "urlset"):
            logger.warning("Ignoring invalid sitemap %s", response.url)
            yield self._failed(response, "invalid sitemap")
            return
        entries = list(sitemap)
        problem = xml_problem(body)
        if problem:
            logger.warning("Malformed sitemap %s (%d entries salvaged): %s",
                           response.url, len(entries), problem)
        yield self._listing(response, f"malformed sitemap, {len(entries)} entries salvaged: "
                            f"{problem}" if problem else None)
        news_dates = news_publication_dates(body) if sitemap.type == "urlset" else {}
        for entry in entries:
            loc = (entry.get("loc") or "").strip()
            if not loc or not self._in_job(loc):
                continue
            lastmod = (entry.get("lastmod") or "").strip() or None
            if sitemap.type == "sitemapindex":
                yield Request(loc, self.parse_sitemap, errback=self.on_error,
                              meta={"discovered_via": "sitemap", "listed_date": lastmod})
            else:
                hints = {"sitemap_lastmod": lastmod} if lastmod else {}
                if news_dates.get(loc):
                    hints["news_publication_date"] = news_dates[loc]
                yield Request(loc, self.parse_page, errback=self.on_error,
                              meta={"discovered_via": "sitemap", "hints": hints,
                                    "listed_date": lastmod or news_dates.get(loc)})

    # -- feeds ----------------------------------------------------------------------------
    def parse_feed(self, response: Response) -> Iterator[Any]:
        if response.status == 304:
            yield self._listing(response, None)
            return
        if response.status >= 400:
            yield self._failed(response, f"HTTP {response.status} for feed")
            return
        try:
            entries = parse_feed(response.body, response.url)
        except BrokenFeed as exc:
            logger.warning("Ignoring broken feed %s: %s", response.url, exc)
            yield self._failed(response, f"broken feed: {exc}")
            return
        problem = xml_problem(response.body)
        if problem:
            logger.warning("Malformed feed %s (%d entries salvaged): %s",
                           response.url, len(entries), problem)
        yield self._listing(response, f"broken feed, {len(entries)} entries salvaged: {problem}"
                            if problem else None)
        for entry in entries:
            if self._in_job(entry["url"]):
                hints = {"feed_published": entry["published"]} if entry["published"] else {}
                yield Request(entry["url"], self.parse_page, errback=self.on_error,
                              meta={"discovered_via": "feed", "hints": hints,
                                    "listed_date": entry["published"]})

    # -- pages ----------------------------------------------------------------------------
    def parse_page(self, response: Response) -> Iterator[Any]:
        item = self._capture(response)
        yield item
        if item.html is None or response.status >= 300:
            return
        # Most pages advertise no feed: looking for its type in the text spares building the
        # page's selector, the crawling process's largest cost of its own per page.
        low = response.text.lower()
        advertised = any(kind in low for kind in FEED_TYPES)
        for feed in feed_links(response.selector, response.url) if advertised else ():
            if self._in_job(feed):
                yield Request(feed, self.parse_feed, errback=self.on_error,
                              meta={"discovered_via": "feed-link"})
        if self.follow_links:
            for link in self.link_extractor.extract_links(response):
                if self._in_job(link.url):
                    # Tracking parameters and case variants would fetch one page many times.
                    url = canonical_url(link.url)
                    yield Request(url, self._callback_for(url), errback=self.on_error,
                                  meta={"discovered_via": "link"})

    def _callback_for(self, url: str):
        kind = start_kind(url)
        if kind == "feed":
            return self.parse_feed
        if kind in ("sitemap", "robots"):
            return self.parse_sitemap
        return self.parse_page

    def _capture(self, response: Response) -> PageItem:
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        request_url = response.request.url if response.request else response.url
        item = PageItem(
            # the URL asked for; where redirects led is final_url
            url=(response.meta.get("redirect_urls") or [request_url])[0],
            final_url=response.url,
            status=response.status,
            headers={
                k.decode("latin-1"): b", ".join(v).decode("latin-1")
                for k, v in response.headers.items()
            },
            body=response.body,
            content_type=content_type.split(";")[0].strip().lower() or None,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            is_listing=is_listing_url(response.url),
            discovered_via=response.meta.get("discovered_via"),
            hints=dict(response.meta.get("hints") or {}),
            frontier_url=response.meta.get("frontier_url"),
            listed_date=response.meta.get("listed_date"),
            notes=_fetch_notes(response.meta, response.url),
        )
        if response.status == 304:
            item.not_modified = True
        elif response.status >= 400:
            item.error = f"HTTP {response.status}"
        elif not isinstance(response, TextResponse):
            item.error = f"not HTML ({item.content_type or 'no content type'})"
        elif item.content_type and not item.content_type.startswith(_HTML_TYPES):
            item.error = f"not HTML ({item.content_type})"
        else:
            try:
                item.html = response.text
                item.encoding = response.encoding
            except (UnicodeDecodeError, LookupError) as exc:
                item.error = f"undecodable body: {exc}"
        return item

    def _listing(self, response: Response, problem: str | None) -> PageItem:
        """A sitemap or feed, kept as a capture so later runs can tell what changed."""
        item = self._capture(response)
        item.html = None
        item.is_listing = True
        item.error = problem
        return item

    def _failed(self, response: Response, reason: str) -> PageItem:
        item = self._capture(response)
        item.html = None
        item.is_listing = True
        item.error = reason
        return item

    def on_error(self, failure: Failure) -> Iterator[PageItem]:
        request = failure.request
        reason = failure.getErrorMessage() or failure.type.__name__
        first_url = (request.meta.get("redirect_urls") or [request.url])[0]
        if failure.check(IgnoreRequest) and "robots.txt" in reason:
            # Not a failure of the site: robots.txt or a setting said not to fetch it.
            logger.info("Not fetched %s: %s", request.url, reason)
            yield PageItem(
                url=request.url,
                fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
                is_listing=True,
                skip_reason=reason,
                discovered_via=request.meta.get("discovered_via"),
                frontier_url=request.meta.get("frontier_url"),
            )
            return
        logger.warning("Failed %s: %s", first_url, reason)
        yield PageItem(
            url=first_url,
            final_url=request.url,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            error=f"{failure.type.__name__}: {reason}",
            discovered_via=request.meta.get("discovered_via"),
            frontier_url=request.meta.get("frontier_url"),
            notes=_fetch_notes(request.meta, request.url),
        )


def _fetch_notes(meta: dict[str, Any], final_url: str) -> list[str]:
    """What happened on the way to a response: retries and redirects off the outlet."""
    notes = []
    if meta.get("retry_times"):
        notes.append(f"retried {meta['retry_times']}x")
    redirects = meta.get("redirect_urls") or []
    if redirects:
        try:
            if outlet_of(redirects[0]) != outlet_of(final_url):
                notes.append(f"redirected to another outlet: {final_url}")
        except BadURL:
            pass
    return notes
