"""The posting runs behind both candidate indexes: merging runs without sorting again gives
what a stable sort gives, so candidates do not depend on when runs were merged."""

from __future__ import annotations

import numpy as np
import pytest

from dedupe import postings
from dedupe.postings import DocIds, SortedRuns


def _stable(parts):
    hashes = np.concatenate([h for h, _ in parts])
    docs = np.concatenate([d for _, d in parts])
    order = np.argsort(hashes, kind="stable")
    return hashes[order], docs[order]


def _run(rng, n, span):
    hashes = np.sort(rng.integers(0, span, n, dtype=np.uint64))
    return hashes, rng.integers(0, 2**32 - 1, n, dtype=np.uint64).astype(np.uint32)


@pytest.mark.parametrize("chunk", [7, 1 << 19])
def test_a_merge_of_two_runs_is_their_stable_sort(chunk, monkeypatch):
    monkeypatch.setattr(postings, "_MERGE_CHUNK", chunk)  # merged a few postings per step
    rng = np.random.default_rng(5)
    # few distinct hashes (many equal ones across runs), many, empty runs, 64-bit extremes
    for n_old, n_new, span in [(1000, 300, 50), (5000, 5000, 2**64 - 1), (0, 10, 5),
                               (10, 0, 5), (1, 1, 1), (2000, 7, 3)]:
        older, newer = _run(rng, n_old, span), _run(rng, n_new, span)
        got = SortedRuns._merged(older, newer)
        want = _stable([older, newer])
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
        assert got[0].dtype == np.uint64 and got[1].dtype == np.uint32


def test_lookups_after_many_merges_and_a_compaction_find_every_live_posting():
    rng = np.random.default_rng(11)
    runs = SortedRuns()
    posted: dict[int, list[int]] = {}
    for doc in range(3000):
        hashes = rng.integers(0, 400, 9, dtype=np.uint64)
        runs.add(hashes, np.full(len(hashes), doc, dtype=np.uint32))
        for h in hashes.tolist():
            posted.setdefault(h, []).append(doc)
        if doc % 97 == 0:  # a query in between: pending postings become a run, runs merge
            runs.lookup(hashes[:1])
    for h, docs in posted.items():
        found = runs.lookup(np.array([h], dtype=np.uint64))
        assert sorted(found.tolist()) == sorted(docs)
    live = DocIds()
    for doc in range(3000):
        live.assign(doc)
    for doc in range(0, 3000, 2):
        live.remove(doc)
    runs.compact(live)
    for h, docs in posted.items():
        found = runs.lookup(np.array([h], dtype=np.uint64)).tolist()
        assert sorted(found) == sorted(d for d in docs if d % 2)


def test_one_text_at_a_time_leaves_one_small_run_not_a_log_of_tiny_ones(monkeypatch):
    monkeypatch.setattr(SortedRuns, "SMALL_RUN", 200)
    rng = np.random.default_rng(4)
    runs, posted = SortedRuns(), {}
    for doc in range(400):
        hashes = rng.integers(0, 300, 7, dtype=np.uint64)
        runs.add(hashes, np.full(len(hashes), doc, dtype=np.uint32))
        for h in hashes.tolist():
            posted.setdefault(h, []).append(doc)
        runs.lookup(hashes[:1])  # matching: a lookup after each text's postings
        sizes = [len(h) for h, _ in runs._runs]
        assert all(size >= 200 for size in sizes[:-1]), sizes
    # 2,800 postings: the small runs were merged into each other, then into the large ones.
    assert len(runs._runs) <= 4
    for h, docs in posted.items():
        assert sorted(runs.lookup(np.array([h, h], dtype=np.uint64), 30).tolist()) == (
            sorted(docs * 2) if len(docs) <= 30 else []
        )


def test_a_hash_posted_more_than_the_limit_is_skipped_and_repeated_keys_count_twice():
    runs = SortedRuns()
    runs.add(np.array([5] * 30 + [7, 9], dtype=np.uint64), np.arange(32, dtype=np.uint32))
    keys = np.array([9, 5, 7, 9, 11], dtype=np.uint64)
    assert sorted(runs.lookup(keys).tolist()) == sorted([31, *range(30), 30, 31])
    assert sorted(runs.lookup(keys, max_postings=29).tolist()) == [30, 31, 31]
    assert runs.lookup(np.array([2**64 - 1], dtype=np.uint64)).tolist() == []


def _layouts(postings, cadence):
    """The same postings added one document at a time, with a lookup (which makes the
    pending postings a run, and merges runs) every ``cadence`` documents."""
    runs = SortedRuns()
    for doc, hashes in enumerate(postings):
        runs.add(hashes, np.full(len(hashes), doc, dtype=np.uint32))
        if doc % cadence == 0:
            runs.lookup(hashes[:1])
    return runs


def test_the_posting_limit_counts_every_run_so_the_layout_does_not_change_lookups(monkeypatch):
    # Small caps: the runs stop growing early, as a large index's do.
    monkeypatch.setattr(SortedRuns, "MIN_RUN_CAP", 64)
    rng = np.random.default_rng(3)
    # A common hash (posted by about one document in three), a few frequent ones, and rare ones.
    postings = [np.concatenate([[0] if rng.random() < 0.3 else [],
                                rng.integers(1, 40, 3), rng.integers(40, 5000, 5)]).astype(np.uint64)
                for _ in range(1500)]  # fmt: skip
    layouts = [_layouts(postings, cadence) for cadence in (1, 7, 50, 10_000)]
    assert len({len(r._runs) for r in layouts}) > 1, "the layouts differ"
    # The largest run holds at most an eighth of the postings (or the minimum cap).
    for runs in layouts:
        assert max(len(h) for h, _ in runs._runs) <= max(64, len(runs) // SortedRuns.RUNS_AT_CAP)
    posted = {}
    for doc, hashes in enumerate(postings):
        for h in hashes.tolist():
            posted.setdefault(h, []).append(doc)
    for limit in (None, 50, 450):
        for h in (0, 1, 17, 39, 41, 4999, 7777):
            docs = posted.get(h, [])
            want = sorted(docs) if limit is None or len(docs) <= limit else []
            for runs in layouts:
                assert sorted(runs.lookup(np.array([h], dtype=np.uint64), limit).tolist()) == want
    # The common hash is over the limit in all runs together, and under it in each run.
    assert len(posted[0]) > 450
    assert all(np.count_nonzero(h == 0) <= 450 for h, _ in layouts[0]._runs)


def test_lookups_after_a_prefetch_find_what_they_would_without_it(monkeypatch):
    monkeypatch.setattr(SortedRuns, "MIN_RUN_CAP", 256)
    monkeypatch.setattr(SortedRuns, "PREFETCH_FROM", 100)
    rng = np.random.default_rng(9)
    plain, ahead = SortedRuns(), SortedRuns()

    def text():
        # Repeated hashes within a text, common and rare hashes across texts.
        return np.concatenate([rng.integers(0, 30, 4), rng.integers(0, 3000, 12)]).astype(np.uint64)

    doc = 0
    for batch in range(30):
        texts = [text() for _ in range(25)]
        # A few texts are signed again before they are matched: their hashes were not prefetched.
        ahead.prefetch(np.concatenate(texts))
        for hashes in texts:
            if rng.random() < 0.1:
                hashes = text()
            for limit in (None, 5, 40):
                got = ahead.lookup(hashes, limit)
                want = plain.lookup(hashes, limit)
                assert sorted(got.tolist()) == sorted(want.tolist()), (batch, limit)
            for runs in (plain, ahead):
                runs.add(hashes, np.full(len(hashes), doc, dtype=np.uint32))
            doc += 1
        if batch % 3 == 0:
            live = DocIds()
            for d in range(doc):
                live.assign(d)
            live.remove(int(rng.integers(0, doc)))
            plain.compact(live)
            ahead.compact(live)
        ahead.end_prefetch()
    assert ahead._ahead is None
    monkeypatch.setattr(SortedRuns, "PREFETCH_FROM", 10**9)
    ahead.prefetch(text())  # a small index: nothing to gain, nothing done
    assert ahead._ahead is None


def test_expanded_ranges_are_the_ranges_one_after_the_other():
    from dedupe.ranges import expand

    rng = np.random.default_rng(8)
    for top in (0, 1, 5):  # all empty, none longer than one, longer ranges
        starts = rng.integers(0, 1000, 50)
        counts = rng.integers(0, top + 1, 50)
        want = [p for s, c in zip(starts.tolist(), counts.tolist()) for p in range(s, s + c)]
        assert expand(starts, counts).tolist() == want
    assert expand(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)).tolist() == []
