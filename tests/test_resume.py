"""A crawl killed with SIGKILL at random moments resumes: nothing lost, nothing stored twice,
and pages already fetched are not fetched again (but for the few in flight at each kill)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter

from conftest import FAST, ROOT, rows, run_cli

from crawler import settings
from crawler.crawl.batching import MAX_PENDING_BATCHES
from crawler.sampleweb import truth

KILLS = 3
SEED = 20240229


def _env(proxy: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY"):
        env.pop(name, None)
    env["http_proxy"] = proxy
    return env


def _captures(db) -> int:
    if not db.exists():
        return 0
    try:
        return rows(db, "select count(*) as n from captures")[0]["n"]
    except sqlite3.OperationalError:  # not created yet, or locked for a moment
        return 0


def _page_fetches(requests) -> Counter:
    # robots.txt is read by every process (Scrapy's robots middleware); pages are what count.
    return Counter(f"http://{h}{p}" for h, p, _ in requests if not p.endswith("/robots.txt"))


def test_killed_crawl_resumes_to_the_same_store(sample_web, full_crawl, tmp_path):
    clean_db, _, clean_requests = full_crawl
    db = tmp_path / "killed.db"
    args = [sys.executable, "-m", "crawler", "crawl", "--db", str(db), *truth.start_urls(), *FAST]
    rng = random.Random(SEED)
    # Kill points, as the number of pages stored so far (a clean crawl stores ~300).
    points = sorted(rng.sample(range(10, 250), KILLS))
    before = len(sample_web.requests)
    killed = 0
    for point in points:
        proc = subprocess.Popen(args, cwd=ROOT, env=_env(sample_web.proxy_url),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if _captures(db) >= point:
                break
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.3))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait(timeout=30)
    assert killed, "the crawl finished before any kill: it is too fast for this test"
    final = run_cli(["crawl", "--db", str(db), *truth.start_urls(), *FAST],
                    proxy=sample_web.proxy_url)
    assert final.returncode == 0, final.stderr[-2000:]
    requests = sample_web.requests[before:]

    # no article lost, none stored twice
    stored = [r["url"] for r in rows(db, "select url from articles")]
    clean = {r["url"] for r in rows(clean_db, "select url from articles")}
    assert len(stored) == len(set(stored))
    assert set(stored) == clean == set(truth.all_article_urls())
    article_captures = Counter(r["url"] for r in rows(
        db, "select a.url from captures c join articles a on a.id = c.article_id "
            "where c.outcome = 'article'"))
    twice = {u: n for u, n in article_captures.items() if n > 1}
    assert len(twice) <= killed * 4, twice
    # the store's evidence matches the clean crawl's
    for table in ("attributions",):
        [a] = rows(db, f"select count(*) as n from {table}")
        [b] = rows(clean_db, f"select count(*) as n from {table}")
        assert a["n"] == b["n"], table

    # pages fetched again: only those in flight at a kill: downloading (CONCURRENT_REQUESTS),
    # fetched and waiting for extraction (SCRAPER_SLOT_MAX_ACTIVE_SIZE, ~30 pages here), or
    # in a batch not committed yet (CROSSPOST_COMMIT_EVERY): the one being filled and those
    # waiting for the writer process
    fetches = _page_fetches(requests)
    refetched = {u: n - 1 for u, n in fetches.items() if n > 1}
    in_flight = 48 + (1 + MAX_PENDING_BATCHES) * settings.CROSSPOST_COMMIT_EVERY
    assert sum(refetched.values()) <= killed * in_flight, refetched
    assert sum(refetched.values()) < 0.25 * sum(fetches.values())
    assert set(fetches) <= set(_page_fetches(clean_requests)) | set(truth.QUIRKS.values())

    # the job finished and every frontier entry is done
    [job] = rows(db, "select state from crawl_jobs")
    assert job["state"] == "finished"
    assert not rows(db, "select url from frontier where state != 'done'")
    runs = rows(db, "select finish_reason, args from crawls order by id")
    assert runs[-1]["finish_reason"] == "finished"
    # a kill during start-up may come before the run is recorded
    assert 2 <= len(runs) <= killed + 1
    assert all('"resumed": true' in run["args"] for run in runs[1:])
