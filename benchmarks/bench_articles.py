"""Benchmark: `crosspost articles` streams, so its memory does not grow with the store.

    python benchmarks/bench_articles.py              # stores of 10,000 and 100,000 articles
    python benchmarks/bench_articles.py --quick      # 2,000 and 20,000
    python benchmarks/bench_articles.py --sizes 10000,1000000

Each store is made by `crosspost ingest --no-match` from the generated corpus of
bench_ingest.py (400–1,200-word articles). For each store the table gives the export's wall
time and peak RSS (JSONL with texts, and CSV without), and as the baseline from the same run
a process that loads every article row at once (`fetchall()`), as a non-streaming export
would.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_ingest import generate

# The child reports its own high-water mark (VmHWM, per address space, so not inflated by
# the parent's memory as getrusage's maxrss of a forked child is).
PEAK = """
import atexit, sys
def peak():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            sys.stderr.write('PEAK_KIB ' + line.split()[1] + chr(10))
atexit.register(peak)
"""
CLI = PEAK + """
import runpy
sys.argv = ['crosspost'] + sys.argv[1:]
runpy.run_module('crawler', run_name='__main__')
"""
LOAD_ALL = PEAK + """
import sqlite3
rows = sqlite3.connect(sys.argv[1]).execute('select * from articles').fetchall()
"""


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"Error: {' '.join(command[:5])} failed: {result.stderr[-2000:]}")
    kib = [int(line.split()[1]) for line in result.stderr.splitlines()
           if line.startswith("PEAK_KIB ")]
    return seconds, kib[-1] / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2k and 20k articles")
    parser.add_argument("--sizes", help="comma-separated store sizes (default 10k,100k)")
    parser.add_argument("--keep", type=Path, help="keep corpora and stores in this directory")
    args = parser.parse_args(argv)
    sizes = ([int(s) for s in args.sizes.split(",")] if args.sizes
             else [2_000, 20_000] if args.quick else [10_000, 100_000])
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-articles-"))
    workdir.mkdir(parents=True, exist_ok=True)
    crosspost = [sys.executable, "-c", CLI]
    print("\ncrosspost articles: wall time and peak RSS by store size")
    header = ("articles", "store", "JSONL export", "peak RSS", "CSV --no-text", "peak RSS",
              "load-all baseline", "peak RSS")
    widths = [9, 9, 13, 9, 14, 9, 18, 9]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)), flush=True)
    try:
        for n in sizes:
            corpus, db = workdir / f"corpus-{n}.jsonl", workdir / f"store-{n}.db"
            if not db.exists():
                generate(corpus, n)
                measure([*crosspost, "ingest", "--db", str(db), str(corpus), "--silent",
                         "--no-match"])
                corpus.unlink()
            jsonl = measure([*crosspost, "articles", "--db", str(db), "-o",
                             str(workdir / "out.jsonl")])
            flat = measure([*crosspost, "articles", "--db", str(db), "--no-text", "-o",
                            str(workdir / "out.csv")])
            base = measure([sys.executable, "-c", LOAD_ALL, str(db)])
            cells = [f"{n:,}", f"{db.stat().st_size / 2**20:,.0f} MiB",
                     f"{jsonl[0]:.1f} s", f"{jsonl[1]:.0f} MiB", f"{flat[0]:.1f} s",
                     f"{flat[1]:.0f} MiB", f"{base[0]:.1f} s", f"{base[1]:.0f} MiB"]
            print("  ".join(c.rjust(w) for c, w in zip(cells, widths)), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
