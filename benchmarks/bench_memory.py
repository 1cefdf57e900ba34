"""Memory a store's near-duplicate index holds per article, by structure.

    python benchmarks/bench_memory.py --db crosspost.db
    python benchmarks/bench_memory.py --articles 20000          # builds a store first
    python benchmarks/bench_memory.py --quick                   # 10k articles

Opens the store's matcher (`crawler.matching.StoreMatcher`, as crawl, ingest and rematch do)
under tracemalloc and groups what stays allocated by the module that allocated it: the LSH
bands (`dedupe.bands`), the anchor and band postings (`dedupe.postings`), the boilerplate
model (`dedupe.boilerplate`, bounded per outlet), and the rest. "peak" includes the
transient cost of loading (the boilerplate snapshot's JSON, the signature rows).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_ingest import add_store_options, store_for  # noqa: E402
from crawler.matching import StoreMatcher  # noqa: E402
from crawler.store import Store  # noqa: E402

STRUCTURES = {
    "dedupe/bands.py": "LSH bands (key maps)",
    "dedupe/postings.py": "band and anchor postings",
    "dedupe/boilerplate.py": "boilerplate model",
    "dedupe/index.py": "anchor index",
    "crawler/matching.py": "matched-text digests",
    "dedupe/matcher.py": "matcher (outlet of each article)",
}


def structure_of(filename: str) -> str:
    for suffix, name in STRUCTURES.items():
        if filename.endswith(suffix):
            return name
    return "other (numpy temporaries, SQLite rows)"


def measure(db: Path) -> tuple[int, dict[str, int], int]:
    # The matcher records its parameters in the store when it opens it, as every writer does.
    with Store(db) as store:
        n = store.db["signatures"].count
        gc.collect()
        tracemalloc.start(1)
        matcher = StoreMatcher(store)
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
        by_structure: dict[str, int] = defaultdict(int)
        for stat in tracemalloc.take_snapshot().statistics("filename"):
            by_structure[structure_of(stat.traceback[0].filename)] += stat.size
        tracemalloc.stop()
        del matcher
    return n, dict(by_structure), peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_store_options(parser, 20_000)
    args = parser.parse_args(argv)
    db = store_for(args, 20_000, "bench-memory-")
    n, by_structure, peak = measure(db)
    total = sum(by_structure.values())
    print(f"\nnear-duplicate index of {db.name}: {n:,} signed articles")
    print("| structure | bytes/article |\n|---|---|")
    for name, size in sorted(by_structure.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {size / max(n, 1):,.0f} |")
    print(f"| **held in all** | **{total / max(n, 1):,.0f}** |")
    print(f"| peak while loading | {peak / max(n, 1):,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
