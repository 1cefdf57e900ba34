"""The registry of wire services, syndicators, aggregators and corporate parents, as data.

``agencies.toml`` (package data) lists each with its kind, display name, names in the
scripts it is written in, short forms and domains; an outlets file adds entries of its own
(``kind = "wire"``). A credit naming a registry entry resolves to its outlet and carries its
kind; an owner's name on one of its member outlets is that outlet's own notice.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

from crawler.urls import outlet_id

from .names import name_key

logger = logging.getLogger(__name__)

KINDS = ("wire", "syndicator", "aggregator", "outlet", "owner")
_DATA = "agencies.toml"
_FOUND_LIMIT = 1 << 16  # remembered find() answers before the memo starts over
T = TypeVar("T")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")


@dataclass(frozen=True)
class Source:
    """One registry entry. ``outlet`` is the outlet id credits to it resolve to."""

    name: str
    kind: str
    outlet: str | None
    names: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    members: tuple[str, ...] = ()


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    return tuple(str(v).strip() for v in value or () if str(v).strip())


def source_from(entry: Mapping[str, Any]) -> Source | None:
    """A :class:`Source` from a data-file or outlets-file entry, or None if it has no kind."""
    kind = str(entry.get("kind") or "").strip().lower()
    if kind not in KINDS:
        return None
    hosts = _strings(entry.get("hosts"))
    domains = tuple(
        d
        for d in (outlet_id(x) for x in _strings(entry.get("domains") or entry.get("domain")))
        if d
    )
    outlet = entry.get("outlet") or (outlet_id(hosts[0]) if hosts else None)
    outlet = outlet or (domains[0] if domains else None)
    name = str(entry.get("name") or outlet or "").strip()
    if not name:
        return None
    names = (name, *_strings(entry.get("names")), *_strings(entry.get("aliases")))
    return Source(
        name=name,
        kind=kind,
        outlet=str(outlet) if outlet else None,
        names=tuple(dict.fromkeys(names)),
        abbreviations=_strings(entry.get("abbreviations")),
        domains=tuple(dict.fromkeys((*domains, *(outlet_id(h) or "" for h in hosts)))),
        members=tuple(m for m in (outlet_id(x) for x in _strings(entry.get("members"))) if m),
    )


class Registry:
    """Registry entries by name key, short form and outlet."""

    def __init__(self, sources: Iterable[Source] = ()) -> None:
        self._by_key: dict[str, list[Source]] = {}
        self._by_abbr: dict[str, list[Source]] = {}
        self._by_outlet: dict[str, Source] = {}
        self._owners: dict[str, list[Source]] = {}
        self.sources: list[Source] = []
        self._names: list[tuple[str, Source]] | None = None
        self._names_count = 0
        # Lookups and tables derived from the entries, rebuilt when an entry is added: a scan
        # asks the same names thousands of times per page.
        self._found: dict[str, Source | None] = {}
        self._derived: dict[str, Any] = {}
        self._derived_count = 0
        for source in sources:
            self.add(source)

    def add(self, source: Source) -> None:
        self.sources.append(source)
        self._found.clear()
        self._derived.clear()
        for name in source.names:
            key = name_key(name)
            if len(key) >= 2:
                self._by_key.setdefault(key, []).insert(0, source)
        for abbr in source.abbreviations:
            self._by_abbr.setdefault(abbr.strip("()[] "), []).insert(0, source)
        if source.kind == "owner":
            for member in source.members:
                self._owners.setdefault(member, []).append(source)
        else:
            for domain in (source.outlet, *source.domains):
                if domain:
                    self._by_outlet[domain] = source

    def extend(self, entries: Iterable[Mapping[str, Any]]) -> None:
        """Add outlets-file entries that carry a ``kind``; others are plain outlets."""
        for entry in entries:
            source = source_from(entry)
            if source:
                self.add(source)

    def find(self, name: str | None) -> Source | None:
        """The entry a name or short form stands for (owners excluded), or None."""
        if not name:
            return None
        if len(self._found) > _FOUND_LIMIT:
            self._found.clear()
        try:
            return self._found[name]
        except KeyError:
            found = self._found[name] = self._find(name)
            return found

    def _find(self, name: str) -> Source | None:
        name = name.strip(" ()[]（）/.,:;-–—")
        bare = _LEADING_THE.sub("", name)  # "The AP"
        for candidates in (
            self._by_abbr.get(name),
            self._by_abbr.get(bare),
            self._by_key.get(name_key(name)),
        ):
            found = [s for s in candidates or () if s.kind != "owner"]
            if found:
                return found[0]
        return None

    def is_short_form(self, name: str) -> bool:
        """True when ``name`` is written exactly as an entry's short form ("AP", "dpa")."""
        return name.strip(" ()[]（）/.") in self._by_abbr

    def of_outlet(self, outlet: str | None) -> Source | None:
        return self._by_outlet.get(outlet or "")

    def owners_of(self, outlet: str | None) -> list[Source]:
        return list(self._owners.get(outlet or "", ()))

    def is_owner_name(self, name: str, outlet: str | None) -> bool:
        """True when ``name`` is the outlet's corporate parent ("CBS Interactive" on cnet.com)."""
        key = name_key(name)
        return any(key in self.owner_keys(owner) for owner in self.owners_of(outlet))

    def owner_keys(self, owner: Source) -> frozenset[str]:
        """The name keys of an owner entry ("Paramount Global" -> {"paramountglobal"})."""
        keys: dict[Source, frozenset[str]] = self.derived("owner_keys", lambda _: {})
        if owner not in keys:
            keys[owner] = frozenset(name_key(n) for n in owner.names)
        return keys[owner]

    def derived(self, key: str, build: Callable[[Registry], T]) -> T:
        """A table built from the entries once (``build(self)``) and kept until an entry is
        added, so per-registry constants are not rebuilt on every scan."""
        if self._derived_count != len(self.sources):
            # ``sources`` is a public list: an entry appended to it directly counts too.
            self._derived.clear()
            self._found.clear()
            self._derived_count = len(self.sources)
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = build(self)
            return value

    def names(self) -> list[tuple[str, Source]]:
        """Every (name or short form, entry) pair, longest first, owners excluded."""
        if self._names is None or self._names_count != len(self.sources):
            self._names = self._sorted_names()
            self._names_count = len(self.sources)
        return self._names

    def _sorted_names(self) -> list[tuple[str, Source]]:
        pairs = [
            (n, s) for s in self.sources if s.kind != "owner" for n in (*s.names, *s.abbreviations)
        ]
        return sorted(pairs, key=lambda p: -len(p[0]))


@lru_cache(maxsize=1)
def _builtin() -> tuple[Source, ...]:
    try:
        text = resources.files(__package__).joinpath(_DATA).read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        logger.error("cannot read the credits registry %s: %s", _DATA, exc)
        return ()
    return tuple(s for s in (source_from(e) for e in data.get("source", [])) if s)


def default_registry() -> Registry:
    """A fresh registry holding the built-in entries (callers may extend their copy)."""
    return Registry(_builtin())


@lru_cache(maxsize=1)
def shared_registry() -> Registry:
    """The built-in registry, shared read-only by every scan that has no directory of its own."""
    return default_registry()
