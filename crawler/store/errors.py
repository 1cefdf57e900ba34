"""What can go wrong with a store, as small named errors the CLI turns into ``Error: …``."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreError(Exception):
    """The store cannot be opened or written."""


class NotACrossPostDatabase(StoreError):
    """The file exists but was not made by crosspost."""


class DamagedStore(StoreError):
    """The file is a SQLite database whose pages are damaged; nothing is written to it."""


class DiskFull(StoreError):
    """A write failed because the disk is full; the failed transaction was rolled back."""


def store_error(path: Path | None, exc: sqlite3.Error) -> StoreError:
    """The :class:`StoreError` that says what a SQLite error means for the store at ``path``
    (None: the ``--db`` file, when the caller does not know its name)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    file = path or "FILE"
    path = path or "the --db file"
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return DiskFull(
            f"the disk is full: {path} is unchanged by the write that failed (it was rolled "
            "back); free some space and run the same command again"
        )
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return DamagedStore(
            f"{path} is damaged ({text}); crosspost will not read or write it. Restore a "
            f"backup, or recover what can be read: sqlite3 {file} .recover | sqlite3 recovered.db"
        )
    if name.startswith("SQLITE_NOTADB") or "file is not a database" in text:
        return NotACrossPostDatabase(f"{path} is not a SQLite database")
    return StoreError(f"cannot use {path}: {text}")
