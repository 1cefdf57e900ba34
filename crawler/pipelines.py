"""Item pipelines: extract articles from fetched pages, follow their sources, then store and
match them.

Extraction is CPU-bound (trafilatura, lxml), so it runs in worker processes while the
crawling process keeps fetching and storing: that is how a crawl uses a second core.

Following sources: only after extraction is it known which article a page credits, so the
:class:`FollowSourcesPipeline` builds the requests for those source articles, admits them to the
job's frontier (recorded before the crediting page is marked done) and hands them to the engine
with ``crawler.engine.crawl``. The spider's own callbacks stay free of attribution parsing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler.crawl.discovery import is_listing_url
from crawler.crawl.frontier import Frontier
from crawler.extract.captures import capture_of
from crawler.extract.page import NotAnArticle, extract_article
from crawler.items import PageItem
from crawler.matching import StoreMatcher
from crawler.urls import BadURL, canonical_url, outlet_of
from crawler.workers import worker_pool
from dedupe.matcher import Presigned, presign
from dedupe.shingles import Tokens, tokenize
from dedupe.signature import SignatureParams

logger = logging.getLogger(__name__)


Prepared = tuple[Tokens, Presigned] | None


def _extract_or_reason(
    html: str, url: str, sign: SignatureParams | None = None
) -> tuple[dict[str, Any] | None, str | None, Prepared]:
    """Runs in a worker: returns (article, None, prepared) or (None, why it is not one, None).
    With ``sign`` (the store's signature parameters) the text is also tokenised and signed
    here, off the crawling process, for the matcher."""
    try:
        article = extract_article(html, url)
    except NotAnArticle as exc:
        return None, str(exc), None
    except Exception as exc:  # a parser bug on one page must not stop the crawl
        logger.exception("extraction failed on %s", url)
        return None, f"extraction failed: {type(exc).__name__}: {exc}", None
    if sign is None:
        return article, None, None
    tokens = tokenize(article["text"])
    return article, None, (tokens, presign(tokens, sign))


def article_identity(page_url: str, declared: str | None) -> str:
    """An article's key: its declared canonical URL when that stays on the same outlet (AMP,
    mobile and tracking variants collapse to one article), else its own canonical URL. A
    canonical link to another outlet is evidence of republication, not identity."""
    own = canonical_url(page_url)
    if declared:
        try:
            target = canonical_url(declared)
        except BadURL:
            return own
        if outlet_of(target) == outlet_of(own):
            return target
    return own


def _canonical_or_none(url: str | None) -> str | None:
    try:
        return canonical_url(url) if url else None
    except BadURL:
        return None


class ExtractPipeline:
    """Turns page items into ``(page, article | None)`` by running trafilatura."""

    def __init__(self, crawler: Crawler, processes: int) -> None:
        self.crawler = crawler
        self.processes = processes
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler, crawler.settings.getint("CROSSPOST_EXTRACT_PROCESSES", 1))

    def open_spider(self) -> None:
        if self.processes > 0:
            self.pool = worker_pool(self.processes)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        article, reason, prepared = None, item.error, None
        if item.html is not None and not item.is_listing and not item.not_modified:
            url = item.final_url or item.url
            # Set by the store pipeline when it matches in this process.
            sign = getattr(self.crawler, "crosspost_signature_params", None)
            if self.pool is not None:
                future = self.pool.submit(_extract_or_reason, item.html, url, sign)
                article, reason, prepared = await asyncio.wrap_future(future)
            else:
                article, reason, prepared = _extract_or_reason(item.html, url, sign)
            if article is not None:
                article["fetched_url"] = url
                article["url"] = article_identity(url, article.get("declared_canonical"))
                article["outlet"] = outlet_of(article["url"])
                for hit in article.get("attributions", []):
                    hit["url"] = _canonical_or_none(hit.get("url"))
                if not article.get("published_at"):
                    # A date from the sitemap or feed is weaker than the page's own, but
                    # better than none.
                    for hint, source in (("news_publication_date", "news-sitemap"),
                                         ("feed_published", "feed"),
                                         ("sitemap_lastmod", "sitemap")):
                        if item.hints.get(hint):
                            article["published_at"], article["date_source"] = item.hints[hint], source
                            break
        return {"page": item, "article": article, "reason": reason, "prepared": prepared}


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
    """Writes every page (as a capture) and every article to the SQLite store.

    Pages are committed in batches of ``CROSSPOST_COMMIT_EVERY`` pages, or after
    ``CROSSPOST_COMMIT_SECONDS``, whichever comes first; 1 commits every page."""

    def __init__(
        self, crawler: Crawler, match: bool = True, commit_every: int = 1,
        commit_seconds: float = 1.0,
    ) -> None:  # fmt: skip
        self.crawler = crawler
        self.match = match
        self.commit_every = max(1, commit_every)
        self.commit_seconds = commit_seconds
        self.frontier: Frontier | None = None
        self.matching: StoreMatcher | None = None
        self._uncommitted = 0
        self._batch_started = 0.0
        self._flusher: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        return cls(
            crawler,
            settings.getbool("CROSSPOST_MATCH", True),
            settings.getint("CROSSPOST_COMMIT_EVERY", 1),
            settings.getfloat("CROSSPOST_COMMIT_SECONDS", 1.0),
        )

    def open_spider(self) -> None:
        # The frontier's store: marking a page done happens in the transaction storing it.
        self.frontier = Frontier.of(self.crawler)
        self.store = self.frontier.store
        self.matching = StoreMatcher(self.store) if self.match else None
        if self.matching is not None:
            # The extraction workers sign texts with the store's parameters.
            self.crawler.crosspost_signature_params = self.matching.matcher.params
            caught_up = self.matching.catch_up()
            if caught_up:
                logger.info("Matched %d articles left unmatched by an earlier run", caught_up)
        if self.commit_every > 1:
            # A quiet spell (slow outlets) must not leave stored pages uncommitted.
            self._flusher = create_looping_call(self._commit_if_due)
            self._flusher.start(max(0.1, self.commit_seconds / 2), now=False)

    def close_spider(self) -> None:
        if self._flusher is not None and self._flusher.running:
            self._flusher.stop()
        self._commit()
        if self.matching is not None:
            self.matching.finish()

    def _commit(self) -> None:
        self.store.commit_batch()
        self._uncommitted = 0

    def _commit_if_due(self) -> None:
        if self.store.in_batch and time.monotonic() - self._batch_started >= self.commit_seconds:
            self._commit()

    def process_item(self, item: Any) -> Any:
        if not (isinstance(item, dict) and isinstance(item.get("page"), PageItem)):
            return item
        if self.commit_every > 1 and not self.store.in_batch:
            self.store.begin_batch()
            self._batch_started = time.monotonic()
        try:
            return self._store(item)
        finally:
            self._uncommitted += 1
            if self._uncommitted >= self.commit_every:
                self._commit()

    def _store(self, item: dict[str, Any]) -> dict[str, Any]:
        page: PageItem = item["page"]
        article = item["article"]
        capture, state = capture_of(
            page, article, item["reason"],
            getattr(self.crawler, "crosspost_crawl_id", None), page.frontier_url,
        )  # fmt: skip
        outcome = capture["outcome"]
        if outcome == "skipped":
            logger.info("Skipped %s: %s", page.url, item["reason"])
        article_id = self.store.jobs.save_fetch(
            capture, article, job=self.frontier.job, frontier_url=page.frontier_url, state=state
        )
        stats = self.crawler.stats
        stats.inc_value(f"crosspost/pages/{outcome}")
        if article_id is not None:
            stats.inc_value("crosspost/articles_stored")
            if self.matching is not None:
                tokens, presigned = item.get("prepared") or (None, None)
                found = self.matching.add(
                    article_id, article["text"], article["outlet"], article.get("text_hash"),
                    tokens, presigned,
                )  # fmt: skip
                stats.inc_value("crosspost/matches_found", len(found))
        return item
