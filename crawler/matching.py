"""Keeps the near-duplicate index in step with the store.

Each article is matched against everything indexed when it is stored, then indexed itself;
its signature and matches are written in one transaction. At start-up the index is read
from the store's index file and brought up to date from the signatures changed since it was
written (:mod:`crawler.index_file`), or rebuilt from every stored signature when there is no
usable file; it is saved again when a run finishes. Articles stored but not matched (an
interrupted run) are matched then. Signature parameters are stored with the signatures and a store signed with
other parameters is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from crawler.index_file import BOILERPLATE_KEY, IndexFile, load_boilerplate, save_boilerplate
from crawler.store import Store, StoreError
from dedupe.boilerplate import BoilerplateModel
from dedupe.found_pairs import FoundPairs, each_pair
from dedupe.matcher import Matcher, Presigned
from dedupe.shingles import Tokens, tokenize
from dedupe.signature import IncompatibleSignatureError, SignatureParams, deserialize, serialize
from dedupe.verify import Match, Thresholds

logger = logging.getLogger(__name__)

PARAMS_KEY = "dedupe.params"
THRESHOLDS_KEY = "dedupe.thresholds"
# The parameters a user may choose; the others describe the code and must stay current.
TUNABLE_PARAMS = ("num_perm", "seed", "shingle_size", "scheme", "anchor_every")


def stored_params(saved: dict[str, Any] | None) -> SignatureParams:
    """The store's chosen signature parameters on top of the current code's defaults."""
    chosen = {k: v for k, v in (saved or {}).items() if k in TUNABLE_PARAMS}
    try:
        return SignatureParams(**chosen)
    except (TypeError, ValueError):
        return SignatureParams()


def stored_thresholds(saved: dict[str, Any] | None) -> Thresholds | None:
    if not saved:
        return None
    try:
        return Thresholds.from_dict(saved)
    except (TypeError, ValueError):
        return None


class TextHashes:
    """Which text each article was matched with: a 64-bit digest prefix per article id in
    one numpy array (8 bytes an article; a dict of hex strings costs about 200)."""

    _ABSENT, _NONE = 0, 1

    def __init__(self) -> None:
        self._values = np.zeros(0, dtype=np.uint64)

    @classmethod
    def _code(cls, text_hash: str | None) -> int:
        if text_hash is None:
            return cls._NONE
        try:
            # Two low bits set apart from the absent and None codes.
            return (int(text_hash[:15], 16) << 2) | 2
        except ValueError:
            return (hash(text_hash) & (2**62 - 1)) << 2 | 3

    def set(self, article_id: int, text_hash: str | None) -> None:
        if article_id >= len(self._values):
            grown = np.zeros(max(article_id + 1, 2 * len(self._values), 1024), dtype=np.uint64)
            grown[: len(self._values)] = self._values
            self._values = grown
        self._values[article_id] = self._code(text_hash)

    @classmethod
    def from_array(cls, values: np.ndarray) -> TextHashes:
        if values.dtype != np.uint64 or values.ndim != 1:
            raise ValueError("text digests must be one uint64 array")
        hashes = cls()
        hashes._values = values
        return hashes

    @property
    def values(self) -> np.ndarray:
        return self._values

    def forget(self, article_id: int) -> None:
        if article_id < len(self._values):
            self._values[article_id] = self._ABSENT

    def unchanged(self, article_id: int, text_hash: str | None) -> bool:
        """True when ``article_id`` was matched with this very text already."""
        return article_id < len(self._values) and int(self._values[article_id]) == self._code(
            text_hash
        )


def _row(match: Match) -> dict[str, Any]:
    return {
        "a": match.key_a,
        "b": match.key_b,
        "jaccard": round(float(match.jaccard), 4),
        "containment_a_in_b": round(float(match.containment_a_in_b), 4),
        "containment_b_in_a": round(float(match.containment_b_in_a), 4),
        "kind": match.kind,
    }


class StoreMatcher:
    """The store's :class:`dedupe.matcher.Matcher`, rebuilt from and written back to SQLite."""

    def __init__(
        self,
        store: Store,
        params: SignatureParams | None = None,
        *,
        thresholds: Thresholds | None = None,
        storage_config: dict[str, Any] | None = None,
    ) -> None:
        self.store = store
        saved = store.get_state(PARAMS_KEY)
        # A store re-signed with other parameters (`crosspost rematch`) keeps them.
        params = params or stored_params(saved)
        thresholds = thresholds or stored_thresholds(store.get_state(THRESHOLDS_KEY))
        if saved is not None and store.db["signatures"].count:
            try:
                params.check_compatible(saved)
            except IncompatibleSignatureError as exc:
                raise StoreError(str(exc)) from None
        store.set_state(PARAMS_KEY, params.to_dict())
        self.matcher = Matcher(
            params,
            storage_config,
            thresholds=thresholds,
            boilerplate=load_boilerplate(store),
            get_text=store.text_of,
        )
        self._hashes = TextHashes()
        # This run's matches, with the boilerplate versions of both outlets when each was
        # verified: only a pair whose outlets learnt boilerplate since is verified again.
        self._new_pairs = FoundPairs()
        self.file = IndexFile(store)
        self.source = ""  # where the indexes came from: "file" or "signatures"
        self._load()

    def _items(self, rows: Iterable[tuple[int, bytes | None, str | None, str | None]]):
        params = self.matcher.params
        for article_id, blob, outlet, text_hash in rows:
            self._hashes.set(article_id, text_hash)
            yield article_id, deserialize(blob, params) if blob else None, outlet

    def _load(self) -> None:
        """The indexes from the index file and the signatures changed since it was written;
        from every stored signature when there is no usable file."""
        found = self.file.read()
        if found is not None:
            meta, arrays, rows, gone = found
            try:
                hashes = TextHashes.from_array(arrays["text_hashes"])
                self.matcher.restore(meta["matcher"], {
                    k[len("matcher."):]: v for k, v in arrays.items() if k.startswith("matcher.")
                })  # fmt: skip
            except (KeyError, ValueError) as exc:
                logger.warning("ignoring the index file %s (%s); rebuilding the index",
                               self.file.path, exc)  # fmt: skip
                self.file.saved_seq = None
            else:
                self._hashes = hashes
                for article_id in [*gone, *(r[0] for r in rows)]:
                    self.matcher.remove(article_id)
                    self._hashes.forget(article_id)
                self.matcher.load_many(self._items(rows))
                self.source = "file"
                logger.info("near-duplicate index read from %s: %d signatures, %d changed "
                            "since", self.file.path, len(self.matcher), len(rows) + len(gone))  # fmt: skip
                return
        loaded = self.matcher.load_many(self._items(self.store.signatures()))
        self.source = "signatures"
        logger.info("near-duplicate index rebuilt: %d signatures", loaded)

    def save_index(self) -> bool:
        """Write the index file if the indexes changed since it was read or written (not
        when the bands live outside memory); returns whether it was written."""
        return self.file.write(self.matcher, {"text_hashes": self._hashes.values})

    def add(
        self,
        article_id: int,
        text: str,
        outlet: str | None,
        text_hash: str | None,
        tokens: Tokens | None = None,
        presigned: Presigned | None = None,
    ) -> list[Match]:
        """Match one stored article and index it. An article whose text is unchanged since it
        was last matched is not matched again. ``tokens`` and ``presigned``: the text
        prepared by an extraction worker, if it was (see ``Matcher.add``)."""
        if self._hashes.unchanged(article_id, text_hash):
            return []
        result = self.matcher.add(article_id, text, outlet, tokens, presigned)
        blob = serialize(result.signature, self.matcher.params) if result.signature else None
        self.store.save_matches(article_id, text_hash, blob, [_row(m) for m in result])
        self._hashes.set(article_id, text_hash)
        self._note_pairs(result)
        return list(result)

    def catch_up(self) -> int:
        """Match the articles stored but not matched yet; returns how many."""
        count = 0
        for article_id, text, outlet, text_hash in self.store.unsigned_articles():
            self.add(article_id, text or "", outlet, text_hash)
            count += 1
        return count

    def match_text(self, text: str, outlet: str | None = None) -> list[Match]:
        """Where a text not in the store appears (``key_a`` is None)."""
        return self.matcher.match(text, outlet)

    def _note_pairs(self, matches: list[Match]) -> None:
        versions = self.matcher.boilerplate_versions
        for m in matches:
            self._new_pairs.add(m.key_a, m.key_b, versions(m.key_a, m.key_b))

    def _changed_pairs(self) -> tuple[np.ndarray, int]:
        """This run's matches whose outlets learnt boilerplate since they were verified, in
        order (see `each_pair`), and how many others there are (they would verify as they
        did)."""
        return self._new_pairs.changed(self.matcher.boilerplate_versions)

    def finish(self) -> None:
        """Re-verify this run's matches under the boilerplate learnt since they were found
        (an outlet's footer is only known as boilerplate after a few of its articles), and
        save the boilerplate model."""
        dropped = 0
        for a, b in each_pair(self._changed_pairs()[0]):
            match = self.matcher.verify(a, b)
            if match is None:
                dropped += 1
                self.store.update_match(a, b, None)
            else:
                row = _row(match)
                self.store.update_match(a, b, {k: v for k, v in row.items() if k not in "ab"})
        if dropped:
            logger.info("%d matches dropped: shared only text their outlets repeat", dropped)
        self._new_pairs.clear()
        self.save_index()
        save_boilerplate(self.store, self.matcher.boilerplate)

    def add_many(self, items: list[tuple]) -> list[list[Match]]:
        """`add` for many stored articles (id, text, outlet, text hash), matched in order
        and written in one transaction; returns each article's matches. An item may carry
        two more fields, the text's tokens and presigned signature (see `add`)."""
        found: list[list[Match]] = []
        writes = []
        # The signatures made in the workers: their candidates are looked up at once.
        params = self.matcher.params
        self.matcher.prefetch([
            item[5].signature for item in items
            if len(item) > 5 and item[5] is not None and item[5].signature is not None
            and item[5].params == params
        ])  # fmt: skip
        try:
            for article_id, text, outlet, text_hash, *prepared in items:
                if self._hashes.unchanged(article_id, text_hash):
                    found.append([])
                    continue
                result = self.matcher.add(article_id, text or "", outlet, *prepared)
                blob = (serialize(result.signature, self.matcher.params)
                        if result.signature else None)  # fmt: skip
                writes.append((article_id, text_hash, blob, [_row(m) for m in result]))
                self._hashes.set(article_id, text_hash)
                self._note_pairs(result)
                found.append(list(result))
        finally:
            self.matcher.end_prefetch()
        self.store.bulk.save_matches_many(writes)
        return found

    def reverify(
        self, pairs: list[tuple[int, int]] | None = None, batch: int = 5000
    ) -> tuple[int, int]:
        """`finish` with batched writes: re-verify ``pairs`` (default: this run's new
        matches whose outlets learnt boilerplate since) under the boilerplate learnt so
        far, and save the boilerplate model. Returns (kept, dropped)."""
        kept = dropped = 0
        todo: Iterable[tuple[int, int]] = pairs or []
        if pairs is None:
            changed, kept = self._changed_pairs()
            logger.info(
                "re-verifying %d of this run's %d matches: their outlets learnt boilerplate "
                "since they were found", len(changed), len(changed) + kept,
            )
            todo = each_pair(changed)
        updates: list[tuple[int, int, dict[str, Any] | None]] = []
        for a, b in todo:
            match = self.matcher.verify(a, b)
            if match is None:
                dropped += 1
                updates.append((a, b, None))
            else:
                kept += 1
                row = _row(match)
                updates.append((a, b, {k: v for k, v in row.items() if k not in "ab"}))
            if len(updates) >= batch:
                self.store.bulk.update_matches(updates)
                updates = []
        self.store.bulk.update_matches(updates)
        if dropped:
            logger.info("%d matches dropped: shared only text their outlets repeat", dropped)
        if pairs is None:
            self._new_pairs.clear()
        self.save_index()
        save_boilerplate(self.store, self.matcher.boilerplate)
        return kept, dropped


def rematch_store(
    store: Store,
    params: SignatureParams,
    thresholds: Thresholds,
    *,
    progress: Callable[[int], None] | None = None,
    batch: int = 500,
) -> dict[str, int]:
    """Re-sign and re-match every stored article with ``params`` and ``thresholds``, then
    re-verify every match under the boilerplate learnt. The old signatures and matches
    are dropped first and the new parameters recorded, so an interrupted run leaves a
    store whose unmatched articles the next crawl, ingest or rematch catches up.

    Returns counts: articles, indexed, matches, dropped (matches that shared only
    boilerplate)."""
    if store.get_state(BOILERPLATE_KEY) is None:
        # Never matched before: learn each outlet's boilerplate from the whole store
        # first, so that no article is matched on its outlet's footer.
        model = BoilerplateModel()
        for _, text, outlet, _ in store.bulk.iter_articles():
            model.observe(outlet, tokenize(text or "").paragraph_keys)
        save_boilerplate(store, model)
    store.bulk.clear_matching()
    store.set_state(PARAMS_KEY, params.to_dict())
    store.set_state(THRESHOLDS_KEY, thresholds.to_dict())
    matching = StoreMatcher(store, params, thresholds=thresholds)
    articles = 0
    chunk: list[tuple[int, str, str | None, str | None]] = []
    for row in store.bulk.iter_articles():
        chunk.append(row)
        if len(chunk) >= batch:
            matching.add_many(chunk)
            articles += len(chunk)
            if progress is not None:
                progress(len(chunk))
            chunk = []
    if chunk:
        matching.add_many(chunk)
        articles += len(chunk)
        if progress is not None:
            progress(len(chunk))
    kept, dropped = matching.reverify()
    return {"articles": articles, "indexed": len(matching.matcher), "matches": kept,
            "dropped": dropped}  # fmt: skip
