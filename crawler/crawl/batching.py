"""The crawling process's side of storing: its writes, collected in order and handed over in
batches to the writer process (``CROSSPOST_STORE_PROCESS``, the default) or stored here.

Storing and matching cost about as much CPU as Scrapy itself, and a crawl is bound by its one
crawling process: in a writer process they run beside it, on the other core. The writer is
the only process that writes pages and frontier entries while the crawl runs; the crawling
process only reads the store (WAL lets it read while the writer writes). Frontier entries
admitted here are therefore sent to the writer too, in the same ordered stream as the pages:
the writer applies them in order, so a page is never marked done before the links found on
it are recorded, whichever batch a crash interrupts.

Waits are bounded: a batch that the writer has not stored within ``BATCH_TIMEOUT`` seconds
of being ready, a writer that died or raised, stops the crawl with an error; what was
committed stays, and the same command resumes the job.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from scrapy.crawler import Crawler

from crawler.crawl.storing import (
    ADMIT,
    DONE,
    PAGE,
    BatchResult,
    PageWrite,
    apply_batch,
    close_writer,
    open_matching,
    open_writer,
    write_batch,
)
from crawler.extract.captures import outcome_of
from crawler.matching import StoreMatcher
from crawler.store import Store
from crawler.workers import end_pool, worker_pool

logger = logging.getLogger(__name__)

# Batches handed to the writer and not stored yet, at most: past that the pipeline waits, so
# fetching slows down to the writer's pace and a crash loses only a few batches' pages.
MAX_PENDING_BATCHES = 2
BATCH_TIMEOUT = 300.0


class StoreBatches:
    """Collects the crawl's store writes of one job and stores them in batches of
    ``commit_every`` pages, or after ``commit_seconds``, whichever comes first."""

    def __init__(self, crawler: Crawler, store: Store, job: str, *, match: bool,
                 in_process: bool, commit_every: int, commit_seconds: float) -> None:  # fmt: skip
        self.crawler = crawler
        self.store = store
        self.job = job
        self.match = match
        self.in_process = in_process
        self.commit_every = max(1, commit_every)
        self.commit_seconds = commit_seconds
        self.matching: StoreMatcher | None = None
        self.pool: ProcessPoolExecutor | None = None
        self.failed: BaseException | None = None
        self.closed = False
        self._stopping = False
        self._ops: list[tuple] = []
        self._pages = 0
        self._started = 0.0
        self._pending: deque[asyncio.Future[BatchResult]] = deque()
        self._opening: asyncio.Future[Any] | None = None

    async def open(self) -> None:
        """Open the matcher here, or start the writer process. The crawl does not wait for
        the writer to be ready: batches queue behind its start-up, and a writer that cannot
        open the store stops the crawl as any failure of the writer does."""
        if self.in_process:
            self.matching, caught_up = open_matching(self.store, self.match)
            if self.matching is not None:
                # The extraction workers sign texts with the store's parameters, sparing the
                # crawling process. A writer process signs what it matches itself: it has
                # the CPU to spare, the extraction worker does not.
                self.crawler.crosspost_signature_params = self.matching.matcher.params
            self._caught_up(caught_up)
            return
        self.pool = worker_pool(1)
        self._opening = asyncio.wrap_future(
            self.pool.submit(open_writer, str(self.store.path), self.match)
        )
        self._opening.add_done_callback(self._opened)

    def _opened(self, opened: asyncio.Future[tuple[Any, int]]) -> None:
        if opened.cancelled():
            return
        if opened.exception() is not None:
            self._fail(opened.exception())
        else:
            self._caught_up(opened.result()[1])

    @staticmethod
    def _caught_up(count: int) -> None:
        if count:
            logger.info("Matched %d articles left unmatched by an earlier run", count)

    # -- the frontier's writes ------------------------------------------------------------
    def frontier_add(self, job: str, entries: list[tuple[str, str, str]]) -> set[str]:
        """Queue ``(url, outlet, request JSON)`` entries as pending. The frontier only admits
        URLs new to the job, and this process is the job's only writer: all are new."""
        if self.closed:
            return self.store.jobs.frontier_add(job, entries)
        if entries and self.failed is None:
            self._ops.append((ADMIT, job, entries))
            self._started = self._started or time.monotonic()
        return {url for url, _, _ in entries}

    def frontier_done(self, job: str, urls: list[str]) -> None:
        if self.closed:
            self.store.jobs.frontier_done(job, urls)
        elif urls and self.failed is None:
            self._ops.append((DONE, job, list(urls)))
            self._started = self._started or time.monotonic()

    # -- pages ----------------------------------------------------------------------------
    async def add_page(self, write: PageWrite) -> None:
        if self.failed is not None:
            return  # not stored, not marked done: a resumed crawl fetches it again
        if outcome_of(write.page, write.article) == "skipped":
            logger.info("Skipped %s: %s", write.page.url, write.reason)
        # Wait first: while the writer is behind, fetching slows down to its pace.
        while len(self._pending) >= MAX_PENDING_BATCHES and self.failed is None:
            await self._wait(self._pending[0])
        if self.failed is not None:
            return
        if write.page.html is not None:
            # The writer keeps the body; the decoded text would only cross the pipe again.
            write = dataclasses.replace(write, page=dataclasses.replace(write.page, html=None))
        self._ops.append((PAGE, self.job, write))
        self._started = self._started or time.monotonic()
        self._pages += 1
        if self._pages >= self.commit_every:
            self.flush()

    def flush_if_due(self) -> None:
        """Hand over a batch older than ``commit_seconds``: a quiet spell (slow outlets)
        must not leave fetched pages unstored. (Called every half of that.)"""
        if self.failed is not None:
            self._stop_crawl()  # the engine may not have been running at the failure
        elif self._ops and time.monotonic() - self._started >= self.commit_seconds:
            self.flush()

    def flush(self) -> None:
        ops, self._ops, self._pages, self._started = self._ops, [], 0, 0.0
        if not ops or self.failed is not None:
            return
        if self.pool is None:
            try:
                self._count(apply_batch(self.store, self.matching, ops))
            except Exception as exc:  # noqa: BLE001 - whatever broke the store stops the crawl
                self._fail(exc)
            return
        try:
            future = asyncio.wrap_future(self.pool.submit(write_batch, ops))
        except RuntimeError as exc:  # BrokenProcessPool: the writer is gone
            self._fail(exc)
            return
        self._pending.append(future)
        future.add_done_callback(self._landed)

    async def _wait(self, future: asyncio.Future[Any]) -> None:
        """Wait for ``future`` (its outcome is handled by its callback), at most
        ``BATCH_TIMEOUT`` once the writer is ready: opening a large store, or matching the
        articles an earlier run left unmatched, may take longer, and ends when the writer
        is ready, fails or dies."""
        if self._opening is not None and not self._opening.done():
            await asyncio.wait({self._opening})
        done, _ = await asyncio.wait({future}, timeout=BATCH_TIMEOUT)
        if not done:
            self._fail(TimeoutError(f"the writer process stored nothing for {BATCH_TIMEOUT:.0f} s"))

    def _landed(self, future: asyncio.Future[BatchResult]) -> None:
        if future in self._pending:
            self._pending.remove(future)
        if future.cancelled():
            return
        if future.exception() is not None:
            self._fail(future.exception())
        else:
            self._count(future.result())

    def _count(self, result: BatchResult) -> None:
        stats = self.crawler.stats
        for outcome, n in result.outcomes.items():
            stats.inc_value(f"crosspost/pages/{outcome}", n)
        if result.articles:
            stats.inc_value("crosspost/articles_stored", result.articles)
        if self.match:
            stats.inc_value("crosspost/matches_found", result.matches)
        for url, why in result.errors:
            logger.error("Cannot store %s: %s", url, why)
            stats.inc_value("crosspost/pages/store_error")

    def _fail(self, exc: BaseException) -> None:
        if self.failed is not None:
            return
        self.failed = exc
        self._ops = []
        logger.error("Storing failed: %s: %s. The crawl stops; what was committed is kept, and "
                     "running the same command resumes the job.", type(exc).__name__,
                     str(exc).rstrip("."))  # fmt: skip
        self._stop_crawl()

    def _stop_crawl(self) -> None:
        engine = getattr(self.crawler, "engine", None)
        if self._stopping or self.closed or engine is None or not engine.running:
            return
        self._stopping = True
        asyncio.ensure_future(engine.close_spider_async(reason="store failed"))

    # -- closing --------------------------------------------------------------------------
    async def close(self) -> bool:
        """Store what is left, wait for the writer to finish and end it. True when every
        write was stored."""
        self.flush()
        try:
            for future in list(self._pending):
                await self._wait(future)
            if self.pool is not None and self.failed is None:
                closing = asyncio.wrap_future(self.pool.submit(close_writer))
                await self._wait(closing)
                if closing.done() and closing.exception() is not None:
                    self._fail(closing.exception())
            elif self.matching is not None and self.failed is None:
                self.matching.finish()
        finally:
            self.closed = True
            if self.pool is not None:
                self._end_pool()
        return self.failed is None

    def _end_pool(self) -> None:
        pool, self.pool = self.pool, None
        if self.failed is None:
            pool.shutdown(wait=True)
            return
        # A writer that failed may be stuck: end it (SQLite rolls its open batch back).
        end_pool(pool)


def batch_settings(crawler: Crawler) -> dict[str, Any]:
    """The settings of :class:`StoreBatches`, read once."""
    settings = crawler.settings
    return {
        "match": settings.getbool("CROSSPOST_MATCH", True),
        "in_process": not settings.getbool("CROSSPOST_STORE_PROCESS", True),
        "commit_every": settings.getint("CROSSPOST_COMMIT_EVERY", 1),
        "commit_seconds": settings.getfloat("CROSSPOST_COMMIT_SECONDS", 1.0),
    }
