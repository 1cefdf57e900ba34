"""Leased requests on Redis: popping a request moves it, atomically (one Lua script), from the
queue to a sorted set of leases scored by a deadline on Redis's own clock; the worker renews
and finally acknowledges it, and anyone may requeue leases past their deadline.

See :mod:`crawler.distributed.frontier` for how the scheduler uses them.
"""

from __future__ import annotations

import random
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

# KEYS: queue, leases, lease-scores, requests, tries, issued, request-outlets.
# ARGV: lease ms, politeness key prefix ('' when off), how many to look at, concurrency per
# outlet, 1 to take a request whose outlet is busy when every one looked at is.
# Returns {id, request, tries}, {'', '', 0, ms until an outlet is free}, or nil (empty).
# Redis's clock, not the workers': no clock skew.
# ``issued`` is the writer's ledger: only a page fetched under a lease may change the text of
# an article already stored (crawler.distributed.writer).
# With shared politeness (crawler.distributed.politeness) the first of the next requests whose
# outlet may take a request now is leased, so a worker does not fill its concurrency with
# requests that would only wait for their outlet's delay.
_LEASE = """
local now = redis.call('TIME')
local ms = now[1] * 1000 + math.floor(now[2] / 1000)
local id = nil
if ARGV[2] == '' then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0)
  if #first == 0 then return false end
  id = first[1]
else
  local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[3]) - 1)
  if #ids == 0 then return false end
  local soonest, soonest_id = nil, nil
  for _, candidate in ipairs(ids) do
    local outlet = redis.call('HGET', KEYS[7], candidate)
    if not outlet then id = candidate break end
    local slot = ARGV[2] .. outlet
    local ready = tonumber(redis.call('HGET', slot, 'next') or '0')
    if redis.call('ZCOUNT', slot .. ':active', ms, '+inf') >= tonumber(ARGV[4]) then
      ready = math.max(ready, ms + 50)
    end
    if ready <= ms then id = candidate break end
    if soonest == nil or ready < soonest then soonest, soonest_id = ready, candidate end
  end
  if id == nil then
    if ARGV[5] ~= '1' then return {'', '', 0, soonest - ms} end
    id = soonest_id
  end
end
local score = redis.call('ZSCORE', KEYS[1], id)
redis.call('ZREM', KEYS[1], id)
local deadline = ms + tonumber(ARGV[1])
redis.call('ZADD', KEYS[2], deadline, id)
redis.call('HSET', KEYS[3], id, score)
local tries = redis.call('HINCRBY', KEYS[5], id, 1)
redis.call('ZADD', KEYS[6], ms, id)
return {id, redis.call('HGET', KEYS[4], id) or '', tries}
"""

# KEYS: leases. ARGV: lease ms, ids... Only leases still held are extended (XX).
_RENEW = """
local now = redis.call('TIME')
local deadline = now[1] * 1000 + math.floor(now[2] / 1000) + tonumber(ARGV[1])
local n = 0
for i = 2, #ARGV do
  -- Counted by presence: CH would not count a lease renewed within the same millisecond.
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], 'XX', deadline, ARGV[i])
    n = n + 1
  end
end
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


# KEYS: seen, requests, request-outlets, queue. ARGV: fingerprint ('' to queue unfiltered), id,
# request, outlet ('' for none), score. Returns 1 when queued, 0 when the fingerprint was seen.
# One script: a worker killed between marking a page seen and queueing it would lose the page
# for every worker, since the duplicate filter would then keep anyone else from queueing it.
_PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[3], ARGV[2], ARGV[4]) end
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[2])
return 1
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

    def __init__(self, server: Any, spider: Any, keys: Keys, lease_seconds: float, *,
                 polite: bool = False, per_outlet: int = 1, look_ahead: int = 64) -> None:  # fmt: skip
        super().__init__(server, spider, keys.queue, serializer=SERIALIZER)
        self.keys = keys
        # Shared politeness: lease requests whose outlet's slot is free first (see _LEASE).
        self.polite = polite
        self.per_outlet = max(per_outlet, 1)
        self.look_ahead = look_ahead
        self.wait_hint: float | None = None
        self.lease_ms = max(int(lease_seconds * 1000), 1000)
        self.held: set[str] = set()
        self._lease = server.register_script(_LEASE)
        self._renew = server.register_script(_RENEW)
        self._requeue = server.register_script(_REQUEUE)
        self._push = server.register_script(_PUSH)

    def __len__(self) -> int:
        return int(self.server.zcard(self.keys.queue))

    def push(self, request: Request, seen: str | None = None) -> str | None:
        """Queue ``request`` under a new id (its lease id once popped) and return the id. With
        ``seen`` (its fingerprint in the duplicate filter) the request is queued only if the
        fingerprint is new, in the same atomic step that records it; None when it was not."""
        # An id only needs to be unique; the URL in it makes redis-cli listings readable.
        lease_id = f"{frontier_key(request.url)} {uuid4().hex[:12]}"
        # Equal priorities would pop in id (URL) order, one outlet's pages after another's, and
        # a worker's concurrent requests would all wait for that outlet's politeness slot. A
        # fraction below 1 shuffles them within their priority and never across priorities.
        score = -request.priority + random.random() * 0.5
        before = request.meta.get(LEASE_META)
        request.meta[LEASE_META] = lease_id
        queued = self._push(
            keys=[self.keys.seen, self.keys.requests, self.keys.request_outlets, self.keys.queue],
            args=[seen or "", lease_id, self._encode_request(request),
                  str(request.meta.get("download_slot") or ""), repr(score)],
        )  # fmt: skip
        if int(queued):
            return lease_id
        if before is None:
            del request.meta[LEASE_META]
        else:
            request.meta[LEASE_META] = before
        return None

    def pop(self, timeout: int = 0, *, wait: bool = True) -> tuple[str, bytes | None, int] | None:
        """Lease the next request: (id, serialised request, times handed out) or None. With
        shared politeness and ``wait`` False, None also when every outlet looked at is busy
        (``wait_hint``: seconds until one may be free)."""
        self.wait_hint = None
        found = self._lease(
            keys=[self.keys.queue, self.keys.leases, self.keys.lease_scores,
                  self.keys.requests, self.keys.tries, self.keys.issued,
                  self.keys.request_outlets],
            args=[self.lease_ms, self.keys.polite("") if self.polite else "",
                  self.look_ahead, self.per_outlet, int(wait)],
        )  # fmt: skip
        if not found:
            return None
        if not found[0]:
            self.wait_hint = max(int(found[3]), 1) / 1000
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
        pipe.hdel(self.keys.request_outlets, lease_id)
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
                           self.keys.lease_scores, self.keys.tries,
                           self.keys.request_outlets)  # fmt: skip
