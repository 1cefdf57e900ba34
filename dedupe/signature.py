"""MinHash signatures computed with numpy, bit-identical to datasketch.

datasketch's ``MinHash.update`` hashes one shingle and updates ``num_perm`` minima per call.
Here all shingle hashes of a text are permuted at once as an (n_shingles x num_perm) matrix
and reduced with a column-wise minimum, using datasketch's own permutation parameters and
arithmetic, so the result is a genuine `datasketch.LeanMinHash` usable in `MinHashLSH`:

- ``affine32`` (datasketch >= 2.0 default): h -> fmix32(h); a*h + b mod 2**32 (``a`` odd).
- ``legacy`` (datasketch < 2.0): (a*h + b) computed in uint64, mod 2**61-1, low 32 bits.
- ``affine64``: as affine32 over 64-bit input hashes.

The 32-bit schemes take the top 32 bits of each 64-bit shingle hash as their input.

A `Signature` also carries *anchors*: the shingle hashes whose low bits are zero (one in
``anchor_every``). Sampling by value, unlike MinHash, preserves containment: if text A is
inside text B, A's anchors are inside B's. The excerpt index (index.AnchorIndex) relies
on that.
"""

from __future__ import annotations

import functools
import hashlib
import json
import struct
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from typing import Any

import numpy as np

from dedupe._datasketch import LeanMinHash, MinHash

__all__ = [
    "TEXT_VERSION",
    "IncompatibleSignatureError",
    "Signature",
    "SignatureParams",
    "deserialize",
    "make_signature",
    "make_signatures",
    "minhash_values",
    "serialize",
]

# Bump whenever normalisation, tokenisation or shingle hashing changes: stored signatures
# made before the change no longer describe the same shingles.
TEXT_VERSION = 1

_SCHEMES = ("affine32", "affine64", "legacy")
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)
# Bounds the permutation matrix (4096 x 128 x 4 bytes = 2 MiB) so a 10 MB text needs no
# more memory than a news article; numpy wraps integer overflow in arrays silently.
_BLOCK_ROWS = 4096
_MAGIC = b"XPS1"
_HEADER = struct.Struct("<4s8sII")


class IncompatibleSignatureError(ValueError):
    """Signatures made with different parameters were mixed."""


@functools.cache
def _datasketch_major() -> int:
    return int(version("datasketch").split(".")[0])


@dataclass(frozen=True)
class SignatureParams:
    """Everything that determines a signature's values. Signatures are comparable only
    when these are equal; store `to_dict()` next to them.

    num_perm and the LSH/verification thresholds were calibrated on the ArticleComparisons
    corpus (see benchmarks/accuracy_dedupe.py).
    """

    num_perm: int = 128
    seed: int = 1
    shingle_size: int = 5
    scheme: str = "affine32"
    anchor_every: int = 16
    text_version: int = TEXT_VERSION
    datasketch_major: int = field(default_factory=_datasketch_major)

    def __post_init__(self) -> None:
        if self.scheme not in _SCHEMES:
            raise ValueError(f"scheme must be one of {', '.join(_SCHEMES)}, got {self.scheme!r}")
        if self.num_perm < 16:
            raise ValueError(f"num_perm must be at least 16, got {self.num_perm}; use 128")
        if not 1 <= self.shingle_size <= 64:
            raise ValueError(f"shingle_size must be 1..64 words, got {self.shingle_size}; use 5")
        if self.anchor_every < 1 or self.anchor_every & (self.anchor_every - 1):
            raise ValueError(
                f"anchor_every must be a power of two, got {self.anchor_every}; use 16"
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SignatureParams:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    def fingerprint(self) -> bytes:
        """8 bytes that change whenever any parameter changes."""
        return self._fingerprint

    @functools.cached_property
    def _fingerprint(self) -> bytes:
        # Cached: serialize() asks once per signature, and JSON + blake2b cost ~0.4 ms.
        payload = json.dumps(self.to_dict(), sort_keys=True).encode()
        return hashlib.blake2b(payload, digest_size=8).digest()

    def check_compatible(self, other: SignatureParams | dict[str, Any]) -> None:
        """Raise `IncompatibleSignatureError` unless `other` makes identical signatures."""
        if isinstance(other, dict):
            other = SignatureParams.from_dict(other)
        if other == self:
            return
        diff = ", ".join(
            f"{name}={getattr(other, name)!r} (expected {getattr(self, name)!r})"
            for name in self.__dataclass_fields__
            if getattr(other, name) != getattr(self, name)
        )
        raise IncompatibleSignatureError(
            f"signatures were made with different parameters: {diff}. Signatures made with "
            "different parameters cannot be compared; re-sign the stored articles with "
            "`crosspost rematch`, or open the index with the parameters it was built with."
        )

    @functools.cached_property
    def permutations(self) -> tuple[np.ndarray, np.ndarray]:
        a, b = MinHash(num_perm=self.num_perm, seed=self.seed, scheme=self.scheme).permutations
        return np.ascontiguousarray(a), np.ascontiguousarray(b)


@dataclass(frozen=True, eq=False)
class Signature:
    """The persisted fingerprint of one text: its MinHash, its anchors, its size."""

    minhash: LeanMinHash
    anchors: np.ndarray  # sorted unique uint64 shingle hashes sampled by value
    n_shingles: int

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Signature)
            and self.n_shingles == other.n_shingles
            and self.minhash == other.minhash
            and np.array_equal(self.anchors, other.anchors)
        )


def _fmix32(h: np.ndarray) -> np.ndarray:
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def _scheme_inputs(shingles: np.ndarray, scheme: str) -> np.ndarray:
    """The per-shingle input hash each scheme permutes, as datasketch would see it."""
    if scheme == "affine64":
        from dedupe.shingles import _fmix64  # same finalizer datasketch applies

        return _fmix64(shingles.copy())
    top = (shingles >> np.uint64(32)).astype(np.uint32)
    if scheme == "affine32":
        return _fmix32(top)
    return top.astype(np.uint64)


def minhash_values(shingles: np.ndarray, params: SignatureParams) -> np.ndarray:
    """The MinHash hash values of a set of 64-bit shingle hashes (datasketch layout)."""
    a, b = params.permutations
    dtype = np.uint32 if params.scheme == "affine32" else np.uint64
    empty = np.iinfo(np.uint32).max if params.scheme != "affine64" else np.iinfo(np.uint64).max
    result = np.full(params.num_perm, empty, dtype=dtype)
    if len(shingles) == 0:
        return result
    hv = _scheme_inputs(shingles, params.scheme)
    for start in range(0, len(hv), _BLOCK_ROWS):
        # (num_perm x rows) so that the minimum runs along contiguous memory.
        block = np.multiply.outer(a, hv[start : start + _BLOCK_ROWS])
        block += b[:, None]
        if params.scheme == "legacy":
            block %= _MERSENNE
            block &= _MAX32
        np.minimum(result, block.min(axis=1), out=result)
    return result


def make_signature(shingles: np.ndarray, params: SignatureParams) -> Signature:
    """Sign a sorted unique array of shingle hashes (see shingles.shingle_set)."""
    values = minhash_values(shingles, params)
    minhash = LeanMinHash(seed=params.seed, hashvalues=values, scheme=params.scheme)
    mask = np.uint64(params.anchor_every - 1)
    anchors = shingles[(shingles & mask) == 0]
    return Signature(minhash=minhash, anchors=anchors, n_shingles=len(shingles))


def make_signatures(shingle_sets: Sequence[np.ndarray], params: SignatureParams) -> list[Signature]:
    """`make_signature` for many shingle sets, permuting them in shared blocks and
    reducing per text with `np.minimum.reduceat` (same values, less per-call overhead)."""
    out: list[Signature] = []
    group: list[np.ndarray] = []
    rows = 0
    for shingles in [*shingle_sets, None]:
        if shingles is not None and (rows + len(shingles) <= _BLOCK_ROWS or not group):
            group.append(shingles)
            rows += len(shingles)
            continue
        out.extend(_sign_group(group, params))
        group, rows = ([shingles], len(shingles)) if shingles is not None else ([], 0)
    return out


def _sign_group(group: list[np.ndarray], params: SignatureParams) -> list[Signature]:
    sizes = [len(s) for s in group]
    if len(group) == 1 or 0 in sizes or params.scheme != "affine32":
        return [make_signature(s, params) for s in group]
    a, b = params.permutations
    hv = _scheme_inputs(np.concatenate(group), params.scheme)
    block = np.multiply.outer(a, hv)
    block += b[:, None]
    offsets = np.cumsum([0, *sizes[:-1]])
    minima = np.minimum.reduceat(block, offsets, axis=1)
    mask = np.uint64(params.anchor_every - 1)
    out = []
    for i, shingles in enumerate(group):
        minhash = LeanMinHash(seed=params.seed, hashvalues=minima[:, i], scheme=params.scheme)
        anchors = shingles[(shingles & mask) == 0]
        out.append(Signature(minhash=minhash, anchors=anchors, n_shingles=len(shingles)))
    return out


def serialize(signature: Signature, params: SignatureParams) -> bytes:
    """Bytes for a BLOB column: a small header (including the parameters' fingerprint),
    the MinHash as written by `LeanMinHash.serialize`, then the anchors."""
    mh = signature.minhash
    buf = bytearray(mh.bytesize(byteorder="<"))
    mh.serialize(buf, byteorder="<")
    header = _HEADER.pack(_MAGIC, params.fingerprint(), signature.n_shingles, len(buf))
    return header + bytes(buf) + signature.anchors.astype("<u8").tobytes()


def deserialize(data: bytes, params: SignatureParams) -> Signature:
    """Inverse of `serialize`; refuses signatures made with other parameters."""
    if len(data) < _HEADER.size or data[:4] != _MAGIC:
        raise ValueError(
            "not a crosspost signature (bad header); re-sign the article with `crosspost rematch`"
        )
    _, fingerprint, n_shingles, mh_size = _HEADER.unpack_from(data)
    if fingerprint != params.fingerprint():
        raise IncompatibleSignatureError(
            "signature was made with different parameters than "
            f"{params.to_dict()}; re-sign the stored articles with `crosspost rematch`, or "
            "open the index with the parameters recorded in the store."
        )
    start = _HEADER.size
    minhash = LeanMinHash.deserialize(data[start : start + mh_size], byteorder="<")
    anchors = np.frombuffer(data[start + mh_size :], dtype="<u8").astype(np.uint64)
    return Signature(minhash=minhash, anchors=anchors, n_shingles=n_shingles)
