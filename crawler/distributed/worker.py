"""Distributed crawling: several ``crosspost crawl --redis URL`` workers share one frontier.

A worker is the ordinary crawl (same spider callbacks, extraction, politeness) with three
parts swapped for Redis ones (``redis_settings``):

- scheduler and duplicate filter: scrapy-redis, with leases (``crawler.distributed.frontier``);
- the store-backed frontier middleware: ``LeaseMiddleware`` (the SQLite frontier is for
  single-machine runs; the two never run together);
- the store pipeline: ``RedisItemPipeline`` sends extracted pages to the writer's stream
  (``crawler.distributed.stream``); ``crosspost ingest --from-redis URL`` is the one writer.

Start URLs reach the shared frontier with ``crosspost crawl --redis URL --push URL...``
(:func:`push_start_urls`: the start requests are queued at once) or ``redis-cli lpush
crosspost:start URL`` (a worker turns them into requests). A worker stops when the whole
frontier (queue, leases, start list) has been empty for ``--idle-exit`` seconds, or never
with ``--idle-exit 0``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import SitemapSpider

from crawler.crawl.runner import project_settings
from crawler.distributed.connection import Keys, connect, frontier_size, require_redis
from crawler.spiders.outlets import OutletSpider
from crawler.urls import BadURL, check_url, outlet_of

logger = logging.getLogger(__name__)

_PREFIX = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


def check_prefix(prefix: str) -> str:
    if not _PREFIX.match(prefix):
        raise ValueError(
            f"Redis key prefix {prefix!r}: use 1-64 letters, digits, '_', '.', ':' or '-'"
        )
    return prefix


def redis_settings(url: str, prefix: str) -> dict[str, Any]:
    """The settings that turn a crawl into a Redis worker (command-line priority)."""
    settings = project_settings()
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    pipelines.pop("crawler.pipelines.StorePipeline", None)
    pipelines["crawler.distributed.stream.RedisItemPipeline"] = 800
    middlewares = dict(settings.getdict("SPIDER_MIDDLEWARES"))
    middlewares.pop("crawler.crawl.frontier.FrontierMiddleware", None)
    middlewares["crawler.distributed.frontier.LeaseMiddleware"] = 10
    downloader = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    # Just after the robots.txt middleware (100): its request for a site's robots.txt is
    # answered from Redis when another worker fetched it, before it takes a politeness slot.
    downloader["crawler.distributed.robots.SharedRobotsTxt"] = 105
    # Next to the downloader: every request of the worker takes its outlet's shared slot.
    downloader["crawler.distributed.politeness.SharedPoliteness"] = 990
    extensions = dict(settings.getdict("EXTENSIONS"))
    # Workers never open the SQLite store: the writer records its own run.
    extensions["crawler.extensions.CrawlRecorder"] = None
    return {
        "CROSSPOST_REDIS_URL": url,
        "CROSSPOST_REDIS_PREFIX": check_prefix(prefix),
        "SCHEDULER": "crawler.distributed.frontier.LeasedScheduler",
        "DUPEFILTER_CLASS": "crawler.distributed.frontier.RedisDupeFilter",
        "SCHEDULER_PERSIST": True,
        "ITEM_PIPELINES": pipelines,
        "SPIDER_MIDDLEWARES": middlewares,
        "DOWNLOADER_MIDDLEWARES": downloader,
        "EXTENSIONS": extensions,
    }


class RedisOutletSpider(OutletSpider):
    """The outlets spider of a worker: start URLs come from Redis, and the job's outlets (within
    which links are followed) are the shared set ``{prefix}:outlets``."""

    def __init__(self, follow_links: bool | str = True, *args: Any, **kwargs: Any) -> None:
        # Not OutletSpider.__init__: it refuses to run without start URLs, and a worker's
        # arrive through Redis. These are the attributes its callbacks use.
        SitemapSpider.__init__(self, *args, **kwargs)
        self.start_list: list[str] = []
        self.registry: list[dict[str, Any]] = []
        self.outlet_limits: dict[str, dict[str, Any]] = {}
        self.follow_links = str(follow_links).lower() not in ("0", "false", "no", "off")
        self.outlets: set[str] = set()
        self.link_extractor = LinkExtractor(unique=True, canonicalize=False)
        self.redis: Any = None
        self.keys = Keys()
        self.idle_exit = 10.0
        self.poll = 0.5

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> RedisOutletSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.keys = Keys(settings.get("CROSSPOST_REDIS_PREFIX") or "crosspost")
        spider.redis = connect(settings["CROSSPOST_REDIS_URL"])
        spider.idle_exit = settings.getfloat("CROSSPOST_REDIS_IDLE_EXIT", 10)
        return spider

    def _in_job(self, url: str) -> bool:
        try:
            outlet = outlet_of(url)
        except BadURL:
            return False
        if outlet in self.outlets:
            return True
        if self.redis is not None and self.redis.sismember(self.keys.outlets, outlet):
            self.outlets.add(outlet)
            return True
        return False

    async def start_requests_for(self, urls: list[str]) -> list[Request]:
        """The requests ``OutletSpider`` starts a job with (robots.txt, sitemaps, feeds...)."""
        saved, self.start_list = self.start_list, urls
        try:
            return [request async for request in super().start()]
        finally:
            self.start_list = saved

    async def start(self) -> AsyncIterator[Any]:
        """Turns start URLs pushed with ``redis-cli lpush`` into queued requests, and ends when
        the shared frontier has been empty for ``idle_exit`` seconds. The requests themselves
        come from the scheduler, never from here."""
        idle_since: float | None = None
        while True:
            # Read, queue, then remove: a worker killed in between leaves the start URLs for the
            # next one (popping first would lose them). Queueing twice is harmless, since the
            # duplicate filter and the queue are written in one step (LeaseQueue.push).
            taken = self.redis.lrange(self.keys.start, -100, -1)[::-1]
            if taken:
                urls = []
                for raw in taken:
                    try:
                        urls.append(check_url(raw.decode("utf-8").strip()))
                    except (BadURL, UnicodeDecodeError) as exc:
                        logger.warning("Ignoring a start URL pushed to Redis: %s", exc)
                queue_requests(self.redis, self.keys, self, await self.start_requests_for(urls),
                               [outlet_of(u) for u in urls])  # fmt: skip
                pipe = self.redis.pipeline(transaction=True)
                for raw in taken:
                    pipe.lrem(self.keys.start, -1, raw)
                pipe.execute()
                idle_since = None
                continue
            if any(frontier_size(self.redis, self.keys)):
                idle_since = None
            else:
                idle_since = idle_since or time.monotonic()
                if self.idle_exit and time.monotonic() - idle_since >= self.idle_exit:
                    logger.info("The shared frontier is empty; this worker stops")
                    return
            await asyncio.sleep(self.poll)
        yield  # pragma: no cover - makes this an async generator


def queue_requests(client: Any, keys: Keys, spider: Any, requests: list[Request],
                   outlets: list[str]) -> int:  # fmt: skip
    """Add the job's ``outlets`` and queue ``requests`` that were never seen; returns how many
    were queued."""
    from crawler.distributed.frontier import RedisDupeFilter
    from crawler.distributed.leases import LeaseQueue

    if outlets:
        client.sadd(keys.outlets, *outlets)
    seen = RedisDupeFilter(client, keys.seen)
    queue = LeaseQueue(client, spider, keys, lease_seconds=60)
    queued = 0
    for request in requests:
        request.meta.setdefault("download_slot", outlet_of(request.url))
        fingerprint = None if request.dont_filter else seen.request_fingerprint(request)
        if queue.push(request, fingerprint) is not None:
            queued += 1
    return queued


def push_start_urls(url: str, prefix: str, start: list[str], *, follow_links: bool = True,
                    restart: bool = False, outlets_file: str | None = None) -> tuple[int, int]:  # fmt: skip
    """Queue the start requests of ``start`` in the shared frontier; returns (start URLs,
    requests queued). ``restart`` first forgets the frontier and the duplicate filter (the
    items stream is kept: the writer has not stored it yet). The ``delay`` of each outlet in
    ``outlets_file`` becomes that outlet's shared delay for every worker."""
    keys = Keys(check_prefix(prefix))
    client = connect(url)
    if restart:
        client.delete(keys.queue, keys.requests, keys.leases, keys.lease_scores, keys.tries,
                      keys.request_outlets,
                      keys.seen, keys.start, keys.outlets)  # fmt: skip
    if outlets_file:
        from crawler.crawl.outlets_file import load_outlets
        from crawler.distributed.politeness import publish_outlet_delays

        publish_outlet_delays(client, keys, load_outlets(outlets_file).limits())
    spider = RedisOutletSpider(follow_links=follow_links)
    requests = asyncio.run(spider.start_requests_for(start))
    queued = queue_requests(client, keys, spider, requests, [outlet_of(u) for u in start])
    return len(start), queued


def run_worker(url: str, prefix: str, *, follow_links: bool = True,
               settings: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """Run one worker until the shared frontier is done (or the crawl is stopped); returns
    its Scrapy stats. Twisted's reactor cannot be restarted, so this runs once per process."""
    require_redis()
    connect(url)  # fail before Scrapy starts when the server is unreachable
    overrides = dict(settings or {})
    overrides.update(redis_settings(url, prefix))
    process = CrawlerProcess(project_settings(overrides))
    crawler = process.create_crawler(RedisOutletSpider)
    process.crawl(crawler, follow_links=follow_links)
    process.start()
    return crawler.stats.get_stats() if crawler.stats else {}
