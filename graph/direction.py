"""Who was first: one origin per story family, and for each copy what it was copied from.

Direction rule (DESIGN.md, "Evidence and direction"):

1. A copy's own statement beats everything: an attribution ("The original source of this
   article is South Front", "via X", a "Source: URL" link) or a ``rel=canonical`` pointing at
   another outlet makes the credited article the copy's source. A chain A→B→C arises when C
   credits B and B credits A.
2. Copies that credit nobody get a source from text and time: the best-matching member that
   is dated earlier, or the origin.
3. The origin is the earliest *credited* root when anyone credits a source, otherwise the
   earliest member. Times come from :mod:`graph.timing` (page date > stated date > sitemap
   lastmod > first seen).

Disagreements are never silently resolved: a source dated after the copy crediting it, a
member dated before the credited origin, attribution cycles (A credits B, B credits A), date
ties, undated families and pages crediting more than one outlet are listed as
:class:`Conflict` on the family, and lower the confidence of the decisions they touch. A copy
that credits no source in words is ``attributed=False`` (a ``rel=canonical`` alone still names
its source, but no reader sees it).

Result types live in :mod:`graph.decisions` and are re-exported here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from .decisions import Conflict, CopyLink, Family, Provenance
from .families import UnionFind, host_in_outlet, is_site_root, url_host_outlet
from .records import Article, Attribution, Match
from .timing import (
    FIRST_SEEN,
    LABELS,
    LASTMOD,
    NO_DATE,
    PAGE,
    STATED,
    TimeEvidence,
    best_time,
    lag_hours,
    time_iso,
)

logger = logging.getLogger(__name__)

# Attribution kinds naming the page a copy was taken from, rather than the story's first
# publisher ("originally published at"): prefer them when a page names both.
_IMMEDIATE_KINDS = {"via", "republished", "reprinted", "source-url", "source"}
_TIME_CONFIDENCE = {PAGE: 0.8, STATED: 0.7, LASTMOD: 0.6, FIRST_SEEN: 0.5, NO_DATE: 0.3}
_CONFLICT_PENALTY = 0.25
# A non-origin member must match a copy clearly better than the origin does to be named
# its source: near-equal scores say nothing about an intermediate step.
_CHAIN_MARGIN = 0.02


@dataclass(frozen=True, slots=True)
class Credit:
    """Copy ``copy`` credits ``source`` (a member of its family)."""

    copy: str
    source: str
    basis: str  # "attribution" or "canonical"
    resolved_by: str  # "url", "outlet" or "canonical"
    attribution: Attribution | None = None

    def priority(self) -> tuple[int, int]:
        kind = self.attribution.kind if self.attribution else "canonical"
        kind_rank = 0 if kind in _IMMEDIATE_KINDS else 1 if self.basis == "canonical" else 2
        return (kind_rank, {"url": 0, "canonical": 1, "outlet": 2}[self.resolved_by])


def _match_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _score(match: Match | None) -> float:
    if match is None:
        return 0.0
    return max(match.similarity, match.containment_a_in_b, match.containment_b_in_a)


class _Index:
    """Records indexed for family decisions."""

    def __init__(
        self,
        articles: Iterable[Article],
        matches: Iterable[Match],
        attributions: Iterable[Attribution],
    ) -> None:
        self.articles: dict[str, Article] = {a.url: a for a in articles}
        self.uncrawled: set[str] = set()
        self.matches: dict[tuple[str, str], Match] = {}
        self.neighbours: dict[str, list[str]] = {}
        self.attributions: dict[str, list[Attribution]] = {}
        self.stated: dict[str, list[str]] = {}
        self.uf = UnionFind()
        skipped = 0
        for m in matches:
            if m.a == m.b or m.a not in self.articles or m.b not in self.articles:
                skipped += 1
                continue
            key = _match_key(m.a, m.b)
            known = self.matches.get(key)
            if known is None:
                self.neighbours.setdefault(m.a, []).append(m.b)
                self.neighbours.setdefault(m.b, []).append(m.a)
            if known is None or _score(m) > _score(known):
                self.matches[key] = m
            self.uf.union(m.a, m.b)
        if skipped:
            logger.debug("skipped %d matches naming unknown articles", skipped)
        for at in attributions:
            if at.article not in self.articles:
                continue
            self.attributions.setdefault(at.article, []).append(at)
            target = self._article_target(at)
            if target is not None:
                self.uf.union(at.article, target)
                if at.stated_date:
                    self.stated.setdefault(target, []).append(at.stated_date)
        for article in list(self.articles.values()):
            canonical = article.declared_canonical
            if canonical and canonical != article.url and canonical in self.articles:
                self.uf.union(article.url, canonical)

    def _article_target(self, at: Attribution) -> str | None:
        """The article an attribution links to, adding a stand-in for a page never crawled."""
        if not at.url or at.url == at.article or is_site_root(at.url):
            return None
        if at.url not in self.articles:
            outlet = at.outlet or url_host_outlet(at.url)
            if not outlet:
                return None
            self.articles[at.url] = Article(
                url=at.url,
                outlet=outlet,
                published_at=at.stated_date,
                date_source="stated" if at.stated_date else None,
            )
            self.uncrawled.add(at.url)
        return at.url

    def match(self, a: str, b: str) -> Match | None:
        return self.matches.get(_match_key(a, b))


def decide_provenance(
    articles: Iterable[Article],
    matches: Iterable[Match] = (),
    attributions: Iterable[Attribution] = (),
) -> Provenance:
    """Group records into story families and decide origin and sources in each.

    Matches or attributions naming articles that are not in ``articles`` are ignored, except
    that an attribution *linking* to an unknown URL adds a stand-in article for that URL
    (listed in ``Provenance.uncrawled``), dated by the date the copy states, if any.
    """
    index = _Index(articles, matches, attributions)
    families: list[Family] = []
    family_of: dict[str, int] = {}
    times: dict[str, TimeEvidence] = {}
    for members in index.uf.groups():
        for url in members:
            times[url] = best_time(index.articles[url], index.stated.get(url))
        family = _decide_family(len(families), members, index, times)
        for url in members:
            family_of[url] = family.id
        families.append(family)
    return Provenance(
        articles=index.articles,
        families=families,
        family_of=family_of,
        times=times,
        uncrawled=index.uncrawled,
        attributions=index.attributions,
    )


def _credits(
    url: str, member_set: set[str], by_outlet: dict[str, list[str]], index: _Index, times
) -> tuple[list[Credit], list[Attribution]]:
    """What ``url`` credits inside its family, and credits naming no member (outside sources)."""
    own = index.articles[url]
    found: list[Credit] = []
    outside: list[Attribution] = []

    def outlet_member(outlet: str) -> str | None:
        candidates = [m for m in by_outlet.get(outlet, ()) if m != url]
        if not candidates:
            return None
        return min(candidates, key=lambda m: (-_score(index.match(url, m)), times[m].sort_key()))

    for at in index.attributions.get(url, ()):
        if at.url and at.url in member_set and at.url != url:
            found.append(Credit(url, at.url, _basis_of(at), "url", at))
            continue
        if at.outlet and at.outlet != own.outlet:
            target = outlet_member(at.outlet)
            if target is not None:
                found.append(Credit(url, target, _basis_of(at), "outlet", at))
                continue
        names_other = (at.url and at.url != url) or (at.outlet and at.outlet != own.outlet)
        if names_other:
            outside.append(at)
    canonical = own.declared_canonical
    if canonical and canonical != url:
        if canonical in member_set:
            found.append(Credit(url, canonical, "canonical", "canonical"))
        elif not host_in_outlet(canonical, own.outlet):
            for outlet in by_outlet:
                if outlet != own.outlet and host_in_outlet(canonical, outlet):
                    target = outlet_member(outlet)
                    if target is not None:
                        found.append(Credit(url, target, "canonical", "canonical"))
                    break
    return found, outside


def _credit_label(credit: Credit) -> str:
    if credit.attribution is None:
        return "rel=canonical"
    return (
        f"“{credit.attribution.sentence}”"
        if credit.attribution.sentence
        else credit.attribution.kind
    )


def _basis_of(at: Attribution) -> str:
    return "canonical" if at.kind == "canonical" else "attribution"


def _conf(value: float) -> float:
    return round(min(1.0, max(0.05, value)), 2)


def _decide_family(
    family_id: int, members: list[str], index: _Index, times: dict[str, TimeEvidence]
) -> Family:
    member_set = set(members)
    by_outlet: dict[str, list[str]] = {}
    for url in members:
        by_outlet.setdefault(index.articles[url].outlet, []).append(url)
    conflicts: list[Conflict] = []
    flagged: set[str] = set()

    def conflict(kind: str, message: str, *urls: str) -> None:
        conflicts.append(Conflict(kind, message, tuple(urls)))
        flagged.update(urls)

    def outlet(url: str) -> str:
        return index.articles[url].outlet

    def key(url: str) -> tuple:
        return (*times[url].sort_key(), url)

    # 1. What each member credits; one chosen credit (its source) per member.
    chosen: dict[str, Credit] = {}
    outside: dict[str, list[Attribution]] = {}
    for url in members:
        found, elsewhere = _credits(url, member_set, by_outlet, index, times)
        if elsewhere:
            outside[url] = elsewhere
        if found:
            chosen[url] = min(
                found,
                key=lambda c: (*c.priority(), -_score(index.match(url, c.source)), key(c.source)),
            )
            # Canonical and words agreeing on one source: keep the words (the credit readers see).
            spoken = [
                c for c in found if c.basis == "attribution" and c.source == chosen[url].source
            ]
            if chosen[url].basis == "canonical" and spoken:
                chosen[url] = min(spoken, key=lambda c: c.priority())
            named = sorted({outlet(c.source) for c in found} - {outlet(chosen[url].source)})
            if named:
                conflict(
                    "conflicting-attributions",
                    f"{outlet(url)} credits more than one outlet "
                    f"({', '.join([outlet(chosen[url].source), *named])}); taking "
                    f"{outlet(chosen[url].source)} ({_credit_label(chosen[url])}) as the one "
                    "it was copied from",
                    url,
                    *sorted({c.source for c in found}),
                )

    # 2. Break attribution cycles: the earliest member of a cycle keeps no source.
    for start in members:
        seen: list[str] = []
        url = start
        while url in chosen and url not in seen:
            seen.append(url)
            url = chosen[url].source
        if url in chosen and url in seen:
            cycle = seen[seen.index(url) :]
            first = min(cycle, key=key)
            del chosen[first]
            names = " → ".join(outlet(u) for u in [*cycle, cycle[0]])
            conflict(
                "attribution-cycle",
                f"attributions form a cycle ({names}); taking the earliest, {outlet(first)}, "
                "as the source",
                *cycle,
            )

    # 3. Credit edges against dates.
    for url, credit in chosen.items():
        src, cp = times[credit.source], times[url]
        if cp.before(src):
            conflict(
                "attribution-vs-date",
                f"{outlet(url)} credits {outlet(credit.source)} as its source, but "
                f"{outlet(credit.source)} is dated later ({src.label} {time_iso(src)}) "
                f"than {outlet(url)} ({cp.label} {time_iso(cp)})",
                url,
                credit.source,
            )

    # 4. The origin.
    roots = [u for u in members if u not in chosen]
    credited = {c.source for c in chosen.values()}
    credited_roots = [u for u in roots if u in credited]
    if credited_roots:
        origin = min(credited_roots, key=key)
        origin_basis = ["attribution"]
        if any(c.source == origin and c.basis == "canonical" for c in chosen.values()):
            origin_basis.append("canonical")
        origin_time = times[origin]
        earlier = [
            u for u in members if u != origin and times[u].before(origin_time) and u not in flagged
        ]
        if earlier:
            for u in earlier:
                conflict(
                    "earlier-than-origin",
                    f"{outlet(u)} is dated {time_iso(times[u])}, before the credited "
                    f"origin {outlet(origin)} ({time_iso(origin_time)})",
                    u,
                    origin,
                )
        elif origin_time.when is not None:
            origin_basis.append(origin_time.label)
        origin_confidence = 0.95
    else:
        origin = min(roots, key=key)
        origin_time = times[origin]
        others = [u for u in members if u != origin]
        runner_up = min(others, key=key)
        weakest = max(origin_time.rank, times[runner_up].rank)
        origin_basis = [origin_time.label]
        origin_confidence = _TIME_CONFIDENCE[weakest]
        if origin_time.when is None:
            conflict(
                "undated",
                "no member of this family has a date; the origin is an arbitrary choice",
                *members,
            )
            origin_confidence = 0.2
        else:
            tied = [
                u for u in others if times[u].when is not None and not origin_time.before(times[u])
            ]
            if tied:
                conflict(
                    "date-tie",
                    f"{outlet(origin)} and {', '.join(outlet(u) for u in tied)} carry the same "
                    f"date ({time_iso(origin_time)}); nothing else says who was first",
                    origin,
                    *tied,
                )
    if outside:
        credited_outlets = sorted(
            {at.outlet or at.url or "" for ats in outside.values() for at in ats}
        )
        conflict(
            "source-outside-family",
            f"credited source(s) not among the family's articles: {', '.join(credited_outlets)}; "
            "the story may have started outside the crawl",
            *sorted(outside),
        )

    # 5. Sources for copies that credit nobody: best earlier text match, else the origin.
    parent: dict[str, str] = {url: c.source for url, c in chosen.items()}

    def ancestors_include(start: str, target: str) -> bool:
        url, steps = start, 0
        while steps <= len(members):
            if url == target:
                return True
            if url not in parent:
                return False
            url = parent[url]
            steps += 1
        return True  # a loop: refuse this candidate

    for url in sorted((u for u in roots if u != origin), key=key):
        own_key = key(url)[:-1]
        candidates = [
            n
            for n in index.neighbours.get(url, ())
            if n in member_set
            and n != url
            and key(n)[:-1] < own_key
            and not ancestors_include(n, url)
        ]
        source = origin
        if candidates:
            best = min(
                candidates, key=lambda n: (-_score(index.match(url, n)), n != origin, key(n))
            )
            origin_score = _score(index.match(url, origin))
            if best != origin and _score(index.match(url, best)) <= origin_score + _CHAIN_MARGIN:
                best = origin
            source = best
        parent[url] = source

    # 6. One CopyLink per copy.
    links: dict[str, CopyLink] = {}
    for url in members:
        if url == origin:
            continue
        source = parent[url]
        credit = chosen.get(url)
        copy_time, source_time = times[url], times[source]
        consistent = copy_time.when is not None and not copy_time.before(source_time)
        consistent = consistent and source_time.when is not None
        weakest = max(copy_time.rank, source_time.rank)
        match = index.match(url, source)
        if credit is not None:
            basis = [credit.basis]
            if credit.basis == "attribution" and any(
                c.basis == "canonical" for c in _credits_to(url, source, index, member_set)
            ):
                basis.append("canonical")
            if consistent:
                basis.append(LABELS[weakest])
            confidence = {"url": 0.95, "canonical": 0.9, "outlet": 0.9}[credit.resolved_by]
            if len(basis) > 1 and basis[1] == "canonical":
                confidence = 0.97
            # Credited in words readers see; a rel=canonical alone credits nobody visibly.
            attributed = credit.basis == "attribution" or url in outside
        else:
            basis = ["text"] if match is not None else []
            basis.append(LABELS[weakest])
            confidence = _TIME_CONFIDENCE[weakest] * (0.6 + 0.4 * _score(match))
            attributed = url in outside
        if url in flagged or source in flagged:
            confidence -= _CONFLICT_PENALTY
        links[url] = CopyLink(
            url=url,
            copied_from=source,
            basis=tuple(basis),
            confidence=_conf(confidence),
            attributed=attributed,
            attribution=credit.attribution
            if credit
            else (outside[url][0] if url in outside else None),
            match=match,
            lag_hours=lag_hours(source_time, copy_time),
        )
    if origin in flagged:
        origin_confidence -= _CONFLICT_PENALTY
    ordered = [origin, *sorted((u for u in members if u != origin), key=key)]
    return Family(
        id=family_id,
        origin=origin,
        origin_basis=tuple(origin_basis),
        origin_confidence=_conf(origin_confidence),
        members=tuple(ordered),
        links=links,
        conflicts=tuple(conflicts),
    )


def _credits_to(url: str, source: str, index: _Index, member_set: set[str]) -> list[Credit]:
    """Canonical evidence from ``url`` to ``source`` besides its attribution."""
    canonical = index.articles[url].declared_canonical
    if canonical and (
        canonical == source
        or (
            canonical not in member_set and host_in_outlet(canonical, index.articles[source].outlet)
        )
    ):
        return [Credit(url, source, "canonical", "canonical")]
    return []


__all__ = ["Conflict", "CopyLink", "Credit", "Family", "Provenance", "decide_provenance"]
