"""`Matcher`: the one object the store and CLI talk to.

    matcher = Matcher(SignatureParams(), get_text=store.text_of)
    for key, signature_blob, outlet in store.signatures():          # at start-up
        matcher.load(key, deserialize(signature_blob, matcher.params), outlet)
    result = matcher.add(url, text, outlet)                          # each new article
    if result.signature is not None:                                 # None: too short
        store.save_signature(url, serialize(result.signature, matcher.params))
    store.save_matches(result)                                       # list of Match
    store.save_boilerplate(matcher.boilerplate.to_dict())            # now and then

`add` learns the outlet's boilerplate from the text, signs what remains, asks both indexes
for candidates, verifies every candidate exactly, then indexes the new text. Verification
needs the candidates' texts: by default the matcher keeps every text it was given in
memory; pass ``get_text`` (key -> text or None) to fetch them from the store instead, which
is what a long-running crawl should do. Recently used shingle sets are cached, keyed by
the outlet's boilerplate version so that newly learnt boilerplate is always honoured.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dedupe.bands import BandIndex
from dedupe.boilerplate import BoilerplateModel
from dedupe.index import AnchorIndex, LSHIndex
from dedupe.shingles import EMPTY, Tokens, shingle_set, tokenize
from dedupe.signature import Signature, SignatureParams, make_signature
from dedupe.verify import Match, Thresholds, classify, overlap

__all__ = ["AddResult", "Matcher", "Presigned", "presign"]

logger = logging.getLogger(__name__)

TextSource = Callable[[Hashable], "str | None"]


class AddResult(list[Match]):
    """The matches of a newly added text (a list, best first), plus its signature for the
    store to persist (None when the text was too short to index)."""

    def __init__(self, matches: Iterable[Match], signature: Signature | None) -> None:
        super().__init__(matches)
        self.signature = signature

    @property
    def indexed(self) -> bool:
        return self.signature is not None


@dataclass(frozen=True, eq=False)
class Presigned:
    """A text's shingle set and signature made where the text was extracted, with the
    paragraphs in ``without`` (sorted paragraph keys: those of the text its outlet was then
    known to repeat) left out; valid while the outlet's known boilerplate leaves out exactly
    those paragraphs of this text."""

    params: SignatureParams
    shingles: np.ndarray
    signature: Signature | None
    without: np.ndarray = field(default_factory=lambda: EMPTY)


def presign(tokens: Tokens, params: SignatureParams, boilerplate: np.ndarray | None = None) -> Presigned:
    """Sign ``tokens`` without the paragraphs ``boilerplate`` (the outlet's known boilerplate
    keys, sorted; none by default) names."""
    without = EMPTY
    if boilerplate is not None and len(boilerplate) and len(tokens):
        without = _known_paragraphs(tokens, boilerplate)
    shingles = shingle_set(tokens, params.shingle_size, without) if len(tokens) else EMPTY
    signature = make_signature(shingles, params) if len(shingles) else None
    return Presigned(params, shingles, signature, without)


def _known_paragraphs(tokens: Tokens, boilerplate: np.ndarray) -> np.ndarray:
    """The text's paragraph keys that are in ``boilerplate`` (sorted uint64), sorted."""
    keys = np.unique(tokens.paragraph_keys)
    at = np.minimum(np.searchsorted(boilerplate, keys), len(boilerplate) - 1)
    return keys[boilerplate[at] == keys]


class Matcher:
    """Finds verified near-duplicates, excerpts and expanded copies among added texts."""

    def __init__(
        self,
        params: SignatureParams | None = None,
        storage_config: dict[str, Any] | None = None,
        *,
        thresholds: Thresholds | None = None,
        boilerplate: BoilerplateModel | None = None,
        get_text: TextSource | None = None,
        cache_size: int = 20_000,
    ) -> None:
        self.params = params or SignatureParams()
        self.thresholds = thresholds or Thresholds()
        self.boilerplate = boilerplate or BoilerplateModel()
        self._lsh = LSHIndex(self.params, self.thresholds.lsh, storage_config)
        self._anchors = AnchorIndex()
        self._get_text = get_text
        self._texts: dict[Hashable, str] | None = None if get_text else {}
        self._outlets: dict[Hashable, str | None] = {}
        self._cache: OrderedDict[Hashable, tuple[int, np.ndarray]] = OrderedDict()
        self._cache_size = cache_size

    # -- signing -------------------------------------------------------------------

    def shingles(self, text: str, outlet: str | None = None) -> np.ndarray:
        """Shingle set of `text` without `outlet`'s currently known boilerplate."""
        return shingle_set(text, self.params.shingle_size, self.boilerplate.boilerplate(outlet))

    def sign(self, text: str, outlet: str | None = None) -> Signature | None:
        """Signature of `text` under the current boilerplate knowledge, or None when the
        text is too short to index. Does not learn from or index the text."""
        shingles = self.shingles(text, outlet)
        if len(shingles) < self.thresholds.min_shingles:
            return None
        return make_signature(shingles, self.params)

    # -- adding and loading ------------------------------------------------------------

    def add(
        self,
        key: Hashable,
        text: str,
        outlet: str | None = None,
        tokens: Tokens | None = None,
        presigned: Presigned | None = None,
    ) -> AddResult:
        """Match `text` against everything indexed so far, then index it.

        Returns the verified matches (best first) with the new text's signature. Adding a
        key again replaces its earlier text. A caller that prepared the text elsewhere (a
        crawl does it in its extraction workers) passes ``tokens`` (``tokenize(text)``) and
        possibly ``presigned`` (``presign(tokens, params)``), used when none of the text's
        paragraphs is boilerplate of its outlet."""
        self.remove(key)
        if tokens is None:
            tokens = tokenize(text or "")
        if outlet:
            self.boilerplate.observe(outlet, tokens.paragraph_keys)
        signature = None
        if (
            presigned is not None
            and presigned.params == self.params
            and self._leaves_out(presigned.without, tokens, outlet)
        ):
            shingles, signature = presigned.shingles, presigned.signature
        else:
            shingles = self._shingles_of(tokens, outlet)
        self._outlets[key] = outlet
        if self._texts is not None:
            self._texts[key] = text
        if len(shingles) < self.thresholds.min_shingles:
            return AddResult([], None)
        signature = signature or make_signature(shingles, self.params)
        matches = self._verify_candidates(key, shingles, self._candidates(signature))
        self._remember(key, outlet, shingles)
        self._lsh.insert(key, signature.minhash)
        self._anchors.add(key, signature.anchors)
        return AddResult(matches, signature)

    def prefetch(self, signatures: list[Signature]) -> None:
        """Look up the candidates' postings of a batch of signatures at once, before their
        texts are added one by one: in a large index that costs a fraction of a lookup each
        (see `SortedRuns.prefetch`). What `add` finds is the same; call `end_prefetch`
        after the batch."""
        if not signatures:
            return
        self._anchors.prefetch(np.concatenate([s.anchors for s in signatures]))
        bands = self._lsh.in_memory
        if bands is not None:
            bands.prefetch([s.minhash for s in signatures])

    def end_prefetch(self) -> None:
        self._anchors.end_prefetch()
        bands = self._lsh.in_memory
        if bands is not None:
            bands.end_prefetch()

    def load(self, key: Hashable, signature: Signature, outlet: str | None = None) -> None:
        """Index a persisted signature without matching (start-up rebuild)."""
        self.load_many([(key, signature, outlet)])

    def load_many(self, items: Iterable[tuple[Hashable, Signature, str | None]]) -> int:
        """Index many persisted signatures in one LSH insertion session; returns how many
        were indexed (too-short ones are skipped)."""
        count = 0

        def indexable() -> Iterable[tuple[Hashable, Any]]:
            nonlocal count
            for key, signature, outlet in items:
                self._outlets[key] = outlet
                if signature is None or signature.n_shingles < self.thresholds.min_shingles:
                    continue
                self._check_signature(signature)
                self._anchors.add(key, signature.anchors)
                count += 1
                yield key, signature.minhash

        self._lsh.insert_many(indexable())
        return count

    def to_arrays(self) -> dict[str, Any] | None:
        """The candidate indexes and each key's outlet as named arrays with their meta, for
        :func:`dedupe.persist.write_index`; None when they cannot be saved (bands outside
        memory, keys other than integers)."""
        bands = self._lsh.in_memory
        if bands is None or any(type(k) is not int for k in self._outlets):
            return None
        names = sorted({o for o in self._outlets.values() if o is not None})
        code = {name: i for i, name in enumerate(names)}
        arrays: dict[str, Any] = {
            "keys": np.fromiter(self._outlets, dtype=np.int64, count=len(self._outlets)),
            "outlets": np.array([code.get(o, -1) for o in self._outlets.values()], np.int32),
            **{f"bands.{k}": v for k, v in bands.to_arrays().items()},
            **{f"anchors.{k}": v for k, v in self._anchors.to_arrays().items()},
        }
        meta = {"params": self.params.to_dict(), "lsh": self.thresholds.lsh,
                "min_shingles": self.thresholds.min_shingles, "outlets": names}  # fmt: skip
        return {"meta": meta, "arrays": arrays}

    def restore(self, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        """Take the indexes `to_arrays` saved, in place of what this matcher holds. Raises
        ValueError (the matcher unchanged) when they were built with other parameters or
        do not fit together."""
        if meta.get("params") != self.params.to_dict() or (
            meta.get("lsh"), meta.get("min_shingles")
        ) != (self.thresholds.lsh, self.thresholds.min_shingles):
            raise ValueError("the saved index was built with other parameters")
        bands = self._lsh.in_memory
        if bands is None:
            raise ValueError("the bands of this matcher live outside memory")
        names, keys, codes = meta["outlets"], arrays["keys"], arrays["outlets"]
        if len(keys) != len(codes) or (
            len(codes) and not -1 <= codes.min() <= codes.max() < len(names)
        ):
            raise ValueError("the saved outlets do not match their keys")
        fresh_bands = BandIndex(self.thresholds.lsh, self.params.num_perm)
        fresh_anchors = AnchorIndex()
        fresh_bands.restore({k[6:]: v for k, v in arrays.items() if k.startswith("bands.")})
        fresh_anchors.restore({k[8:]: v for k, v in arrays.items() if k.startswith("anchors.")})
        self._lsh.use(fresh_bands)
        self._anchors = fresh_anchors
        outlet_of = [*names, None]  # code -1: no outlet
        self._outlets = dict(zip(keys.tolist(), [outlet_of[c] for c in codes.tolist()]))
        self._cache.clear()

    def remove(self, key: Hashable) -> None:
        """Forget `key` (no-op when unknown)."""
        if key in self._outlets:
            self._lsh.remove(key)
            self._anchors.remove(key)
            self._outlets.pop(key, None)
            self._cache.pop(key, None)
            if self._texts is not None:
                self._texts.pop(key, None)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._anchors

    def __len__(self) -> int:
        """Number of indexed texts."""
        return len(self._anchors)

    # -- matching ------------------------------------------------------------------

    def candidates(self, signature: Signature) -> set[Hashable]:
        """Unverified candidates for a signature (LSH and anchor hits)."""
        return self._candidates(signature)

    def match(self, text: str, outlet: str | None = None) -> list[Match]:
        """Verified matches of `text` against the index, without adding it (key_a is
        None in the returned matches)."""
        shingles = self.shingles(text, outlet)
        if len(shingles) < self.thresholds.min_shingles:
            return []
        signature = make_signature(shingles, self.params)
        return self._verify_candidates(None, shingles, self._candidates(signature))

    def rematch(self, key: Hashable) -> list[Match]:
        """Match an indexed text again under the current boilerplate knowledge: fresh
        shingles, fresh candidates, fresh verification (key_a is `key`). Use it for every
        key after outlets learnt boilerplate, e.g. from `crosspost rematch`."""
        shingles = self._shingles_for(key)
        if shingles is None or len(shingles) < self.thresholds.min_shingles:
            return []
        signature = make_signature(shingles, self.params)
        return self._verify_candidates(key, shingles, self._candidates(signature))

    def boilerplate_versions(self, key_a: Hashable, key_b: Hashable) -> tuple[int, int]:
        """The boilerplate versions of the two keys' outlets: a pair verified when these
        were current verifies the same way while they stay so."""
        version = self.boilerplate.version
        return version(self._outlets.get(key_a)), version(self._outlets.get(key_b))

    def verify(self, key_a: Hashable, key_b: Hashable) -> Match | None:
        """Re-verify a known pair with current boilerplate knowledge (e.g. after the
        outlet learnt a footer that the pair shared). None if it is no longer a match or
        a text is unavailable."""
        a, b = self._shingles_for(key_a), self._shingles_for(key_b)
        if a is None or b is None:
            return None
        return classify(key_a, key_b, overlap(a, b), self.thresholds)

    def _candidates(self, signature: Signature) -> set[Hashable]:
        found = set(self._lsh.query(signature.minhash))
        found.update(self._anchors.query(signature.anchors, self.thresholds.min_shared_anchors))
        return found

    def _verify_candidates(
        self, key: Hashable, shingles: np.ndarray, candidates: Iterable[Hashable]
    ) -> list[Match]:
        matches = []
        for other in candidates:
            if other == key:
                continue
            other_shingles = self._shingles_for(other)
            if other_shingles is None:
                logger.warning("no text for indexed key %r; cannot verify it", other)
                continue
            found = classify(key, other, overlap(shingles, other_shingles), self.thresholds)
            if found is not None:
                matches.append(found)
        matches.sort(key=lambda m: (m.jaccard, m.containment), reverse=True)
        return matches

    # -- shingle sets --------------------------------------------------------------

    def _shingles_of(self, tokens: Any, outlet: str | None) -> np.ndarray:
        if len(tokens) == 0:
            return EMPTY
        return shingle_set(tokens, self.params.shingle_size, self.boilerplate.boilerplate(outlet))

    def _leaves_out(self, without: np.ndarray, tokens: Tokens, outlet: str | None) -> bool:
        """Whether the outlet's boilerplate, as known now, leaves out exactly the paragraphs
        ``without`` of this text."""
        known = self.boilerplate.boilerplate(outlet)
        if not len(known) or not len(tokens):
            return not len(without)
        return np.array_equal(_known_paragraphs(tokens, known), without)

    def _remember(self, key: Hashable, outlet: str | None, shingles: np.ndarray) -> None:
        self._cache[key] = (self.boilerplate.version(outlet), shingles)
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _shingles_for(self, key: Hashable) -> np.ndarray | None:
        outlet = self._outlets.get(key)
        cached = self._cache.get(key)
        if cached is not None and cached[0] == self.boilerplate.version(outlet):
            self._cache.move_to_end(key)
            return cached[1]
        text = self._texts.get(key) if self._texts is not None else self._get_text(key)
        if text is None:
            return None
        shingles = self._shingles_of(tokenize(text), outlet)
        self._remember(key, outlet, shingles)
        return shingles

    def _check_signature(self, signature: Signature) -> None:
        mh, params = signature.minhash, self.params
        if (len(mh), mh.seed, mh.scheme) != (params.num_perm, params.seed, params.scheme):
            params.check_compatible(
                SignatureParams(num_perm=len(mh), seed=mh.seed, scheme=mh.scheme,
                                shingle_size=params.shingle_size,
                                anchor_every=params.anchor_every)
            )  # fmt: skip
