"""URL identity: the canonical form that keys an article, and the outlet a URL belongs to."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
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


# Outlets that share a registered domain with others (abcnews.go.com, news.yahoo.com) are
# listed, with the wire services, in the credits registry; read as a data file here so that
# URL identity does not depend on the credit parser.
_REGISTRY_FILE = Path(__file__).parent / "extract" / "credits" / "agencies.toml"
# registered domain -> [(host, path prefix, outlet)], longest host and path first
_brand_hosts: dict[str, list[tuple[str, str, str]]] = {}
_brands_loaded = False


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


def _load_brand_hosts() -> None:
    global _brands_loaded
    if _brands_loaded:
        return
    _brands_loaded = True
    try:
        data = tomllib.loads(_REGISTRY_FILE.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):  # the package data is missing: plain domains
        return
    for entry in data.get("source", []):
        hosts = entry.get("hosts") or []
        outlet = entry.get("outlet") or (hosts[0].split("/")[0] if hosts else None)
        for spec in hosts:
            _add_brand_host(spec, outlet)


def _add_brand_host(spec: str, outlet: str) -> None:
    host, _, path = spec.strip().lower().removeprefix("www.").partition("/")
    domain = registered_domain(host)
    if not domain or not outlet:
        return
    rules = _brand_hosts.setdefault(domain, [])
    rule = (host, "/" + path.strip("/") if path else "", outlet.lower().removeprefix("www."))
    if rule not in rules:
        rules.append(rule)
        rules.sort(key=lambda r: (-len(r[0]), -len(r[1])))


def add_outlet_host(spec: str, outlet: str | None = None) -> None:
    """Make a host (``abcnews.go.com``) or host and path (``yahoo.com/news``) an outlet of
    its own, ``outlet`` (default: the host), instead of part of its registered domain."""
    _load_brand_hosts()
    _add_brand_host(spec, outlet or spec.split("/")[0])
    outlet_of.cache_clear()
    outlet_id.cache_clear()


def _brand_outlet(host: str, domain: str, url: str) -> str | None:
    rules = _brand_hosts.get(domain)
    if not rules:
        return None
    path = None
    for rule_host, prefix, outlet in rules:
        if host != rule_host and not host.endswith("." + rule_host):
            continue
        if prefix:
            if path is None:
                path = _path(url)
            if not (path == prefix or path.startswith(prefix + "/")):
                continue
        return outlet
    return None


def _path(url: str) -> str:
    value = url.strip()
    if "://" not in value and not value.startswith("//"):
        value = "//" + value
    try:
        return urlsplit(value).path.lower().rstrip("/")
    except ValueError:
        return ""


@lru_cache(maxsize=65536)
def outlet_id(url_or_host: str) -> str | None:
    """The outlet of a URL, host or domain, or None when it has no public suffix: its
    registered domain, or its own outlet on a shared domain (``abcnews.go.com``)."""
    _load_brand_hosts()
    host = _host(url_or_host)
    domain = registered_domain(host) if host else None
    if not domain:
        return None
    return _brand_outlet(host, domain, url_or_host) or domain


@lru_cache(maxsize=65536)
def outlet_of(url: str) -> str:
    """The outlet of a URL: its registered domain, or the outlet a shared domain's host
    stands for (``abcnews.go.com`` is ABC News, not go.com; ``news.yahoo.com`` Yahoo News).

    Hosts without a public suffix (IP addresses, intranet names) are their own outlet.
    """
    host = _host(url)
    if not host:
        raise BadURL(f"URL has no host: {url!r}")
    return outlet_id(url) or host


def brand_of(url_or_host: str) -> str:
    """A host's name without its public suffix and ``www``, letters and digits only:
    ``jamaica.gleaner.com`` and ``jamaica-gleaner.com`` are both ``jamaicagleaner``. One
    publication's domains often differ only in how they join the same words."""
    parts = _extract(_host(url_or_host))
    name = ".".join(p for p in (parts.subdomain, parts.domain) if p).lower()
    name = name.removeprefix("www.")
    return "".join(c for c in name if c.isalnum())


def same_outlet(a: str, b: str) -> bool:
    return outlet_of(a) == outlet_of(b)
