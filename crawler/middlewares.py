"""Downloader middlewares for long unattended crawls: robots.txt, redirect loops, and retries
that back off and honour ``Retry-After``."""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware as _ScrapyRetry
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as _ScrapyRobotsTxt
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from w3lib.url import canonicalize_url

logger = logging.getLogger(__name__)


class _OneLineErrors(logging.Filter):
    """An unreachable robots.txt is an expected event on a months-long crawl: one log line
    says so (:meth:`RobotsTxtMiddleware._robots_error`), not a traceback naming whichever
    page happened to ask first."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            return False
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
        # What fetching each site's robots.txt gave (a response or the error), so that the
        # spider's own request for it (sitemap discovery) is answered without a second fetch.
        self._fetched: dict[str, Response | Exception] = {}
        robots_logger = logging.getLogger(_ScrapyRobotsTxt.__module__)
        if not any(isinstance(f, _OneLineErrors) for f in robots_logger.filters):
            robots_logger.addFilter(_OneLineErrors())

    async def process_request(self, request: Request) -> Response | None:
        if not request.meta.get("dont_obey_robotstxt") and _is_robots_txt(request):
            await self.robot_parser(request)
            fetched = self._fetched.get(urlparse_cached(request).netloc)
            if isinstance(fetched, Response):
                return fetched.replace(url=request.url, request=request,
                                       flags=[*fetched.flags, "cached"])
            if isinstance(fetched, Exception):
                request.meta["dont_retry"] = True  # it was retried when it was fetched
                raise fetched
        return await super().process_request(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        self._fetched[netloc] = response
        await super()._parse_robots(response, netloc, request)

    async def robot_parser(self, request: Request):
        parser = await super().robot_parser(request)
        if parser is None:
            # Requests that wait together for a site's robots.txt share one Deferred, and only
            # the first of them receives the parser through it (the others get None, i.e.
            # "allow all": seen when a resumed job starts many requests to one site at once).
            # The parser itself is in the cache by then.
            cached = self._parsers.get(urlparse_cached(request).netloc)
            if cached is not None and not isinstance(cached, Deferred):
                return cached
        return parser

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        self._fetched[netloc] = exc
        super()._robots_error(exc, netloc)
        if isinstance(exc, IgnoreRequest):
            return
        if self.strict:
            logger.warning("robots.txt of %s could not be fetched (%s); strict mode: not "
                           "crawling it", netloc, exc)
            self._parsers[netloc] = _DenyAll()
        else:
            logger.warning("robots.txt of %s could not be fetched (%s); crawling it as if it "
                           "allowed everything", netloc, exc)


def _is_robots_txt(request: Request) -> bool:
    return urlparse_cached(request).path == "/robots.txt"


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


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) in seconds, or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


async def _sleep(seconds: float) -> None:
    # A deferred sleep: the reactor keeps serving other outlets meanwhile.
    from twisted.internet import reactor
    from twisted.internet.task import deferLater

    await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))


class RetryAfterMiddleware(_ScrapyRetry):
    """Scrapy's retries, with a wait before each one: the server's ``Retry-After`` (capped at
    ``RETRY_AFTER_MAX`` seconds) on 429/503, else exponential backoff with jitter
    (``RETRY_BACKOFF_BASE`` × 2^n, at most ``RETRY_BACKOFF_MAX``)."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        if not settings.getpriority("RETRY_GIVE_UP_LOG_LEVEL"):
            # A request that fails for good is reported once, by the spider (and recorded on
            # its capture); Scrapy's "Gave up retrying" at ERROR said it a second time.
            self.give_up_log_level = logging.DEBUG
        self.after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def _wait(self, request: Request, response: Response | None) -> float:
        if response is not None:
            after = retry_after_seconds(response.headers.get(b"Retry-After"))
            if after is not None:
                if after > self.after_max:
                    logger.warning("%s asks to retry after %.0f s; waiting %.0f s (RETRY_AFTER_MAX)",
                                   request.url, after, self.after_max)
                return min(after, self.after_max)
        tries = request.meta.get("retry_times", 0)
        delay = min(self.backoff_base * 2**tries, self.backoff_max)
        return delay * random.uniform(0.5, 1.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._pause(request, self._wait(request, response))
        return result

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._pause(request, self._wait(request, None))
        return result

    async def _pause(self, request: Request, seconds: float) -> None:
        if seconds > 0:
            self.crawler.stats.inc_value("retry/waited_seconds", seconds)
            logger.info("Retrying %s in %.1f s", request.url, seconds)
            await _sleep(seconds)
