"""The first steps of a family's decision: what members credit, and the family's origin.

1. :func:`choose_credits` -- each member's own statement (a credit or a ``rel=canonical``)
   names its source among the members; a page crediting several outlets is a conflict.
2. :func:`break_cycles` -- attribution cycles (A credits B, B credits A): the earliest keeps
   no source.
3. :func:`check_credit_dates` -- a credited source dated after its copy is a conflict.
4. :func:`choose_origin` -- the credited root most members lead to; a source outside the
   store (a wire agency, a print issue, an outlet not crawled) when more members credit it
   than lead to any credited member; otherwise the earliest member by date.
"""

from __future__ import annotations

from .credits import Credit, can_originate, outside_key
from .deciding import FamilyWork
from .decisions import ExternalOrigin
from .evidence import score
from .records import Article, Attribution
from .timing import FIRST_SEEN, LASTMOD, NO_DATE, NO_TIME, PAGE, STATED, time_iso

TIME_CONFIDENCE = {PAGE: 0.8, STATED: 0.7, LASTMOD: 0.6, FIRST_SEEN: 0.5, NO_DATE: 0.3}
_CREDITED_ORIGIN_CONFIDENCE = 0.95
# An origin outside the store credited by one copy, and by several (they agree).
_EXTERNAL_CONFIDENCE_ONE, _EXTERNAL_CONFIDENCE_MANY = 0.85, 0.9


def choose_credits(work: FamilyWork) -> None:
    """Step 1: one chosen credit (its source) per member that credits a member."""
    for url in work.members:
        found, elsewhere = work.credits.of(url)
        if elsewhere:
            work.outside[url] = elsewhere
        if not found:
            continue

        def rank(c: Credit) -> tuple:
            return (*c.priority(), -score(work.index.match(c.copy, c.source)), work.key(c.source))

        chosen = min(found, key=rank)
        # Canonical and words agreeing on one source: keep the words (the credit readers see).
        spoken = [c for c in found if c.visible and c.source == chosen.source]
        if not chosen.visible and spoken:
            chosen = min(spoken, key=lambda c: c.priority())
        work.chosen[url] = chosen
        named = sorted({work.outlet(c.source) for c in found} - {work.outlet(chosen.source)})
        if named:
            work.conflict(
                "conflicting-attributions",
                f"{work.outlet(url)} credits more than one outlet "
                f"({', '.join([work.outlet(chosen.source), *named])}); taking "
                f"{work.outlet(chosen.source)} ({chosen.label()}) as the one it was copied from",
                url,
                *sorted({c.source for c in found}),
            )


def break_cycles(work: FamilyWork) -> None:
    """Step 2: the earliest member of an attribution cycle keeps no source."""
    for start in work.members:
        seen: list[str] = []
        url = start
        while url in work.chosen and url not in seen:
            seen.append(url)
            url = work.chosen[url].source
        if url in work.chosen and url in seen:
            cycle = seen[seen.index(url) :]
            first = min(cycle, key=work.key)
            del work.chosen[first]
            names = " → ".join(work.outlet(u) for u in [*cycle, cycle[0]])
            work.conflict(
                "attribution-cycle",
                f"attributions form a cycle ({names}); taking the earliest, "
                f"{work.outlet(first)}, as the source",
                *cycle,
            )


def check_credit_dates(work: FamilyWork) -> None:
    """Step 3: a source dated after the copy that credits it is a conflict."""
    for url, credit in work.chosen.items():
        src, cp = work.times[credit.source], work.times[url]
        if cp.before(src):
            work.conflict(
                "attribution-vs-date",
                f"{work.outlet(url)} credits {work.outlet(credit.source)} as its source, but "
                f"{work.outlet(credit.source)} is dated later ({src.label} {time_iso(src)}) "
                f"than {work.outlet(url)} ({cp.label} {time_iso(cp)})",
                url,
                credit.source,
            )


def _root_of(work: FamilyWork, url: str) -> str:
    steps = 0
    while url in work.chosen and steps <= len(work.members):
        url = work.chosen[url].source
        steps += 1
    return url


def _external_candidates(work: FamilyWork) -> dict[str, list[Attribution]]:
    """Outside sources that may be the origin, with the credits naming them (one per member)."""
    found: dict[str, dict[str, Attribution]] = {}
    for url in work.members:
        for at in work.outside.get(url, ()):
            key = outside_key(at)
            if key is None or not can_originate(at):
                continue
            by_member = found.setdefault(key, {})
            if url not in by_member or (at.visible and not by_member[url].visible):
                by_member[url] = at
    return {key: list(ats.values()) for key, ats in found.items()}


def _outside_rank(key: str, ats: list[Attribution]) -> tuple[int, bool, int, str]:
    """How strongly the members name ``key`` as their origin. An aggregator's provider label
    ("Star Tribune•" on Yahoo News) names who handed the copy on, not who wrote it: members
    crediting the text itself (a dateline, a byline, a footer) count first, then whether the
    party is a wire service, then every credit."""
    own_words = sum(1 for at in ats if at.form != "provider-label")
    wire = any(at.source_kind == "wire" for at in ats)
    return (own_words, wire, len(ats), key)


def _external_origin(work: FamilyWork, key: str, ats: list[Attribution]) -> ExternalOrigin:
    """The origin named by ``ats`` as an :class:`ExternalOrigin` and a stand-in article."""
    best = max(ats, key=lambda at: (at.visible, bool(at.source_kind), len(at.name or "")))
    outlet = next((at.outlet for at in ats if at.outlet), None)
    name = next((at.name for at in ats if at.name and at.source_kind), None)
    name = name or best.name or outlet or key.split(":", 1)[1]
    urls = {at.url for at in ats if at.url}
    external = ExternalOrigin(
        key=key,
        name=name,
        outlet=outlet,
        kind=next((at.source_kind for at in ats if at.source_kind), None) or "outlet",
        url=urls.pop() if len(urls) == 1 else None,
        credited_by=tuple(sorted(at.article for at in ats)),
        outlet_in_store=next(
            (at.source_in_store for at in ats if at.source_in_store is not None), None
        ),
    )
    if key not in work.index.articles:
        work.index.articles[key] = Article(url=key, outlet=outlet or name, outlet_name=name)
        work.index.uncrawled.add(key)
    return external


def _stand_in_origin(work: FamilyWork, url: str) -> ExternalOrigin:
    """A linked page that was never crawled, as the origin outside the store."""
    article = work.index.articles[url]
    at = work.index.stand_in_credit.get(url)
    return ExternalOrigin(
        key=url,
        name=(at.name if at and at.name else None) or article.outlet_name or article.outlet,
        outlet=article.outlet,
        kind=(at.source_kind if at else None) or "outlet",
        url=url,
        credited_by=tuple(sorted(u for u, c in work.chosen.items() if c.source == url)),
        outlet_in_store=at.source_in_store if at else None,
    )


def choose_origin(work: FamilyWork) -> None:
    """Step 4: the family's origin, its basis and confidence, and conflicts about it."""
    roots = [u for u in work.members if u not in work.chosen]
    leading: dict[str, int] = {}
    for url in work.chosen:
        root = _root_of(work, url)
        leading[root] = leading.get(root, 0) + 1
    credited_roots = [u for u in roots if u in leading]
    candidates = _external_candidates(work)
    best_key = None
    if candidates:
        best_key = max(candidates, key=lambda k: _outside_rank(k, candidates[k]))
    best_root = None
    if credited_roots:
        best_root = min(credited_roots, key=lambda u: (-leading[u], work.key(u)))
    if best_key is not None and (
        best_root is None
        or len(candidates[best_key]) > leading[best_root]
        or best_root in {at.article for at in candidates[best_key]}
    ):
        _origin_outside(work, best_key, candidates[best_key], credited_roots)
    elif best_root is not None:
        _origin_credited(work, best_root, credited_roots)
    else:
        _origin_by_date(work, roots)
    if work.origin in work.index.uncrawled and work.external is None:
        work.external = _stand_in_origin(work, work.origin)
    _report_other_sources(work, candidates)


def _origin_outside(
    work: FamilyWork, key: str, ats: list[Attribution], credited_roots: list[str]
) -> None:
    work.external = _external_origin(work, key, ats)
    work.origin = key
    # One agency is one key across families: a name-only origin carries no date of its own.
    work.times[key] = NO_TIME
    forms = {("attribution" if at.visible else "metadata") for at in ats}
    work.origin_basis = sorted(forms)
    work.origin_confidence = (
        _EXTERNAL_CONFIDENCE_ONE if len(ats) == 1 else _EXTERNAL_CONFIDENCE_MANY
    )
    for root in credited_roots:
        if root not in work.external.credited_by:
            work.conflict(
                "several-credited-sources",
                f"{len(ats)} member(s) credit {work.external.name}, outside the store, as "
                f"their source; fewer credit {work.outlet(root)}, which does not credit "
                f"{work.external.name}",
                root,
                *work.external.credited_by,
            )


def _origin_credited(work: FamilyWork, origin: str, credited_roots: list[str]) -> None:
    """The credited member most members lead to (the earliest among equals)."""
    work.origin = origin
    sources = [c for c in work.chosen.values() if c.source == origin]
    basis = sorted({c.basis for c in sources}, key=("attribution", "metadata", "canonical").index)
    origin_time = work.times[origin]
    earlier = [
        u
        for u in work.members
        if u != origin and work.times[u].before(origin_time) and u not in work.flagged
    ]
    for u in earlier:
        work.conflict(
            "earlier-than-origin",
            f"{work.outlet(u)} is dated {time_iso(work.times[u])}, before the credited "
            f"origin {work.outlet(origin)} ({time_iso(origin_time)})",
            u,
            origin,
        )
    if not earlier and origin_time.when is not None:
        basis.append(origin_time.label)
    work.origin_basis = basis
    work.origin_confidence = _CREDITED_ORIGIN_CONFIDENCE
    others = [u for u in credited_roots if u != origin]
    if others:
        work.conflict(
            "several-credited-sources",
            f"members credit more than one source that credits nobody: "
            f"{', '.join(work.outlet(u) for u in [origin, *others])}; taking "
            f"{work.outlet(origin)}, which most members lead to",
            origin,
            *others,
        )


def _origin_by_date(work: FamilyWork, roots: list[str]) -> None:
    """Nobody credits anybody: the earliest member, as sure as its date evidence."""
    origin = min(roots, key=work.key)
    work.origin = origin
    origin_time = work.times[origin]
    others = [u for u in work.members if u != origin]
    runner_up = min(others, key=work.key)
    weakest = max(origin_time.rank, work.times[runner_up].rank)
    work.origin_basis = [origin_time.label]
    work.origin_confidence = TIME_CONFIDENCE[weakest]
    if origin_time.when is None:
        work.conflict(
            "undated",
            "no member of this family has a date; the origin is an arbitrary choice",
            *work.members,
        )
        work.origin_confidence = 0.2
        return
    tied = [
        u
        for u in others
        if work.times[u].when is not None and not origin_time.before(work.times[u])
    ]
    if tied:
        work.conflict(
            "date-tie",
            f"{work.outlet(origin)} and {', '.join(work.outlet(u) for u in tied)} carry the "
            f"same date ({time_iso(origin_time)}); nothing else says who was first",
            origin,
            *tied,
        )


def _report_other_sources(work: FamilyWork, candidates: dict[str, list[Attribution]]) -> None:
    """Credits naming sources outside the family that are not its origin."""
    named: dict[str, set[str]] = {}
    for url, ats in work.outside.items():
        for at in ats:
            key = outside_key(at)
            if key is None or key == work.origin:
                continue
            if not can_originate(at) and url in work.chosen:
                continue  # "via Yahoo News" beside a credit of the provider: nothing to add
            named.setdefault(at.name or at.outlet or at.url or key, set()).add(url)
    if named:
        urls = sorted({u for members in named.values() for u in members})
        work.conflict(
            "source-outside-family",
            f"credited source(s) not among the family's articles: {', '.join(sorted(named))}; "
            "the story may have started outside the crawl",
            *urls,
        )
