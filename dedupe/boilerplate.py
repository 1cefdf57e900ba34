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

Paragraphs seen only once are kept in a bounded, oldest-first-evicted table per outlet
(`dedupe.pending`: numpy arrays behind a small dict, about 17 bytes a paragraph and 65 an
article): boilerplate recurs often, so it stays in the table, while one-off paragraphs age
out and memory stays bounded on unbounded crawls.

Saved, the model has two parts. The boilerplate itself and each outlet's version are a small
JSON-able dict (`to_dict(pending=False)`). The paragraphs still on their way to boilerplate
(all but a few keys of the model: two thousand an outlet, each with its articles' sketches)
are numpy arrays (`pending_arrays`), which `from_dict` takes back as they are and reads into
an outlet's table only when that outlet is observed again: opening a store parses no big
JSON and builds no dict of every paragraph. `to_dict()` gives the whole model as one JSON
dict, the form stores kept before.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import numpy as np

from dedupe.pending import SKETCH_SIZE as _SKETCH_SIZE
from dedupe.pending import PendingTable

__all__ = ["BoilerplateModel"]

_FORMAT = 1
# The arrays of `pending_arrays`, each concatenated over the outlets (with offsets per outlet).
PENDING_ARRAYS = ("names", "name_offsets", "key_offsets", "keys", "counts", "seen_offsets",
                  "seen", "sketch_offsets", "sketches", "sketch_sizes")  # fmt: skip
# One-off paragraphs kept per outlet in a saved model (see `_Outlet.persisted`).
_PERSIST_RECENT = 2_000


def _sketch(paragraph_keys: set[int]) -> tuple[int, ...]:
    return tuple(sorted(paragraph_keys)[:_SKETCH_SIZE])


def _paragraphs(paragraph_keys: Iterable[int]) -> tuple[set[int], np.ndarray]:
    """The keys as a set, and as a ``uint64`` array (repeats allowed) for the frozen part of
    the pending table. Raises OverflowError for a key that is no ``uint64``."""
    if isinstance(paragraph_keys, np.ndarray) and paragraph_keys.dtype == np.uint64:
        return set(paragraph_keys.tolist()), paragraph_keys
    paragraphs = set(map(int, paragraph_keys))
    return paragraphs, np.fromiter(paragraphs, dtype=np.uint64, count=len(paragraphs))


Pending = dict[int, tuple[tuple[int, ...], ...]]
Part = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _encode(entries: list[tuple[int, tuple[tuple[int, ...], ...]]]) -> Part:
    """One outlet's pending paragraphs as arrays: keys, the number of articles each was
    seen in, those articles' sketches (indexes into the outlet's table of sketches), the
    table (``_SKETCH_SIZE`` keys a row) and the length of each of its sketches."""
    table: dict[tuple[int, ...], int] = {}
    refs = [table.setdefault(sketch, len(table)) for _, seen in entries for sketch in seen]
    sketches = np.zeros((len(table), _SKETCH_SIZE), dtype=np.uint64)
    sizes = np.zeros(len(table), dtype=np.uint8)
    for sketch, row in table.items():
        sketches[row, : len(sketch)] = sketch
        sizes[row] = len(sketch)
    return (
        np.fromiter((k for k, _ in entries), dtype=np.uint64, count=len(entries)),
        np.fromiter((len(seen) for _, seen in entries), dtype=np.uint32, count=len(entries)),
        np.array(refs, dtype=np.uint32),
        sketches.reshape(-1),
        sizes,
    )


class _Saved:
    """Pending paragraphs as `pending_arrays` saved them, read per outlet when needed."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        missing = [name for name in PENDING_ARRAYS if name not in arrays]
        if missing:
            raise ValueError(f"pending arrays lack {', '.join(missing)}")
        self.a = arrays
        n = len(arrays["name_offsets"]) - 1
        for what, offsets in (("names", "name_offsets"), ("keys", "key_offsets"),
                              ("seen", "seen_offsets"), ("sketch_sizes", "sketch_offsets")):  # fmt: skip
            bounds = arrays[offsets]
            if (
                len(bounds) != n + 1
                or bounds[0] != 0
                or bounds[-1] != len(arrays[what])
                or (n and (np.diff(bounds) < 0).any())
            ):
                raise ValueError(f"pending arrays: {offsets} do not fit {what}")
        if len(arrays["counts"]) != len(arrays["keys"]) or (
            len(arrays["sketches"]) != _SKETCH_SIZE * len(arrays["sketch_sizes"])
        ):
            raise ValueError("pending arrays: counts or sketches of the wrong length")

    def names(self) -> list[str]:
        raw, ends = self.a["names"].tobytes(), self.a["name_offsets"].tolist()
        return [raw[a:b].decode("utf-8") for a, b in itertools.pairwise(ends)]

    def _span(self, name: str, i: int) -> slice:
        bounds = self.a[name]
        return slice(int(bounds[i]), int(bounds[i + 1]))

    def part(self, i: int) -> Part:
        keys, seen, table = self._span("key_offsets", i), self._span("seen_offsets", i), \
            self._span("sketch_offsets", i)  # fmt: skip
        return (self.a["keys"][keys], self.a["counts"][keys], self.a["seen"][seen],
                self.a["sketches"][table.start * _SKETCH_SIZE : table.stop * _SKETCH_SIZE],
                self.a["sketch_sizes"][table])  # fmt: skip

    def pending(self, i: int) -> Pending:
        keys, counts, refs, flat, sizes = self.part(i)
        rows = flat.reshape(-1, _SKETCH_SIZE).tolist()
        # Shared sketch tuples again, as when they were learnt.
        table = [tuple(row[:n]) for row, n in zip(rows, sizes.tolist())]
        seen = [table[r] for r in refs.tolist()]
        pending: Pending = {}
        at = 0
        for key, count in zip(keys.tolist(), counts.tolist()):
            pending[key] = tuple(seen[at : at + count])
            at += count
        if at != len(seen):
            raise ValueError("pending arrays: counts do not add up with the sketches seen")
        return pending


class _Outlet:
    __slots__ = ("_array", "_bounds", "_saved", "_table", "boilerplate", "version")

    def __init__(self, bounds: tuple[int, int]) -> None:
        self.boilerplate: set[int] = set()
        # paragraph key -> sketches of the different articles it was seen in.
        self._bounds = bounds
        self._table = PendingTable(*bounds)
        # Until the outlet is observed again, its saved pending paragraphs stay arrays.
        self._saved: tuple[_Saved, int] | None = None
        self.version = 0
        self._array: np.ndarray | None = None

    @property
    def table(self) -> PendingTable:
        if self._saved is not None:
            saved, i = self._saved
            self._table = PendingTable.from_items(saved.pending(i).items(), *self._bounds)
            self._saved = None
        return self._table

    @property
    def pending(self) -> Pending:
        """The pending paragraphs as a dict, oldest first (a copy)."""
        return dict(self.table.items())

    def persisted(self) -> list[tuple[int, tuple[tuple[int, ...], ...]]]:
        """The pending paragraphs worth saving: those seen in two articles already (on their
        way to boilerplate), and the most recent one-off ones (a footer seen once just before
        the save). Saving every one-off paragraph made the snapshot grow with the corpus:
        gigabytes of JSON for a million articles, parsed again whenever the store is opened."""
        return self.table.persisted(_PERSIST_RECENT)

    def part(self) -> Part:
        if self._saved is not None:  # saved as `persisted` keeps them: the same again
            return self._saved[0].part(self._saved[1])
        return _encode(self.persisted())

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
        # Each pending table's recent dict holds 512 to 4,096 paragraphs (an eighth of its
        # frozen ones): small beside the arrays, merged into them rarely enough to cost about
        # a microsecond an article. A small max_pending (tests) merges more often.
        self._bounds = (min(512, max_pending // 16), 4096)
        self._outlets: dict[str, _Outlet] = {}
        # Whether anything was observed since the model was made or read (worth saving).
        self.changed = False

    def observe(self, outlet: str, paragraph_keys: Iterable[int]) -> bool:
        """Record that an article of `outlet` has these paragraphs. Observing the same
        (or a nearly identical) article again changes nothing. Returns True when the
        outlet learnt new boilerplate."""
        if not outlet:
            return False
        paragraphs, query = _paragraphs(paragraph_keys)
        state = self._outlets.get(outlet)
        if state is None:
            state = self._outlets[outlet] = _Outlet(self._bounds)
        self.changed = True
        table = state.table
        learnt = table.observe(
            paragraphs, query, _sketch(paragraphs), state.boilerplate, self.min_articles
        )
        if len(table) > self.max_pending:
            table.evict(self.max_pending * 9 // 10)
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

    def to_dict(self, pending: bool = True) -> dict[str, Any]:
        """A JSON-serialisable snapshot (keys as hex strings); without the pending
        paragraphs (saved as `pending_arrays` instead) when ``pending`` is False."""
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
                        for k, sketches in (state.persisted() if pending else ())
                    },
                }
                for name, state in self._outlets.items()
            },
        }

    def pending_arrays(self) -> dict[str, np.ndarray | list[np.ndarray]]:
        """The pending paragraphs that `to_dict` would save, as arrays (one-dimensional,
        or lists of parts to concatenate) named as in ``PENDING_ARRAYS``; outlets not
        observed since they were read are copied over as they are."""
        names = [name.encode("utf-8") for name in self._outlets]
        parts = [state.part() for state in self._outlets.values()]

        def offsets(lengths: list[int]) -> np.ndarray:
            return np.concatenate(([0], np.cumsum(lengths, dtype=np.int64))).astype(np.int64)

        return {
            "names": np.frombuffer(b"".join(names), dtype=np.uint8),
            "name_offsets": offsets([len(n) for n in names]),
            "key_offsets": offsets([len(p[0]) for p in parts]),
            "keys": [p[0] for p in parts],
            "counts": [p[1] for p in parts],
            "seen_offsets": offsets([len(p[2]) for p in parts]),
            "seen": [p[2] for p in parts],
            "sketch_offsets": offsets([len(p[4]) for p in parts]),
            "sketches": [p[3] for p in parts],
            "sketch_sizes": [p[4] for p in parts],
        }

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], pending: dict[str, np.ndarray] | None = None
    ) -> BoilerplateModel:
        """The model `to_dict` saved; with ``pending``, the arrays `pending_arrays` saved
        (kept as they are, e.g. memory-mapped, until an outlet is observed). Raises
        ValueError for another format or arrays that do not fit together."""
        if data.get("format") != _FORMAT:
            raise ValueError(
                f"unsupported boilerplate model format {data.get('format')!r}; "
                "rebuild it by re-ingesting the articles (`crosspost rematch`)"
            )
        saved = None if pending is None else _Saved(pending)
        model = cls(min_articles=data["min_articles"], max_pending=data["max_pending"])
        for name, raw in data["outlets"].items():
            state = _Outlet(model._bounds)
            state.version = raw["version"]
            state.boilerplate = {int(k, 16) for k in raw["boilerplate"]}
            pending = {
                int(k, 16): tuple(tuple(int(p, 16) for p in sketch) for sketch in sketches)
                for k, sketches in raw["pending"].items()
            }
            state._table = PendingTable.from_items(pending.items(), *model._bounds)
            model._outlets[name] = state
        if saved is not None:
            for i, name in enumerate(saved.names()):
                state = model._outlets.setdefault(name, _Outlet(model._bounds))
                if not len(state._table):
                    state._saved = (saved, i)
        return model
