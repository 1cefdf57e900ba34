"""A worker killed at any instant loses no page from the shared frontier (real redis-server).

Each test runs the worker's own code in a subprocess that does nothing but the step under
test, in a loop, and kills it with SIGKILL at an arbitrary moment, many times over. After
every kill the frontier must still account for every page: a URL in the duplicate filter is
queued (or leased), and a start URL is either still waiting or queued.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time

import redis
from conftest import ROOT

from crawler.crawl.frontier import frontier_key
from crawler.distributed.connection import Keys

KILLS = 12

ENQUEUE = """
import sys
from scrapy import Request
from scrapy.utils.test import get_crawler
from crawler.distributed.frontier import LeasedScheduler
from crawler.distributed.leases import LeaseQueue
from crawler.distributed.worker import RedisOutletSpider

url, prefix, first = sys.argv[1], sys.argv[2], int(sys.argv[3])
crawler = get_crawler(RedisOutletSpider, {"CROSSPOST_REDIS_URL": url,
                                          "CROSSPOST_REDIS_PREFIX": prefix})
scheduler = LeasedScheduler.from_crawler(crawler)
# The scheduler as ``open`` leaves it, without the upkeep loop that needs a running reactor.
scheduler.spider = RedisOutletSpider.from_crawler(crawler)
scheduler.queue = LeaseQueue(scheduler.server, scheduler.spider, scheduler.keys, 60)
print("ready", flush=True)
n = first
while True:
    # Every page is found twice, as links to one page are on many pages.
    scheduler.enqueue_request(Request(f"http://kill.test/page-{n // 2}"))
    n += 1
"""

START = """
import asyncio, sys
from scrapy.utils.test import get_crawler
from crawler.distributed.worker import RedisOutletSpider

url, prefix = sys.argv[1], sys.argv[2]
crawler = get_crawler(RedisOutletSpider, {"CROSSPOST_REDIS_URL": url,
                                          "CROSSPOST_REDIS_PREFIX": prefix,
                                          "CROSSPOST_REDIS_IDLE_EXIT": 0})
spider = RedisOutletSpider.from_crawler(crawler)
print("ready", flush=True)

async def run():
    async for _ in spider.start():
        pass

asyncio.run(run())
"""


def fingerprint(url: str) -> str:
    # The duplicate filter's fingerprint (crawler.distributed.frontier.RedisDupeFilter).
    return hashlib.sha1(f"GET {frontier_key(url)}".encode()).hexdigest()


def kill_at_random(script: str, *args: str, rng: random.Random) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", script, *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        line = proc.stdout.readline()
        assert line == b"ready\n" and time.monotonic() < deadline, proc.stderr.read()[-2000:]
        time.sleep(rng.uniform(0.02, 0.25))
        assert proc.poll() is None, proc.stderr.read()[-2000:]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)


def queued_keys(client: redis.Redis, keys: Keys) -> set[str]:
    """Frontier keys of every request queued or leased (a lease id starts with its key)."""
    ids = client.hkeys(keys.requests)
    assert set(ids) == set(client.zrange(keys.queue, 0, -1)) | set(
        client.zrange(keys.leases, 0, -1)
    ), "a request's payload without its place in the queue, or the other way round"
    return {i.decode().split(" ")[0] for i in ids}


def test_a_page_marked_seen_is_always_queued(redis_url):
    client, keys = redis.Redis.from_url(redis_url), Keys("kill-enqueue")
    rng = random.Random(7)
    for round_ in range(KILLS):
        kill_at_random(ENQUEUE, redis_url, keys.prefix, str(round_ * 1_000_000), rng=rng)
        queued = queued_keys(client, keys)
        seen = {s.decode() for s in client.smembers(keys.seen)}
        assert seen, "the loop never queued a request"
        assert {fingerprint(key) for key in queued} == seen, f"lost after kill {round_ + 1}"
        # A second request for a page already queued is never queued again.
        assert len(queued) == client.hlen(keys.requests)


def test_start_urls_taken_by_a_killed_worker_are_not_lost(redis_url):
    client, keys = redis.Redis.from_url(redis_url), Keys("kill-start")
    rng = random.Random(11)
    starts = [f"http://outlet-{n}.test/" for n in range(3000)]
    client.lpush(keys.start, *starts)
    for round_ in range(KILLS):
        kill_at_random(START, redis_url, keys.prefix, rng=rng)
        waiting = {s.decode() for s in client.lrange(keys.start, 0, -1)}
        queued = queued_keys(client, keys)
        lost = [u for u in starts if u not in waiting and frontier_key(u) not in queued]
        assert not lost, f"{len(lost)} start URLs lost after kill {round_ + 1}, e.g. {lost[:3]}"
        if not waiting:
            break
    assert client.hlen(keys.requests) > 0
