"""The provenance decisions as stored: written after each crawl, ingest and rematch, read by
every answer (lookup, the API and page, stats, export, the Datasette views).

- :func:`decide_and_store` — decide over the whole store and replace the stored decisions
  in one transaction (the crawl, ingest, rematch and Redis writer call it when they end);
- :func:`whole_store` / :func:`family` — the decisions to answer from: the stored ones when
  current, else decided now in memory (a stale or old store opened read-only), with a note;
- :mod:`.batches` — the store's evidence a batch of story families at a time;
- :mod:`.stored` — the tables, their versioning and snapshot reads; :mod:`.rows` — rows
  from and to :class:`graph.Provenance`; :mod:`.codec` — dataclasses as JSON.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crawler.records import load_all, load_family
from crawler.store import Store, StoreError
from graph import Provenance

from . import stored
from .batches import BATCH_ARTICLES, batches
from .codec import CodecError
from .stored import Status, rules_version, status

logger = logging.getLogger(__name__)

__all__ = ["Decided", "Status", "decide_and_store", "family", "refresh", "rules_version",
           "status", "whole_store"]  # fmt: skip


@dataclass(frozen=True)
class Decided:
    """Where an answer's decisions come from: ``stored`` (and when), or decided now."""

    stored: bool
    decided_at: str | None
    rules_version: str
    note: str | None = None

    def as_dict(self) -> dict:
        return {"stored": self.stored, "decided_at": self.decided_at,
                "rules_version": self.rules_version, "note": self.note}  # fmt: skip


def decide_and_store(store: Store, trigger: str, *, batch: int = BATCH_ARTICLES) -> dict:
    """Decide provenance over the whole store and store it (one transaction); the run.

    The store is decided a batch of whole story families at a time (:mod:`.batches`), so
    the memory this takes is one batch's, not every article's."""

    def decided() -> Iterator[tuple[Provenance, dict[str, int]]]:
        for evidence in batches(store, batch):
            yield evidence.provenance(), {url: i for i, url in evidence.urls.items()}

    run = stored.write_batches(store, decided, trigger=trigger)
    logger.info("stored the decisions of %d articles in %d families (%.1f s)",
                run["articles"], run["families"], run["seconds"])
    return run


def refresh(store: Store, trigger: str, *, force: bool = False) -> bool:
    """Store the decisions when they are not current, or always with ``force`` (a writer
    calling after its work: crawl, ingest, rematch). A failure is logged, never raised:
    the readers then decide in memory until the next writer stores them."""
    try:
        if not force and status(store).current:
            return False
        decide_and_store(store, trigger)
        return True
    except (StoreError, sqlite3.Error, CodecError) as exc:
        logger.error("Cannot store the provenance decisions: %s", exc)
        return False


def _now(note: str | None) -> Decided:
    return Decided(False, None, rules_version(), note)


def whole_store(store: Store, *, write_path: str | Path | None = None) -> tuple[Provenance, Decided]:
    """Every decision: the stored ones when current; else decided now, and stored when
    ``write_path`` names the store and it can be written at once (no other writer busy)."""
    try:
        with stored.snapshot(store):
            state = status(store)
            if state.current:
                return stored.read_all(store), Decided(True, state.decided_at, rules_version())
    except (sqlite3.Error, CodecError, KeyError, ValueError) as exc:
        state = Status(False, "unreadable")
        logger.warning("stored decisions unreadable (%s); deciding again", exc)
    prov = load_all(store).provenance()
    if write_path is not None:
        run = _try_store(write_path, prov)
        if run is not None:
            return prov, Decided(True, run["decided_at"], rules_version(),
                                 f"decided again and stored: {state.note()}")
    return prov, _now(f"decided now, not stored: {state.note()}")


def _writable_now(path: str | Path) -> bool:
    """Whether the file can be written at once: no other writer holds it (a crawl), and
    the file and its directory allow writing."""
    try:
        conn = sqlite3.connect(str(path), timeout=1, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return True


def _try_store(path: str | Path, prov: Provenance) -> dict | None:
    if not _writable_now(path):
        logger.info("decisions not stored: %s is busy or read-only", path)
        return None
    try:
        with Store(path) as writable:
            writable.db.execute("PRAGMA busy_timeout = 1000")
            return stored.write(writable, prov, trigger="read")
    except (StoreError, sqlite3.Error, OSError) as exc:
        logger.info("decisions not stored (%s)", exc)
        return None


def family(store: Store, article_id: int) -> tuple[Provenance, str, Decided]:
    """The decisions of one article's families: ``(provenance, its URL, where from)``."""
    try:
        with stored.snapshot(store):
            state = status(store)
            if state.current:
                url = store.db.execute("select url from articles where id = ?",
                                       [article_id]).fetchone()[0]
                prov = stored.read_family(store, url)
                if prov is not None:
                    return prov, url, Decided(True, state.decided_at, rules_version())
                state = Status(False, "evidence", state.decided_at, state.rules_version)
    except (sqlite3.Error, CodecError, KeyError, ValueError, TypeError) as exc:
        state = Status(False, "unreadable")
        logger.warning("stored decisions unreadable (%s); deciding again", exc)
    evidence = load_family(store, article_id)
    return evidence.provenance(), evidence.urls[article_id], _now(
        f"decided now over this story's articles: {state.note()}")
