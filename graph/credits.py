"""What each member of a family credits: another member, or a source outside the family.

A credit names a member by its URL, by its outlet (the outlet's member that shares most text
with the copy) or by ``rel=canonical``. A credit naming nobody in the family names an outside
source: a wire agency, a print issue, an outlet whose story was not crawled. Outside sources
are grouped by identity (domain, else the name as written) so that three copies crediting
"AP", "The Associated Press" and apnews.com credit one source. Aggregators (Yahoo News, MSN,
Google News) label other outlets' stories and are never a source of their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .decisions import EXTERNAL_PREFIX
from .evidence import EvidenceIndex, score
from .families import host_in_outlet, url_host_outlet
from .records import AGGREGATOR, Attribution

# Attribution kinds naming the page a copy was taken from, rather than the story's first
# publisher ("originally published at"): prefer them when a page names both.
_IMMEDIATE_KINDS = {"via", "republished", "reprinted", "source-url", "source"}
_NAME_KEY = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Credit:
    """Copy ``copy`` credits ``source`` (a member of its family, or an external origin key)."""

    copy: str
    source: str
    basis: str  # "attribution", "metadata" or "canonical"
    resolved_by: str  # "url", "outlet", "canonical" or "external"
    attribution: Attribution | None = None

    def priority(self) -> tuple[int, int]:
        kind = self.attribution.kind if self.attribution else "canonical"
        kind_rank = 0 if kind in _IMMEDIATE_KINDS else 1 if self.basis == "canonical" else 2
        order = {"url": 0, "canonical": 1, "outlet": 2, "external": 3}
        return (kind_rank, order[self.resolved_by])

    @property
    def visible(self) -> bool:
        """Whether a reader of the copy sees this credit."""
        return self.basis == "attribution"

    def label(self) -> str:
        if self.attribution is None:
            return "rel=canonical"
        at = self.attribution
        return f"“{at.sentence}”" if at.sentence else at.kind


def basis_of(at: Attribution) -> str:
    """The ``basis`` entry a credit gives: only words a reader sees are ``attribution``."""
    if at.kind == "canonical" or at.form == "canonical":
        return "canonical"
    return "attribution" if at.visible else "metadata"


def outside_key(at: Attribution) -> str | None:
    """The identity of the source an outside credit names, or None if it names nothing."""
    if at.outlet:
        return EXTERNAL_PREFIX + at.outlet
    if at.name and _NAME_KEY.sub("", at.name.casefold()):
        return EXTERNAL_PREFIX + _NAME_KEY.sub("", at.name.casefold())
    if at.url:
        host = url_host_outlet(at.url)
        return EXTERNAL_PREFIX + host if host else None
    return None


def can_originate(at: Attribution) -> bool:
    """Whether the source an outside credit names may be a family's origin."""
    return at.source_kind != AGGREGATOR


class MemberCredits:
    """Credits of one family's members, resolved against the family."""

    def __init__(
        self, index: EvidenceIndex, members: list[str], order: Callable[[str], tuple]
    ) -> None:
        self.index = index
        self.member_set = set(members)
        self.order = order
        self.by_outlet: dict[str, list[str]] = {}
        for url in members:
            self.by_outlet.setdefault(index.articles[url].outlet, []).append(url)

    def _outlet_member(self, url: str, outlet: str) -> str | None:
        candidates = [m for m in self.by_outlet.get(outlet, ()) if m != url]
        if not candidates:
            return None
        return min(candidates, key=lambda m: (-score(self.index.match(url, m)), self.order(m)))

    def of(self, url: str) -> tuple[list[Credit], list[Attribution]]:
        """What ``url`` credits inside its family, and credits naming no member."""
        own = self.index.articles[url]
        found: list[Credit] = []
        outside: list[Attribution] = []
        for at in self.index.attributions.get(url, ()):
            if at.url and at.url in self.member_set and at.url != url:
                found.append(Credit(url, at.url, basis_of(at), "url", at))
                continue
            if at.outlet and at.outlet != own.outlet:
                target = self._outlet_member(url, at.outlet)
                if target is not None:
                    found.append(Credit(url, target, basis_of(at), "outlet", at))
                    continue
            names_other = (at.url and at.url != url) or (at.outlet and at.outlet != own.outlet)
            # A source named only in words counts once the parser knows what it is (an
            # agency, a print title): an unresolved name alone may be a date or a place.
            names_other = names_other or bool(
                not at.outlet and not at.url and at.name and at.source_kind
            )
            if names_other and basis_of(at) != "canonical":
                outside.append(at)
        found.extend(self._canonical(url))
        return found, outside

    def _canonical(self, url: str) -> list[Credit]:
        own = self.index.articles[url]
        canonical = own.declared_canonical
        if not canonical or canonical == url:
            return []
        if canonical in self.member_set:
            return [Credit(url, canonical, "canonical", "canonical")]
        if host_in_outlet(canonical, own.outlet):
            return []
        for outlet in self.by_outlet:
            if outlet != own.outlet and host_in_outlet(canonical, outlet):
                target = self._outlet_member(url, outlet)
                return [] if target is None else [Credit(url, target, "canonical", "canonical")]
        return []

    def canonical_to(self, url: str, source: str) -> bool:
        """Whether ``url``'s rel=canonical also points at ``source`` (or its outlet)."""
        canonical = self.index.articles[url].declared_canonical
        if not canonical:
            return False
        if canonical == source:
            return True
        return canonical not in self.member_set and host_in_outlet(
            canonical, self.index.articles[source].outlet
        )
