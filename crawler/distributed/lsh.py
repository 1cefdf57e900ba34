"""The LSH part of the near-duplicate index in Redis, shared by processes.

``storage_config_for(url, basename)`` is the datasketch ``storage_config`` for a Redis server
given by URL. datasketch keeps each band's buckets as Redis sets and each key's bucket list
under ``basename``; the index keys crosspost inserts are article ids, stored as the bytes
``i:<id>`` (``dedupe.index.pack_key``).

No pickle: ``dedupe.index.LSHIndex`` runs datasketch with ``prepickle=False`` outside memory,
so what is read back from Redis is parsed as ``i:<digits>`` or ignored, never unpickled or
evaluated. Whoever can write to that Redis can still add or remove candidates (each is
verified against the store's own text before it becomes a match), not run code.

The store stays the source of truth: the writer clears the index and rebuilds it from the
stored signatures at start-up, and again if the index vanished (Redis restarted without
persistence). The anchor index for excerpts stays in the writer's memory (see
``dedupe.index.AnchorIndex``), rebuilt from the same signatures.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

_BUILT = b":built"


def storage_config_for(url: str, basename: bytes) -> dict[str, Any]:
    """datasketch's Redis ``storage_config`` for ``url`` (redis://, rediss://, unix://)."""
    parts = urlsplit(url)
    params: dict[str, Any] = {}
    if parts.scheme == "unix":
        params["unix_socket_path"] = unquote(parts.path)
    else:
        params["host"] = parts.hostname or "localhost"
        params["port"] = parts.port or 6379
        db = parts.path.strip("/")
        if db:
            params["db"] = int(db)
        if parts.scheme == "rediss":
            params["ssl"] = True
    if parts.username:
        params["username"] = unquote(parts.username)
    if parts.password:
        params["password"] = unquote(parts.password)
    return {"type": "redis", "basename": basename, "redis": params}


def clear_index(client: Any, basename: bytes, batch: int = 5000) -> int:
    """Delete every key of the index ``basename``; returns how many."""
    pattern = _glob_escape(basename) + b"*"
    deleted = 0
    chunk: list[bytes] = []
    for key in client.scan_iter(match=pattern, count=batch):
        chunk.append(key)
        if len(chunk) >= batch:
            deleted += client.unlink(*chunk)
            chunk = []
    if chunk:
        deleted += client.unlink(*chunk)
    return deleted


def mark_built(client: Any, basename: bytes) -> None:
    client.set(basename + _BUILT, b"1")


def is_built(client: Any, basename: bytes) -> bool:
    return bool(client.exists(basename + _BUILT))


def _glob_escape(value: bytes) -> bytes:
    out = bytearray()
    for byte in value:
        if bytes([byte]) in (b"*", b"?", b"[", b"]", b"\\"):
            out += b"\\"
        out.append(byte)
    return bytes(out)
