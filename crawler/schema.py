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
