"""Shared fixtures: the sample web on loopback, and real crawls run in a subprocess.

Crawls run in a subprocess because Twisted's reactor cannot be restarted inside one pytest
process; the sample web runs in a thread of this process so tests can read its request log.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.sampleweb import SampleWeb, truth

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"

# The sample web is on loopback: politeness delays would only slow the tests down.
FAST = [
    "-s", "DOWNLOAD_DELAY=0",
    "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s", "DOWNLOAD_TIMEOUT=10",
    "-s", "RETRY_TIMES=1",
]


def run_cli(args: list[str], *, proxy: str | None = None, timeout: float = 240,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"):
        env.pop(name, None)
    if proxy:
        env["http_proxy"] = proxy
    env["PYTHONWARNINGS"] = "error::DeprecationWarning:scrapy"
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        env=env, cwd=cwd or ROOT, capture_output=True, text=True, timeout=timeout,
    )


def rows(db: Path, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()


@pytest.fixture(scope="session")
def sample_web():
    with SampleWeb() as web:
        yield web


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A real redis-server on loopback, one per test module (``tests/redis_tools.py``)."""
    from redis_tools import redis_server

    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="session")
def full_crawl(sample_web, tmp_path_factory):
    """One crawl of every sample outlet, shared by the tests that only read its results."""
    db = tmp_path_factory.mktemp("crawl") / "crawl.db"
    before = len(sample_web.requests)
    result = run_cli(["crawl", "--db", str(db), *truth.start_urls(), *FAST],
                     proxy=sample_web.proxy_url)
    assert result.returncode == 0, result.stderr[-3000:]
    requests = list(sample_web.requests[before:])
    return db, result, requests
