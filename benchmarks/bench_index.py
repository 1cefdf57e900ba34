"""Memory and speed of the candidate indexes, per article: datasketch's MinHashLSH against
crosspost's BandIndex, and the anchor index, on the same signatures in the same run.

    python benchmarks/bench_index.py                 # 20k and 200k articles
    python benchmarks/bench_index.py --quick         # 20k
    python benchmarks/bench_index.py --sizes 1000000
    python benchmarks/bench_index.py --files OLD.db.index NEW.db.index  # saved indexes

With ``--files``, it reads the posting runs of saved index files (`<db>.index`, written at
the end of every run) and times `SortedRuns.lookup` of 40 stored and 40 random hashes,
2,000 times, on each file in turn in the same run: how the runs' layout (their number and
sizes) costs lookups on a store of yours.

Signatures: 128-value MinHash signatures in families of near-copies (each member differs
from its family's base in a random number of positions), so every band-sharing pattern
occurs; anchors: 45 random 64-bit values per article, as `dedupe.signature` samples them.
Memory is what tracemalloc sees allocated by building the index (numpy reports its arrays
to it); speed is measured in a second build without tracemalloc. "same candidates" checks
that BandIndex proposes exactly MinHashLSH's candidates for a sample of 500 queries. The
last line projects the bytes per article to 10M articles.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasketch import LeanMinHash, MinHashLSH  # noqa: E402

from dedupe.bands import BandIndex  # noqa: E402
from dedupe.index import AnchorIndex  # noqa: E402
from dedupe.verify import Thresholds  # noqa: E402

NUM_PERM = 128
ANCHORS = 45


def signatures(n: int, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    bases = rng.integers(0, 2**32, size=(max(n // 5, 1), NUM_PERM), dtype=np.uint64)
    values = bases[rng.integers(0, len(bases), size=n)]
    changed = rng.random((n, NUM_PERM)) < rng.random((n, 1))
    values[changed] = rng.integers(0, 2**32, size=int(changed.sum()), dtype=np.uint64)
    return values


def build_datasketch(values: np.ndarray, threshold: float) -> MinHashLSH:
    index = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    with index.insertion_session() as session:
        for key, row in enumerate(values):
            session.insert(key, LeanMinHash(seed=1, hashvalues=row, scheme="legacy"),
                           check_duplication=False)  # fmt: skip
    return index


def build_bands(values: np.ndarray, threshold: float) -> BandIndex:
    index = BandIndex(threshold, NUM_PERM)
    index.insert_many(enumerate(values))
    return index


def build_anchors(anchors: np.ndarray) -> AnchorIndex:
    index = AnchorIndex()
    for key, row in enumerate(anchors):
        index.add(key, row)
    index.query(anchors[0], 1)  # sorts the pending postings into runs
    return index


def measure(build, *args) -> tuple[object, float, float]:
    """(index, bytes allocated by the build, seconds of a build without tracing)."""
    gc.collect()
    started = time.perf_counter()
    index = build(*args)
    seconds = time.perf_counter() - started
    del index
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    index = build(*args)
    gc.collect()
    allocated = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return index, allocated, seconds


def query_times(query, rows: np.ndarray) -> tuple[float, float]:
    times = []
    for row in rows:
        started = time.perf_counter()
        query(row)
        times.append(time.perf_counter() - started)
    micros = np.array(times) * 1e6
    return float(np.percentile(micros, 50)), float(np.percentile(micros, 99))


def run(n: int, threshold: float) -> list[tuple]:
    values = signatures(n)
    sample = values[np.linspace(0, n - 1, 500, dtype=int)]
    reference, ref_bytes, ref_seconds = measure(build_datasketch, values, threshold)
    compact, bytes_, seconds = measure(build_bands, values, threshold)
    same = all(
        set(compact.query(row))
        == set(reference.query(LeanMinHash(seed=1, hashvalues=row, scheme="legacy")))
        for row in sample
    )
    ref_q = query_times(lambda r: reference.query(LeanMinHash(seed=1, hashvalues=r,
                                                               scheme="legacy")), sample)  # fmt: skip
    q = query_times(compact.query, sample)
    del reference
    anchors = np.random.default_rng(5).integers(0, 2**63, size=(n, ANCHORS), dtype=np.uint64)
    anchor_index, anchor_bytes, anchor_seconds = measure(build_anchors, anchors)
    aq = query_times(lambda r: anchor_index.query(r, 3), anchors[:500])
    return [
        ("datasketch MinHashLSH", n, ref_bytes / n, n / ref_seconds, *ref_q, "baseline"),
        ("BandIndex", n, bytes_ / n, n / seconds, *q, "yes" if same else "NO"),
        ("AnchorIndex", n, anchor_bytes / n, n / anchor_seconds, *aq, "-"),
    ]


def saved_runs(paths: list[str], lookups: int = 2000) -> None:
    """The posting runs of saved index files and the time of a lookup in each."""
    from dedupe.persist import read_index
    from dedupe.postings import SortedRuns

    print("| index file | postings | runs | largest runs (M postings) | µs a lookup of 80 keys |")
    print("|---|---|---:|---|---:|")
    for path in paths:
        _, arrays = read_index(path, verify=False)
        for name in ("bands", "anchors"):
            part = {k.split(".runs.")[1]: v for k, v in arrays.items()
                    if k.startswith(f"matcher.{name}.runs.")}  # fmt: skip
            runs = SortedRuns.from_arrays(part, 2**32)
            lengths = part["lengths"].tolist()
            stored = part["hashes"]
            rng = np.random.default_rng(1)
            keys = [np.concatenate([stored[rng.integers(0, len(stored), 40)],
                                    rng.integers(0, 2**63, 40, dtype=np.uint64)])
                    for _ in range(lookups)]  # fmt: skip
            for k in keys[:100]:  # the file's pages in the cache
                runs.lookup(k, 2000)
            started = time.perf_counter()
            for k in keys:
                runs.lookup(k, 2000)
            micros = (time.perf_counter() - started) / lookups * 1e6
            largest = ", ".join(f"{n / 1e6:.1f}" for n in sorted(lengths, reverse=True)[:4])
            print(f"| {path} ({name}) | {sum(lengths):,} | {len(lengths)} | {largest} "
                  f"| {micros:,.0f} |", flush=True)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,200000")
    parser.add_argument("--quick", action="store_true", help="20k articles only")
    parser.add_argument("--files", nargs="+", metavar="INDEX", help="saved index files to time")
    args = parser.parse_args(argv)
    if args.files:
        saved_runs(args.files)
        return 0
    sizes = [20_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    threshold = Thresholds().lsh
    b, r = BandIndex(threshold, NUM_PERM).b, BandIndex(threshold, NUM_PERM).r
    print(f"LSH threshold {threshold}: b={b} bands of r={r} rows; {ANCHORS} anchors an article")
    header = ("index", "articles", "bytes/article", "inserts/s", "query p50 µs",
              "query p99 µs", "same candidates")  # fmt: skip
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    rows = []
    for n in sizes:
        for row in run(n, threshold):
            rows.append(row)
            name, count, per, rate, p50, p99, same = row
            print(f"| {name} | {count:,} | {per:,.0f} | {rate:,.0f} | {p50:,.0f} | {p99:,.0f} "
                  f"| {same} |", flush=True)  # fmt: skip
    largest = max(sizes)
    per = {name: per for name, count, per, *_ in rows if count == largest}
    ratio = per["datasketch MinHashLSH"] / per["BandIndex"]
    both = per["BandIndex"] + per["AnchorIndex"]
    print(f"\nBandIndex uses 1/{ratio:.1f} of MinHashLSH's memory per article at {largest:,}; "
          f"bands + anchors at 10M articles: {both * 10_000_000 / 2**30:.1f} GiB "
          f"(MinHashLSH + anchors: "
          f"{(per['datasketch MinHashLSH'] + per['AnchorIndex']) * 10_000_000 / 2**30:.1f} GiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
