"""Candidate indexes: MinHash LSH for near-duplicates, anchors for excerpts.

`LSHIndex` wraps `datasketch.MinHashLSH`. Its threshold is on Jaccard similarity, which
is low when a short text is wholly contained in a long one (a 300-word excerpt of a
1,200-word article has Jaccard about 0.25), so LSH alone misses excerpts and expanded
copies. `AnchorIndex` covers them: it maps each sampled shingle hash (see
`signature.Signature.anchors`) to the texts that contain it. Sampling by value keeps
containment (an excerpt's anchors are a subset of its origin's), so texts sharing a few
anchors are candidates whatever their sizes. Both only *propose* candidates; verify.py
decides.

The LSH index takes datasketch's ``storage_config`` (``{"type": "redis", ...}`` for a
shared index). The anchor index lives in memory as sorted numpy runs (about 12 bytes per
anchor, ~45 anchors per article) and is rebuilt at start-up from the persisted signatures.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from dedupe.signature import SignatureParams

__all__ = ["AnchorIndex", "LSHIndex"]


class LSHIndex:
    """MinHash LSH over whole-text signatures."""

    def __init__(
        self,
        params: SignatureParams,
        threshold: float,
        storage_config: dict[str, Any] | None = None,
    ) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"LSH threshold must be between 0 and 1, got {threshold}; use 0.3")
        self.params = params
        self.threshold = threshold
        self._lsh = MinHashLSH(
            threshold=threshold, num_perm=params.num_perm, storage_config=storage_config
        )

    def _check(self, minhash: LeanMinHash) -> None:
        if (
            len(minhash) != self.params.num_perm
            or minhash.seed != self.params.seed
            or minhash.scheme != self.params.scheme
        ):
            raise ValueError(
                f"signature (num_perm={len(minhash)}, seed={minhash.seed}, "
                f"scheme={minhash.scheme}) does not match the index parameters "
                f"{self.params.to_dict()}; re-sign the stored articles with `crosspost rematch`"
            )

    def insert(self, key: Hashable, minhash: LeanMinHash) -> None:
        self._check(minhash)
        self._lsh.insert(key, minhash, check_duplication=False)

    def insert_many(self, items: Iterable[tuple[Hashable, LeanMinHash]]) -> None:
        """Bulk insert through datasketch's insertion session (one round trip per buffer
        on Redis)."""
        with self._lsh.insertion_session() as session:
            for key, minhash in items:
                self._check(minhash)
                session.insert(key, minhash, check_duplication=False)

    def query(self, minhash: LeanMinHash) -> list[Hashable]:
        self._check(minhash)
        return self._lsh.query(minhash)

    def remove(self, key: Hashable) -> None:
        if key in self._lsh:
            self._lsh.remove(key)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._lsh

    @property
    def bands(self) -> tuple[int, int]:
        """(b, r): the number of bands and rows per band datasketch chose."""
        return self._lsh.b, self._lsh.r


class AnchorIndex:
    """Inverted index from anchor hashes to texts, as a few sorted numpy runs.

    New postings are buffered, sorted into a run when a query needs them, and runs are
    merged log-structured style so a query searches O(log n) arrays.
    """

    def __init__(self, max_postings: int = 2000) -> None:
        # An anchor shared by thousands of texts (a stock phrase, an outlet's footer that
        # predates its boilerplate) says nothing about copying and would flood verification.
        self.max_postings = max_postings
        self._keys: list[Hashable] = []
        self._ids: dict[Hashable, int] = {}
        self._removed: set[int] = set()
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._ids

    def add(self, key: Hashable, anchors: np.ndarray) -> None:
        if key in self._ids:
            self.remove(key)
        doc = len(self._keys)
        self._keys.append(key)
        self._ids[key] = doc
        if len(anchors):
            self._pending.append((anchors, np.full(len(anchors), doc, dtype=np.uint32)))

    def remove(self, key: Hashable) -> None:
        doc = self._ids.pop(key, None)
        if doc is not None:
            self._removed.add(doc)

    def _flush(self) -> None:
        if not self._pending:
            return
        anchors = np.concatenate([a for a, _ in self._pending])
        docs = np.concatenate([d for _, d in self._pending])
        self._pending.clear()
        order = np.argsort(anchors, kind="stable")
        self._runs.append((anchors[order], docs[order]))
        while len(self._runs) > 1 and len(self._runs[-1][0]) * 2 >= len(self._runs[-2][0]):
            (a2, d2), (a1, d1) = self._runs.pop(), self._runs.pop()
            anchors = np.concatenate([a1, a2])
            docs = np.concatenate([d1, d2])
            order = np.argsort(anchors, kind="stable")
            self._runs.append((anchors[order], docs[order]))

    def query(self, anchors: np.ndarray, min_shared: int) -> dict[Hashable, int]:
        """Texts sharing at least `min_shared` anchors with `anchors`, with the counts."""
        if len(anchors) < min_shared:
            return {}
        self._flush()
        hits = []
        for run_anchors, run_docs in self._runs:
            lo = np.searchsorted(run_anchors, anchors, side="left")
            hi = np.searchsorted(run_anchors, anchors, side="right")
            counts = hi - lo
            counts[counts > self.max_postings] = 0
            total = int(counts.sum())
            if total == 0:
                continue
            # Expand the [lo, hi) ranges into one index array without a Python loop.
            starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
            hits.append(run_docs[starts + np.arange(total)])
        if not hits:
            return {}
        docs, shared = np.unique(np.concatenate(hits), return_counts=True)
        keep = shared >= min_shared
        result = {}
        for doc, count in zip(docs[keep].tolist(), shared[keep].tolist()):
            if doc not in self._removed:
                result[self._keys[doc]] = count
        return result
