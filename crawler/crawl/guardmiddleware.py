"""The fetch guard as a Scrapy downloader middleware, for one-URL fetches and followed credits.

Two modes, by ``CROSSPOST_FETCH_GUARD_ALL``:

- every request (one-URL fetches, ``crosspost lookup --fetch``): the start URL, robots.txt
  and each redirect;
- only guarded requests (crawls): those marked ``meta["fetch_guard"]`` (the sources that
  articles credit, which nobody listed), their redirects (Scrapy copies ``meta``), and every
  later request to a host that a guarded request reached, robots.txt included.

Each guarded host is also announced to :mod:`crawler.crawl.resolver`, which checks the
addresses again where Scrapy resolves them to connect (DNS rebinding). In a crawl behind a
proxy from the environment, a credited name that does not resolve here is left to the
proxy, which resolves it itself (docs/security.md); a name that resolves here to a refused
address is refused.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Iterable
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.crawl.fetchguard import ForbiddenURL, check_fetch_url
from crawler.crawl.resolver import guard_name

logger = logging.getLogger(__name__)

__all__ = ["FetchGuardMiddleware"]


def _proxied(url: str, meta: dict) -> bool:
    if meta.get("proxy"):
        return True
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    return parts.scheme in proxies and not urllib.request.proxy_bypass(parts.hostname or "")


class FetchGuardMiddleware:
    """Refuses each guarded request that :func:`~crawler.crawl.fetchguard.check_fetch_url`
    forbids, with ``IgnoreRequest("forbidden URL …: reason")``.

    Settings: ``CROSSPOST_FETCH_GUARD`` (on by default), ``CROSSPOST_FETCH_GUARD_ALL``,
    ``CROSSPOST_FETCH_ALLOW_PRIVATE``, ``CROSSPOST_FETCH_ALLOW_HOSTS``. It sits first in the
    chain (priority 50), before robots.txt handling, so a forbidden host is not even asked
    for its robots.txt. Name resolution runs in a thread, off the reactor.
    """

    def __init__(self, allow_private: bool = False, allow_hosts: Iterable[str] = (),
                 guard_all: bool = True) -> None:
        self.allow_private = allow_private
        self.allow_hosts = tuple(allow_hosts)
        self.guard_all = guard_all
        self.guarded_hosts: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchGuardMiddleware:
        settings = crawler.settings
        if not settings.getbool("CROSSPOST_FETCH_GUARD", True):
            raise NotConfigured("CROSSPOST_FETCH_GUARD is off")
        return cls(
            settings.getbool("CROSSPOST_FETCH_ALLOW_PRIVATE", False),
            settings.getlist("CROSSPOST_FETCH_ALLOW_HOSTS", []),
            settings.getbool("CROSSPOST_FETCH_GUARD_ALL", True),
        )

    def check(self, url: str) -> None:
        check_fetch_url(url, self.allow_private, allow_hosts=self.allow_hosts)

    def _check_followed(self, url: str, proxied: bool) -> None:
        try:
            self.check(url)
        except ForbiddenURL as exc:
            if proxied and "does not resolve" in exc.reason:
                return  # the proxy resolves it; nothing here says where it leads
            raise

    async def process_request(self, request: Request) -> None:
        try:
            host = (urlsplit(request.url).hostname or "").lower().rstrip(".")
        except ValueError:
            host = ""
        if not (self.guard_all or request.meta.get("fetch_guard") or host in self.guarded_hosts):
            return
        try:
            if self.guard_all:
                await deferred_to_future(deferToThread(self.check, request.url))
            else:
                proxied = _proxied(request.url, request.meta)
                await deferred_to_future(
                    deferToThread(self._check_followed, request.url, proxied))
        except ForbiddenURL as exc:
            hops = request.meta.get("redirect_urls") or []
            via = f" (redirected from {hops[0]})" if hops else ""
            logger.warning("Refused %s%s: %s", request.url, via, exc.reason)
            raise IgnoreRequest(f"forbidden URL {request.url}{via}: {exc.reason}") from None
        if host and not self.allow_private:
            # Passed: its robots.txt and later requests are guarded too, and the addresses
            # Scrapy connects to are checked again (a refused host needs neither: its own
            # request never gets further, and a listed outlet of that name keeps working).
            self.guarded_hosts.add(host)
            guard_name(host)
