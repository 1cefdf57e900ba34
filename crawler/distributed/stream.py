"""Extracted pages on their way from the crawl workers to the writer: a Redis stream.

Each worker appends one stream entry per page (XADD) after extraction; the single writer
reads them in a consumer group (XREADGROUP), stores them in SQLite, and only then
acknowledges and deletes them (XACK, XDEL). An entry read by a writer that died stays pending
in the group and is claimed by the next writer (XAUTOCLAIM), so a page is stored at least
once; storing is idempotent (articles are keyed by URL, an unchanged text is not matched again).

Fields of an entry (all bytes): ``page`` (the :class:`~crawler.items.PageItem` as JSON, without
its body and decoded HTML), ``body`` (the raw body, zlib-compressed; absent for failures),
``article`` (the extracted article as JSON; absent when the page is not one), ``reason``, and
``mac`` when the crawl has a shared key (``CROSSPOST_REDIS_HMAC_KEY``; see
:mod:`crawler.distributed.entries`, which checks every entry before the writer stores it).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import zlib
from typing import Any

from scrapy.crawler import Crawler

from crawler.distributed.connection import Keys, connect
from crawler.distributed.entries import BadEntry, check_entry, entry_mac, hmac_key_from
from crawler.items import PageItem

logger = logging.getLogger(__name__)

GROUP = "writers"


def encode_item(page: PageItem, article: dict[str, Any] | None, reason: str | None, *,
                hmac_key: bytes | None = None, prefix: str = "crosspost") -> dict:  # fmt: skip
    data = dataclasses.asdict(page)
    body = data.pop("body", None)
    data.pop("html", None)
    fields: dict[str, bytes] = {
        "page": json.dumps(data, default=str).encode("utf-8"),
        "reason": (reason or "").encode("utf-8"),
    }
    if article is not None:
        fields["article"] = json.dumps(article, default=str).encode("utf-8")
    if body is not None:
        fields["body"] = zlib.compress(body, 1)
    if hmac_key is not None:
        fields["mac"] = entry_mac(fields, hmac_key, prefix)
    return fields


def decode_item(fields: dict[bytes, bytes], *, max_body: int = 8 * 1024 * 1024,
                hmac_key: bytes | None = None,
                prefix: str = "crosspost") -> tuple[PageItem, dict[str, Any] | None, str | None]:  # fmt: skip
    """(page, article or None, reason or None) of a stream entry; ValueError (a
    :class:`~crawler.distributed.entries.BadEntry`) saying what is wrong otherwise."""
    return check_entry(fields, max_body=max_body, hmac_key=hmac_key, prefix=prefix)


__all__ = ["GROUP", "BadEntry", "RedisItemPipeline", "decode_item", "encode_item"]


class RedisItemPipeline:
    """Last item pipeline of a worker (it replaces ``StorePipeline``): sends each extracted
    page to the writer's stream, then acknowledges the page's lease.

    When the writer falls behind by ``CROSSPOST_REDIS_MAX_BACKLOG`` entries the pipeline waits,
    which makes Scrapy stop fetching: the stream does not grow without bound in Redis's memory.
    """

    def __init__(self, crawler: Crawler, client: Any, keys: Keys, max_backlog: int,
                 hmac_key: bytes | None = None) -> None:  # fmt: skip
        self.crawler = crawler
        self.hmac_key = hmac_key
        self.client = client
        self.keys = keys
        self.max_backlog = max_backlog
        self._sent = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisItemPipeline:
        settings = crawler.settings
        keys = Keys(settings.get("CROSSPOST_REDIS_PREFIX") or "crosspost")
        return cls(crawler, connect(settings["CROSSPOST_REDIS_URL"]), keys,
                   settings.getint("CROSSPOST_REDIS_MAX_BACKLOG", 20000),
                   hmac_key_from(settings.get("CROSSPOST_REDIS_HMAC_KEY")))  # fmt: skip

    async def process_item(self, item: Any) -> Any:
        if not (isinstance(item, dict) and isinstance(item.get("page"), PageItem)):
            return item
        page: PageItem = item["page"]
        if self._sent % 100 == 0 and self.max_backlog:
            waited = 0
            while self.client.xlen(self.keys.items) > self.max_backlog:
                if waited % 30 == 0:
                    logger.warning(
                        "The writer is %d pages behind; waiting for it",
                        self.client.xlen(self.keys.items),
                    )
                await asyncio.sleep(1)
                waited += 1
        fields = encode_item(page, item["article"], item["reason"], hmac_key=self.hmac_key,
                             prefix=self.keys.prefix)  # fmt: skip
        self.client.xadd(self.keys.items, fields)
        self._sent += 1
        stats = self.crawler.stats
        stats.inc_value("crosspost/redis/items_sent")
        if item["article"] is not None:
            stats.inc_value("crosspost/articles_extracted")
        if page.frontier_url:
            from crawler.distributed.frontier import RedisFrontier

            RedisFrontier.of(self.crawler).mark_done([page.frontier_url])
        return item
