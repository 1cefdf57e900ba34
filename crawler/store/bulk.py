"""The store's bulk writes (corpus ingest, rematch): many rows per transaction.

Used as ``store.jobs`` / ``store.bulk``: a part of the Store that reaches its connection and
helpers through ``self.store``. The full-text rows of the articles a batch inserts are added
in one statement at the end of the batch (see :class:`_DeferredFullText`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from crawler.store.rows import capture_row, utcnow

if TYPE_CHECKING:
    from crawler.store.database import Store


class BulkWrites:
    """Batch writes of one :class:`~crawler.store.Store` (``store.bulk``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        # False: each article's full-text row is added by the trigger as its row is
        # inserted, as before batching (a benchmark's baseline).
        self.batch_full_text = True

    _CAPTURE_COLUMNS = (
        "crawl_id", "url", "final_url", "status", "content_type", "headers", "body",
        "body_size", "encoding", "fetched_at", "outcome", "reason",
    )
    _ATTRIBUTION_COLUMNS = (
        "kind", "sentence", "name", "url", "outlet", "stated_date", "author", "form", "source_kind",
        "source_name",
    )

    def save_pages(
        self, pages: list[tuple[dict[str, Any], dict[str, Any] | None]]
    ) -> list[int | None]:
        """`save_page` for many pages in one transaction (same rows, same identity rules);
        returns the article id (or None) of each page, in order. One transaction per page
        costs a WAL commit each, which dominates when a corpus of millions is loaded."""
        ids: list[int | None] = []
        conn = self.store.db.conn
        insert_capture = (
            f"insert into captures ({', '.join(self._CAPTURE_COLUMNS)}) "
            f"values ({', '.join('?' * len(self._CAPTURE_COLUMNS))}) returning id"
        )
        with self.store.transaction():
            fts = _DeferredFullText(conn) if self.batch_full_text else _RowByRow()
            for capture, article in pages:
                capture = capture_row(capture)
                values = [capture.get(c) for c in self._CAPTURE_COLUMNS]
                capture_id = conn.execute(insert_capture, values).fetchone()[0]
                if article is None:
                    ids.append(None)
                    continue
                seen = capture.get("fetched_at") or utcnow()
                fts.before(article.get("url"))
                article_id = self.store.upsert_article(article, capture_id, seen)
                fts.after(article.get("url"), article_id)
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
            fts.finish()
        return ids

    def text_hashes(self, urls: list[str]) -> dict[str, str | None]:
        """Stored text hash of each of ``urls`` that is already an article."""
        found: dict[str, str | None] = {}
        for start in range(0, len(urls), 500):  # SQLite's bound-parameter limit
            chunk = urls[start : start + 500]
            found.update(
                self.store.db.execute(
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
        conn = self.store.db.conn
        with self.store.transaction():
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
        conn = self.store.db.conn
        with self.store.transaction():
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
        return [tuple(row) for row in self.store.db.execute("select a, b from matches order by a, b")]

    def clear_matching(self) -> None:
        """Forget every signature and match (before re-signing the whole store)."""
        with self.store.transaction():
            self.store.db.execute("delete from matches")
            self.store.db.execute("delete from signatures")

    def iter_articles(self, chunk: int = 1000) -> Iterator[tuple[int, str, str, str | None]]:
        """(id, text, outlet, text hash) of every article in id order, read in chunks so
        memory stays flat whatever the size of the store."""
        last = 0
        while True:
            rows = self.store.db.execute(
                "select id, text, outlet, text_hash from articles where id > ? "
                "order by id limit ?",
                [last, chunk],
            ).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1][0]


class _RowByRow:
    """Full-text rows left to the trigger."""

    def before(self, url: str | None) -> None:
        pass

    def after(self, url: str | None, article_id: int) -> None:
        pass

    def finish(self) -> None:
        pass


class _DeferredFullText:
    """The full-text rows of the articles a bulk write inserts, added in one statement.

    While the store's ``fts_control`` flag is set (schema migration m013), inserting an
    article does not index it; :meth:`flush` indexes the pending ones from their rows. An
    update still goes through the trigger, which removes the old text from the index: an
    article inserted earlier in the same batch is indexed before it is updated."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        # Rowids are assigned above the largest: an id above it was inserted by this batch.
        self.top = conn.execute("select coalesce(max(rowid), 0) from articles").fetchone()[0]
        self.inserted: set[int] = set()
        self.pending: list[int] = []
        self.pending_urls: set[str | None] = set()
        conn.execute("update fts_control set deferred = 1")

    def before(self, url: str | None) -> None:
        if url in self.pending_urls:
            self.flush()

    def after(self, url: str | None, article_id: int) -> None:
        if article_id > self.top and article_id not in self.inserted:
            self.inserted.add(article_id)
            self.pending.append(article_id)
            self.pending_urls.add(url)

    def flush(self) -> None:
        for start in range(0, len(self.pending), 500):  # SQLite's bound-parameter limit
            chunk = self.pending[start : start + 500]
            self.conn.execute(
                "insert into articles_fts (rowid, title, text) select rowid, title, text "
                f"from articles where rowid in ({', '.join('?' * len(chunk))})",
                chunk,
            )
        self.pending.clear()
        self.pending_urls.clear()

    def finish(self) -> None:
        self.flush()
        self.conn.execute("update fts_control set deferred = 0")
