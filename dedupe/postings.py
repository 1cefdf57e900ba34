"""Compact posting lists: what both candidate indexes keep per article, as numpy arrays.

A posting is a pair (64-bit hash, internal document number). :class:`SortedRuns` keeps them
in a few sorted runs, log-structured: new postings are buffered, sorted into a run when a
query needs them, and a run at least half the size of the one before it (or any run while
the one before it is small) is merged into it, so a lookup searches O(log n) arrays. Runs
stop growing at 8M postings or an eighth of the index, whichever is larger, which bounds the
memory a merge holds at once. That is 12 bytes a posting, where Python dicts of
sets cost several hundred.

:class:`DocIds` maps the caller's keys to internal document numbers. Article ids are
non-negative integers, so the key-to-number map is an ``int32`` array indexed by the key
(4 bytes per id) instead of a dict; any other hashable key goes through a dict. A key that
is removed or re-added gets a new number: postings of its old number are left in the runs
and filtered out at query time (:meth:`DocIds.live`), then dropped by the next
:meth:`SortedRuns.compact`.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable

import numpy as np

from dedupe.prefetched import Prefetched
from dedupe.ranges import expand

__all__ = ["DocIds", "SortedRuns"]

_ABSENT = -1
# Newer postings placed per step of a merge: bounds its position arrays to a few MB.
_MERGE_CHUNK = 1 << 19


def _grow(array: np.ndarray, size: int, fill: int) -> np.ndarray:
    if size <= len(array):
        return array
    grown = np.full(max(size, 2 * len(array), 1024), fill, dtype=array.dtype)
    grown[: len(array)] = array
    return grown


class DocIds:
    """Keys <-> internal document numbers (``uint32``, assigned in order)."""

    def __init__(self) -> None:
        self._count = 0
        self._live_count = 0
        # int keys: number -> key as int64, key -> number as int32 (-1: absent).
        self._key_of = np.zeros(0, dtype=np.int64)
        self._number_of = np.zeros(0, dtype=np.int32)
        # Any other key: number -> key in a list, key -> number in a dict.
        self._other_keys: dict[int, Hashable] = {}
        self._other_numbers: dict[Hashable, int] = {}

    def __len__(self) -> int:
        return self._live_count

    @staticmethod
    def _is_plain_int(key: Hashable) -> bool:
        return type(key) is int and 0 <= key < 2**31 - 1  # bool is not an id

    def number(self, key: Hashable) -> int | None:
        """The live number of ``key``, or None."""
        if self._is_plain_int(key):
            if key < len(self._number_of) and self._number_of[key] != _ABSENT:
                return int(self._number_of[key])
            return None
        return self._other_numbers.get(key)

    def __contains__(self, key: Hashable) -> bool:
        return self.number(key) is not None

    def assign(self, key: Hashable) -> int:
        """A new number for ``key`` (its old one, if any, stops being live)."""
        self.remove(key)
        number = self._count
        self._count += 1
        self._live_count += 1
        self._key_of = _grow(self._key_of, number + 1, _ABSENT)
        if self._is_plain_int(key):
            self._number_of = _grow(self._number_of, key + 1, _ABSENT)
            self._number_of[key] = number
            self._key_of[number] = key
        else:
            self._other_numbers[key] = number
            self._other_keys[number] = key
        return number

    def remove(self, key: Hashable) -> None:
        if self._is_plain_int(key):
            if key < len(self._number_of) and self._number_of[key] != _ABSENT:
                self._key_of[self._number_of[key]] = _ABSENT
                self._number_of[key] = _ABSENT
                self._live_count -= 1
            return
        number = self._other_numbers.pop(key, None)
        if number is not None:
            del self._other_keys[number]
            self._live_count -= 1

    def live(self, numbers: np.ndarray) -> np.ndarray:
        """The subset of ``numbers`` that still stand for their key."""
        if not len(numbers):
            return numbers
        keys = self._key_of[numbers]
        alive = keys != _ABSENT
        if self._other_keys:
            others = ~alive
            alive[others] = [int(n) in self._other_keys for n in numbers[others]]
        return numbers[alive]

    def keys(self, numbers: np.ndarray) -> list[Hashable]:
        """The keys of live ``numbers``."""
        keys = self._key_of[numbers]
        if not self._other_keys:
            return keys.tolist()
        return [
            int(k) if k != _ABSENT else self._other_keys[int(n)] for n, k in zip(numbers, keys)
        ]

    @property
    def assigned(self) -> int:
        """How many numbers were ever assigned (live or not)."""
        return self._count

    @property
    def dead(self) -> int:
        """How many numbers were assigned and are no longer live."""
        return self._count - self._live_count

    def nbytes(self) -> int:
        return int(self._key_of.nbytes + self._number_of.nbytes)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The maps as arrays, for an index file; integer keys only."""
        if self._other_keys:
            raise ValueError("only an index of integer keys can be saved")
        return {
            "key_of": self._key_of[: self._count],
            "number_of": self._number_of,
            "counts": np.array([self._count, self._live_count], dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> DocIds:
        """The maps `to_arrays` saved. The arrays may be copy-on-write memory maps: they are
        written in place (removals) and replaced when they grow."""
        count, live_count = (int(n) for n in arrays["counts"])
        key_of, number_of = arrays["key_of"], arrays["number_of"]
        if len(key_of) != count or not 0 <= live_count <= count:
            raise ValueError("document numbers do not match their count")
        docs = cls()
        docs._count, docs._live_count = count, live_count
        docs._key_of, docs._number_of = key_of, number_of
        return docs


class SortedRuns:
    """Postings (``uint64`` hash, ``uint32`` document) in sorted runs."""

    def __init__(self) -> None:
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []
        self._ahead: Prefetched | None = None

    # Pending parts are small arrays with ~100 bytes of overhead each: sort them into a
    # run once this many wait, even if no query asked for them yet.
    MAX_PENDING_PARTS = 4096
    # Matching looks each text up after adding the one before, so most flushes make a run
    # of one text's postings. A run is merged into the one before it while that one is
    # smaller than this: lookups then search one small run, not a dozen tiny ones, each
    # search costing a few numpy calls whatever its size. Below this size both ends of a
    # key's range are searched at once, the run being in the CPU's caches.
    SMALL_RUN = 1 << 13
    # Runs are merged up to the larger of these sizes (postings): an index of many postings
    # keeps about RUNS_AT_CAP full runs, plus the smaller ones of its log.
    MIN_RUN_CAP = 1 << 23
    RUNS_AT_CAP = 8
    # Below this many postings (768 KB) the runs stay in the CPU's nearest caches: a
    # prefetch would only add work. Above it, prefetching a batch's hashes costs less than
    # searching each text's hashes in every run (measured on ingests of 30k articles).
    PREFETCH_FROM = 1 << 16

    def add(self, hashes: np.ndarray, docs: np.ndarray) -> None:
        if len(hashes):
            hashes = hashes.astype(np.uint64, copy=False)
            docs = docs.astype(np.uint32, copy=False)
            if self._ahead is not None:
                self._ahead.added(hashes, docs)
            self._pending.append((hashes, docs))
            if len(self._pending) >= self.MAX_PENDING_PARTS:
                self.flush()

    @staticmethod
    def _sorted(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        hashes = np.concatenate([h for h, _ in parts])
        docs = np.concatenate([d for _, d in parts])
        order = np.argsort(hashes, kind="stable")
        return hashes[order], docs[order]

    @staticmethod
    def _merged(older: tuple[np.ndarray, np.ndarray],
                newer: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Two sorted runs as one, each hash's older postings first: what a stable sort of
        the two gives, without sorting again. It holds the result and a byte per posting; a
        sort would also hold a copy of both runs and an 8-byte order per posting, about
        three times the index at the merge of its two largest runs."""
        old_hashes, old_docs = older
        new_hashes, new_docs = newer
        total = len(old_hashes) + len(new_hashes)
        hashes = np.empty(total, dtype=np.uint64)
        docs = np.empty(total, dtype=np.uint32)
        rest = np.ones(total, dtype=bool)
        for start in range(0, len(new_hashes), _MERGE_CHUNK):
            part = slice(start, start + _MERGE_CHUNK)
            at = np.searchsorted(old_hashes, new_hashes[part], side="right")
            at += np.arange(start, start + len(at), dtype=at.dtype)
            hashes[at] = new_hashes[part]
            docs[at] = new_docs[part]
            rest[at] = False
        hashes[rest] = old_hashes
        docs[rest] = old_docs
        return hashes, docs

    def flush(self) -> None:
        if not self._pending:
            return
        run = self._sorted(self._pending)
        self._pending.clear()
        self._runs.append(run)
        # A merge holds its output beside its inputs, 13 bytes a posting: runs stop growing
        # at a cap, so that no merge holds the whole index at once (at a million articles,
        # a third of a gigabyte). Runs that stopped under an earlier, smaller cap are merged
        # with their neighbour once the cap allows, so that lookups search few large runs.
        cap = max(self.MIN_RUN_CAP, len(self) // self.RUNS_AT_CAP)
        at = len(self._runs) - 1
        while at > 0:
            newer_size, older_size = len(self._runs[at][0]), len(self._runs[at - 1][0])
            small = older_size < self.SMALL_RUN
            if (newer_size * 2 < older_size and not small) or newer_size + older_size > cap:
                at -= 1
                continue
            newer, older = self._runs.pop(at), self._runs.pop(at - 1)
            # Neighbours only, the older first: each hash's postings stay in the order added.
            self._runs.insert(at - 1, self._merged(older, newer))
            del newer, older  # a mapped run stays on disk; a copied one is freed here
            at = len(self._runs) - 1

    def prefetch(self, hashes: np.ndarray) -> None:
        """Look ``hashes`` up now, all at once, for the lookups that follow: the hashes of
        a batch of texts about to be matched one by one. Searched together, in order, they
        cost a fraction of one search each in a large run, whose every binary search
        otherwise misses the CPU's caches. A later lookup of hashes all found here adds the
        postings added since; any other lookup searches the runs as usual. The lookups give
        what they would without it, until `end_prefetch`. An index of fewer than
        ``PREFETCH_FROM`` postings is not prefetched."""
        self._ahead = None
        if len(self) < self.PREFETCH_FROM:
            return
        keys = np.unique(np.asarray(hashes, dtype=np.uint64))
        starts, counts, docs = self._ranges(keys)
        self._ahead = Prefetched(keys, starts, counts, docs)

    def end_prefetch(self) -> None:
        self._ahead = None

    def _ranges(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For sorted unique ``keys``: each key's postings, all runs together, as (start,
        count) into one array of documents."""
        self.flush()
        counts = np.zeros(len(keys), dtype=np.int64)
        per_run = []
        for run_hashes, run_docs in self._runs:
            lo = np.searchsorted(run_hashes, keys, side="left")
            hi = np.searchsorted(run_hashes, keys, side="right")
            if (hi > lo).any():
                per_run.append((run_docs, lo, hi - lo))
                counts += hi - lo
        # Grouped by key, then by run (older first).
        docs = np.zeros(int(counts.sum()), dtype=np.uint32)
        starts = np.cumsum(counts) - counts
        filled = starts.copy()
        for run_docs, lo, run_counts in per_run:
            docs[expand(filled, run_counts)] = run_docs[expand(lo, run_counts)]
            filled += run_counts
        return starts, counts, docs

    def compact(self, live: DocIds) -> None:
        """The runs without the postings of documents that are no longer live. Each run is
        filtered on its own: merging them all into one would hold the whole index twice."""
        self.flush()
        self._ahead = None  # its documents would include the ones dropped here
        compacted = []
        for hashes, docs in self._runs:
            keep = np.isin(docs, live.live(np.unique(docs)))
            if keep.any():
                compacted.append((hashes[keep], docs[keep]))
        self._runs = compacted

    def lookup(self, hashes: np.ndarray, max_postings: int | None = None) -> np.ndarray:
        """Every document posted under any of ``hashes`` (with repeats, one per posting).
        A hash with more than ``max_postings`` postings, all runs together, is skipped: how
        the postings happen to be split into runs does not change what is found."""
        if self._ahead is not None:
            found = self._ahead.lookup(np.asarray(hashes, dtype=np.uint64), max_postings)
            if found is not None:
                return found
        self.flush()
        ranges = []
        # Sorted keys let each binary search start where the last one ended; most keys are
        # in no run or once, so the end of a key's range is searched only where it is there.
        hashes = np.sort(np.asarray(hashes, dtype=np.uint64))
        totals = np.zeros(len(hashes), dtype=np.int64)
        for run_hashes, run_docs in self._runs:
            lo = np.searchsorted(run_hashes, hashes, side="left")
            if len(run_hashes) < self.SMALL_RUN:
                counts = np.searchsorted(run_hashes, hashes, side="right") - lo
                if counts.any():
                    totals += counts
                    ranges.append((run_docs, lo, counts))
                continue
            present = lo < len(run_hashes)
            present[present] = run_hashes[lo[present]] == hashes[present]
            if not present.any():
                continue
            hi = lo.copy()
            hi[present] = np.searchsorted(run_hashes, hashes[present], side="right")
            counts = hi - lo
            totals += counts
            ranges.append((run_docs, lo, counts))
        found = []
        if max_postings is not None and ranges and totals.max() > max_postings:
            keep = totals <= max_postings
            ranges = [(run_docs, lo, counts * keep) for run_docs, lo, counts in ranges]
        for run_docs, lo, counts in ranges:
            found.append(run_docs[expand(lo, counts)])
        if len(found) == 1:
            return found[0]
        return np.concatenate(found) if found else np.zeros(0, dtype=np.uint32)

    def __len__(self) -> int:
        return sum(len(h) for h, _ in self._runs) + sum(len(h) for h, _ in self._pending)

    def to_arrays(self) -> dict[str, list[np.ndarray] | np.ndarray]:
        """The runs as they are (no merge, so saving costs no sort): each array is the list
        of the runs' parts, written one after the other."""
        self.flush()
        return {
            "hashes": [h for h, _ in self._runs],
            "docs": [d for _, d in self._runs],
            "lengths": np.array([len(h) for h, _ in self._runs], dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], documents: int) -> SortedRuns:
        """The runs `to_arrays` saved, as views of ``arrays`` (memory maps stay maps: a run
        is only copied when a merge rewrites it). ``documents``: how many document numbers
        exist; a posting beyond them means the arrays are not what was saved."""
        hashes, docs, lengths = arrays["hashes"], arrays["docs"], arrays["lengths"]
        if len(hashes) != len(docs) or int(lengths.sum()) != len(hashes) or (lengths < 0).any():
            raise ValueError("posting runs do not match their lengths")
        if len(docs) and int(docs.max()) >= documents:
            raise ValueError("a posting names a document number that does not exist")
        runs = cls()
        bounds = np.concatenate([[0], np.cumsum(lengths)]).tolist()
        runs._runs = [(hashes[a:b], docs[a:b]) for a, b in itertools.pairwise(bounds)]
        return runs

    def nbytes(self) -> int:
        return sum(h.nbytes + d.nbytes for h, d in self._runs + self._pending)
