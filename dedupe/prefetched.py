"""Postings looked up ahead of the lookups that need them (`SortedRuns.prefetch`): a batch of
texts' hashes searched together in each sorted run, then each text's lookup answered from
that, plus the postings of those hashes added since."""

from __future__ import annotations

import numpy as np

from dedupe.ranges import expand


class Prefetched:
    """Postings of some hashes as they were when looked up together (`SortedRuns.prefetch`),
    and the postings of those hashes added since.

    The postings added since are numbered in the order added and chained per hash: for each
    prefetched hash, the number of its latest one (-1: none) and how many there are; for
    each one, its document and the number of the one before it under the same hash. Adding
    a text's postings is then a few array operations, not a Python step per hash: every
    text of a batch adds its postings, and few of them are ever looked up again."""

    def __init__(self, keys: np.ndarray, starts: np.ndarray, counts: np.ndarray,
                 docs: np.ndarray) -> None:  # fmt: skip
        self.keys, self.starts, self.counts, self.docs = keys, starts, counts, docs
        self._latest = np.full(len(keys), -1, dtype=np.int64)
        self._added = np.zeros(len(keys), dtype=np.int64)
        self._before = np.zeros(0, dtype=np.int64)
        self._docs_since = np.zeros(0, dtype=np.uint32)
        self._since = 0

    def added(self, hashes: np.ndarray, docs: np.ndarray) -> None:
        if not len(self.keys) or not len(hashes):
            return
        at = np.searchsorted(self.keys, hashes)
        at[at == len(self.keys)] = 0
        known = self.keys[at] == hashes
        at, docs = at[known], docs[known]
        n = len(at)
        if not n:
            return
        self._reserve(self._since + n)
        numbers = np.arange(self._since, self._since + n)
        self._docs_since[numbers] = docs
        # A hash may come more than once in one call: grouped by hash in the order added,
        # each posting follows the one before it in its group, the first the hash's latest.
        order = np.argsort(at, kind="stable")
        grouped, numbered = at[order], numbers[order]
        first = np.ones(n, dtype=bool)
        first[1:] = grouped[1:] != grouped[:-1]
        before = np.empty(n, dtype=np.int64)
        before[first] = self._latest[grouped[first]]
        before[~first] = numbered[:-1][~first[1:]]
        self._before[numbered] = before
        last = np.ones(n, dtype=bool)
        last[:-1] = first[1:]
        self._latest[grouped[last]] = numbered[last]
        np.add.at(self._added, at, 1)
        self._since += n

    def _reserve(self, size: int) -> None:
        if size > len(self._before):
            capacity = max(size, 2 * len(self._before), 1024)
            self._before = np.resize(self._before, capacity)
            self._docs_since = np.resize(self._docs_since, capacity)

    def lookup(self, hashes: np.ndarray, max_postings: int | None) -> np.ndarray | None:
        """What `SortedRuns.lookup` finds, or None when a hash was not prefetched."""
        if not len(self.keys):
            return None
        at = np.searchsorted(self.keys, hashes)
        if (at == len(self.keys)).any() or not np.array_equal(self.keys[at], hashes):
            return None
        counts = self.counts[at]
        later = self._added[at] if self._since else None
        if max_postings is not None:
            keep = (counts + later if later is not None else counts) <= max_postings
            counts = np.where(keep, counts, 0)
            if later is not None:
                later = np.where(keep, later, 0)
        found = self.docs[expand(self.starts[at], counts)]
        if later is None or not later.any():
            return found
        extra = []
        before, docs = self._before, self._docs_since
        for number in self._latest[at[later > 0]].tolist():
            while number >= 0:
                extra.append(number)
                number = int(before[number])
        return np.concatenate([found, docs[np.array(extra, dtype=np.int64)]])
