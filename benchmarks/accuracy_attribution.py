"""Recall of the attribution parser on real reposts (FakeNewsCorpus sample).

The silver list (DERIVED_attribution_edges.csv) was made with a few regular expressions over
the same texts, so it is neither complete nor always right: misses and extra finds are printed
for reading, not just counted.

    python benchmarks/accuracy_attribution.py [--data DIR] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

from crawler.extract.credits import (
    Attribution,
    OutletDirectory,
    find_attributions,
    name_key,
    registered_domain,
)

DEFAULT_DATA = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fakenewscorpus_sample"
)


def _norm_url(url: str) -> str:
    url = url.strip().lower().rstrip("/")
    for prefix in ("https://", "http://"):
        url = url.removeprefix(prefix)
    return url.removeprefix("www.")


def _matches(row: dict[str, str], hit: Attribution, loose: bool) -> bool:
    source = row["attributed_source"]
    if hit.url and source.startswith("http") and _norm_url(hit.url) == _norm_url(source):
        return True
    if source.startswith("http") and _norm_url(hit.name) == _norm_url(source):
        return True
    a, b = name_key(source), name_key(hit.name)
    if a and a == b:
        return True
    if not loose:
        return False
    # The silver regex cut names short ("blog" for "blog.NORML.org") or long ("by Michael
    # Snyder at his Economic Collapse Blog"): containment counts, but never inside a URL.
    urls = source.startswith("http") or hit.name.startswith("http")
    if not urls and min(len(a), len(b)) >= 4 and (a in b or b in a):
        return True
    domain = (
        registered_domain(row["attributed_source_domain"])
        if row["attributed_source_domain"]
        else None
    )
    return bool(domain and hit.outlet == domain)


def evaluate(data_dir: Path) -> dict:
    csv.field_size_limit(sys.maxsize)
    with open(data_dir / "news_sample.csv", newline="", encoding="utf-8") as fh:
        articles = {row["id"]: row for row in csv.DictReader(fh)}
    with open(data_dir / "DERIVED_attribution_edges.csv", newline="", encoding="utf-8") as fh:
        silver = list(csv.DictReader(fh))
    directory = OutletDirectory()
    with open(data_dir / "websites.csv", newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if row and "." in row[0]:
                directory.add_domain(row[0])

    found: dict[str, list[Attribution]] = {}
    for aid, article in articles.items():
        found[aid] = find_attributions(
            article["content"], None, article["url"], article["domain"], directory
        )

    # One hit per silver row, strict matches first, so one statement cannot stand for two.
    used: set[tuple[str, int]] = set()
    matched: set[int] = set()
    for loose in (False, True):
        for r, row in enumerate(silver):
            if r in matched:
                continue
            hits = found.get(row["article_id"], [])
            for i, hit in enumerate(hits):
                if (row["article_id"], i) not in used and _matches(row, hit, loose):
                    used.add((row["article_id"], i))
                    matched.add(r)
                    break
    recalled = [row for r, row in enumerate(silver) if r in matched]
    missed = [row for r, row in enumerate(silver) if r not in matched]
    extras = [
        (aid, h) for aid, hits in found.items() for i, h in enumerate(hits) if (aid, i) not in used
    ]
    by_type = Counter(r["attribution_type"] for r in silver)
    hit_type = Counter(r["attribution_type"] for r in recalled)
    return {
        "articles": len(articles),
        "silver": len(silver),
        "recalled": len(recalled),
        "recall": len(recalled) / len(silver) if silver else 0.0,
        "by_type": {t: [hit_type[t], n] for t, n in sorted(by_type.items())},
        "found": sum(len(h) for h in found.values()),
        "kinds": dict(Counter(h.kind for hits in found.values() for h in hits).most_common()),
        "missed": [
            {
                "article_id": r["article_id"],
                "type": r["attribution_type"],
                "source": r["attributed_source"],
            }
            for r in missed
        ],
        "extras": [
            {
                "article_id": aid,
                "kind": h.kind,
                "name": h.name,
                "outlet": h.outlet,
                "sentence": h.sentence[:160],
            }
            for aid, h in extras
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if not (args.data / "news_sample.csv").exists():
        print(f"Error: no FakeNewsCorpus sample at {args.data}", file=sys.stderr)
        return 2
    report = evaluate(args.data)
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(
        f"articles: {report['articles']}   silver edges: {report['silver']}   statements found: {report['found']}"
    )
    print(f"recall vs silver: {report['recalled']}/{report['silver']} = {report['recall']:.1%}")
    print(f"{'silver type':<22}{'recalled':>10}")
    for kind, (hit, total) in report["by_type"].items():
        print(f"{kind:<22}{hit:>5}/{total:<5}")
    print("kinds found:", ", ".join(f"{k} {n}" for k, n in report["kinds"].items()))
    print("\nmissed:")
    for row in report["missed"]:
        print(f"  {row['article_id']:>6} {row['type']:<22} {row['source']}")
    print("\nextra finds (not in the silver list):")
    for row in report["extras"]:
        print(
            f"  {row['article_id']:>6} {row['kind']:<20} {row['name'][:40]!r:<44} {row['outlet'] or '-':<24} | {row['sentence']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
