"""The ``crosspost`` command line: a thin layer over the library.

Data goes to stdout; progress and logs to stderr; errors end as ``Error: …`` with a non-zero
exit status.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from crawler import __version__
from crawler.store import Store, StoreError
from crawler.urls import BadURL, check_url

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def db_option(default: str = "crosspost.db"):
    return click.option(
        "--db",
        "db_path",
        default=default,
        envvar="CROSSPOST_DB",
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite database file (or $CROSSPOST_DB).",
    )


def open_store(db_path: str, readonly: bool = False) -> Store:
    try:
        return Store(db_path, readonly=readonly)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def parse_settings(pairs: tuple[str, ...]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s")
        settings[name.strip()] = value
    return settings


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="crosspost")
def cli() -> None:
    """Track how news articles are republished across outlets.

    Crawl outlets, store their articles in SQLite, and find where each story first appeared.
    """


@cli.command()
@click.argument("targets", nargs=-1, metavar="URL_OR_FILE...")
@db_option()
@click.option("--depth", type=click.IntRange(min=0), default=None,
              help="Maximum link depth from the start URLs (0: unlimited).")
@click.option("--max-pages", type=click.IntRange(min=1), default=None,
              help="Stop after fetching this many pages.")
@click.option("--follow-links/--no-follow-links", default=True, show_default=True,
              help="Follow links within the job's outlets to discover articles.")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Any Scrapy or crosspost setting (repeatable).")
@click.option("-v", "--verbose", is_flag=True, help="Log every request (Scrapy INFO level).")
def crawl(targets, db_path, depth, max_pages, follow_links, settings, verbose) -> None:
    """Crawl outlets and store their articles.

    Each URL_OR_FILE is a site root (sitemaps are found through robots.txt, feeds through the
    pages' <link rel=alternate>), a sitemap, a feed, an article page, or a file listing such
    URLs one per line. Honours http_proxy.
    """
    from crawler.runner import crawl_summary, run_crawl
    from crawler.spiders.outlets import read_start_urls

    if not targets:
        raise click.UsageError("give at least one URL or file of URLs")
    start: list[str] = []
    try:
        for target in targets:
            if Path(target).is_file():
                start.extend(read_start_urls(None, target))
            else:
                start.append(check_url(target))
    except BadURL as exc:
        raise click.BadParameter(str(exc), param_hint="URL_OR_FILE") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"cannot read {exc}", param_hint="URL_OR_FILE") from None
    open_store(db_path).close()
    overrides = parse_settings(settings)
    overrides.setdefault("LOG_LEVEL", "INFO" if verbose else "WARNING")
    if depth is not None:
        overrides["DEPTH_LIMIT"] = depth
    if max_pages is not None:
        overrides["CLOSESPIDER_PAGECOUNT"] = max_pages
    result = run_crawl(start, db_path, follow_links=follow_links, settings=overrides)
    summary = crawl_summary(db_path, result.crawl_id)
    _print_crawl_summary(result.finish_reason, summary)
    fetched = sum(n for outcome, n in summary["outcomes"].items() if outcome != "error")
    if not fetched:
        raise click.ClickException("nothing could be fetched; see the reasons above")


def _print_crawl_summary(reason: str | None, summary: dict[str, Any]) -> None:
    outcomes = summary["outcomes"]
    click.echo(
        f"crawl finished ({reason or 'unknown'}): "
        + ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
    )
    totals = summary["totals"]
    click.echo(f"store: {totals['articles']} articles from {totals['outlets']} outlets")
    for row in summary["errors"]:
        click.echo(f"  {row['url']}: {row['reason']}", err=True)


@cli.command()
@db_option(default="crosspost-demo.db")
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="Port for the sample web (0: any free port).")
@click.option("--keep", is_flag=True, help="Keep the database from an earlier demo run.")
def demo(db_path, port, keep) -> None:
    """Serve the bundled sample outlets on 127.0.0.1, crawl them, and show what was found."""
    from crawler.demo import DemoError, run_demo

    try:
        run_demo(db_path, port=port, keep=keep, echo=click.echo)
    except (StoreError, DemoError) as exc:
        raise click.ClickException(str(exc)) from None


# Commands defined in their own modules (crawler/commands/), one line each.
from crawler.commands.ingest import ingest  # noqa: E402
cli.add_command(ingest)
from crawler.commands.lookup import lookup  # noqa: E402

cli.add_command(lookup)


def main() -> None:  # pragma: no cover - console entry point
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
