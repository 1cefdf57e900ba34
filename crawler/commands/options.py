"""Options and helpers shared by the CLI commands (``--db``, ``-s NAME=VALUE``).

Commands import these from here, never from ``crawler.cli``, which only assembles them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crawler.store import Store, StoreError


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


def missing_store(db_path: str) -> str:
    """The one message for a store that is not there, with how to make one."""
    return (f"no store at {db_path}: create one with 'crosspost crawl URL...' or "
            f"'crosspost ingest FILE...', or pass --db (or set $CROSSPOST_DB)")


def open_store(db_path: str, readonly: bool = False) -> Store:
    """The store at ``db_path``; read-only, it must exist (a reader never creates one)."""
    if readonly and not Path(db_path).exists():
        raise click.ClickException(missing_store(db_path))
    try:
        store = Store(db_path, readonly=readonly)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    if store.note:
        click.echo(f"note: {store.note}", err=True)
    return store


def parse_settings(pairs: tuple[str, ...]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s")
        settings[name.strip()] = value
    return settings


def existing_store(db_path: str, readonly: bool = True) -> Store:
    """The store at ``db_path``, which must exist (even for a command that writes to it)."""
    if not Path(db_path).exists():
        raise click.ClickException(missing_store(db_path))
    return open_store(db_path, readonly=readonly)
