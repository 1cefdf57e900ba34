"""The store's schema, as migrations: one function per change, never edited once shipped.

Applying the migrations twice is a no-op; a database at an older version is brought up to date
when it is opened.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from crawler.store import decision_schema, views

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


@migrations()
def m004_views(db: Database) -> None:
    # Views for the common questions, so Datasette (``crosspost browse``) shows them.
    for view in (views.ARTICLE_PROVENANCE, views.REPUBLICATIONS_BY_OUTLET_PAIR,
                 views.OUTLET_SUMMARY):  # fmt: skip
        db.execute(view)


@migrations()
def m005_lookup_indexes(db: Database) -> None:
    # A lookup by URL variant falls back to these columns; without indexes each miss is a
    # full scan of a large store.
    db["articles"].create_index(["fetched_url"], if_not_exists=True)
    db["articles"].create_index(["declared_canonical"], if_not_exists=True)
    db["captures"].create_index(["final_url"], if_not_exists=True)


@migrations()
def m006_sitename_index(db: Database) -> None:
    # Every lookup builds the outlet-name directory from (outlet, sitename): an index-only
    # read instead of a scan of every article's row.
    db["articles"].create_index(["outlet", "sitename"], if_not_exists=True)


@migrations()
def m007_decisions(db: Database) -> None:
    # The stored decisions and the views built on them: see decision_schema.
    decision_schema.create(db)


@migrations()
def m008_attribution_forms(db: Database) -> None:
    # Where a reader sees each credit (byline, dateline, sign-off, provider-label, metadata,
    # footer …) and what the credited party is (wire, syndicator, aggregator, outlet) with its
    # registry name ("Associated Press" for "AP"). Rows stored before carry nulls.
    columns = db["attributions"].columns_dict
    for column in ("form", "source_kind", "source_name"):
        if column not in columns:
            db["attributions"].add_column(column, str)


@migrations()
def m009_decision_views(db: Database) -> None:
    # The views count as `crosspost stats` does (agencies outside the store, bridge articles).
    decision_schema.views_v2(db)


@migrations()
def m010_evidence_counter(db: Database) -> None:
    # Triggers count changes to the evidence, so staleness of the decisions is one row read.
    decision_schema.evidence_counter(db)


@migrations()
def m011_evidence_table(db: Database) -> None:
    # The change counter in a table of its own, articles only: m010's cost too much per page.
    decision_schema.evidence_counter_v2(db)


@migrations()
def m012_signature_changes(db: Database) -> None:
    # Which articles' signatures changed since the candidate index file was written, so a
    # restart re-indexes those alone (crawler.index_file). AUTOINCREMENT: a seq is never
    # reused once the log is pruned.
    db.execute(
        "create table if not exists signature_changes "
        "(seq integer primary key autoincrement, article_id integer not null)"
    )
    for event, row in (("insert", "new"), ("update", "new"), ("delete", "old")):
        db.execute(
            f"create trigger if not exists signature_changes_{event} after {event} on signatures "
            f"begin insert into signature_changes (article_id) values ({row}.article_id); end"
        )
    # An article removed from the store leaves its signature out of the index's rebuild.
    db.execute(
        "create trigger if not exists signature_changes_article after delete on articles "
        "begin insert into signature_changes (article_id) values (old.id); end"
    )


@migrations()
def m013_fts_deferral(db: Database) -> None:
    # Bulk writes add a batch's full-text rows in one statement (store.bulk): fed by the
    # trigger, FTS5 flushes its terms at every statement. The flag is set and cleared in
    # the bulk writer's transaction: no other connection ever sees it set.
    db.execute("create table if not exists fts_control (deferred integer not null)")
    if db.execute("select count(*) from fts_control").fetchone()[0] == 0:
        db.execute("insert into fts_control (deferred) values (0)")
    db.execute("drop trigger if exists articles_ai")
    db.execute(
        "create trigger articles_ai after insert on articles "
        "when coalesce((select deferred from fts_control limit 1), 0) = 0 begin "
        "insert into articles_fts (rowid, title, text) values (new.rowid, new.title, new.text); "
        "end"
    )


# A URL's path (from the "/" after its host), with built-in functions only so that any SQLite
# tool can still write the table: "which stored URL has this path" is an index search.
URL_PATH = "substr(url, 8 + instr(substr(url, 9), '/'))"


@migrations()
def m014_url_path_index(db: Database) -> None:
    # A lookup of a URL not in the store suggests stored URLs with its path: a full scan of
    # the articles (170 ms at a million) without this index.
    db.execute(f"create index if not exists articles_url_path on articles ({URL_PATH})")


@migrations()
def m015_fts_merge_settings(db: Database) -> None:
    # A batch's terms are written as one segment (an 8 MB buffer, not FTS5's 1 MB), and up
    # to 8 segments of a level wait before they are merged (FTS5's default is 4): the
    # full-text index was the largest part of an ingest's storing process, most of it
    # merging. A search reads a few more segments. Both are kept in the index's own config
    # table, so every connection and any SQLite tool uses them.
    db.execute("insert into articles_fts (articles_fts, rank) values ('automerge', 8)")
    db.execute("insert into articles_fts (articles_fts, rank) values ('hashsize', 8388608)")
