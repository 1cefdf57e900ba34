"""Signatures: identical to datasketch's MinHash, serialisable, parameters enforced."""

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash, MinHashLSH

from dedupe import (
    IncompatibleSignatureError,
    Matcher,
    SignatureParams,
    deserialize,
    make_signature,
    serialize,
    shingle_set,
)
from dedupe.signature import minhash_values

TEXT = " ".join(f"word{i % 97} token{i % 13} item{i}" for i in range(400))


@pytest.mark.parametrize("scheme", ["affine32", "legacy", "affine64"])
def test_numpy_minhash_equals_datasketch(scheme):
    shingles = shingle_set(TEXT, 5)
    params = SignatureParams(scheme=scheme, num_perm=64, seed=7)
    reference = MinHash(num_perm=64, seed=7, scheme=scheme, hashfunc=lambda x: x)
    width = 0 if scheme == "affine64" else 32
    reference.update_batch([int(h) >> width for h in shingles])
    assert np.array_equal(minhash_values(shingles, params), reference.hashvalues)


def test_signature_is_a_lean_minhash_usable_in_datasketch_lsh():
    params = SignatureParams()
    sig = make_signature(shingle_set(TEXT, 5), params)
    assert isinstance(sig.minhash, LeanMinHash)
    lsh = MinHashLSH(threshold=0.5, num_perm=params.num_perm)
    lsh.insert("a", sig.minhash)
    assert lsh.query(sig.minhash) == ["a"]


def test_serialize_round_trip():
    params = SignatureParams()
    sig = make_signature(shingle_set(TEXT, 5), params)
    data = serialize(sig, params)
    assert isinstance(data, bytes)
    assert deserialize(data, params) == sig


def test_mixed_parameters_are_refused_with_a_fix():
    params = SignatureParams()
    data = serialize(make_signature(shingle_set(TEXT, 5), params), params)
    with pytest.raises(IncompatibleSignatureError, match="crosspost rematch"):
        deserialize(data, SignatureParams(shingle_size=4))
    with pytest.raises(ValueError, match="crosspost rematch"):
        params.check_compatible(SignatureParams(num_perm=256).to_dict())
    other = make_signature(shingle_set(TEXT, 5), SignatureParams(num_perm=64))
    with pytest.raises(ValueError, match="rematch"):
        Matcher(params).load("x", other)


def test_params_dict_round_trip_and_validation():
    params = SignatureParams(num_perm=64, seed=3)
    assert SignatureParams.from_dict(params.to_dict()) == params
    params.check_compatible(params.to_dict())
    with pytest.raises(ValueError, match="scheme"):
        SignatureParams(scheme="md5")


def test_batch_signing_equals_one_at_a_time():
    from dedupe import make_signatures, shingle_sets

    texts = [TEXT, "", "one", "a b c d e f", "Привет мир 你好世界", TEXT[:500], "&amp; <b>x</b>"]
    params = SignatureParams()
    batch = shingle_sets(texts, 5)
    single = [shingle_set(t, 5) for t in texts]
    assert all(np.array_equal(x, y) for x, y in zip(batch, single))
    assert make_signatures(batch, params) == [make_signature(s, params) for s in single]
