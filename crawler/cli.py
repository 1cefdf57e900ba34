"""The ``crosspost`` command line: a thin layer over the library.

Data goes to stdout; progress and logs to stderr; errors end as ``Error: …`` with a non-zero
exit status.
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
import sys
from collections.abc import Iterator, MutableMapping

import click

from crawler import __version__
from crawler.commands.options import db_option
from crawler.store import StoreError, store_error
from crawler.workers import exit_now, interrupt_handling

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}

# Commands defined in their own modules (crawler/commands/), which never import this one.
# Each is imported when it is looked up: a command loads what it needs (the store, Scrapy,
# the decisions, the web server), and `crosspost ingest` should not wait for the others'.
COMMAND_MODULES = {name: f"crawler.commands.{name}" for name in (
    "serve", "browse", "rematch", "crawl", "crawls", "ingest", "lookup", "articles", "export",
    "stats",
)}  # fmt: skip


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's name -> command mapping that imports a command's module on first lookup;
    iterating gives every name, listed or not yet imported."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = dict(modules)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded and name in self._modules:
            self._loaded[name] = getattr(importlib.import_module(self._modules[name]), name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._modules.pop(name, None)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter({**self._modules, **self._loaded})

    def __len__(self) -> int:
        return len({**self._modules, **self._loaded})

    def __contains__(self, name: object) -> bool:
        return name in self._loaded or name in self._modules


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


@click.group(cls=CrosspostGroup, context_settings=CONTEXT_SETTINGS,
             commands=LazyCommands(COMMAND_MODULES))
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


def main() -> None:  # pragma: no cover - console entry point
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
