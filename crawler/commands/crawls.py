"""``crosspost crawls``: the crawl and ingest runs recorded in the store, newest first.

A run records its figures when it ends. One that never did (killed, or still going) is
shown with what its captures say it stored, and as ``killed`` once its process is gone.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from crawler.commands.options import db_option, missing_store, open_store

# Scrapy's reason for a stop asked by a signal; ingest records "interrupted" itself.
_INTERRUPTED = ("shutdown", "interrupted")


def _alive(args: dict[str, Any]) -> bool | None:
    """Whether the run's process is still there (None: the run did not record it)."""
    pid, host = args.get("pid"), args.get("host")
    if not isinstance(pid, int) or host != socket.gethostname():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_status(row: dict[str, Any]) -> str:
    """``finished``, ``failed``, ``interrupted``, ``running``, ``killed``, or Scrapy's own
    reason for an early close (``closespider_pagecount`` …)."""
    reason = row.get("finish_reason")
    if row.get("ended_at"):
        return "interrupted" if reason in _INTERRUPTED else (reason or "finished")
    alive = _alive(row.get("args") or {})
    if alive is None:
        return "not finished"  # recorded before runs noted their process
    return "running" if alive else "killed"


def _seconds(row: dict[str, Any]) -> float | None:
    elapsed = (row.get("stats") or {}).get("elapsed_time_seconds")
    if isinstance(elapsed, int | float):
        return float(elapsed)
    if row.get("started_at") and row.get("ended_at"):
        try:
            delta = datetime.fromisoformat(row["ended_at"]) - datetime.fromisoformat(row["started_at"])
        except ValueError:
            return None
        return delta.total_seconds()
    return None


def crawl_row(row: dict[str, Any]) -> dict[str, Any]:
    """One run as the listing shows it: identity, outcome, timing and the counts that matter.
    Crawls count pages; ingests count files and records; both count articles stored."""
    stats = row.get("stats") or {}
    args = row.get("args") or {}
    stored = row.get("stored")  # what the captures say, for a run that never recorded its end
    ingest = row.get("command") == "ingest"
    out: dict[str, Any] = {
        "id": row["id"],
        "kind": "ingest" if ingest else "crawl",
        "job": row.get("job") or ("ingest" if ingest else None),
        "started_at": row.get("started_at"),
        "ended_at": row.get("ended_at"),
        "status": run_status(row),
        "finish_reason": row.get("finish_reason"),
        "resumed": bool(args.get("resumed")),
        "start": args.get("start") or [],
        "elapsed_seconds": _seconds(row),
    }
    if ingest:
        files = args.get("files") or ([args["from_redis"]] if args.get("from_redis") else [])
        skipped = stats.get("skipped") or {}
        out |= {
            "files": files,
            "records_read": stats.get("read", 0),
            "articles_stored": stats.get("stored", 0),
            "articles_updated": stats.get("updated", 0),
            "unchanged": stats.get("unchanged", 0),
            "problems": sum(skipped.values()) if isinstance(skipped, dict) else 0,
            "pages_fetched": 0,
            "not_modified": 0,
            "errors": 0,
            "sources_followed": 0,
        }
    else:
        out |= {
            "pages_fetched": stats.get("response_received_count", 0),
            "articles_stored": stats.get("crosspost/articles_stored", 0),
            "not_modified": stats.get("crosspost/pages/not-modified", 0),
            "errors": stats.get("crosspost/pages/error", 0),
            "sources_followed": stats.get("crosspost/sources_followed", 0),
        }
    if stored is not None:
        # Killed or still running: the store knows what it holds, the run never said.
        out["articles_stored"] = stored["articles"]
        out["errors"] = stored["errors"]
        if ingest:
            out["records_read"] = stored["pages"] + stored["errors"]
        else:
            out["pages_fetched"] = stored["pages"] + stored["errors"]
    return out


def _job_cell(run: dict[str, Any]) -> str:
    if run["kind"] == "ingest":
        names = [Path(str(f)).name for f in run.get("files") or []]
        label = "ingest " + (names[0] if names else "-")
        if len(names) > 1:
            label += f" +{len(names) - 1}"
        return label if len(label) <= 24 else label[:23] + "…"
    return run["job"] or "-"


@click.command()
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the runs as a JSON list.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show only the newest N.")
def crawls(db_path: str, as_json: bool, limit: int | None) -> None:
    """List past crawl and ingest runs with their job, outcome and counts.

    A crawl counts pages fetched; an ingest counts records read. A run that was killed
    shows the articles its captures stored; "running" means its process is still there.
    """
    if not Path(db_path).exists():
        raise click.ClickException(missing_store(db_path))
    with open_store(db_path, readonly=True) as store:
        runs = [crawl_row(row) for row in store.jobs.crawl_rows(limit)]
    if as_json:
        click.echo(json.dumps(runs, indent=2))
        return
    if not runs:
        click.echo("no crawls recorded", err=True)
        return
    click.echo(f"{'id':>4}  {'job':<24}  {'started':<25}  {'status':<24}  {'read':>6}  "
               f"{'articles':>8}  {'304':>5}  {'errors':>6}  {'seconds':>8}")  # fmt: skip
    for r in runs:
        seconds = f"{r['elapsed_seconds']:.1f}" if r["elapsed_seconds"] is not None else "-"
        status = r["status"] + (" (resumed)" if r["resumed"] else "")
        read = r["records_read"] if r["kind"] == "ingest" else r["pages_fetched"]
        errors = r["problems"] if r["kind"] == "ingest" else r["errors"]
        click.echo(
            f"{r['id']:>4}  {_job_cell(r):<24}  {r['started_at'] or '-':<25}  {status:<24}  "
            f"{read:>6}  {r['articles_stored']:>8}  {r['not_modified']:>5}  {errors:>6}  "
            f"{seconds:>8}"
        )
