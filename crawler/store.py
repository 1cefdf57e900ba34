"""The SQLite store: one file holding crawls, captures, outlets and articles.

Every write that belongs together happens in one transaction, so an interrupted process never
leaves half an article behind. The store is the only writer; readers (lookup, export, the HTTP
API) may open the same file concurrently thanks to WAL.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from crawler.schema import MIGRATION_SET, migrations

logger = logging.getLogger(__name__)



class StoreError(Exception):
    """The store cannot be opened or written."""


class NotACrossPostDatabase(StoreError):
    """The file exists but was not made by crosspost."""


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _check_path(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    if not path.parent.exists():
        raise StoreError(f"cannot create {path}: directory {path.parent} does not exist")
    # The file's header is not read here: closing any file handle on a database drops every
    # SQLite lock this process holds on it (POSIX locks), and another process could then
    # delete the write-ahead log under an open transaction. SQLite itself says "file is
    # not a database" (see Store.__init__).


def _capture_row(capture: dict[str, Any], level: int = 6) -> dict[str, Any]:
    """A capture as stored: the body zlib-compressed with its size, headers as JSON."""
    capture = dict(capture)
    body = capture.pop("body", None)
    if body is not None:
        capture["body_size"] = len(body)
        capture["body"] = zlib.compress(body, level)
    if isinstance(capture.get("headers"), dict):
        capture["headers"] = json.dumps(capture["headers"], sort_keys=True)
    return capture


class Store:
    """A crosspost database file. Opening it applies any pending schema migrations."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self._batched = False
        _check_path(self.path)
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path} does not exist")
        try:
            if readonly:
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            else:
                conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            self.db = Database(conn)
            self._check_owner()
            if not readonly:
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.enable_wal()
                migrations.apply(self.db)
        except sqlite3.DatabaseError as exc:
            if "file is not a database" in str(exc):
                raise NotACrossPostDatabase(f"{self.path} is not a SQLite database") from None
            raise StoreError(f"cannot open {self.path}: {exc}") from None
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

    def _insert(self, table: str, row: dict[str, Any], *, replace: bool = False) -> int:
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
        if self._batched and conn.in_transaction:
            conn.execute("SAVEPOINT step")
            try:
                yield
            except BaseException:
                conn.execute("ROLLBACK TO step")
                conn.execute("RELEASE step")
                raise
            conn.execute("RELEASE step")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- crawls ---------------------------------------------------------------------------
    def start_crawl(self, command: str, args: dict[str, Any], settings: dict[str, Any]) -> int:
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
        capture = _capture_row(capture)
        with self.transaction():
            capture_id = self._insert("captures", capture)
            if article is None:
                return None
            article_id = self._upsert_article(article, capture_id, capture.get("fetched_at") or utcnow())
            self.db.execute(
                "update captures set article_id = ? where id = ?", [article_id, capture_id]
            )
            if "attributions" in article:
                self._replace_attributions(article_id, article["attributions"])
            return article_id

    def _replace_attributions(self, article_id: int, hits: list[dict[str, Any]]) -> None:
        self.db.execute("delete from attributions where article_id = ?", [article_id])
        columns = ("kind", "sentence", "name", "url", "outlet", "stated_date", "author")
        self.db.conn.executemany(
            f"insert into attributions (article_id, {', '.join(columns)}) "
            f"values (?, {', '.join('?' * len(columns))})",
            [[article_id, *(hit.get(c) for c in columns)] for hit in hits],
        )

    def _upsert_article(self, article: dict[str, Any], capture_id: int, seen: str) -> int:
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
            self._insert(
                "signatures",
                {"article_id": article_id, "signature": signature, "text_hash": text_hash},
                replace=True,
            )
            for match in matches:
                self._insert("matches", {**match, "found_at": now}, replace=True)

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

    # -- bulk writes (corpus ingest, rematch) ---------------------------------------------
    _CAPTURE_COLUMNS = (
        "crawl_id", "url", "final_url", "status", "content_type", "headers", "body",
        "body_size", "encoding", "fetched_at", "outcome", "reason",
    )
    _ATTRIBUTION_COLUMNS = ("kind", "sentence", "name", "url", "outlet", "stated_date", "author")

    def save_pages(
        self, pages: list[tuple[dict[str, Any], dict[str, Any] | None]]
    ) -> list[int | None]:
        """`save_page` for many pages in one transaction (same rows, same identity rules);
        returns the article id (or None) of each page, in order. One transaction per page
        costs a WAL commit each, which dominates when a corpus of millions is loaded."""
        ids: list[int | None] = []
        conn = self.db.conn
        insert_capture = (
            f"insert into captures ({', '.join(self._CAPTURE_COLUMNS)}) "
            f"values ({', '.join('?' * len(self._CAPTURE_COLUMNS))}) returning id"
        )
        with self.transaction():
            for capture, article in pages:
                capture = _capture_row(capture)
                values = [capture.get(c) for c in self._CAPTURE_COLUMNS]
                capture_id = conn.execute(insert_capture, values).fetchone()[0]
                if article is None:
                    ids.append(None)
                    continue
                seen = capture.get("fetched_at") or utcnow()
                article_id = self._upsert_article(article, capture_id, seen)
                conn.execute(
                    "update captures set article_id = ? where id = ?", [article_id, capture_id]
                )
                if "attributions" in article:
                    conn.execute("delete from attributions where article_id = ?", [article_id])
                    conn.executemany(
                        f"insert into attributions (article_id, "
                        f"{', '.join(self._ATTRIBUTION_COLUMNS)}) values "
                        f"(?, {', '.join('?' * len(self._ATTRIBUTION_COLUMNS))})",
                        [
                            [article_id, *(hit.get(c) for c in self._ATTRIBUTION_COLUMNS)]
                            for hit in article["attributions"]
                        ],
                    )
                ids.append(article_id)
        return ids

    def text_hashes(self, urls: list[str]) -> dict[str, str | None]:
        """Stored text hash of each of ``urls`` that is already an article."""
        found: dict[str, str | None] = {}
        for start in range(0, len(urls), 500):  # SQLite's bound-parameter limit
            chunk = urls[start : start + 500]
            found.update(
                self.db.execute(
                    f"select url, text_hash from articles where url in ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )
        return found

    def save_matches_many(
        self, results: list[tuple[int, str | None, bytes | None, list[dict[str, Any]]]]
    ) -> None:
        """`save_matches` for many articles (article id, text hash, signature, matches) in
        one transaction, applied in order."""
        if not results:
            return
        now = utcnow()
        conn = self.db.conn
        with self.transaction():
            for article_id, text_hash, signature, matches in results:
                conn.execute("delete from matches where a = ? or b = ?", [article_id, article_id])
                conn.execute(
                    "insert or replace into signatures (article_id, signature, text_hash) "
                    "values (?, ?, ?)",
                    [article_id, signature, text_hash],
                )
                conn.executemany(
                    "insert or replace into matches (a, b, jaccard, containment_a_in_b, "
                    "containment_b_in_a, kind, found_at) values (?, ?, ?, ?, ?, ?, ?)",
                    [
                        [m["a"], m["b"], m["jaccard"], m["containment_a_in_b"],
                         m["containment_b_in_a"], m["kind"], now]
                        for m in matches
                    ],
                )  # fmt: skip

    def update_matches(self, updates: list[tuple[int, int, dict[str, Any] | None]]) -> None:
        """`update_match` for many pairs in one transaction."""
        if not updates:
            return
        conn = self.db.conn
        with self.transaction():
            for a, b, values in updates:
                if values is None:
                    conn.execute("delete from matches where a = ? and b = ?", [a, b])
                elif values:
                    names = list(values)
                    conn.execute(
                        f"update matches set {', '.join(f'{n} = ?' for n in names)} "
                        "where a = ? and b = ?",
                        [*(values[n] for n in names), a, b],
                    )

    def match_pairs(self) -> list[tuple[int, int]]:
        """Every stored match as (a, b)."""
        return [tuple(row) for row in self.db.execute("select a, b from matches order by a, b")]

    def clear_matching(self) -> None:
        """Forget every signature and match (before re-signing the whole store)."""
        with self.transaction():
            self.db.execute("delete from matches")
            self.db.execute("delete from signatures")

    def iter_articles(self, chunk: int = 1000) -> Iterator[tuple[int, str, str, str | None]]:
        """(id, text, outlet, text hash) of every article in id order, read in chunks so
        memory stays flat whatever the size of the store."""
        last = 0
        while True:
            rows = self.db.execute(
                "select id, text, outlet, text_hash from articles where id > ? "
                "order by id limit ?",
                [last, chunk],
            ).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1][0]

    # -- crawl jobs: registry, frontier, URL state, versions ------------------------------
    def register_outlets(self, entries: list[dict[str, Any]]) -> None:
        """Merge outlet registry entries ``{"name", "domains", "aliases"}`` into the
        ``outlets.registry`` state and give each domain its display name."""
        registry = {e["name"]: e for e in self.get_state("outlets.registry") or []}
        now = utcnow()
        with self.transaction():
            for entry in entries:
                registry[entry["name"]] = {
                    "name": entry["name"],
                    "domains": list(entry.get("domains") or []),
                    "aliases": list(entry.get("aliases") or []),
                }
                for domain in entry.get("domains") or []:
                    self.db.execute(
                        "insert into outlets (domain, name, first_seen, last_seen) "
                        "values (?, ?, ?, ?) on conflict(domain) do update set name = excluded.name",
                        [domain, entry["name"], now, now],
                    )
            self.db["state"].upsert(
                {"key": "outlets.registry", "value": json.dumps(list(registry.values()))},
                pk="key",
            )

    def open_job(self, key: str, args: dict[str, Any], *, restart: bool = False) -> tuple[int, bool]:
        """Start a run of the crawl job ``key``: returns (generation, resuming).

        A job whose last run did not finish is resumed (its frontier kept) unless ``restart``;
        otherwise a new generation starts with an empty frontier."""
        now = utcnow()
        with self.transaction():
            row = self.db.execute(
                "select generation, state from crawl_jobs where key = ?", [key]
            ).fetchone()
            if row is not None and row[1] == "running" and not restart:
                self.db.execute("update crawl_jobs set updated_at = ? where key = ?", [now, key])
                return row[0], True
            generation = (row[0] if row else 0) + 1
            self.db.execute("delete from frontier where job = ?", [key])
            self.db.execute(
                "insert into crawl_jobs (key, args, generation, state, created_at, updated_at) "
                "values (?, ?, ?, 'running', ?, ?) on conflict(key) do update set "
                "generation = excluded.generation, state = 'running', args = excluded.args, "
                "updated_at = excluded.updated_at",
                [key, json.dumps(args, sort_keys=True, default=str), generation, now, now],
            )
            return generation, False

    def finish_job(self, key: str) -> None:
        with self.transaction():
            self.db.execute(
                "update crawl_jobs set state = 'finished', updated_at = ? where key = ?",
                [utcnow(), key],
            )

    def frontier_add(self, job: str, entries: list[tuple[str, str, str]]) -> set[str]:
        """Record ``(url, outlet, request JSON)`` entries as pending; returns the URLs that were
        new to the job (the others are pending or done already)."""
        added: set[str] = set()
        if not entries:
            return added
        now = utcnow()
        with self.transaction():
            for url, outlet, request in entries:
                cursor = self.db.execute(
                    "insert or ignore into frontier (job, url, outlet, state, request, added_at) "
                    "values (?, ?, ?, 'pending', ?, ?)",
                    [job, url, outlet, request, now],
                )
                if cursor.rowcount:
                    added.add(url)
        return added

    def frontier_pending(self, job: str) -> list[str]:
        """Request JSON of every pending entry of the job, oldest first."""
        return [
            row[0]
            for row in self.db.execute(
                "select request from frontier where job = ? and state = 'pending' order by rowid",
                [job],
            )
        ]

    def frontier_done(self, job: str, urls: list[str]) -> None:
        if not urls:
            return
        now = utcnow()
        with self.transaction():
            self._mark_done(job, urls, now)

    def _mark_done(self, job: str, urls: list[str], now: str) -> None:
        self.db.conn.executemany(
            "update frontier set state = 'done', done_at = ? where job = ? and url = ?",
            [(now, job, url) for url in urls],
        )

    def frontier_counts(self, job: str) -> dict[str, dict[str, int]]:
        """Per outlet, how many frontier entries are in each state."""
        counts: dict[str, dict[str, int]] = {}
        for outlet, state, n in self.db.execute(
            "select outlet, state, count(*) from frontier where job = ? group by outlet, state",
            [job],
        ):
            counts.setdefault(outlet, {})[state] = n
        return counts

    def url_state(self, url: str) -> dict[str, Any] | None:
        cursor = self.db.execute("select * from url_state where url = ?", [url])
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row, strict=True))

    def save_fetch(
        self,
        capture: dict[str, Any],
        article: dict[str, Any] | None,
        *,
        job: str | None = None,
        frontier_url: str | None = None,
        state: dict[str, Any] | None = None,
    ) -> int | None:
        """Like :meth:`save_page`, for a crawl job: in the same transaction, keep the earlier
        text of a changed article as a version row, remember the URL's validators (``state``:
        url, etag, last_modified, listed_date, status, not_modified) and mark the frontier
        entry done. Returns the article id (or None)."""
        # Level 1: a crawl writes on its critical path; ratio matters less than speed there.
        capture = _capture_row(capture, level=1)
        seen = capture.get("fetched_at") or utcnow()
        with self.transaction():
            capture_id = self._insert("captures", capture)
            article_id = None
            if article is not None:
                self._keep_old_version(article)
                article_id = self._upsert_article(article, capture_id, seen)
                self.db.execute(
                    "update captures set article_id = ? where id = ?", [article_id, capture_id]
                )
                if "attributions" in article:
                    self._replace_attributions(article_id, article["attributions"])
            if state is not None:
                article_id = self._update_url_state(state, article_id, seen)
                if article is None and article_id is not None and state.get("not_modified"):
                    self.db.execute(
                        "update articles set last_seen = ? where id = ?", [seen, article_id]
                    )
                    self.db.execute(
                        "update captures set article_id = ? where id = ?",
                        [article_id, capture_id],
                    )
            if job and frontier_url:
                self._mark_done(job, [frontier_url], seen)
            return article_id if article is not None else None

    def _keep_old_version(self, article: dict[str, Any]) -> None:
        old = self.db.execute(
            "select id, title, text, text_hash, capture_id, first_seen, last_seen "
            "from articles where url = ?",
            [article["url"]],
        ).fetchone()
        if old is None or old[3] == article.get("text_hash"):
            return
        version, since = self.db.execute(
            "select coalesce(max(version), 0) + 1, max(last_seen) from article_versions "
            "where article_id = ?",
            [old[0]],
        ).fetchone()
        self.db["article_versions"].insert(
            {
                "article_id": old[0],
                "version": version,
                "title": old[1],
                "text": old[2],
                "text_hash": old[3],
                "capture_id": old[4],
                "first_seen": since or old[5],
                "last_seen": old[6],
            }
        )

    def _update_url_state(
        self, state: dict[str, Any], article_id: int | None, seen: str
    ) -> int | None:
        fetched = seen if state.get("status") == 200 else None
        cursor = self.db.execute(
            "insert into url_state (url, etag, last_modified, listed_date, status, fetched_at, "
            "checked_at, article_id) values (?, ?, ?, ?, ?, ?, ?, ?) "
            "on conflict(url) do update set "
            "etag = coalesce(excluded.etag, url_state.etag), "
            "last_modified = coalesce(excluded.last_modified, url_state.last_modified), "
            "listed_date = coalesce(excluded.listed_date, url_state.listed_date), "
            "status = excluded.status, "
            "fetched_at = coalesce(excluded.fetched_at, url_state.fetched_at), "
            "checked_at = excluded.checked_at, "
            "article_id = coalesce(excluded.article_id, url_state.article_id) "
            "returning article_id",
            [
                state["url"], state.get("etag"), state.get("last_modified"),
                state.get("listed_date"), state.get("status"), fetched, seen, article_id,
            ],
        )
        return cursor.fetchone()[0]

    def crawl_rows(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Past crawl runs, newest first, with their stats decoded."""
        sql = "select * from crawls order by id desc" + (f" limit {int(limit)}" if limit else "")
        out = []
        for row in self.db.query(sql):
            row = dict(row)
            for key in ("args", "settings", "stats"):
                try:
                    row[key] = json.loads(row[key]) if row.get(key) else {}
                except ValueError:
                    row[key] = {}
            out.append(row)
        return out

    def captured_urls(self, urls: list[str]) -> set[str]:
        """Those of ``urls`` that already have a capture."""
        found: set[str] = set()
        for start in range(0, len(urls), 500):
            chunk = urls[start : start + 500]
            found.update(
                row[0]
                for row in self.db.execute(
                    f"select distinct url from captures where url in ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )
        return found

    def set_crawl_job(self, crawl_id: int, job: str, resumed: bool) -> None:
        """Tie a crawl run to its job (and say whether it resumed an interrupted run)."""
        with self.transaction():
            self.db.execute("update crawls set job = ? where id = ?", [job, crawl_id])
            if resumed:
                row = self.db.execute("select args from crawls where id = ?", [crawl_id]).fetchone()
                args = json.loads(row[0] or "{}")
                args["resumed"] = True
                self.db.execute(
                    "update crawls set args = ? where id = ?",
                    [json.dumps(args, sort_keys=True, default=str), crawl_id],
                )
