"""The matches a run found, with the boilerplate they were verified under (used by the
store's matcher, `crawler.matching.StoreMatcher`).

At the end of a run its matches are verified again under the boilerplate its outlets learnt
meanwhile, but only those whose outlets learnt some since they were verified: the others
would verify as they did. A million-article ingest finds a few hundred thousand matches, so
they are kept as four integer arrays, 32 bytes a pair, where a set of tuples cost ~140.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator

import numpy as np

Versions = Callable[[int, int], tuple[int, int]]
_CHUNK = 4096


class FoundPairs:
    """Pairs of article ids (a, b), each with the boilerplate versions of both outlets when it
    was verified. A pair found again counts with its latest versions."""

    def __init__(self) -> None:
        self._columns = tuple(array("q") for _ in range(4))

    def add(self, a: int, b: int, versions: tuple[int, int]) -> None:
        for column, value in zip(self._columns, (a, b, *versions)):
            column.append(value)

    def clear(self) -> None:
        self._columns = tuple(array("q") for _ in range(4))

    def changed(self, versions: Versions) -> tuple[np.ndarray, int]:
        """The pairs, each once and in order, whose outlets' versions (``versions(a, b)``)
        differ from those they were verified under, as an (n, 2) array (see `each_pair`);
        and how many others there are. Held as arrays and checked a chunk at a time: at a
        million articles, lists of every pair would add tens of MB to the run's peak."""
        a, b, seen_a, seen_b = (np.array(c, dtype=np.int64) for c in self._columns)
        # Sorted by pair, then by when found: the last of each pair's run is its latest.
        order = np.lexsort((np.arange(len(a)), b, a))
        a, b, seen_a, seen_b = a[order], b[order], seen_a[order], seen_b[order]
        latest = np.ones(len(a), dtype=bool)
        latest[:-1] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        a, b, seen_a, seen_b = a[latest], b[latest], seen_a[latest], seen_b[latest]
        differ = np.zeros(len(a), dtype=bool)
        for start in range(0, len(a), _CHUNK):
            part = slice(start, start + _CHUNK)
            differ[part] = [
                versions(x, y) != (vx, vy)
                for x, y, vx, vy in zip(a[part].tolist(), b[part].tolist(),
                                        seen_a[part].tolist(), seen_b[part].tolist())
            ]  # fmt: skip
        return np.column_stack([a[differ], b[differ]]), int(len(a) - differ.sum())


def each_pair(pairs: np.ndarray) -> Iterator[tuple[int, int]]:
    """The rows of an (n, 2) array of ids as (int, int), a chunk at a time."""
    for start in range(0, len(pairs), _CHUNK):
        yield from map(tuple, pairs[start : start + _CHUNK].tolist())
