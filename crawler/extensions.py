"""Crawl extensions: the recorder (one row in ``crawls`` per run, with its arguments, settings
and stats), the live progress line, and AutoThrottle that keeps each outlet's own delay."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.extensions.throttle import AutoThrottle
from scrapy.spiders import Spider

from crawler.store import Store, StoreError

logger = logging.getLogger(__name__)

_RECORDED_SETTINGS_PRIORITY = ("cmdline", "spider")


class CrawlRecorder:
    def __init__(self, crawler: Crawler, db_path: str) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.crawl_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRecorder:
        db_path = crawler.settings.get("CROSSPOST_DB")
        if not db_path:
            raise NotConfigured("CROSSPOST_DB is not set")
        ext = cls(crawler, db_path)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _overridden_settings(self) -> dict[str, Any]:
        settings = self.crawler.settings
        return {
            name: settings[name]
            for name in settings
            if settings.getpriority(name) is not None
            and settings.getpriority(name) >= 20  # project level and above: what the job chose
            and isinstance(settings[name], (str, int, float, bool, type(None)))
        }

    def spider_opened(self, spider: Spider) -> None:
        args = {
            "start": getattr(spider, "start_list", None),
            "follow_links": getattr(spider, "follow_links", None),
        }
        try:
            with Store(self.db_path) as store:
                self.crawl_id = store.start_crawl(spider.name, args, self._overridden_settings())
        except StoreError as exc:
            logger.error("Cannot record the crawl: %s", exc)
            return
        # The store pipeline tags captures with this id.
        self.crawler.crosspost_crawl_id = self.crawl_id
        frontier = getattr(self.crawler, "crosspost_frontier", None)
        if frontier is not None:
            with Store(self.db_path) as store:
                store.jobs.set_crawl_job(self.crawl_id, frontier.job, frontier.resuming)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.crawl_id is None:
            return
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        try:
            with Store(self.db_path) as store:
                store.finish_crawl(self.crawl_id, run_outcome(store, self.crawl_id, reason), stats)
                if reason != "shutdown":  # interrupted: the next writer decides, not Ctrl-C
                    from crawler.decisions import refresh

                    refresh(store, "crawl", force=True)
        except StoreError as exc:
            logger.error("Cannot record the end of the crawl: %s", exc)


def run_outcome(store: Store, crawl_id: int, reason: str) -> str:
    """The reason recorded for a run: Scrapy's, except that a run whose every page failed is
    ``failed`` (as its exit status says) and a stop by signal is ``interrupted``."""
    if reason == "shutdown":
        return "interrupted"
    if reason == "finished":
        stored = store.jobs.stored_by(crawl_id)
        if stored["errors"] and not stored["pages"]:
            return "failed"
    return reason


class CrawlProgress:
    """One live line on stderr: pages fetched, articles stored, errors, pages per second.

    On with ``CROSSPOST_PROGRESS`` (``crosspost crawl`` sets it when stderr is a terminal or
    with ``--progress``)."""

    def __init__(self, crawler: Crawler, interval: float, stream: TextIO) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.started = time.monotonic()
        self.task = None
        self.width = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        if not crawler.settings.getbool("CROSSPOST_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler, crawler.settings.getfloat("CROSSPOST_PROGRESS_INTERVAL", 1.0),
                  sys.stderr)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def line(self) -> str:
        stats = self.crawler.stats.get_stats()
        pages = stats.get("response_received_count", 0)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        errors = stats.get("crosspost/pages/error", 0)
        return (
            f"crawl: {pages} pages fetched, {stats.get('crosspost/articles_stored', 0)} articles "
            f"stored, {stats.get('crosspost/pages/not-modified', 0)} unchanged, {errors} errors, "
            f"{pages / elapsed:.1f} pages/s"
        )

    def show(self) -> None:
        text = self.line()
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def spider_opened(self, spider: Spider) -> None:
        from twisted.internet import task

        self.started = time.monotonic()
        self.task = task.LoopingCall(self.show)
        self.task.start(self.interval, now=True)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.show()
        self.stream.write("\n")
        self.stream.flush()


class OutletThrottle(AutoThrottle):
    """AutoThrottle that never goes below an outlet's own delay from the outlets file."""

    def _adjust_delay(self, slot, latency: float, response) -> None:
        super()._adjust_delay(slot, latency, response)
        downloader = self.crawler.engine.downloader
        key = response.meta.get("download_slot") if response.request is not None else None
        floor = (downloader.per_slot_settings.get(key) or {}).get("delay") if key else None
        if floor is not None and slot.delay < floor:
            slot.delay = floor
