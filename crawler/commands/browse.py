"""``crosspost browse``: open the store in Datasette, with views for the common questions."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from crawler.commands.options import db_option, open_store

MISSING = "browsing needs the 'browse' extra (Datasette is missing): pip install 'crosspost[browse]'"


def metadata(db_path: str) -> dict:
    """Datasette metadata: titles and descriptions of the views, full-text search on articles,
    and the bulky columns kept out of the default table pages."""
    name = Path(db_path).stem
    return {
        "title": "crosspost",
        "description": "Articles, outlets and who republished whom. The views answer the "
                       "common questions; article text is searchable on the articles table.",
        "databases": {
            name: {
                "tables": {
                    "articles": {
                        "fts_table": "articles_fts",
                        "fts_pk": "id",
                        "searchmode": "escaped",
                        "label_column": "title",
                        "sort_desc": "published_at",
                        "description": "One row per article (canonical URL). Search titles and text.",
                    },
                    "outlets": {"label_column": "name"},
                    "captures": {"description": "Every page fetched; body is zlib-compressed HTML."},
                    "article_provenance": {
                        "title": "Article provenance",
                        "description": "Each copy with the article it was copied from "
                                       "(source_url), its story's origin (an article, or an "
                                       "agency outside the store), the evidence (basis, "
                                       "similarity, containment), the credit a reader sees, "
                                       "and the lag. Read from the stored decisions: the same "
                                       "answers as `crosspost lookup`, `stats` and `export`.",
                    },
                    "republications_by_outlet_pair": {
                        "title": "Who copies whom",
                        "description": "Per (source outlet, republisher): copies, credited "
                                       "share, median and mean lag in hours.",
                    },
                    "outlet_summary": {
                        "title": "Outlet summary",
                        "description": "Per outlet: articles, originals (and how many others "
                                       "copied), copies of others, credit rate, lag; the "
                                       "figures of `crosspost stats`.",
                    },
                    "outlet_copies": {
                        "title": "Copies across outlets",
                        "description": "Every decision row of a copy taken from another outlet.",
                    },
                    "story_families": {
                        "title": "Story families",
                        "description": "Each family: its origin, size, credited copies, conflicts.",
                    },
                    "decisions": {
                        "description": "The stored provenance decisions: one row per article "
                                       "and story family (see docs/store.md).",
                    },
                    "decisions_run": {
                        "title": "Decisions run",
                        "description": "Which rules made the stored decisions, and when.",
                    },
                },
            }
        },
    }


@click.command()
@db_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open a web browser on the store.")
def browse(db_path, host, port, open_browser) -> None:
    """Explore the store in Datasette: tables, SQL views and full-text search.

    The views article_provenance, republications_by_outlet_pair, outlet_summary and
    story_families answer the common questions from the stored decisions. The store is
    opened read-only; a crawl may write at the same time.
    """
    try:
        from datasette.cli import cli as datasette
    except ImportError:
        raise click.ClickException(MISSING) from None
    # Opening it writable once brings the schema (and its views) up to date, and stores the
    # decisions the views read when they are missing or stale.
    from crawler.decisions import refresh

    store = open_store(db_path)
    try:
        if refresh(store, "browse"):
            click.echo("stored the provenance decisions (they were missing or stale)", err=True)
    finally:
        store.close()
    with tempfile.TemporaryDirectory(prefix="crosspost-browse-") as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(metadata(db_path)), encoding="utf-8")
        args = ["serve", str(db_path), "--host", host, "--port", str(port),
                "--metadata", str(meta), "--setting", "sql_time_limit_ms", "3000",
                "--setting", "max_returned_rows", "1000"]
        if open_browser:
            args.append("--open")
        datasette.main(args, prog_name="crosspost browse", standalone_mode=True)
