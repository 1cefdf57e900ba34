"""Tokens, paragraph identities and shingle hashes, computed with numpy.

A text is turned into one 64-bit hash per token without a Python-level loop: the code
points get a polynomial prefix hash (mod 2**64 with an odd base, so it is invertible), and
each token's hash is the difference of two prefix sums rescaled by the inverse power of its
start. k consecutive token hashes are then combined into one 64-bit shingle hash. A text is
represented by the *set* of its shingle hashes (a sorted unique ``uint64`` array): that set
feeds MinHash and exact verification alike, so both agree on what a shingle is.

Tokens are runs of letters and digits; scripts written without spaces between words
(Chinese, Japanese, Thai, Lao, Khmer, Burmese) are tokenised per character, so a k-shingle
there is a character k-gram. Every token remembers its paragraph, and every paragraph gets
a key (digits collapsed, so dated footers keep one identity) used to learn boilerplate.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from dedupe.normalize import BREAK, UNSPACED, WORD, code_points, normalize_text

__all__ = ["EMPTY", "Tokens", "shingle_hashes", "shingle_set", "tokenize", "unique_sorted", "words"]

EMPTY = np.empty(0, dtype=np.uint64)
_U64 = np.uint64
_BASE = 0x100000001B3 * 0x9E3779B1 | 1  # any odd 64-bit constant
_BASE = _BASE % (1 << 64)
_BASE_INV = pow(_BASE, -1, 1 << 64)
_OFFSET = _U64(0x9E3779B97F4A7C15)
_LENGTH_MIX = _U64(0xD6E8FEB86659FD93)

# Odd multipliers, one per position in a shingle (or paragraph), so "a b c" and "c b a"
# hash differently. Changing them changes every signature: bump TEXT_VERSION.
_POSITION = np.random.RandomState(20240531).randint(0, 1 << 62, size=64, dtype=np.uint64) * _U64(
    2
) + _U64(1)
MAX_SHINGLE_SIZE = len(_POSITION)

_powers = np.ones(1, dtype=np.uint64)
_inverse_powers = np.ones(1, dtype=np.uint64)


def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    global _powers, _inverse_powers
    if len(_powers) < n:
        size = 1 << (n - 1).bit_length()
        _powers = np.cumprod(np.full(size, _BASE, dtype=np.uint64)) * _U64(_BASE_INV)
        _inverse_powers = np.cumprod(np.full(size, _BASE_INV, dtype=np.uint64)) * _U64(_BASE)
    return _powers[:n], _inverse_powers[:n]


def _fmix64(h: np.ndarray) -> np.ndarray:
    h ^= h >> _U64(33)
    h *= _U64(0xFF51AFD7ED558CCD)
    h ^= h >> _U64(33)
    h *= _U64(0xC4CEB9FE1A85EC53)
    h ^= h >> _U64(33)
    return h


@dataclass(frozen=True, eq=False)
class Tokens:
    """A tokenised text: per-token hashes and paragraphs, per-paragraph keys."""

    hashes: np.ndarray  # uint64, one per token, in text order
    paragraph: np.ndarray  # intp, index into paragraph_keys for each token
    paragraph_keys: np.ndarray  # uint64, one per non-empty paragraph

    def __len__(self) -> int:
        return len(self.hashes)

    def without_paragraphs(self, keys: Collection[int] | np.ndarray) -> np.ndarray:
        """Token hashes of the paragraphs whose key is not in `keys`."""
        if len(keys) == 0 or len(self.hashes) == 0:
            return self.hashes
        if isinstance(keys, np.ndarray):
            known = keys.astype(np.uint64, copy=False)
        else:  # np.fromiter walks an array element by element in Python
            known = np.fromiter(keys, dtype=np.uint64, count=len(keys))
        # An outlet may know thousands of boilerplate paragraphs and a text has a dozen:
        # binary search in the sorted keys (sorted once by the model), not np.isin's sort.
        if len(known) > 1 and not (known[:-1] <= known[1:]).all():
            known = np.sort(known)
        at = np.searchsorted(known, self.paragraph_keys)
        np.minimum(at, len(known) - 1, out=at)
        drop = known[at] == self.paragraph_keys
        if not drop.any():
            return self.hashes
        return self.hashes[~drop[self.paragraph]]


def _token_bounds(classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    is_word = np.zeros(len(classes) + 2, dtype=np.int8)
    np.equal(classes, WORD, out=is_word[1:-1].view(bool))
    edges = np.diff(is_word)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    single = np.flatnonzero(classes == UNSPACED)
    if len(single):
        # Each character of an unspaced script is a token of its own.
        starts = np.concatenate([starts, single])
        order = np.argsort(starts, kind="stable")
        starts = starts[order]
        ends = np.concatenate([ends, single + 1])[order]
    return starts, ends


def _span_hashes(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    powers, inverse = _power_tables(len(cps))
    prefix = np.zeros(len(cps) + 1, dtype=np.uint64)
    np.cumsum((cps.astype(np.uint64) + _OFFSET) * powers, out=prefix[1:])
    raw = (prefix[ends] - prefix[starts]) * inverse[starts]
    raw ^= (ends - starts).astype(np.uint64) * _LENGTH_MIX
    return _fmix64(raw)


def tokenize(text: str) -> Tokens:
    """Tokenise `text` into hashes, tracking paragraphs (separated by line breaks)."""
    cps, classes = code_points(text or "")
    if len(cps) == 0:
        return Tokens(EMPTY, np.empty(0, dtype=np.intp), EMPTY)
    starts, ends = _token_bounds(classes)
    if len(starts) == 0:
        return Tokens(EMPTY, np.empty(0, dtype=np.intp), EMPTY)
    hashes = _span_hashes(cps, starts, ends)

    paragraph_no = np.cumsum(classes == BREAK)[starts]
    new_paragraph = np.empty(len(starts), dtype=bool)
    new_paragraph[0] = True
    np.not_equal(paragraph_no[1:], paragraph_no[:-1], out=new_paragraph[1:])
    firsts = np.flatnonzero(new_paragraph)
    paragraph = np.cumsum(new_paragraph) - 1
    # Paragraph keys skip tokens that start with a digit, so that "© 2018" and "© 2019"
    # footers, or "Posted 27 October", are one paragraph on every page.
    undated = np.where((cps[starts] >= 0x30) & (cps[starts] <= 0x39), _U64(0), hashes)
    position = np.arange(len(starts)) - firsts[paragraph]
    weighted = undated * _POSITION[position % MAX_SHINGLE_SIZE]
    lengths = np.diff(firsts, append=len(starts)).astype(np.uint64)
    keys = np.add.reduceat(weighted, firsts) ^ lengths
    return Tokens(hashes, paragraph, _fmix64(keys))


def words(text: str) -> list[str]:
    """The normalised tokens of `text` as strings (for inspection and tests)."""
    cps, classes = code_points(text or "")
    if len(cps) == 0:
        return []
    starts, ends = _token_bounds(classes)
    return ["".join(map(chr, cps[s:e])) for s, e in zip(starts.tolist(), ends.tolist())]


def shingle_hashes(hashes: np.ndarray, k: int) -> np.ndarray:
    """Combine each run of `k` consecutive token hashes into one 64-bit shingle hash.

    Returns the hashes in text order, duplicates included. A text shorter than `k` tokens
    yields one shingle of all its tokens: it is too short to index, but it still has an
    identity for exact comparison.
    """
    if not 1 <= k <= MAX_SHINGLE_SIZE:
        raise ValueError(f"shingle size must be between 1 and {MAX_SHINGLE_SIZE}, got {k}")
    n = len(hashes)
    if n == 0:
        return EMPTY
    k = min(k, n)
    count = n - k + 1
    out = hashes[:count] * _POSITION[0]
    for i in range(1, k):
        out += hashes[i : i + count] * _POSITION[i]
    return _fmix64(out)


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """`np.unique` for a 1-d array, several times faster on small arrays."""
    values = np.sort(values)
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def shingle_set(
    text: str | Tokens, k: int, exclude: Collection[int] | np.ndarray = ()
) -> np.ndarray:
    """The sorted unique shingle hashes of `text`, leaving out the paragraphs whose keys
    are in `exclude` (an outlet's boilerplate).

    Shingles run across paragraph boundaries: copies often merge or split paragraphs, and
    the k-1 shingles at each boundary are a negligible share of a text.
    """
    tokens = text if isinstance(text, Tokens) else tokenize(text)
    kept = tokens.without_paragraphs(exclude)
    if len(kept) == 0:
        return EMPTY
    return unique_sorted(shingle_hashes(kept, k))


def shingle_sets(texts: Sequence[str], k: int) -> list[np.ndarray]:
    """`shingle_set` of many texts at once (no boilerplate exclusion), identical to
    calling it per text but several times faster for short texts: the texts are
    tokenised as one array, so numpy's per-call overhead is paid once per batch."""
    normalized = [normalize_text(t or "").replace("\x00", " ") for t in texts]
    if not normalized:
        return []
    # NUL separates the texts: it is a separator character, never dropped, and cannot
    # occur inside a text after the replace above.
    cps, classes = code_points("\x00".join(normalized), normalized=True)
    starts, ends = _token_bounds(classes)
    doc_of_token = np.cumsum(cps == 0)[starts]
    counts = np.bincount(doc_of_token, minlength=len(texts))
    result: list[np.ndarray] = [EMPTY] * len(texts)
    if len(starts) >= k:
        hashes = _span_hashes(cps, starts, ends)
        shingles = shingle_hashes(hashes, k)
        first = doc_of_token[: len(shingles)]
        valid = first == doc_of_token[k - 1 :]
        shingles, first = shingles[valid], first[valid]
        bounds = np.searchsorted(first, np.arange(len(texts) + 1))
        for doc, (lo, hi) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist())):
            if hi > lo:
                result[doc] = unique_sorted(shingles[lo:hi])
    for doc in np.flatnonzero((counts > 0) & (counts < k)).tolist():
        result[doc] = shingle_set(texts[doc], k)
    return result
