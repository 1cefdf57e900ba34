"""The SQLite store: one file holding crawls, captures, outlets and articles.

Every write that belongs together happens in one transaction, so an interrupted process never
leaves half an article behind. The store is the only writer; readers (lookup, export, the HTTP
API) may open the same file concurrently thanks to WAL.

Opening refuses what it must not touch: a writer checks the whole file (``PRAGMA
quick_check``, about 2 s per GB, once per process) before its first write, so a damaged
store is refused byte for byte unchanged; a reader refuses an empty file; a reader in a
directory it cannot write (WAL needs a ``-shm`` file beside the store) falls back to an
immutable snapshot and says so in :attr:`Store.note`. A full disk is reported as such, the
failed transaction rolled back.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from crawler.store.bulk import BulkWrites
from crawler.store.errors import (  # noqa: F401 - the store's errors, importable from here
    DamagedStore,
    DiskFull,
    NotACrossPostDatabase,
    StoreError,
    store_error,
)
from crawler.store.jobs import CrawlJobs
from crawler.store.opening import check_path, check_whole, connect_readonly
from crawler.store.rows import capture_row, utcnow
from crawler.store.schema import MIGRATION_SET, migrations

logger = logging.getLogger(__name__)


class Store:
    """A crosspost database file. Opening it applies any pending schema migrations.

    Its parts: ``store.jobs`` (crawl jobs, frontier, URL state) and ``store.bulk`` (batch
    writes for ingest and rematch); the article, match and state methods are its own.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self._batched = False
        self.jobs = CrawlJobs(self)
        self.bulk = BulkWrites(self)
        check_path(self.path)
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path} does not exist")
        self.note: str | None = None
        try:
            if readonly:
                conn, self.note = connect_readonly(self.path)
                self.db = Database(conn)
                self._check_owner()
                if not self.db.table_names():
                    raise StoreError(
                        f"{self.path} is empty: it is not a crosspost store yet "
                        "(crosspost crawl or crosspost ingest fills one)"
                    )
            else:
                conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
                self.db = Database(conn)
                self._check_owner()
                check_whole(self.db, self.path)
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.enable_wal()
                migrations.apply(self.db)
        except sqlite3.DatabaseError as exc:
            error = store_error(self.path, exc)
            if type(error) is StoreError:
                error = StoreError(f"cannot open {self.path}: {exc}")
            raise error from None
        self.readonly = readonly

    def _check_owner(self) -> None:
        tables = set(self.db.table_names())
        if not tables:
            return
        applied = set()
        if "_sqlite_migrations" in tables:
            applied = {
                row["migration_set"]
                for row in self.db.query("select distinct migration_set from _sqlite_migrations")
            }
        if MIGRATION_SET not in applied:
            some = ", ".join(sorted(tables)[:5])
            raise NotACrossPostDatabase(
                f"{self.path} is not a crosspost database (it holds other tables: {some})"
            )

    def begin_batch(self) -> None:
        """Hold the following writes in one transaction until :meth:`commit_batch`. A crawl
        commits several pages at a time: a commit per page costs more than storing it.
        Each step stays atomic (pages stored with their frontier entries marked done), so
        a crash loses at most the uncommitted batch, which a resumed crawl fetches again."""
        if not self.db.conn.in_transaction:
            self.db.conn.execute("BEGIN IMMEDIATE")
        self._batched = True

    def commit_batch(self) -> None:
        self._batched = False
        if self.db.conn.in_transaction:
            self.db.conn.execute("COMMIT")

    @property
    def in_batch(self) -> bool:
        return self._batched and self.db.conn.in_transaction

    def close(self) -> None:
        if self._batched:
            self.commit_batch()
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def insert_row(self, table: str, row: dict[str, Any], *, replace: bool = False) -> int:
        """Insert one row with plain SQL and return its rowid. sqlite-utils' ``insert``
        introspects the table on every call, which dominates a crawl's write path."""
        columns = ", ".join(f"[{c}]" for c in row)
        marks = ", ".join("?" * len(row))
        verb = "insert or replace" if replace else "insert"
        cursor = self.db.execute(
            f"{verb} into [{table}] ({columns}) values ({marks})", list(row.values())
        )
        return cursor.lastrowid

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; BEGIN IMMEDIATE takes the write lock up front so a
        read-then-write never fails half-way with 'database is locked'. Inside a batch
        (:meth:`begin_batch`) it is a savepoint: a failure undoes this step alone."""
        conn = self.db.conn
        try:
            if self._batched and conn.in_transaction:
                conn.execute("SAVEPOINT step")
                try:
                    yield
                except BaseException:
                    self._undo("ROLLBACK TO step", "RELEASE step")
                    raise
                conn.execute("RELEASE step")
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                conn.execute("COMMIT")
            except BaseException:
                self._undo("ROLLBACK")
                raise
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as exc:
            error = store_error(self.path, exc)
            if type(error) is StoreError:
                raise
            raise error from None

    def _undo(self, *statements: str) -> None:
        # SQLite may have rolled back by itself (a full disk, a damaged page): a ROLLBACK
        # then fails with "no transaction is active" and would hide the real error.
        for statement in statements:
            if not self.db.conn.in_transaction:
                return
            try:
                self.db.conn.execute(statement)
            except sqlite3.OperationalError:
                logger.debug("%s failed after an error", statement, exc_info=True)
                return

    # -- crawls ---------------------------------------------------------------------------
    def start_crawl(self, command: str, args: dict[str, Any], settings: dict[str, Any]) -> int:
        # The process and host, so that `crosspost crawls` can tell a run still going from
        # one that was killed before it could record its end.
        args = {**args, "pid": os.getpid(), "host": socket.gethostname()}
        with self.transaction():
            table = self.db["crawls"]
            table.insert(
                {
                    "started_at": utcnow(),
                    "command": command,
                    "args": json.dumps(args, default=str, sort_keys=True),
                    "settings": json.dumps(settings, default=str, sort_keys=True),
                }
            )
            return table.last_pk

    def finish_crawl(self, crawl_id: int, reason: str, stats: dict[str, Any]) -> None:
        with self.transaction():
            self.db["crawls"].update(
                crawl_id,
                {
                    "ended_at": utcnow(),
                    "finish_reason": reason,
                    "stats": json.dumps(stats, default=str, sort_keys=True),
                },
            )

    # -- pages ----------------------------------------------------------------------------
    def save_page(self, capture: dict[str, Any], article: dict[str, Any] | None) -> int | None:
        """Store one fetched page and, when it is an article, the article it holds.

        Returns the article id (or None). The article is keyed by its canonical URL: storing the
        same article again updates it in place and keeps its first-seen time.
        """
        capture = capture_row(capture)
        with self.transaction():
            capture_id = self.insert_row("captures", capture)
            if article is None:
                return None
            article_id = self.upsert_article(article, capture_id, capture.get("fetched_at") or utcnow())
            self.db.execute(
                "update captures set article_id = ? where id = ?", [article_id, capture_id]
            )
            if "attributions" in article:
                self.replace_attributions(article_id, article["attributions"])
            return article_id

    def replace_attributions(self, article_id: int, hits: list[dict[str, Any]]) -> None:
        self.db.execute("delete from attributions where article_id = ?", [article_id])
        columns = ("kind", "sentence", "name", "url", "outlet", "stated_date", "author", "form",
                   "source_kind", "source_name")
        self.db.conn.executemany(
            f"insert into attributions (article_id, {', '.join(columns)}) "
            f"values (?, {', '.join('?' * len(columns))})",
            [[article_id, *(hit.get(c) for c in columns)] for hit in hits],
        )

    def upsert_article(self, article: dict[str, Any], capture_id: int, seen: str) -> int:
        self.db.execute(
            "insert into outlets (domain, name, first_seen, last_seen) values (?, ?, ?, ?) "
            "on conflict(domain) do update set last_seen = excluded.last_seen, "
            "name = coalesce(outlets.name, excluded.name)",
            [article["outlet"], article.get("sitename"), seen, seen],
        )
        row = {
            key: article.get(key)
            for key in (
                "url", "fetched_url", "declared_canonical", "outlet", "title", "author",
                "sitename", "description", "published_at", "date_source", "language", "text",
                "text_hash",
            )
        }
        row["attribution_lines"] = json.dumps(article.get("attribution_lines") or [])
        row["first_seen"] = row["last_seen"] = seen
        row["capture_id"] = capture_id
        columns = list(row)
        updates = ", ".join(
            f"{c} = excluded.{c}" for c in columns if c not in ("url", "first_seen")
        )
        cursor = self.db.execute(
            f"insert into articles ({', '.join(columns)}) values ({', '.join('?' * len(columns))}) "
            f"on conflict(url) do update set {updates} returning id",
            [row[c] for c in columns],
        )
        return cursor.fetchone()[0]

    # -- reading --------------------------------------------------------------------------
    def article(self, url: str) -> dict[str, Any] | None:
        rows = list(self.db.query("select * from articles where url = ?", [url]))
        return rows[0] if rows else None

    def counts(self) -> dict[str, int]:
        return {
            name: self.db[name].count
            for name in ("crawls", "outlets", "articles", "captures")
        }

    def capture_body(self, capture_id: int) -> bytes | None:
        row = self.db.execute("select body from captures where id = ?", [capture_id]).fetchone()
        return zlib.decompress(row[0]) if row and row[0] is not None else None

    def text_of(self, article_id: int) -> str | None:
        row = self.db.execute("select text from articles where id = ?", [article_id]).fetchone()
        return row[0] if row else None

    # -- near-duplicate evidence ----------------------------------------------------------
    def signatures(self) -> Iterator[tuple[int, bytes | None, str, str | None]]:
        """(article id, signature bytes or None, outlet, text hash) of every signed article."""
        yield from self.db.execute(
            "select s.article_id, s.signature, a.outlet, s.text_hash from signatures s "
            "join articles a on a.id = s.article_id order by s.article_id"
        )

    def signed_hash(self, article_id: int) -> str | None:
        row = self.db.execute(
            "select text_hash from signatures where article_id = ?", [article_id]
        ).fetchone()
        return row[0] if row else None

    def unsigned_articles(self) -> Iterator[tuple[int, str, str, str]]:
        """Articles stored but not yet matched (id, text, outlet, text hash)."""
        yield from self.db.execute(
            "select a.id, a.text, a.outlet, a.text_hash from articles a "
            "left join signatures s on s.article_id = a.id "
            "where s.article_id is null or s.text_hash is not a.text_hash order by a.id"
        ).fetchall()

    def save_matches(
        self,
        article_id: int,
        text_hash: str | None,
        signature: bytes | None,
        matches: list[dict[str, Any]],
    ) -> None:
        """Record that ``article_id`` was matched: its signature and the matches found, in one
        transaction. Earlier matches of the article are replaced: its text may have changed."""
        now = utcnow()
        with self.transaction():
            self.db.execute("delete from matches where a = ? or b = ?", [article_id, article_id])
            self.insert_row(
                "signatures",
                {"article_id": article_id, "signature": signature, "text_hash": text_hash},
                replace=True,
            )
            for match in matches:
                self.insert_row("matches", {**match, "found_at": now}, replace=True)

    def update_match(self, a: int, b: int, values: dict[str, Any] | None) -> None:
        """Replace a stored match's figures, or delete it (``values`` None)."""
        with self.transaction():
            if values is None:
                self.db.execute("delete from matches where a = ? and b = ?", [a, b])
            else:
                self.db["matches"].update((a, b), values)

    def get_state(self, key: str) -> Any:
        row = self.db.execute("select value from state where key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else None

    def set_state(self, key: str, value: Any) -> None:
        with self.transaction():
            self.db["state"].upsert({"key": key, "value": json.dumps(value)}, pk="key")
