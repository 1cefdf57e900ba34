"""The crawl frontier, kept in the store so a job survives ``kill -9``.

Scrapy's scheduler keeps its queue in memory (JOBDIR saves it only on a clean stop). crosspost
records every request a job decides to make in the ``frontier`` table first, and marks it done
in the same transaction that stores the page it fetched. After a crash, re-running the same
command schedules the pending entries again; done pages are not fetched again.

Two components share one :class:`Frontier` per crawler:

- :class:`FrontierMiddleware` (a spider middleware next to the engine) sees every request the
  spider yields, start requests included. It records them before any of the callback's items
  can reach the store, so a page is never marked done before the links found on it are saved.
- the item pipelines (``crawler.pipelines``) mark pages done and admit attribution sources.

While the crawl runs, the frontier's writes go through the store pipeline's batches
(:attr:`Frontier.writes`), in order with the pages, to the one process that writes the store.

The frontier also makes re-crawls incremental: sitemap and feed entries whose date is not newer
than the one seen at the last fetch are skipped, ``--since`` drops older entries, and known
pages are requested with ``If-None-Match`` / ``If-Modified-Since``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.items import PageItem
from crawler.store import Store, StoreError
from crawler.urls import BadURL, canonical_url, outlet_of

logger = logging.getLogger(__name__)

# Request meta that survives a restart (everything else is rebuilt by Scrapy).
_KEPT_META = ("discovered_via", "hints", "depth", "follow_depth", "frontier_url", "listed_date",
              "download_slot")


def parse_date(value: str | None) -> datetime | None:
    """A sitemap/feed date (ISO 8601 or RFC 822) as an aware datetime, or None."""
    if not value:
        return None
    value = value.strip()
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def frontier_key(url: str) -> str:
    """One frontier entry per page: tracking parameters and host case do not make new pages."""
    try:
        return canonical_url(url)
    except BadURL:
        return url


def job_key(start: Iterable[str], **options: Any) -> str:
    """A job is its start URLs and the options that change what it crawls."""
    blob = json.dumps({"start": sorted(set(start)), **options}, sort_keys=True, default=str)
    return hashlib.sha1(blob.encode()).hexdigest()[:12]


class Frontier:
    """The frontier of one run of a job. Built once per crawler by :meth:`of`."""

    def __init__(self, crawler: Crawler, store: Store) -> None:
        self.crawler = crawler
        self.store = store
        spider = crawler.spider
        settings = crawler.settings
        start = list(getattr(spider, "start_list", None) or [])
        self.job = settings.get("CROSSPOST_JOB") or job_key(
            start,
            follow_links=getattr(spider, "follow_links", True),
            outlets=sorted(getattr(spider, "outlets", ()) or ()),
        )
        since = settings.get("CROSSPOST_SINCE")
        self.since = parse_date(since) if since else None
        self.incremental = settings.getbool("CROSSPOST_INCREMENTAL", True)
        self.limits: dict[str, dict[str, Any]] = dict(getattr(spider, "outlet_limits", {}) or {})
        registry = getattr(spider, "registry", None)
        if registry:
            store.jobs.register_outlets(registry)
        self.generation, self.resuming = store.jobs.open_job(
            self.job,
            {"start": start, "follow_links": getattr(spider, "follow_links", True)},
            restart=settings.getbool("CROSSPOST_RESTART"),
        )
        counts = store.jobs.frontier_counts(self.job)
        self.per_outlet = {o: sum(states.values()) for o, states in counts.items()}
        self.known: set[str] = set()
        if self.resuming:
            self.known.update(
                row[0] for row in store.db.execute(
                    "select url from frontier where job = ?", [self.job])
            )
            pending = sum(s.get("pending", 0) for s in counts.values())
            done = sum(s.get("done", 0) for s in counts.values())
            logger.warning("Resuming crawl job %s: %d pages done, %d pending",
                           self.job, done, pending)
        self._limited: set[str] = set()
        # Where admitted and done entries are written: the store, or the store pipeline's
        # batches (``crawler.crawl.batching``), which apply them in order with the pages.
        self.writes: Any = store.jobs
        # Set when pages of this run could not be stored: the job is then not finished.
        self.unstored = False
        self._apply_slot_delays()
        crawler.signals.connect(self.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def of(cls, crawler: Crawler) -> Frontier:
        """The crawler's frontier, opened on first use (the spider must exist)."""
        frontier = getattr(crawler, "crosspost_frontier", None)
        if frontier is None:
            try:
                store = Store(crawler.settings.get("CROSSPOST_DB", "crosspost.db"))
            except StoreError as exc:
                from scrapy.exceptions import CloseSpider

                raise CloseSpider(f"cannot open store: {exc}") from None
            frontier = cls(crawler, store)
            crawler.crosspost_frontier = frontier
        return frontier

    def _apply_slot_delays(self) -> None:
        # One download slot per outlet (www.x and x share it); an outlet's own delay applies
        # to its slot.
        engine = getattr(self.crawler, "engine", None)
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return
        for outlet, limits in self.limits.items():
            if limits.get("delay") is not None:
                downloader.per_slot_settings.setdefault(outlet, {}).update(
                    {"delay": float(limits["delay"]), "concurrency": 1}
                )

    # -- admission ------------------------------------------------------------------------
    def admit(self, requests: Iterable[Request]) -> list[Request]:
        """Record the requests worth making as pending and return them, ready to schedule.

        Dropped: pages already in this generation's frontier, sitemap/feed entries older than
        ``--since`` or not newer than when last fetched, requests past an outlet's limit."""
        stats = self.crawler.stats
        fresh: dict[str, tuple[Request, str]] = {}
        for request in requests:
            key = frontier_key(request.url)
            if key in self.known or key in fresh:
                continue
            try:
                outlet = outlet_of(key)
            except BadURL:
                continue
            listed = request.meta.get("listed_date")
            if listed and self._too_old(listed):
                stats.inc_value("crosspost/frontier/older_than_since")
                self.known.add(key)
                continue
            state = self.store.jobs.url_state(key) if self.incremental else None
            if listed and state and self._unchanged(listed, state):
                stats.inc_value("crosspost/frontier/unchanged")
                self.known.add(key)
                continue
            limit = (self.limits.get(outlet) or {}).get("max_pages")
            if limit and self.per_outlet.get(outlet, 0) >= limit:
                if outlet not in self._limited:
                    self._limited.add(outlet)
                    logger.warning("Outlet %s reached its limit of %d pages for this run",
                                   outlet, limit)
                stats.inc_value("crosspost/frontier/over_limit")
                continue
            self.per_outlet[outlet] = self.per_outlet.get(outlet, 0) + 1
            request.meta["frontier_url"] = key
            request.meta.setdefault("download_slot", outlet)
            fresh[key] = (self._conditional(request, state), outlet)
        if not fresh:
            return []
        added = self.writes.frontier_add(
            self.job, [(key, outlet, self._dump(req)) for key, (req, outlet) in fresh.items()]
        )
        self.known.update(fresh)
        stats.inc_value("crosspost/frontier/admitted", len(added))
        return [req for key, (req, _) in fresh.items() if key in added]

    def _too_old(self, listed: str) -> bool:
        when = parse_date(listed)
        return bool(self.since and when and when < self.since)

    def _unchanged(self, listed: str, state: dict[str, Any]) -> bool:
        if state.get("status") not in (200, 304):
            return False
        when, before = parse_date(listed), parse_date(state.get("listed_date"))
        return bool(when and before and when <= before)

    def _conditional(self, request: Request, state: dict[str, Any] | None) -> Request:
        # robots.txt leads to the sitemaps: unchanged, it still has to be read again.
        if request.url.endswith("/robots.txt"):
            return request
        if state and state.get("status") in (200, 304):
            if state.get("etag"):
                request.headers.setdefault(b"If-None-Match", state["etag"])
            if state.get("last_modified"):
                request.headers.setdefault(b"If-Modified-Since", state["last_modified"])
        return request

    # -- restart --------------------------------------------------------------------------
    def _dump(self, request: Request) -> str:
        spider = self.crawler.spider
        return json.dumps(
            {
                "url": request.url,
                "callback": _method_name(request.callback, spider),
                "errback": _method_name(request.errback, spider),
                "priority": request.priority,
                "meta": {k: request.meta[k] for k in _KEPT_META if k in request.meta},
            },
            default=str,
        )

    def pending_requests(self) -> list[Request]:
        """The pending entries of an interrupted run, as requests again."""
        if not self.resuming:
            return []
        spider = self.crawler.spider
        requests = []
        for blob in self.store.jobs.frontier_pending(self.job):
            data = json.loads(blob)
            request = Request(
                data["url"],
                callback=getattr(spider, data["callback"]) if data.get("callback") else None,
                errback=getattr(spider, data["errback"]) if data.get("errback") else None,
                priority=data.get("priority", 0),
                meta=data.get("meta") or {},
            )
            key = request.meta.get("frontier_url") or frontier_key(request.url)
            state = self.store.jobs.url_state(key) if self.incremental else None
            requests.append(self._conditional(request, state))
        self.crawler.stats.set_value("crosspost/frontier/resumed", len(requests))
        return requests

    # -- completion -----------------------------------------------------------------------
    def mark_done(self, keys: list[str]) -> None:
        self.writes.frontier_done(self.job, keys)

    def request_dropped(self, request: Request, spider: Any = None) -> None:
        # The duplicate filter dropped it (a redirect to a page fetched already): nothing more
        # will happen to this entry.
        key = request.meta.get("frontier_url")
        if key:
            self.mark_done([key])

    def spider_closed(self, spider: Any, reason: str) -> None:
        try:
            if reason == "finished" and not self.unstored:
                self.store.jobs.finish_job(self.job)
            elif reason == "shutdown":
                # Ctrl-C: the command line says how to resume, once.
                logger.info("Crawl job %s interrupted", self.job)
            else:
                logger.warning("Crawl job %s stopped (%s); run the same command to resume it",
                               self.job, reason)
        finally:
            self.store.close()


def _method_name(method: Any, spider: Any) -> str | None:
    if method is None:
        return None
    name = getattr(method, "__name__", None)
    if name is None or getattr(spider, name, None) is None:
        raise ValueError(f"{method!r} is not a method of the spider")
    return name


class FrontierMiddleware:
    """Spider middleware: every request the spider yields goes through the frontier first."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierMiddleware:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        frontier = Frontier.of(self.crawler)
        for request in frontier.pending_requests():
            yield request
        async for output in start:
            if isinstance(output, Request):
                for request in frontier.admit([output]):
                    yield request
            else:
                yield output

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        # The whole output of one callback is collected first: its requests are recorded
        # before its item can reach the store and mark the page done.
        outputs = [output async for output in result]
        frontier = Frontier.of(self.crawler)
        admitted = {id(r) for r in frontier.admit(o for o in outputs if isinstance(o, Request))}
        key = response.meta.get("frontier_url")
        has_item = False
        for output in outputs:
            if isinstance(output, Request):
                if id(output) in admitted:
                    yield output
                continue
            if isinstance(output, PageItem) and output.frontier_url == key:
                has_item = True
            yield output
        if key and not has_item:
            frontier.mark_done([key])
