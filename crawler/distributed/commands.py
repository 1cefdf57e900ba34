"""The Redis side of ``crosspost crawl --redis URL`` and ``crosspost ingest --from-redis URL``:
argument checks, running, and the end-of-run lines. The commands stay thin."""

from __future__ import annotations

from typing import Any

import click

from crawler.distributed.connection import RedisModeError, check_redis_url, require_redis, safe_url


def _check(url: str, prefix: str) -> None:
    from crawler.distributed.worker import check_prefix

    try:
        check_redis_url(url)
        check_prefix(prefix)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    try:
        require_redis()
    except RedisModeError as exc:
        raise click.ClickException(str(exc)) from None


def crawl_with_redis(url: str, prefix: str, start: list[str], *, push: bool,
                     follow_links: bool, restart: bool, idle_exit: float,
                     settings: dict[str, Any], outlets_file: str | None = None) -> None:  # fmt: skip
    """Push ``start`` to the shared frontier; unless ``push``, then crawl as a worker."""
    _check(url, prefix)
    try:
        from crawler.distributed.worker import push_start_urls, run_worker

        if start or restart:
            urls, queued = push_start_urls(url, prefix, start, follow_links=follow_links,
                                           restart=restart, outlets_file=outlets_file)  # fmt: skip
            click.echo(f"pushed {urls} start URLs to {safe_url(url)} ({prefix}): "
                       f"{queued} requests queued")  # fmt: skip
        if push:
            return
        settings = {**settings, "CROSSPOST_REDIS_IDLE_EXIT": idle_exit}
        stats = run_worker(url, prefix, follow_links=follow_links, settings=settings)
    except RedisModeError as exc:
        raise click.ClickException(str(exc)) from None
    elapsed = stats.get("elapsed_time_seconds") or 0
    fetched = stats.get("response_received_count", 0)
    click.echo(f"worker finished ({stats.get('finish_reason', 'unknown')})")
    rows = [
        ("pages fetched", fetched),
        ("pages sent to writer", stats.get("crosspost/redis/items_sent", 0)),
        ("articles extracted", stats.get("crosspost/articles_extracted", 0)),
        ("sources followed", stats.get("crosspost/sources_followed", 0)),
        ("requeued (dead workers)", stats.get("crosspost/redis/requeued", 0)),
        ("elapsed", f"{elapsed:.1f} s"),
        ("rate", f"{fetched / elapsed:.1f} pages/s" if elapsed else "-"),
    ]
    for label, value in rows:
        click.echo(f"  {label:<24} {value}")


def ingest_from_redis(db_path: str, url: str, prefix: str, *, match: bool, idle_exit: float,
                      index_in_redis: bool, batch_size: int) -> None:  # fmt: skip
    """Run the single writer until the crawl is done (``idle_exit``) or interrupted."""
    _check(url, prefix)
    from crawler.commands.options import open_store
    from crawler.store import StoreError

    store = open_store(db_path)
    try:
        from crawler.distributed.writer import RedisWriter

        writer = RedisWriter(store, url, prefix, match=match, index_in_redis=index_in_redis,
                             batch_size=batch_size)  # fmt: skip
        summary = writer.run(idle_exit=idle_exit)
    except (RedisModeError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(
        f"ingest finished ({summary['reason']}): {summary['items']} pages from "
        f"{safe_url(url)}, {summary['articles']} articles stored, "
        f"{summary['matches']} matches found"
        + (
            f", {summary['malformed']} refused entries moved to {prefix}:dead"
            if summary["malformed"]
            else ""
        )
    )
    if summary["requeued"]:
        click.echo(f"  requeued {summary['requeued']} requests of workers that stopped")
    click.echo(
        f"  rate {summary['rate']:.1f} pages/s ({summary['busy']:.1f} s storing, "
        f"{summary['elapsed']:.1f} s running)"
    )
