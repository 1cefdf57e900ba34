"""Distributed crawl on Redis: one worker against two, the writer's ingest rate, and LSH query
latency with the index in Redis against in memory, same run.

A generated sample web (``crawler.sampleweb.generated``, 5,000 article pages by default) is
served on loopback by its own process, and a ``redis-server`` (Debian's package) runs on a
free loopback port with persistence off. For each crawl the start URLs are pushed, then the
workers (``crosspost crawl --redis``, no link following: sitemaps list every page) fetch and
extract while no writer runs, so the crawl rate is the workers' alone. The crawl rate is
measured on Redis's clock, from the first to the last page entering the items stream (worker
start-up and the final idle wait left out); wall time is shown too. Then the writer
(``crosspost ingest --from-redis``) stores each stream: with the LSH index in memory after the
one-worker crawl, in Redis after the two-worker crawl.

LSH latency: ``dedupe.index.LSHIndex`` over synthetic signatures (one in ten a near-copy of
an earlier one), queried with near-copies of indexed ones; p50/p99 of single queries.

    python benchmarks/bench_redis.py [--articles 5000] [--signatures 100000] [--quick]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "LOG_LEVEL": "WARNING",
    "CROSSPOST_REDIS_MAX_BACKLOG": "0",  # no writer runs during the crawl
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(tmp: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("Error: redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp)],
                            stdout=subprocess.DEVNULL)  # fmt: skip
    import redis

    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(150):
        try:
            client.ping()
            return proc, url
        except redis.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("Error: redis-server did not start")


def _cli(args: list[str], proxy: str | None = None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "no_proxy")}
    if proxy:
        env["http_proxy"] = proxy
    return subprocess.Popen([sys.executable, "-m", "crawler", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def _wait(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=3600)
    if proc.returncode != 0:
        sys.exit(f"Error: {' '.join(proc.args[2:5])} failed:\n{err[-3000:]}")
    return out


def _crawl(url: str, prefix: str, start: list[str], proxy: str, workers: int) -> dict:
    import redis

    _wait(_cli(["crawl", "--redis", url, "--redis-prefix", prefix, "--push", *start]))
    sets = [x for name, value in SETTINGS.items() for x in ("-s", f"{name}={value}")]
    started = time.monotonic()
    worker = ["crawl", "--redis", url, "--redis-prefix", prefix, "--idle-exit", "2",
              "--no-follow-links", "--no-follow-attribution", "--no-progress", *sets]  # fmt: skip
    procs = [_cli(worker, proxy) for _ in range(workers)]
    outputs = [_wait(p) for p in procs]
    wall = time.monotonic() - started
    client = redis.Redis.from_url(url)
    items = f"{prefix}:items"
    first, last = client.xrange(items, count=1), client.xrevrange(items, count=1)
    span = (int(last[0][0].split(b"-")[0]) - int(first[0][0].split(b"-")[0])) / 1000
    pages = client.xlen(items)
    per_worker = [int(re.search(r"pages fetched\s+(\d+)", o).group(1)) for o in outputs]
    return {"pages": pages, "span": span, "wall": wall, "rate": pages / span if span else 0,
            "per_worker": per_worker}  # fmt: skip


def _write(url: str, prefix: str, db: Path, *extra: str) -> dict:
    out = _wait(_cli(["ingest", "--db", str(db), "--from-redis", url, "--redis-prefix", prefix,
                      "--idle-exit", "1", *extra]))  # fmt: skip
    rate = float(re.search(r"rate ([\d.]+) pages/s \(([\d.]+) s storing", out).group(1))
    stored = int(re.search(r"(\d+) articles stored", out).group(1))
    matches = int(re.search(r"(\d+) matches found", out).group(1))
    return {"rate": rate, "articles": stored, "matches": matches}


def _signatures(n: int, seed: int = 3) -> list:
    """n signatures as datasketch LeanMinHash; one in ten is an earlier one with 20% of its
    values replaced (estimated Jaccard ~0.8), the rest independent."""
    from datasketch import LeanMinHash

    from dedupe.signature import SignatureParams

    params = SignatureParams()
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 2**32 - 1, size=(n, params.num_perm), dtype=np.uint64)
    for i in range(10, n, 10):
        values[i] = values[rng.integers(0, i)]
        changed = rng.random(params.num_perm) < 0.2
        values[i, changed] = rng.integers(0, 2**32 - 1, size=int(changed.sum()))
    return [LeanMinHash(seed=params.seed, hashvalues=v, scheme=params.scheme) for v in values]


def _near_copies(signatures: list, rng: np.random.Generator) -> list:
    """Each signature with 10% of its values replaced: what a lightly edited copy looks like."""
    from datasketch import LeanMinHash

    out = []
    for sig in signatures:
        values = np.array(sig.hashvalues, dtype=np.uint64)
        changed = rng.random(len(values)) < 0.1
        values[changed] = rng.integers(0, 2**32 - 1, size=int(changed.sum()))
        out.append(LeanMinHash(seed=sig.seed, hashvalues=values, scheme=sig.scheme))
    return out


def _lsh_latency(url: str | None, signatures: list, queries: list) -> dict:
    from crawler.distributed.lsh import clear_index, storage_config_for
    from dedupe.index import LSHIndex
    from dedupe.signature import SignatureParams
    from dedupe.verify import Thresholds

    config = storage_config_for(url, b"bench:lsh") if url else None
    index = LSHIndex(SignatureParams(), Thresholds().lsh, config)
    started = time.monotonic()
    index.insert_many(enumerate(signatures))
    insert = time.monotonic() - started
    times, hits = [], 0
    for minhash in queries:
        t0 = time.perf_counter()
        hits += len(index.query(minhash))
        times.append(time.perf_counter() - t0)
    memory = None
    if url:
        import redis

        client = redis.Redis.from_url(url)
        memory = client.info("memory")["used_memory"] / 2**20
        clear_index(client, b"bench:lsh")
    ms = np.array(times) * 1000
    return {
        "insert": insert,
        "p50": float(np.percentile(ms, 50)),
        "p99": float(np.percentile(ms, 99)),
        "hits": hits / len(queries),
        "memory": memory,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--outlets", type=int, default=5)
    parser.add_argument("--signatures", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="500 articles, 10,000 signatures")
    args = parser.parse_args(argv)
    articles = 500 if args.quick else args.articles
    n_signatures = 10_000 if args.quick else args.signatures
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler.sampleweb.generated", "--articles", str(articles),
         "--outlets", str(args.outlets)],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        redis_proc, url = _start_redis(Path(tmp))
        try:
            proxy = server.stdout.readline().strip()
            start = [f"http://gen{o}.test/" for o in range(args.outlets)]
            one = _crawl(url, "one", start, proxy, workers=1)
            two = _crawl(url, "two", start, proxy, workers=2)
            server.terminate()
            write_mem = _write(url, "one", Path(tmp) / "one.db")
            write_redis = _write(url, "two", Path(tmp) / "two.db", "--index-in-redis")
            signatures = _signatures(n_signatures)
            rng = np.random.default_rng(5)
            picks = rng.integers(0, n_signatures, size=2000)
            queries = _near_copies([signatures[i] for i in picks], rng)
            memory = _lsh_latency(None, signatures, queries)
            shared = _lsh_latency(url, signatures, queries)
        finally:
            server.terminate()
            server.wait(timeout=10)
            redis_proc.kill()
            redis_proc.wait(timeout=10)
    cores = os.cpu_count()
    print(f"redis benchmark: {articles} generated articles on {args.outlets} outlets, loopback, "
          f"{cores} cores, 1 extraction process per worker")  # fmt: skip
    print(f"{'crawl':<22} {'pages':>6} {'crawl s':>8} {'pages/s':>8} {'wall s':>7}  per worker")
    for name, row in (("1 worker", one), ("2 workers", two)):
        print(f"{name:<22} {row['pages']:>6} {row['span']:>8.1f} {row['rate']:>8.1f} "
              f"{row['wall']:>7.1f}  {row['per_worker']}")  # fmt: skip
    print(f"ratio 2 workers / 1 worker: {two['rate'] / one['rate']:.2f}x"
          + ("  (2 cores: the two workers and their extraction processes share them)"
             if cores and cores <= 2 else ""))  # fmt: skip
    print(f"{'writer':<22} {'pages/s':>8} {'articles':>9} {'matches':>8}")
    for name, row in (("LSH in memory", write_mem), ("LSH in Redis", write_redis)):
        print(f"{name:<22} {row['rate']:>8.1f} {row['articles']:>9} {row['matches']:>8}")
    print(f"{'LSH at ' + format(n_signatures, ',') + ' signatures':<30} {'insert s':>8} "
          f"{'p50 ms':>7} {'p99 ms':>7} {'hits':>5} {'Redis MB':>9}")  # fmt: skip
    for name, row in (("in memory", memory), ("Redis (loopback)", shared)):
        mb = f"{row['memory']:>9.0f}" if row["memory"] is not None else f"{'-':>9}"
        print(f"{name:<30} {row['insert']:>8.1f} {row['p50']:>7.3f} {row['p99']:>7.3f} "
              f"{row['hits']:>5.1f} {mb}")  # fmt: skip
    print(f"ratio Redis / memory p50: {shared['p50'] / memory['p50']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
