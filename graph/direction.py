"""Who was first: one origin per story family, and for each copy what it was copied from.

Direction rule (DESIGN.md, "Evidence and direction"):

1. A copy's own statement beats everything: a credit ("The original source of this article
   is South Front", "via X", a "Source: URL" link, an agency byline or dateline) or a
   ``rel=canonical`` pointing at another outlet makes the credited article the copy's
   source. A chain A→B→C arises when C credits B and B credits A.
2. A source the copies credit that is no article in the store (a wire agency, a print issue,
   an outlet not crawled) is the family's origin when more members credit it than lead to any
   credited member; its copies hang under it side by side. Aggregators are never origins.
3. Copies that credit nobody get a source from their own verified text matches: the best
   match dated earlier, or the origin when they share text with it. A member that shares
   text only with later members has an undetermined source (a conflict says so): every
   ``copied_from`` carries evidence between its own two articles.
4. Otherwise the origin is the earliest member. Times come from :mod:`graph.timing` (page
   date > stated date > sitemap lastmod > first seen).

Families are connected components of verified evidence, split at bridge articles (a roundup
carrying two stories belongs to both families: :mod:`graph.bridges`). Disagreements are never
silently resolved: they are listed as :class:`Conflict` on the family and lower the
confidence of the decisions they touch.

The steps live in :mod:`graph.origin` and :mod:`graph.sources`; result types in
:mod:`graph.decisions` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable

from .bridges import split_families
from .credits import Credit
from .deciding import FamilyWork
from .decisions import Conflict, CopyLink, ExternalOrigin, Family, Provenance
from .evidence import EvidenceIndex
from .origin import break_cycles, check_credit_dates, choose_credits, choose_origin
from .records import Article, Attribution, Match
from .sources import build_links, hang_on_external, source_by_text
from .timing import TimeEvidence, best_time


def decide_provenance(
    articles: Iterable[Article],
    matches: Iterable[Match] = (),
    attributions: Iterable[Attribution] = (),
) -> Provenance:
    """Group records into story families and decide origin and sources in each.

    Matches or attributions naming articles that are not in ``articles`` are ignored, except
    that an attribution *linking* to an unknown URL adds a stand-in article for that URL
    (listed in ``Provenance.uncrawled``), dated by the date the copy states, if any. An
    origin outside the store is in ``Provenance.external`` and ``Family.external``.
    """
    index = EvidenceIndex(articles, matches, attributions)
    times: dict[str, TimeEvidence] = {}
    families: list[Family] = []
    family_of: dict[str, int] = {}
    bridges: dict[str, list[int]] = {}
    external: dict[str, ExternalOrigin] = {}

    def before(a: str, b: str) -> bool:
        return times[a].before(times[b])

    for component in index.uf.groups():
        for url in component:
            times[url] = best_time(index.articles[url], index.stated.get(url))
        for members in split_families(index, component, before):
            family = decide_family(len(families), members, index, times)
            for url in members:
                if url in family_of:
                    bridges.setdefault(url, [family_of[url]]).append(family.id)
                else:
                    family_of[url] = family.id
            if family.external is not None:
                external.setdefault(family.external.key, family.external)
            families.append(family)
    return Provenance(
        articles=index.articles,
        families=families,
        family_of=family_of,
        times=times,
        uncrawled=index.uncrawled,
        attributions=index.attributions,
        external=external,
        bridges={url: tuple(ids) for url, ids in bridges.items()},
    )


def decide_family(
    family_id: int, members: list[str], index: EvidenceIndex, times: dict[str, TimeEvidence]
) -> Family:
    """Origin and copy links of one story family, step by step."""
    work = FamilyWork(family_id, members, index, times)
    choose_credits(work)
    break_cycles(work)
    check_credit_dates(work)
    choose_origin(work)
    hang_on_external(work)
    source_by_text(work)
    links = build_links(work)
    confidence = work.origin_confidence - (work.penalty if work.origin in work.flagged else 0)
    ordered = [work.origin, *sorted((u for u in members if u != work.origin), key=work.key)]
    return Family(
        id=family_id,
        origin=work.origin,
        origin_basis=tuple(work.origin_basis),
        origin_confidence=round(min(1.0, max(0.05, confidence)), 2),
        members=tuple(ordered),
        links=links,
        conflicts=tuple(work.conflicts),
        external=work.external,
    )


__all__ = [
    "Conflict",
    "CopyLink",
    "Credit",
    "ExternalOrigin",
    "Family",
    "Provenance",
    "decide_provenance",
]
