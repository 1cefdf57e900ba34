"""Downloader middlewares for long unattended crawls: robots.txt and redirect handling."""

from __future__ import annotations

import logging
from urllib.parse import urljoin

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.url import canonicalize_url
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as _ScrapyRobotsTxt

logger = logging.getLogger(__name__)


class _OneLineErrors(logging.Filter):
    """An unreachable robots.txt is an expected event on a months-long crawl: one log line
    says so (the page's capture records the reason), not a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class _DenyAll:
    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class RobotsTxtMiddleware(_ScrapyRobotsTxt):
    """Scrapy's robots.txt middleware, plus ``ROBOTSTXT_STRICT``: when a site's robots.txt
    cannot be fetched, a strict job crawls nothing there instead of assuming "allow all"."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.strict = crawler.settings.getbool("ROBOTSTXT_STRICT")
        robots_logger = logging.getLogger(_ScrapyRobotsTxt.__module__)
        if not any(isinstance(f, _OneLineErrors) for f in robots_logger.filters):
            robots_logger.addFilter(_OneLineErrors())

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        super()._robots_error(exc, netloc)
        if self.strict:
            logger.warning("robots.txt of %s could not be fetched; strict mode: not crawling it",
                           netloc)
            self._parsers[netloc] = _DenyAll()


class RedirectLoopMiddleware:
    """Turns a redirect back to a URL already visited into an error with the loop spelled out.

    Without it the duplicate filter silently drops the looping request, and the page vanishes
    from the record instead of being reported.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in (301, 302, 303, 307, 308) and b"Location" in response.headers:
            location = response.headers[b"Location"].decode("latin-1")
            target = urljoin(request.url, location)
            visited = [*request.meta.get("redirect_urls", []), request.url]
            if _same_page(target, visited):
                raise IgnoreRequest("redirect loop: " + " -> ".join([*visited, target]))
        return response


def _same_page(url: str, visited: list[str]) -> bool:
    key = canonicalize_url(url)
    return any(canonicalize_url(seen) == key for seen in visited)
