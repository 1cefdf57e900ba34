"""``crosspost crawl``: run a crawl job (resumable, incremental) and print what it did."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from crawler.commands.options import (
    db_option,
    open_store,
    outcome_counts,
    parse_settings,
    plural,
    with_scheme,
)
from crawler.crawl.outlets_file import OutletsFileError, load_outlets
from crawler.urls import BadURL, check_url


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"expected a date like 2024-01-31, got {value!r}") from None


@click.command()
@click.argument("targets", nargs=-1, metavar="URL_OR_FILE...")
@db_option()
@click.option("--outlets", "outlets_file", type=click.Path(dir_okay=False),
              help="Outlets file (TOML; YAML with PyYAML): names, domains, start URLs, "
                   "sitemaps, feeds and per-outlet limits.")
@click.option("--depth", type=click.IntRange(min=0), default=None,
              help="Maximum link depth from the start URLs (0: unlimited).")
@click.option("--max-pages", type=click.IntRange(min=1), default=None,
              help="Stop this run after fetching this many pages (the next run resumes).")
@click.option("--follow-links/--no-follow-links", default=True, show_default=True,
              help="Follow links within the job's outlets to discover articles.")
@click.option("--follow-attribution/--no-follow-attribution", default=True, show_default=True,
              help="Fetch the source an article credits, even on an outlet not in the job.")
@click.option("--follow-depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="How many credit hops to follow from the job's own articles.")
@click.option("--since", callback=_since, metavar="DATE",
              help="Skip sitemap and feed entries dated before DATE (YYYY-MM-DD).")
@click.option("--strict-robots", is_flag=True,
              help="Crawl nothing on a site whose robots.txt cannot be fetched.")
@click.option("--warc", "warc_dir", type=click.Path(file_okay=False),
              help="Also write every request and response to WARC files in this directory.")
@click.option("--restart", is_flag=True,
              help="Start an interrupted job over instead of resuming it.")
@click.option("--job", metavar="NAME",
              help="Name of the crawl job (default: derived from the start URLs and options).")
@click.option("--progress/--no-progress", default=None,
              help="Live progress line on stderr (default: when stderr is a terminal).")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Any Scrapy or crosspost setting (repeatable).")
@click.option("-v", "--verbose", is_flag=True, help="Log every request (Scrapy INFO level).")
@click.option("--redis", "redis_url", metavar="URL", envvar="CROSSPOST_REDIS_URL",
              help="Be a worker of a distributed crawl whose frontier is in this Redis "
                   "(redis://host:6379/0, or $CROSSPOST_REDIS_URL); the URLs given are pushed "
                   "to it. See docs/scaling.md.")
@click.option("--push", is_flag=True,
              help="With --redis: only push the URLs to the shared frontier, then exit.")
@click.option("--redis-prefix", default="crosspost", show_default=True, metavar="PREFIX",
              help="With --redis: prefix of the distributed crawl's Redis keys.")
@click.option("--idle-exit", type=click.FloatRange(min=0), default=10, show_default=True,
              metavar="SECONDS",
              help="With --redis: stop once the shared frontier has been empty this long "
                   "(0: keep waiting for pushed URLs).")
def crawl(targets, db_path, outlets_file, depth, max_pages, follow_links, follow_attribution,
          follow_depth, since, strict_robots, warc_dir, restart, job, progress, settings,
          verbose, redis_url, push, redis_prefix, idle_exit) -> None:
    """Crawl outlets and store their articles.

    Each URL_OR_FILE is a site root (sitemaps are found through robots.txt, feeds through the
    pages' <link rel=alternate>), a sitemap, a feed, an article page, or a file listing such
    URLs one per line. Honours http_proxy.

    A job killed at any point resumes when the same command runs again; a finished job run
    again fetches only new or changed pages.
    """
    from crawler.crawl.runner import crawl_summary, run_crawl
    from crawler.spiders.outlets import read_start_urls

    redis_url = redis_url or parse_settings(settings).get("CROSSPOST_REDIS_URL")
    if push and not redis_url:
        raise click.UsageError("--push needs --redis URL")
    if redis_url and job:
        raise click.UsageError("--job does not apply with --redis; use --redis-prefix")
    if not targets and not outlets_file and not redis_url:
        raise click.UsageError("give at least one URL, a file of URLs, or --outlets FILE")
    start: list[str] = []
    try:
        for target in targets:
            if Path(target).is_file():
                start.extend(read_start_urls(None, target))
            else:
                start.append(check_url(with_scheme(target)))
    except BadURL as exc:
        raise click.BadParameter(str(exc), param_hint="URL_OR_FILE") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"cannot read {exc}", param_hint="URL_OR_FILE") from None
    if outlets_file:
        try:
            load_outlets(outlets_file)
        except OutletsFileError as exc:
            raise click.BadParameter(str(exc), param_hint="--outlets") from None
    if not redis_url:
        open_store(db_path).close()
    overrides = parse_settings(settings)
    overrides.setdefault("LOG_LEVEL", "INFO" if verbose else "WARNING")
    if depth is not None:
        overrides["DEPTH_LIMIT"] = depth
    if max_pages is not None:
        overrides["CLOSESPIDER_PAGECOUNT"] = max_pages
    overrides["CROSSPOST_FOLLOW_DEPTH"] = follow_depth if follow_attribution else 0
    if since:
        overrides["CROSSPOST_SINCE"] = since
    if strict_robots:
        overrides["ROBOTSTXT_STRICT"] = True
    if warc_dir:
        overrides["CROSSPOST_WARC_DIR"] = str(Path(warc_dir).resolve())
    if restart:
        overrides["CROSSPOST_RESTART"] = True
    if job:
        overrides["CROSSPOST_JOB"] = job
    overrides["CROSSPOST_PROGRESS"] = sys.stderr.isatty() if progress is None else progress
    if redis_url:
        from crawler.distributed.commands import crawl_with_redis

        if outlets_file:
            start += [u for u in load_outlets(outlets_file).start_urls if u not in start]
        return crawl_with_redis(redis_url, redis_prefix, start, push=push,
                                follow_links=follow_links, restart=restart,
                                idle_exit=idle_exit, settings=overrides,
                                outlets_file=outlets_file)
    result = run_crawl(start, db_path, follow_links=follow_links, settings=overrides,
                       outlets_file=outlets_file)
    summary = crawl_summary(db_path, result.crawl_id)
    fetched = sum(n for outcome, n in summary["outcomes"].items() if outcome != "error")
    failed = bool(summary["outcomes"].get("error")) and not fetched
    # The run is recorded as failed when every page failed: say the same as the exit status.
    print_crawl_summary("failed" if failed else result.finish_reason, summary, result.stats)
    if failed:
        raise click.ClickException("nothing could be fetched; see the reasons above")
    if result.finish_reason == "store failed":
        # The writer could not store what was fetched: the job stays resumable, but this run
        # did not do its work, and scripts must see that.
        raise click.ClickException(
            "the store could not be written; see the error above. The crawl can be resumed."
        )


def print_crawl_summary(reason: str | None, summary: dict[str, Any],
                        stats: dict[str, Any] | None = None) -> None:
    """The end-of-run table: outcomes of this run's pages, then the store's totals."""
    stats = stats or {}
    outcomes = summary["outcomes"]
    click.echo(f"crawl finished ({reason or 'unknown'}): {outcome_counts(outcomes)}")
    elapsed = stats.get("elapsed_time_seconds") or 0
    fetched = stats.get("response_received_count", 0)
    rows = [
        ("job", summary.get("job") or "-"),
        ("pages fetched", fetched),
        ("articles stored", stats.get("crosspost/articles_stored", 0)),
        ("unchanged (304)", outcomes.get("not-modified", 0)),
        ("errors", outcomes.get("error", 0)),
        ("sources followed", stats.get("crosspost/sources_followed", 0)),
        ("skipped as unchanged", stats.get("crosspost/frontier/unchanged", 0)),
        ("resumed pending", stats.get("crosspost/frontier/resumed", 0)),
        ("elapsed", f"{elapsed:.1f} s"),
        ("rate", f"{fetched / elapsed:.1f} pages/s" if elapsed else "-"),
    ]
    for label, value in rows:
        click.echo(f"  {label:<22} {value}")
    totals = summary["totals"]
    click.echo(f"store: {plural(totals['articles'], 'article')} from "
               f"{plural(totals['outlets'], 'outlet')}")
    for row in summary["errors"]:
        click.echo(f"  {row['url']}: {row['reason']}", err=True)
