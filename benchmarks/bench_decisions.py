"""Benchmark: stored provenance decisions against deciding at read time.

    python benchmarks/bench_decisions.py            # 100,000 synthetic articles in a store
    python benchmarks/bench_decisions.py --quick    # 20,000

Builds a real store file from :func:`graph.synthetic.synthetic_records` (fixed seed), then
times, on that file: deciding the whole store in memory (what stats, export and the web
server did before decisions were stored: the baseline), storing the decisions (what a crawl,
ingest or rematch adds at its end), reading them back, and one article's lookup decided from
its family's evidence (the baseline) against read from the stored decisions. Prints one
table; the file's size with and without the decisions tables is the last row.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import graph
from crawler import decisions
from crawler.lookup import lookup_url
from crawler.records import load_all
from crawler.store import Store
from graph.synthetic import synthetic_records


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


def timed(func):
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 articles")
    parser.add_argument("--articles", type=int, help="articles (default 100,000)")
    parser.add_argument("--lookups", type=int, default=200, help="lookups to time")
    args = parser.parse_args(argv)
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
        for name, values in (("one lookup, family decided from evidence (baseline)", baseline),
                             ("one lookup, read from the stored decisions", fresh)):
            ordered = sorted(values)
            rows.append((name, f"{statistics.median(values) * 1000:.1f} ms",
                         f"median of {len(values)}; p90 {ordered[int(len(values) * .9)] * 1000:.1f} ms"))
        rows.append(("store file size", f"{size_after / 2**20:.1f} MiB",
                     f"{size_before / 2**20:.1f} MiB without decisions"))
    rows.extend(trigger_cost(min(articles, 20_000)))
    width = max(len(r[0]) for r in rows)
    print(f"{'stage'.ljust(width)}  {'time':>9}  detail")
    for name, value, detail in rows:
        print(f"{name.ljust(width)}  {value:>9}  {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
