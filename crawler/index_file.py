"""The store's files next to the database: ``<db>.index`` (the candidate indexes) and
``<db>.boilerplate`` (the boilerplate model's pending paragraphs).

Opening a store for a crawl, an ingest or a rematch used to rebuild the near-duplicate
indexes from every stored signature. The matcher's arrays are saved instead when a run
finishes (:func:`dedupe.persist.write_index`: atomic, checksummed) and mapped back at the
next start, then brought up to date from the store.

What is up to date is decided by the store, not by the file's age. Triggers (schema
migration m012) log the article id of every signature written or removed in
``signature_changes``, numbered by an ever-growing ``seq``. The file records the ``seq`` it
is current to; at start-up the articles logged after it are re-indexed from their
signatures (those added since the file was written, or re-signed), and the rest comes from
the file. The log is pruned up to the ``seq`` of each file written.

The file is ignored, with a warning, and the indexes rebuilt from the signatures as before,
when it is truncated or corrupt, of another format version, of another store (each store
gets a random identity, saved in its state table), built with other signature parameters
or thresholds, current to a ``seq`` the store no longer has (a store restored from an older
copy) or older than the pruned log (an older copy of the file), or when its article count
does not add up with the store's. Only one process writes a store's signatures at a time
(the store's rule): a signature written by another process after this one loaded is not in
its memory, and the file it saves would miss it.

The boilerplate model (:class:`dedupe.boilerplate.BoilerplateModel`) is mostly paragraphs
on their way to becoming boilerplate: two thousand an outlet, with the sketches of the
articles they were seen in. Kept as one JSON document in the state table, that was 184 MB
for a store of 100,000 articles, parsed whenever a matcher opened the store (nine seconds,
and a peak of about 12 KB an article while parsing). So the model is saved in two parts:

- in the state table (``dedupe.boilerplate``), the part that decides what is left out of the
  shingles: each outlet's boilerplate and version, a small JSON document in the format
  stores kept before (with no pending paragraphs), which any reader of the store can use;
- in ``<db>.boilerplate``, the pending paragraphs, as numpy arrays written like the index
  file (:func:`dedupe.persist.write_index`: temporary name, fsync, rename, crc32 per array)
  and mapped back copy-on-write when the store is opened; an outlet's arrays become its
  table again only when one of its articles is observed.

The state names the file it goes with (the store's identity and a generation, one more at
each save; the file is written first). A file that is missing, damaged, of another store or
of another generation is ignored with a warning: the boilerplate already learnt is intact in
the state, and the pending paragraphs are counted again from the next articles on. A store
whose state still holds the whole model as JSON (written before) is read from it once and
saved in two parts at the end of the next run. A store without a file (``:memory:``) keeps
the whole model in its state.
"""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from crawler.store import Store
from dedupe.boilerplate import BoilerplateModel
from dedupe.matcher import Matcher
from dedupe.persist import IndexFileError, read_index, write_index

__all__ = [
    "BOILERPLATE_KEY",
    "IndexFile",
    "load_boilerplate",
    "save_boilerplate",
    "store_identity",
]

logger = logging.getLogger(__name__)

VERSION = 1
STORE_ID_KEY = "dedupe.index.store"
PRUNED_KEY = "dedupe.index.pruned"

Row = tuple[int, "bytes | None", "str | None", "str | None"]


def store_identity(store: Store, create: bool) -> str | None:
    """The store's random identity, which its sibling files record (made when asked)."""
    found = store.get_state(STORE_ID_KEY)
    if found is None and create:
        found = uuid.uuid4().hex
        store.set_state(STORE_ID_KEY, found)
    return found


class IndexFile:
    """Reads and writes one store's index file."""

    def __init__(self, store: Store) -> None:
        self.store = store
        name = str(store.path)
        self.path = None if name in ("", ":memory:") else Path(f"{name}.index")
        self.saved_seq: int | None = None  # the seq of the file read or written, if any

    def seq(self) -> int:
        """The number of the last signature change logged in the store."""
        row = self.store.db.execute(
            "select seq from sqlite_sequence where name = 'signature_changes'"
        ).fetchone()
        return int(row[0]) if row else 0

    def _store_id(self, create: bool) -> str | None:
        return store_identity(self.store, create)

    def read(self) -> tuple[dict[str, Any], dict[str, np.ndarray], list[Row], list[int]] | None:
        """The file's meta and arrays, with what changed in the store since it was written:
        the rows (id, signature, outlet, text hash) of articles signed again or anew, and
        the ids of articles no longer signed. None, logged, when there is no usable file."""
        if self.path is None or not self.path.exists():
            return None
        try:
            meta, arrays = read_index(self.path)
            why, rows, gone = self._check(meta, arrays)
        except IndexFileError as exc:
            why, rows, gone = str(exc), [], []
        if why is not None:
            logger.warning("ignoring the index file %s (%s); rebuilding the index from the "
                           "stored signatures", self.path, why)  # fmt: skip
            return None
        self.saved_seq = int(meta["seq"])
        return meta, arrays, rows, gone

    def _check(
        self, meta: dict[str, Any], arrays: dict[str, np.ndarray]
    ) -> tuple[str | None, list[Row], list[int]]:
        if meta.get("version") != VERSION:
            return f"format version {meta.get('version')!r}, expecting {VERSION}", [], []
        store_id = self._store_id(create=False)
        if store_id is None or meta.get("store") != store_id:
            return "written for another store", [], []
        saved, now = meta.get("seq"), self.seq()
        if not isinstance(saved, int) or saved > now:
            return "newer than the store (a store restored from an older copy?)", [], []
        if saved < (self.store.get_state(PRUNED_KEY) or 0):
            return "older than the store's log of changes", [], []
        keys = arrays.get("matcher.keys")
        if keys is None:
            return "no article keys", [], []
        rows, gone = self._changed_since(saved)
        # What the file held, less the changed articles, plus those of them still signed.
        changed = np.array([r[0] for r in rows] + gone, dtype=np.int64)
        expected = len(keys) - int(np.isin(changed, keys).sum()) + len(rows)
        stored = self.store.db.execute(
            "select count(*) from signatures s join articles a on a.id = s.article_id"
        ).fetchone()[0]
        if expected != stored:
            return f"{expected:,} articles after catching up, the store has {stored:,}", [], []
        return None, rows, gone

    def _changed_since(self, seq: int) -> tuple[list[Row], list[int]]:
        ids = [r[0] for r in self.store.db.execute(
            "select distinct article_id from signature_changes where seq > ? order by article_id",
            [seq],
        )]  # fmt: skip
        rows: list[Row] = []
        for start in range(0, len(ids), 500):  # SQLite's bound-parameter limit
            chunk = ids[start : start + 500]
            rows.extend(
                tuple(row)
                for row in self.store.db.execute(
                    "select s.article_id, s.signature, a.outlet, s.text_hash from signatures s "
                    "join articles a on a.id = s.article_id "
                    f"where s.article_id in ({', '.join('?' * len(chunk))}) order by s.article_id",
                    chunk,
                )
            )
        present = {r[0] for r in rows}
        return rows, [i for i in ids if i not in present]

    def write(self, matcher: Matcher, extra: dict[str, np.ndarray]) -> bool:
        """Save the matcher's indexes (and ``extra`` arrays) if anything changed since the
        file was read or last written; returns whether a file was written. Only outside a
        transaction: the seq recorded must be one the store keeps."""
        if self.path is None or self.store.db.conn.in_transaction:
            return False
        seq = self.seq()
        if seq == self.saved_seq:
            return False
        state = matcher.to_arrays()
        if state is None:
            return False
        meta = {"version": VERSION, "store": self._store_id(create=True), "seq": seq,
                "matcher": state["meta"]}  # fmt: skip
        arrays = {**{f"matcher.{k}": v for k, v in state["arrays"].items()}, **extra}
        try:
            size = write_index(self.path, meta, arrays)
        except OSError as exc:
            logger.warning("could not save the index file %s: %s", self.path, exc)
            return False
        with self.store.transaction():
            self.store.db.execute("delete from signature_changes where seq <= ?", [seq])
            self.store.db.execute(
                "insert into state (key, value) values (?, ?) "
                "on conflict(key) do update set value = excluded.value",
                [PRUNED_KEY, json.dumps(seq)],
            )
        self.saved_seq = seq
        logger.info("index file saved: %s, %.1f MB", self.path, size / 1e6)
        return True


BOILERPLATE_KEY = "dedupe.boilerplate"
FILE_KEY = "pending_file"  # in the state's model: the file it goes with
BOILERPLATE_VERSION = 1


def boilerplate_path(store: Store) -> Path | None:
    name = str(store.path)
    return None if name in ("", ":memory:") else Path(f"{name}.boilerplate")


def _pending(store: Store, data: dict[str, Any]) -> dict[str, Any] | None:
    """The arrays of the file the state names, or None (logged) when it cannot be used."""
    named, path = data.get(FILE_KEY), boilerplate_path(store)
    if not isinstance(named, dict) or path is None:
        return None
    try:
        meta, arrays = read_index(path)
        if meta.get("version") != BOILERPLATE_VERSION:
            why = f"format version {meta.get('version')!r}, expecting {BOILERPLATE_VERSION}"
        elif meta.get("store") != named.get("store"):
            why = "written for another store"
        elif meta.get("generation") != named.get("generation"):
            why = (f"generation {meta.get('generation')!r}, the store names "
                   f"{named.get('generation')!r}")  # fmt: skip
        else:
            return arrays
    except IndexFileError as exc:
        why = str(exc)
    logger.warning("ignoring the boilerplate file %s (%s); the outlets' boilerplate is kept, "
                   "the paragraphs on their way to it are counted again", path, why)  # fmt: skip
    return None


def load_boilerplate(store: Store) -> BoilerplateModel | None:
    """The store's boilerplate model, or None when it has none yet."""
    data = store.get_state(BOILERPLATE_KEY)
    if not data:
        return None
    pending = _pending(store, data)
    if pending is not None:
        try:
            return BoilerplateModel.from_dict(data, pending)
        except ValueError as exc:
            logger.warning("ignoring the boilerplate file %s (%s); the outlets' boilerplate "
                           "is kept", boilerplate_path(store), exc)  # fmt: skip
    model = BoilerplateModel.from_dict(data)
    # Saved again at the next save: the whole JSON document of an older store in two parts,
    # a file that could not be used replaced.
    model.changed = FILE_KEY in data or any(o["pending"] for o in data["outlets"].values())
    return model


def save_boilerplate(store: Store, model: BoilerplateModel) -> None:
    """Save the model if anything changed since it was read: the pending paragraphs to
    the file, then the rest, naming that file, to the state."""
    # The generation named, read without parsing the state (a whole model, in older stores).
    row = store.db.execute(
        f"select json_extract(value, '$.{FILE_KEY}.generation') from state where key = ?",
        [BOILERPLATE_KEY],
    ).fetchone()
    if row is not None and not model.changed:
        return
    path = boilerplate_path(store)
    if path is None:
        store.set_state(BOILERPLATE_KEY, model.to_dict())
        model.changed = False
        return
    generation = row[0] if row is not None and isinstance(row[0], int) else 0
    named = {"store": store_identity(store, create=True), "generation": generation + 1}
    data = model.to_dict(pending=False)
    try:
        write_index(path, {"version": BOILERPLATE_VERSION, **named}, model.pending_arrays())
    except OSError as exc:
        # The boilerplate is saved all the same; only the pending paragraphs are lost.
        logger.warning("could not save the boilerplate file %s: %s", path, exc)
    else:
        data[FILE_KEY] = named
    store.set_state(BOILERPLATE_KEY, data)
    model.changed = False
