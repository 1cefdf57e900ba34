"""The store's schema, as migrations: one function per change, never edited once shipped.

Applying the migrations twice is a no-op; a database at an older version is brought up to date
when it is opened.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "crosspost"
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_core(db: Database) -> None:
    db["crawls"].create(
        {
            "id": int,
            "started_at": str,
            "ended_at": str,
            "command": str,
            "args": str,  # JSON
            "settings": str,  # JSON: only the settings the job overrode
            "finish_reason": str,
            "stats": str,  # JSON: Scrapy's stats at close
        },
        pk="id",
    )
    db["outlets"].create(
        {"domain": str, "name": str, "first_seen": str, "last_seen": str},
        pk="domain",
    )
    db["captures"].create(
        {
            "id": int,
            "crawl_id": int,
            "url": str,
            "final_url": str,
            "status": int,
            "content_type": str,
            "headers": str,  # JSON
            "body": bytes,  # zlib-compressed raw body, so extraction can be re-run
            "body_size": int,
            "encoding": str,
            "fetched_at": str,
            "outcome": str,  # article | listing | skipped | not-fetched | error
            "reason": str,
            "article_id": int,
        },
        pk="id",
        foreign_keys=[("crawl_id", "crawls", "id")],
    )
    db["captures"].create_index(["url"])
    db["captures"].create_index(["outcome"])
    db["articles"].create(
        {
            "id": int,
            "url": str,  # canonical URL: the article's identity
            "fetched_url": str,
            "declared_canonical": str,  # the page's own rel=canonical, kept as evidence
            "outlet": str,
            "title": str,
            "author": str,
            "sitename": str,
            "description": str,
            "published_at": str,
            "date_source": str,
            "language": str,
            "text": str,
            "text_hash": str,
            "attribution_lines": str,  # JSON list: the closing lines where credits live
            "first_seen": str,
            "last_seen": str,
            "capture_id": int,
        },
        pk="id",
        foreign_keys=[("outlet", "outlets", "domain"), ("capture_id", "captures", "id")],
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["outlet"])
    db["articles"].create_index(["published_at"])
    db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="porter")


@migrations()
def m002_evidence(db: Database) -> None:
    db["attributions"].create(
        {
            "id": int,
            "article_id": int,
            "kind": str,  # original-source, originally-published, source-url, via, canonical …
            "sentence": str,
            "name": str,  # the source as named on the page
            "url": str,  # the linked source article, when the statement links it
            "outlet": str,  # resolved outlet domain, when resolvable at parse time
            "stated_date": str,  # the origin's date as the republisher states it
            "author": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["attributions"].create_index(["article_id"])
    db["attributions"].create_index(["url"])
    # One verified text match per pair; a is the article matched when it was added, b the
    # indexed one it matched. Direction (who copied whom) is decided later, from evidence.
    db["matches"].create(
        {
            "a": int,
            "b": int,
            "jaccard": float,
            "containment_a_in_b": float,
            "containment_b_in_a": float,
            "kind": str,  # near-duplicate | excerpt | expanded (a relative to b)
            "found_at": str,
        },
        pk=("a", "b"),
        foreign_keys=[("a", "articles", "id"), ("b", "articles", "id")],
    )
    db["matches"].create_index(["b"])
    # MinHash signatures (LeanMinHash bytes, no pickle); NULL for texts too short to index.
    db["signatures"].create(
        {"article_id": int, "signature": bytes, "text_hash": str},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    # Small JSON documents: the signature parameters, the learnt boilerplate model.
    db["state"].create({"key": str, "value": str}, pk="key")


@migrations()
def m003_crawl_state(db: Database) -> None:
    # A crawl job outlives its runs: the same command re-run resumes or re-crawls it.
    db["crawls"].add_column("job", str)
    db["crawl_jobs"].create(
        {
            "key": str,
            "args": str,  # JSON: what defines the job (start URLs, follow options)
            "generation": int,  # bumped by each run that starts the job over
            "state": str,  # running | finished
            "created_at": str,
            "updated_at": str,
        },
        pk="key",
    )
    # The frontier of the job's current generation: every request the job decided to make.
    # A run killed at any moment leaves its pending rows; the next run schedules them again.
    db["frontier"].create(
        {
            "job": str,
            "url": str,  # canonical URL: one fetch per page per generation
            "outlet": str,
            "state": str,  # pending | done
            "request": str,  # JSON: url, callback, errback, meta, priority
            "added_at": str,
            "done_at": str,
        },
        pk=("job", "url"),
    )
    db["frontier"].create_index(["job", "state"])
    # What the crawler knows about each URL across jobs: validators for conditional requests
    # and the sitemap/feed date it carried when last fetched.
    db["url_state"].create(
        {
            "url": str,
            "etag": str,
            "last_modified": str,
            "listed_date": str,  # sitemap <lastmod> / feed date seen with the last fetch
            "status": int,
            "fetched_at": str,  # last full (200) fetch
            "checked_at": str,  # last fetch of any kind, 304 included
            "article_id": int,
        },
        pk="url",
    )
    # Earlier texts of an article whose text changed; the articles row is the latest version.
    db["article_versions"].create(
        {
            "id": int,
            "article_id": int,
            "version": int,
            "title": str,
            "text": str,
            "text_hash": str,
            "capture_id": int,
            "first_seen": str,
            "last_seen": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["article_versions"].create_index(["article_id", "version"], unique=True)
