"""The crawl recorder: one row in ``crawls`` per job, with its arguments, settings and stats."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
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

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.crawl_id is None:
            return
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        try:
            with Store(self.db_path) as store:
                store.finish_crawl(self.crawl_id, reason, stats)
        except StoreError as exc:
            logger.error("Cannot record the end of the crawl: %s", exc)
