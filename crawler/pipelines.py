"""Item pipelines: extract articles from fetched pages, follow their sources, then store and
match them.

Extraction is CPU-bound (trafilatura, lxml), so it runs in worker processes, and storing and
matching run in a writer process (``crawler.crawl.batching``): the crawling process keeps
fetching, which is how a crawl uses a second core.

Following sources: only after extraction is it known which article a page credits, so the
:class:`FollowSourcesPipeline` builds the requests for those source articles, admits them to the
job's frontier (recorded before the crediting page is marked done) and hands them to the engine
with ``crawler.engine.crawl``. The spider's own callbacks stay free of attribution parsing.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler.crawl.batching import StoreBatches, batch_settings
from crawler.crawl.discovery import is_listing_url
from crawler.crawl.extraction import Extracted, article_identity, extract_many, extract_or_reason
from crawler.crawl.frontier import Frontier
from crawler.crawl.storing import PageWrite
from crawler.items import PageItem
from crawler.urls import BadURL, outlet_of
from crawler.workers import worker_pool

logger = logging.getLogger(__name__)

# ``crawler.ingest`` keys articles as the crawl does.
__all__ = ["ExtractPipeline", "FollowSourcesPipeline", "StorePipeline", "article_identity"]

# Batches handed to each extraction worker at a time (one runs while the next waits), and
# the most pages in one.
EXTRACT_BATCHES_PER_WORKER = 2
EXTRACT_BATCH = 16


class ExtractPipeline:
    """Turns page items into ``(page, article | None)`` by running trafilatura.

    Pages go to the workers in batches: one page at a time while a worker is free, and the
    pages that arrived meanwhile together once one is done. Each hand-over costs the crawling
    process a pipe write and two thread wake-ups, whatever the batch's size."""

    def __init__(self, crawler: Crawler, processes: int) -> None:
        self.crawler = crawler
        self.processes = processes
        self.pool: ProcessPoolExecutor | None = None
        self._waiting: list[tuple[tuple[Any, ...], asyncio.Future[Any]]] = []
        self._sent = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler, crawler.settings.getint("CROSSPOST_EXTRACT_PROCESSES", 1))

    def open_spider(self) -> None:
        if self.processes > 0:
            self.pool = worker_pool(self.processes)
            # Start the workers (and their imports) now, while the crawl reads robots.txt
            # and sitemaps, rather than when the first article page waits for them.
            for _ in range(self.processes):
                self.pool.submit(extract_many, [])

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        article, reason, prepared = None, item.error, None
        if item.html is not None and not item.is_listing and not item.not_modified:
            url = item.final_url or item.url
            # Set by the store pipeline once the store's matcher is open.
            sign = getattr(self.crawler, "crosspost_signature_params", None)
            if self.pool is not None:
                article, reason, prepared = await self._extract(item.html, url, sign, item.hints)
            else:
                article, reason, prepared = extract_or_reason(item.html, url, sign, item.hints)
        return {"page": item, "article": article, "reason": reason, "prepared": prepared}

    async def _extract(self, *page: Any) -> Extracted:
        result = asyncio.get_running_loop().create_future()
        self._waiting.append((page, result))
        if self._sent < EXTRACT_BATCHES_PER_WORKER * self.processes:
            self._send()
        return await result

    def _send(self) -> None:
        batch = self._waiting[:EXTRACT_BATCH]
        del self._waiting[:EXTRACT_BATCH]
        try:
            done = asyncio.wrap_future(self.pool.submit(extract_many, [p for p, _ in batch]))
        except RuntimeError as exc:  # the pool is broken or shut down
            for _, result in batch:
                if not result.done():
                    result.set_exception(exc)
            return
        self._sent += 1
        done.add_done_callback(lambda done: self._landed(done, batch))

    def _landed(self, done: asyncio.Future[Any], batch: list[tuple[Any, asyncio.Future[Any]]]) -> None:
        self._sent -= 1
        for n, (_, result) in enumerate(batch):
            if result.done():
                continue
            if done.cancelled():
                result.cancel()
            elif done.exception() is not None:
                result.set_exception(done.exception())
            else:
                result.set_result(done.result()[n])
        while self._waiting and self._sent < EXTRACT_BATCHES_PER_WORKER * self.processes:
            self._send()


class FollowSourcesPipeline:
    """Fetches the source an article credits with a link (or points to with a cross-outlet
    rel=canonical), on any outlet, up to ``CROSSPOST_FOLLOW_DEPTH`` hops from the job's own
    pages."""

    def __init__(self, crawler: Crawler, depth: int) -> None:
        self.crawler = crawler
        self.depth = depth

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FollowSourcesPipeline:
        depth = crawler.settings.getint("CROSSPOST_FOLLOW_DEPTH", 1)
        if depth <= 0:
            raise NotConfigured
        return cls(crawler, depth)

    def source_urls(self, article: dict[str, Any]) -> list[str]:
        urls = []
        own = article.get("outlet")
        for hit in article.get("attributions") or []:
            url = hit.get("url")
            if not url or is_listing_url(url):
                continue  # "Source: South Front" linking a home page names no article
            try:
                if outlet_of(url) == own:
                    continue
            except BadURL:
                continue
            urls.append(url)
        return list(dict.fromkeys(urls))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict) or item.get("article") is None:
            return item
        page: PageItem = item["page"]
        hops = int(page.hints.get("follow_depth", 0)) + 1
        if hops > self.depth:
            return item
        spider = self.crawler.spider
        requests = [
            Request(url, spider.parse_page, errback=spider.on_error,
                    # nobody listed this outlet: behind the fetch guard (docs/security.md)
                    meta={"discovered_via": "attribution", "fetch_guard": True,
                          "hints": {"follow_depth": hops, "credited_by": page.url}})
            for url in self.source_urls(item["article"])
        ]
        if requests:
            for request in Frontier.of(self.crawler).admit(requests):
                self.crawler.stats.inc_value("crosspost/sources_followed")
                self.crawler.engine.crawl(request)
        return item


class StorePipeline:
    """Writes every page (as a capture) and every article to the SQLite store, and matches
    each article, through :class:`~crawler.crawl.batching.StoreBatches`: in a writer process
    beside the crawl (``CROSSPOST_STORE_PROCESS``, the default) or in the crawling process.

    Pages are stored in batches of ``CROSSPOST_COMMIT_EVERY`` pages, or after
    ``CROSSPOST_COMMIT_SECONDS``, whichever comes first; 1 commits every page."""

    def __init__(self, crawler: Crawler, options: dict[str, Any]) -> None:
        self.crawler = crawler
        self.options = options
        self.batches: StoreBatches | None = None
        self._flusher: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, batch_settings(crawler))

    async def open_spider(self) -> None:
        # The frontier's job and store: a page is marked done in the batch that stores it, and
        # the frontier's own writes go into the same ordered batches.
        frontier = Frontier.of(self.crawler)
        self.batches = StoreBatches(self.crawler, frontier.store, frontier.job, **self.options)
        await self.batches.open()
        frontier.writes = self.batches
        # A quiet spell (slow outlets) must not leave fetched pages unstored.
        self._flusher = create_looping_call(self.batches.flush_if_due)
        self._flusher.start(max(0.1, self.batches.commit_seconds / 2), now=False)

    async def close_spider(self) -> None:
        if self._flusher is not None and self._flusher.running:
            self._flusher.stop()
        if self.batches is not None and not await self.batches.close():
            # Some pages were not stored: the job stays resumable instead of finished.
            Frontier.of(self.crawler).unstored = True

    async def process_item(self, item: Any) -> Any:
        if not (isinstance(item, dict) and isinstance(item.get("page"), PageItem)):
            return item
        await self.batches.add_page(PageWrite(
            item["page"], item["article"], item["reason"],
            getattr(self.crawler, "crosspost_crawl_id", None), item.get("prepared"),
        ))  # fmt: skip
        return item
