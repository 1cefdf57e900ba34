"""Opening a store file safely: refuse what must not be touched, read what cannot be written.

- a writer reads every page once (``PRAGMA quick_check``, about 2 s per GB, once per process
  and file) before its first write, so a damaged store is refused byte for byte unchanged;
- a reader in a directory it cannot write (a WAL store needs its ``-shm`` file beside it)
  reads the file as an immutable snapshot, with a note saying so.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from crawler.store.errors import DamagedStore, StoreError

logger = logging.getLogger(__name__)

# Stores this process checked whole before writing (a crawl opens its store many times).
_CHECKED: set[str] = set()


def check_path(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    if not path.parent.exists():
        raise StoreError(f"cannot create {path}: directory {path.parent} does not exist")
    # The file's header is not read here: closing any file handle on a database drops every
    # SQLite lock this process holds on it (POSIX locks), and another process could then
    # delete the write-ahead log under an open transaction. SQLite itself says "file is
    # not a database" (see Store.__init__).


def connect_readonly(path: Path) -> tuple[sqlite3.Connection, str | None]:
    """A read-only connection, and a note when it had to be an immutable snapshot."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn, None
    except sqlite3.OperationalError as exc:
        conn.close()
        if os.access(path.parent, os.W_OK) or "unable to open" not in str(exc):
            raise
    # No -shm file can be made beside the store: read the file without locks or -shm.
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, timeout=30)
    wal = path.with_name(path.name + "-wal")
    note = (
        f"{path.parent} cannot be written, so {path.name} is read as a snapshot that does "
        "not see later changes"
        + (f" (nor those still in {wal.name})" if wal.exists() and wal.stat().st_size else "")
    )
    return conn, note


def check_whole(db: Database, path: Path) -> None:
    """Refuse a damaged file before the first write: every page is read once."""
    key = str(path.resolve())
    if key in _CHECKED or not db.table_names():
        return
    problems = [row[0] for row in db.execute("PRAGMA quick_check(5)").fetchall()]
    if problems != ["ok"]:
        lines = [line for p in problems for line in p.splitlines() if not line.startswith("***")]
        first = (lines or ["unreadable pages"])[0][:200]
        raise DamagedStore(
            f"{path} is damaged (SQLite's check says: {first}); crosspost will not write to "
            f"it. Restore a backup, or recover what can be read: "
            f"sqlite3 {path} .recover | sqlite3 recovered.db"
        )
    _CHECKED.add(key)
