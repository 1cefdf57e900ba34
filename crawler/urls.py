"""URL identity: the canonical form that keys an article, and the outlet a URL belongs to."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import courlan
import tldextract
from w3lib.url import canonicalize_url

# Reserved TLDs (RFC 2606/6761) are absent from the public suffix list; the sample web uses .test.
_RESERVED_SUFFIXES = ("test", "example", "invalid", "localhost")

# suffix_list_urls=() keeps tldextract on its bundled snapshot: it must never fetch at run time.
# Private suffixes count: x.blogspot.com and y.substack.com are different publishers.
_extract = tldextract.TLDExtract(
    suffix_list_urls=(),
    cache_dir=None,
    extra_suffixes=_RESERVED_SUFFIXES,
    include_psl_private_domains=True,
)


class BadURL(ValueError):
    """A URL that crosspost cannot use (not http(s), no host, unparsable)."""


def check_url(url: str) -> str:
    """Return ``url`` stripped, or raise :class:`BadURL` saying what is wrong with it."""
    if not isinstance(url, str) or not url.strip():
        raise BadURL("empty URL")
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port
    except ValueError as exc:
        raise BadURL(f"malformed URL {url!r}: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise BadURL(f"not an http(s) URL: {url!r}")
    if not parts.hostname:
        raise BadURL(f"URL has no host: {url!r}")
    if any(ch.isspace() or ch in '<>"{}|\\^`' for ch in parts.hostname):
        raise BadURL(f"URL has an invalid host name: {url!r}")
    return url


@lru_cache(maxsize=65536)
def canonical_url(url: str) -> str:
    """The identity of a page: courlan's normalisation (lower-case host, no default port, no
    tracking parameters, no fragment) followed by w3lib's canonical form (sorted query,
    consistent percent-encoding)."""
    url = check_url(url)
    try:
        return canonicalize_url(courlan.normalize_url(url))
    except ValueError as exc:  # both libraries reject some hosts check_url lets through
        raise BadURL(f"malformed URL {url!r}: {exc}") from None


def _host(url_or_host: str) -> str:
    value = url_or_host.strip()
    if "://" not in value and not value.startswith("//"):
        value = "//" + value
    try:
        return (urlsplit(value).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


@lru_cache(maxsize=65536)
def registered_domain(url_or_host: str) -> str | None:
    """The registered domain of a URL or host name (``www.globalresearch.ca`` →
    ``globalresearch.ca``), or None when it has no public suffix."""
    parts = _extract(_host(url_or_host))
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}"
    return None


def domain_label(domain: str) -> str:
    """The name part of a registered domain: ``southfront.org`` → ``southfront``."""
    return _extract(domain).domain.lower()


@lru_cache(maxsize=65536)
def outlet_of(url: str) -> str:
    """The outlet of a URL: its registered domain.

    Hosts without a public suffix (IP addresses, intranet names) are their own outlet.
    """
    host = _host(url)
    if not host:
        raise BadURL(f"URL has no host: {url!r}")
    return registered_domain(host) or host


def same_outlet(a: str, b: str) -> bool:
    return outlet_of(a) == outlet_of(b)
