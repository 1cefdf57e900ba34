"""Politeness across workers, on a real redis-server: two workers crawling the same outlets
never send an outlet requests closer together than its delay, as the server's own log of
arrival times shows; without the shared slots they do.
"""

from __future__ import annotations

import re

import pytest
import redis
from redis_tools import crosspost, finish
from timed_web import TimedWeb

from crawler.distributed.connection import Keys

pytestmark = pytest.mark.filterwarnings("error::scrapy.exceptions.ScrapyDeprecationWarning")

DELAY, GEN1_DELAY = 0.3, 0.6
# Redis's clock has millisecond steps; the server logs a request a moment after it arrived.
SLACK = 0.002
# Seconds a push or a worker may take.
TIMEOUT = 120


def crawl_two_workers(url: str, prefix: str, tmp_path, *settings: str) -> TimedWeb:
    outlets = tmp_path / "outlets.toml"
    outlets.write_text(f'[[outlet]]\nname = "Gen One"\ndomains = ["gen1.test"]\n'
                       f'start = ["http://gen1.test/"]\ndelay = {GEN1_DELAY}\n')  # fmt: skip
    web = TimedWeb(articles=36, outlets=3)
    try:
        push = crosspost(["crawl", "--redis", url, "--redis-prefix", prefix, "--push",
                          "--outlets", str(outlets), "http://gen0.test/", "http://gen2.test/"],
                         web.proxy_url)  # fmt: skip
        assert "pushed 3 start URLs" in finish(push, TIMEOUT)[0]
        options = ["-s", f"DOWNLOAD_DELAY={DELAY}", "-s", "AUTOTHROTTLE_ENABLED=False",
                   "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "DOWNLOAD_TIMEOUT=10",
                   "-s", "RETRY_TIMES=1", *settings]  # fmt: skip
        workers = [crosspost(["crawl", "--redis", url, "--redis-prefix", prefix,
                              "--idle-exit", "3", *options], web.proxy_url)
                   for _ in range(2)]  # fmt: skip
        fetched = [int(re.search(r"pages fetched\s+(\d+)", finish(w, TIMEOUT)[0]).group(1))
                   for w in workers]
    finally:
        web.close()
    assert all(n > 0 for n in fetched), fetched  # both workers took part
    assert sum(fetched) >= 3 * 16  # robots, home, sitemaps, feed and 12 articles per outlet
    return web


def test_two_workers_keep_each_outlets_delay(redis_url, tmp_path):
    web = crawl_two_workers(redis_url, "polite", tmp_path)
    gaps = web.gaps()
    assert sorted(gaps) == ["gen0.test", "gen1.test", "gen2.test"]
    for host, limit in (("gen0.test", DELAY), ("gen1.test", GEN1_DELAY), ("gen2.test", DELAY)):
        assert len(gaps[host]) >= 15, (host, gaps[host])
        assert min(gaps[host]) >= limit - SLACK, (host, limit, sorted(gaps[host])[:5])
    # The shared slots are gone once idle: nothing in flight remains.
    client = redis.Redis.from_url(redis_url)
    assert all(client.zcard(Keys("polite").polite(h) + ":active") == 0 for h in gaps)


def test_without_shared_slots_two_workers_crowd_an_outlet(redis_url, tmp_path):
    web = crawl_two_workers(redis_url, "rude", tmp_path,
                            "-s", "CROSSPOST_REDIS_SHARED_POLITENESS=False")  # fmt: skip
    closest = min(min(g) for g in web.gaps().values())
    assert closest < DELAY * 0.8, closest
