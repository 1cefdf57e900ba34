"""The SQLite store: the one place crosspost keeps what it crawled, ingested and decided.

- :mod:`.database` — :class:`Store`, the file and its transactions;
- :mod:`.schema` — the tables, views and migrations (the schema is code);
- :mod:`.jobs` — crawl jobs, the frontier, per-URL fetch state and old versions;
- :mod:`.bulk` — batch writes for ingest and rematch;
- :mod:`.rows` — row helpers shared by all of them.

May import: sqlite-utils and the standard library; nothing else from ``crawler``.
"""

from .database import DamagedStore, DiskFull, NotACrossPostDatabase, Store, StoreError, store_error
from .rows import utcnow

__all__ = ["DamagedStore", "DiskFull", "NotACrossPostDatabase", "Store", "StoreError",
           "store_error", "utcnow"]
