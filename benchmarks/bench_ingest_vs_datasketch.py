"""`crosspost ingest` against the plain datasketch script a researcher would write, on the
same JSONL corpus in the same run.

    python benchmarks/bench_ingest_vs_datasketch.py                  # 10k articles
    python benchmarks/bench_ingest_vs_datasketch.py --articles 2000  # the issue's size
    python benchmarks/bench_ingest_vs_datasketch.py --quick          # 2k
    python benchmarks/bench_ingest_vs_datasketch.py --articles 2000 --repeat 5  # medians

The corpus is `bench_ingest.py`'s (20% planted edited copies). The baseline reads the JSONL,
lower-cases and splits each text into words, hashes its 5-word shingles into a
`datasketch.MinHash` (128 permutations) with `update`, queries a `MinHashLSH` (threshold
0.5) and inserts it: candidates only, nothing verified, nothing stored. crosspost does the
whole path (`python -m crawler ingest --jobs N`): extraction of credits and dates, outlet
boilerplate, signatures, LSH and anchor candidates, exact verification, the SQLite store
with full-text search, and the stored decisions. Both times include start-up. The ratio is
baseline seconds over crosspost seconds (above 1: crosspost is faster). ``--repeat N`` runs
the two N times, alternating, and reports the median of each: on a busy machine one run
of either can take half as long again.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_ingest import generate, ingest  # noqa: E402

BASELINE = r"""
import json, sys
from datasketch import MinHash, MinHashLSH
lsh = MinHashLSH(threshold=0.5, num_perm=128)
pairs = 0
with open(sys.argv[1], encoding="utf-8") as corpus:
    for number, line in enumerate(corpus):
        record = json.loads(line)
        words = record["text"].lower().split()
        minhash = MinHash(num_perm=128)
        for i in range(max(1, len(words) - 4)):
            minhash.update(" ".join(words[i:i + 5]).encode("utf-8"))
        pairs += len(lsh.query(minhash))
        lsh.insert(number, minhash)
print(pairs)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="2k articles")
    parser.add_argument("--jobs", type=int, default=2, help="crosspost ingest --jobs")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each, alternated; the medians are reported")  # fmt: skip
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    n = 2_000 if args.quick else args.articles
    baselines, crossposts, peaks = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-vs-datasketch-") as tmp:
        workdir = Path(tmp)
        corpus = workdir / "corpus.jsonl"
        generate(corpus, n)
        for run in range(args.repeat):
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", BASELINE, str(corpus)], cwd=REPO,
                                  capture_output=True, text=True, check=True)  # fmt: skip
            baselines.append(time.perf_counter() - started)
            candidates = int(json.loads(done.stdout.strip()))
            db = workdir / f"ingest-{run}.db"
            seconds, peak = ingest(corpus, db, args.jobs)
            crossposts.append(seconds)
            peaks.append(peak)
            for path in workdir.glob(f"{db.name}*"):
                path.unlink()
            if args.repeat > 1:
                print(f"run {run + 1}: plain datasketch {baselines[-1]:.2f} s, crosspost "
                      f"{seconds:.2f} s ({baselines[-1] / seconds:.2f}x)")  # fmt: skip
    baseline, seconds, peak = (statistics.median(baselines), statistics.median(crossposts),
                               max(peaks))  # fmt: skip
    runs = f", median of {args.repeat} runs each" if args.repeat > 1 else ""
    print(f"\n{n:,} articles, same JSONL corpus, start-up included{runs}")
    print("| run | seconds | articles/s | what it produces |\n|---|---|---|---|")
    print(f"| plain datasketch script | {baseline:.1f} | {n / baseline:,.0f} | "
          f"{candidates:,} unverified candidate pairs |")  # fmt: skip
    print(f"| crosspost ingest --jobs {args.jobs} | {seconds:.1f} | {n / seconds:,.0f} | "
          f"verified matches, credits, decisions in SQLite (peak {peak / 2**20:,.0f} MiB) |")
    print(f"\ncrosspost / plain datasketch speed: {baseline / seconds:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
