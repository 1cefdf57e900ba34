"""Exact-day accuracy of publication dates on real news pages (fundus parser test data).

Compares our pipeline (crawler.extract.dates.published_date) with trafilatura's default metadata date
and htmldate's default ``find_date`` on the same pages, each given the page's HTML and URL.
A day counts when it equals the gold day in the gold value's own offset; a bare day is taken
as written.

    python benchmarks/accuracy_dates.py [--data DIR] [--json] [--sources] [--misses] [--limit N] [--jobs N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import trafilatura
from htmldate import find_date
from lxml import html as lxml_html

from crawler.extract.dates import date_candidates, published_date

DEFAULT_DATA = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fundus_parser_testdata"
)


@dataclass(frozen=True)
class Page:
    path: Path
    url: str
    crawled: datetime
    gold: datetime


def load_pages(data_dir: Path) -> list[Page]:
    """Pages with their gold date: a publisher's files sorted by crawl date match its versions in order."""
    root = data_dir / "test_data"
    pages = []
    for country in sorted(p for p in root.iterdir() if p.is_dir()):
        meta = json.loads((country / "meta.info").read_text(encoding="utf-8"))
        for gold_file in sorted(country.glob("*.json")):
            publisher = gold_file.stem
            versions = list(json.loads(gold_file.read_text(encoding="utf-8")).values())
            files = sorted(
                # meta.info also lists files that were not shipped.
                (f for f in meta if f.rsplit("_", 3)[0] == publisher and (country / f).exists()),
                key=lambda f: meta[f]["crawl_date"],
            )
            for name, gold in zip(files, versions):
                if not gold.get("publishing_date"):
                    continue
                pages.append(
                    Page(
                        country / name,
                        meta[name]["url"],
                        datetime.fromisoformat(meta[name]["crawl_date"]),
                        datetime.fromisoformat(gold["publishing_date"]),
                    )
                )
    return pages


def same_day(value: str | None, gold: datetime) -> bool:
    if not value:
        return False
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        return False
    if len(value) > 10 and found.tzinfo is not None and gold.tzinfo is not None:
        return found.astimezone(gold.tzinfo).date() == gold.date()
    return found.date() == gold.date()


def _trafilatura(html: str, url: str) -> str | None:
    meta = trafilatura.extract_metadata(html, default_url=url)
    return meta.date if meta else None


def _score_page(job: tuple[Page, bool]) -> dict:
    page, sources = job
    html = gzip.decompress(page.path.read_bytes()).decode("utf-8", errors="replace")
    runs = {
        "crosspost": lambda: (e := published_date(html, page.url, now=page.crawled)) and e.value,
        "trafilatura": lambda: _trafilatura(html, page.url),
        "htmldate": lambda: find_date(html, url=page.url),
    }
    out: dict = {"values": {}, "seconds": {}, "sources": []}
    for tool, run in runs.items():
        start = time.perf_counter()
        try:
            out["values"][tool] = run()
        except Exception:
            out["values"][tool] = None
        out["seconds"][tool] = time.perf_counter() - start
    if sources:
        for c in date_candidates(html, page.url, lxml_html.fromstring(html), now=page.crawled):
            value = c.moment.isoformat() if c.moment else c.local_day.isoformat()
            out["sources"].append((c.source, same_day(value, page.gold)))
    return out


def evaluate(
    data_dir: Path, limit: int | None = None, sources: bool = False, jobs: int | None = None
) -> dict:
    pages = load_pages(data_dir)[:limit]
    right: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    per_source: Counter[str] = Counter()
    per_source_right: Counter[str] = Counter()
    misses = []
    with ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        scored = list(pool.map(_score_page, [(p, sources) for p in pages], chunksize=8))
    for page, result in zip(pages, scored):
        results = result["values"]
        for tool, value in results.items():
            seconds[tool] += result["seconds"][tool]
            answered[tool] += value is not None
            right[tool] += same_day(value, page.gold)
        # The day of our UTC value, unconverted: what normalising to UTC costs on a gold local day.
        ours = results["crosspost"]
        answered["crosspost (UTC day)"] += ours is not None
        right["crosspost (UTC day)"] += bool(ours) and ours[:10] == page.gold.date().isoformat()
        if not same_day(ours, page.gold):
            misses.append(
                {
                    "page": f"{page.path.parent.name}/{page.path.name}",
                    "gold": page.gold.isoformat(),
                    **results,
                }
            )
        for source, ok in result["sources"]:
            per_source[source] += 1
            per_source_right[source] += ok
    n = len(pages)
    report = {
        "pages": n,
        "publishers": len({p.path.name.rsplit("_", 3)[0] for p in pages}),
        "tools": {
            t: {
                "right": right[t],
                "answered": answered[t],
                "accuracy": right[t] / n if n else 0.0,
                "seconds": round(seconds.get(t, 0.0), 1),
            }
            for t in ("crosspost", "crosspost (UTC day)", "trafilatura", "htmldate")
        },
        "misses": misses,
    }
    if sources:
        report["sources"] = {s: [per_source_right[s], per_source[s]] for s in per_source}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--sources", action="store_true", help="also score each date source on its own"
    )
    parser.add_argument(
        "--misses", action="store_true", help="list the pages our pipeline gets wrong"
    )
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument(
        "--jobs", type=int, default=None, help="worker processes (default: one per CPU)"
    )
    args = parser.parse_args(argv)
    if not (args.data / "test_data").is_dir():
        print(f"Error: no fundus test data at {args.data}", file=sys.stderr)
        return 2
    report = evaluate(args.data, args.limit, args.sources, args.jobs)
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"{report['pages']} pages, {report['publishers']} publishers: exact-day accuracy")
    print(f"{'tool':<22}{'right':>7}{'answered':>10}{'accuracy':>10}{'seconds':>9}")
    for tool, row in report["tools"].items():
        print(
            f"{tool:<22}{row['right']:>7}{row['answered']:>10}{row['accuracy']:>10.1%}{row['seconds']:>9}"
        )
    if args.sources:
        print(f"\n{'source':<14}{'right':>7}{'given':>7}{'precision':>11}")
        for source, (ok, given) in sorted(report["sources"].items(), key=lambda kv: -kv[1][1]):
            print(f"{source:<14}{ok:>7}{given:>7}{ok / given:>11.1%}")
    if args.misses:
        print()
        for miss in report["misses"]:
            print(
                f"{miss['page']:<50} gold {miss['gold'][:19]}  ours {miss['crosspost']}  "
                f"trafilatura {miss['trafilatura']}  htmldate {miss['htmldate']}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
