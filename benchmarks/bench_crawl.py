"""Crawl throughput: crosspost's full pipeline against a fetch-only Scrapy spider, same run.

A generated sample web (``crawler.sampleweb.generated``, 5,000 article pages by default) is
served on loopback by its own process. Each crawler runs in its own subprocess, discovers the
pages through robots.txt and the sitemaps, and fetches every page:

- baseline: a bare Scrapy spider that fetches and discards (same politeness settings);
- crosspost: ``crosspost crawl`` — extraction in a worker process, storing and matching in the
  writer process, frontier;
- with ``--in-process-store``, also ``crosspost crawl -s CROSSPOST_STORE_PROCESS=False``
  (storing and matching in the crawling process), in the same run.

Prints pages/second, CPU per page (all processes of the crawl: the crawling process and the
extraction and writer processes it ends, user + system), peak memory (``ru_maxrss`` of the
crawling process alone) and the ratio. CPU per page hardly depends on what else the machine
runs; pages per second does.

    python benchmarks/bench_crawl.py [--articles 5000] [--quick] [--in-process-store]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "LOG_LEVEL": "WARNING",
    # crosspost's own setting (crawler/settings.py), given to the baseline too: Scrapy's default
    # of 100 costs the fetch-only spider a third of its CPU.
    "CONCURRENT_ITEMS": "8",
}


def _baseline_spider(start: list[str]) -> None:
    """The fetch-only crawl (runs in a subprocess): sitemaps, then every page, discarded."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.spiders import SitemapSpider

    class FetchOnly(SitemapSpider):
        name = "fetch_only"
        sitemap_urls = [u.rstrip("/") + "/robots.txt" for u in start]
        pages = 0

        def parse(self, response):
            FetchOnly.pages += 1
            return None

    process = CrawlerProcess({**SETTINGS, "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False,
                              "USER_AGENT": "crosspost-bench"})
    process.crawl(FetchOnly)
    process.start()
    print(FetchOnly.pages)


def _run(command: list[str], proxy: str) -> tuple[float, int, str, float]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "no_proxy")}
    env["http_proxy"] = proxy
    started = time.monotonic()
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - started
    out, err = proc.stdout.read(), proc.stderr.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"Error: {' '.join(command[:4])} failed:\n{err[-3000:]}")
    # wait4 counts the process and the children it waited for (extraction, writer).
    return elapsed, usage.ru_maxrss // 1024, out, usage.ru_utime + usage.ru_stime


def _crosspost(start: list[str], proxy: str, settings: dict[str, object], tmp: str,
               name: str) -> tuple[float, int, float, int, int, int]:  # fmt: skip
    """One ``crosspost crawl`` of the generated web: seconds, peak MB, CPU seconds, pages,
    articles and matches stored."""
    db = Path(tmp) / f"{name}.db"
    sets = [x for key, value in settings.items() for x in ("-s", f"{key}={value}")]
    seconds, peak, _, cpu = _run(
        [sys.executable, "-m", "crawler", "crawl", "--db", str(db), "--no-follow-links",
         "--no-follow-attribution", "--no-progress", *start, *sets], proxy)
    conn = sqlite3.connect(db)
    pages = conn.execute(
        "select count(*) from captures where status = 200 and outcome != 'listing'"
    ).fetchone()[0]
    stored = conn.execute("select count(*) from articles").fetchone()[0]
    matches = conn.execute("select count(*) from matches").fetchone()[0]
    conn.close()
    return seconds, peak, cpu, pages, stored, matches


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--outlets", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="500 articles")
    parser.add_argument("--extract-processes", type=int, default=1,
                        help="CROSSPOST_EXTRACT_PROCESSES for the full pipeline")
    parser.add_argument("--in-process-store", action="store_true",
                        help="also crawl with storing and matching in the crawling process")
    parser.add_argument("--baseline-worker", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline_worker is not None:
        _baseline_spider(args.baseline_worker)
        return 0
    articles = 500 if args.quick else args.articles
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler.sampleweb.generated", "--articles", str(articles),
         "--outlets", str(args.outlets)],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )
    rows = []
    try:
        proxy = server.stdout.readline().strip()
        start = [f"http://gen{o}.test/" for o in range(args.outlets)]
        base_time, base_mem, base_out, base_cpu = _run(
            [sys.executable, __file__, "--baseline-worker", *start], proxy)
        base_pages = int(base_out.strip().splitlines()[-1])
        rows.append(("fetch-only (Scrapy)", base_pages, base_time, base_cpu, base_mem))
        full_settings = {**SETTINGS, "CROSSPOST_EXTRACT_PROCESSES": args.extract_processes}
        variants = [("crosspost full", {})]
        if args.in_process_store:
            variants.append(("  store in-process", {"CROSSPOST_STORE_PROCESS": "False"}))
        counts = []
        with tempfile.TemporaryDirectory() as tmp:
            for n, (label, extra) in enumerate(variants):
                seconds, peak, cpu, pages, stored, matches = _crosspost(
                    start, proxy, {**full_settings, **extra}, tmp, f"run{n}")
                rows.append((label, pages, seconds, cpu, peak))
                counts.append((label.strip(), stored, matches))
    finally:
        server.terminate()
        server.wait(timeout=10)
    base_rate = base_pages / base_time
    print(f"crawl benchmark: {articles} generated articles on {args.outlets} outlets, loopback, "
          f"{os.cpu_count()} cores, extraction processes: {args.extract_processes}")
    print(f"{'crawler':<22} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'CPU ms/page':>12} "
          f"{'peak MB':>8} {'ratio':>6}")
    for label, pages, seconds, cpu, peak in rows:
        rate = pages / seconds
        print(f"{label:<22} {pages:>6} {seconds:>8.1f} {rate:>8.1f} {1000 * cpu / pages:>12.1f} "
              f"{peak:>8} {rate / base_rate:>5.2f}x")
    full_rate = rows[1][1] / rows[1][2]
    print(f"ratio full / fetch-only: {full_rate / base_rate:.2f}x  "
          + "; ".join(f"{label}: {stored} articles stored, {matches} matches"
                      for label, stored, matches in counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
