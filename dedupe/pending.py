"""The boilerplate model's pending paragraphs of one outlet, held compactly while it learns.

A paragraph is pending while it has been seen in fewer than ``min_articles`` different
articles of its outlet (`dedupe.boilerplate`). Almost all pending paragraphs are seen once
and never again, and an outlet keeps up to ``max_pending`` of them (50,000), oldest-first
evicted. As a Python dict of paragraph key -> sketches of its articles that cost about 125
bytes a paragraph, two kilobytes an article, until an outlet reached its bound.

:class:`PendingTable` keeps the same entries, in the same order, log-structured as
`dedupe.postings` keeps postings: a small dict of the most recent paragraphs (paragraph key
-> the row of its article's sketch) in front of the older ones frozen into numpy arrays:
keys (sorted, ``uint64``), the order they were last seen in (``uint32``), the row of their
sketch (``uint32``) and a mask of the entries still pending, 17 bytes a paragraph, plus a
table of sketches (eight ``uint64`` keys and a length, 65 bytes an article). When the dict
is full it is merged into the arrays, which drops what was removed since. Every entry of
the dict is newer than every frozen one, so the table's order (oldest first) is the frozen
entries by their sequence number, then the dict's: eviction drops exactly the paragraphs a
dict re-inserted on each sighting would drop. Paragraphs seen in two different articles
already (few: on their way to boilerplate) keep their sketches in a dict of their own.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

import numpy as np

__all__ = ["MULTI", "SKETCH_SIZE", "PendingTable", "Seen", "similar"]

SKETCH_SIZE = 8
_SAME_ARTICLE = 0.5
# The row of an entry whose sketches are kept in `PendingTable._multi` instead.
MULTI = 0xFFFFFFFF
_PAD = (0,) * SKETCH_SIZE

Seen = tuple[tuple[int, ...], ...]


def similar(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Bottom-k estimate of the Jaccard similarity of two paragraph sets, thresholded."""
    union = sorted(set(a) | set(b))[:SKETCH_SIZE]
    both = set(a) & set(b)
    shared = sum(1 for k in union if k in both)
    return shared >= _SAME_ARTICLE * len(union)


class PendingTable:
    """An outlet's pending paragraphs: key -> sketches of the different articles it was
    seen in, ordered by when each was last seen (oldest first)."""

    __slots__ = ("_alive", "_fresh", "_keys", "_largest", "_limit", "_live", "_multi",
                 "_next_seq", "_padded", "_recent", "_refs", "_seqs", "_sizes", "_sketches",
                 "_smallest")  # fmt: skip

    def __init__(self, smallest: int = 512, largest: int = 4096) -> None:
        """``smallest`` and ``largest``: bounds of the recent dict; between them it may hold
        an eighth of the frozen entries, so that merging stays cheap per paragraph."""
        self._smallest, self._largest = smallest, largest
        self._limit = smallest
        # Recent entries: key -> row of its one sketch, or MULTI. Rows from len(_sizes) on
        # are the sketches of `_fresh`, not yet in the numpy table.
        self._recent: dict[int, int] = {}
        self._fresh: list[tuple[int, ...]] = []
        self._multi: dict[int, Seen] = {}
        # Frozen entries, sorted by key. `_padded` has one more element (never a match,
        # see `_find`) so that a search past the end needs no clipping; `_keys` is a view.
        self._padded = np.zeros(1, dtype=np.uint64)
        self._keys = self._padded[:0]
        self._seqs = np.zeros(0, dtype=np.uint32)
        self._refs = np.zeros(0, dtype=np.uint32)
        self._alive = np.zeros(0, dtype=bool)
        self._live = 0
        self._next_seq = 0
        self._sketches = np.zeros((0, SKETCH_SIZE), dtype=np.uint64)
        self._sizes = np.zeros(0, dtype=np.uint8)

    def __len__(self) -> int:
        return self._live + len(self._recent)

    def observe(
        self,
        paragraphs: set[int],
        query: np.ndarray,
        article: tuple[int, ...],
        boilerplate: set[int],
        min_articles: int,
    ) -> bool:
        """Record an article with these paragraphs (``query``: the same keys as a ``uint64``
        array, repeats allowed) and sketch; a paragraph seen in ``min_articles`` different
        articles moves to ``boilerplate``. Returns True when one did."""
        recent, multi = self._recent, self._multi
        found = self._find(query) if self._live else None
        row = None
        learnt = False
        for paragraph in paragraphs:
            if paragraph in boilerplate:
                continue
            ref = recent.pop(paragraph, None)  # re-inserted last: recently seen stays
            if ref is None:
                if found is None or paragraph not in found:
                    if row is None:  # one row for all the paragraphs of the article
                        row = len(self._sizes) + len(self._fresh)
                        self._fresh.append(article)
                    recent[paragraph] = row
                    continue
                ref = self._unfreeze(found[paragraph])
            seen = multi.pop(paragraph) if ref == MULTI else (self._sketch(ref),)
            if not any(similar(article, other) for other in seen):
                seen, ref = (*seen, article), MULTI
            if len(seen) >= min_articles:
                boilerplate.add(paragraph)
                learnt = True
            else:
                recent[paragraph] = ref
                if ref == MULTI:
                    multi[paragraph] = seen
        if len(recent) >= self._limit:
            self._freeze()
        return learnt

    def evict(self, keep: int) -> None:
        """Drop the oldest entries but ``keep``."""
        excess = len(self) - keep
        if excess <= 0:
            return
        live = np.flatnonzero(self._alive)
        if excess < len(live):
            seqs = self._seqs[live]
            live = live[seqs <= np.partition(seqs, excess - 1)[excess - 1]]
        self._drop_multi(live)
        self._alive[live] = False
        self._live -= len(live)
        excess -= len(live)
        for key in list(itertools.islice(self._recent, excess)):
            if self._recent.pop(key) == MULTI:
                del self._multi[key]

    def items(self) -> Iterator[tuple[int, Seen]]:
        """Every entry, oldest first (the order of `dedupe.boilerplate`'s pending dict)."""
        return self._entries(self._by_seq(np.flatnonzero(self._alive)), self._recent.items())

    def persisted(self, recent: int) -> list[tuple[int, Seen]]:
        """What `dedupe.boilerplate` saves: the entries seen in two articles or more,
        except the newest ``recent`` entries, oldest first; then those newest entries."""
        from_dict = min(recent, len(self._recent))
        from_frozen = min(recent - from_dict, self._live)
        live = np.flatnonzero(self._alive)
        if from_frozen < len(live):
            seqs, older_count = self._seqs[live], len(live) - from_frozen
            newest = seqs > np.partition(seqs, older_count - 1)[older_count - 1]
            tail, head = live[newest], live[~newest]
        else:
            tail, head = live, live[:0]
        head = head[self._refs[head] == MULTI]
        older = list(itertools.islice(self._recent.items(), len(self._recent) - from_dict))
        newer = itertools.islice(self._recent.items(), len(older), None)
        kept = [entry for entry in self._entries(self._by_seq(head), older) if len(entry[1]) >= 2]
        return kept + list(self._entries(self._by_seq(tail), newer))

    @classmethod
    def from_items(
        cls, items: Iterable[tuple[int, Seen]], smallest: int = 512, largest: int = 4096
    ) -> PendingTable:
        """A table of these entries, oldest first (as `items` gives them)."""
        table = cls(smallest, largest)
        rows: dict[tuple[int, ...], int] = {}
        for key, seen in items:
            if len(seen) == 1:
                row = rows.get(seen[0])
                if row is None:
                    row = rows[seen[0]] = len(table._fresh)
                    table._fresh.append(seen[0])
                table._recent[key] = row
            else:
                table._recent[key] = MULTI
                table._multi[key] = seen
        if len(table._recent) >= table._limit:
            table._freeze()
        return table

    def nbytes(self) -> int:
        """Bytes of the frozen arrays."""
        arrays = (self._padded, self._seqs, self._refs, self._alive, self._sketches, self._sizes)
        return sum(a.nbytes for a in arrays)

    def _find(self, query: np.ndarray) -> dict[int, int] | None:
        """Frozen entries still pending among ``query``: key -> index."""
        at = self._keys.searchsorted(query)
        # `_padded[len]` is 0 and only a key above every frozen key lands there.
        hit = self._padded[at] == query
        if not np.count_nonzero(hit):
            return None
        at = at[hit]
        at = at[self._alive[at]]
        return dict(zip(self._keys[at].tolist(), at.tolist()))

    def _unfreeze(self, index: int) -> int:
        self._alive[index] = False
        self._live -= 1
        return int(self._refs[index])

    def _sketch(self, row: int) -> tuple[int, ...]:
        frozen = len(self._sizes)
        if row >= frozen:
            return self._fresh[row - frozen]
        return tuple(self._sketches[row, : self._sizes[row]].tolist())

    def _by_seq(self, indexes: np.ndarray) -> Iterator[tuple[int, int]]:
        indexes = indexes[np.argsort(self._seqs[indexes], kind="stable")]
        return zip(self._keys[indexes].tolist(), self._refs[indexes].tolist())

    def _entries(self, *parts: Iterable[tuple[int, int]]) -> Iterator[tuple[int, Seen]]:
        shared: dict[int, Seen] = {}  # one tuple per sketch, as the dict held them
        for key, ref in itertools.chain(*parts):
            if ref == MULTI:
                yield key, self._multi[key]
            else:
                seen = shared.get(ref)
                if seen is None:
                    seen = shared[ref] = (self._sketch(ref),)
                yield key, seen

    def _drop_multi(self, indexes: np.ndarray) -> None:
        for key in self._keys[indexes[self._refs[indexes] == MULTI]].tolist():
            del self._multi[key]

    def _freeze(self) -> None:
        """Merge the recent dict into the frozen arrays, leaving out removed entries and
        sketches no entry refers to any more."""
        n = len(self._recent)
        keys = np.fromiter(self._recent, dtype=np.uint64, count=n)
        refs = np.fromiter(self._recent.values(), dtype=np.uint32, count=n)
        if self._next_seq + n >= MULTI:  # number the survivors 0.. again, in their order
            self._seqs[self._alive] = np.argsort(np.argsort(self._seqs[self._alive]))
            self._next_seq = self._live
        seqs = np.arange(self._next_seq, self._next_seq + n, dtype=np.uint32)
        self._next_seq += n
        old = (self._keys, self._seqs, self._refs)
        if self._live < len(self._alive):
            old = tuple(a[self._alive] for a in old)
        sketches, sizes = self._sketches, self._sizes
        if self._fresh:
            fresh = np.array([s + _PAD[len(s) :] for s in self._fresh], dtype=np.uint64)
            sketches = np.concatenate([sketches, fresh])
            sizes = np.concatenate([sizes, np.fromiter(map(len, self._fresh), np.uint8)])
        # Rows no entry refers to any more (its paragraphs evicted, or seen again) go.
        refs = np.concatenate([old[2], refs])
        single = refs != MULTI
        used = np.zeros(len(sizes), dtype=bool)
        used[refs[single]] = True
        if not used.all():
            renumber = np.cumsum(used, dtype=np.uint32) - np.uint32(1)
            refs[single] = renumber[refs[single]]
            sketches, sizes = sketches[used], sizes[used]
        self._sketches, self._sizes = sketches, sizes
        self._merge(old[0], old[1], keys, seqs, refs)
        self._recent, self._fresh = {}, []

    def _merge(self, old_keys: np.ndarray, old_seqs: np.ndarray, keys: np.ndarray,
               seqs: np.ndarray, refs: np.ndarray) -> None:  # fmt: skip
        """The frozen arrays: the old entries (sorted by key) and the new ones; ``refs``
        has the rows of both, old first."""
        total = len(old_keys) + len(keys)
        self._padded = np.zeros(total + 1, dtype=np.uint64)
        self._keys = self._padded[:total]
        if len(old_keys) <= 4 * len(keys):  # few old entries: one sort of everything
            keys = np.concatenate([old_keys, keys])
            order = np.argsort(keys, kind="stable")
            self._keys[:] = keys[order]
            self._seqs = np.concatenate([old_seqs, seqs])[order]
            self._refs = refs[order]
        else:  # the new ones sorted, and placed among the old ones without sorting them
            order = np.argsort(keys)
            at = np.searchsorted(old_keys, keys[order]) + np.arange(len(keys))
            old_at = np.ones(total, dtype=bool)
            old_at[at] = False
            self._seqs = np.empty(total, dtype=np.uint32)
            merged_refs = np.empty(total, dtype=np.uint32)
            for merged, old, new in ((self._keys, old_keys, keys), (self._seqs, old_seqs, seqs),
                                     (merged_refs, refs[: len(old_keys)],
                                      refs[len(old_keys) :])):  # fmt: skip
                merged[at] = new[order]
                merged[old_at] = old
            self._refs = merged_refs
        self._alive = np.ones(total, dtype=bool)
        self._live = total
        self._limit = max(self._smallest, min(self._largest, total // 8))
