"""The one writer of a distributed crawl: pages from the workers' Redis stream into SQLite.

Workers only fetch and extract; this process owns the store and does what the crawl's
``StorePipeline`` does for each page (``Store.save_fetch``: capture, article upsert, earlier
version kept, validators remembered) and matches each article (``StoreMatcher``). An entry is
acknowledged and deleted from the stream only after its transaction committed; entries of a
writer that died are claimed at start-up (XAUTOCLAIM), so nothing is lost.

One writer at a time: a lock key (``{prefix}:writer``, renewed every few seconds, expiring
15 s after its holder stops) refuses a second one.

Nothing read from Redis is trusted: each entry is checked (:mod:`crawler.distributed.entries`:
schema, bounded inflation, the HMAC when the crawl has a shared key) and a refused one goes to
the dead-letter stream ``{prefix}:dead`` with its reason, then is acknowledged: the writer
keeps consuming, and a restart does not meet it again. An entry that would change the text of
an article already stored must also be a newer fetch of that URL made under a lease the
frontier issued (the ledger ``{prefix}:issued``); otherwise it is refused as a replacement.

With ``index_in_redis`` the LSH part of the near-duplicate index lives in Redis
(``crawler.distributed.lsh``), rebuilt from the store at start-up and whenever Redis lost it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from crawler.crawl.frontier import frontier_key
from crawler.decisions import refresh as refresh_decisions
from crawler.distributed.connection import Keys, RedisModeError, connect, frontier_size, safe_url
from crawler.distributed.entries import BadEntry, hmac_key_from
from crawler.distributed.leases import requeue_expired
from crawler.distributed.stream import GROUP, decode_item
from crawler.extract.captures import capture_of
from crawler.matching import StoreMatcher
from crawler.store import Store

logger = logging.getLogger(__name__)

LOCK_MS = 15_000
_UPKEEP_SECONDS = 2.0
# The dead-letter stream keeps about this many refused entries, each field cut to this size.
DEAD_MAXLEN = 10_000
DEAD_FIELD_BYTES = 64 * 1024
# A lease in the ledger that no stored page claimed (robots.txt, listings) is forgotten then.
ISSUED_TTL_MS = 24 * 3600 * 1000
# A replacing fetch dated further ahead of the writer's clock is refused.
CLOCK_SKEW = timedelta(minutes=5)

# Extend / delete the lock only while this writer holds it.
_RENEW_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class WriterBusy(RedisModeError):
    """Another writer holds the lock of this distributed crawl."""


class RedisWriter:
    """Reads the items stream of the crawl ``prefix`` at ``url`` into ``store``."""

    def __init__(self, store: Store, url: str, prefix: str = "crosspost", *, match: bool = True,
                 index_in_redis: bool = False, batch_size: int = 100,
                 hmac_key: bytes | str | None = None, max_body: int | None = None) -> None:  # fmt: skip
        from crawler import settings as defaults

        self.store = store
        # The shared key: given, or from $CROSSPOST_REDIS_HMAC_KEY; None accepts unsigned entries.
        self.hmac_key = hmac_key_from(hmac_key)
        self.max_body = max_body or defaults.DOWNLOAD_MAXSIZE
        self._stop = threading.Event()
        self.url = url
        self.keys = Keys(prefix)
        self.client = connect(url)
        self.match = match
        self.index_in_redis = index_in_redis
        self.batch_size = batch_size
        self.consumer = f"{socket.gethostname()}-{os.getpid()}"
        self.token = uuid4().hex
        self.matching: StoreMatcher | None = None
        self.counts = {"items": 0, "articles": 0, "matches": 0, "malformed": 0, "requeued": 0,
                       "replaced": 0}  # fmt: skip
        # Matches found since the last re-verification under newly learnt boilerplate.
        self._unverified = False
        self._busy = 0.0  # seconds spent storing (the ingest rate leaves out idle waits)
        self._renew = self.client.register_script(_RENEW_LOCK)
        self._release = self.client.register_script(_RELEASE_LOCK)

    # -- lock -----------------------------------------------------------------------------
    def _acquire(self) -> None:
        deadline = time.monotonic() + LOCK_MS / 1000 + 2
        while not self.client.set(self.keys.writer, self.token, nx=True, px=LOCK_MS):
            if time.monotonic() > deadline:
                holder = self.client.get(self.keys.writer) or b"?"
                raise WriterBusy(
                    f"another writer is storing this crawl ({self.keys.writer} is held by "
                    f"{holder.decode(errors='replace')}); a distributed crawl has one writer"
                )
            time.sleep(0.5)

    def _keep_lock(self) -> None:
        if not self._renew(keys=[self.keys.writer], args=[self.token, LOCK_MS]):
            raise WriterBusy(f"lost the writer lock {self.keys.writer} (Redis restarted or "
                             "this process stalled past its expiry)")  # fmt: skip

    # -- matching -------------------------------------------------------------------------
    def _open_matching(self) -> None:
        if not self.match:
            return
        storage_config = None
        if self.index_in_redis:
            from crawler.distributed.lsh import clear_index, mark_built, storage_config_for

            clear_index(self.client, self.keys.lsh)
            storage_config = storage_config_for(self.url, self.keys.lsh)
        started = time.monotonic()
        self.matching = StoreMatcher(self.store, storage_config=storage_config)
        if self.index_in_redis:
            mark_built(self.client, self.keys.lsh)
        logger.info("near-duplicate index ready in %.1f s", time.monotonic() - started)
        self.matching.catch_up()

    def _check_index(self) -> None:
        from crawler.distributed.lsh import is_built

        if (
            self.index_in_redis
            and self.matching is not None
            and not is_built(self.client, self.keys.lsh)
        ):
            logger.warning("Redis lost the shared near-duplicate index; rebuilding it")
            self.matching.finish()
            self._open_matching()

    def stop(self) -> None:
        """Ask :meth:`run` to return after the batch it is storing (from another thread)."""
        self._stop.set()

    # -- storing --------------------------------------------------------------------------
    def _store(self, entries: list[tuple[bytes, dict[bytes, bytes]]], crawl_id: int) -> None:
        started = time.monotonic()
        done: list[bytes] = []
        leases: list[str] = []
        for entry_id, fields in entries:
            try:
                page, article, reason = decode_item(fields, max_body=self.max_body,
                                                    hmac_key=self.hmac_key, prefix=self.keys.prefix)  # fmt: skip
                replaces = article is not None and self._check_replacement(page, article)
                capture, state = capture_of(page, article, reason, crawl_id,
                                            frontier_key(page.url))  # fmt: skip
                article_id = self.store.jobs.save_fetch(capture, article, state=state)
            except (ValueError, TypeError, KeyError, UnicodeError, OverflowError) as exc:
                # BadEntry is a ValueError; a store refusing the row (a value SQLite cannot
                # take) rolled its transaction back, so nothing of the entry was written.
                self._dead_letter(entry_id, fields, str(exc) or type(exc).__name__)
                done.append(entry_id)
                continue
            self.counts["items"] += 1
            self.counts["replaced"] += int(bool(replaces))
            if page.frontier_url:
                leases.append(page.frontier_url)
            if article_id is not None:
                self.counts["articles"] += 1
                self._match(article_id, article)
            done.append(entry_id)
        if done:
            # Committed: only now may the stream forget them.
            pipe = self.client.pipeline(transaction=True)
            pipe.xack(self.keys.items, GROUP, *done)
            pipe.xdel(self.keys.items, *done)
            if leases:
                pipe.zrem(self.keys.issued, *leases)
            pipe.execute()
        self._busy += time.monotonic() - started

    def _match(self, article_id: int, article: dict[str, Any]) -> None:
        if self.matching is None:
            return
        try:
            found = self.matching.add(article_id, article["text"], article["outlet"],
                                      article.get("text_hash"))  # fmt: skip
        except ValueError as exc:  # stored, but its text cannot be signed: say so, go on
            logger.error("Cannot match article %d: %s", article_id, exc)
            return
        self.counts["matches"] += len(found)
        self._unverified = self._unverified or bool(found)

    def _check_replacement(self, page: Any, article: dict[str, Any]) -> bool:
        """True when ``article`` changes the text of a stored article, and it may: a newer
        fetch of that URL under a lease the frontier issued. BadEntry when it may not."""
        row = self.store.db.execute(
            "select id, text_hash, last_seen from articles where url = ?", [article["url"]]
        ).fetchone()
        if row is None or row[1] == article["text_hash"]:
            return False
        why = f"would replace the text of stored article {row[0]} ({article['url'][:200]})"
        lease = page.frontier_url
        if not lease or lease.split(" ")[0] != frontier_key(page.url):
            raise BadEntry(f"{why} without a lease for that URL")
        if self.client.zscore(self.keys.issued, lease) is None:
            raise BadEntry(f"{why} with a lease the frontier did not issue (or already stored)")
        fetched = _aware(page.fetched_at)
        if fetched is None or fetched > datetime.now(UTC) + CLOCK_SKEW:
            raise BadEntry(f"{why} with a missing or future fetch time {page.fetched_at!r}")
        seen = _aware(row[2])
        if seen is not None and fetched <= seen:
            raise BadEntry(f"{why} with an older fetch ({page.fetched_at} <= {row[2]})")
        logger.info("New text for article %d from a fetch at %s", row[0], page.fetched_at)
        return True

    def _dead_letter(self, entry_id: bytes, fields: dict[bytes, bytes], reason: str) -> None:
        logger.error("Refused stream entry %s: %s (moved to %s)", entry_id.decode(), reason,
                     self.keys.dead)  # fmt: skip
        self.counts["malformed"] += 1
        kept = {b"x-" + name: value[:DEAD_FIELD_BYTES] for name, value in fields.items()}
        cut = [n.decode("latin-1") for n, v in fields.items() if len(v) > DEAD_FIELD_BYTES]
        self.client.xadd(self.keys.dead, {
            b"entry": entry_id, b"reason": reason.encode("utf-8", "replace")[:4096],
            b"writer": self.consumer.encode(), b"truncated": ",".join(cut).encode(), **kept,
        }, maxlen=DEAD_MAXLEN, approximate=True)  # fmt: skip

    def _forget_old_leases(self) -> None:
        seconds, micros = self.client.time()
        now_ms = int(seconds) * 1000 + int(micros) // 1000
        self.client.zremrangebyscore(self.keys.issued, "-inf", now_ms - ISSUED_TTL_MS)

    def _claim_orphans(self, crawl_id: int) -> int:
        """Store the entries a dead writer read but never acknowledged."""
        claimed, cursor = 0, "0-0"
        while True:
            cursor, entries, *_ = self.client.xautoclaim(
                self.keys.items, GROUP, self.consumer, min_idle_time=0, start_id=cursor,
                count=self.batch_size,
            )  # fmt: skip
            entries = [(i, f) for i, f in entries if f]
            self._store(entries, crawl_id)
            claimed += len(entries)
            if cursor in (b"0-0", "0-0"):
                return claimed

    def run(self, idle_exit: float = 0, *, max_seconds: float | None = None) -> dict[str, Any]:
        """Store pages until the crawl is done: the stream and the whole frontier empty for
        ``idle_exit`` seconds (0: until interrupted). Returns counts and the rate."""
        import redis

        self._acquire()
        try:
            self.client.xgroup_create(self.keys.items, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        crawl_id = self.store.start_crawl(
            "ingest", {"from_redis": safe_url(self.url), "prefix": self.keys.prefix}, {}
        )
        reason = "finished"
        started = time.monotonic()
        try:
            self._open_matching()
            claimed = self._claim_orphans(crawl_id)
            if claimed:
                logger.warning("Stored %d pages a previous writer had not acknowledged", claimed)
            reason = self._loop(crawl_id, idle_exit, max_seconds)
        except KeyboardInterrupt:
            reason = "interrupted"
        except BaseException:
            reason = "failed"
            raise
        finally:
            elapsed = time.monotonic() - started
            if self.matching is not None:
                self.matching.finish()
            busy = self._busy
            summary = {**self.counts, "reason": reason, "elapsed": elapsed, "busy": busy,
                       "rate": self.counts["items"] / busy if busy else 0.0}  # fmt: skip
            self.store.finish_crawl(crawl_id, reason, summary)
            if reason not in ("interrupted", "failed"):
                refresh_decisions(self.store, "redis-writer", force=True)
            self._release(keys=[self.keys.writer], args=[self.token])
        return summary

    def _loop(self, crawl_id: int, idle_exit: float, max_seconds: float | None) -> str:
        started = time.monotonic()
        idle_since: float | None = None
        upkeep = 0.0
        while True:
            now = time.monotonic()
            if now - upkeep >= _UPKEEP_SECONDS:
                self._keep_lock()
                self.counts["requeued"] += requeue_expired(self.client, self.keys)
                self._forget_old_leases()
                self._check_index()
                upkeep = now
            if max_seconds is not None and now - started > max_seconds:
                return "time limit"
            if self._stop.is_set():
                return "stopped"
            reply = self.client.xreadgroup(
                GROUP, self.consumer, {self.keys.items: ">"}, count=self.batch_size, block=500
            )
            entries = reply[0][1] if reply else []
            if entries:
                self._store(entries, crawl_id)
                idle_since = None
                continue
            if any(frontier_size(self.client, self.keys)):
                idle_since = None
                continue
            if self.matching is not None and self._unverified:
                self.matching.finish()
                self._unverified = False
            idle_since = idle_since or time.monotonic()
            if idle_exit and time.monotonic() - idle_since >= idle_exit:
                return "finished"


def _aware(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
