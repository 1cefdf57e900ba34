"""The fetch guard: which URLs a user-triggered fetch may request.

``crosspost lookup --fetch`` and the HTTP API fetch URLs that a user typed. Without a guard
that is a server-side request forgery hole: a URL (or a redirect) pointing at 127.0.0.1, the
cloud metadata service at 169.254.169.254, or a private network would be fetched from the
operator's machine. The guard refuses:

- schemes other than http and https;
- hosts that are, or resolve to, an address that is not public: private, loopback,
  link-local, multicast, reserved, unspecified, shared (CGNAT), documentation and benchmark
  ranges — IPv4 and IPv6 alike, including IPv6 forms that embed an IPv4 address
  (IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``, NAT64 ``64:ff9b::/96``,
  6to4 ``2002::/16`` and Teredo ``2001::/32``);
- IPv4 written the ways browsers and ``inet_aton`` accept: decimal ``2130706433``, octal
  ``017700000001``, hex ``0x7f000001``, mixed and short forms ``0x7f.1``, ``127.1``;
- host names that do not resolve (a proxy could resolve them to anything) and names
  reserved for local use (``localhost``, ``*.local``, ``*.internal``, ``*.home.arpa``).

Names are resolved here with ``getaddrinfo`` and refused if ANY address is forbidden. The
check runs again for every request a fetch makes, redirects included, in
:class:`FetchGuardMiddleware`. Behind a proxy the proxy is not checked (it is the operator's
own choice, often on loopback); the target host is.

Two escape hatches, off by default: ``allow_private`` (setting
``CROSSPOST_FETCH_ALLOW_PRIVATE``) turns the address checks off entirely, for demos and
tests on loopback; ``allow_hosts`` (setting ``CROSSPOST_FETCH_ALLOW_HOSTS``) names exact
``host`` or ``host:port`` entries, or ``.suffix`` for a domain and its subdomains, that may
be fetched whatever they resolve to.

    check_fetch_url("http://0x7f.1/")   # raises ForbiddenURL("... loopback address 127.0.0.1")
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable, Iterable
from urllib.parse import unquote, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import deferred_to_future
from twisted.internet.threads import deferToThread
from w3lib.url import safe_url_string

logger = logging.getLogger(__name__)

__all__ = [
    "FetchGuardMiddleware",
    "ForbiddenURL",
    "check_fetch_url",
    "forbidden_reason",
    "parse_ip",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

_LOCAL_NAMES = ("localhost", "localdomain", "local", "internal", "intranet", "lan", "home.arpa")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_HEX, _DEC, _OCT = set("0123456789abcdefABCDEF"), set("0123456789"), set("01234567")


class ForbiddenURL(ValueError):
    """A URL the guard will not fetch; ``reason`` says why, in words a user understands."""

    def __init__(self, reason: str, url: str | None = None) -> None:
        self.reason = reason
        self.url = url
        super().__init__(f"refusing to fetch {url}: {reason}" if url else reason)


# -- addresses -----------------------------------------------------------------------------
def _ipv4_number(part: str) -> int | None:
    """One dotted part as ``inet_aton`` reads it: 0x hex, leading-zero octal, or decimal."""
    if not part:
        return None
    # Checked digit by digit: int() would also take "_", "+" and spaces.
    if part[:2].lower() == "0x":
        digits = part[2:]
        if not set(digits) <= _HEX:
            return None
        return int(digits, 16) if digits else 0
    if not set(part) <= _DEC:
        return None
    if len(part) > 1 and part[0] == "0":
        return int(part[1:], 8) if set(part) <= _OCT else None
    return int(part, 10)


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """``host`` as an IPv4 address in any form ``inet_aton``/WHATWG accept (``127.1``,
    ``0x7f.1``, ``2130706433``, ``017700000001``), else None."""
    parts = host.split(".")
    if parts and parts[-1] == "":
        parts = parts[:-1]  # a trailing dot is still the same address
    if not 1 <= len(parts) <= 4:
        return None
    numbers = [_ipv4_number(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(parts)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (5 - len(parts)) + last
    return ipaddress.IPv4Address(value)


def parse_ip(host: str) -> IPAddress | None:
    """``host`` (from a URL, brackets optional) as an IP address, or None for a name."""
    host = host.strip().strip("[]")
    if "%" in host and ":" in host:
        host = host.split("%", 1)[0]  # an IPv6 zone id names an interface, not an address
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return _legacy_ipv4(host)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    if ip.ipv4_mapped is not None:
        return "IPv4-mapped", ip.ipv4_mapped
    if ip.sixtofour is not None:
        return "6to4", ip.sixtofour
    if ip.teredo is not None:
        return "Teredo", ip.teredo[1]
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return "NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _IPV4_COMPATIBLE and int(ip) > 1:
        return "IPv4-compatible", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _category(ip: IPAddress) -> str | None:
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "shared (carrier-grade NAT)"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local"
    if not ip.is_global:
        return "non-public"
    return None


def forbidden_reason(ip: IPAddress) -> str | None:
    """Why a fetch must not go to ``ip`` (e.g. ``"loopback address 127.0.0.1"``), or None
    when ``ip`` is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            form, inner = embedded
            why = _category(inner)
            # The embedded IPv4 address is where the packets end up.
            return f"{why} address {inner} ({form} in {ip})" if why else None
    why = _category(ip)
    return f"{why} address {ip}" if why else None


# -- hosts and URLs ------------------------------------------------------------------------
def _allowed(host: str, port: int | None, allow_hosts: Iterable[str]) -> bool:
    host = host.lower().rstrip(".")
    for entry in allow_hosts:
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry.startswith("."):
            if host == entry[1:] or host.endswith(entry):
                return True
            continue
        if entry.startswith("["):
            name, _, rest = entry[1:].partition("]")
            want = rest[1:] if rest.startswith(":") else ""
        elif entry.count(":") == 1:
            name, _, want = entry.partition(":")
        else:
            name, want = entry, ""
        if name == host.strip("[]") and (not want or want == str(port)):
            return True
    return False


def system_resolve(host: str, port: int) -> list[str]:
    """Every address ``getaddrinfo`` gives for ``host`` (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def check_fetch_url(
    url: str,
    allow_private: bool = False,
    *,
    allow_hosts: Iterable[str] = (),
    resolve: Resolver | None = system_resolve,
) -> None:
    """Raise :class:`ForbiddenURL` unless ``url`` may be fetched for a user.

    The URL is read the way Scrapy will request it (``safe_url_string``). With
    ``allow_private`` only the scheme and host presence are checked. ``resolve`` (host, port)
    → addresses; None checks literal addresses and reserved names only, without DNS.
    """
    if not isinstance(url, str) or not url.strip():
        raise ForbiddenURL("empty URL", url)
    try:
        safe = safe_url_string(url.strip())
        parts = urlsplit(safe)
        port = parts.port
    except ValueError as exc:
        raise ForbiddenURL(f"malformed URL: {exc}", url) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ForbiddenURL(
            f"only http and https URLs are fetched, not {parts.scheme or 'a scheme-less'} URL",
            url,
        )
    host = unquote(parts.hostname or "")
    if not host:
        raise ForbiddenURL("the URL has no host", url)
    if allow_private:
        return
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    if _allowed(host, port, allow_hosts):
        return
    ip = parse_ip(host)
    if ip is not None:
        reason = forbidden_reason(ip)
        if reason:
            raise ForbiddenURL(reason, url)
        return
    name = host.lower().rstrip(".")
    if "." not in name or any(name == s or name.endswith("." + s) for s in _LOCAL_NAMES):
        raise ForbiddenURL(f"{name!r} is a local host name", url)
    if resolve is None:
        return
    try:
        addresses = resolve(name, port)
    except (OSError, UnicodeError) as exc:
        raise ForbiddenURL(f"host {name!r} does not resolve ({exc})", url) from None
    if not addresses:
        raise ForbiddenURL(f"host {name!r} does not resolve", url)
    for address in addresses:
        ip = parse_ip(address)
        reason = forbidden_reason(ip) if ip is not None else f"unusable address {address!r}"
        if reason:
            raise ForbiddenURL(f"{name} resolves to a {reason}", url)


# -- Scrapy --------------------------------------------------------------------------------
class FetchGuardMiddleware:
    """Downloader middleware: refuses every request (start URL, robots.txt, each redirect)
    that :func:`check_fetch_url` forbids, with ``IgnoreRequest("forbidden URL: …")``.

    Settings: ``CROSSPOST_FETCH_GUARD`` (on by default where the middleware is installed),
    ``CROSSPOST_FETCH_ALLOW_PRIVATE``, ``CROSSPOST_FETCH_ALLOW_HOSTS``. It sits first in the
    chain (priority 50), before robots.txt handling, so a forbidden host is not even asked
    for its robots.txt. Name resolution runs in a thread, off the reactor.
    """

    def __init__(self, allow_private: bool = False, allow_hosts: Iterable[str] = ()) -> None:
        self.allow_private = allow_private
        self.allow_hosts = tuple(allow_hosts)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchGuardMiddleware:
        from scrapy.exceptions import NotConfigured

        settings = crawler.settings
        if not settings.getbool("CROSSPOST_FETCH_GUARD", True):
            raise NotConfigured("CROSSPOST_FETCH_GUARD is off")
        return cls(
            settings.getbool("CROSSPOST_FETCH_ALLOW_PRIVATE", False),
            settings.getlist("CROSSPOST_FETCH_ALLOW_HOSTS", []),
        )

    def check(self, url: str) -> None:
        check_fetch_url(url, self.allow_private, allow_hosts=self.allow_hosts)

    async def process_request(self, request: Request) -> None:
        try:
            await deferred_to_future(deferToThread(self.check, request.url))
        except ForbiddenURL as exc:
            hops = request.meta.get("redirect_urls") or []
            via = f" (redirected from {hops[0]})" if hops else ""
            logger.warning("Refused %s%s: %s", request.url, via, exc.reason)
            raise IgnoreRequest(f"forbidden URL {request.url}{via}: {exc.reason}") from None
