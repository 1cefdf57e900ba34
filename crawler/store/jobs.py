"""The store's crawl-job tables: outlet registry, jobs, frontier, URL state, article versions.

Used as ``store.jobs`` / ``store.bulk``: a part of the Store that reaches its connection and
helpers through ``self.store``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from crawler.store.rows import capture_row, utcnow

if TYPE_CHECKING:
    from crawler.store.database import Store


class CrawlJobs:
    """The crawl-job tables of one :class:`~crawler.store.Store` (``store.jobs``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def register_outlets(self, entries: list[dict[str, Any]]) -> None:
        """Merge outlet registry entries ``{"name", "domains", "aliases"}`` into the
        ``outlets.registry`` state and give each domain its display name."""
        registry = {e["name"]: e for e in self.store.get_state("outlets.registry") or []}
        now = utcnow()
        with self.store.transaction():
            for entry in entries:
                registry[entry["name"]] = {
                    "name": entry["name"],
                    "domains": list(entry.get("domains") or []),
                    "aliases": list(entry.get("aliases") or []),
                    # credits registry fields (kind = "wire" …), kept when given
                    **{k: entry[k] for k in ("kind", "abbreviations", "hosts") if entry.get(k)},
                }
                for domain in entry.get("domains") or []:
                    self.store.db.execute(
                        "insert into outlets (domain, name, first_seen, last_seen) "
                        "values (?, ?, ?, ?) on conflict(domain) do update set name = excluded.name",
                        [domain, entry["name"], now, now],
                    )
            self.store.db["state"].upsert(
                {"key": "outlets.registry", "value": json.dumps(list(registry.values()))},
                pk="key",
            )

    def open_job(self, key: str, args: dict[str, Any], *, restart: bool = False) -> tuple[int, bool]:
        """Start a run of the crawl job ``key``: returns (generation, resuming).

        A job whose last run did not finish is resumed (its frontier kept) unless ``restart``;
        otherwise a new generation starts with an empty frontier."""
        now = utcnow()
        with self.store.transaction():
            row = self.store.db.execute(
                "select generation, state from crawl_jobs where key = ?", [key]
            ).fetchone()
            if row is not None and row[1] == "running" and not restart:
                self.store.db.execute("update crawl_jobs set updated_at = ? where key = ?", [now, key])
                return row[0], True
            generation = (row[0] if row else 0) + 1
            self.store.db.execute("delete from frontier where job = ?", [key])
            self.store.db.execute(
                "insert into crawl_jobs (key, args, generation, state, created_at, updated_at) "
                "values (?, ?, ?, 'running', ?, ?) on conflict(key) do update set "
                "generation = excluded.generation, state = 'running', args = excluded.args, "
                "updated_at = excluded.updated_at",
                [key, json.dumps(args, sort_keys=True, default=str), generation, now, now],
            )
            return generation, False

    def finish_job(self, key: str) -> None:
        with self.store.transaction():
            self.store.db.execute(
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
        with self.store.transaction():
            for url, outlet, request in entries:
                cursor = self.store.db.execute(
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
            for row in self.store.db.execute(
                "select request from frontier where job = ? and state = 'pending' order by rowid",
                [job],
            )
        ]

    def frontier_done(self, job: str, urls: list[str]) -> None:
        if not urls:
            return
        now = utcnow()
        with self.store.transaction():
            self._mark_done(job, urls, now)

    def _mark_done(self, job: str, urls: list[str], now: str) -> None:
        self.store.db.conn.executemany(
            "update frontier set state = 'done', done_at = ? where job = ? and url = ?",
            [(now, job, url) for url in urls],
        )

    def frontier_counts(self, job: str) -> dict[str, dict[str, int]]:
        """Per outlet, how many frontier entries are in each state."""
        counts: dict[str, dict[str, int]] = {}
        for outlet, state, n in self.store.db.execute(
            "select outlet, state, count(*) from frontier where job = ? group by outlet, state",
            [job],
        ):
            counts.setdefault(outlet, {})[state] = n
        return counts

    def url_state(self, url: str) -> dict[str, Any] | None:
        cursor = self.store.db.execute("select * from url_state where url = ?", [url])
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
        capture = capture_row(capture, level=1)
        seen = capture.get("fetched_at") or utcnow()
        with self.store.transaction():
            capture_id = self.store.insert_row("captures", capture)
            article_id = None
            if article is not None:
                self._keep_old_version(article)
                article_id = self.store.upsert_article(article, capture_id, seen)
                self.store.db.execute(
                    "update captures set article_id = ? where id = ?", [article_id, capture_id]
                )
                if "attributions" in article:
                    self.store.replace_attributions(article_id, article["attributions"])
            if state is not None:
                article_id = self._update_url_state(state, article_id, seen)
                if article is None and article_id is not None and state.get("not_modified"):
                    self.store.db.execute(
                        "update articles set last_seen = ? where id = ?", [seen, article_id]
                    )
                    self.store.db.execute(
                        "update captures set article_id = ? where id = ?",
                        [article_id, capture_id],
                    )
            if job and frontier_url:
                self._mark_done(job, [frontier_url], seen)
            return article_id if article is not None else None

    def _keep_old_version(self, article: dict[str, Any]) -> None:
        old = self.store.db.execute(
            "select id, title, text, text_hash, capture_id, first_seen, last_seen "
            "from articles where url = ?",
            [article["url"]],
        ).fetchone()
        if old is None or old[3] == article.get("text_hash"):
            return
        version, since = self.store.db.execute(
            "select coalesce(max(version), 0) + 1, max(last_seen) from article_versions "
            "where article_id = ?",
            [old[0]],
        ).fetchone()
        self.store.db["article_versions"].insert(
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
        cursor = self.store.db.execute(
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
        """Past crawl and ingest runs, newest first, with their stats decoded. A run that
        never finished (killed, or still running) has no stats of its own: ``stored`` holds
        what its captures say it stored (pages, errors, articles)."""
        sql = "select * from crawls order by id desc" + (f" limit {int(limit)}" if limit else "")
        out = []
        for row in self.store.db.query(sql):
            row = dict(row)
            for key in ("args", "settings", "stats"):
                try:
                    row[key] = json.loads(row[key]) if row.get(key) else {}
                except ValueError:
                    row[key] = {}
            row["stored"] = self.stored_by(row["id"]) if not row.get("ended_at") else None
            out.append(row)
        return out

    def stored_by(self, crawl_id: int) -> dict[str, int]:
        """What the captures of one run hold: pages fetched, errors, distinct articles."""
        pages, errors, articles = self.store.db.execute(
            "select coalesce(sum(outcome != 'error'), 0), coalesce(sum(outcome = 'error'), 0), "
            "count(distinct article_id) from captures where crawl_id = ?",
            [crawl_id],
        ).fetchone()
        return {"pages": pages, "errors": errors, "articles": articles}

    def captured_urls(self, urls: list[str]) -> set[str]:
        """Those of ``urls`` that already have a capture."""
        found: set[str] = set()
        for start in range(0, len(urls), 500):
            chunk = urls[start : start + 500]
            found.update(
                row[0]
                for row in self.store.db.execute(
                    f"select distinct url from captures where url in ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )
        return found

    def set_crawl_job(self, crawl_id: int, job: str, resumed: bool) -> None:
        """Tie a crawl run to its job (and say whether it resumed an interrupted run)."""
        with self.store.transaction():
            self.store.db.execute("update crawls set job = ? where id = ?", [job, crawl_id])
            if resumed:
                row = self.store.db.execute("select args from crawls where id = ?", [crawl_id]).fetchone()
                args = json.loads(row[0] or "{}")
                args["resumed"] = True
                self.store.db.execute(
                    "update crawls set args = ? where id = ?",
                    [json.dumps(args, sort_keys=True, default=str), crawl_id],
                )
