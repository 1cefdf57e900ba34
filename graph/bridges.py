"""Story families that do not chain two stories through an article carrying both.

A roundup, a digest or a live blog that runs two stories shares text with each, so the
connected components of text matches would put both stories in one family, and the members
of one would end up "copied from" members of the other. A family is split at such a *bridge*:
an article whose removal disconnects the family into sides that

- reach it only by text (no credit or ``rel=canonical`` joins the bridge to the side),
- each cover a different part of the bridge's text (the shares of the bridge found in two
  sides add up to at most :data:`DISJOINT_COVERAGE`: they are not one text seen twice), and
- are not its copies: the bridge is not dated certainly before the side's members it
  matches (an origin with two excerpts of different paragraphs is one story, a digest
  published after its two sources is not).

The bridge then appears as a member (a copy) of each side's family.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

from .evidence import EvidenceIndex

#: Two sides whose shares of the bridge's text add up to no more than this carry different
#: parts of it (with room for shared boilerplate and quotes).
DISJOINT_COVERAGE = 1.1


def _side_coverage(index: EvidenceIndex, bridge: str, side: set[str]) -> float | None:
    """Share of ``bridge``'s text found in its best match on ``side``; None if linked by credit."""
    best = 0.0
    for other in side:
        if index.linked(bridge, other):
            return None
        match = index.match(bridge, other)
        if match is not None:
            best = max(best, match.containment_of(bridge))
    return best


def _is_copy_side(index: EvidenceIndex, bridge: str, side: set[str], before) -> bool:
    """Whether the side's members matching the bridge all come certainly after it."""
    matched = [m for m in side if index.match(bridge, m) is not None]
    return bool(matched) and all(before(bridge, m) for m in matched)


def _may_bridge(
    index: EvidenceIndex, point: str, others, before: Callable[[str, str], bool]
) -> bool:
    """Cheap test before cutting: two matches holding different parts of ``point``'s text."""
    shares = sorted(
        match.containment_of(point)
        for other in others
        if (match := index.match(point, other)) is not None and not before(point, other)
    )
    return len(shares) >= 2 and shares[0] + shares[1] <= DISJOINT_COVERAGE


def _split_once(
    index: EvidenceIndex, graph: nx.Graph, before: Callable[[str, str], bool]
) -> tuple[str, list[set[str]]] | None:
    """The first bridge of ``graph`` and the sides it joins, or None."""
    for point in sorted(nx.articulation_points(graph)):
        if not _may_bridge(index, point, graph.neighbors(point), before):
            continue
        rest = graph.subgraph(n for n in graph if n != point)
        sides = [set(c) for c in nx.connected_components(rest)]
        partial = []
        for side in sides:
            coverage = _side_coverage(index, point, side)
            if coverage is None or _is_copy_side(index, point, side, before):
                continue
            partial.append(coverage)
        partial.sort()
        if len(partial) >= 2 and partial[0] + partial[1] <= DISJOINT_COVERAGE:
            return point, sides
    return None


def split_families(
    index: EvidenceIndex, members: list[str], before: Callable[[str, str], bool]
) -> list[list[str]]:
    """``members`` (one connected component) as story families, split at bridge articles.

    ``before(a, b)`` says whether ``a`` is dated certainly before ``b``. Returns the families
    (members sorted); a bridge article is in each family of the sides it joins.
    """
    if len(members) < 3 or not any(
        _may_bridge(index, m, index.neighbours.get(m, ()), before) for m in members
    ):
        return [sorted(members)]
    member_set = set(members)
    whole = nx.Graph()
    whole.add_nodes_from(members)
    for a in members:
        for b in (*index.neighbours.get(a, ()), *index.credit_neighbours.get(a, ())):
            if b in member_set:
                whole.add_edge(a, b)
    done: list[list[str]] = []
    pending = [set(members)]
    while pending:
        group = pending.pop()
        found = _split_once(index, whole.subgraph(group), before) if len(group) >= 3 else None
        if found is None:
            done.append(sorted(group))
            continue
        bridge, sides = found
        pending.extend(side | {bridge} for side in sides)
    done.sort(key=lambda family: family[0])
    return done
