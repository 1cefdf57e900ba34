"""Storing a batch of articles with its full-text rows: one statement per batch vs row by row.

    python benchmarks/bench_fts.py                 # 20,000 articles
    python benchmarks/bench_fts.py --quick         # 5,000

`Store.bulk.save_pages` (what `crosspost ingest` stores each batch of 500 with) adds the
full-text rows of the articles a batch inserts in one ``INSERT … SELECT`` at the end of the
batch. The baseline, in the same run, is the same call with ``batch_full_text`` off: the
``articles_ai`` trigger indexes each article as its row is inserted, as before. The articles are the ingest benchmark's corpus
(``bench_ingest.generate``); each way runs twice, alternating, on a fresh database, and the
faster run is reported. Both stores must pass FTS5's integrity check against the articles
table and give the same results for a few searches.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_ingest import generate  # noqa: E402
from crawler.store import Store  # noqa: E402

BATCH = 500
QUERIES = ["government", "news OR story", '"follow news"', "permission"]


def pages(corpus: Path) -> list[tuple[dict, dict]]:
    found = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            url = record["url"]
            capture = {"url": url, "outcome": "article", "fetched_at": "2024-01-01T00:00:00"}
            article = {"url": url, "outlet": url.split("/")[2], "title": record["title"],
                       "text": record["text"], "published_at": record["published_at"],
                       "text_hash": hashlib.sha256(record["text"].encode()).hexdigest()}  # fmt: skip
            found.append((capture, article))
    return found


def store_all(db: Path, items: list[tuple[dict, dict]], row_by_row: bool) -> float:
    with Store(db) as store:
        store.bulk.batch_full_text = not row_by_row
        started = time.perf_counter()
        for start in range(0, len(items), BATCH):
            store.bulk.save_pages(items[start : start + BATCH])
        return time.perf_counter() - started


def searches(db: Path) -> list[list[tuple[str, float]]]:
    conn = sqlite3.connect(db)
    try:
        conn.execute("insert into articles_fts (articles_fts, rank) values ('integrity-check', 1)")
        return [conn.execute(
            "select a.url, round(articles_fts.rank, 6) from articles_fts join articles a "
            "on a.rowid = articles_fts.rowid where articles_fts match ? order by 2, 1", [q],
        ).fetchall() for q in QUERIES]  # fmt: skip
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--quick", action="store_true", help="5,000 articles")
    args = parser.parse_args(argv)
    n = 5_000 if args.quick else args.articles
    with tempfile.TemporaryDirectory(prefix="bench-fts-") as tmp:
        workdir = Path(tmp)
        corpus = workdir / "corpus.jsonl"
        generate(corpus, n)
        items = pages(corpus)
        best: dict[bool, float] = {}
        results: dict[bool, list] = {}
        for attempt in range(2):
            for row_by_row in (True, False):
                db = workdir / f"{row_by_row}-{attempt}.db"
                seconds = store_all(db, items, row_by_row)
                best[row_by_row] = min(seconds, best.get(row_by_row, seconds))
                results[row_by_row] = searches(db)
                for path in workdir.glob(f"{db.name}*"):
                    path.unlink()
    same = results[True] == results[False]
    print(f"\nstoring {n:,} articles in batches of {BATCH}, with their full-text rows, same run")
    print("| full-text rows | ms/article | articles/s | same search results |\n|---|---:|---:|---|")
    for row_by_row, name in ((True, "row by row, from the trigger (baseline)"),
                             (False, "one statement per batch")):  # fmt: skip
        seconds = best[row_by_row]
        print(f"| {name} | {seconds / n * 1000:.3f} | {n / seconds:,.0f} | "
              f"{'—' if row_by_row else ('yes' if same else 'NO')} |")  # fmt: skip
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
