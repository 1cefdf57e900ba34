"""Opening a store's matcher: rebuilt from every signature vs read from the index file.

    python benchmarks/bench_restart.py --db crosspost.db        # writes crosspost.db.index
    python benchmarks/bench_restart.py --articles 100000 --keep /tmp/bench
    python benchmarks/bench_restart.py --quick                  # 10k articles

Each measurement opens the store in a fresh process, as `crosspost crawl`, `ingest` and
`rematch` do (``StoreMatcher``), and reports the time to load the candidate indexes and the
whole open (which also reads the boilerplate model), the peak of Python and numpy
allocations while the indexes load and during the whole open (traced in a second process),
the resident memory the indexes added (mapped file pages included) and the process's peak:

- *rebuild*: no index file, the indexes are built from every stored signature (the
  baseline); that process then saves the index file, and the time to write it is reported;
- *index file*: the same store with the file just written, first with the boilerplate model
  as one JSON document in the state table (as stores kept it before), then with its pending
  paragraphs in ``<db>.boilerplate`` (the same model, written in each form before the open;
  the store is left in the second form);
- *index file, 1% changed*: 1% of the signatures rewritten after the file was saved (as by
  a run that stopped without finishing), re-indexed from their signatures at start-up.

Then the file's bytes per article, by structure, and the boilerplate model's in each form.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_ingest import add_store_options, store_for
from benchmarks.bench_memory import boilerplate_as

STRUCTURES = {
    "band postings": ("matcher.bands.runs.",),
    "anchor postings": ("matcher.anchors.runs.",),
    "key maps (bands, anchors)": ("matcher.bands.docs.", "matcher.anchors.docs."),
    "outlet of each article": ("matcher.keys", "matcher.outlets"),
    "matched-text digests": ("text_hashes",),
}


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def child(db: Path, mode: str, heap: bool) -> dict:
    """One measurement, in this (fresh) process. ``heap``: trace Python and numpy
    allocations while the indexes load (slows the load down: timed in another process)."""
    import tracemalloc

    from crawler.matching import StoreMatcher
    from crawler.store import Store

    result: dict = {}

    class Timed(StoreMatcher):
        def _load(self) -> None:
            rss = _rss_mb()
            if heap:  # the peak of the open so far (the boilerplate model), then the indexes'
                base, result["open_heap_mb"] = tracemalloc.get_traced_memory()
                tracemalloc.reset_peak()
            started = time.perf_counter()
            super()._load()
            result["index_seconds"] = time.perf_counter() - started
            if heap:
                result["heap_mb"] = (tracemalloc.get_traced_memory()[1] - base) / 2**20
                result["open_heap_mb"] = max(result["open_heap_mb"] / 2**20,
                                             tracemalloc.get_traced_memory()[1] / 2**20)  # fmt: skip
                tracemalloc.stop()
            result["rss_mb"] = _rss_mb() - rss

    with Store(db) as store:
        index = Path(f"{db}.index")
        if mode == "rebuild":
            index.unlink(missing_ok=True)
        if mode == "changed":
            n = store.db["signatures"].count // 100
            with store.transaction():
                store.db.execute(
                    "update signatures set text_hash = text_hash where article_id in "
                    "(select article_id from signatures order by article_id desc limit ?)",
                    [n],
                )
        if heap:
            tracemalloc.start()
        started = time.perf_counter()
        matching = Timed(store)
        result["seconds"] = time.perf_counter() - started
        result["source"] = matching.source
        result["indexed"] = len(matching.matcher)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if mode == "rebuild" and not heap:
            started = time.perf_counter()
            matching.save_index()
            result["write_seconds"] = time.perf_counter() - started
            result["file_bytes"] = index.stat().st_size
    return result


def measure(db: Path, mode: str) -> dict:
    found = {}
    # The heap is traced in a first process; the second one times the load, and for a
    # rebuild writes the file that the next modes read.
    for heap in (True, False):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, "--db", str(db),
             *(["--heap"] if heap else [])],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        row = json.loads(out.stdout.strip().splitlines()[-1])
        found.update(row if not heap else {k: row[k] for k in ("heap_mb", "open_heap_mb")})
    return found


def by_structure(db: Path) -> dict[str, int]:
    from dedupe.persist import read_index

    _, arrays = read_index(f"{db}.index", verify=False)
    sizes = dict.fromkeys(STRUCTURES, 0)
    for name, array in arrays.items():
        for structure, prefixes in STRUCTURES.items():
            if name.startswith(prefixes):
                sizes[structure] += array.nbytes
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_store_options(parser, 100_000)
    parser.add_argument("--child", choices=["rebuild", "file", "changed"], help=argparse.SUPPRESS)
    parser.add_argument("--heap", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.db, args.child, args.heap)))
        return 0
    db = store_for(args, 100_000, "bench-restart-")
    model = {"json": boilerplate_as(db, "json")}
    rows = [("rebuild from every signature (baseline), model as JSON", measure(db, "rebuild")),
            ("index file, model as JSON (before)", measure(db, "file"))]  # fmt: skip
    model["arrays"] = boilerplate_as(db, "arrays")
    rows += [("index file, model's pending paragraphs as arrays", measure(db, "file")),
             ("index file and model arrays, 1% of signatures changed since",
              measure(db, "changed"))]  # fmt: skip
    n = rows[0][1]["indexed"]
    print(f"\nopening the matcher of {db.name}: {n:,} indexed articles, same run")
    print("| indexes from | load indexes, s | whole open, s | heap peak (indexes), MB | heap "
          "peak (whole open), MB | resident after, MB | process peak, MB |\n"
          "|---|---:|---:|---:|---:|---:|---:|")  # fmt: skip
    for name, row in rows:
        print(f"| {name} | {row['index_seconds']:.2f} | {row['seconds']:.2f} | "
              f"{row['heap_mb']:,.0f} | {row['open_heap_mb']:,.0f} | {row['rss_mb']:,.0f} | "
              f"{row['peak_mb']:,.0f} |")  # fmt: skip
    print("\n| boilerplate model | in the state, bytes/article | file, bytes/article | "
          "saved in, s |\n|---|---:|---:|---:|")  # fmt: skip
    for form, (seconds, state_bytes, file_bytes) in model.items():
        print(f"| {form} | {state_bytes / n:,.0f} | {file_bytes / n:,.0f} | {seconds:.2f} |")
    rebuild = rows[0][1]
    print(f"\nindex file: {rebuild['file_bytes'] / 1e6:,.1f} MB, {rebuild['file_bytes'] / n:,.0f} "
          f"bytes/article, written in {rebuild['write_seconds']:.2f} s")  # fmt: skip
    print("| structure | bytes/article |\n|---|---:|")
    for name, size in by_structure(db).items():
        print(f"| {name} | {size / n:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
