"""A run's matches kept for re-verification: each pair once, under its latest versions."""

from __future__ import annotations

import random

from crawler.found_pairs import FoundPairs


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
    assert changed == sorted(p for p in latest if now[p] != latest[p])
    assert unchanged == sum(1 for p in latest if now[p] == latest[p]) > 0
    pairs.clear()
    assert pairs.changed(lambda a, b: (0, 0)) == ([], 0)


def test_ids_and_versions_beyond_32_bits_are_kept():
    pairs = FoundPairs()
    pairs.add(2**40, 3, (2**33, 0))
    assert pairs.changed(lambda a, b: (2**33, 0)) == ([], 1)
    assert pairs.changed(lambda a, b: (2**33, 1)) == ([(2**40, 3)], 0)
