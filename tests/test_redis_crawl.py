"""Distributed crawl on a real Redis server: workers share one frontier, one writer stores.

Workers and writers run as ``python -m crawler`` subprocesses against the sample web through
its proxy, like every crawl test; Redis is a real ``redis-server`` on 127.0.0.1 (see
``tests/redis_tools.py``). Each test uses its own key prefix.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from conftest import FAST, ROOT, rows, run_cli
from redis_tools import crosspost, finish

from crawler.crawl.frontier import frontier_key
from crawler.distributed.connection import Keys
from crawler.distributed.leases import LeaseQueue
from crawler.distributed.stream import GROUP, encode_item
from crawler.distributed.worker import RedisOutletSpider
from crawler.distributed.writer import RedisWriter
from crawler.items import PageItem
from crawler.sampleweb import truth
from crawler.store import Store

pytestmark = pytest.mark.filterwarnings("error::scrapy.exceptions.ScrapyDeprecationWarning")


def spawn(args: list[str], proxy: str | None = None, **env: str) -> subprocess.Popen:
    # Scrapy deprecations are errors in the workers too, as in run_cli.
    return crosspost(args, proxy, env=env, scrapy_deprecations_fatal=True)


def figure(output: str, label: str) -> int:
    return int(re.search(rf"{label}\s+(\d+)", output).group(1))


def worker(url: str, prefix: str, *extra: str) -> list[str]:
    return ["crawl", "--redis", url, "--redis-prefix", prefix, "--idle-exit", "3", *FAST, *extra]


def writer(url: str, prefix: str, db: Path, *extra: str) -> list[str]:
    return ["ingest", "--db", str(db), "--from-redis", url, "--redis-prefix", prefix,
            "--idle-exit", "3", *extra]  # fmt: skip


def articles(db: Path) -> set[tuple[str, str]]:
    return {(r["url"], r["text_hash"]) for r in rows(db, "select url, text_hash from articles")}


def match_pairs(db: Path) -> set[tuple[str, str, str]]:
    """Matches as (first URL, second URL, kind of the first relative to the second): which of
    a pair was matched against the other depends on arrival order, which workers change."""
    flipped = {"excerpt": "expanded", "expanded": "excerpt", "near-duplicate": "near-duplicate"}
    sql = ("select a.url as a, b.url as b, m.kind from matches m "
           "join articles a on a.id = m.a join articles b on b.id = m.b")  # fmt: skip
    return {(r["a"], r["b"], r["kind"]) if r["a"] < r["b"] else (r["b"], r["a"], flipped[r["kind"]])
            for r in rows(db, sql)}  # fmt: skip


def push(url: str, prefix: str) -> None:
    result = run_cli(["crawl", "--redis", url, "--redis-prefix", prefix, "--push",
                      *truth.start_urls()])  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"pushed {len(truth.start_urls())} start URLs" in result.stdout


def assert_drained(client: redis.Redis, keys: Keys) -> None:
    assert client.zcard(keys.queue) == 0
    assert client.zcard(keys.leases) == 0
    assert client.hlen(keys.requests) == 0
    assert client.xlen(keys.items) == 0
    assert client.xpending(keys.items, GROUP)["pending"] == 0


def test_two_workers_share_one_frontier_and_one_writer_stores_each_article_once(
    redis_url, sample_web, full_crawl, tmp_path
):
    prefix, db = "two", tmp_path / "redis.db"
    push(redis_url, prefix)
    # Entries signed with a shared key: the writer refuses any it cannot verify.
    signed = {"CROSSPOST_REDIS_HMAC_KEY": "s3cret-shared-key"}
    workers = [spawn(worker(redis_url, prefix), sample_web.proxy_url, **signed) for _ in range(2)]
    store = spawn(writer(redis_url, prefix, db, "--index-in-redis"), **signed)
    outputs = [finish(p)[0] for p in workers]
    stored = finish(store)[0]
    fetched = [figure(o, "pages fetched") for o in outputs]
    assert all(n > 0 for n in fetched), outputs  # both took part
    sent = sum(figure(o, "pages sent to writer") for o in outputs)
    assert sent == rows(db, "select count(*) as n from captures")[0]["n"]
    assert f"ingest finished (finished): {sent} pages" in stored
    assert "refused" not in stored  # every real entry passes the schema and the HMAC

    # The same articles and matches as a single-machine crawl, each article fetched once.
    single_db = full_crawl[0]
    assert articles(db) == articles(single_db)
    assert match_pairs(db) == match_pairs(single_db)
    assert not rows(db, "select url from captures group by url having count(*) > 1")
    assert rows(db, "select count(*) as n from captures where outcome = 'article'")[0]["n"] == len(
        articles(db)
    )
    assert_drained(redis.Redis.from_url(redis_url), Keys(prefix))


def test_a_worker_killed_mid_crawl_loses_nothing(redis_url, sample_web, full_crawl, tmp_path):
    prefix, db = "kill", tmp_path / "redis.db"
    client, keys = redis.Redis.from_url(redis_url), Keys(prefix)
    push(redis_url, prefix)
    lease = ("-s", "CROSSPOST_REDIS_LEASE=2")
    doomed = spawn(worker(redis_url, prefix, *lease), sample_web.proxy_url)
    deadline = time.monotonic() + 60
    while not (client.xlen(keys.items) >= 25 and client.zcard(keys.leases) >= 3):
        assert time.monotonic() < deadline and doomed.poll() is None, "the worker did not start"
        time.sleep(0.05)
    os.killpg(doomed.pid, signal.SIGKILL)  # the worker and its extraction process
    doomed.wait(timeout=10)
    held = {lease.decode().split(" ")[0] for lease in client.zrange(keys.leases, 0, -1)}
    assert len(held) >= 3

    survivor = spawn(worker(redis_url, prefix, *lease), sample_web.proxy_url)
    store = spawn(writer(redis_url, prefix, db))
    output = finish(survivor)[0]
    stored = finish(store)[0]
    # The survivor or the writer, whichever saw the leases expire first, requeued them.
    requeued = figure(output, r"requeued \(dead workers\)")
    found = re.search(r"requeued (\d+) requests", stored)
    assert requeued + (int(found.group(1)) if found else 0) >= len(held)
    captured = {frontier_key(r["url"]) for r in rows(db, "select url from captures")}
    assert held <= captured
    assert articles(db) == articles(full_crawl[0])
    # Nothing lost: the same pairs are matched. Whether a partial copy is labelled an excerpt
    # of its origin or the origin an expansion of it can depend on the order the workers
    # delivered the outlet's pages in (boilerplate is learnt in arrival order).
    assert {p[:2] for p in match_pairs(db)} == {p[:2] for p in match_pairs(full_crawl[0])}
    assert_drained(client, keys)


def _article_item(n: int) -> tuple[PageItem, dict]:
    url = f"http://writer{n % 3}.test/story-{n}/"
    text = "\n".join(f"Paragraph {p} of story {n} about harbour cranes and grain ships {p * n}."
                     for p in range(12))  # fmt: skip
    page = PageItem(url=url, final_url=url, status=200, headers={"Content-Type": "text/html"},
                    body=f"<html>{text}</html>".encode(), content_type="text/html",
                    fetched_at="2024-01-01T00:00:00+00:00", frontier_url=f"{url} x{n}")  # fmt: skip
    article = {"url": url, "fetched_url": url, "outlet": f"writer{n % 3}.test", "title": f"S{n}",
               "text": text, "text_hash": hashlib.sha1(text.encode()).hexdigest(),
               "attributions": [], "attribution_lines": []}  # fmt: skip
    return page, article


def test_entries_a_dead_writer_read_are_stored_by_the_next(redis_url, tmp_path):
    prefix = "writer"
    client, keys = redis.Redis.from_url(redis_url), Keys(prefix)
    client.xgroup_create(keys.items, GROUP, id="0", mkstream=True)
    for n in range(5):
        client.xadd(keys.items, encode_item(*_article_item(n), None))
    # A writer that read three entries and died before committing them.
    taken = client.xreadgroup(GROUP, "dead-writer", {keys.items: ">"}, count=3)
    assert len(taken[0][1]) == 3
    with Store(tmp_path / "w.db") as store:
        summary = RedisWriter(store, redis_url, prefix).run(idle_exit=0.5)
    assert summary["items"] == summary["articles"] == 5
    assert len(rows(tmp_path / "w.db", "select id from articles")) == 5
    assert_drained(client, keys)
    assert client.get(keys.writer) is None  # the lock is released


def test_leases_expire_back_to_the_queue_and_acks_delete(redis_url):
    from scrapy import Request

    client, keys = redis.Redis.from_url(redis_url), Keys("lease")
    spider = RedisOutletSpider()
    queue = LeaseQueue(client, spider, keys, lease_seconds=1)
    for n in range(3):
        queue.push(Request(f"http://a.test/{n}", callback=spider.parse_page,
                           errback=spider.on_error, priority=n))  # fmt: skip
    first = queue.pop()
    assert first is not None and first[0].startswith("http://a.test/2 ")  # highest priority
    request = queue.decode(first[1])
    assert request.callback == spider.parse_page and request.errback == spider.on_error
    second = queue.pop()
    queue.ack(second[0])
    assert client.zcard(keys.leases) == 1 and len(queue) == 1
    assert queue.renew() == 1
    assert queue.requeue_expired() == 0
    time.sleep(1.2)
    assert queue.requeue_expired() == 1  # the unrenewed lease
    again = queue.pop()
    assert again[0] == first[0] and again[2] == 2  # same request, handed out twice
    assert queue.release() == 1
    assert len(queue) == 2 and client.zcard(keys.leases) == 0
    # Requests are JSON in Redis, never pickles.
    assert client.hget(keys.requests, first[0]).startswith(b"{")


def test_unreachable_redis_and_missing_extra_are_clear_errors(tmp_path):
    result = run_cli(["crawl", "--redis", "redis://127.0.0.1:1/0", "--push", "http://a.test/"])
    assert result.returncode == 1
    assert "Error: cannot reach Redis at redis://127.0.0.1:1/0" in result.stderr
    result = run_cli(["crawl", "--push", "http://a.test/"])
    assert result.returncode == 2 and "--push needs --redis URL" in result.stderr
    blocked = (
        "import sys; sys.modules['scrapy_redis'] = None; from crawler.cli import cli; "
        "cli(['ingest', '--from-redis', 'redis://127.0.0.1:1/0'])"
    )
    result = subprocess.run([sys.executable, "-c", blocked], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 1
    assert "pip install 'crosspost[redis]'" in result.stderr
