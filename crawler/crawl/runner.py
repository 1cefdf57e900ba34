"""Running a crawl job in this process (the CLI's ``crawl`` and ``demo``)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.spiders.outlets import OutletSpider
from crawler.store import Store
from crawler.workers import interrupted, on_interrupt

logger = logging.getLogger(__name__)


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """crosspost's Scrapy settings, with ``overrides`` at command-line priority."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    if overrides:
        settings.update(overrides, priority="cmdline")
    return settings


@dataclass
class CrawlResult:
    crawl_id: int | None
    finish_reason: str | None
    stats: dict[str, Any]


def run_crawl(
    start: list[str],
    db_path: str,
    *,
    follow_links: bool = True,
    settings: dict[str, Any] | None = None,
    proxy: str | None = None,
    outlets_file: str | None = None,
) -> CrawlResult:
    """Crawl ``start`` into the store at ``db_path`` and block until the job ends.

    Twisted's reactor cannot be restarted, so this runs once per process. The first Ctrl-C
    closes the job as Scrapy's graceful shutdown does (pages in flight are stored, the batch
    committed) and then raises KeyboardInterrupt here; a second one ends the process.
    """
    overrides = dict(settings or {})
    overrides["CROSSPOST_DB"] = db_path
    if proxy:
        # HttpProxyMiddleware reads the environment when the crawler is built.
        os.environ["http_proxy"] = proxy
        os.environ.pop("no_proxy", None)
        os.environ.pop("NO_PROXY", None)
    process = CrawlerProcess(project_settings(overrides))
    crawler = process.create_crawler(OutletSpider)
    process.crawl(crawler, start=start, follow_links=follow_links, outlets_file=outlets_file)

    from twisted.internet import reactor

    def stop() -> None:
        # Called in a signal handler: hand the shutdown to the reactor's own thread.
        reactor.callFromThread(process.stop)

    reactor.callWhenRunning(on_interrupt, stop)
    process.start(install_signal_handlers=False)
    if interrupted():
        raise KeyboardInterrupt
    on_interrupt()  # from here on, Ctrl-C interrupts whatever the command does next
    stats = crawler.stats.get_stats() if crawler.stats else {}
    crawl_id = getattr(crawler, "crosspost_crawl_id", None)
    reason = stats.get("finish_reason")
    return CrawlResult(crawl_id, reason, stats)


def crawl_summary(db_path: str, crawl_id: int | None) -> dict[str, Any]:
    """What one crawl did, read back from the store."""
    with Store(db_path, readonly=True) as store:
        where, params = ("where crawl_id = ?", [crawl_id]) if crawl_id else ("", [])
        outcomes = {
            row["outcome"]: row["n"]
            for row in store.db.query(
                f"select outcome, count(*) as n from captures {where} group by outcome", params
            )
        }
        errors = list(
            store.db.query(
                f"select url, reason from captures {where} "
                f"{'and' if where else 'where'} outcome in ('error', 'skipped', 'not-fetched') order by id limit 20",
                params,
            )
        )
        job = None
        if crawl_id:
            row = store.db.execute("select job from crawls where id = ?", [crawl_id]).fetchone()
            job = row[0] if row else None
        return {"outcomes": outcomes, "errors": errors, "totals": store.counts(), "job": job}
