"""The shared crawl frontier on Redis: scrapy-redis's scheduler with leases, so that a request
taken by a worker that dies is fetched again by another.

scrapy-redis pops a request from Redis and forgets it: if the worker dies before the page is
stored, the page is lost. Here a request is *leased*: popping moves its id, atomically (one
Lua script), from the queue to a sorted set of leases scored by a deadline on Redis's own
clock. The worker holding it extends the deadline every quarter of the lease time
(``CROSSPOST_REDIS_LEASE``, 60 s) and acknowledges it (deletes it) only once the page's item is
in the items stream and the requests found on the page are queued. Any worker, or the writer,
moves leases past their deadline back to the queue. A request is recorded in the duplicate
filter and queued in one atomic step (``LeaseQueue.push``): a worker killed between the two
would leave a page that every worker takes for queued and none fetches. A request handed out
``CROSSPOST_REDIS_MAX_TRIES`` times without being acknowledged (a page that kills its worker)
is dropped with a warning.

What scrapy-redis 0.9.1 needed to run on Scrapy 2.19, and the fixes here:

- its scheduler passes ``spider=`` to the stats collector (deprecated in Scrapy 2.19):
  :class:`LeasedScheduler` overrides ``enqueue_request``/``next_request`` without it;
- its queues pickle requests: :class:`LeaseQueue` stores them as JSON
  (``redis_support.dumps_request``), so a shared Redis cannot inject code into workers;
- its duplicate filter fingerprints ``w3lib.canonicalize_url``: :class:`RedisDupeFilter` uses
  crosspost's article identity (``frontier.frontier_key``), as the single-machine frontier does;
- its scheduler builds its own client from ``REDIS_*`` settings and deletes the queue when a
  spider closes unless ``SCHEDULER_PERSIST``: here one worker closing never touches the shared
  keys.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from crawler.crawl.frontier import frontier_key, parse_date
from crawler.distributed.connection import Keys, connect
from crawler.distributed.leases import LEASE_META, SERIALIZER, LeaseQueue
from crawler.items import PageItem
from crawler.urls import BadURL, outlet_of

logger = logging.getLogger(__name__)


class RedisDupeFilter(RFPDupeFilter):
    """scrapy-redis's duplicate filter (a Redis set of fingerprints) keyed on crosspost's page
    identity: tracking parameters and host case do not make a new page."""

    def request_fingerprint(self, request: Request) -> str:
        key = f"{request.method} {frontier_key(request.url)}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()

    def close(self, reason: str = "") -> None:
        # scrapy-redis deletes the set here; it is shared by every worker.
        pass


class LeasedScheduler(Scheduler):
    """scrapy-redis's scheduler over a :class:`LeaseQueue` (see the module docstring)."""

    def __init__(self, crawler: Crawler, server: Any, keys: Keys) -> None:
        settings = crawler.settings
        super().__init__(server, persist=True, dupefilter=RedisDupeFilter(server, keys.seen),
                         serializer=SERIALIZER)  # fmt: skip
        self.crawler = crawler
        self.stats = crawler.stats
        self.keys = keys
        self.lease_seconds = settings.getfloat("CROSSPOST_REDIS_LEASE", 60)
        self.max_tries = settings.getint("CROSSPOST_REDIS_MAX_TRIES", 3)
        self._task: Any = None
        self._wake: Any = None
        self._last_renew = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeasedScheduler:
        settings = crawler.settings
        keys = Keys(settings.get("CROSSPOST_REDIS_PREFIX") or "crosspost")
        return cls(crawler, connect(settings["CROSSPOST_REDIS_URL"]), keys)

    def open(self, spider: Any) -> None:
        self.spider = spider
        settings = self.crawler.settings
        self.queue = LeaseQueue(
            self.server, spider, self.keys, self.lease_seconds,
            polite=settings.getbool("CROSSPOST_REDIS_SHARED_POLITENESS", True),
            per_outlet=settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 1),
        )  # fmt: skip
        self.crawler.crosspost_leases = self.queue
        requeued = self.queue.requeue_expired()
        if requeued:
            logger.warning("Requeued %d requests whose worker stopped renewing them", requeued)
            self.stats.inc_value("crosspost/redis/requeued", requeued)
        from twisted.internet import task

        self._task = task.LoopingCall(self._tick)
        self._task.start(1.0, now=False)

    def close(self, reason: str) -> None:
        if self._task is not None and self._task.running:
            self._task.stop()
        if self._wake is not None and self._wake.active():
            self._wake.cancel()
        released = self.queue.release()
        if released:
            logger.info("Gave %d unfinished requests back to the shared frontier", released)

    def _tick(self) -> None:
        """Once a second: keep this worker's leases, requeue other workers' expired ones, and
        wake the engine when other workers queued requests (Scrapy polls an empty scheduler
        only every 5 s)."""
        try:
            now = time.monotonic()
            if now - self._last_renew >= self.lease_seconds / 4:
                self.queue.renew()
                self._last_renew = now
            requeued = self.queue.requeue_expired()
            if requeued:
                logger.warning("Requeued %d requests whose worker stopped renewing them", requeued)
                self.stats.inc_value("crosspost/redis/requeued", requeued)
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None and len(self.queue):
                slot.nextcall.schedule()
        except Exception:  # a Redis hiccup must not stop the upkeep loop: next tick retries
            logger.exception("Redis lease upkeep failed")

    def enqueue_request(self, request: Request) -> bool:
        # A request made from a leased one by a downloader middleware (redirect, retry)
        # carries its lease: the new request is queued first, then the old one is done.
        inherited = request.meta.get(LEASE_META)
        inherited = inherited if inherited in self.queue.held else None
        seen = None if request.dont_filter else self.df.request_fingerprint(request)
        added = self.queue.push(request, seen) is not None
        if added:
            self.stats.inc_value("scheduler/enqueued/redis")
        else:
            self.df.log(request, self.spider)
        if inherited:
            self.queue.ack(inherited)
        return added

    def next_request(self) -> Request | None:
        while True:
            # A request whose outlet is busy is taken only when none of this worker's requests
            # waits for its outlet already (crawler.distributed.politeness); else the engine is
            # woken when an outlet may be free.
            waiting = getattr(self.crawler, "crosspost_polite_waiting", 0)
            popped = self.queue.pop(wait=not waiting)
            if popped is None:
                if self.queue.wait_hint is not None:
                    self._wake_in(self.queue.wait_hint)
                return None
            lease_id, blob, tries = popped
            if tries > self.max_tries:
                logger.warning(
                    "Giving up on %s: handed out %d times and never finished",
                    lease_id.split(" ")[0],
                    tries - 1,
                )
                self.stats.inc_value("crosspost/redis/given_up")
                self.queue.ack(lease_id)
                continue
            try:
                request = self.queue.decode(blob)
            except (ValueError, TypeError, KeyError) as exc:
                logger.error("Dropping an unreadable request %s: %s", lease_id, exc)
                self.queue.ack(lease_id)
                continue
            request.meta[LEASE_META] = lease_id
            self.stats.inc_value("scheduler/dequeued/redis")
            return request

    def _wake_in(self, seconds: float) -> None:
        if self._wake is not None and self._wake.active():
            return
        from twisted.internet import reactor

        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            self._wake = reactor.callLater(min(seconds, 1.0), slot.nextcall.schedule)

    def has_pending_requests(self) -> bool:
        return len(self.queue) > 0


def leases_of(crawler: Crawler) -> LeaseQueue | None:
    return getattr(crawler, "crosspost_leases", None)


class RedisFrontier:
    """The worker-side frontier: what ``crawler.crawl.frontier.Frontier`` decides per request that
    needs no store (the download slot per outlet, ``--since``); the duplicate filter and the
    queue are in Redis. Installed as the crawler's frontier so the pipelines that admit
    requests (following credited sources) work unchanged."""

    job = None
    resuming = False

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        since = crawler.settings.get("CROSSPOST_SINCE")
        self.since = parse_date(since) if since else None

    @classmethod
    def of(cls, crawler: Crawler) -> RedisFrontier:
        frontier = getattr(crawler, "crosspost_frontier", None)
        if not isinstance(frontier, cls):
            frontier = cls(crawler)
            crawler.crosspost_frontier = frontier
        return frontier

    def admit(self, requests: Iterable[Request]) -> list[Request]:
        admitted = []
        for request in requests:
            try:
                outlet = outlet_of(frontier_key(request.url))
            except BadURL:
                continue
            listed = parse_date(request.meta.get("listed_date"))
            if self.since and listed and listed < self.since:
                self.crawler.stats.inc_value("crosspost/frontier/older_than_since")
                continue
            request.meta.setdefault("download_slot", outlet)
            admitted.append(request)
        return admitted

    def mark_done(self, keys: list[str]) -> None:
        leases = leases_of(self.crawler)
        if leases is not None:
            for key in keys:
                leases.ack(key)


class LeaseMiddleware:
    """Spider middleware next to the engine (it replaces ``FrontierMiddleware`` in Redis mode):
    queues a page's requests before its item can be sent and its lease acknowledged, and
    acknowledges the lease of a page that produced no item of its own."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeaseMiddleware:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        frontier = RedisFrontier.of(self.crawler)
        async for output in start:
            if isinstance(output, Request):
                for request in frontier.admit([output]):
                    yield request
            else:
                yield output

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        outputs = [output async for output in result]
        frontier = RedisFrontier.of(self.crawler)
        # Requests first: the engine queues each as it is taken, before any item is processed.
        for request in frontier.admit(o for o in outputs if isinstance(o, Request)):
            yield request
        lease = response.meta.get(LEASE_META)
        has_item = False
        for output in outputs:
            if isinstance(output, Request):
                continue
            if isinstance(output, PageItem) and output.frontier_url == lease:
                has_item = True
            yield output
        if lease and not has_item:
            frontier.mark_done([lease])

    def process_spider_exception(self, response: Response, exception: Exception) -> None:
        # The callback failed on this page: fetching it again would fail the same way.
        lease = response.meta.get(LEASE_META)
        if lease:
            RedisFrontier.of(self.crawler).mark_done([lease])
