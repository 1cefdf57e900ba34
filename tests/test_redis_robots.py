"""Each site's robots.txt is fetched once for all the workers of a distributed crawl (a real
redis-server): the first worker stores it in Redis, the others read it from there and obey it
all the same; a robots.txt answering 5xx is not shared, and a copy planted in Redis that does
not hold up is ignored with a warning.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
import redis
from redis_tools import crosspost, finish
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse
from scrapy.utils.test import get_crawler
from timed_web import TimedWeb, _TimedHandler

from crawler.distributed.connection import Keys
from crawler.distributed.robots import LOCK_META, MAX_BODY, SharedRobotsTxt
from crawler.sampleweb.generated import GeneratedWeb

pytestmark = pytest.mark.filterwarnings("error::scrapy.exceptions.ScrapyDeprecationWarning")

ROBOTS = b"User-agent: *\nDisallow: /private/\n"
AGENTS = ("crosspost-test-a", "crosspost-test-b")


# -- the middleware on its own, as two workers would run it --------------------------------


def middleware(url: str, prefix: str, **settings) -> SharedRobotsTxt:
    settings = {"CROSSPOST_REDIS_URL": url, "CROSSPOST_REDIS_PREFIX": prefix,
                "ROBOTSTXT_OBEY": True, "DOWNLOAD_TIMEOUT": 5, **settings}  # fmt: skip
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    return SharedRobotsTxt.from_crawler(crawler)


def robots_request(url: str = "http://site.test/robots.txt") -> Request:
    # As Scrapy's robots.txt middleware sends it.
    return Request(url, priority=1000, meta={"dont_obey_robotstxt": True})


def answer(request: Request, status: int = 200, body: bytes = ROBOTS) -> Response:
    return TextResponse(request.url, status=status, body=body, request=request,
                        headers={"Content-Type": "text/plain; charset=utf-8"})  # fmt: skip


def test_one_worker_fetches_the_others_wait_for_its_copy(redis_url):
    first, second = middleware(redis_url, "pair"), middleware(redis_url, "pair")
    key = Keys("pair").robots("http://site.test:80")

    async def both() -> Response:
        fetch = robots_request()
        assert await first.process_request(fetch) is None  # it goes out
        assert fetch.meta[LOCK_META][0] == key
        waiting = asyncio.ensure_future(second.process_request(robots_request()))
        await asyncio.sleep(0.6)
        assert not waiting.done()  # polling while the first fetches
        first.process_response(fetch, answer(fetch))
        return await asyncio.wait_for(waiting, 5)

    shared = asyncio.run(both())
    assert isinstance(shared, TextResponse)
    assert (shared.status, shared.body, shared.text) == (200, ROBOTS, ROBOTS.decode())
    assert "shared" in shared.flags and "cached" in shared.flags
    assert shared.headers[b"Content-Type"] == b"text/plain; charset=utf-8"
    client = redis.Redis.from_url(redis_url)
    assert not client.exists(key + ":fetching")
    assert 86000 < client.ttl(key) <= 86400
    # What was served from Redis is not stored again.
    second.process_response(shared.request, shared)
    assert second.crawler.stats.get_value("crosspost/redis/robots_stored") is None
    assert second.crawler.stats.get_value("crosspost/redis/robots_shared") == 1
    assert first.crawler.stats.get_value("crosspost/redis/robots_stored") == 1


def test_pages_and_the_spiders_own_robots_request_are_left_alone(redis_url):
    mw = middleware(redis_url, "alone")
    for request in (
        Request("http://site.test/robots.txt"),  # sitemap discovery
        Request("http://site.test/page", meta={"dont_obey_robotstxt": True}),
    ):
        assert asyncio.run(mw.process_request(request)) is None
        assert LOCK_META not in request.meta
    assert not redis.Redis.from_url(redis_url).keys("alone:*")


@pytest.mark.parametrize("status", [503, 500, 429, 408])
def test_a_failing_robots_txt_is_not_shared(redis_url, status):
    prefix = f"fail{status}"
    first, second = middleware(redis_url, prefix), middleware(redis_url, prefix)
    fetch = robots_request()
    asyncio.run(first.process_request(fetch))
    first.process_response(fetch, answer(fetch, status, b"busy"))
    key = Keys(prefix).robots("http://site.test:80")
    client = redis.Redis.from_url(redis_url)
    assert not client.exists(key) and not client.exists(key + ":fetching")
    again = robots_request()
    assert asyncio.run(second.process_request(again)) is None  # the next worker fetches it
    assert again.meta[LOCK_META][0] == key


@pytest.mark.parametrize("status", [200, 404, 403])
def test_the_file_or_its_absence_is_shared(redis_url, status):
    prefix = f"ok{status}"
    first, second = middleware(redis_url, prefix), middleware(redis_url, prefix)
    fetch = robots_request("https://site.test/robots.txt")
    asyncio.run(first.process_request(fetch))
    first.process_response(fetch, answer(fetch, status))
    shared = asyncio.run(second.process_request(robots_request("https://site.test:443/robots.txt")))
    assert shared.status == status


def test_an_error_gives_the_lock_back(redis_url):
    first, second = middleware(redis_url, "error"), middleware(redis_url, "error")
    fetch = robots_request()
    asyncio.run(first.process_request(fetch))
    first.process_exception(fetch, TimeoutError("no answer"))
    assert not redis.Redis.from_url(redis_url).keys("error:*")
    again = robots_request()
    assert asyncio.run(second.process_request(again)) is None  # the next worker fetches it
    assert LOCK_META in again.meta


def test_a_redirected_fetch_is_stored_for_the_site_it_was_asked_of(redis_url):
    first, second = middleware(redis_url, "moved"), middleware(redis_url, "moved")
    fetch = robots_request()
    asyncio.run(first.process_request(fetch))
    # RedirectMiddleware's new request keeps the meta; its path may be anything.
    moved = fetch.replace(url="https://www.site.test/robots-2024.txt")
    assert asyncio.run(first.process_request(moved)) is None
    first.process_response(moved, answer(moved))
    shared = asyncio.run(second.process_request(robots_request()))
    assert shared.body == ROBOTS and shared.url == "http://site.test/robots.txt"


def test_the_setting_turns_it_off(redis_url):
    with pytest.raises(NotConfigured):
        middleware(redis_url, "off", CROSSPOST_REDIS_SHARED_ROBOTS=False)
    with pytest.raises(NotConfigured):
        middleware(redis_url, "off", ROBOTSTXT_OBEY=False)


PLANTED = {
    "a string": lambda c, k: c.set(k, "User-agent: *\nDisallow: /\n"),
    "no status": lambda c, k: c.hset(k, mapping={"body": ROBOTS, "type": "text/plain"}),
    "no body": lambda c, k: c.hset(k, mapping={"status": 200}),
    "a status that is not a number": lambda c, k: c.hset(k, mapping={"status": "2OO",
                                                                     "body": ROBOTS}),
    "a 5xx status": lambda c, k: c.hset(k, mapping={"status": 503, "body": ROBOTS}),
    "a huge body": lambda c, k: c.hset(k, mapping={"status": 200, "body": b"#" * (MAX_BODY + 1)}),
    "a huge status": lambda c, k: c.hset(k, mapping={"status": "2" * 10_000, "body": ROBOTS}),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_a_malformed_copy_is_ignored_with_a_warning(redis_url, kind, caplog):
    prefix = "planted-" + kind.replace(" ", "-")
    key = Keys(prefix).robots("http://site.test:80")
    client = redis.Redis.from_url(redis_url)
    PLANTED[kind](client, key)
    mw = middleware(redis_url, prefix)
    fetch = robots_request()
    with caplog.at_level(logging.WARNING, logger="crawler.distributed.robots"):
        assert asyncio.run(mw.process_request(fetch)) is None  # fetched by the worker itself
    (warning,) = [r.getMessage() for r in caplog.records]
    assert warning.startswith("Ignoring the copy of http://site.test/robots.txt in Redis")
    mw.process_response(fetch, answer(fetch))  # and a good copy replaces the bad one
    assert client.hgetall(key) == {b"status": b"200", b"body": ROBOTS,
                                   b"type": b"text/plain; charset=utf-8"}  # fmt: skip


def test_waiting_on_a_bad_copy_warns_once_and_fetches_when_the_lock_is_gone(redis_url, caplog):
    key = Keys("stale").robots("http://site.test:80")
    client = redis.Redis.from_url(redis_url)
    PLANTED["a 5xx status"](client, key)
    client.set(key + ":fetching", "another worker's token", px=800)  # it died fetching
    mw = middleware(redis_url, "stale")
    fetch = robots_request()
    with caplog.at_level(logging.WARNING, logger="crawler.distributed.robots"):
        assert asyncio.run(mw.process_request(fetch)) is None
    assert len(caplog.records) == 1
    assert fetch.meta[LOCK_META][0] == key
    assert mw.crawler.stats.get_value("crosspost/redis/robots_wait") >= 0.6


def test_a_huge_robots_txt_is_shared_up_to_a_line_end(redis_url):
    first, second = middleware(redis_url, "huge"), middleware(redis_url, "huge")
    fetch = robots_request()
    asyncio.run(first.process_request(fetch))
    lines = b"".join(b"Disallow: /section-%06d/\n" % n for n in range(30_000))  # 750 KB
    first.process_response(fetch, answer(fetch, 200, ROBOTS + lines))
    shared = asyncio.run(second.process_request(robots_request()))
    assert len(shared.body) <= MAX_BODY and shared.body.endswith(b"/\n")
    assert (ROBOTS + lines).startswith(shared.body)


# -- real workers crawling a loopback site -------------------------------------------------


class RobotsWeb(GeneratedWeb):
    """The generated web with every third article of each outlet disallowed (they are in the
    sitemaps, so a worker that did not obey would fetch them), and some outlets whose
    robots.txt answers 503."""

    def __init__(self, articles: int, outlets: int, failing: frozenset[int]) -> None:
        super().__init__(articles, outlets)
        self.failing = {f"gen{o}.test" for o in failing}
        self.disallowed = {f"gen{o}.test": {a.path for a in items[1::3]}
                           for o, items in self.by_outlet.items() if o not in failing}  # fmt: skip

    def respond(self, hostname: str, path: str):
        if path == "/robots.txt" and hostname in self.failing:
            return 503, b"busy\n", "text/plain", None
        if path != "/robots.txt" or hostname not in self.disallowed:
            return super().respond(hostname, path)
        rules = "".join(f"Disallow: {p}\n" for p in sorted(self.disallowed[hostname]))
        text = f"User-agent: *\n{rules}Sitemap: http://{hostname}/sitemap_index.xml\n"
        return 200, text.encode(), "text/plain", None


class _AgentHandler(_TimedHandler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        host = (parts.hostname or (self.headers.get("Host") or "").split(":")[0]).lower()
        self.server.agents.append((host, parts.path or "/", self.headers.get("User-Agent", "")))
        super().do_GET()


def serve(articles: int, outlets: int, failing: frozenset[int] = frozenset()) -> TimedWeb:
    web = TimedWeb(articles, outlets)
    web.server.web = RobotsWeb(articles, outlets, failing)
    web.server.agents = []
    web.server.RequestHandlerClass = _AgentHandler
    return web


def crawl(url: str, prefix: str, web: TimedWeb, agents: tuple[str, ...]) -> list[str]:
    """Push the web's outlets and crawl them with one worker per user agent; their logs."""
    push = crosspost(["crawl", "--redis", url, "--redis-prefix", prefix, "--push",
                      *web.start_urls()], web.proxy_url)  # fmt: skip
    finish(push, no_traceback=True)
    options = ["-s", "DOWNLOAD_DELAY=0.3", "-s", "AUTOTHROTTLE_ENABLED=False",
               "-s", "DOWNLOAD_TIMEOUT=10", "-s", "RETRY_TIMES=1",
               "-s", "RETRY_BACKOFF_BASE=0.2"]  # fmt: skip
    workers = [crosspost(["crawl", "--redis", url, "--redis-prefix", prefix, "--idle-exit", "3",
                          "--no-progress", "--verbose", "-s", f"USER_AGENT={agent}", *options],
                         web.proxy_url)
               for agent in agents]  # fmt: skip
    return [finish(w, no_traceback=True)[1] for w in workers]


def stat(log: str, name: str) -> int:
    found = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(found.group(1)) if found else 0


def test_two_workers_fetch_each_robots_txt_once_and_both_obey_it(redis_url):
    web = serve(articles=45, outlets=3, failing=frozenset({2}))
    try:
        logs = crawl(redis_url, "once", web, AGENTS)
    finally:
        web.close()
    log = list(web.server.agents)
    disallowed = web.server.web.disallowed
    robots = Counter(host for host, path, _ in log if path == "/robots.txt")
    assert robots["gen0.test"] == 1 and robots["gen1.test"] == 1, robots
    # Neither worker asked for a page its outlet's robots.txt disallows, whoever fetched it.
    asked = [(host, path) for host, path, _ in log if path in disallowed.get(host, ())]
    assert not asked, asked
    pages = Counter((host, agent) for host, path, agent in log if path != "/robots.txt")
    both = [h for h in ("gen0.test", "gen1.test") if all(pages[h, a] for a in AGENTS)]
    assert both, pages  # some outlet crawled by both workers on one fetch of its robots.txt
    assert sum(stat(w, "crosspost/redis/robots_shared") for w in logs) >= len(both)
    assert sum(len(disallowed[h]) for h in both) > 0
    # The 503 is not shared: every worker that crawled gen2 asked for its robots.txt itself.
    for agent in AGENTS:
        if pages["gen2.test", agent]:
            assert ("gen2.test", "/robots.txt", agent) in log, agent
    client = redis.Redis.from_url(redis_url)
    keys = Keys("once")
    assert client.hget(keys.robots("http://gen0.test:80"), "status") == b"200"
    assert client.hget(keys.robots("http://gen1.test:80"), "status") == b"200"
    assert not client.exists(keys.robots("http://gen2.test:80"))
    assert not client.keys("once:robots:*:fetching")


def test_a_worker_ignores_a_planted_copy_and_fetches_robots_txt_itself(redis_url):
    keys = Keys("bad")
    client = redis.Redis.from_url(redis_url)
    # A copy that would allow everything, with a status that is not one.
    client.hset(
        keys.robots("http://gen0.test:80"),
        mapping={"status": "two hundred", "body": b"User-agent: *\n"},
    )
    client.set(keys.robots("http://gen1.test:80"), "Disallow:")
    web = serve(articles=20, outlets=2)
    try:
        (log,) = crawl(redis_url, "bad", web, AGENTS[:1])
    finally:
        web.close()
    assert "Ignoring the copy of http://gen0.test/robots.txt in Redis" in log
    assert "Ignoring the copy of http://gen1.test/robots.txt in Redis" in log
    robots = Counter(host for host, path, _ in web.server.agents if path == "/robots.txt")
    assert robots == {"gen0.test": 1, "gen1.test": 1}
    disallowed = web.server.web.disallowed
    assert not [p for host, p, _ in web.server.agents if p in disallowed[host]]
    for host in ("gen0.test", "gen1.test"):
        assert client.hget(keys.robots(f"http://{host}:80"), "status") == b"200"
