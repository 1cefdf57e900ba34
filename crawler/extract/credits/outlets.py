"""Resolve the outlet names written in attribution statements to registered domains.

Attribution text names its source loosely ("South Front", "SouthFront", "southfront.org",
"The Daily Ledger"), so names are compared by a key that ignores case, spacing, punctuation
and a leading "The". A key that points at two different domains resolves to nothing: a wrong
edge in the republication graph is worse than a missing one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

from crawler.urls import domain_label, registered_domain

_DOMAINISH = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://)?(?:[\w-]+\.)+[a-z][\w-]*(?::\d+)?(?:[/?#]\S*)?$", re.IGNORECASE
)

# Wire services are named in datelines by short codes that no site name uses.
WIRE_SERVICES: dict[str, str] = {
    "ap": "apnews.com",
    "associatedpress": "apnews.com",
    "reuters": "reuters.com",
    "thomsonreuters": "reuters.com",
    "afp": "afp.com",
    "agencefrancepresse": "afp.com",
    "upi": "upi.com",
    "unitedpressinternational": "upi.com",
    "bloomberg": "bloomberg.com",
    "dpa": "dpa.com",
    "xinhua": "xinhuanet.com",
    "tass": "tass.com",
    "pti": "ptinews.com",
    "ians": "ians.in",
    "ani": "aninews.in",
    "cnn": "cnn.com",
    "efe": "efe.com",
    "ansa": "ansa.it",
    "kyodo": "kyodonews.net",
    "yonhap": "yna.co.kr",
}


def looks_like_domain(text: str) -> bool:
    """True for ``southfront.org``, ``www.SHTFplan.com`` or a URL; false for ``St. Louis``."""
    text = text.strip()
    if not _DOMAINISH.match(text):
        return False
    return registered_domain(text) is not None


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """The comparison key of an outlet name: ``The South-Front®`` -> ``southfront``."""
    text = unicodedata.normalize("NFKD", name).casefold()
    text = text.replace("&", "and")
    text = re.sub(r"^\W*the\b", "", text)
    return "".join(ch for ch in text if ch.isalnum())


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

    def __init__(self, names: Mapping[str, str] | None = None) -> None:
        self._by_key: dict[str, set[str]] = {}
        self._names: dict[str, set[str]] = {}
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
            domain = str(record.get("domain") or record.get("url") or "")
            if not domain:
                continue
            directory.add_domain(domain)
            aliases = record.get("aliases") or []
            names = [record.get("name"), *([aliases] if isinstance(aliases, str) else aliases)]  # type: ignore[list-item]
            for name in names:
                if name:
                    directory.add(str(name), domain)
        return directory

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
        return WIRE_SERVICES.get(key)

    def __contains__(self, domain: object) -> bool:
        return isinstance(domain, str) and (registered_domain(domain) or domain) in self._names

    def __len__(self) -> int:
        return len(self._names)
