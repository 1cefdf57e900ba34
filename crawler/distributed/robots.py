"""One fetch of each site's robots.txt for all the workers of a distributed crawl.

Scrapy's robots.txt middleware keeps the parsed file in its own process, so N workers would
each fetch it once, and each fetch waits for its outlet's shared politeness slot like a page.
This downloader middleware sits just after the robots.txt middleware and acts only on the
request that middleware sends for a site's robots.txt:

- when Redis holds the site's copy (``{p}:robots:<scheme://host:port>``, a hash of
  ``status``, ``type`` and ``body``), it answers the request from it: nothing is sent and no
  politeness slot is taken;
- else the first worker to take the site's fetch lock (``…:fetching``, ``SET NX PX``, a
  lease of ``DOWNLOAD_TIMEOUT`` + 30 s so that a worker dying with it does not hold the
  others for long) fetches it, and stores a definitive answer (2xx, or a 4xx other than
  408 and 429) for ``CROSSPOST_REDIS_ROBOTS_TTL`` seconds, RFC 9309's caching limit of a day
  by default. A 5xx, a 408/429 or an error is not stored: the lock is given back and the next
  worker that needs the file fetches it itself;
- the other workers poll until the copy appears or the lock is gone.

What is read from Redis is untrusted: an entry of the wrong type, with a field missing, a
status that is not a definitive one or a body over the 512 KiB RFC 9309 lets a crawler stop
parsing at is ignored with a warning, and the worker fetches the file itself (and stores a good
copy over it). ``CROSSPOST_REDIS_SHARED_ROBOTS = False`` turns this off.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

from redis.exceptions import RedisError
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.httpobj import urlparse_cached

from crawler.distributed.connection import Keys, connect

logger = logging.getLogger(__name__)

LOCK_META = "crosspost_robots_lock"
FLAG = "shared"
# RFC 9309 2.5: crawlers must parse at least the first 500 KiB.
MAX_BODY = 512 * 1024
MAX_TYPE = 256
_POLL = 0.2
_DEFAULT_PORTS = {"http": 80, "https": 443}

# KEYS: the copy. ARGV: the largest status, type and body (bytes). Never sends a body larger
# than allowed over the wire: {0} no copy, {1, type} not a hash, {2, field} a field too
# large, else {3, status, type, body} (a missing field is nil).
_READ = """
local kind = redis.call('TYPE', KEYS[1])['ok']
if kind == 'none' then return {0} end
if kind ~= 'hash' then return {1, kind} end
local fields = {'status', 'type', 'body'}
for i, field in ipairs(fields) do
  if redis.call('HSTRLEN', KEYS[1], field) > tonumber(ARGV[i]) then return {2, field} end
end
local v = redis.call('HMGET', KEYS[1], 'status', 'type', 'body')
return {3, v[1], v[2], v[3]}
"""

# KEYS: the lock. ARGV: token, lease ms (0: give the lock back). Only its holder may.
_LOCK = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return redis.call('DEL', KEYS[1])
"""


class BadCopy(ValueError):
    """A robots.txt copy in Redis that cannot be used."""


@dataclass(frozen=True)
class Copy:
    status: int
    content_type: bytes
    body: bytes


def origin_of(url: str) -> str | None:
    """``scheme://host:port`` of ``url`` (robots.txt applies to exactly that), or None."""
    parts = urlsplit(url)
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    host = parts.hostname
    if not host or port is None:
        return None
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}:{port}"


def definitive(status: int) -> bool:
    """An answer worth a day in every worker: the file (2xx) or its absence (4xx). 408 and 429
    ask to come back later, like a 5xx."""
    return 200 <= status < 300 or (400 <= status < 500 and status not in (408, 429))


def parse_copy(reply: list[Any]) -> Copy | None:
    """The copy :data:`_READ` returned, None when there is none, or :class:`BadCopy`."""
    state = int(reply[0])
    if state == 0:
        return None
    if state == 1:
        raise BadCopy(f"a {_text(reply[1])} instead of a hash")
    if state == 2:
        raise BadCopy(f"its {_text(reply[1])} is too large")
    status, content_type, body = reply[1:4]
    if status is None or body is None:
        raise BadCopy("status or body missing")
    try:
        code = int(status)
    except ValueError:
        raise BadCopy(f"status {_text(status)[:20]!r} is not a number") from None
    if not definitive(code):
        raise BadCopy(f"status {code} is not one that is shared")
    return Copy(code, content_type or b"", body)


def _text(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


class SharedRobotsTxt:
    """Downloader middleware: each site's robots.txt fetched by one worker and read from Redis
    by the others (see the module docstring)."""

    def __init__(self, crawler: Crawler, client: Any, keys: Keys) -> None:
        self.crawler = crawler
        self.client = client
        self.keys = keys
        settings = crawler.settings
        self.lease_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT", 180) + 30) * 1000)
        self.ttl = max(settings.getint("CROSSPOST_REDIS_ROBOTS_TTL", 86400), 1)
        self._read = client.register_script(_READ)
        self._lock = client.register_script(_LOCK)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedRobotsTxt:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured("robots.txt is not obeyed")
        if not settings.getbool("CROSSPOST_REDIS_SHARED_ROBOTS", True):
            raise NotConfigured("shared robots.txt is off")
        keys = Keys(settings.get("CROSSPOST_REDIS_PREFIX") or "crosspost")
        return cls(crawler, connect(settings["CROSSPOST_REDIS_URL"]), keys)

    async def process_request(self, request: Request) -> Response | None:
        held = request.meta.get(LOCK_META)
        if held is not None:  # a retry or redirect of this worker's own fetch: keep the lock
            self._call_lock(held, self.lease_ms)
            return None
        if not (request.meta.get("dont_obey_robotstxt")
                and urlparse_cached(request).path == "/robots.txt"):  # fmt: skip
            return None  # only the robots.txt middleware's own request
        origin = origin_of(request.url)
        if origin is None:
            return None
        key = self.keys.robots(origin)
        token = uuid4().hex
        started = time.monotonic()
        deadline = started + self.lease_ms / 1000
        complained = False
        while True:
            try:
                copy = parse_copy(self._read(keys=[key], args=[3, MAX_TYPE, MAX_BODY]))
                response = None if copy is None else self._response(request, copy)
            except BadCopy as exc:
                if not complained:
                    logger.warning("Ignoring the copy of %s in Redis (%s); fetching it",
                                   request.url, exc)  # fmt: skip
                    self.crawler.stats.inc_value("crosspost/redis/robots_bad_copy")
                    complained = True
                response = None
            except RedisError as exc:  # Redis unreachable: robots.txt still has to be read
                logger.warning("Cannot read the shared robots.txt of %s (%s); fetching it",
                               origin, exc)  # fmt: skip
                return None
            if response is not None:
                self._count_wait(started)
                self.crawler.stats.inc_value("crosspost/redis/robots_shared")
                return response
            try:
                locked = self.client.set(key + ":fetching", token, nx=True, px=self.lease_ms)
            except RedisError as exc:
                logger.warning("Cannot lock the shared robots.txt of %s (%s); fetching it",
                               origin, exc)  # fmt: skip
                return None
            if locked:
                self._count_wait(started)
                request.meta[LOCK_META] = (key, token)
                return None
            if time.monotonic() >= deadline:  # the fetcher keeps retrying: stop waiting
                return None
            await asyncio.sleep(_POLL)

    def _count_wait(self, started: float) -> None:
        waited = time.monotonic() - started
        if waited >= _POLL:
            self.crawler.stats.inc_value("crosspost/redis/robots_wait", waited)

    def _response(self, request: Request, copy: Copy) -> Response:
        headers = Headers({"Content-Type": copy.content_type} if copy.content_type else {})
        try:
            cls = responsetypes.from_args(headers=headers, url=request.url, body=copy.body)
            # "cached": answered without a fetch, as the project's middlewares (WARC) read it.
            return cls(url=request.url, status=copy.status, headers=headers, body=copy.body,
                       request=request, flags=["cached", FLAG])  # fmt: skip
        except (TypeError, ValueError) as exc:  # a content type no response can carry
            raise BadCopy(str(exc)) from None

    def process_response(self, request: Request, response: Response) -> Response:
        held = request.meta.pop(LOCK_META, None)
        if held is None or FLAG in response.flags:
            return response
        key, _ = held
        if definitive(response.status):
            self._store(key, response)
        self._call_lock(held, 0)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        held = request.meta.pop(LOCK_META, None)
        if held is not None:
            self._call_lock(held, 0)

    def _store(self, key: str, response: Response) -> None:
        body = response.body
        if len(body) > MAX_BODY:
            # Cut at a line end: half a path would be a different rule.
            end = body.rfind(b"\n", 0, MAX_BODY)
            if end < 0:
                return  # no line in the first 512 KiB: not worth sharing
            body = body[: end + 1]
        content_type = (response.headers.get(b"Content-Type") or b"")[:MAX_TYPE]
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(key)  # whatever was there, a bad copy included
        pipe.hset(key, mapping={"status": response.status, "type": content_type, "body": body})
        pipe.expire(key, self.ttl)
        try:
            pipe.execute()
        except RedisError as exc:  # the other workers then fetch it themselves
            logger.warning("Cannot share the robots.txt of %s (%s)", response.url, exc)
            return
        self.crawler.stats.inc_value("crosspost/redis/robots_stored")

    def _call_lock(self, held: tuple[str, str], lease_ms: int) -> None:
        key, token = held
        try:
            self._lock(keys=[key + ":fetching"], args=[token, lease_ms])
        except RedisError as exc:  # the lock's lease ends by itself
            logger.warning("Cannot update the robots.txt fetch lock %s (%s)", key, exc)
