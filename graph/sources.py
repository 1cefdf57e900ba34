"""The last steps of a family's decision: every copy's source, and one link per copy.

5. :func:`hang_on_external` -- members that credit the family's external origin (a wire
   agency, a print issue) hang under it side by side, not in a date chain among themselves.
6. :func:`source_by_text` -- a member that credits nobody in the family is copied from a
   member it shares verified text with: the best match dated earlier, else the origin if
   they share text, else a match with no date against it. A member that shares text only
   with later members is reported as undetermined; dates alone never make a link.
7. :func:`build_links` -- one :class:`CopyLink` per copy, with its basis and confidence.
"""

from __future__ import annotations

from .credits import Credit, outside_key
from .deciding import FamilyWork
from .decisions import CopyLink
from .evidence import score
from .origin import TIME_CONFIDENCE
from .timing import LABELS, lag_hours

# A non-origin member must match a copy clearly better than the origin does to be named
# its source: near-equal scores say nothing about an intermediate step.
_CHAIN_MARGIN = 0.02
_CREDIT_CONFIDENCE = {"url": 0.95, "canonical": 0.9, "outlet": 0.9, "external": 0.9}


def hang_on_external(work: FamilyWork) -> None:
    """Step 5: members crediting the external origin (and no member) are its copies."""
    if work.external is None or work.origin in work.member_set:
        return
    for url in work.members:
        if url in work.chosen:
            continue
        ats = [at for at in work.outside.get(url, ()) if outside_key(at) == work.origin]
        if ats:
            at = max(ats, key=lambda a: a.visible)
            basis = "attribution" if at.visible else "metadata"
            work.chosen[url] = Credit(url, work.origin, basis, "external", at)


def source_by_text(work: FamilyWork) -> None:
    """Step 6: sources of members that credit nobody, from their own text matches."""
    work.parent.update({url: c.source for url, c in work.chosen.items()})
    pending = [u for u in work.members if u != work.origin and u not in work.chosen]
    for url in sorted(pending, key=work.key):
        source = _text_source(work, url)
        if source is None:
            work.undetermined.add(url)
        else:
            work.parent[url] = source


def _text_source(work: FamilyWork, url: str) -> str | None:
    index = work.index
    matched = [
        n
        for n in index.neighbours.get(url, ())
        if n in work.member_set and n != url and not work.ancestors_include(n, url)
    ]
    own_key = work.key(url)[:-1]
    earlier = [n for n in matched if work.key(n)[:-1] < own_key]
    if earlier:
        best = min(
            earlier, key=lambda n: (-score(index.match(url, n)), n != work.origin, work.key(n))
        )
        origin_score = score(index.match(url, work.origin))
        if work.origin in earlier and score(index.match(url, best)) <= origin_score + _CHAIN_MARGIN:
            best = work.origin
        return best
    if work.origin in matched:
        return work.origin
    # Dated alike, or without a date to tell: the best match, with its date conflict below.
    undecided = [n for n in matched if not work.times[url].before(work.times[n])]
    if undecided:
        return min(undecided, key=lambda n: (-score(index.match(url, n)), work.key(n)))
    if url in work.index.uncrawled and url in work.flagged:
        return None  # a second credited source, already reported as conflicting credits
    later = sorted({work.outlet(n) for n in matched})
    if later:
        reason = f"shares text only with members dated after it ({', '.join(later)})"
    else:
        reason = "shares no verified text with another member"
    work.conflict(
        "source-undetermined",
        f"{work.outlet(url)} {reason} and credits none of them: where it was copied from "
        "is undetermined",
        url,
        *sorted(matched),
    )
    return None


def _visible_outside(work: FamilyWork, url: str):
    ats = work.outside.get(url, ())
    return next((at for at in ats if at.visible), None)


def build_links(work: FamilyWork) -> dict[str, CopyLink]:
    """Step 7: one :class:`CopyLink` per copy."""
    links: dict[str, CopyLink] = {}
    for url in work.members:
        if url == work.origin:
            continue
        if url in work.undetermined:
            links[url] = _undetermined_link(work, url)
        else:
            links[url] = _link(work, url, work.parent[url])
    return links


def _undetermined_link(work: FamilyWork, url: str) -> CopyLink:
    at = _visible_outside(work, url)
    return CopyLink(
        url=url,
        copied_from=None,
        basis=(),
        confidence=0.0,
        attributed=at is not None,
        attribution=at or next(iter(work.outside.get(url, ())), None),
        match=None,
        lag_hours=None,
    )


def _link(work: FamilyWork, url: str, source: str) -> CopyLink:
    credit = work.chosen.get(url)
    copy_time, source_time = work.times[url], work.times[source]
    consistent = copy_time.when is not None and source_time.when is not None
    consistent = consistent and not copy_time.before(source_time)
    weakest = max(copy_time.rank, source_time.rank)
    match = work.index.match(url, source)
    outside_credit = _visible_outside(work, url)
    if credit is not None:
        basis = [credit.basis]
        if (
            credit.basis != "canonical"
            and credit.resolved_by != "external"
            and work.credits.canonical_to(url, source)
        ):
            basis.append("canonical")
        if consistent:
            basis.append(LABELS[weakest])
        confidence = _CREDIT_CONFIDENCE[credit.resolved_by]
        if "canonical" in basis[1:]:
            confidence = 0.97
        attributed = credit.visible or outside_credit is not None
        attribution = credit.attribution
    else:
        basis = ["text", LABELS[weakest]]
        confidence = TIME_CONFIDENCE[weakest] * (0.6 + 0.4 * score(match))
        attributed = outside_credit is not None
        attribution = outside_credit
    if url in work.flagged or source in work.flagged:
        confidence -= work.penalty
    return CopyLink(
        url=url,
        copied_from=source,
        basis=tuple(basis),
        confidence=round(min(1.0, max(0.05, confidence)), 2),
        attributed=attributed,
        attribution=attribution,
        match=match,
        lag_hours=lag_hours(source_time, copy_time),
    )
