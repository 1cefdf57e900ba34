"""HTTP API throughput and latency: ``/api/provenance`` on a store of 100,000 articles.

    python benchmarks/bench_serve.py            # 100,000 articles, 3,000 requests per endpoint
    python benchmarks/bench_serve.py --quick    # 5,000 articles, 400 requests

Builds a synthetic store with bulk SQL (outlets, articles in story families of 2-6 members
linked by text matches, credit lines on half the copies; full-text index included), starts
``crosspost serve`` on 127.0.0.1 in a subprocess, and drives it with a bounded asyncio/httpx
load generator (fixed request count, fixed concurrency, loopback only). ``/api/health``,
which touches no store, is the baseline: the framework's and server's own ceiling measured in
the same run. Prints requests/second and p50/p99 latency per endpoint.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.store import Store

#: Indexes the lookup's queries need on a big store (site names for the outlet directory,
#: fetched URLs and declared canonicals for URL variants), added for the second measurement.
INDEXES = (
    "create index if not exists bench_articles_sitename on articles(sitename, outlet)",
    "create index if not exists bench_articles_fetched_url on articles(fetched_url)",
    "create index if not exists bench_articles_declared on articles(declared_canonical)",
    "create index if not exists bench_captures_final_url on captures(final_url)",
)
WORDS = ["ceasefire", "border", "ministry", "talks", "oil", "output", "sanctions", "strike", "harbour", "election", "court", "drone", "convoy", "summit", "pipeline", "grain", "tariff", "protest", "minister", "envoy", "treaty"]


def build_store(path: Path, n_articles: int, seed: int = 7) -> list[str]:
    """A store of ``n_articles`` in story families; returns the URLs of family members."""
    rng = random.Random(seed)
    Store(path).close()  # the schema
    outlets = [f"outlet{i:03d}.example" for i in range(60)]
    articles, matches, attributions, family_urls = [], [], [], []
    article_id = 0
    while article_id < n_articles:
        size = rng.choice((1, 1, 2, 3, 4, 6))
        members = rng.sample(outlets, size)
        day = rng.randrange(0, 1500)
        topic = " ".join(rng.choices(WORDS, k=8))
        origin_id = article_id + 1
        for k, outlet in enumerate(members):
            article_id += 1
            url = f"https://{outlet}/{2020 + day // 365}/story-{article_id}/"
            published = f"{2020 + day // 365}-{1 + (day % 365) // 31:02d}-{1 + day % 28:02d}T{(k * 3) % 24:02d}:00:00+00:00"
            text = f"{topic}. " * 12 + f"Article {article_id} of {outlet}."
            articles.append((article_id, url, url, outlet, f"{topic.title()} {article_id}",
                             published, "json-ld", text, f"h{article_id}", "[]", published,
                             published))
            if size > 1:
                family_urls.append(url)
            if k:
                matches.append((article_id, origin_id, round(rng.uniform(0.6, 1.0), 3),
                                0.95, 0.9, "near-duplicate", published))
                if k % 2:
                    attributions.append((article_id, "original-source",
                                         f"The original source of this article is {members[0]}",
                                         members[0], None, members[0]))
            if article_id >= n_articles:
                break
    conn = Store(path).db.conn
    conn.execute("BEGIN")
    conn.executemany("insert into outlets (domain, name, first_seen, last_seen) values (?,?,?,?)",
                     [(o, o.split(".")[0].title(), "2024-01-01", "2024-01-01") for o in outlets])
    conn.executemany(
        "insert into articles (id, url, fetched_url, outlet, title, published_at, date_source, "
        "text, text_hash, attribution_lines, first_seen, last_seen) "
        "values (?,?,?,?,?,?,?,?,?,?,?,?)", articles)
    conn.executemany(
        "insert or ignore into matches (a, b, jaccard, containment_a_in_b, containment_b_in_a, "
        "kind, found_at) values (?,?,?,?,?,?,?)", matches)
    conn.executemany(
        "insert into attributions (article_id, kind, sentence, name, url, outlet) "
        "values (?,?,?,?,?,?)", attributions)
    conn.execute("COMMIT")
    conn.close()
    return family_urls


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    proc = subprocess.Popen([sys.executable, "-m", "crawler", "serve", "--db", str(db),
                             "--port", "0"], stdout=subprocess.PIPE, text=True, env=env,
                            cwd=REPO)
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(60)
    if not line or not line[0].startswith("http://127.0.0.1:"):
        proc.kill()
        sys.exit("Error: crosspost serve did not start")
    url = line[0].strip().rstrip("/")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("Error: crosspost serve did not answer")


async def load(base: str, paths: list[str], concurrency: int) -> tuple[float, list[float], int]:
    """Send every path once with ``concurrency`` workers; (seconds, latencies, errors)."""
    latencies: list[float] = []
    errors = 0
    queue = list(reversed(paths))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal errors
            while queue:
                path = queue.pop()
                started = time.perf_counter()
                response = await client.get(path)
                latencies.append(time.perf_counter() - started)
                if response.status_code >= 500 or response.status_code not in (200, 404):
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started, latencies, errors


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 articles, 400 requests")
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    n_articles = args.articles or (5_000 if args.quick else 100_000)
    n_requests = args.requests or (400 if args.quick else 3_000)
    rng = random.Random(11)
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        db = Path(tmp) / "bench.db"
        started = time.perf_counter()
        urls = build_store(db, n_articles)
        print(f"store: {n_articles:,} articles, {len(urls):,} in families, built in "
              f"{time.perf_counter() - started:.1f} s; {n_requests:,} requests per endpoint, "
              f"concurrency {args.concurrency}, loopback", flush=True)
        proc, base = start_server(db)
        try:
            rows: list[tuple[str, int]] = []
            baseline = 0.0
            print(f"\n{'endpoint':40} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
                  f"{'vs base':>8} {'errors':>6}", flush=True)

            def measure(name: str, paths: list[str], concurrency: int) -> None:
                nonlocal baseline
                seconds, latencies, errors = asyncio.run(load(base, paths, concurrency))
                rps = len(paths) / seconds
                rows.append((name, errors))
                baseline = baseline or rps
                p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
                print(f"{name:40} {len(paths):8d} {rps:8.0f} {p50:8.1f} {p99:8.1f} "
                      f"{rps / baseline:8.2f} {errors:6d}", flush=True)

            measure("/api/health (baseline)", ["/api/health"] * n_requests, args.concurrency)
            # As the store is today: every lookup reads the outlet directory, which scans the
            # articles table for site names; a few requests show the cost.
            measure("/api/provenance (store as is)", [
                "/api/provenance?url=" + quote(rng.choice(urls), safe="")
                for _ in range(min(24, n_requests))], 4)
            conn = sqlite3.connect(db)
            for sql in INDEXES:
                conn.execute(sql)
            conn.commit()
            conn.close()
            cases = {
                "/api/provenance (+ indexes)": [
                    "/api/provenance?url=" + quote(rng.choice(urls), safe="")
                    for _ in range(n_requests)],
                # an unknown URL is looked for under all its variants, in every URL column
                "/api/provenance (+ indexes, unknown 404)": [
                    f"/api/provenance?url=https%3A%2F%2Fnowhere.example%2F{i}"
                    for i in range(max(50, n_requests // 10))],
                "/api/search (2 words)": [
                    "/api/search?per_page=10&q=" + "+".join(rng.sample(WORDS, 2))
                    for _ in range(max(50, n_requests // 4))],
            }
            asyncio.run(load(base, cases["/api/provenance (+ indexes)"][:50], 4))  # warm-up
            for name, paths in cases.items():
                measure(name, paths, args.concurrency)
        finally:
            proc.terminate()
            proc.wait(10)
    return 1 if any(row[1] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
