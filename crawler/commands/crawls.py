"""``crosspost crawls``: the crawl runs recorded in the store, newest first, with their stats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from crawler.commands.options import db_option, open_store


def crawl_row(row: dict[str, Any]) -> dict[str, Any]:
    """One run as the listing shows it: identity, timing and the counts that matter."""
    stats = row.get("stats") or {}
    args = row.get("args") or {}
    return {
        "id": row["id"],
        "job": row.get("job"),
        "started_at": row.get("started_at"),
        "ended_at": row.get("ended_at"),
        "finish_reason": row.get("finish_reason") or ("running or killed" if not row.get("ended_at") else None),
        "resumed": bool(args.get("resumed")),
        "start": args.get("start") or [],
        "pages_fetched": stats.get("response_received_count", 0),
        "articles_stored": stats.get("crosspost/articles_stored", 0),
        "not_modified": stats.get("crosspost/pages/not-modified", 0),
        "errors": stats.get("crosspost/pages/error", 0),
        "sources_followed": stats.get("crosspost/sources_followed", 0),
        "elapsed_seconds": stats.get("elapsed_time_seconds"),
    }


@click.command()
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the runs as a JSON list.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show only the newest N.")
def crawls(db_path: str, as_json: bool, limit: int | None) -> None:
    """List past crawl runs with their job, outcome and stats."""
    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}: crawl first or pass --db")
    with open_store(db_path, readonly=True) as store:
        runs = [crawl_row(row) for row in store.jobs.crawl_rows(limit)]
    if as_json:
        click.echo(json.dumps(runs, indent=2))
        return
    if not runs:
        click.echo("no crawls recorded", err=True)
        return
    header = (f"{'id':>4}  {'job':<12}  {'started':<25}  {'finish':<22}  {'pages':>6}  "
              f"{'articles':>8}  {'304':>5}  {'errors':>6}  {'seconds':>8}")
    click.echo(header)
    for r in runs:
        seconds = f"{r['elapsed_seconds']:.1f}" if r["elapsed_seconds"] is not None else "-"
        finish = (r["finish_reason"] or "-") + (" (resumed)" if r["resumed"] else "")
        click.echo(
            f"{r['id']:>4}  {r['job'] or '-':<12}  {r['started_at'] or '-':<25}  {finish:<22}  "
            f"{r['pages_fetched']:>6}  {r['articles_stored']:>8}  {r['not_modified']:>5}  "
            f"{r['errors']:>6}  {seconds:>8}"
        )
