"""Index ranges of sorted posting runs, expanded into index arrays."""

from __future__ import annotations

import numpy as np

__all__ = ["expand"]


def expand(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The positions of the ranges [start, start + count) one after the other, as one index
    array, without a Python loop over the ranges."""
    if counts.max(initial=0) <= 1:  # most keys are posted once or not at all
        return starts[counts.astype(bool)]
    total = int(counts.sum())
    return np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
