"""Memory a store's near-duplicate index holds per article, by structure.

    python benchmarks/bench_memory.py --db crosspost.db
    python benchmarks/bench_memory.py --articles 20000          # builds a store first
    python benchmarks/bench_memory.py --quick                   # 10k articles

Opens the store's matcher (`crawler.matching.StoreMatcher`, as crawl, ingest and rematch do)
under tracemalloc, in a fresh process, and groups what stays allocated by the module that
allocated it: the LSH bands (`dedupe.bands`), the anchor and band postings
(`dedupe.postings`), the boilerplate model (`dedupe.boilerplate`, bounded per outlet), and
the rest. "peak" includes the transient cost of loading (the signature rows, the boilerplate
model). Memory-mapped files (the index file, the boilerplate file) are page cache, not
counted here: see bench_restart.py for resident memory.

Two opens of the same store, same run: with the boilerplate model kept as one JSON document
in the state table (the baseline, as stores kept it before), and with its pending paragraphs
in ``<db>.boilerplate`` (the store's model is written in each form before its open, from the
same model; the store is left in the second form).
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_ingest import add_store_options, store_for

STRUCTURES = {
    "dedupe/bands.py": "LSH bands (key maps)",
    "dedupe/postings.py": "band and anchor postings",
    "dedupe/boilerplate.py": "boilerplate model",
    "dedupe/pending.py": "boilerplate model",
    "dedupe/index.py": "anchor index",
    "crawler/matching.py": "matched-text digests",
    "dedupe/matcher.py": "matcher (outlet of each article)",
}
FORMS = {
    "json": "boilerplate model as JSON in the state (baseline)",
    "arrays": "boilerplate model's pending paragraphs as arrays",
}


def structure_of(filename: str) -> str:
    for suffix, name in STRUCTURES.items():
        if filename.endswith(suffix):
            return name
    return "other (numpy temporaries, SQLite rows)"


def boilerplate_as(db: Path, form: str) -> tuple[float, int, int]:
    """Write the store's boilerplate model in ``form``: "json" (the whole model in the
    state table, no file) or "arrays" (pending paragraphs in ``<db>.boilerplate``).
    Returns the seconds the save took and the bytes in the state table and in the file.
    In another process: a process started later would inherit this one's peak memory."""
    out = subprocess.run([sys.executable, __file__, "--form", form, "--db", str(db)],
                         check=True, capture_output=True, text=True)  # fmt: skip
    seconds, state, file = json.loads(out.stdout.strip().splitlines()[-1])
    return seconds, state, file


def _write_form(db: Path, form: str) -> tuple[float, int, int]:
    from crawler.index_file import BOILERPLATE_KEY, load_boilerplate, save_boilerplate
    from crawler.store import Store

    file = Path(f"{db}.boilerplate")
    with Store(db) as store:
        model = load_boilerplate(store)
        if model is None:
            return 0.0, 0, 0
        started = time.perf_counter()
        if form == "json":
            store.set_state(BOILERPLATE_KEY, model.to_dict())
            file.unlink(missing_ok=True)
        else:
            model.changed = True
            save_boilerplate(store, model)
        seconds = time.perf_counter() - started
        state = store.db.execute(
            "select length(value) from state where key = ?", [BOILERPLATE_KEY]
        ).fetchone()[0]
    return seconds, state, file.stat().st_size if file.exists() else 0


def measure(db: Path) -> dict:
    """One open of the store's matcher under tracemalloc, in this process."""
    from crawler.matching import StoreMatcher
    from crawler.store import Store

    # The matcher records its parameters in the store when it opens it, as every writer does.
    with Store(db) as store:
        n = store.db["signatures"].count
        gc.collect()
        tracemalloc.start(1)
        started = time.perf_counter()
        matcher = StoreMatcher(store)
        seconds = time.perf_counter() - started
        gc.collect()
        _, peak = tracemalloc.get_traced_memory()
        by_structure: dict[str, int] = defaultdict(int)
        for stat in tracemalloc.take_snapshot().statistics("filename"):
            by_structure[structure_of(stat.traceback[0].filename)] += stat.size
        tracemalloc.stop()
        source = matcher.source
        del matcher
    return {"n": n, "by_structure": by_structure, "peak": peak, "seconds": seconds,
            "source": source}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_store_options(parser, 20_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--form", choices=FORMS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.form:
        print(json.dumps(_write_form(args.db, args.form)))
        return 0
    if args.child:
        print(json.dumps(measure(args.db)))
        return 0
    db = store_for(args, 20_000, "bench-memory-")
    found = {}
    for form in FORMS:
        boilerplate_as(db, form)
        out = subprocess.run([sys.executable, __file__, "--child", "--db", str(db)],
                             check=True, capture_output=True, text=True)  # fmt: skip
        found[form] = json.loads(out.stdout.strip().splitlines()[-1])
    n = max(found["json"]["n"], 1)
    print(f"\nnear-duplicate index of {db.name}: {n:,} signed articles, indexes from "
          f"{found['json']['source']}, same run")  # fmt: skip
    print("| bytes/article | " + " | ".join(FORMS.values()) + " |\n|---|---:|---:|")
    names = sorted({k for f in found.values() for k in f["by_structure"]},
                   key=lambda k: -found["json"]["by_structure"].get(k, 0))  # fmt: skip
    for name in names:
        cells = [f"{f['by_structure'].get(name, 0) / n:,.0f}" for f in found.values()]
        print(f"| {name} | " + " | ".join(cells) + " |")
    totals = [f"**{sum(f['by_structure'].values()) / n:,.0f}**" for f in found.values()]
    print("| **held in all** | " + " | ".join(totals) + " |")
    print("| peak while loading | " + " | ".join(f"{f['peak'] / n:,.0f}" for f in found.values())
          + " |")  # fmt: skip
    print("| open, s (traced) | " + " | ".join(f"{f['seconds']:.2f}" for f in found.values())
          + " |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
