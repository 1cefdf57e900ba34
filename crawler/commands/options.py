"""Options and helpers shared by the CLI commands (``--db``, ``-s NAME=VALUE``).

Commands import these from here, never from ``crawler.cli``, which only assembles them.
"""

from __future__ import annotations

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
