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


def with_scheme(value: str) -> str:
    """``example.com/a`` as a browser reads it: https://example.com/a. Anything else (a
    scheme given, a path, a bare word) is returned as given, for the URL check to judge."""
    text = value.strip()
    if "://" in text or text.startswith(("/", ".", "-")) or any(c.isspace() for c in text):
        return text
    host = text.split("/", 1)[0]
    name, colon, port = host.rpartition(":")
    if colon and not port.isdigit():
        return text  # mailto:, javascript: and the like
    if "." in (name if colon else host) and "@" not in host:
        return f"https://{text}"
    return text
    host = text.split("/", 1)[0]
    if "." in host and " " not in text:
        return f"https://{text}"
    return text


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 article``, ``42 articles``, ``1 community``, ``2 communities``."""
    if n == 1:
        return f"{n} {word}"
    if many is None:
        many = word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    return f"{n} {many}"


# Capture outcomes as counted things: "42 articles, 7 listings, 1 error, 3 skipped".
_OUTCOME_NOUNS = {"article": "article", "listing": "listing", "error": "error",
                  "not-modified": "unchanged", "not-fetched": "not fetched", "skipped": "skipped"}


def outcome_counts(outcomes: dict[str, int]) -> str:
    parts = []
    for outcome, n in sorted(outcomes.items(), key=lambda kv: (-kv[1], kv[0])):
        noun = _OUTCOME_NOUNS.get(outcome, outcome)
        parts.append(plural(n, noun) if noun in ("article", "listing", "error") else f"{n} {noun}")
    return ", ".join(parts) or "no pages"
