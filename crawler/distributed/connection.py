"""What every Redis-mode module shares: the client, the key names, request serialisation.

Redis mode is optional (``pip install 'crosspost[redis]'``): nothing here imports ``redis`` or
``scrapy_redis`` at module level, so the rest of crosspost works without them.

Every key of one distributed crawl starts with one prefix (``crosspost`` by default,
``--redis-prefix`` to run several crawls on one server):

==========================  ==============================================================
``{p}:queue``               sorted set: request id -> score (-priority); the shared frontier
``{p}:requests``            hash: request id -> the request as JSON
``{p}:leases``              sorted set: request id -> lease deadline (ms, Redis clock)
``{p}:lease-scores``        hash: request id -> its queue score, to requeue it as it was
``{p}:tries``               hash: request id -> how many times it was handed out
``{p}:request-outlets``     hash: request id -> its outlet (politeness-aware leasing)
``{p}:seen``                set: request fingerprints (the duplicate filter)
``{p}:start``               list: start URLs waiting for a worker (``redis-cli lpush``)
``{p}:outlets``             set: the job's outlets (links are followed within them)
``{p}:items``               stream: extracted pages for the writer (group ``writers``)
``{p}:writer``              string: the writer's lock (one writer at a time)
``{p}:dead``                stream: entries the writer refused, with the reason
``{p}:issued``              sorted set: request id -> when a worker leased it (ms), until stored
``{p}:polite:<outlet>``     hash + ``:active`` sorted set: the outlet's shared politeness slot
``{p}:outlet-delays``       hash: outlet -> its own delay (s) from the outlets file
``{p}:robots:<origin>``     hash: a site's robots.txt (status, type, body) + ``:fetching`` lock
``{p}:lsh…``                the shared LSH index (datasketch's keys)
==========================  ==============================================================
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

MISSING = "Redis mode needs the redis extra: pip install 'crosspost[redis]'"
DEFAULT_PREFIX = "crosspost"


class RedisModeError(Exception):
    """Redis mode cannot run: the extra is missing, or the server is unreachable."""


class MissingRedisExtra(RedisModeError):
    """``redis`` or ``scrapy-redis`` is not installed."""

    def __init__(self) -> None:
        super().__init__(MISSING)


class RedisUnavailable(RedisModeError):
    """The Redis server at the URL cannot be reached or refused the connection."""


def require_redis() -> None:
    """Raise :class:`MissingRedisExtra` unless both client libraries are importable."""
    try:
        import redis  # noqa: F401
        import scrapy_redis  # noqa: F401
    except ImportError:
        raise MissingRedisExtra() from None


def safe_url(url: str) -> str:
    """``url`` without its password, for logs and the crawls table."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def check_redis_url(url: str) -> str:
    """A ``redis://``, ``rediss://`` or ``unix://`` URL, or ValueError saying what is wrong."""
    scheme = urlsplit(url).scheme
    if scheme not in ("redis", "rediss", "unix"):
        raise ValueError(f"expected a redis://host:6379/0 URL, got {safe_url(url)!r}")
    return url


def connect(url: str, *, timeout: float = 10.0) -> Any:
    """A ``redis.Redis`` client for ``url``, checked with PING (bytes replies)."""
    require_redis()
    import redis

    check_redis_url(url)
    client = redis.Redis.from_url(
        url, socket_timeout=timeout, socket_connect_timeout=timeout, health_check_interval=30
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        raise RedisUnavailable(f"cannot reach Redis at {safe_url(url)}: {exc}") from None
    return client


@dataclass(frozen=True)
class Keys:
    """The key names of one distributed crawl (see the module docstring)."""

    prefix: str = DEFAULT_PREFIX

    @property
    def queue(self) -> str:
        return f"{self.prefix}:queue"

    @property
    def requests(self) -> str:
        return f"{self.prefix}:requests"

    @property
    def leases(self) -> str:
        return f"{self.prefix}:leases"

    @property
    def lease_scores(self) -> str:
        return f"{self.prefix}:lease-scores"

    @property
    def tries(self) -> str:
        return f"{self.prefix}:tries"

    @property
    def request_outlets(self) -> str:
        return f"{self.prefix}:request-outlets"

    @property
    def seen(self) -> str:
        return f"{self.prefix}:seen"

    @property
    def start(self) -> str:
        return f"{self.prefix}:start"

    @property
    def outlets(self) -> str:
        return f"{self.prefix}:outlets"

    @property
    def items(self) -> str:
        return f"{self.prefix}:items"

    @property
    def writer(self) -> str:
        return f"{self.prefix}:writer"

    @property
    def dead(self) -> str:
        return f"{self.prefix}:dead"

    @property
    def issued(self) -> str:
        return f"{self.prefix}:issued"

    @property
    def outlet_delays(self) -> str:
        return f"{self.prefix}:outlet-delays"

    def polite(self, outlet: str) -> str:
        return f"{self.prefix}:polite:{outlet}"

    def robots(self, origin: str) -> str:
        """The shared copy of the robots.txt of ``origin`` (``scheme://host:port``)."""
        return f"{self.prefix}:robots:{origin}"

    @property
    def lsh(self) -> bytes:
        return f"{self.prefix}:lsh".encode()

    def frontier(self) -> tuple[str, str, str]:
        """The keys whose emptiness means the whole crawl is done."""
        return self.queue, self.leases, self.start


def frontier_size(client: Any, keys: Keys) -> tuple[int, int, int]:
    """(queued requests, leased requests, start URLs waiting) in one round trip."""
    pipe = client.pipeline(transaction=False)
    pipe.zcard(keys.queue)
    pipe.zcard(keys.leases)
    pipe.llen(keys.start)
    queued, leased, starts = pipe.execute()
    return int(queued), int(leased), int(starts)


# -- requests as JSON --------------------------------------------------------------------
# scrapy-redis pickles requests by default: whoever can write to the Redis server could then
# run code in every worker. Requests are plain data, so JSON carries them.


def dumps_request(data: dict[str, Any]) -> bytes:
    """``Request.to_dict()`` as JSON: header names and values and the body as latin-1/base64."""
    data = dict(data)
    headers = data.pop("headers", None) or {}
    data["headers"] = {_text(name): [_text(v) for v in values] for name, values in headers.items()}
    body = data.pop("body", b"") or b""
    data["body64"] = base64.b64encode(body).decode("ascii") if body else ""
    return json.dumps(data, separators=(",", ":")).encode("utf-8")


def loads_request(blob: bytes | str) -> dict[str, Any]:
    """The dict :func:`dumps_request` encoded, ready for ``request_from_dict``."""
    data = json.loads(blob)
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        raise ValueError("not a serialised request")
    data["body"] = base64.b64decode(data.pop("body64", "") or "")
    return data


def _text(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)
