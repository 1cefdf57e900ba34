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
shared index). Outside memory its keys are stored as plain bytes (``i:<int>`` or
``s:<text>``), never pickles: datasketch would otherwise unpickle whatever it reads back, and
anyone who can write to the storage could run code in the process that queries it. Keys read
back in any other form are ignored. The anchor index lives in memory as sorted numpy runs (about
12 bytes per anchor, ~45 anchors per article). Both in-memory indexes give their state as
named arrays (``to_arrays``/``restore``) for an index file that spares a restart the rebuild
from every signature (see :mod:`dedupe.persist`).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np

from dedupe._datasketch import LeanMinHash, MinHashLSH
from dedupe.bands import BandIndex
from dedupe.postings import DocIds, SortedRuns
from dedupe.signature import SignatureParams

__all__ = ["AnchorIndex", "LSHIndex"]

logger = logging.getLogger(__name__)


def pack_key(key: Hashable) -> bytes:
    """An index key as the bytes kept in external storage (no pickle)."""
    if isinstance(key, int) and not isinstance(key, bool):
        return b"i:%d" % key
    if isinstance(key, str):
        return b"s:" + key.encode("utf-8")
    raise TypeError(f"index keys in external storage must be int or str, got {type(key).__name__}")


def unpack_key(raw: bytes) -> Hashable | None:
    """The key `pack_key` stored, or None for anything else (never evaluated)."""
    if raw[:2] == b"i:" and raw[2:].lstrip(b"-").isdigit() and len(raw) <= 24:
        return int(raw[2:])
    if raw[:2] == b"s:":
        try:
            return raw[2:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


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
        # Bytes keys, never datasketch's default pickles, outside the process's memory.
        self._packed = storage_config is not None and storage_config.get("type") != "dict"
        # In memory, the compact band index (same candidates, 1/25 of the memory); outside
        # it, datasketch's storage backends.
        self._lsh: BandIndex | MinHashLSH
        if storage_config is None or storage_config.get("type") == "dict":
            self._lsh = BandIndex(threshold, params.num_perm)
        else:
            self._lsh = MinHashLSH(threshold=threshold, num_perm=params.num_perm,
                                   storage_config=storage_config, prepickle=False)  # fmt: skip

    def _key(self, key: Hashable) -> Hashable:
        return pack_key(key) if self._packed else key

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
        self._lsh.insert(self._key(key), minhash, check_duplication=False)

    def insert_many(self, items: Iterable[tuple[Hashable, LeanMinHash]]) -> None:
        """Bulk insert: in memory, one vectorised hashing pass per chunk; elsewhere through
        datasketch's insertion session (one round trip per buffer on Redis)."""
        if isinstance(self._lsh, BandIndex):
            self._lsh.insert_many(self._checked(items))
            return
        with self._lsh.insertion_session() as session:
            for key, minhash in items:
                self._check(minhash)
                session.insert(self._key(key), minhash, check_duplication=False)

    def _checked(
        self, items: Iterable[tuple[Hashable, LeanMinHash]]
    ) -> Iterable[tuple[Hashable, LeanMinHash]]:
        for key, minhash in items:
            self._check(minhash)
            yield key, minhash

    def use(self, bands: BandIndex) -> None:
        """Take ``bands`` (same threshold and ``num_perm``, e.g. restored from an index
        file) in place of the in-memory band index."""
        if not isinstance(self._lsh, BandIndex) or (bands.b, bands.r, bands.h) != (
            self._lsh.b, self._lsh.r, self._lsh.h
        ):
            raise ValueError("bands of another shape, or an index outside memory")
        self._lsh = bands

    @property
    def in_memory(self) -> BandIndex | None:
        """The in-memory band index, or None when the bands live in external storage."""
        return self._lsh if isinstance(self._lsh, BandIndex) else None

    def query(self, minhash: LeanMinHash) -> list[Hashable]:
        self._check(minhash)
        found = self._lsh.query(minhash)
        if not self._packed:
            return found
        keys = []
        for raw in found:
            key = unpack_key(raw) if isinstance(raw, bytes) else None
            if key is None:
                logger.warning("ignoring an index entry that is not a key: %r", raw[:60])
            else:
                keys.append(key)
        return keys

    def remove(self, key: Hashable) -> None:
        if self._key(key) in self._lsh:
            self._lsh.remove(self._key(key))

    def __contains__(self, key: Hashable) -> bool:
        return self._key(key) in self._lsh

    @property
    def bands(self) -> tuple[int, int]:
        """(b, r): the number of bands and rows per band datasketch chose."""
        return self._lsh.b, self._lsh.r


class AnchorIndex:
    """Inverted index from anchor hashes to texts, as sorted numpy runs
    (:class:`~dedupe.postings.SortedRuns`): 12 bytes an anchor."""

    def __init__(self, max_postings: int = 2000) -> None:
        # An anchor shared by thousands of texts (a stock phrase, an outlet's footer that
        # predates its boilerplate) says nothing about copying and would flood verification.
        self.max_postings = max_postings
        self._docs = DocIds()
        self._runs = SortedRuns()

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._docs

    def add(self, key: Hashable, anchors: np.ndarray) -> None:
        number = self._docs.assign(key)
        if len(anchors):
            self._runs.add(anchors, np.full(len(anchors), number, dtype=np.uint32))

    def remove(self, key: Hashable) -> None:
        self._docs.remove(key)

    def to_arrays(self) -> dict[str, np.ndarray | list[np.ndarray]]:
        """The index as named arrays (see :mod:`dedupe.persist`)."""
        docs = {f"docs.{k}": v for k, v in self._docs.to_arrays().items()}
        return {**docs, **{f"runs.{k}": v for k, v in self._runs.to_arrays().items()}}

    def restore(self, arrays: dict[str, np.ndarray]) -> None:
        """Take the state `to_arrays` saved; ValueError if the arrays do not fit together."""
        docs = DocIds.from_arrays({k[5:]: v for k, v in arrays.items() if k.startswith("docs.")})
        part = {k[5:]: v for k, v in arrays.items() if k.startswith("runs.")}
        self._runs = SortedRuns.from_arrays(part, docs.assigned)
        self._docs = docs

    def prefetch(self, anchors: np.ndarray) -> None:
        """Look up the anchors of a batch of texts at once (see `SortedRuns.prefetch`)."""
        self._runs.prefetch(anchors)

    def end_prefetch(self) -> None:
        self._runs.end_prefetch()

    def query(self, anchors: np.ndarray, min_shared: int) -> dict[Hashable, int]:
        """Texts sharing at least `min_shared` anchors with `anchors`, with the counts."""
        if len(anchors) < min_shared:
            return {}
        hits = self._runs.lookup(anchors, self.max_postings)
        if not len(hits):
            return {}
        numbers, shared = np.unique(hits, return_counts=True)
        keep = shared >= min_shared
        numbers, shared = numbers[keep], shared[keep]
        live = np.isin(numbers, self._docs.live(numbers))
        return dict(zip(self._docs.keys(numbers[live]), shared[live].tolist()))
