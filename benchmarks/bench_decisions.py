"""Benchmark: stored provenance decisions against deciding at read time.

    python benchmarks/bench_decisions.py            # 100,000 synthetic articles in a store
    python benchmarks/bench_decisions.py --quick    # 20,000
    python benchmarks/bench_decisions.py --db STORE # only the memory rows, on a store of yours

Builds a real store file from :func:`graph.synthetic.synthetic_records` (fixed seed), then
times, on that file: deciding the whole store in memory (what stats, export and the web
server did before decisions were stored: the baseline), storing the decisions (what a crawl,
ingest or rematch adds at its end), reading them back, and one article's lookup decided from
its family's evidence (the baseline) against read from the stored decisions. Prints one
table; the file's size with and without the decisions tables is the last row.

The memory rows store the decisions in a fresh process each: deciding the whole store at
once (the baseline: every article's records held together) against deciding it a batch of
story families at a time (what a crawl, ingest or rematch does), with the peak RSS each adds
over the opened store, per article.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import graph  # noqa: E402
from crawler import decisions  # noqa: E402
from crawler.lookup import lookup_url  # noqa: E402
from crawler.records import load_all  # noqa: E402
from crawler.store import Store  # noqa: E402
from graph.synthetic import synthetic_records  # noqa: E402


def build_store(path: Path, articles: int, matches: int) -> list[str]:
    arts, found, credits = synthetic_records(articles, matches, outlets=60, seed=7)
    with Store(path) as store:
        with store.transaction():
            db = store.db.conn
            db.executemany(
                "insert or ignore into outlets (domain, name, first_seen, last_seen) values (?, ?, ?, ?)",
                [(a.outlet, a.outlet_name, a.first_seen, a.first_seen) for a in arts])
            db.executemany(
                "insert into articles (url, outlet, title, published_at, date_source, first_seen, "
                "last_seen, text) values (?, ?, ?, ?, ?, ?, ?, '')",
                [(a.url, a.outlet, a.title, a.published_at, a.date_source, a.first_seen,
                  a.first_seen) for a in arts])
            ids = dict(db.execute("select url, id from articles"))
            db.executemany(
                "insert or ignore into matches (a, b, jaccard, containment_a_in_b, "
                "containment_b_in_a, kind, found_at) values (?, ?, ?, ?, ?, ?, '')",
                [(ids[m.a], ids[m.b], m.similarity, m.containment_a_in_b, m.containment_b_in_a,
                  m.kind) for m in found if m.a in ids and m.b in ids])
            db.executemany(
                "insert into attributions (article_id, kind, sentence, outlet, url) "
                "values (?, ?, ?, ?, ?)",
                [(ids[c.article], c.kind, c.sentence, c.outlet, c.url) for c in credits
                 if c.article in ids])
    return [a.url for a in arts]


def _pages(n: int) -> list[tuple[dict, dict]]:
    pages = []
    for i in range(n):
        url = f"https://outlet{i % 50}.test/story/{i}"
        capture = {"url": url, "final_url": url, "status": 200, "outcome": "article",
                   "fetched_at": "2024-01-01T00:00:00+00:00"}
        article = {"url": url, "fetched_url": url, "outlet": f"outlet{i % 50}.test",
                   "title": f"Story {i}", "text": "words " * 50, "text_hash": str(i),
                   "attributions": [{"kind": "via", "sentence": "via Somewhere", "outlet": "x.test"}]
                   if i % 3 == 0 else []}
        pages.append((capture, article))
    return pages


def trigger_cost(n: int, rounds: int = 3) -> list[tuple[str, str, str]]:
    """Storing pages with and without the evidence-counter triggers, alternately (the
    machine's load shifts during a run)."""
    pages = _pages(n)
    times: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            for with_triggers in (True, False):
                path = Path(tmp) / f"t{r}{with_triggers}.db"
                with Store(path) as store:
                    if not with_triggers:
                        for (name,) in store.db.execute(
                                "select name from sqlite_master where type = 'trigger' "
                                "and name like 'evidence_%'").fetchall():
                            store.db.execute(f"drop trigger {name}")
                    seconds, _ = timed(lambda s=store: s.bulk.save_pages(pages))
                    times[with_triggers].append(seconds)
    best = {k: min(v) for k, v in times.items()}
    return [
        (f"store {n:,} pages, no evidence triggers (baseline)", f"{best[False]:.2f} s",
         f"best of {rounds}"),
        (f"store {n:,} pages, with the evidence triggers", f"{best[True]:.2f} s",
         f"best of {rounds}: {best[True] / best[False] - 1:+.0%}"),
    ]


_MEMORY = r"""
import json, sys, time
sys.path.insert(0, sys.argv[3])
from crawler import decisions  # noqa: E402
from crawler.decisions import stored
from crawler.records import load_all  # noqa: E402
from crawler.store import Store  # noqa: E402

def status(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith(field + ":"))

with Store(sys.argv[1]) as store:
    store.db.execute("select count(*) from articles").fetchone()
    before = status("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # the peak (VmHWM) starts again from here
    started = time.perf_counter()
    if sys.argv[2] == "whole":
        stored.write(store, load_all(store).provenance(), trigger="bench")
    else:
        decisions.decide_and_store(store, "bench")
    seconds = time.perf_counter() - started
    articles = store.db.execute("select count(*) from articles").fetchone()[0]
print(json.dumps({"before": before, "peak": status("VmHWM"), "seconds": seconds, "articles": articles}))
"""


def decisions_memory(path: Path) -> list[tuple[str, str, str]]:
    """Peak RSS added by storing the decisions, whole store at once against by batches,
    each in a fresh process on the same store file."""
    found = {}
    for how in ("whole", "batches"):
        done = subprocess.run([sys.executable, "-c", _MEMORY, str(path), how, str(REPO)],
                              capture_output=True, text=True, check=True)  # fmt: skip
        found[how] = json.loads(done.stdout.strip().splitlines()[-1])
    rows = []
    for how, label in (("whole", "decide and store, whole store at once (baseline)"),
                       ("batches", "decide and store, a batch of families at a time")):
        got = found[how]
        added = got["peak"] - got["before"]
        rows.append((label, f"{got['seconds']:.2f} s",
                     f"peak RSS +{added / 2**20:,.0f} MiB over the opened store, "
                     f"{added / max(got['articles'], 1):,.0f} bytes an article"))
    return rows


def timed(func):
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 articles")
    parser.add_argument("--articles", type=int, help="articles (default 100,000)")
    parser.add_argument("--lookups", type=int, default=200, help="lookups to time")
    parser.add_argument("--db", type=Path, help="an existing store: only the memory rows "
                        "(its stored decisions are replaced)")
    args = parser.parse_args(argv)
    if args.db is not None:
        if not args.db.exists():
            sys.exit(f"Error: {args.db} not found")
        show(decisions_memory(args.db))
        return 0
    articles = args.articles or (20_000 if args.quick else 100_000)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        seconds, urls = timed(lambda: build_store(path, articles, articles // 10))
        rows.append(("build the store", f"{seconds:.1f} s", f"{len(urls):,} articles"))
        size_before = path.stat().st_size
        rng = random.Random(3)
        with Store(path) as store:
            seconds, prov = timed(lambda: load_all(store).provenance())
            rows.append(("whole store, decided in memory (baseline)", f"{seconds:.2f} s",
                         f"{len(prov.families):,} families"))
            members = [url for family in prov.families for url in family.members
                       if url not in prov.uncrawled]
            sample = rng.sample(members, min(args.lookups, len(members)))
            # no stored decisions yet: each lookup decides its family from the evidence
            baseline = [timed(lambda u=u: lookup_url(store, u))[0] for u in sample]
            seconds, _run = timed(lambda: decisions.decide_and_store(store, "bench"))
            rows.append(("decide and store (end of a crawl)", f"{seconds:.2f} s", "one transaction"))
            seconds, (stored, _d) = timed(lambda: decisions.whole_store(store))
            rows.append(("whole store, read from the stored decisions", f"{seconds:.2f} s",
                         "same stats: " + str(graph.outlet_rows(stored) == graph.outlet_rows(prov))))
            fresh = [timed(lambda u=u: lookup_url(store, u))[0] for u in sample]
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size_after = path.stat().st_size
        rows.extend(decisions_memory(path))
        for name, values in (("one lookup, family decided from evidence (baseline)", baseline),
                             ("one lookup, read from the stored decisions", fresh)):
            ordered = sorted(values)
            rows.append((name, f"{statistics.median(values) * 1000:.1f} ms",
                         f"median of {len(values)}; p90 {ordered[int(len(values) * .9)] * 1000:.1f} ms"))
        rows.append(("store file size", f"{size_after / 2**20:.1f} MiB",
                     f"{size_before / 2**20:.1f} MiB without decisions"))
    rows.extend(trigger_cost(min(articles, 20_000)))
    show(rows)
    return 0


def show(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'stage'.ljust(width)}  {'time':>9}  detail")
    for name, value, detail in rows:
        print(f"{name.ljust(width)}  {value:>9}  {detail}")


if __name__ == "__main__":
    sys.exit(main())
