"""The compact LSH index proposes exactly datasketch's candidates, through updates and removals."""

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHashLSH

from dedupe.bands import BandIndex, band_hashes
from dedupe.postings import DocIds

NUM_PERM = 128


def _family_signatures(n: int, seed: int = 7) -> list[np.ndarray]:
    """Signatures in families of near-copies: each differs from its family's base in a
    random number of positions, so every band-sharing pattern occurs."""
    rng = np.random.default_rng(seed)
    bases = rng.integers(0, 2**32, size=(max(n // 10, 1), NUM_PERM), dtype=np.uint64)
    signatures = []
    for i in range(n):
        values = bases[i % len(bases)].copy()
        changed = rng.choice(NUM_PERM, size=int(rng.integers(0, NUM_PERM)), replace=False)
        values[changed] = rng.integers(0, 2**32, size=len(changed), dtype=np.uint64)
        signatures.append(values)
    return signatures


def _lean(values: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=1, hashvalues=values, scheme="legacy")


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8])
def test_candidates_equal_datasketch_minhashlsh(threshold):
    signatures = _family_signatures(2000)
    reference = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    compact = BandIndex(threshold, NUM_PERM)
    assert (compact.b, compact.r) == (reference.b, reference.r)
    for key, values in enumerate(signatures):
        reference.insert(key, _lean(values), check_duplication=False)
    compact.insert_many(enumerate(signatures))
    for key in range(0, len(signatures), 3):
        assert set(compact.query(signatures[key])) == set(reference.query(_lean(signatures[key])))


def test_removed_and_replaced_keys_follow_datasketch():
    signatures = _family_signatures(3000, seed=11)
    reference = MinHashLSH(threshold=0.5, num_perm=NUM_PERM)
    compact = BandIndex(0.5, NUM_PERM)
    for key, values in enumerate(signatures):
        reference.insert(key, _lean(values), check_duplication=False)
        compact.insert(key, values)
    # Enough removals to trigger a compaction of the stale postings.
    for key in range(0, 3000, 2):
        reference.remove(key)
        compact.remove(key)
    for key in range(0, 3000, 4):  # re-added with another text, as a recrawl does
        reference.insert(key, _lean(signatures[key + 1]), check_duplication=False)
        compact.insert(key, signatures[key + 1])
    assert len(compact) == len(reference.keys)
    for key in range(0, 3000, 5):
        assert set(compact.query(signatures[key])) == set(reference.query(_lean(signatures[key])))
    assert 2 not in compact and 4 in compact and 1 in compact


def test_batches_prefetched_then_matched_one_by_one_follow_datasketch(monkeypatch):
    # As an ingest does: a batch's signatures prefetched, then each queried and inserted in
    # turn, some texts signed again in between (not among the prefetched), a few keys re-added.
    from dedupe.postings import SortedRuns

    monkeypatch.setattr(SortedRuns, "PREFETCH_FROM", 500)
    signatures = [_lean(v) for v in _family_signatures(1500, seed=5)]
    reference = MinHashLSH(threshold=0.5, num_perm=NUM_PERM)
    compact = BandIndex(0.5, NUM_PERM)
    rng = np.random.default_rng(3)
    key = 0
    for start in range(0, len(signatures), 100):
        batch = signatures[start : start + 100]
        compact.prefetch(batch)
        for signature in batch:
            if rng.random() < 0.1:
                signature = _lean(signature.hashvalues.copy())  # signed again: another object
            target = int(rng.integers(0, key)) if key and rng.random() < 0.05 else key
            assert set(compact.query(signature)) == set(reference.query(signature))
            if target in reference.keys:
                reference.remove(target)
            reference.insert(target, signature, check_duplication=False)
            compact.insert(target, signature)
            key += target == key
        compact.end_prefetch()
    for signature in signatures[::7]:
        assert set(compact.query(signature)) == set(reference.query(signature))


def test_keys_of_any_hashable_type():
    signatures = _family_signatures(50)
    index = BandIndex(0.5, NUM_PERM)
    keys = ["https://a.test/1", ("b", 2), 3, -4, True]
    for key, values in zip(keys, signatures[:5]):
        index.insert(key, values)
    index.insert("copy", signatures[0])
    assert set(index.query(signatures[0])) >= {"https://a.test/1", "copy"}
    index.remove("copy")
    assert "copy" not in index and "https://a.test/1" in index
    assert set(index.query(signatures[3])) >= {-4}


def test_band_hashes_separate_bands_and_rows():
    values = np.arange(NUM_PERM, dtype=np.uint64)
    one = band_hashes(values, 16, 8)
    many = band_hashes(np.stack([values, values[::-1].copy()]), 16, 8)
    assert one.shape == (16,) and many.shape == (2, 16)
    assert np.array_equal(many[0], one)
    assert len(set(one.tolist())) == 16
    # Equal values in two different bands do not give equal band hashes.
    same = np.zeros(NUM_PERM, dtype=np.uint64)
    assert len(set(band_hashes(same, 16, 8).tolist())) == 16


def test_wrong_signature_length_is_refused():
    index = BandIndex(0.5, NUM_PERM)
    with pytest.raises(ValueError, match="128 values"):
        index.insert(1, np.zeros(64, dtype=np.uint64))


def test_doc_ids_keep_live_numbers_only():
    ids = DocIds()
    first = ids.assign(10)
    second = ids.assign(10)
    assert first != second and ids.number(10) == second and len(ids) == 1
    assert ids.live(np.array([first, second], dtype=np.uint32)).tolist() == [second]
    ids.remove(10)
    assert 10 not in ids and len(ids) == 0 and ids.dead == 2
