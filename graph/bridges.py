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

The bridge then appears as a member (a copy) of each side's family. Several articles
carrying the same two stories (two digests of one day) bridge together: every article that
carries different parts of its text in two matches is set aside at once, and those that
still join sides holding different parts of their text are bridges; the others (a copy
that holds one story whole) merge the sides they touch back into one story.
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


def _touched_sides(
    index: EvidenceIndex, graph: nx.Graph, carrier: str, side_of: dict[str, int]
) -> dict[int, float | None]:
    """The sides ``carrier`` reaches, with the share of its text in each (None: a credit)."""
    touched: dict[int, float | None] = {}
    for other in graph.neighbors(carrier):
        if other not in side_of:
            continue
        side = side_of[other]
        if index.linked(carrier, other):
            touched[side] = None
        elif touched.get(side, 0.0) is not None:
            match = index.match(carrier, other)
            share = match.containment_of(carrier) if match is not None else 0.0
            touched[side] = max(touched.get(side, 0.0), share)
    return touched


def _split_by_carriers(
    index: EvidenceIndex, graph: nx.Graph, before: Callable[[str, str], bool]
) -> list[set[str]] | None:
    """Groups of ``graph`` once the articles carrying two stories are set aside, or None."""
    carriers = [n for n in graph if _may_bridge(index, n, graph.neighbors(n), before)]
    if not carriers:
        return None
    rest = graph.subgraph(n for n in graph if n not in set(carriers))
    sides = [set(c) for c in nx.connected_components(rest)]
    if len(sides) < 2:
        return None
    side_of = {node: i for i, side in enumerate(sides) for node in side}
    merged = list(range(len(sides)))

    def root(i: int) -> int:
        while merged[i] != i:
            i = merged[i]
        return i

    bridges: dict[str, set[int]] = {}
    loose: dict[str, set[int]] = {}
    for carrier in sorted(carriers):
        touched = _touched_sides(index, graph, carrier, side_of)
        partial = sorted(
            share
            for side, share in touched.items()
            if share is not None and not _is_copy_side(index, carrier, sides[side], before)
        )
        if len(partial) >= 2 and partial[0] + partial[1] <= DISJOINT_COVERAGE:
            bridges[carrier] = set(touched)
            continue
        loose[carrier] = set(touched)
        roots = sorted({root(side) for side in touched})
        for other in roots[1:]:
            merged[other] = roots[0]  # one story seen whole: its sides are one
    groups: dict[int, set[str]] = {}
    for i, side in enumerate(sides):
        groups.setdefault(root(i), set()).update(side)
    if len(groups) < 2:
        return None
    for carrier, touched in loose.items():
        target = root(min(touched)) if touched else next(iter(groups))
        groups[target].add(carrier)
    for carrier, touched in bridges.items():
        for side in {root(s) for s in touched}:
            groups[side].add(carrier)
    return list(groups.values())


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
        graph = whole.subgraph(group)
        found = _split_once(index, graph, before) if len(group) >= 3 else None
        if found is not None:
            bridge, sides = found
            pending.extend(side | {bridge} for side in sides)
            continue
        parts = _split_by_carriers(index, graph, before) if len(group) >= 3 else None
        if parts is None or any(len(part) >= len(group) for part in parts):
            done.append(sorted(group))
        else:
            pending.extend(parts)
    # A lone article is no family (it cannot be: every side reaches a bridge), kept as a guard.
    done = [family for family in done if len(family) >= 2]
    done.sort(key=lambda family: family[0])
    return done
