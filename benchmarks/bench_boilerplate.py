"""Speed and memory of the boilerplate model while it learns: pending paragraphs in Python
dicts (the baseline, the algorithm as it was, copied below) against `dedupe.pending`'s
compact tables, on the same articles in the same run.

    python benchmarks/bench_boilerplate.py                  # 20k and 100k articles
    python benchmarks/bench_boilerplate.py --sizes 300000

Articles: the ingest benchmark's corpus (`bench_ingest.generate`: 500 outlets, each with its
own footer, 20% planted copies across outlets), tokenised once into paragraph keys as
`crosspost ingest` does; each size is the first N articles. The last row is one outlet held
at its bound: 12,000 articles of 16 random paragraphs, evicting every few hundred articles. Time: µs per `observe` call,
best of ``--repeat`` passes per implementation (alternated, garbage collector on, no
tracing). Memory: what tracemalloc sees held by the model after a separate pass (numpy
reports its arrays to it), per pending paragraph and per article. "same" checks that both
learnt the same boilerplate, versions and pending paragraphs, in the same order.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_ingest import generate
from crawler.urls import outlet_of
from dedupe.boilerplate import BoilerplateModel
from dedupe.pending import similar
from dedupe.shingles import tokenize

SIZES = (20_000, 100_000)


class _DictOutlet:
    __slots__ = ("boilerplate", "pending", "version")

    def __init__(self) -> None:
        self.boilerplate: set[int] = set()
        self.pending: dict[int, tuple[tuple[int, ...], ...]] = {}
        self.version = 0


class DictModel:
    """The baseline: `BoilerplateModel.observe` as it was, each outlet's pending paragraphs
    a dict of key -> the sketches of its articles (one tuple per article, shared)."""

    def __init__(self, min_articles: int = 3, max_pending: int = 50_000) -> None:
        self.min_articles, self.max_pending = min_articles, max_pending
        self._outlets: dict[str, _DictOutlet] = {}

    def observe(self, outlet: str, paragraph_keys: Iterable[int]) -> bool:
        if not outlet:
            return False
        state = self._outlets.setdefault(outlet, _DictOutlet())
        paragraphs = set(map(int, paragraph_keys))
        article = tuple(sorted(paragraphs)[:8])
        learnt = False
        pending = state.pending
        for paragraph in paragraphs:
            if paragraph in state.boilerplate:
                continue
            seen = pending.pop(paragraph, ())
            if not any(similar(article, other) for other in seen):
                seen = (*seen, article)
            if len(seen) >= self.min_articles:
                state.boilerplate.add(paragraph)
                learnt = True
            else:
                pending[paragraph] = seen
        if len(pending) > self.max_pending:
            for stale in list(pending)[: len(pending) - self.max_pending * 9 // 10]:
                del pending[stale]
        if learnt:
            state.version += 1
        return learnt


Stream = list[tuple[str, np.ndarray]]
IMPLEMENTATIONS: dict[str, Callable[[], DictModel | BoilerplateModel]] = {
    "dicts (baseline)": DictModel,
    "compact tables": BoilerplateModel,
}


def articles(n: int, workdir: Path) -> Stream:
    """(outlet, paragraph keys) of the first n articles of the ingest benchmark's corpus."""
    path = workdir / f"corpus-{n}.jsonl"
    generate(path, n)
    stream = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            stream.append((outlet_of(record["url"]), tokenize(record["text"]).paragraph_keys))
    return stream


def one_outlet(n: int = 12_000, seed: int = 5) -> Stream:
    rng = np.random.default_rng(seed)
    return [("one.example", rng.integers(0, 2**64 - 1, 16, dtype=np.uint64, endpoint=True))
            for _ in range(n)]  # fmt: skip


def feed(model: DictModel | BoilerplateModel, stream: Stream) -> float:
    started = time.perf_counter()
    for outlet, keys in stream:
        model.observe(outlet, keys)
    return time.perf_counter() - started


def state_of(model: DictModel | BoilerplateModel) -> dict[str, tuple]:
    return {
        name: (state.version, sorted(state.boilerplate), list(state.pending.items()))
        for name, state in model._outlets.items()
    }


def held(make: Callable[[], DictModel | BoilerplateModel], stream: Stream) -> tuple[int, int]:
    """(bytes held by the model after the stream, its pending paragraphs)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    model = make()
    feed(model, stream)
    gc.collect()
    size = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    if isinstance(model, BoilerplateModel):
        return size, sum(len(state.table) for state in model._outlets.values())
    return size, sum(len(state.pending) for state in model._outlets.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated numbers of articles (default 20k,100k)")
    parser.add_argument("--repeat", type=int, default=2, help="timed passes per size (default 2)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else list(SIZES)
    with tempfile.TemporaryDirectory(prefix="bench-boilerplate-") as workdir:
        started = time.perf_counter()
        everything = articles(max(sizes), Path(workdir))
        print(f"{len(everything):,} articles generated and tokenised in "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)  # fmt: skip
    paragraphs = sum(len(np.unique(keys)) for _, keys in everything) / len(everything)
    print(f"\nboilerplate model while learning (500 outlets, {paragraphs:.1f} paragraphs an "
          f"article, max_pending 50,000; same run)\n")  # fmt: skip
    header = ("articles", "pending tables", "µs/observe", "pending paragraphs",
              "bytes/paragraph", "bytes/article", "same")  # fmt: skip
    widths = (9, 17, 10, 18, 15, 13, 4)
    print(" | ".join(h.rjust(w) for h, w in zip(header, widths)))
    print("-|-".join("-" * w for w in widths))
    streams = [(f"{n:,}", everything[:n]) for n in sizes] + [("1 outlet", one_outlet())]
    for label, stream in streams:
        n = len(stream)
        best = {name: float("inf") for name in IMPLEMENTATIONS}
        states = {}
        for _ in range(args.repeat):
            for name, make in IMPLEMENTATIONS.items():
                model = make()
                gc.collect()
                best[name] = min(best[name], feed(model, stream))
                states[name] = state_of(model)
                del model
        same = len({repr(s) for s in states.values()}) == 1
        for name, make in IMPLEMENTATIONS.items():
            size, pending = held(make, stream)
            row = (label, name, f"{best[name] / n * 1e6:.1f}", f"{pending:,}",
                   f"{size / max(pending, 1):.0f}", f"{size / n:,.0f}",
                   "yes" if same else "NO")  # fmt: skip
            print(" | ".join(c.rjust(w) for c, w in zip(row, widths)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
