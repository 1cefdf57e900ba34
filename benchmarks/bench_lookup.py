"""Latency of one provenance lookup on a large store: in the process, cold and warm page
cache, and the CLI's answer minus its start-up.

    python benchmarks/bench_lookup.py --articles 100000 --keep /tmp/bench   # builds the store
    python benchmarks/bench_lookup.py --db /tmp/bench/ingest-1000000.db     # an existing one
    python benchmarks/bench_lookup.py --quick                               # 10k articles

The store is built by `bench_ingest.py`'s generator and `crosspost ingest` (20% planted
copies, so a lookup often answers a family). Queries: 300 stored article URLs drawn at
random with a fixed seed. "cold" evicts the database file from the page cache first
(posix_fadvise DONTNEED on the file and its WAL, which needs no privileges) and opens a
new Store; "warm" repeats the same queries on an open Store. The CLI rows run
`crosspost lookup URL --json` 100 times, each in a fresh interpreter that times its own
start-up (the interpreter and `import crawler.cli`) apart from the command's answer (the
command's own imports, opening the store, the lookup, the JSON): subtracting a separate
`crosspost --version` run's time left only start-up jitter (tens of ms) at the p99. Then 100
lookups of URLs not in the store (another host, same path) in text form, which suggests
stored URLs of the same path.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_ingest import add_store_options, store_for  # noqa: E402
from crawler.lookup import lookup_url  # noqa: E402
from crawler.store import Store  # noqa: E402

QUERIES = 300
CLI_RUNS = 100


def evict(db: Path) -> None:
    for path in (db, db.with_name(db.name + "-wal")):
        if path.exists():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def percentiles(seconds: list[float]) -> tuple[float, float, float]:
    ms = np.array(seconds) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99)), float(ms.max())


def in_process(db: Path, urls: list[str]) -> dict[str, tuple[float, float, float]]:
    rows = {}
    cold = []
    for url in urls:
        evict(db)
        started = time.perf_counter()
        with Store(db, readonly=True) as store:
            lookup_url(store, url)
        cold.append(time.perf_counter() - started)
    rows["in process, cold cache (open + lookup)"] = percentiles(cold)
    with Store(db, readonly=True) as store:
        for url in urls:  # the first pass warms the page cache and SQLite's own
            lookup_url(store, url)
        warm = []
        for url in urls:
            started = time.perf_counter()
            lookup_url(store, url)
            warm.append(time.perf_counter() - started)
    rows["in process, warm cache"] = percentiles(warm)
    return rows


# Run in a fresh interpreter per query: the start-up (interpreter and `import crawler.cli`)
# is timed apart from the command's answer (its own imports, opening the store, the lookup,
# the JSON), so that the start-up's jitter (tens of milliseconds from run to run) does not
# hide the answer's.
_CLI_RUN = """
import contextlib, io, json, sys, time
started = time.perf_counter()
import crawler.cli
imported = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    try:
        crawler.cli.cli.main(sys.argv[1:], standalone_mode=False)
    except SystemExit:
        pass
done = time.perf_counter()
print(json.dumps([imported - started, done - imported]), file=sys.stderr)
"""


def cli(db: Path, urls: list[str]) -> dict[str, tuple[float, float, float]]:
    def run(args: list[str]) -> tuple[float, float]:
        proc = subprocess.run([sys.executable, "-c", _CLI_RUN, *args], cwd=REPO, check=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
        startup, answer = json.loads(proc.stderr.strip().splitlines()[-1])
        return startup, answer

    stored = [run(["lookup", url, "--json", "--db", str(db)]) for url in urls[:CLI_RUNS]]
    # A mistyped or moved URL: the text answer suggests stored URLs of the same path.
    missing = [run(["lookup", url.replace("://", "://moved.", 1), "--db", str(db)])
               for url in urls[:CLI_RUNS]]  # fmt: skip
    startup = percentiles([s for s, _ in stored + missing])
    return {
        f"CLI start-up: interpreter and `import crawler.cli` ({CLI_RUNS * 2} runs)": startup,
        f"CLI answer after start-up, stored URL, --json ({CLI_RUNS} runs)":
            percentiles([a for _, a in stored]),
        f"CLI answer after start-up, URL not stored, with suggestions ({CLI_RUNS} runs)":
            percentiles([a for _, a in missing]),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_store_options(parser, 100_000)
    args = parser.parse_args(argv)
    db = store_for(args, 100_000, "bench-lookup-")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    urls = [u for (u,) in conn.execute("select url from articles")]
    conn.close()
    random.Random(1).shuffle(urls)
    urls = urls[:QUERIES]
    print(f"\ncrosspost lookup latency, {len(urls)} queries on {db.name} "
          f"({db.stat().st_size / 2**20:,.0f} MiB)")  # fmt: skip
    print("| case | p50 ms | p99 ms | max ms |\n|---|---|---|---|")
    for name, (p50, p99, worst) in {**in_process(db, urls), **cli(db, urls)}.items():
        print(f"| {name} | {p50:.1f} | {p99:.1f} | {worst:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
