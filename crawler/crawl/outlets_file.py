"""Outlets files: the list of outlets a crawl job covers, in TOML.

```toml
[defaults]                 # optional, for every outlet below
delay = 1.0                # seconds between requests to one outlet
max_pages = 5000           # requests per outlet and run

[[outlet]]
name = "South Front"                       # display name; resolves in attribution text
domains = ["southfront.org"]
aliases = ["SouthFront", "South Front Analysis"]
start = ["https://southfront.org/"]        # site roots or article pages
sitemaps = ["https://southfront.org/sitemap_index.xml"]
feeds = ["https://southfront.org/feed/"]
max_pages = 1000
delay = 2.0

[[outlet]]                                 # a wire service credited by copies
name = "Agenzia Nova"
kind = "wire"                              # wire, syndicator, aggregator, outlet or owner
domains = ["agenzianova.com"]
abbreviations = ["Nova"]                   # short forms, matched as written: "(Nova) -"

[[outlet]]                                 # an outlet on a shared domain
name = "ABC News"
hosts = ["abcnews.go.com"]                 # host (or host/path) that is its own outlet
```

``kind``, ``abbreviations`` and ``hosts`` are optional; see docs/credits.md.

An outlet with no start URL, sitemap or feed starts at ``https://<first domain>/``.
YAML is read as well when PyYAML is installed (same keys, ``outlet`` a list).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.urls import BadURL, add_outlet_host, check_url, outlet_of

SOURCE_KINDS = ("wire", "syndicator", "aggregator", "outlet", "owner")


class OutletsFileError(ValueError):
    """The outlets file cannot be read or is malformed; the message says where."""


@dataclass(frozen=True)
class OutletEntry:
    name: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    start: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    max_pages: int | None = None
    delay: float | None = None
    kind: str | None = None  # wire, syndicator, aggregator, outlet, owner (credits registry)
    abbreviations: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()

    @property
    def start_urls(self) -> list[str]:
        urls = [*self.start, *self.sitemaps, *self.feeds]
        return urls or [f"https://{self.domains[0]}/"]

    def registry_entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "name": self.name, "domains": list(self.domains), "aliases": list(self.aliases)
        }
        if self.kind:
            entry["kind"] = self.kind
        if self.abbreviations:
            entry["abbreviations"] = list(self.abbreviations)
        if self.hosts:
            entry["hosts"] = list(self.hosts)
        return entry


@dataclass
class OutletsFile:
    outlets: list[OutletEntry] = field(default_factory=list)

    @property
    def start_urls(self) -> list[str]:
        return [url for entry in self.outlets for url in entry.start_urls]

    def registry(self) -> list[dict[str, Any]]:
        return [entry.registry_entry() for entry in self.outlets]

    def limits(self) -> dict[str, dict[str, Any]]:
        """Per outlet (registered domain): ``max_pages`` and ``delay`` where set."""
        limits: dict[str, dict[str, Any]] = {}
        for entry in self.outlets:
            values = {k: v for k, v in (("max_pages", entry.max_pages), ("delay", entry.delay))
                      if v is not None}
            if values:
                for domain in entry.domains:
                    limits[outlet_of(domain)] = values
        return limits


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise OutletsFileError(f"{where}: expected a string or a list of strings")
    return tuple(v.strip() for v in value)


def _number(value: Any, where: str, kind: type) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise OutletsFileError(f"{where}: expected a non-negative number")
    if kind is int and (not isinstance(value, int) or value < 1):
        raise OutletsFileError(f"{where}: expected a whole number of at least 1")
    return kind(value)


def _entry(raw: Any, n: int, defaults: dict[str, Any]) -> OutletEntry:
    where = f"outlet #{n}"
    if not isinstance(raw, dict):
        raise OutletsFileError(f"{where}: expected a table of keys")
    known = {"name", "domains", "domain", "aliases", "start", "sitemaps", "feeds", "max_pages",
             "delay", "kind", "abbreviations", "hosts"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise OutletsFileError(f"{where}: unknown key(s) {', '.join(unknown)}")
    kind = raw.get("kind")
    if kind is not None and (not isinstance(kind, str) or kind.strip().lower() not in SOURCE_KINDS):
        raise OutletsFileError(f"{where} kind: expected one of {', '.join(SOURCE_KINDS)}")
    hosts = tuple(h.lower().removeprefix("www.") for h in _strings(raw.get("hosts"), f"{where} hosts"))
    for host in hosts:
        # A host of a shared domain is its own outlet (abcnews.go.com), here and in URL identity.
        add_outlet_host(host, hosts[0].split("/")[0])
    domains = _strings(raw.get("domains", raw.get("domain")), f"{where} domains")
    if not domains and hosts:
        domains = (hosts[0].split("/")[0],)
    urls = {key: _strings(raw.get(key), f"{where} {key}") for key in ("start", "sitemaps", "feeds")}
    try:
        for key, values in urls.items():
            urls[key] = tuple(check_url(v) for v in values)
        if not domains:
            domains = tuple(dict.fromkeys(outlet_of(u) for v in urls.values() for u in v))
        domains = tuple(d.lower().removeprefix("www.") for d in domains)
    except BadURL as exc:
        raise OutletsFileError(f"{where}: {exc}") from None
    if not domains:
        raise OutletsFileError(f"{where}: give its domains or at least one start URL")
    name = raw.get("name") or domains[0]
    if not isinstance(name, str):
        raise OutletsFileError(f"{where} name: expected a string")
    where = f"outlet {name!r}"
    return OutletEntry(
        name=name.strip(),
        domains=domains,
        aliases=_strings(raw.get("aliases"), f"{where} aliases"),
        start=urls["start"],
        sitemaps=urls["sitemaps"],
        feeds=urls["feeds"],
        max_pages=_number(raw.get("max_pages", defaults.get("max_pages")), f"{where} max_pages", int),
        delay=_number(raw.get("delay", defaults.get("delay")), f"{where} delay", float),
        kind=kind.strip().lower() if kind else None,
        abbreviations=_strings(raw.get("abbreviations"), f"{where} abbreviations"),
        hosts=hosts,
    )


def _load_yaml(text: str, path: Path) -> Any:
    try:
        import yaml
    except ImportError:
        raise OutletsFileError(
            f"{path}: YAML outlets files need PyYAML (pip install pyyaml); or use TOML"
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise OutletsFileError(f"{path}: {exc}") from None


def load_outlets(path: str | Path) -> OutletsFile:
    """Read an outlets file (TOML, or YAML by extension). Raises :class:`OutletsFileError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OutletsFileError(f"cannot read {path}: {exc}") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        data = _load_yaml(text, path)
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise OutletsFileError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise OutletsFileError(f"{path}: expected [[outlet]] tables")
    raw_outlets = data.get("outlet", data.get("outlets"))
    if not isinstance(raw_outlets, list) or not raw_outlets:
        raise OutletsFileError(f"{path}: no [[outlet]] tables")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise OutletsFileError(f"{path}: [defaults] must be a table")
    try:
        return OutletsFile([_entry(raw, n, defaults) for n, raw in enumerate(raw_outlets, 1)])
    except OutletsFileError as exc:
        raise OutletsFileError(f"{path}: {exc}") from None
