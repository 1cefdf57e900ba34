"""The store's evidence a batch of story families at a time, for deciding a large store with
the memory of one batch instead of every article's records at once.

A story family never spans two batches: the batches are made of whole connected components
of the evidence graph, joined exactly as :class:`graph.evidence.EvidenceIndex` joins them
(a verified text match, a credit linking another page, crawled or not, a ``rel=canonical``
naming a page in the record set). The components are found on integer article ids with
scipy's sparse graph routines, then taken in the order deciding the whole store would list
them (by their first URL), so the family ids and every stored row are the ones a decision
over the whole store gives. The articles in no family follow, in id order.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from crawler.records import Evidence, load_ids
from crawler.store import Store
from graph.families import is_site_root, url_host_outlet

#: Articles per batch: big enough that the per-query overhead vanishes, small enough that a
#: batch's records (a few KB an article while decided) stay a few tens of MB.
BATCH_ARTICLES = 10_000


@dataclass(frozen=True)
class Components:
    """The store's story components: article ids per family component, in family order, and
    the ids of the articles in none."""

    families: list[np.ndarray]
    alone: np.ndarray


def _pairs(rows) -> np.ndarray:
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64)
    return flat.reshape(-1, 2)


def _credit_links(store: Store, evidence: Evidence, last_id: int) -> tuple[np.ndarray, dict[str, int]]:
    """(article id, node) for each credit linking a page, and the node of each page linked
    but never crawled, numbered after the last article id: the joins of
    ``EvidenceIndex._article_target``, taken in the same (credit id) order, since a page
    never crawled becomes a stand-in on the first credit whose outlet is known."""
    stand_ins: dict[str, int] = {}
    pairs: list[tuple[int, int]] = []
    rows = store.db.execute(
        "select t.article_id, t.url, t.outlet, t.name, a.url, s.id from attributions t "
        "join articles a on a.id = t.article_id left join articles s on s.url = t.url "
        "where t.url is not null and t.url != '' order by t.id")
    for article_id, url, outlet, name, own_url, linked_id in rows:
        if url == own_url or is_site_root(url):
            continue
        if linked_id is not None:
            pairs.append((article_id, linked_id))
            continue
        node = stand_ins.get(url)
        if node is None:
            known = outlet or evidence.directory.resolve(url or name or "")
            if not (known or url_host_outlet(url)):
                continue
            node = stand_ins[url] = last_id + 1 + len(stand_ins)
        pairs.append((article_id, node))
    return np.array(pairs, dtype=np.int64).reshape(-1, 2), stand_ins


def _canonical_links(store: Store, stand_ins: dict[str, int]) -> np.ndarray:
    """(article id, node) for each article whose ``rel=canonical`` names another page in
    the record set: a stored article or a linked page never crawled."""
    pairs: list[tuple[int, int]] = []
    rows = store.db.execute(
        "select a.id, a.declared_canonical, c.id from articles a "
        "left join articles c on c.url = a.declared_canonical "
        "where a.declared_canonical is not null and a.declared_canonical != a.url")
    for article_id, canonical, target in rows:
        node = target if target is not None else stand_ins.get(canonical)
        if node is not None:
            pairs.append((article_id, node))
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


def components(store: Store, evidence: Evidence) -> Components:
    """Every story component of the store, in the order whole-store decisions list them."""
    # Imported here: a lookup imports this package and never needs scipy (~0.3 s to load).
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    db = store.db
    last_id = db.execute("select coalesce(max(id), 0) from articles").fetchone()[0]
    exists = np.zeros(last_id + 1, dtype=bool)
    exists[np.fromiter((r[0] for r in db.execute("select id from articles")), dtype=np.int64)] = True
    matches = _pairs(db.execute("select a, b from matches where a != b"))
    # a match naming an article no longer stored joins nothing (as when deciding in memory)
    inside = (matches <= last_id).all(axis=1)
    matches = matches[inside]
    matches = matches[exists[matches[:, 0]] & exists[matches[:, 1]]]
    credits, stand_ins = _credit_links(store, evidence, last_id)
    canonicals = _canonical_links(store, stand_ins)
    edges = np.concatenate([matches, credits, canonicals])
    nodes = last_id + 1 + len(stand_ins)
    graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])),
                       shape=(nodes, nodes)).tocsr()  # fmt: skip
    del matches, credits, canonicals, edges
    _count, labels = connected_components(graph, directed=False)
    del graph
    in_family = np.bincount(labels)[labels] >= 2
    alone = np.flatnonzero(exists & ~in_family[: last_id + 1])
    members = np.flatnonzero(exists & in_family[: last_id + 1])  # stand-ins come with their credits
    # The first URL of each component orders the families (graph.families.UnionFind.groups).
    first: dict[int, str] = {}
    for url, node in stand_ins.items():
        first[int(labels[node])] = min(url, first.get(int(labels[node]), url))
    for article_id, url in db.execute("select id, url from articles"):
        if in_family[article_id]:
            label = int(labels[article_id])
            if label not in first or url < first[label]:
                first[label] = url
    members = members[np.argsort(labels[members], kind="stable")]
    bounds = np.flatnonzero(np.diff(labels[members])) + 1
    groups = {int(labels[g[0]]): g for g in np.split(members, bounds) if len(g)}
    ordered = [groups[label] for label in sorted(first, key=first.__getitem__)]
    return Components(families=ordered, alone=alone)


def batches(store: Store, size: int = BATCH_ARTICLES) -> Iterator[Evidence]:
    """The store's evidence as consecutive batches of whole story components (families
    first, in family order), then the articles in no family, about ``size`` articles each."""
    first = Evidence(store)
    found = components(store, first)
    like = first
    chunk: list[np.ndarray] = []
    held = 0
    for group in found.families:
        chunk.append(group)
        held += len(group)
        if held >= size:
            like = load_ids(store, np.concatenate(chunk).tolist(), like=like)
            yield like
            chunk, held = [], 0
    if chunk:
        like = load_ids(store, np.concatenate(chunk).tolist(), like=like)
        yield like
    for start in range(0, len(found.alone), size):
        like = load_ids(store, found.alone[start:start + size].tolist(), like=like)
        yield like


__all__ = ["BATCH_ARTICLES", "Components", "batches", "components"]
