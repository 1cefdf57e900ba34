"""MinHash LSH bands kept as sorted numpy runs: datasketch's candidates at a fraction of the memory.

datasketch's in-memory ``MinHashLSH`` keeps, for each of its ``b`` bands, a Python dict from
the band's bytes to a set of keys, plus a dict from each key to its ``b`` band byte strings:
about 13 KB per article in a crawl's store, so a store outgrows a 24 GB machine near 1.7M
articles. :class:`BandIndex` chooses the same bands (datasketch's own ``_optimal_param`` for
the threshold, the same hash value ranges), hashes each band's ``r`` values to one 64-bit
number, and posts (band hash, document) pairs in :class:`~dedupe.postings.SortedRuns`:
12 bytes per band, plus 12 bytes per article for the key maps.

Candidates are those of datasketch: two signatures are candidates when any band is equal.
A band hash can collide where the bands differ (probability 2^-64 per pair of bands), which
adds a candidate that verification then rejects; it never loses one.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager

import numpy as np

from dedupe._datasketch import LeanMinHash, optimal_param
from dedupe.postings import DocIds, SortedRuns

__all__ = ["BandIndex", "band_hashes"]

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    # splitmix64's finaliser: every input bit affects every output bit.
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX1
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX2
    return x ^ (x >> np.uint64(31))


def band_hashes(hashvalues: np.ndarray, b: int, r: int) -> np.ndarray:
    """One 64-bit hash per band for each row of ``hashvalues`` (shape ``(n, num_perm)`` or
    ``(num_perm,)``); the band number is part of the hash, so equal values in different
    bands never meet. Returns shape ``(n, b)`` (or ``(b,)``)."""
    values = np.asarray(hashvalues, dtype=np.uint64)
    single = values.ndim == 1
    rows = values.reshape(1, -1) if single else values
    bands = rows[:, : b * r].reshape(len(rows), b, r)
    with np.errstate(over="ignore"):
        h = np.broadcast_to(np.arange(1, b + 1, dtype=np.uint64) * _MULTIPLIER,
                            (len(rows), b)).copy()  # fmt: skip
        for column in range(r):
            h = _mix(h ^ bands[:, :, column])
    return h[0] if single else h


class BandIndex:
    """The in-memory LSH index: ``insert``, ``query``, ``remove``, ``in`` like datasketch's
    ``MinHashLSH``, with ``b`` and ``r`` chosen the same way."""

    def __init__(self, threshold: float, num_perm: int,
                 weights: tuple[float, float] = (0.5, 0.5)) -> None:  # fmt: skip
        self.b, self.r = optimal_param(threshold, num_perm, weights)
        self.h = num_perm
        self._docs = DocIds()
        self._runs = SortedRuns()
        self._dead_at_compaction = 0
        # The last signature hashed and its band hashes: a text is queried, then inserted.
        self._last: tuple[object, np.ndarray] | None = None
        # The band hashes of the signatures prefetched together, by signature (kept alive
        # here, so that their ids stay theirs), until `end_prefetch`.
        self._batch: dict[int, int] = {}
        self._batch_hashes: np.ndarray | None = None
        self._batch_signatures: list[object] = []

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._docs

    def _values(self, minhash: object) -> np.ndarray:
        values = np.asarray(getattr(minhash, "hashvalues", minhash), dtype=np.uint64)
        if values.shape != (self.h,):
            raise ValueError(f"expecting a signature of {self.h} values, got {values.shape}")
        return values

    def _band_hashes(self, minhash: object) -> np.ndarray:
        last = self._last
        if last is not None and last[0] is minhash:
            return last[1]
        row = self._batch.get(id(minhash))
        if row is not None:
            return self._batch_hashes[row]
        hashes = band_hashes(self._values(minhash), self.b, self.r)
        if isinstance(minhash, LeanMinHash):  # immutable, unlike an array or a MinHash
            self._last = (minhash, hashes)
        return hashes

    def insert(self, key: Hashable, minhash: object, check_duplication: bool = False) -> None:
        del check_duplication  # Re-inserting a key replaces it, as a crawl's update must.
        number = self._docs.assign(key)
        hashes = self._band_hashes(minhash)
        self._runs.add(hashes, np.full(self.b, number, dtype=np.uint32))
        self._maybe_compact()

    def insert_many(self, items: Iterable[tuple[Hashable, object]]) -> None:
        """Insert many signatures with one vectorised hashing pass per chunk."""
        chunk: list[tuple[Hashable, object]] = []
        for item in items:
            chunk.append(item)
            if len(chunk) == 10_000:
                self._insert_chunk(chunk)
                chunk = []
        if chunk:
            self._insert_chunk(chunk)

    def _insert_chunk(self, chunk: list[tuple[Hashable, object]]) -> None:
        values = np.stack([self._values(m) for _, m in chunk])
        numbers = np.array([self._docs.assign(k) for k, _ in chunk], dtype=np.uint32)
        hashes = band_hashes(values, self.b, self.r)
        self._runs.add(hashes.ravel(), np.repeat(numbers, self.b))
        self._maybe_compact()

    @contextmanager
    def insertion_session(self) -> Iterator[BandIndex]:
        yield self

    def prefetch(self, minhashes: list[object]) -> None:
        """Look up the band hashes of a batch of signatures at once (see
        `SortedRuns.prefetch`); they are hashed here once for the batch, not again one by
        one when each is queried and inserted."""
        self.end_prefetch()
        if minhashes:
            values = np.stack([self._values(m) for m in minhashes])
            hashes = band_hashes(values, self.b, self.r)
            self._runs.prefetch(hashes.ravel())
            rows = {id(m): i for i, m in enumerate(minhashes) if isinstance(m, LeanMinHash)}
            if rows:  # only immutable signatures: an array or a MinHash may change
                self._batch, self._batch_hashes = rows, hashes
                self._batch_signatures = list(minhashes)

    def end_prefetch(self) -> None:
        self._runs.end_prefetch()
        self._batch, self._batch_hashes, self._batch_signatures = {}, None, []

    def query(self, minhash: object) -> list[Hashable]:
        hashes = self._band_hashes(minhash)
        numbers = self._docs.live(np.unique(self._runs.lookup(hashes)))
        return self._docs.keys(numbers)

    def remove(self, key: Hashable) -> None:
        self._docs.remove(key)
        self._maybe_compact()

    def _maybe_compact(self) -> None:
        # Stale postings of removed or replaced keys cost memory until a compaction; one
        # is worth its cost once they are a quarter of all. Numbers of dead keys are not
        # reused: 8 bytes each in the number-to-key array, far less than their postings.
        stale = self._docs.dead - self._dead_at_compaction
        if stale > 1000 and stale * 4 > len(self._docs):
            self._runs.compact(self._docs)
            self._dead_at_compaction = self._docs.dead

    def nbytes(self) -> dict[str, int]:
        """Bytes held, by structure."""
        return {"band postings": self._runs.nbytes(), "key maps": self._docs.nbytes()}

    def to_arrays(self) -> dict[str, np.ndarray | list[np.ndarray]]:
        """The index as named arrays (see :mod:`dedupe.persist`)."""
        docs = {f"docs.{k}": v for k, v in self._docs.to_arrays().items()}
        runs = {f"runs.{k}": v for k, v in self._runs.to_arrays().items()}
        shape = np.array([self.b, self.r, self.h, self._dead_at_compaction], dtype=np.int64)
        return {"shape": shape, **docs, **runs}

    def restore(self, arrays: dict[str, np.ndarray]) -> None:
        """Take the state `to_arrays` saved, made with the same threshold and ``num_perm``;
        ValueError if it was not."""
        b, r, h, dead = (int(n) for n in arrays["shape"])
        if (b, r, h) != (self.b, self.r, self.h):
            raise ValueError(f"saved bands are {b}x{r} of {h}, expecting {self.b}x{self.r}")
        part = {k[5:]: v for k, v in arrays.items() if k.startswith("docs.")}
        docs = DocIds.from_arrays(part)
        part = {k[5:]: v for k, v in arrays.items() if k.startswith("runs.")}
        runs = SortedRuns.from_arrays(part, docs.assigned)
        self._docs, self._runs, self._dead_at_compaction = docs, runs, dead

