"""Per-outlet boilerplate learnt from the corpus.

Outlets repeat paragraphs on many of their own pages: Global Research's "Note to readers"
and disclaimer footer, newsletter pitches, share prompts, "Advertisement". Shared by two
articles of one outlet, such paragraphs would make unrelated articles look like copies.

The model counts, per outlet, in how many *different* articles each paragraph (by its
`shingles.Tokens.paragraph_keys` key) was seen; a paragraph seen in at least
``min_articles`` different articles becomes boilerplate of that outlet and is left out of
the shingles, both when signing and when verifying. "Different" is judged on the articles'
paragraph sets (a bottom-8 sketch, estimated Jaccard below 0.5), not on their URLs: an
outlet that runs three updates of one wire story must not learn the story itself as
boilerplate, while Global Research's footer sits on articles that share nothing else. Because early articles were signed
before their outlet's boilerplate was known, verification always recomputes shingles with
the current model; `version(outlet)` changes whenever an outlet learns a new paragraph, so
callers can cache shingle sets per (key, version).

Paragraphs seen only once are kept in a bounded, oldest-first-evicted table per outlet:
boilerplate recurs often, so it stays in the table, while one-off paragraphs age out and
memory stays bounded on unbounded crawls. The whole model is a plain JSON-able dict
(`to_dict`/`from_dict`) for the store to persist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["BoilerplateModel"]

_FORMAT = 1
_SKETCH_SIZE = 8
_SAME_ARTICLE = 0.5
# One-off paragraphs kept per outlet in a saved model (see _persisted).
_PERSIST_RECENT = 2_000


def _sketch(paragraph_keys: set[int]) -> tuple[int, ...]:
    return tuple(sorted(paragraph_keys)[:_SKETCH_SIZE])


def _similar(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Bottom-k estimate of the Jaccard similarity of two paragraph sets, thresholded."""
    union = sorted(set(a) | set(b))[:_SKETCH_SIZE]
    both = set(a) & set(b)
    shared = sum(1 for k in union if k in both)
    return shared >= _SAME_ARTICLE * len(union)


def _persisted(
    pending: dict[int, tuple[tuple[int, ...], ...]],
) -> list[tuple[int, tuple[tuple[int, ...], ...]]]:
    """The pending paragraphs worth saving: those seen in two articles already (on their
    way to boilerplate), and the most recent one-off ones (a footer seen once just before
    the save). Saving every one-off paragraph made the snapshot grow with the corpus:
    gigabytes of JSON for a million articles, parsed again whenever the store is opened."""
    recent = list(pending.items())[-_PERSIST_RECENT:]
    keep = {k for k, _ in recent}
    return [(k, v) for k, v in pending.items() if len(v) >= 2 and k not in keep] + recent


class _Outlet:
    __slots__ = ("_array", "boilerplate", "pending", "version")

    def __init__(self) -> None:
        self.boilerplate: set[int] = set()
        # paragraph key -> sketches of the different articles it was seen in. An article's
        # sketch is one tuple shared by all its paragraphs: most pending paragraphs are seen
        # once, and a tuple of one shared sketch is the least a paragraph can cost.
        self.pending: dict[int, tuple[tuple[int, ...], ...]] = {}
        self.version = 0
        self._array: np.ndarray | None = None

    def array(self) -> np.ndarray:
        if self._array is None:
            self._array = np.sort(
                np.fromiter(self.boilerplate, dtype=np.uint64, count=len(self.boilerplate))
            )
        return self._array


class BoilerplateModel:
    """Learns which paragraphs each outlet repeats across its own articles."""

    def __init__(self, min_articles: int = 3, max_pending: int = 50_000) -> None:
        if min_articles < 2:
            raise ValueError(
                f"min_articles must be at least 2 (a paragraph in one article is never "
                f"boilerplate), got {min_articles}; the default is 3"
            )
        if max_pending < 100:
            raise ValueError(f"max_pending must be at least 100, got {max_pending}; use 50000")
        self.min_articles = min_articles
        self.max_pending = max_pending
        self._outlets: dict[str, _Outlet] = {}

    def observe(self, outlet: str, paragraph_keys: Iterable[int]) -> bool:
        """Record that an article of `outlet` has these paragraphs. Observing the same
        (or a nearly identical) article again changes nothing. Returns True when the
        outlet learnt new boilerplate."""
        if not outlet:
            return False
        state = self._outlets.setdefault(outlet, _Outlet())
        paragraphs = set(map(int, paragraph_keys))
        article = _sketch(paragraphs)
        learnt = False
        pending = state.pending
        for paragraph in paragraphs:
            if paragraph in state.boilerplate:
                continue
            seen = pending.pop(paragraph, ())  # re-inserted last: recently seen stays
            if not any(_similar(article, other) for other in seen):
                seen = (*seen, article)
            if len(seen) >= self.min_articles:
                state.boilerplate.add(paragraph)
                learnt = True
            else:
                pending[paragraph] = seen
        if len(pending) > self.max_pending:
            for stale in list(pending)[: len(pending) - self.max_pending * 9 // 10]:
                del pending[stale]
        if learnt:
            state.version += 1
            state._array = None
        return learnt

    def boilerplate(self, outlet: str | None) -> np.ndarray:
        """The outlet's boilerplate paragraph keys (uint64 array; empty if unknown)."""
        state = self._outlets.get(outlet or "")
        if state is None or not state.boilerplate:
            return np.empty(0, dtype=np.uint64)
        return state.array()

    def version(self, outlet: str | None) -> int:
        state = self._outlets.get(outlet or "")
        return 0 if state is None else state.version

    def outlets(self) -> list[str]:
        return list(self._outlets)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable snapshot (keys as hex strings)."""
        return {
            "format": _FORMAT,
            "min_articles": self.min_articles,
            "max_pending": self.max_pending,
            "outlets": {
                name: {
                    "version": state.version,
                    "boilerplate": sorted(f"{k:016x}" for k in state.boilerplate),
                    "pending": {
                        f"{k:016x}": [[f"{p:016x}" for p in sketch] for sketch in sketches]
                        for k, sketches in _persisted(state.pending)
                    },
                }
                for name, state in self._outlets.items()
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BoilerplateModel:
        if data.get("format") != _FORMAT:
            raise ValueError(
                f"unsupported boilerplate model format {data.get('format')!r}; "
                "rebuild it by re-ingesting the articles (`crosspost rematch`)"
            )
        model = cls(min_articles=data["min_articles"], max_pending=data["max_pending"])
        for name, raw in data["outlets"].items():
            state = _Outlet()
            state.version = raw["version"]
            state.boilerplate = {int(k, 16) for k in raw["boilerplate"]}
            # The paragraphs of one article share its sketch again, as when it was learnt.
            shared: dict[tuple[int, ...], tuple[int, ...]] = {}
            state.pending = {
                int(k, 16): tuple(
                    shared.setdefault(key, key)
                    for key in (tuple(int(p, 16) for p in sketch) for sketch in sketches)
                )
                for k, sketches in raw["pending"].items()
            }
            model._outlets[name] = state
        return model
