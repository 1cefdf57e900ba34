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
from crawler.commands.serve import serve  # noqa: E402
cli.add_command(serve)
from crawler.commands.browse import browse  # noqa: E402
cli.add_command(browse)
from crawler.commands.rematch import rematch  # noqa: E402
cli.add_command(rematch)
from crawler.commands.crawl import crawl  # noqa: E402
cli.add_command(crawl)
from crawler.commands.crawls import crawls  # noqa: E402
cli.add_command(crawls)
from crawler.commands.ingest import ingest  # noqa: E402
cli.add_command(ingest)
from crawler.commands.lookup import lookup  # noqa: E402
from crawler.commands.export import export  # noqa: E402
from crawler.commands.stats import stats  # noqa: E402

cli.add_command(lookup)
cli.add_command(export)
cli.add_command(stats)


def main() -> None:  # pragma: no cover - console entry point
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
