"""Fetching one URL on a user's request (``crosspost lookup --fetch``), without a crawl job.

The page is fetched by Scrapy with the project's settings (robots.txt, user agent, proxy,
retries), behind the fetch guard (:mod:`crawler.crawl.fetchguard`) on every request and on
every address connected to (:mod:`crawler.crawl.resolver`), and with tighter size and time
limits; it is extracted, stored and matched by the project's pipelines like any crawled page.
Twisted's reactor runs once per process: call :func:`fetch_url` once per process.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from crawler.crawl.fetchguard import ForbiddenURL, check_fetch_url
from crawler.crawl.resolver import refusal
from crawler.items import PageItem
from crawler.spiders.outlets import OutletSpider

logger = logging.getLogger(__name__)

#: Settings of a one-URL fetch, on top of the project's (and below the caller's overrides).
FETCH_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_MAXSIZE": 4 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 1024 * 1024,
    "DOWNLOAD_TIMEOUT": 20,
    "RETRY_TIMES": 1,
    "REDIRECT_MAX_TIMES": 5,
    # The whole fetch, robots.txt and redirects included, ends after this many seconds.
    "CLOSESPIDER_TIMEOUT": 60,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CROSSPOST_EXTRACT_PROCESSES": 0,  # one page: no worker process to start
    "LOG_LEVEL": "WARNING",
    # Every request of the fetch is guarded, and so is every address Scrapy connects to.
    "CROSSPOST_FETCH_GUARD": True,
    "CROSSPOST_FETCH_GUARD_ALL": True,
    "TWISTED_DNS_RESOLVER": "crawler.crawl.resolver.GuardedResolver",
}
GUARD_MIDDLEWARE = "crawler.crawl.guardmiddleware.FetchGuardMiddleware"


class FetchError(Exception):
    """The page could not be fetched; the message says why."""


@dataclass
class FetchResult:
    url: str
    final_url: str | None
    status: int | None
    error: str | None
    crawl_id: int | None


class FetchSpider(OutletSpider):
    """Fetches exactly one page: no sitemaps, feeds or links are followed."""

    name = "fetch-one"

    def __init__(self, url: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, start=[url], follow_links=False, **kwargs)
        self.result: dict[str, Any] = {
            "url": url,
            "final_url": None,
            "status": None,
            "error": "nothing was fetched",
        }

    async def start(self) -> AsyncIterator[Any]:
        yield Request(
            self.start_list[0],
            self.parse_one,
            errback=self.on_fetch_error,
            meta={"discovered_via": "lookup"},
            dont_filter=True,
        )

    def parse_one(self, response: Response) -> Iterator[PageItem]:
        item = self._capture(response)
        if 300 <= response.status < 400:
            # Scrapy leaves redirects to other schemes (file:, ftp:) unfollowed.
            location = response.headers.get(b"Location", b"").decode("latin-1")
            item.error = (
                f"redirect to {location or 'nowhere'} not followed (HTTP {response.status})"
            )
        self.result.update(final_url=response.url, status=response.status, error=item.error)
        yield item

    def on_fetch_error(self, failure: Failure) -> Iterator[PageItem]:
        reason = failure.getErrorMessage() or failure.type.__name__
        if failure.check(IgnoreRequest) and not reason.startswith("forbidden URL"):
            reason = reason or "the request was not made"
        if failure.check(DNSLookupError):
            # The guarded resolver hands out no address when one is refused: say so.
            host = urlsplit(failure.request.url).hostname or ""
            refused = refusal(host)
            if refused:
                reason = f"forbidden URL {failure.request.url}: {refused} (at connection time)"
        self.result["error"] = reason
        self.result["final_url"] = failure.request.url
        yield from self.on_error(failure)


def fetch_url(
    url: str,
    db_path: str,
    *,
    allow_private: bool = False,
    allow_hosts: tuple[str, ...] = (),
    settings: dict[str, Any] | None = None,
) -> FetchResult:
    """Fetch ``url`` into the store at ``db_path``, guarded, and return how it went.

    Raises :class:`~crawler.crawl.fetchguard.ForbiddenURL` before anything is requested when the
    URL itself is forbidden, and :class:`FetchError` when the fetch failed (a redirect to a
    forbidden address, a timeout, an HTTP error status).
    """
    from scrapy.crawler import CrawlerProcess

    from crawler.crawl.runner import project_settings

    check_fetch_url(url, allow_private, allow_hosts=allow_hosts)
    overrides = {**FETCH_SETTINGS, **(settings or {})}
    overrides["CROSSPOST_DB"] = db_path
    overrides["CROSSPOST_FETCH_ALLOW_PRIVATE"] = allow_private
    overrides["CROSSPOST_FETCH_ALLOW_HOSTS"] = list(allow_hosts)
    project = project_settings(overrides)
    middlewares = dict(project.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares[GUARD_MIDDLEWARE] = 50  # before robots.txt: a forbidden host is not asked
    project.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    process = CrawlerProcess(project)
    crawler = process.create_crawler(FetchSpider)
    process.crawl(crawler, url=url)
    process.start()
    spider = crawler.spider
    result = spider.result if spider is not None else {"error": "the fetch did not start"}
    stats = crawler.stats.get_stats() if crawler.stats else {}
    reason = stats.get("finish_reason")
    error = result.get("error")
    if error is None and reason not in (None, "finished"):
        error = f"the fetch stopped: {reason}"
    fetched = FetchResult(
        url,
        result.get("final_url"),
        result.get("status"),
        error,
        getattr(crawler, "crosspost_crawl_id", None),
    )
    if error and not (fetched.status and fetched.status < 300):
        raise FetchError(error)
    return fetched


def fetch_and_lookup(
    url: str,
    db_path: str,
    *,
    allow_private: bool = False,
    allow_hosts: tuple[str, ...] = (),
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The Lookup JSON for ``url``, fetching it first when the store does not know it.

    The answer carries ``fetched``: ``{"url", "final_url", "status"}`` when the page was
    fetched now, else absent. Errors as :func:`fetch_url`.
    """
    from pathlib import Path

    from crawler.lookup import lookup_url
    from crawler.store import Store

    if Path(db_path).exists():
        with Store(db_path, readonly=True) as store:
            known = lookup_url(store, url)
        if known["found"]:
            return known
    fetched = fetch_url(
        url, db_path, allow_private=allow_private, allow_hosts=allow_hosts, settings=settings
    )
    with Store(db_path, readonly=True) as store:
        result = lookup_url(store, fetched.final_url or url)
        if not result["found"] and fetched.final_url and fetched.final_url != url:
            result = lookup_url(store, url)
    result["query"] = url
    result["fetched"] = {"url": url, "final_url": fetched.final_url, "status": fetched.status}
    return result


__all__ = [
    "FETCH_SETTINGS",
    "FetchError",
    "FetchResult",
    "FetchSpider",
    "ForbiddenURL",
    "fetch_and_lookup",
    "fetch_url",
]
