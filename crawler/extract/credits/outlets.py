"""Resolve the outlet names written in attribution statements to registered domains.

Attribution text names its source loosely ("South Front", "SouthFront", "southfront.org",
"The Daily Ledger"), so names are compared by a key that ignores case, spacing, punctuation
and a leading "The". A key that points at two different domains resolves to nothing: a wrong
edge in the republication graph is worse than a missing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from crawler.urls import add_outlet_host, domain_label, outlet_id

from .names import looks_like_domain, name_key
from .registry import Registry, Source, default_registry, shared_registry, source_from


def registered_domain(url_or_domain: str) -> str | None:
    """The outlet a URL or domain belongs to (its registered domain, or a multi-brand host's
    own outlet: ``abcnews.go.com``), or None when it has no public suffix."""
    return outlet_id(url_or_domain)


@lru_cache(maxsize=1)
def _wire_services() -> dict[str, str]:
    # Name keys of the registry's wire services -> outlet (kept for callers of the old table).
    table: dict[str, str] = {}
    for source in shared_registry().sources:
        if source.kind == "wire" and source.outlet:
            for name in (*source.names, *source.abbreviations):
                table.setdefault(name_key(name), source.outlet)
    return table


def __getattr__(name: str) -> Any:
    # WIRE_SERVICES is built on first use: reading the registry at import would slow every CLI start.
    if name == "WIRE_SERVICES":
        return _wire_services()
    raise AttributeError(name)


@lru_cache(maxsize=1 << 16)
def _domain_keys(domain: str) -> frozenset[str]:
    label = domain_label(domain)
    keys = {name_key(label), name_key(domain)}
    if label.startswith("the") and len(label) > 6:
        keys.add(name_key(label[3:]))
    return frozenset(k for k in keys if len(k) >= 3)


class OutletDirectory:
    """Outlet names and aliases mapped to registered domains.

    Fed from the outlets registry, from site names seen on crawled pages (``og:site_name``)
    and from link targets; the last only teaches the domain's own label ("southfront").
    """

    def __init__(
        self, names: Mapping[str, str] | None = None, registry: Registry | None = None
    ) -> None:
        self._by_key: dict[str, set[str]] = {}
        self._names: dict[str, set[str]] = {}
        self._registry = registry
        for name, domain in (names or {}).items():
            self.add(name, domain)

    @classmethod
    def from_registry(
        cls, registry: Mapping[str, object] | Iterable[Mapping[str, object]]
    ) -> OutletDirectory:
        """Build from ``{domain: name | [name, alias, ...]}`` or records with ``domain``, ``name``, ``aliases``."""
        directory = cls()
        if isinstance(registry, Mapping):
            for domain, names in registry.items():
                for name in [names] if isinstance(names, str) else list(names or []):  # type: ignore[call-overload]
                    directory.add(str(name), str(domain))
                directory.add_domain(str(domain))
            return directory
        for record in registry:
            if record.get("domains") or record.get("hosts"):
                directory.add_entry(record)  # an outlets-file entry
                continue
            domain = str(record.get("domain") or record.get("url") or "")
            if not domain:
                continue
            directory.add_domain(domain)
            aliases = record.get("aliases") or []
            names = [record.get("name"), *([aliases] if isinstance(aliases, str) else aliases)]  # type: ignore[list-item]
            for name in names:
                if name:
                    directory.add(str(name), domain)
            directory.add_source(record)
        return directory

    @property
    def registry(self) -> Registry:
        """Wire services, syndicators, aggregators and owners known to this directory."""
        return self._registry or shared_registry()

    def add_source(self, entry: Mapping[str, Any]) -> Source | None:
        """Add an outlets-file entry with a ``kind`` (wire, syndicator, aggregator, owner)
        to this directory's registry; entries without one are plain outlets."""
        source = source_from(entry)
        if source is None:
            return None
        if self._registry is None:
            self._registry = default_registry()
        self._registry.add(source)
        return source

    def add_entry(self, entry: Mapping[str, Any]) -> None:
        """Add an outlets-file entry ``{"name", "domains", "aliases", "kind", ...}``."""
        hosts = [str(h) for h in entry.get("hosts") or []]
        for host in hosts:
            add_outlet_host(host, hosts[0].split("/")[0])
        domains = list(entry.get("domains") or []) or hosts[:1]
        for domain in domains:
            self.add_domain(str(domain))
            for name in [entry.get("name"), *(entry.get("aliases") or [])]:
                if name:
                    self.add(str(name), str(domain))
        self.add_source(entry)

    def source_for(self, name_or_outlet: str | None) -> Source | None:
        """The registry entry a name ("Associated Press", "AP") or outlet id stands for."""
        if not name_or_outlet:
            return None
        return self.registry.of_outlet(name_or_outlet) or self.registry.find(name_or_outlet)

    def add(self, name: str, url_or_domain: str) -> None:
        """Register a display name or alias (registry entry, or ``og:site_name`` of a page)."""
        domain = registered_domain(url_or_domain)
        key = name_key(name)
        if not domain or len(key) < 2:
            return
        self._by_key.setdefault(key, set()).add(domain)
        self._names.setdefault(domain, set()).add(name.strip())
        self.add_domain(domain)

    add_site_name = add

    def add_domain(self, url_or_domain: str) -> None:
        """Register a domain seen as a link target, so that its label resolves to it."""
        domain = registered_domain(url_or_domain)
        if not domain:
            return
        self._names.setdefault(domain, set())
        for key in _domain_keys(domain):
            self._by_key.setdefault(key, set()).add(domain)

    def names_for(self, domain: str) -> set[str]:
        """Display names known for a domain."""
        return set(self._names.get(registered_domain(domain) or domain, ()))

    def keys_for(self, domain: str) -> set[str]:
        """All name keys that resolve to ``domain``, including those of its label."""
        domain = registered_domain(domain) or domain
        return {name_key(n) for n in self._names.get(domain, ())} | _domain_keys(domain)

    def resolve(self, name: str | None) -> str | None:
        """The domain a name, domain or URL refers to, or None when unknown or ambiguous."""
        if not name or not name.strip():
            return None
        name = name.strip()
        if looks_like_domain(name):
            return registered_domain(name)
        key = name_key(name)
        domains = self._by_key.get(key)
        if domains and len(domains) == 1:
            return next(iter(domains))
        if domains:
            return None
        source = self.registry.find(name)
        return source.outlet if source else None

    def __contains__(self, domain: object) -> bool:
        return isinstance(domain, str) and (registered_domain(domain) or domain) in self._names

    def __len__(self) -> int:
        return len(self._names)
