"""Exact verification of candidate pairs and the `Match` record.

LSH and anchors only propose candidates. Every candidate is checked on the exact shingle
sets (after removing each side's outlet boilerplate): Jaccard similarity and both
containments. A pair is a match when the texts are near-duplicates (Jaccard high) or when
the smaller is mostly contained in the larger (an excerpt, or a copy with material added).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

__all__ = ["Match", "Overlap", "Thresholds", "classify", "overlap"]

Kind = Literal["near-duplicate", "excerpt", "expanded"]


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds. Defaults calibrated on the ArticleComparisons corpora (680
    articles, 75+ outlets; benchmarks/accuracy_dedupe.py) against labels from shared
    8-word-run coverage plus manual review (benchmarks/labels/): containment 0.6 lost
    ~9% recall and 0.5 cost no precision, because labelled non-copies (shared quotes, a
    paragraph or two of wire copy) stay well below half of the smaller text."""

    #: Jaccard from which two texts are near-duplicates.
    near_duplicate: float = 0.5
    #: share of the smaller text's shingles found in the larger for excerpt/expanded.
    containment: float = 0.5
    #: LSH threshold (estimated Jaccard) for proposing candidates. Anchors find all
    #: low-Jaccard candidates, so LSH only needs the near-duplicates: 0.3 found nothing
    #: more on the real data and needs 37 bands instead of 25 (memory, query time).
    lsh: float = 0.5
    #: anchors two texts must share to become candidates by containment.
    min_shared_anchors: int = 2
    #: texts with fewer shingles (after boilerplate removal) are never indexed or matched.
    min_shingles: int = 30

    def __post_init__(self) -> None:
        for name in ("near_duplicate", "containment", "lsh"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} threshold must be in (0, 1], got {value}")
        if self.min_shared_anchors < 1:
            raise ValueError(f"min_shared_anchors must be >= 1, got {self.min_shared_anchors}")
        if self.min_shingles < 1:
            raise ValueError(
                f"min_shingles must be >= 1, got {self.min_shingles}; an empty shingle set "
                "matches every other empty set, so keep it at 30 unless texts are very short"
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Thresholds:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass(frozen=True)
class Overlap:
    size_a: int
    size_b: int
    shared: int

    @property
    def jaccard(self) -> float:
        union = self.size_a + self.size_b - self.shared
        return self.shared / union if union else 0.0

    @property
    def containment_a_in_b(self) -> float:
        return self.shared / self.size_a if self.size_a else 0.0

    @property
    def containment_b_in_a(self) -> float:
        return self.shared / self.size_b if self.size_b else 0.0


@dataclass(frozen=True)
class Match:
    """A verified text match between `key_a` and `key_b`.

    ``kind`` describes text A relative to text B: "near-duplicate" (Jaccard at least the
    threshold), "excerpt" (A is mostly contained in the larger B) or "expanded" (A
    contains most of the smaller B plus material of its own). Which one is the origin is
    not decided here: that needs dates and attribution.
    """

    key_a: Any
    key_b: Any
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float
    kind: Kind
    shingles_a: int
    shingles_b: int

    @property
    def containment(self) -> float:
        """The larger of the two containments (how much of the smaller text is shared)."""
        return max(self.containment_a_in_b, self.containment_b_in_a)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def overlap(a: np.ndarray, b: np.ndarray) -> Overlap:
    """Exact overlap of two sorted unique shingle-hash arrays."""
    if len(a) == 0 or len(b) == 0:
        return Overlap(len(a), len(b), 0)
    if len(a) > len(b):
        a, b = b, a
        swapped = True
    else:
        swapped = False
    # searchsorted of the smaller into the larger: O(n log m), no sorting of the union
    pos = np.searchsorted(b, a)
    pos[pos == len(b)] = 0
    shared = int(np.count_nonzero(b[pos] == a))
    if swapped:
        return Overlap(len(b), len(a), shared)
    return Overlap(len(a), len(b), shared)


def classify(key_a: Any, key_b: Any, ov: Overlap, thresholds: Thresholds) -> Match | None:
    """Turn an exact overlap into a `Match`, or None when it is not one."""
    if min(ov.size_a, ov.size_b) < thresholds.min_shingles:
        return None
    jaccard = ov.jaccard
    a_in_b, b_in_a = ov.containment_a_in_b, ov.containment_b_in_a
    kind: Kind
    if jaccard >= thresholds.near_duplicate:
        kind = "near-duplicate"
    elif a_in_b >= thresholds.containment and a_in_b >= b_in_a:
        kind = "excerpt"
    elif b_in_a >= thresholds.containment:
        kind = "expanded"
    else:
        return None
    return Match(
        key_a=key_a,
        key_b=key_b,
        jaccard=round(jaccard, 4),
        containment_a_in_b=round(a_in_b, 4),
        containment_b_in_a=round(b_in_a, 4),
        kind=kind,
        shingles_a=ov.size_a,
        shingles_b=ov.size_b,
    )
