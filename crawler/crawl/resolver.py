"""The resolver Scrapy connects with, checking every address it hands out (DNS rebinding).

The fetch guard checks a URL's host by resolving it; Scrapy then resolves the name again to
connect. A DNS server that answers the two queries differently (a public address to the
check, 127.0.0.1 to the connection) would get an internal page fetched. This resolver closes
that gap: installed as Scrapy's ``TWISTED_DNS_RESOLVER``, it is the one place where names
become the addresses Twisted connects to (``HostnameEndpoint`` asks it through
``reactor.nameResolver``, ``connectTCP`` through ``reactor.resolver``, which Twisted wraps
around it), so what it checks is exactly what is connected to. It resolves A and AAAA with
``getaddrinfo`` and, for a guarded name, hands out no address at all when any address is
refused (the connection then fails with a DNS lookup error, and :func:`refusal` says why).

Which names are guarded: every name with ``CROSSPOST_FETCH_GUARD_ALL`` (one-URL fetches),
else only the names :func:`guard_name` was told about (hosts of followed credit links).
Never guarded: ``CROSSPOST_FETCH_ALLOW_HOSTS`` entries, every name with
``CROSSPOST_FETCH_ALLOW_PRIVATE``, and the hosts of the proxies in the environment
(``http_proxy``/``https_proxy``: the operator's own choice, often on loopback).

Answers are cached for ``DNS_CACHE_SECONDS`` (checked addresses only ever come from the
cache entry that was checked), at most ``DNSCACHE_SIZE`` names.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import urllib.request
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IHostResolution, IResolutionReceiver
from twisted.internet.threads import deferToThreadPool
from zope.interface import implementer

from crawler.crawl.fetchguard import ForbiddenURL, check_addresses, host_allowed

logger = logging.getLogger(__name__)

__all__ = ["GuardedResolver", "environment_proxies", "guard_name", "refusal"]

#: Names whose addresses are checked in crawls (guarded requests announce them).
_GUARDED: set[str] = set()
#: The latest refusal per name, so a failed connection can say why.
_REFUSED: dict[str, str] = {}
_LOCK = threading.Lock()


def _key(host: str) -> str:
    return host.strip("[]").lower().rstrip(".")


def guard_name(host: str) -> None:
    """From now on, check every address ``host`` resolves to before it is connected to."""
    with _LOCK:
        _GUARDED.add(_key(host))


def refusal(host: str) -> str | None:
    """Why the resolver last handed out no address for ``host``, or None."""
    with _LOCK:
        return _REFUSED.get(_key(host))


def environment_proxies() -> list[tuple[str, int | None]]:
    """(host, port) of every proxy named in the environment (``http_proxy`` and friends)."""
    found = []
    for url in urllib.request.getproxies().values():
        try:
            parts = urlsplit(url if "://" in url else f"http://{url}")
            if parts.hostname:
                found.append((_key(parts.hostname), parts.port))
        except ValueError:
            continue
    return found


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str) -> None:
        self.name = name

    def cancel(self) -> None:  # pragma: no cover - Twisted never cancels name resolution
        raise NotImplementedError


@implementer(IHostnameResolver)
class GuardedResolver:
    """An ``IHostnameResolver`` (A and AAAA) that refuses forbidden addresses of guarded
    names; Scrapy builds it from ``TWISTED_DNS_RESOLVER``."""

    def __init__(self, reactor: Any, *, guard_all: bool = True, allow_private: bool = False,
                 allow_hosts: Iterable[str] = (), cache_size: int = 10000,
                 cache_seconds: float = 60.0) -> None:
        self.reactor = reactor
        self.guard_all = guard_all
        self.allow_private = allow_private
        self.allow_hosts = tuple(allow_hosts)
        self.proxies = environment_proxies()
        self.cache_size = max(0, cache_size)
        self.cache_seconds = cache_seconds
        self._cache: OrderedDict[str, tuple[float, list[tuple[int, tuple]]]] = OrderedDict()

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        settings = crawler.settings
        return cls(
            reactor,
            guard_all=settings.getbool("CROSSPOST_FETCH_GUARD_ALL", False),
            allow_private=settings.getbool("CROSSPOST_FETCH_ALLOW_PRIVATE", False),
            allow_hosts=settings.getlist("CROSSPOST_FETCH_ALLOW_HOSTS", []),
            cache_size=settings.getint("DNSCACHE_SIZE", 10000)
            if settings.getbool("DNSCACHE_ENABLED", True) else 0,
            cache_seconds=settings.getfloat("DNS_CACHE_SECONDS", 60.0),
        )

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    # -- policy ------------------------------------------------------------------------------
    def guarded(self, host: str, port: int) -> bool:
        if self.allow_private or host_allowed(host, port, self.allow_hosts):
            return False
        if any(host == proxy and (want is None or want == port) for proxy, want in self.proxies):
            return False
        if self.guard_all:
            return True
        with _LOCK:
            return host in _GUARDED

    def _lookup(self, host: str, port: int) -> list[tuple[int, tuple]]:
        now = time.monotonic()
        hit = self._cache.get(host)
        if hit is not None and hit[0] > now:
            return hit[1]
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        found = list(dict.fromkeys((family, sockaddr) for family, _, _, _, sockaddr in infos))
        if self.cache_size:
            self._cache[host] = (now + self.cache_seconds, found)
            self._cache.move_to_end(host)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return found

    def addresses(self, host: str, port: int) -> list[tuple[int, tuple]]:
        """The (family, sockaddr) pairs to connect to ``host``: all of them, or none when
        ``host`` is guarded and any of its addresses is refused. Blocking."""
        key = _key(host)
        try:
            found = self._lookup(key, port)
        except (OSError, UnicodeError) as exc:
            logger.debug("cannot resolve %s: %s", host, exc)
            return []
        if self.guarded(key, port):
            try:
                check_addresses(key, [sockaddr[0] for _, sockaddr in found])
            except ForbiddenURL as exc:
                logger.warning("Refused to connect to %s: %s", host, exc.reason)
                with _LOCK:
                    _REFUSED[key] = exc.reason
                return []
        return found

    # -- IHostnameResolver ---------------------------------------------------------------------
    def resolveHostName(  # noqa: N802 - Twisted's interface
        self,
        resolutionReceiver: IResolutionReceiver,  # noqa: N803
        hostName: str,  # noqa: N803
        portNumber: int = 0,  # noqa: N803
        addressTypes: Sequence[type] | None = None,  # noqa: N803
        transportSemantics: str = "TCP",  # noqa: N803
    ) -> IHostResolution:
        resolution = _Resolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)
        wanted = set(addressTypes or (IPv4Address, IPv6Address))

        def deliver(found: list[tuple[int, tuple]]) -> None:
            for family, sockaddr in found:
                if family == socket.AF_INET and IPv4Address in wanted:
                    resolutionReceiver.addressResolved(
                        IPv4Address("TCP", sockaddr[0], portNumber))
                elif family == socket.AF_INET6 and IPv6Address in wanted:
                    resolutionReceiver.addressResolved(
                        IPv6Address("TCP", sockaddr[0], portNumber, *sockaddr[2:]))
            resolutionReceiver.resolutionComplete()

        def failed(failure: Any) -> None:
            logger.error("name resolution of %s failed: %s", hostName, failure.value)
            resolutionReceiver.resolutionComplete()

        pool = self.reactor.getThreadPool()
        deferred = deferToThreadPool(self.reactor, pool, self.addresses, hostName, portNumber)
        deferred.addCallbacks(deliver, failed)
        return resolution
