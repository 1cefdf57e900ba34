"""Leased requests on Redis: popping a request moves it, atomically (one Lua script), from the
queue to a sorted set of leases scored by a deadline on Redis's own clock; the worker renews
and finally acknowledges it, and anyone may requeue leases past their deadline.

See :mod:`crawler.distributed.frontier` for how the scheduler uses them.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from uuid import uuid4

from scrapy import Request
from scrapy_redis.queue import Base

from crawler.crawl.frontier import frontier_key
from crawler.distributed.connection import Keys, dumps_request, loads_request

# In Redis mode the lease id rides in the meta key the single-machine frontier uses for its
# entry, so the spider copies it onto every item without knowing which frontier runs.
LEASE_META = "frontier_url"

SERIALIZER = SimpleNamespace(dumps=dumps_request, loads=loads_request)

# KEYS: queue, leases, lease-scores, requests, tries, issued. ARGV: lease ms.
# Returns {id, request, tries} or nil. Redis's clock, not the workers': no clock skew.
# ``issued`` is the writer's ledger: only a page fetched under a lease may change the text of
# an article already stored (crawler.distributed.writer).
_LEASE = """
local item = redis.call('ZPOPMIN', KEYS[1])
if #item == 0 then return false end
local id, score = item[1], item[2]
local now = redis.call('TIME')
local deadline = now[1] * 1000 + math.floor(now[2] / 1000) + tonumber(ARGV[1])
redis.call('ZADD', KEYS[2], deadline, id)
redis.call('HSET', KEYS[3], id, score)
local tries = redis.call('HINCRBY', KEYS[5], id, 1)
redis.call('ZADD', KEYS[6], now[1] * 1000 + math.floor(now[2] / 1000), id)
return {id, redis.call('HGET', KEYS[4], id) or '', tries}
"""

# KEYS: leases. ARGV: lease ms, ids... Only leases still held are extended (XX).
_RENEW = """
local now = redis.call('TIME')
local deadline = now[1] * 1000 + math.floor(now[2] / 1000) + tonumber(ARGV[1])
local n = 0
for i = 2, #ARGV do n = n + redis.call('ZADD', KEYS[1], 'XX', 'CH', deadline, ARGV[i]) end
return n
"""

# KEYS: leases, queue, lease-scores. ARGV: max count, ids... (empty: every expired lease).
# Moves leases back to the queue with their original score; returns how many.
_REQUEUE = """
local ids = {}
if #ARGV > 1 then
  for i = 2, #ARGV do ids[#ids + 1] = ARGV[i] end
else
  local now = redis.call('TIME')
  local ms = now[1] * 1000 + math.floor(now[2] / 1000)
  ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ms, 'LIMIT', 0, tonumber(ARGV[1]))
end
local n = 0
for _, id in ipairs(ids) do
  if redis.call('ZREM', KEYS[1], id) == 1 then
    local score = redis.call('HGET', KEYS[3], id) or '0'
    redis.call('HDEL', KEYS[3], id)
    redis.call('ZADD', KEYS[2], score, id)
    n = n + 1
  end
end
return n
"""


def requeue_expired(client: Any, keys: Keys, limit: int = 1000) -> int:
    """Move leases past their deadline back to the queue; returns how many. Safe to run from
    any process at any time (one atomic script)."""
    return int(client.eval(_REQUEUE, 3, keys.leases, keys.queue, keys.lease_scores, limit))


class LeaseQueue(Base):
    """The shared priority queue of requests, popped under a lease.

    ``push`` stores the request under a new id; ``pop`` leases the next one; ``ack`` deletes a
    finished request wherever it is (queue, leases); ``renew`` extends this worker's leases;
    ``release`` gives them back at once (clean shutdown)."""

    def __init__(self, server: Any, spider: Any, keys: Keys, lease_seconds: float) -> None:
        super().__init__(server, spider, keys.queue, serializer=SERIALIZER)
        self.keys = keys
        self.lease_ms = max(int(lease_seconds * 1000), 1000)
        self.held: set[str] = set()
        self._lease = server.register_script(_LEASE)
        self._renew = server.register_script(_RENEW)
        self._requeue = server.register_script(_REQUEUE)

    def __len__(self) -> int:
        return int(self.server.zcard(self.keys.queue))

    def push(self, request: Request) -> str:
        """Queue ``request`` under a new id (its lease id once popped)."""
        # An id only needs to be unique; the URL in it makes redis-cli listings readable.
        lease_id = f"{frontier_key(request.url)} {uuid4().hex[:12]}"
        request.meta[LEASE_META] = lease_id
        pipe = self.server.pipeline(transaction=True)
        pipe.hset(self.keys.requests, lease_id, self._encode_request(request))
        pipe.zadd(self.keys.queue, {lease_id: -request.priority})
        pipe.execute()
        return lease_id

    def pop(self, timeout: int = 0) -> tuple[str, bytes | None, int] | None:
        """Lease the next request: (id, serialised request, times handed out) or None."""
        found = self._lease(
            keys=[self.keys.queue, self.keys.leases, self.keys.lease_scores,
                  self.keys.requests, self.keys.tries, self.keys.issued],
            args=[self.lease_ms],
        )  # fmt: skip
        if not found:
            return None
        lease_id = found[0].decode() if isinstance(found[0], bytes) else found[0]
        self.held.add(lease_id)
        return lease_id, found[1], int(found[2])

    def decode(self, blob: bytes) -> Request:
        return self._decode_request(blob)

    def ack(self, lease_id: str) -> None:
        """The request is done: delete it from the leases, the queue (if it was requeued while
        this worker was slow) and the payloads."""
        self.held.discard(lease_id)
        pipe = self.server.pipeline(transaction=True)
        pipe.zrem(self.keys.leases, lease_id)
        pipe.zrem(self.keys.queue, lease_id)
        pipe.hdel(self.keys.requests, lease_id)
        pipe.hdel(self.keys.lease_scores, lease_id)
        pipe.hdel(self.keys.tries, lease_id)
        pipe.execute()

    def renew(self) -> int:
        if not self.held:
            return 0
        return int(self._renew(keys=[self.keys.leases], args=[self.lease_ms, *self.held]))

    def release(self) -> int:
        """Give every held lease back to the queue now (a clean stop)."""
        if not self.held:
            return 0
        n = self._requeue(
            keys=[self.keys.leases, self.keys.queue, self.keys.lease_scores],
            args=[0, *self.held],
        )
        self.held.clear()
        return int(n)

    def requeue_expired(self, limit: int = 1000) -> int:
        return int(self._requeue(
            keys=[self.keys.leases, self.keys.queue, self.keys.lease_scores], args=[limit]
        ))  # fmt: skip

    def clear(self) -> None:
        self.server.delete(self.keys.queue, self.keys.requests, self.keys.leases,
                           self.keys.lease_scores, self.keys.tries)  # fmt: skip
