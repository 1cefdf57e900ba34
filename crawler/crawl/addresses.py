"""Which IP addresses a user-triggered fetch may connect to, in every notation.

An address is refused when it is not a public unicast address: private, loopback,
link-local, multicast, unspecified, shared (CGNAT), or any block of the IANA IPv4 and IPv6
Special-Purpose Address Registries that the registry does not mark globally reachable. The
registries ship as data (``data/special_addresses.csv``) because Python's ``ipaddress``
flags lag behind them and differ between Python versions (``192.0.0.8``, ``3fff::/20`` and
``5f00::/16`` pass ``is_global`` on Python 3.11). IPv6 forms that carry an IPv4 address
(IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo) are judged by the IPv4 address inside,
and IPv4 is read in every notation ``inet_aton`` and browsers accept.

    forbidden_reason(parse_ip("0x7f.1"))   # "loopback address 127.0.0.1"
"""

from __future__ import annotations

import csv
import ipaddress
import logging
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

logger = logging.getLogger(__name__)

__all__ = ["IPAddress", "SpecialBlock", "forbidden_category", "forbidden_reason", "parse_ip",
           "special_block", "special_blocks"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")
# Anycast services inside these blocks answer from the nearest router, often the operator's
# own gateway: refused even where the registry marks them globally reachable.
_PROTOCOL_ASSIGNMENTS = (ipaddress.ip_network("192.0.0.0/24"), ipaddress.ip_network("2001::/23"))
_HEX, _DEC, _OCT = set("0123456789abcdefABCDEF"), set("0123456789"), set("01234567")


@dataclass(frozen=True)
class SpecialBlock:
    """One entry of an IANA special-purpose address registry."""

    network: Network
    name: str
    rfc: str
    globally_reachable: bool | None  # None: the registry says N/A

    @property
    def fetchable(self) -> bool:
        return self.globally_reachable is True and not any(
            self.network.version == block.version and self.network.subnet_of(block)
            for block in _PROTOCOL_ASSIGNMENTS)


@cache
def special_blocks() -> tuple[SpecialBlock, ...]:
    """The registries' blocks, most specific first."""
    text = (files("crawler.crawl") / "data" / "special_addresses.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    reachable = {"True": True, "False": False}
    blocks = [SpecialBlock(ipaddress.ip_network(row["block"]), row["name"], row["rfc"],
                           reachable.get(row["globally_reachable"]))
              for row in rows]
    return tuple(sorted(blocks, key=lambda b: -b.network.prefixlen))


def special_block(ip: IPAddress) -> SpecialBlock | None:
    """The most specific registry block holding ``ip``, or None."""
    for block in special_blocks():
        if block.network.version == ip.version and ip in block.network:
            return block
    return None


# -- notations -----------------------------------------------------------------------------
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


# -- judgement -----------------------------------------------------------------------------
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
    block = special_block(ip)
    if block is not None and not block.fetchable:
        return f"special-purpose ({block.name}, {block.rfc})"
    if not ip.is_global:
        return "non-public"
    return None


def _judge(ip: IPAddress) -> tuple[str, IPAddress, str] | None:
    """(category, address judged, how it was written) for a forbidden ``ip``, else None."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            form, inner = embedded
            why = _category(inner)
            # The embedded IPv4 address is where the packets end up.
            return (why, inner, f" ({form} in {ip})") if why else None
    why = _category(ip)
    return (why, ip, "") if why else None


def forbidden_reason(ip: IPAddress) -> str | None:
    """Why a fetch must not go to ``ip`` (e.g. ``"loopback address 127.0.0.1"``), or None
    when ``ip`` is a public address."""
    judged = _judge(ip)
    if judged is None:
        return None
    why, inner, form = judged
    return f"{why} address {inner}{form}"


def forbidden_category(ip: IPAddress) -> str | None:
    """The rule ``ip`` breaks without the address itself (``"loopback"``), or None."""
    judged = _judge(ip)
    return judged[0] if judged else None
