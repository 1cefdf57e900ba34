"""The decisions tables: written whole in one transaction, read in one snapshot.

A reader sees the previous decisions or the new ones, never half: a lookup while
``crosspost rematch`` rebuilds the matches still sees every family whole. The state row
``decisions`` says which rules made them, when, and from what evidence; decisions are
*current* when the rules are these and the evidence (articles, credits, outlets) has not
changed since. Matches are left out of that check on purpose: a rematch clears and rebuilds
them, and until it has finished the decisions it started from are the last whole answer.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import graph.decisions
from crawler.store import Store, utcnow
from graph import Provenance

from . import rows

logger = logging.getLogger(__name__)

STATE_KEY = "decisions"
#: Bumped when the stored layout (columns, records) changes.
STORE_FORMAT = 3
_ARTICLE_COLUMNS = (
    "url", "family_id", "article_id", "outlet", "outlet_name", "in_store", "role", "origin",
    "origin_url", "origin_outlet", "origin_name", "origin_kind", "origin_in_store",
    "copied_from", "copied_from_outlet", "basis", "confidence", "attributed", "credit",
    "credit_kind", "credit_form", "credit_outlet", "credit_url", "similarity", "containment",
    "containment_copy_in_source", "containment_source_in_copy", "text_kind", "lag_hours",
    "lag_hours_from_origin", "date", "date_basis", "conflicts", "primary_family", "record",
)  # fmt: skip
_FAMILY_COLUMNS = (
    "family_id", "origin", "origin_url", "origin_outlet", "origin_name", "origin_kind",
    "origin_in_store", "origin_basis", "origin_confidence", "size", "conflicts", "record",
)  # fmt: skip


def rules_version() -> str:
    """The decision rules' version (:data:`graph.decisions.RULES_VERSION`) and the layout's."""
    rules = getattr(graph.decisions, "RULES_VERSION", "1")
    return f"{rules}+store{STORE_FORMAT}"


@dataclass(frozen=True)
class Status:
    """Whether the stored decisions can be read as they are, and why not."""

    current: bool
    reason: str | None  # missing | rules | evidence
    decided_at: str | None = None
    rules_version: str | None = None

    def note(self) -> str | None:
        if self.current:
            return None
        return {
            "missing": "the store holds no stored decisions yet",
            "rules": f"the stored decisions were made by other rules ({self.rules_version})",
            "evidence": f"articles or credits changed since the decisions of {self.decided_at}",
        }.get(self.reason or "", "the stored decisions cannot be read")


def has_tables(store: Store) -> bool:
    return bool(store.db.execute(
        "select 1 from sqlite_master where type = 'table' and name = 'decision_families'"
    ).fetchone())


def evidence_fingerprint(store: Store) -> list:
    """What changes when articles, credits or the outlets registry change: the triggers'
    counter (one row), or figures scanned from the tables in a store without it."""
    db = store.db
    if db.execute("select 1 from sqlite_master where name = 'evidence_changes'").fetchone():
        return ["changes", db.execute("select n from evidence_changes").fetchone()[0]]
    parts = list(db.execute("select count(*), max(id), max(last_seen) from articles").fetchone())
    parts += list(db.execute("select count(*), max(id) from attributions").fetchone())
    parts += list(db.execute("select count(*), count(name) from outlets").fetchone())
    registry = db.execute("select value from state where key = 'outlets.registry'").fetchone()
    parts.append(hashlib.sha1((registry[0] if registry else "").encode()).hexdigest()[:12])
    return parts


def status(store: Store) -> Status:
    if not has_tables(store):
        return Status(False, "missing")
    row = store.db.execute("select value from state where key = ?", [STATE_KEY]).fetchone()
    if row is None:
        return Status(False, "missing")
    run = json.loads(row[0])
    at, version = run.get("decided_at"), run.get("rules_version")
    if version != rules_version():
        return Status(False, "rules", at, version)
    if run.get("evidence") != json.loads(json.dumps(evidence_fingerprint(store))):
        return Status(False, "evidence", at, version)
    return Status(True, None, at, version)


@contextmanager
def snapshot(store: Store) -> Iterator[None]:
    """Every read inside sees one state of the file (a read transaction)."""
    conn = store.db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")


def write(store: Store, prov: Provenance, *, trigger: str, seconds: float = 0.0) -> dict:
    """Replace the stored decisions with ``prov``'s, in one transaction."""
    def whole() -> Iterator[tuple[Provenance, dict[str, int]]]:
        yield prov, dict(store.db.execute("select url, id from articles").fetchall())

    return write_batches(store, whole, trigger=trigger, seconds=seconds)


def write_batches(store: Store, batches: Callable[[], Iterable[tuple[Provenance, dict[str, int]]]],
                  *, trigger: str, seconds: float = 0.0) -> dict:
    """Replace the stored decisions, in one transaction, with those of ``batches()``: each
    a Provenance over whole story families (family ids numbered from 0 in each) and the
    article id of each of its URLs. Families are numbered on in the order they come."""
    started = time.monotonic()
    with store.transaction():
        db = store.db
        fingerprint = evidence_fingerprint(store)
        db.execute("delete from decisions")
        db.execute("delete from decision_families")
        insert_articles = (f"insert into decisions ({', '.join(_ARTICLE_COLUMNS)}) "
                           f"values ({', '.join('?' * len(_ARTICLE_COLUMNS))})")  # fmt: skip
        insert_families = (f"insert into decision_families ({', '.join(_FAMILY_COLUMNS)}) "
                           f"values ({', '.join('?' * len(_FAMILY_COLUMNS))})")  # fmt: skip
        articles = families = 0
        external: dict = {}
        # An origin outside the store (an agency) is one stand-in row however many families
        # and batches it originates: the first one's, after every other row, as when the
        # whole store is decided at once.
        outside: dict[str, dict[str, Any]] = {}
        for batch, ids in batches():
            batch = _numbered_from(batch, families)
            chunk: list[list[Any]] = []
            for row in rows.article_rows(batch, ids):
                if row["family_id"] is None and row["url"] in batch.external:
                    outside.setdefault(row["url"], row)  # written at the end, once
                    continue
                chunk.append([row.get(c) for c in _ARTICLE_COLUMNS])
                if len(chunk) == 5000:
                    db.conn.executemany(insert_articles, chunk)
                    chunk = []
            db.conn.executemany(insert_articles, chunk)
            db.conn.executemany(insert_families, (
                [row.get(c) for c in _FAMILY_COLUMNS] for row in rows.family_rows(batch)))
            articles += len(batch.articles) - len(batch.uncrawled)
            families += len(batch.families)
            for key, origin in batch.external.items():
                external.setdefault(key, origin)
        db.conn.executemany(insert_articles, (
            [row.get(c) for c in _ARTICLE_COLUMNS] for row in outside.values()))
        run = {
            "rules_version": rules_version(),
            "decided_at": utcnow(),
            "trigger": trigger,
            "evidence": fingerprint,
            "articles": articles,
            "families": families,
            "seconds": round(seconds + time.monotonic() - started, 2),
            "extras": rows.extras(Provenance({}, [], {}, {}, external=external)),
        }
        db.execute(
            "insert into state (key, value) values (?, ?) "
            "on conflict(key) do update set value = excluded.value",
            [STATE_KEY, json.dumps(run, ensure_ascii=False)],
        )
    return run


def _numbered_from(prov: Provenance, first: int) -> Provenance:
    """``prov`` with its family ids counted from ``first`` (a batch after others)."""
    if not first:
        return prov
    return dataclasses.replace(
        prov,
        families=[dataclasses.replace(f, id=f.id + first) for f in prov.families],
        family_of={url: i + first for url, i in prov.family_of.items()},
        bridges={url: tuple(i + first for i in ids) for url, ids in prov.bridges.items()},
    )


def _extras(store: Store) -> dict:
    row = store.db.execute("select value from state where key = ?", [STATE_KEY]).fetchone()
    return json.loads(row[0]).get("extras") or {} if row else {}


_ROWS = (
    "select d.url, d.family_id, d.in_store, d.primary_family, d.record, a.title, o.name "
    "from decisions d left join articles a on a.id = d.article_id "
    "left join outlets o on o.domain = d.outlet"
)


def read_all(store: Store) -> Provenance:
    """Every stored decision (call inside :func:`snapshot`)."""
    families = (r[0] for r in store.db.execute(
        "select record from decision_families order by family_id"))
    articles = store.db.execute(f"{_ROWS} order by d.rowid")
    # Millions of small objects, none cyclic: the cycle collector would only rescan them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return rows.rebuild(families, articles, _extras(store), dense=True)
    finally:
        if collecting:
            gc.enable()


def read_family(store: Store, url: str) -> Provenance | None:
    """The stored decisions of ``url``'s families only (call inside :func:`snapshot`);
    ``None`` when the article has no stored decision."""
    db = store.db
    found = db.execute("select family_id from decisions where url = ?", [url]).fetchall()
    if not found:
        return None
    ids = sorted({r[0] for r in found if r[0] is not None})
    if not ids:
        articles = db.execute(f"{_ROWS} where d.url = ?", [url])
        return rows.rebuild([], articles, _extras(store), dense=False)
    marks = ",".join("?" * len(ids))
    families = [r[0] for r in db.execute(
        f"select record from decision_families where family_id in ({marks})", ids)]
    articles = db.execute(
        f"{_ROWS} where d.family_id in ({marks}) order by d.rowid", ids).fetchall()
    return rows.rebuild(families, articles, _extras(store), dense=False)
