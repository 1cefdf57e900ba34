"""The store's bulk writes (corpus ingest, rematch): many rows per transaction.

Used as ``store.jobs`` / ``store.bulk``: a part of the Store that reaches its connection and
helpers through ``self.store``.
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
            for capture, article in pages:
                capture = capture_row(capture)
                values = [capture.get(c) for c in self._CAPTURE_COLUMNS]
                capture_id = conn.execute(insert_capture, values).fetchone()[0]
                if article is None:
                    ids.append(None)
                    continue
                seen = capture.get("fetched_at") or utcnow()
                article_id = self.store.upsert_article(article, capture_id, seen)
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
