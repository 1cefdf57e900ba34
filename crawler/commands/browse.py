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
                        "description": "Each copy with the article it was copied from and the "
                                       "evidence: basis, similarity, containment, the credit "
                                       "sentence, lag. `crosspost lookup` applies the full rules.",
                    },
                    "republications_by_outlet_pair": {
                        "title": "Republications by outlet pair",
                        "description": "Who copies whom: copies, credited share, mean lag.",
                    },
                    "outlet_summary": {
                        "title": "Outlet summary",
                        "description": "Articles, copies of others, attribution rate, copied by others.",
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

    The views article_provenance, republications_by_outlet_pair and outlet_summary answer
    the common questions. The store is opened read-only; a crawl may write at the same time.
    """
    try:
        from datasette.cli import cli as datasette
    except ImportError:
        raise click.ClickException(MISSING) from None
    # Opening it writable once brings the schema (and its views) up to date.
    open_store(db_path).close()
    with tempfile.TemporaryDirectory(prefix="crosspost-browse-") as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(metadata(db_path)), encoding="utf-8")
        args = ["serve", str(db_path), "--host", host, "--port", str(port),
                "--metadata", str(meta), "--setting", "sql_time_limit_ms", "3000",
                "--setting", "max_returned_rows", "1000"]
        if open_browser:
            args.append("--open")
        datasette.main(args, prog_name="crosspost browse", standalone_mode=True)
