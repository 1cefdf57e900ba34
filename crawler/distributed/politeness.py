"""Politeness shared by every worker of a distributed crawl: one limit per outlet, not per
worker.

Scrapy's download slots live in one process, so N workers would each keep their own delay and
make up to N concurrent requests to an outlet. Here every request first takes the outlet's
slot in Redis (one Lua script, on Redis's clock, so workers' clocks do not matter):

- ``{p}:polite:<outlet>`` (hash): ``next``, the earliest time (ms) the next request may start,
  and ``delay``, the outlet's delay as AutoThrottle last measured it in any worker;
- ``{p}:polite:<outlet>:active`` (sorted set): the requests in flight, each a lease that ends
  when its response (or error) arrives, or after ``DOWNLOAD_TIMEOUT`` + 30 s when its worker
  died with it.

A request starts only when fewer than the outlet's concurrency are in flight and ``next`` has
passed; then ``next`` becomes now + delay, and again response time + delay when it ends, so
the outlet sees consecutive requests at least ``delay`` apart whichever worker sends them. The
delay is the largest of the worker's own slot delay (``DOWNLOAD_DELAY``, AutoThrottle), the
outlet's ``delay`` from the outlets file (``{p}:outlet-delays``, written by ``--push``) and
the AutoThrottle delay another worker reported.

A worker waits for its slot in this downloader middleware (asyncio sleeps, never blocking the
reactor), next to the downloader so that every request, robots.txt and retries included,
passes through it. So that waiting does not fill a worker's ``CONCURRENT_REQUESTS``, the
scheduler leases first the queued requests whose outlet may take one now (the lease script of
``crawler.distributed.leases`` reads the same slots), and a request of a busy outlet only when
none of the worker's requests is waiting already. ``CROSSPOST_REDIS_SHARED_POLITENESS = False`` turns it off (each worker
polite on its own, as a single-machine crawl).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from uuid import uuid4

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.distributed.connection import Keys, connect
from crawler.urls import BadURL, outlet_of

logger = logging.getLogger(__name__)

SLOT_META = "crosspost_polite"
# Shared slots of outlets nobody crawled for this long disappear from Redis.
IDLE_EXPIRE_MS = 6 * 3600 * 1000
_MAX_SLEEP = 1.0

# KEYS: slot hash, active set, outlet delays. ARGV: token, worker's delay ms, concurrency,
# lease ms, outlet. Returns {1, delay ms} when the request may start, else {0, ms to wait}.
_ACQUIRE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local delay = tonumber(ARGV[2])
local own = tonumber(redis.call('HGET', KEYS[3], ARGV[5]) or '0') * 1000
if own > delay then delay = own end
local measured = tonumber(redis.call('HGET', KEYS[1], 'delay') or '0')
if measured > delay then delay = measured end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {0, math.max(math.min(first[2] - now, 50), 1)}
end
local nxt = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
if now < nxt then return {0, nxt - now} end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
redis.call('HSET', KEYS[1], 'next', now + delay)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[6]))
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[6]))
return {1, delay}
"""

# KEYS: slot hash, active set. ARGV: token, delay ms, measured delay ms (-1: none).
_RELEASE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then
  local after = now + tonumber(ARGV[2])
  if after > tonumber(redis.call('HGET', KEYS[1], 'next') or '0') then
    redis.call('HSET', KEYS[1], 'next', after)
  end
end
if tonumber(ARGV[3]) >= 0 then redis.call('HSET', KEYS[1], 'delay', ARGV[3]) end
return 1
"""


class SharedPoliteness:
    """Downloader middleware: take the outlet's shared slot before a request goes out, give it
    back when its response or error comes in (see the module docstring)."""

    def __init__(self, crawler: Crawler, client: Any, keys: Keys) -> None:
        self.crawler = crawler
        self.client = client
        self.keys = keys
        settings = crawler.settings
        self.delay = settings.getfloat("DOWNLOAD_DELAY", 0)
        self.concurrency = max(settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 1), 1)
        self.lease_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT", 180) + 30) * 1000)
        self.autothrottle = settings.getbool("AUTOTHROTTLE_ENABLED")
        self._acquire = client.register_script(_ACQUIRE)
        self._release = client.register_script(_RELEASE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedPoliteness:
        settings = crawler.settings
        if not settings.getbool("CROSSPOST_REDIS_SHARED_POLITENESS", True):
            raise NotConfigured("shared politeness is off")
        keys = Keys(settings.get("CROSSPOST_REDIS_PREFIX") or "crosspost")
        return cls(crawler, connect(settings["CROSSPOST_REDIS_URL"]), keys)

    def _outlet(self, request: Request) -> str | None:
        slot = request.meta.get("download_slot")
        if slot:
            return str(slot)
        try:
            return outlet_of(request.url)
        except BadURL:
            return None

    def _local(self, outlet: str) -> tuple[float, int]:
        """This worker's view of the outlet: (delay s, concurrency), AutoThrottle included."""
        downloader = self.crawler.engine.downloader
        own = downloader.per_slot_settings.get(outlet) or {}
        slot = downloader.slots.get(outlet)
        delay = max(self.delay, float(own.get("delay") or 0), slot.delay if slot else 0.0)
        return delay, int(own.get("concurrency") or self.concurrency)

    async def process_request(self, request: Request) -> None:
        outlet = self._outlet(request)
        if outlet is None or SLOT_META in request.meta:
            return
        key = self.keys.polite(outlet)
        token = uuid4().hex
        delay, concurrency = self._local(outlet)
        crawler = self.crawler
        crawler.crosspost_polite_waiting = getattr(crawler, "crosspost_polite_waiting", 0) + 1
        try:
            value = await self._take(key, token, outlet, delay, concurrency)
        finally:
            crawler.crosspost_polite_waiting -= 1
        request.meta[SLOT_META] = (outlet, token, value)
        return

    async def _take(self, key: str, token: str, outlet: str, delay: float,
                    concurrency: int) -> int:  # fmt: skip
        """Wait for the outlet's shared slot; returns the delay (ms) it was taken with."""
        waited = 0.0
        while True:
            granted, value = self._acquire(
                keys=[key, key + ":active", self.keys.outlet_delays],
                args=[token, int(delay * 1000), concurrency, self.lease_ms, outlet,
                      IDLE_EXPIRE_MS],
            )  # fmt: skip
            if int(granted):
                break
            pause = min(int(value) / 1000, _MAX_SLEEP)
            waited += pause
            await asyncio.sleep(pause)
        if waited:
            self.crawler.stats.inc_value("crosspost/redis/politeness_wait", waited)
        return int(value)

    def _done(self, request: Request) -> None:
        held = request.meta.pop(SLOT_META, None)
        if held is None:
            return
        outlet, token, delay_ms = held
        measured = -1
        if self.autothrottle:
            slot = self.crawler.engine.downloader.slots.get(outlet)
            if slot is not None:
                measured = int(slot.delay * 1000)
        key = self.keys.polite(outlet)
        try:
            self._release(keys=[key, key + ":active"], args=[token, delay_ms, measured])
        except Exception:  # the lease ends by itself after its timeout
            logger.exception("Could not give back the shared slot of %s", outlet)

    def process_response(self, request: Request, response: Response) -> Response:
        self._done(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._done(request)


def publish_outlet_delays(client: Any, keys: Keys, limits: dict[str, dict[str, Any]]) -> int:
    """Store each outlet's own ``delay`` (outlets file) where every worker's slots see it."""
    delays = {
        outlet: float(v["delay"]) for outlet, v in limits.items() if v.get("delay") is not None
    }
    if delays:
        client.hset(keys.outlet_delays, mapping=delays)
    return len(delays)
