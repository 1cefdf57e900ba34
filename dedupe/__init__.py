"""Near-duplicate detection: normalisation, shingles, MinHash signatures, LSH, verification.

A pure library (datasketch and numpy only). The store and CLI use `Matcher`; the other
names are exported for persistence (`serialize`/`deserialize`, `SignatureParams.to_dict`,
`BoilerplateModel.to_dict`) and for tools that work on shingle sets directly.

The names load on first use: datasketch pulls in scipy, which takes about a second, and a
program that only needs `Thresholds` should not pay for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "AddResult": "dedupe.matcher",
    "BoilerplateModel": "dedupe.boilerplate",
    "IncompatibleSignatureError": "dedupe.signature",
    "Match": "dedupe.verify",
    "Matcher": "dedupe.matcher",
    "Signature": "dedupe.signature",
    "SignatureParams": "dedupe.signature",
    "Thresholds": "dedupe.verify",
    "deserialize": "dedupe.signature",
    "make_signature": "dedupe.signature",
    "make_signatures": "dedupe.signature",
    "overlap": "dedupe.verify",
    "serialize": "dedupe.signature",
    "shingle_set": "dedupe.shingles",
    "shingle_sets": "dedupe.shingles",
    "tokenize": "dedupe.shingles",
    "words": "dedupe.shingles",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from dedupe.boilerplate import BoilerplateModel
    from dedupe.matcher import AddResult, Matcher
    from dedupe.shingles import shingle_set, shingle_sets, tokenize, words
    from dedupe.signature import (
        IncompatibleSignatureError,
        Signature,
        SignatureParams,
        deserialize,
        make_signature,
        make_signatures,
        serialize,
    )
    from dedupe.verify import Match, Thresholds, overlap


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'dedupe' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
