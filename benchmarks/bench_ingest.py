"""End-to-end speed of `crosspost ingest` on a generated corpus, and how it grows with size.

    python benchmarks/bench_ingest.py                    # 10k, 100k and 1M articles
    python benchmarks/bench_ingest.py --quick            # 10k only
    python benchmarks/bench_ingest.py --sizes 10000,50000 --jobs 2 --keep /tmp/bench

Corpus: JSONL generated with a fixed seed from real English words (the vocabulary and word
frequencies of the ArticleComparisons articles; Python's own docstrings when
../shared/data is absent): 400-1,200-word articles in paragraphs from 500 outlets, each
outlet closing its articles with its own footer line (boilerplate to learn); 20% of the
articles are planted copies of a recent article of another outlet, edited (a paragraph
dropped, two swapped, 2% of the words changed, a third cut off, an intro and a credit line
added).

Each size runs ``python -m crawler ingest`` in a subprocess on a fresh database and reports
articles per second, the peak memory of the ingest (ru_maxrss of the process tree, from
wait4), and the stored matches against the planted copies: a planted pair is found when
its two articles are matched; a match is "outside" when its articles belong to different
story families (copies of one origin do match each other). "CPU ms/art" is the CPU time of
the whole process tree per article; "storing ms/art" that of the process that stores and
matches in input order (recorded by the ingest on its run's row), the ingest's bound when
there are cores enough for its workers. The last column is the cost per article relative to
the first row of the run: 1.0 everywhere is linear growth.

``--baseline REV`` ingests each corpus with the code of a git revision too (unpacked with
``git archive``), alternating with the current code ``--repeat`` times: the same corpus on
the same machine in the same run, so the two can be compared.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.common import MULTIOUTLET

SIZES = (10_000, 100_000, 1_000_000)
OUTLETS = 500
COPY_SHARE = 0.2
RECENT = 5_000  # copies are made of one of the last RECENT originals


def vocabulary() -> tuple[list[str], np.ndarray]:
    counts: collections.Counter[str] = collections.Counter()
    source = MULTIOUTLET / "helsinki_articles.csv"
    if source.exists():
        counts.update(re.findall(r"[A-Za-z][a-z']+", source.read_text("utf-8")))
    else:
        import pydoc

        for module in list(sys.modules.values())[:300]:
            counts.update(re.findall(r"[A-Za-z][a-z']+", pydoc.getdoc(module) or ""))
    words = [w for w, _ in counts.most_common(30_000)]
    cum = np.cumsum([counts[w] for w in words], dtype=float)
    return words, cum / cum[-1]


def generate(path: Path, n: int, seed: int = 7) -> list[tuple[int, int]]:
    """Write n articles as JSONL; returns the planted (copy, origin) index pairs."""
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    words, cum = vocabulary()
    recent: collections.deque[tuple[int, int, list[str]]] = collections.deque(maxlen=RECENT)
    planted: list[tuple[int, int]] = []
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            outlet = rng.randrange(OUTLETS)
            if recent and rng.random() < COPY_SHARE:
                origin, origin_outlet, paras = rng.choice(recent)
                if origin_outlet == outlet:
                    outlet = (outlet + 1) % OUTLETS
                paras = list(paras)
                if len(paras) > 4 and rng.random() < 0.5:
                    del paras[rng.randrange(len(paras))]
                if rng.random() < 0.5:
                    j = rng.randrange(len(paras) - 1)
                    paras[j], paras[j + 1] = paras[j + 1], paras[j]
                paras = [
                    " ".join(w if rng.random() > 0.02 else rng.choice(words) for w in p.split())
                    for p in paras
                ]
                if rng.random() < 0.3:
                    paras = paras[: max(2, len(paras) * 2 // 3)]
                paras = ["Republished with permission."] + paras + [f"Source: news{origin_outlet}.test"]
                planted.append((i, origin))
            else:
                total = rng.randint(400, 1200)
                tokens = [words[k] for k in np.searchsorted(cum, nprng.random(total))]
                paras, k = [], 0
                while k < total:
                    step = rng.randint(30, 80)
                    paras.append(" ".join(tokens[k : k + step]).capitalize() + ".")
                    k += step
                recent.append((i, outlet, paras))
            footer = f"Follow News {outlet} on social media for the latest stories from our newsroom and partners."
            record = {
                "url": f"https://news{outlet}.test/story/{i}",
                "title": f"Story {i}",
                "published_at": "2024-01-01T00:00:00+00:00",
                "text": "\n".join([*paras, footer]),
            }
            out.write(json.dumps(record) + "\n")
    return planted


def ingest(path: Path, db: Path, jobs: int, tree: Path = REPO) -> tuple[float, int]:
    """(seconds, peak RSS in bytes) of one `crosspost ingest` run of the code in ``tree``."""
    seconds, peak, _cpu = ingest_measured(path, db, jobs, tree)
    return seconds, peak


def ingest_measured(path: Path, db: Path, jobs: int, tree: Path = REPO) -> tuple[float, int, float]:
    """(seconds, peak RSS in bytes, CPU seconds of the whole process tree) of one run."""
    command = [sys.executable, "-m", "crawler", "ingest", "--silent", "--jobs", str(jobs),
               "--db", str(db), str(path)]  # fmt: skip
    log = db.with_suffix(".log")
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=tree, stdout=out, stderr=subprocess.STDOUT)
        # wait4 gives this process's rusage with its reaped workers (RUSAGE_BOTH), so the
        # peak is the largest process of this run alone.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"Error: ingest failed:\n{log.read_text()[-3000:]}")
    return elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def storing_cpu(db: Path) -> float | None:
    """CPU seconds of the ingest's storing process, as its run recorded them (None for code
    that did not record them)."""
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("select stats from crawls order by id desc limit 1").fetchone()
    finally:
        conn.close()
    value = json.loads(row[0] or "{}").get("cpu_seconds") if row else None
    return float(value) if value is not None else None


def checkout(rev: str, into: Path) -> Path:
    """The project's code at git revision ``rev``, unpacked in ``into`` (the baseline)."""
    archive = subprocess.run(["git", "archive", rev], cwd=REPO, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def store_for(args: argparse.Namespace, default_size: int, prefix: str) -> Path:
    """The store a benchmark of stores works on: ``--db``, or one of ``--articles`` (10k with
    ``--quick``) built from this corpus in ``--keep`` (kept) or a temporary folder."""
    if args.db is not None:
        if not args.db.exists():
            sys.exit(f"Error: {args.db} does not exist")
        return args.db
    n = 10_000 if args.quick else (args.articles or default_size)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix=prefix))
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"ingest-{n}.db"
    if not db.exists():
        corpus = workdir / f"corpus-{n}.jsonl"
        generate(corpus, n)
        seconds, _ = ingest(corpus, db, jobs=2)
        print(f"built {db} ({n:,} articles) in {seconds:,.0f} s")
    return db


def add_store_options(parser: argparse.ArgumentParser, default_size: int) -> None:
    parser.add_argument("--db", type=Path, help="an existing store")
    parser.add_argument("--articles", type=int, default=default_size,
                        help="size of the store built when no --db is given")  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="a 10k-article store")
    parser.add_argument("--keep", type=Path, help="build the store in this directory, keep it")


def evaluate(db: Path, n: int, planted: list[tuple[int, int]]) -> dict[str, int]:
    conn = sqlite3.connect(db)
    story = {}
    for article_id, url in conn.execute("select id, url from articles"):
        story[article_id] = int(url.rsplit("/", 1)[1])
    root = list(range(n))
    for copy, origin in planted:
        root[copy] = root[origin]
    matched = set()
    outside = 0
    for a, b in conn.execute("select a, b from matches"):
        x, y = story[a], story[b]
        matched.add((x, y))
        matched.add((y, x))
        outside += root[x] != root[y]
    found = sum((c, o) in matched for c, o in planted)
    total = conn.execute("select count(*) from matches").fetchone()[0]
    articles = conn.execute("select count(*) from articles").fetchone()[0]
    conn.close()
    return {"articles": articles, "matches": total, "found": found, "outside": outside}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k articles only")
    parser.add_argument("--sizes", help="comma-separated corpus sizes (default 10k,100k,1M)")
    parser.add_argument("--jobs", type=int, default=2, help="ingest --jobs (default 2)")
    parser.add_argument("--keep", type=Path, help="keep corpora and databases in this directory")
    parser.add_argument("--baseline", metavar="REV",
                        help="also ingest each corpus with the code of this git revision, "
                             "alternating with the current code (same corpus, same run)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each code per size, alternated (default 1)")  # fmt: skip
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else (
        [SIZES[0]] if args.quick else list(SIZES)
    )  # fmt: skip
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    workdir.mkdir(parents=True, exist_ok=True)
    trees = {"now": REPO}
    if args.baseline:
        trees = {args.baseline[:10]: checkout(args.baseline, Path(tempfile.mkdtemp(
            prefix="bench-ingest-baseline-"))), "now": REPO}  # fmt: skip
    header = ("code", "articles", "JSONL", "generate", "ingest", "articles/s", "peak RSS",
              "CPU ms/art", "storing ms/art", "matches", "planted found", "recall", "outside",
              "cost/article")  # fmt: skip
    widths = [10, 9, 8, 8, 8, 10, 9, 10, 14, 9, 17, 6, 7, 12]
    # Rows are printed as each size finishes: the largest takes hours.
    print(f"\ncrosspost ingest, end to end (--jobs {args.jobs}, {os.cpu_count()} CPUs; "
          "CPU: the whole process tree; storing: the process that stores and matches)")
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)), flush=True)
    base = None
    try:
        for n in sizes:
            corpus, db = workdir / f"corpus-{n}.jsonl", workdir / f"ingest-{n}.db"
            started = time.perf_counter()
            planted = generate(corpus, n)
            made = time.perf_counter() - started
            for _ in range(args.repeat):
                for code, tree in trees.items():
                    for leftover in workdir.glob(f"ingest-{n}.db*"):
                        leftover.unlink()
                    seconds, peak, cpu = ingest_measured(corpus, db, args.jobs, tree)
                    figures = evaluate(db, n, planted)
                    storing = storing_cpu(db)
                    per_article = seconds / n
                    base = base or per_article
                    row = (
                        code, f"{n:,}", f"{corpus.stat().st_size / 1e6:,.0f} MB", f"{made:.0f} s",
                        f"{seconds:,.0f} s", f"{n / seconds:,.0f}", f"{peak / 2**20:,.0f} MiB",
                        f"{1000 * cpu / n:.2f}",
                        f"{1000 * storing / n:.2f}" if storing is not None else "-",
                        f"{figures['matches']:,}", f"{figures['found']:,} / {len(planted):,}",
                        f"{figures['found'] / max(1, len(planted)):.3f}", f"{figures['outside']:,}",
                        f"{per_article / base:.2f}",
                    )  # fmt: skip
                    print("  ".join(v.rjust(w) for v, w in zip(row, widths)), flush=True)
            if not args.keep:
                corpus.unlink()
                for path in workdir.glob(f"ingest-{n}.*"):
                    path.unlink()
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        for code, tree in trees.items():
            if tree != REPO:
                shutil.rmtree(tree, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
