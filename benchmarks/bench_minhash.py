"""Speed of dedupe signatures, LSH and end-to-end matching.

    python benchmarks/bench_minhash.py           # full: 100k and 1M-signature indexes
    python benchmarks/bench_minhash.py --quick   # small, for CI

Corpus: generated with a fixed seed from the vocabulary (and word frequencies) of the
real ArticleComparisons articles (falls back to the words of Python's own docstrings when
../shared/data is absent); 400-1,200-word articles in paragraphs, 20% of them planted
copies of earlier ones with edits (dropped/reordered paragraphs, changed words, added
intro and footer, truncation).

Every signer starts from the raw text and ends with a 128-permutation MinHash of 5-word
shingles: ours (numpy, datasketch-identical affine32 values), datasketch's per-shingle
``MinHash.update`` loop, ``MinHash.bulk``, and rensa's ``RMinHash`` (Rust). The large
indexes are filled with random signatures (unrelated texts) plus the generated corpus, so
the latency figure is one `Matcher.add` (sign, query LSH and anchors, verify, insert)
against an index of that size.
"""

from __future__ import annotations

import argparse
import collections
import gc
import math
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import MULTIOUTLET
from dedupe import Matcher, SignatureParams, make_signature, shingle_set
from dedupe.shingles import shingle_sets
from dedupe.signature import Signature, make_signatures

_WORD = re.compile(r"\w+")
K = 5
NUM_PERM = 128


def vocabulary() -> tuple[list[str], list[float]]:
    counts: collections.Counter[str] = collections.Counter()
    source = MULTIOUTLET / "helsinki_articles.csv"
    if source.exists():
        counts.update(w for w in re.findall(r"[A-Za-z][a-z']+", source.read_text("utf-8")))
    else:
        import pydoc
        import sys as _sys

        for module in list(_sys.modules.values())[:300]:
            counts.update(re.findall(r"[A-Za-z][a-z']+", pydoc.getdoc(module) or ""))
    words = [w for w, c in counts.most_common(30_000)]
    weights = [counts[w] for w in words]
    return words, weights


def generate(n: int, seed: int = 42) -> list[str]:
    rng = random.Random(seed)
    words, weights = vocabulary()
    cum = np.cumsum(weights, dtype=float)
    cum /= cum[-1]
    nprng = np.random.default_rng(seed)
    docs: list[list[str]] = []
    for _ in range(n):
        if docs and rng.random() < 0.2:
            paras = list(rng.choice(docs))
            if len(paras) > 4 and rng.random() < 0.5:
                del paras[rng.randrange(len(paras))]
            if rng.random() < 0.5:
                i = rng.randrange(len(paras) - 1)
                paras[i], paras[i + 1] = paras[i + 1], paras[i]
            paras = [
                " ".join(w if rng.random() > 0.02 else rng.choice(words) for w in p.split())
                for p in paras
            ]
            if rng.random() < 0.3:
                paras = paras[: max(2, len(paras) * 2 // 3)]
            paras = ["Originally published by Example News."] + paras + ["Share this article!"]
        else:
            total = rng.randint(400, 1200)
            picks = np.searchsorted(cum, nprng.random(total))
            tokens = [words[i] for i in picks]
            paras, i = [], 0
            while i < total:
                step = rng.randint(30, 80)
                paras.append(" ".join(tokens[i : i + step]).capitalize() + ".")
                i += step
        docs.append(paras)
    return ["\n".join(p) for p in docs]


def rate(fn, items) -> float:
    started = time.perf_counter()
    for item in items:
        fn(item)
    return len(items) / (time.perf_counter() - started)


def sign_ours(text: str, params: SignatureParams) -> Signature:
    return make_signature(shingle_set(text, K), params)


def shingle_strings(text: str) -> list[str]:
    w = _WORD.findall(text.lower())
    return [" ".join(w[i : i + K]) for i in range(max(1, len(w) - K + 1))]


def sign_update_loop(text: str) -> LeanMinHash:
    m = MinHash(num_perm=NUM_PERM)
    for s in shingle_strings(text):
        m.update(s.encode("utf-8"))
    return LeanMinHash(m)


def bench_signers(docs: list[str], slow_n: int) -> list[tuple[str, float]]:
    params = SignatureParams()
    sign_ours(docs[0], params)  # warm the permutation cache
    ours = rate(lambda t: sign_ours(t, params), docs)
    batches = [docs[i : i + 50] for i in range(0, len(docs), 50)]
    started = time.perf_counter()
    for batch in batches:
        make_signatures(shingle_sets(batch, K), params)
    ours_batch = len(docs) / (time.perf_counter() - started)
    loop = rate(sign_update_loop, docs[:slow_n])

    def bulk(batch):
        MinHash.bulk([[s.encode() for s in shingle_strings(t)] for t in batch], num_perm=NUM_PERM)

    batches = [docs[i : i + 50] for i in range(0, len(docs[: slow_n * 5]), 50)]
    started = time.perf_counter()
    for b in batches:
        bulk(b)
    bulk_rate = sum(map(len, batches)) / (time.perf_counter() - started)
    rows = [
        ("datasketch MinHash.update loop", loop),
        ("ours, one text at a time (Matcher.add path)", ours),
        ("ours, batches of 50 (make_signatures)", ours_batch),
        ("datasketch MinHash.bulk", bulk_rate),
    ]
    try:
        from rensa import RMinHash

        def rensa_sign(t):
            m = RMinHash(num_perm=NUM_PERM, seed=1)
            m.update(shingle_strings(t))
            return m.digest()

        rows.append(("rensa RMinHash (Rust)", rate(rensa_sign, docs)))
    except ImportError:
        rows.append(("rensa (not installed: pip install rensa)", float("nan")))
    return rows


def bench_lsh(docs: list[str]) -> list[tuple[str, str]]:
    params = SignatureParams()
    sigs = [sign_ours(t, params).minhash for t in docs]
    lsh = MinHashLSH(threshold=0.5, num_perm=NUM_PERM)
    started = time.perf_counter()
    with lsh.insertion_session() as session:
        for i, s in enumerate(sigs):
            session.insert(i, s)
    ins = len(sigs) / (time.perf_counter() - started)
    q = rate(lsh.query, sigs)
    return [("LSH insert (insertion_session)", f"{ins:,.0f} /s"), ("LSH query", f"{q:,.0f} /s")]


def filler(n: int, params: SignatureParams, seed: int = 7):
    rng = np.random.default_rng(seed)
    per_anchor = 45
    for start in range(0, n, 10_000):
        count = min(10_000, n - start)
        values = rng.integers(0, 1 << 32, size=(count, params.num_perm), dtype=np.uint64)
        anchors = np.sort(rng.integers(0, 1 << 63, size=(count, per_anchor), dtype=np.uint64))
        for j in range(count):
            mh = LeanMinHash(seed=params.seed, hashvalues=values[j], scheme=params.scheme)
            yield f"filler{start + j}", Signature(mh, anchors[j], 700), "filler.test"


def bench_latency(docs: list[str], size: int, queries: int) -> list[tuple[str, str]]:
    gc.collect()
    texts = {}
    m = Matcher(get_text=texts.get)
    started = time.perf_counter()
    m.load_many(filler(max(0, size - len(docs) + queries), m.params))
    corpus = docs[:-queries]
    for i, t in enumerate(corpus):
        texts[f"doc{i}"] = t
        m.add(f"doc{i}", t, f"outlet{i % 50}.test")
    build = time.perf_counter() - started
    # A long-running ingester should do the same after loading the index: the LSH holds
    # tens of millions of small objects that a full garbage collection would walk.
    gc.collect()
    gc.freeze()
    latencies, found = [], 0
    for i, t in enumerate(docs[-queries:]):
        key = f"q{i}"
        texts[key] = t
        t0 = time.perf_counter()
        found += bool(m.add(key, t, f"outlet{i % 50}.test"))
        latencies.append((time.perf_counter() - t0) * 1000)
    gc.unfreeze()
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    return [
        (f"index of {size:,}: build", f"{build:.0f} s (peak RSS {rss:.1f} GB)"),
        (
            f"index of {size:,}: Matcher.add latency",
            (
                f"p50 {statistics.median(latencies):.2f} ms, p99 {p99:.2f} ms "
                f"({queries} articles, {found} with matches)"
            ),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description="dedupe speed benchmark")
    parser.add_argument("--quick", action="store_true", help="small sizes for CI")
    parser.add_argument(
        "--sizes", type=lambda v: [int(x) for x in v.split(",")], help="index sizes, e.g. 1000000"
    )
    args = parser.parse_args()
    n_docs, slow_n = (400, 40) if args.quick else (3000, 150)
    sizes = args.sizes or ([20_000] if args.quick else [100_000, 1_000_000])
    queries = 100 if args.quick else 500
    docs = generate(n_docs + queries)
    words = [len(t.split()) for t in docs]
    print(f"corpus: {len(docs)} articles, {statistics.mean(words):.0f} words on average")

    rows = bench_signers(docs[:n_docs], slow_n)
    base = rows[0][1]
    print(
        f"\n{'signatures (128 perm, 5-word shingles, from raw text)':<48} {'per s':>9} {'vs loop':>8}"
    )
    for name, value in rows:
        ratio = f"{value / base:7.1f}x" if not math.isnan(value) else "     -"
        print(f"{name:<48} {value:>9,.0f} {ratio}")

    print()
    for name, value in bench_lsh(docs[:n_docs]):
        print(f"{name:<48} {value}")
    for size in sizes:
        for name, value in bench_latency(docs, size, queries):
            print(f"{name:<48} {value}")


if __name__ == "__main__":
    main()
