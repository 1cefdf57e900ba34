"""Corpus ingest: articles from JSONL, CSV and WARC files, stored and matched like a crawl's.

A data person who already has a corpus gets the same store as a crawl would give: every
record goes through the crawl's identity rules (`crawl.extraction.article_identity`, the
outlet from the URL), the same article upsert (`Store.save_pages` is `save_page` for a
batch) and the same matcher (`StoreMatcher.add_many` is `add` for a batch). ``html`` records
(and WARC responses) go through `extract.extract_article`; ``text`` records are stored as
given, with their attribution lines parsed from the text (see :mod:`.prepare`).

Files are read as streams, so memory does not grow with the corpus. Records are prepared
(HTML extraction, attribution parsing) in batches, in worker processes when there is more
than one batch, while this process stores and matches the batches in input order.
Problems with single records (invalid UTF-8, malformed JSON, no URL, not an article) are
counted and reported with their line numbers; they never stop the run.
"""

from __future__ import annotations

import gc
import logging
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from crawler.ingest.inputs import (  # noqa: F401 - part of this module's API
    COLUMNS,
    FORMATS,
    IngestError,
    InputFile,
    MissingColumns,
    Problem,
    Record,
    UnknownFormat,
    detect_format,
)
from crawler.ingest.pool import BATCH_CHARS as _BATCH_CHARS
from crawler.ingest.pool import WORKER_NICENESS
from crawler.ingest.prepare import Prepared, prepare, prepare_batch  # noqa: F401 - API
from crawler.matching import StoreMatcher
from crawler.store import Store
from crawler.workers import end_pool, worker_pool

logger = logging.getLogger(__name__)

FIRST_BATCH = 50


def _decisions() -> Callable[..., Any]:
    from crawler.decisions import refresh

    return refresh


def _load_decisions() -> None:
    """Load what deciding needs while this process waits for a worker: the decisions' modules
    (networkx among them) and scipy's sparse graphs, which the decisions import when they
    first decide, about half a second in all that the end of the ingest no longer pays."""
    _decisions()
    import scipy.sparse.csgraph  # noqa: F401


@dataclass
class Summary:
    read: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    too_short_to_match: int = 0
    matches: int = 0
    dropped_matches: int = 0
    skipped: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    max_problems: int = 50
    # CPU seconds of the process that stores and matches: with enough cores, the bound.
    cpu_seconds: float = 0.0

    def stats(self) -> dict[str, Any]:
        """The figures as a flat JSON-able dict (recorded on the ingest's crawls row)."""
        names = ("read", "stored", "updated", "unchanged", "too_short_to_match", "matches",
                 "dropped_matches")  # fmt: skip
        return {**{n: getattr(self, n) for n in names}, "skipped": dict(self.skipped),
                "cpu_seconds": round(self.cpu_seconds, 3)}  # fmt: skip

    def problem(self, problem: Problem) -> None:
        self.skipped[problem.reason] += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(problem)


# -- storing and matching ----------------------------------------------------------------------


class Ingester:
    """Stores and matches prepared batches in input order; see the module docstring.
    ``pool``: preparing workers already started (`pool.start_workers`), which then prepare
    every batch; without it, the first batch is prepared here and, with ``jobs`` above 1,
    workers are started with the second. The ingester ends the pool when it is done."""

    def __init__(
        self,
        store: Store,
        *,
        jobs: int = 1,
        batch_size: int = 500,
        match: bool = True,
        summary: Summary | None = None,
        pool: ProcessPoolExecutor | None = None,
    ) -> None:
        self.store = store
        self.jobs = jobs
        self.batch_size = batch_size
        self.matching = StoreMatcher(store) if match else None
        self._sign = self.matching.matcher.params if self.matching is not None else None
        self.summary = summary or Summary()
        self.crawl_id: int | None = None
        self._pool: ProcessPoolExecutor | None = pool
        self._pending: deque[Future] = deque()
        self._loaded = False  # what deciding needs, see `_load_decisions`
        # With workers started, the first batches are small and each is twice the one before,
        # up to ``batch_size``: this process stores the first while the workers prepare the
        # next, instead of waiting for a whole batch before it has anything to do.
        self._limit = min(FIRST_BATCH, batch_size) if pool is not None else batch_size

    def run(self, files: list[InputFile], progress: Callable[[int], None] | None = None) -> Summary:
        """Ingest every file; ``progress(n)`` is told of each n bytes consumed."""
        self.crawl_id = self.store.start_crawl(
            "ingest", {"files": [str(f.path) for f in files]}, {}
        )
        reason = "finished"
        cpu = time.process_time()
        try:
            if self.matching is not None:
                self.matching.catch_up()
            for file in files:
                self._ingest_file(file, progress)
            self._drain(0)
            if self.matching is not None:
                kept, dropped = self.matching.reverify()
                self.summary.matches, self.summary.dropped_matches = kept, dropped
            self._release()
            _decisions()(self.store, "ingest", force=True)
        except BaseException:
            reason = "interrupted"
            raise
        finally:
            if self._pool is not None:
                end_pool(self._pool)
            self.summary.cpu_seconds = time.process_time() - cpu
            self.store.finish_crawl(self.crawl_id, reason, self.summary.stats())
        return self.summary

    def _release(self) -> None:
        """Let the matcher and the workers go before the decisions are made: deciding over the
        whole store holds about a kilobyte an article, and holding the matcher's indexes
        (another kilobyte an article) at the same time made that the ingest's peak. An
        ingester makes one run. Every batch is stored: the workers are idle, and are ended
        rather than asked to leave, so that this process does not wait for their interpreters
        to shut down when it exits (a tenth of a second, a second on a busy machine)."""
        if self._pool is not None:
            end_pool(self._pool)
            self._pool = None
        self.matching = None
        gc.collect()

    def _ingest_file(self, file: InputFile, progress: Callable[[int], None] | None) -> None:
        batch: list[Record] = []
        chars = done = 0
        for item in file:
            self.summary.read += 1
            if isinstance(item, Problem):
                self.summary.problem(item)
            else:
                batch.append(item)
                chars += len(item.html or item.text or "")
                if len(batch) >= self._limit or chars >= _BATCH_CHARS:
                    self._submit(batch)
                    batch, chars = [], 0
                    self._limit = min(self._limit * 2, self.batch_size)
            if progress is not None and self.summary.read % 64 == 0:
                position = file.position
                progress(position - done)
                done = position
        if batch:
            self._submit(batch)
        if progress is not None:
            progress(file.size - done)

    def _submit(self, batch: list[Record]) -> None:
        if self.jobs > 1 and self._pool is None and self._pending:
            # A second batch: the input is big enough to pay for worker start-up.
            self._pool = worker_pool(self.jobs, niceness=WORKER_NICENESS)
        if self._pool is None:
            future: Future = Future()
            future.set_result(prepare_batch(batch, self._sign, self._boilerplate()))
        else:
            future = self._pool.submit(prepare_batch, batch, self._sign, self._boilerplate())
        self._pending.append(future)
        self._drain(self.jobs + 1)

    def _boilerplate(self) -> dict[str, np.ndarray] | None:
        # What each outlet is known to repeat when the batch leaves; the matcher signs a
        # text again only if its outlet learnt more of that text's paragraphs meanwhile.
        if self.matching is None:
            return None
        model = self.matching.matcher.boilerplate
        known = ((outlet, model.boilerplate(outlet)) for outlet in model.outlets())
        return {outlet: keys for outlet, keys in known if len(keys)}

    def _drain(self, keep: int) -> None:
        while len(self._pending) > keep:
            future = self._pending.popleft()
            if not future.done() and not self._loaded:
                _load_decisions()
                self._loaded = True
            self._store(future.result())

    def _store(self, prepared: list[Prepared]) -> None:
        summary = self.summary
        urls = [article["url"] for _, article, _, _ in prepared if article is not None]
        known = self.store.bulk.text_hashes(urls)
        # Captures of pages that are not articles are kept once, like a crawl's.
        skipped_urls = [c["url"] for c, a, _, _ in prepared if c is not None and a is None]
        captured = self.store.jobs.captured_urls(skipped_urls) if skipped_urls else set()
        pages, signs = [], []
        for capture, article, problem, signed in prepared:
            if problem is not None:
                summary.problem(problem)
            if capture is None:
                continue
            if article is None:
                if capture["url"] not in captured:
                    captured.add(capture["url"])
                    pages.append((capture | {"crawl_id": self.crawl_id}, None))
                    signs.append(None)
                continue
            url, text_hash = article["url"], article["text_hash"]
            previous = known.get(url, ...)
            if previous == text_hash:
                summary.unchanged += 1
                continue
            if previous is ...:
                summary.stored += 1
            else:
                summary.updated += 1
            known[url] = text_hash
            pages.append((capture | {"crawl_id": self.crawl_id}, article))
            signs.append(signed)
        ids = self.store.bulk.save_pages(pages)
        to_match = []
        for (_, article), article_id, signed in zip(pages, ids, signs):
            if article_id is None:
                continue
            tokens, presigned = signed or (None, None)
            to_match.append((article_id, article["text"], article["outlet"], article["text_hash"],
                             tokens, presigned))  # fmt: skip
        if self.matching is not None and to_match:
            self.matching.add_many(to_match)
            matcher = self.matching.matcher
            summary.too_short_to_match += sum(1 for key, *_ in to_match if key not in matcher)
