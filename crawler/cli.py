"""The ``crosspost`` command line: a thin layer over the library.

Data goes to stdout; progress and logs to stderr; errors end as ``Error: …`` with a non-zero
exit status.
"""

from __future__ import annotations

import logging
import sqlite3
import sys

import click

from crawler import __version__
from crawler.commands.articles import articles
from crawler.commands.browse import browse
from crawler.commands.crawl import crawl
from crawler.commands.crawls import crawls
from crawler.commands.export import export
from crawler.commands.ingest import ingest
from crawler.commands.lookup import lookup
from crawler.commands.options import db_option
from crawler.commands.rematch import rematch
from crawler.commands.serve import serve
from crawler.commands.stats import stats
from crawler.store import StoreError, store_error
from crawler.workers import exit_now, interrupt_handling

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


# What to do after Ctrl-C, per command: one line, printed as the process ends.
RESUME_HINTS = {
    "crawl": "run the same command again to resume the job where it stopped",
    "ingest": "run the same ingest again to continue (what is stored is not stored twice)",
    "rematch": "run crosspost rematch again to complete the store",
    "demo": "run crosspost demo again to start over",
    "serve": "the server has stopped",
}


class CrosspostGroup(click.Group):
    """Ends every command the same way on Ctrl-C: one line, exit status 130, no traceback."""

    def main(self, *args, **kwargs):
        with interrupt_handling():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            command = ctx.invoked_subcommand or ""
            hint = RESUME_HINTS.get(command, "nothing half-written was kept")
            exit_now(f"Interrupted: {hint}.")
        except sqlite3.DatabaseError as exc:
            # A damaged page met while reading: readers do not check the whole file first.
            raise click.ClickException(str(store_error(None, exc))) from None


@click.group(cls=CrosspostGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="crosspost")
def cli() -> None:
    """Track how news articles are republished across outlets.

    Crawl outlets, store their articles in SQLite, and find where each story first appeared.
    """


@cli.command()
@db_option(default="crosspost-demo.db")  # crawler.demo.DEFAULT_DB
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="Port for the sample web (0: any free port).")
@click.option("--keep", is_flag=True, help="Keep the database from an earlier demo run.")
def demo(db_path, port, keep) -> None:
    """Serve the bundled sample outlets on 127.0.0.1, crawl them, and show what was found.

    The demo writes only to a store it created (its own file, marked as a demo store); any
    other store, given with --db or $CROSSPOST_DB, is refused untouched.
    """
    from crawler.demo import DemoError, run_demo

    try:
        run_demo(db_path, port=port, keep=keep, echo=click.echo)
    except (StoreError, DemoError) as exc:
        raise click.ClickException(str(exc)) from None


# Commands defined in their own modules (crawler/commands/), which never import this one.
for _command in (serve, browse, rematch, crawl, crawls, ingest, lookup, articles, export, stats):
    cli.add_command(_command)


def main() -> None:  # pragma: no cover - console entry point
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
