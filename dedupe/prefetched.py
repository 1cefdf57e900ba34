"""Postings looked up ahead of the lookups that need them (`SortedRuns.prefetch`): a batch of
texts' hashes searched together in each sorted run, then each text's lookup answered from
that, plus the postings of those hashes added since."""

from __future__ import annotations

import numpy as np

from dedupe.ranges import expand


class Prefetched:
    """Postings of some hashes as they were when looked up together (`SortedRuns.prefetch`),
    and the postings of those hashes added since."""

    def __init__(self, keys: np.ndarray, starts: np.ndarray, counts: np.ndarray,
                 docs: np.ndarray) -> None:  # fmt: skip
        self.keys, self.starts, self.counts, self.docs = keys, starts, counts, docs
        self.since: dict[int, list[int]] = {}

    def added(self, hashes: np.ndarray, docs: np.ndarray) -> None:
        at = np.searchsorted(self.keys, hashes)
        at[at == len(self.keys)] = 0
        known = self.keys[at] == hashes if len(self.keys) else np.zeros(len(hashes), bool)
        for h, d in zip(hashes[known].tolist(), docs[known].tolist()):
            self.since.setdefault(h, []).append(d)

    def lookup(self, hashes: np.ndarray, max_postings: int | None) -> np.ndarray | None:
        """What `SortedRuns.lookup` finds, or None when a hash was not prefetched."""
        if not len(self.keys):
            return None
        at = np.searchsorted(self.keys, hashes)
        if (at == len(self.keys)).any() or not np.array_equal(self.keys[at], hashes):
            return None
        counts = self.counts[at]
        later = [self.since.get(h, ()) for h in hashes.tolist()] if self.since else None
        if max_postings is not None:
            totals = counts + np.array([len(x) for x in later]) if later else counts
            keep = totals <= max_postings
        else:
            keep = np.ones(len(hashes), dtype=bool)
        counts = np.where(keep, counts, 0)
        found = self.docs[expand(self.starts[at], counts)]
        if later:
            extra = [d for docs, k in zip(later, keep.tolist()) if k for d in docs]
            if extra:
                found = np.concatenate([found, np.array(extra, dtype=np.uint32)])
        return found
