"""Near-duplicate detection: normalisation, shingles, MinHash signatures, LSH, verification.

A pure library (datasketch and numpy only). The store and CLI use `Matcher`; the other
names are exported for persistence (`serialize`/`deserialize`, `SignatureParams.to_dict`,
`BoilerplateModel.to_dict`) and for tools that work on shingle sets directly.
"""

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

__all__ = [
    "AddResult",
    "BoilerplateModel",
    "IncompatibleSignatureError",
    "Match",
    "Matcher",
    "Signature",
    "SignatureParams",
    "Thresholds",
    "deserialize",
    "make_signature",
    "make_signatures",
    "overlap",
    "serialize",
    "shingle_set",
    "shingle_sets",
    "tokenize",
    "words",
]
