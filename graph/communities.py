"""Communities of outlets (or articles) that republish each other.

Louvain on the undirected, weighted graph (both directions of a pair summed), with a fixed
seed so that the same data gives the same communities. Communities are numbered by size,
largest first, and stored as the node attribute ``community``.
"""

from __future__ import annotations

import networkx as nx

DEFAULT_SEED = 42


def undirected_weighted(graph: nx.Graph, weight: str = "weight") -> nx.Graph:
    """An undirected copy whose edge weight sums both directions (1 per edge if unweighted)."""
    result = nx.Graph()
    result.add_nodes_from(graph.nodes)
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        value = data.get(weight)
        value = float(value) if isinstance(value, (int, float)) and value > 0 else 1.0
        if result.has_edge(u, v):
            result[u][v]["weight"] += value
        else:
            result.add_edge(u, v, weight=value)
    return result


def detect_communities(
    graph: nx.Graph, *, seed: int = DEFAULT_SEED, resolution: float = 1.0
) -> dict[str, int]:
    """Community number of every node (0 = the largest community)."""
    if graph.number_of_nodes() == 0:
        return {}
    simple = undirected_weighted(graph)
    found = nx.community.louvain_communities(
        simple, weight="weight", resolution=resolution, seed=seed
    )
    ordered = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
    return {node: index for index, members in enumerate(ordered) for node in members}


def add_communities(graph: nx.Graph, *, seed: int = DEFAULT_SEED, resolution: float = 1.0) -> int:
    """Set node attribute ``community`` in place; returns the number of communities."""
    membership = detect_communities(graph, seed=seed, resolution=resolution)
    nx.set_node_attributes(graph, membership, "community")
    return len(set(membership.values()))
