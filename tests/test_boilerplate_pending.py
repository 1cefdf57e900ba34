"""The compact pending tables (`dedupe.pending`) against the boilerplate model as it was,
pending paragraphs in Python dicts (`DictModel` below, the reference): long random streams
of articles, with saves and reloads in the middle, must give the same answers, the same
boilerplate and versions, the same pending paragraphs in the same order (so the same ones
survive eviction), and the same saved model, byte for byte."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from dedupe.boilerplate import BoilerplateModel
from dedupe.pending import MULTI, PendingTable
from dedupe.persist import read_index, write_index

Seen = tuple[tuple[int, ...], ...]
PERSIST_RECENT = 2_000
ARRAYS = ("names", "name_offsets", "key_offsets", "keys", "counts", "seen_offsets",
          "seen", "sketch_offsets", "sketches", "sketch_sizes")  # fmt: skip


def similar(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    union = sorted(set(a) | set(b))[:8]
    both = set(a) & set(b)
    return sum(1 for k in union if k in both) >= 0.5 * len(union)


def persisted(pending: dict[int, Seen], last: int = PERSIST_RECENT) -> list[tuple[int, Seen]]:
    recent = list(pending.items())[-last:]
    keep = {k for k, _ in recent}
    return [(k, v) for k, v in pending.items() if len(v) >= 2 and k not in keep] + recent


def encode(entries: list[tuple[int, Seen]]) -> tuple[np.ndarray, ...]:
    table: dict[tuple[int, ...], int] = {}
    refs = [table.setdefault(sketch, len(table)) for _, seen in entries for sketch in seen]
    sketches = np.zeros((len(table), 8), dtype=np.uint64)
    sizes = np.zeros(len(table), dtype=np.uint8)
    for sketch, row in table.items():
        sketches[row, : len(sketch)] = sketch
        sizes[row] = len(sketch)
    return (np.array([k for k, _ in entries], dtype=np.uint64).reshape(-1),
            np.array([len(s) for _, s in entries], dtype=np.uint32).reshape(-1),
            np.array(refs, dtype=np.uint32), sketches.reshape(-1), sizes)  # fmt: skip


class DictModel:
    """The boilerplate model with each outlet's pending paragraphs in an ordered dict."""

    def __init__(self, min_articles: int = 3, max_pending: int = 50_000) -> None:
        self.min_articles, self.max_pending = min_articles, max_pending
        # outlet -> [version, boilerplate, pending]
        self.outlets: dict[str, list[Any]] = {}

    def observe(self, outlet: str, paragraph_keys: Iterable[int]) -> bool:
        if not outlet:
            return False
        state = self.outlets.setdefault(outlet, [0, set(), {}])
        paragraphs = set(map(int, paragraph_keys))
        article = tuple(sorted(paragraphs)[:8])
        learnt = False
        boilerplate, pending = state[1], state[2]
        for paragraph in paragraphs:
            if paragraph in boilerplate:
                continue
            seen = pending.pop(paragraph, ())
            if not any(similar(article, other) for other in seen):
                seen = (*seen, article)
            if len(seen) >= self.min_articles:
                boilerplate.add(paragraph)
                learnt = True
            else:
                pending[paragraph] = seen
        if len(pending) > self.max_pending:
            for stale in list(pending)[: len(pending) - self.max_pending * 9 // 10]:
                del pending[stale]
        state[0] += learnt
        return learnt

    def to_dict(self, pending: bool = True) -> dict[str, Any]:
        return {
            "format": 1, "min_articles": self.min_articles, "max_pending": self.max_pending,
            "outlets": {
                name: {
                    "version": version,
                    "boilerplate": sorted(f"{k:016x}" for k in boilerplate),
                    "pending": {
                        f"{k:016x}": [[f"{p:016x}" for p in sketch] for sketch in sketches]
                        for k, sketches in (persisted(entries) if pending else ())
                    },
                }
                for name, (version, boilerplate, entries) in self.outlets.items()
            },
        }  # fmt: skip

    def pending_arrays(self) -> dict[str, Any]:
        names = [name.encode("utf-8") for name in self.outlets]
        parts = [encode(persisted(state[2])) for state in self.outlets.values()]

        def offsets(lengths: list[int]) -> np.ndarray:
            return np.concatenate(([0], np.cumsum(lengths, dtype=np.int64))).astype(np.int64)

        return {
            "names": np.frombuffer(b"".join(names), dtype=np.uint8),
            "name_offsets": offsets([len(n) for n in names]),
            "key_offsets": offsets([len(p[0]) for p in parts]),
            "keys": [p[0] for p in parts], "counts": [p[1] for p in parts],
            "seen_offsets": offsets([len(p[2]) for p in parts]), "seen": [p[2] for p in parts],
            "sketch_offsets": offsets([len(p[4]) for p in parts]),
            "sketches": [p[3] for p in parts], "sketch_sizes": [p[4] for p in parts],
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any], arrays: dict[str, np.ndarray] | None = None):
        model = cls(data["min_articles"], data["max_pending"])
        for name, raw in data["outlets"].items():
            model.outlets[name] = [raw["version"], {int(k, 16) for k in raw["boilerplate"]}, {
                int(k, 16): tuple(tuple(int(p, 16) for p in sketch) for sketch in sketches)
                for k, sketches in raw["pending"].items()
            }]  # fmt: skip
        if arrays is not None:
            a = {k: np.asarray(v).tolist() for k, v in arrays.items()}
            names = bytes(a["names"])
            for i in range(len(a["name_offsets"]) - 1):
                name = names[a["name_offsets"][i] : a["name_offsets"][i + 1]].decode("utf-8")
                state = model.outlets.setdefault(name, [0, set(), {}])
                if state[2]:
                    continue
                lo, hi = a["sketch_offsets"][i], a["sketch_offsets"][i + 1]
                table = [tuple(a["sketches"][r * 8 : r * 8 + a["sketch_sizes"][r]])
                         for r in range(lo, hi)]  # fmt: skip
                seen = iter(a["seen"][a["seen_offsets"][i] : a["seen_offsets"][i + 1]])
                for j in range(a["key_offsets"][i], a["key_offsets"][i + 1]):
                    refs = itertools.islice(seen, a["counts"][j])
                    state[2][a["keys"][j]] = tuple(table[r] for r in refs)
        return model


def flat(arrays: dict[str, Any]) -> dict[str, np.ndarray]:
    return {k: np.concatenate(v) if isinstance(v, list) else v for k, v in arrays.items()}


def assert_same_arrays(ours: dict[str, Any], reference: dict[str, Any]) -> None:
    assert list(ours) == list(reference) == list(ARRAYS)
    for name in ARRAYS:
        a, b = ours[name], reference[name]
        assert type(a) is type(b), name
        for x, y in zip(a, b, strict=True) if isinstance(a, list) else [(a, b)]:
            assert x.dtype == y.dtype and np.array_equal(x, y), name


def assert_same(model: BoilerplateModel, reference: DictModel) -> None:
    assert model.outlets() == list(reference.outlets)
    for name, (version, boilerplate, pending) in reference.outlets.items():
        assert model.version(name) == version
        assert model.boilerplate(name).tolist() == sorted(boilerplate)
        assert list(model._outlets[name].pending.items()) == list(pending.items()), name


def articles(rng: random.Random, outlets: list[str]) -> Iterator[tuple[str, list[int]]]:
    """Articles of outlets of very different sizes: footers and other recurring paragraphs,
    the same article again, near-identical updates, one-off paragraphs, empty articles."""
    recurring = {o: [rng.getrandbits(64) for _ in range(rng.randrange(1, 40))] for o in outlets}
    earlier: dict[str, list[list[int]]] = {o: [] for o in outlets}
    edge = [0, 1, 2**63, 2**64 - 1, 2**64 - 2]
    weights = [1 / (i + 1) ** 1.3 for i in range(len(outlets))]
    while True:
        outlet = rng.choices(outlets, weights)[0]
        kind, before = rng.random(), earlier[outlet]
        if kind < 0.15 and before:  # an update of an earlier article, or the same again
            keys = list(rng.choice(before[-30:]))
            for _ in range(rng.randrange(0, 3)):
                if keys and rng.random() < 0.5:
                    keys.pop(rng.randrange(len(keys)))
                keys.append(rng.getrandbits(64))
        elif kind < 0.2:
            keys = [rng.choice(edge) for _ in range(rng.randrange(0, 3))]
        else:
            keys = [rng.getrandbits(64) for _ in range(rng.randrange(0, 25))]
            keys += rng.sample(recurring[outlet], rng.randrange(0, min(4, len(recurring[outlet]))))
            if rng.random() < 0.1:  # a paragraph of another outlet's
                keys.append(rng.choice(recurring[rng.choice(outlets)]))
        rng.shuffle(keys)
        before.append(keys)
        yield ("" if rng.random() < 0.01 else outlet), keys


def reload(model: BoilerplateModel, reference: DictModel, how: str, tmp_path: Path, step: int):
    """Both models saved and read back, as JSON, as arrays in an index file (mapped), or
    each from what the other saved (old files read by the new model, and back)."""
    if how == "json":
        data = json.loads(json.dumps(model.to_dict()))
        return BoilerplateModel.from_dict(data), DictModel.from_dict(data)
    path = tmp_path / f"model-{step}.boilerplate"
    if how == "file":
        write_index(path, {}, model.pending_arrays())
        arrays = read_index(path)[1]
        small = json.loads(json.dumps(model.to_dict(pending=False)))
        return BoilerplateModel.from_dict(small, arrays), DictModel.from_dict(small, arrays)
    write_index(path, {}, reference.pending_arrays())  # a file the dict model wrote
    small = json.loads(json.dumps(reference.to_dict(pending=False)))
    return BoilerplateModel.from_dict(small, read_index(path)[1]), DictModel.from_dict(
        json.loads(json.dumps(model.to_dict())))  # fmt: skip


@pytest.mark.parametrize(
    "seed, min_articles, max_pending, outlets",
    [(1, 3, 100, 12), (2, 3, 137, 40), (3, 2, 250, 8), (4, 4, 100, 3), (5, 3, 1_000, 25)],
)
def test_long_streams_give_what_the_dicts_gave(tmp_path, seed, min_articles, max_pending, outlets):
    rng = random.Random(seed)
    names = [f"outlet{i}.example" for i in range(outlets - 1)] + ["ünïcode.example"]
    model = BoilerplateModel(min_articles=min_articles, max_pending=max_pending)
    reference = DictModel(min_articles, max_pending)
    learnt = evicted = 0
    stream = articles(rng, names)
    for step in range(1, 6_001):
        outlet, keys = next(stream)
        given = np.array(keys, dtype=np.uint64) if rng.random() < 0.7 else keys
        answer = reference.observe(outlet, keys)
        assert model.observe(outlet, given) == answer, step
        learnt += answer
        if outlet:
            assert model.version(outlet) == reference.outlets[outlet][0]
            evicted += len(reference.outlets[outlet][2]) >= max_pending * 9 // 10
        if step % 151 == 0:
            assert_same(model, reference)
        if step % 1_000 == 0:
            assert model.to_dict() == reference.to_dict()
            assert model.to_dict(pending=False) == reference.to_dict(pending=False)
            assert_same_arrays(model.pending_arrays(), reference.pending_arrays())
            how = ("json", "file", "old file")[step // 1_000 % 3]
            model, reference = reload(model, reference, how, tmp_path, step)
            assert model.to_dict() == reference.to_dict()
            assert_same_arrays(model.pending_arrays(), reference.pending_arrays())
    assert_same(model, reference)
    assert model.to_dict() == reference.to_dict()
    assert learnt > 20 and evicted > 10, (learnt, evicted)


def test_outlets_read_from_a_file_and_never_observed_are_saved_as_read(tmp_path):
    rng = random.Random(7)
    names = [f"o{i}.example" for i in range(6)]
    reference = DictModel(max_pending=200)
    for outlet, keys in itertools.islice(articles(rng, names), 3_000):
        reference.observe(outlet, keys)
    write_index(tmp_path / "old", {}, reference.pending_arrays())
    small = reference.to_dict(pending=False)
    model = BoilerplateModel.from_dict(small, read_index(tmp_path / "old")[1])
    assert_same_arrays(model.pending_arrays(), reference.pending_arrays())
    model.observe("o5.example", [1, 2, 3])
    reference.observe("o5.example", [1, 2, 3])
    assert_same_arrays(model.pending_arrays(), reference.pending_arrays())
    assert model.to_dict() == reference.to_dict()


def test_a_big_outlet_freezes_its_paragraphs_into_arrays(tmp_path):
    """At the default bounds most pending paragraphs sit in the arrays, about 17 bytes each
    and 65 bytes an article's sketch, and still evict and save as the dict did."""
    rng = random.Random(11)
    model, reference = BoilerplateModel(), DictModel()
    footer = [rng.getrandbits(64) for _ in range(3)]
    for article in range(4_000):
        keys = [rng.getrandbits(64) for _ in range(15)] + footer[: article % 4]
        if article % 50 == 0:  # a paragraph seen once long ago, and another seen twice
            keys += [article // 2, 10**6 + article // 100]
        assert model.observe("big.example", keys) == reference.observe("big.example", keys)
    table = model._outlets["big.example"].table
    assert len(table) == len(reference.outlets["big.example"][2]) > 45_000
    # Evicted entries are dropped at the next merge; sketches no entry needs at every merge.
    assert table.nbytes() <= 17 * len(table._alive) + 65 * len(table._sizes) + 8
    assert len(table._alive) < 1.15 * len(table) and len(table._sizes) < 3_500
    assert len(table._recent) <= 4_096
    assert_same(model, reference)
    assert model.to_dict() == reference.to_dict()
    assert_same_arrays(model.pending_arrays(), reference.pending_arrays())
    model, reference = reload(model, reference, "file", tmp_path, 0)
    for article in range(300):
        keys = [rng.getrandbits(64) for _ in range(15)] + [10**6 + article // 10]
        assert model.observe("big.example", keys) == reference.observe("big.example", keys)
    assert_same(model, reference)


@pytest.mark.parametrize("smallest, largest", [(4, 8), (1_000, 1_000)])
def test_a_table_alone_orders_and_evicts_as_the_dict(smallest, largest):
    """Frozen entries are numbered in the order they were last seen (numbers about to run
    out are given again from 0, in the same order); a table whose entries are mostly in its
    dict evicts from the dict."""
    table, reference = PendingTable(smallest, largest), DictModel(max_pending=100)
    rng = random.Random(5)
    table._next_seq = MULTI - 40
    boilerplate: set[int] = set()
    pool = [rng.getrandbits(64) for _ in range(300)]
    for _ in range(400):
        keys = [rng.getrandbits(64) for _ in range(3)] + rng.sample(pool, 2)
        paragraphs = set(keys)
        article = tuple(sorted(paragraphs)[:8])
        query = np.array(keys, dtype=np.uint64)
        learnt = table.observe(paragraphs, query, article, boilerplate, 3)
        assert learnt == reference.observe("o", keys)
        if len(table) > 100:
            table.evict(90)
        assert list(table.items()) == list(reference.outlets["o"][2].items())
        assert table.persisted(30) == persisted(reference.outlets["o"][2], 30)
    assert boilerplate == reference.outlets["o"][1]
    if smallest < 100:
        assert table._next_seq < MULTI - 40
