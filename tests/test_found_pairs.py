"""A run's matches kept for re-verification: each pair once, under its latest versions."""

from __future__ import annotations

import random

from dedupe.found_pairs import FoundPairs, each_pair


def test_pairs_whose_versions_changed_are_given_once_in_order_with_their_latest_versions():
    rng = random.Random(2)
    pairs, latest = FoundPairs(), {}
    for _ in range(2000):
        pair = (rng.randint(0, 60), rng.randint(0, 60))  # many found again
        versions = (rng.randint(0, 3), rng.randint(0, 3))
        pairs.add(*pair, versions)
        latest[pair] = versions
    now = {pair: (rng.randint(0, 3), rng.randint(0, 3)) for pair in latest}
    changed, unchanged = pairs.changed(lambda a, b: now[a, b])
    changed = list(each_pair(changed))
    assert all(type(x) is int and type(y) is int for x, y in changed)  # ids the store can bind
    assert changed == sorted(p for p in latest if now[p] != latest[p])
    assert unchanged == sum(1 for p in latest if now[p] == latest[p]) > 0
    pairs.clear()
    changed, unchanged = pairs.changed(lambda a, b: (0, 0))
    assert list(each_pair(changed)) == [] and unchanged == 0


def test_ids_and_versions_beyond_32_bits_are_kept():
    pairs = FoundPairs()
    pairs.add(2**40, 3, (2**33, 0))
    changed, unchanged = pairs.changed(lambda a, b: (2**33, 0))
    assert list(each_pair(changed)) == [] and unchanged == 1
    changed, unchanged = pairs.changed(lambda a, b: (2**33, 1))
    assert list(each_pair(changed)) == [(2**40, 3)] and unchanged == 0
