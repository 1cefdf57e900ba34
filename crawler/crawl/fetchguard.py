"""The fetch guard: which URLs a user-triggered fetch may request.

``crosspost lookup --fetch`` and the HTTP API fetch URLs that a user typed. Without a guard
that is a server-side request forgery hole: a URL (or a redirect) pointing at 127.0.0.1, the
cloud metadata service at 169.254.169.254, or a private network would be fetched from the
operator's machine. The guard refuses:

- schemes other than http and https;
- hosts that are, or resolve to, an address that is not public: private, loopback,
  link-local, multicast, reserved, unspecified, shared (CGNAT), and every block of the IANA
  special-purpose registries not marked globally reachable (:mod:`crawler.crawl.addresses`)
  — IPv4 and IPv6 alike, including IPv6 forms that embed an IPv4 address
  (IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``, NAT64 ``64:ff9b::/96``,
  6to4 ``2002::/16`` and Teredo ``2001::/32``);
- IPv4 written the ways browsers and ``inet_aton`` accept: decimal ``2130706433``, octal
  ``017700000001``, hex ``0x7f000001``, mixed and short forms ``0x7f.1``, ``127.1``;
- host names that do not resolve (a proxy could resolve them to anything) and names
  reserved for local use (``localhost``, ``*.local``, ``*.internal``, ``*.home.arpa``).

Names are resolved here with ``getaddrinfo`` and refused if ANY address is forbidden. The
check runs again for every request a fetch makes, redirects and robots.txt included, in
:class:`crawler.crawl.guardmiddleware.FetchGuardMiddleware`; and since a DNS server may
answer a second query differently (DNS rebinding), the addresses Scrapy connects to are
checked once more where they are resolved, in :class:`crawler.crawl.resolver.GuardedResolver`:
the address checked is the address connected to. Behind a proxy the proxy is not checked (it
is the operator's own choice, often on loopback); the target host is, but the proxy resolves
it again itself (docs/security.md).

Two escape hatches, off by default: ``allow_private`` (setting
``CROSSPOST_FETCH_ALLOW_PRIVATE``) turns the address checks off entirely, for demos and
tests on loopback; ``allow_hosts`` (setting ``CROSSPOST_FETCH_ALLOW_HOSTS``) names exact
``host`` or ``host:port`` entries, or ``.suffix`` for a domain and its subdomains, that may
be fetched whatever they resolve to.

    check_fetch_url("http://0x7f.1/")   # raises ForbiddenURL("... loopback address 127.0.0.1")
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterable
from urllib.parse import unquote, urlsplit

from w3lib.url import safe_url_string

from crawler.crawl.addresses import forbidden_category, forbidden_reason, parse_ip

logger = logging.getLogger(__name__)

__all__ = [
    "RESOLVES_TO_NON_PUBLIC",
    "ForbiddenURL",
    "check_addresses",
    "check_fetch_url",
    "forbidden_category",
    "forbidden_reason",
    "host_allowed",
    "parse_ip",
    "system_resolve",
]

Resolver = Callable[[str, int], list[str]]

_LOCAL_NAMES = ("localhost", "localdomain", "local", "internal", "intranet", "lan", "home.arpa")
#: What an HTTP client is told when a name resolves to a refused address: the rule, never
#: the address (which would map the operator's internal network for the asker).
RESOLVES_TO_NON_PUBLIC = ("its host resolves to an address that is not public (private, "
                          "loopback, link-local, multicast, reserved or special-purpose)")


class ForbiddenURL(ValueError):
    """A URL the guard will not fetch; ``reason`` says why, in words a user understands.
    ``rule`` says which rule refused it without naming any address learnt from DNS."""

    def __init__(self, reason: str, url: str | None = None, *, rule: str | None = None) -> None:
        self.reason = reason
        self.url = url
        self.rule = rule or reason
        super().__init__(f"refusing to fetch {url}: {reason}" if url else reason)


# -- hosts and URLs ------------------------------------------------------------------------
def host_allowed(host: str, port: int | None, allow_hosts: Iterable[str]) -> bool:
    """Whether ``host``:``port`` matches an ``allow_hosts`` entry (``host``, ``host:port``,
    ``[v6]:port`` or ``.suffix``)."""
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
    if host_allowed(host, port, allow_hosts):
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
    check_addresses(name, addresses, url)


def check_addresses(name: str, addresses: Iterable[str], url: str | None = None) -> None:
    """Raise :class:`ForbiddenURL` if any of the addresses ``name`` resolved to is refused."""
    for address in addresses:
        ip = parse_ip(address)
        reason = forbidden_reason(ip) if ip is not None else f"unusable address {address!r}"
        if reason:
            raise ForbiddenURL(f"{name} resolves to a {reason}", url, rule=RESOLVES_TO_NON_PUBLIC)
