"""Benchmark: provenance decisions and graph building on a synthetic corpus.

    python benchmarks/bench_graph.py            # 1,000,000 articles, 100,000 matches
                                                # (with the project installed: pip install -e .)
    python benchmarks/bench_graph.py --quick    # 100,000 articles, 10,000 matches

Prints one row per stage: wall time and the growth of the process's peak resident memory
(``resource.getrusage``) during that stage, so the numbers include Python object overhead
without tracemalloc's slowdown. The synthetic corpus has a fixed seed.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time

from graph.build import article_graph, outlet_graph
from graph.communities import add_communities
from graph.direction import decide_provenance
from graph.stats import outlet_rows, pair_rows
from graph.synthetic import synthetic_records


def peak_mib() -> float:
    # ru_maxrss is KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(
    articles: int, matches: int, outlets: int, seed: int
) -> list[tuple[str, float, float, str]]:
    rows = []
    results: dict[str, object] = {}

    def stage(name: str, func, detail) -> None:
        gc.collect()
        before = peak_mib()
        start = time.perf_counter()
        value = func()
        elapsed = time.perf_counter() - start
        results[name] = value
        rows.append((name, elapsed, peak_mib() - before, detail(value)))

    stage(
        "synthetic records",
        lambda: synthetic_records(articles, matches, outlets=outlets, seed=seed),
        lambda r: f"{len(r[0]):,} articles, {len(r[1]):,} matches, {len(r[2]):,} attributions",
    )
    records = results["synthetic records"]
    stage(
        "provenance (families, origins)",
        lambda: decide_provenance(*records),
        lambda p: f"{len(p.families):,} families, {sum(len(f.links) for f in p.families):,} copies",
    )
    prov = results["provenance (families, origins)"]
    stage(
        "article graph",
        lambda: article_graph(prov),
        lambda g: f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges",
    )
    stage(
        "outlet graph",
        lambda: outlet_graph(prov),
        lambda g: f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges",
    )
    graph = results["outlet graph"]
    stage("communities (louvain)", lambda: add_communities(graph), lambda n: f"{n} communities")
    stage(
        "stats rows", lambda: (outlet_rows(prov), pair_rows(prov)), lambda r: f"{len(r[0])} outlets"
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k articles / 10k matches")
    parser.add_argument("--articles", type=int, help="number of articles (default 1,000,000)")
    parser.add_argument("--matches", type=int, help="number of match records (default 100,000)")
    parser.add_argument("--outlets", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    articles = args.articles or (100_000 if args.quick else 1_000_000)
    matches = args.matches or (10_000 if args.quick else 100_000)
    print(
        f"graph benchmark: {articles:,} articles, {matches:,} matches, {args.outlets} outlets, "
        f"seed {args.seed}, Python {sys.version.split()[0]}"
    )
    rows = run(articles, matches, args.outlets, args.seed)
    width = max(len(r[0]) for r in rows)
    print(f"{'stage':<{width}}  {'seconds':>8}  {'+peak MiB':>9}  result")
    for name, seconds, mib, detail in rows:
        print(f"{name:<{width}}  {seconds:>8.2f}  {mib:>9.1f}  {detail}")
    total = sum(r[1] for r in rows[1:])
    print(
        f"{'total without generation':<{width}}  {total:>8.2f}  {peak_mib():>9.1f}  (peak RSS of the process, MiB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
