"""The two republication graphs built from provenance decisions.

Edge direction: **origin → copy**, the way content flows. An edge ``u → v`` says "``v``
republished ``u``" (``relation="republished_by"``); the evidence records of DESIGN.md are
stated the other way (copy → origin, "copied from"), which is the edge read backwards. In
the article graph ``u`` is the copy's ``copied_from`` (not always the family origin: a chain
A→B→C gives edges A→B and B→C). In the outlet graph ``u`` is the outlet that published the
source article and ``v`` the outlet that republished it; ``weight`` counts republished
articles.

Node and edge attributes are plain data (dates as ISO strings, lists as lists, ``None`` for
unknown); :mod:`graph.clean` turns them into what each file format can hold.

- :func:`article_graph` -- nodes are articles (``outlet``, ``title``, ``date`` ...), edges
  carry similarity, containment, attribution, lag.
- :func:`outlet_graph` -- nodes are outlets (``name``, ``domain``, ``articles``, ``copy_share``,
  ``copied_share`` ...), edges carry ``weight``, ``attributed_share``, median and p90 lag.
- :func:`ego_network` -- one outlet and its neighbourhood, in either graph.

An origin outside the store (a wire agency, a print issue, an outlet not crawled) is a node
too, with ``kind`` saying what it is (``wire``, ``syndicator``, ``outlet``, ``print``; crawled
articles are ``article``, crawled outlets ``outlet``) and ``in_store`` false, and an edge to
each copy that credits it. A copy whose source is undetermined is a node without an edge.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from statistics import median

import networkx as nx

from .direction import CopyLink, Family, Provenance
from .timing import TimeEvidence, parse_time, time_iso

RELATION = "republished_by"


def _bound(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    when = parse_time(value)
    if when is None:
        raise ValueError(f"not an ISO-8601 date: {value!r} (use e.g. 2020-10-27)")
    return when


class TimeWindow:
    """A since/until filter on time evidence; no bounds lets everything through."""

    def __init__(self, since: str | datetime | None, until: str | datetime | None) -> None:
        self.since = _bound(since)
        self.until = _bound(until)

    @property
    def open(self) -> bool:
        return self.since is None and self.until is None

    def __contains__(self, time: TimeEvidence) -> bool:
        if self.open:
            return True
        if time.when is None:
            return False  # an undated article cannot be placed in a window
        if self.since is not None and time.when < self.since:
            return False
        return not (self.until is not None and time.when > self.until)


def percentile(values: list[float], share: float) -> float | None:
    """Linear-interpolated percentile (``share`` in [0, 1]) of ``values``; ``None`` if empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _article_node(prov: Provenance, url: str, family: Family | None) -> dict:
    article = prov.articles[url]
    time = prov.time(url)
    role = "unique" if family is None else "origin" if url == family.origin else "copy"
    external = prov.external.get(url)
    return {
        "url": external.url if external else url,
        "kind": external.kind if external else "article",
        "in_store": url not in prov.uncrawled,
        "name": external.name if external else article.outlet_name or article.outlet,
        "outlet": article.outlet,
        "outlet_name": article.outlet_name or article.outlet,
        "title": article.title,
        "date": time_iso(time),
        "date_basis": time.label,
        "role": role,
        "family": None if family is None else family.id,
        "crawled": url not in prov.uncrawled,
        "attributed": None
        if family is None or url not in family.links
        else family.links[url].attributed,
    }


def _edge_data(prov: Provenance, family: Family, link: CopyLink) -> dict:
    attribution = link.attribution
    return {
        "relation": RELATION,
        "similarity": _rounded(link.similarity, 3),
        "containment": _rounded(link.containment, 3),
        "containment_copy_in_source": _rounded(link.containment_copy_in_source, 3),
        "text_kind": link.text_kind,
        "attributed": link.attributed,
        "attribution_kind": attribution.kind if attribution else None,
        "attribution": attribution.sentence if attribution else None,
        "basis": list(link.basis),
        "confidence": link.confidence,
        "lag_hours": link.lag_hours,
        "date": time_iso(prov.time(link.url)),
        "family": family.id,
    }


def article_graph(
    prov: Provenance,
    *,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
    include_singletons: bool = False,
) -> nx.DiGraph:
    """Articles as nodes, one edge ``copied_from → copy`` per copy (see module docstring).

    ``since``/``until`` keep copies dated in the window (with their sources) and origins
    dated in it; undated articles are dropped when a bound is given. Articles in no family
    are left out unless ``include_singletons``.
    """
    window = TimeWindow(since, until)
    graph = nx.DiGraph(level="article", edge_direction="origin->copy", relation=RELATION)
    for family, link in prov.links():
        if prov.time(link.url) not in window:
            continue
        for url in (link.copied_from, link.url):
            if url is not None and url not in graph:
                graph.add_node(url, **_article_node(prov, url, family))
        if link.copied_from is not None:  # an undetermined source is no edge
            graph.add_edge(link.copied_from, link.url, **_edge_data(prov, family, link))
    for family in prov.families:
        if family.origin not in graph and prov.time(family.origin) in window:
            graph.add_node(family.origin, **_article_node(prov, family.origin, family))
    if include_singletons:
        for url in prov.articles:
            if url not in graph and url not in prov.family_of and prov.time(url) in window:
                graph.add_node(url, **_article_node(prov, url, None))
    return graph


def outlet_graph(
    prov: Provenance,
    *,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
    min_weight: int = 1,
) -> nx.DiGraph:
    """Outlets as nodes, ``source outlet → republishing outlet`` edges weighted by count.

    Node attributes: ``name``, ``domain``, ``articles`` (all its articles in the window),
    ``originals`` (family origins), ``copies`` (its articles that copy another outlet),
    ``copy_share`` = copies / articles, ``copied`` (its articles republished elsewhere),
    ``copied_share`` = copied / articles. Edge attributes: ``weight``, ``attributed``,
    ``attributed_share``, ``median_lag_hours``, ``p90_lag_hours``, ``first``/``last`` dates.
    An outlet republishing its own article (two URLs) is not an edge. Edges lighter than
    ``min_weight`` are dropped; the outlets stay.
    """
    window = TimeWindow(since, until)
    names: dict[str, str] = {}
    counts: dict[str, int] = defaultdict(int)
    for url, article in prov.articles.items():
        if url in prov.uncrawled:
            continue
        if article.outlet_name and article.outlet not in names:
            names[article.outlet] = article.outlet_name
        if window.open or prov.time(url) in window:
            counts[article.outlet] += 1
    originals: dict[str, int] = defaultdict(int)
    for family in prov.families:
        if prov.time(family.origin) in window:
            originals[prov.articles[family.origin].outlet] += 1
    copying: dict[str, set[str]] = defaultdict(set)
    copied: dict[str, set[str]] = defaultdict(set)
    first_date: dict[str, str] = {}
    pairs: dict[tuple[str, str], list[CopyLink]] = defaultdict(list)
    kinds: dict[str, str] = {}
    for external in prov.external.values():
        outlet = prov.articles[external.key].outlet
        kinds[outlet] = external.kind
        names.setdefault(outlet, external.name)
    for _family, link in unique_links(prov):
        if prov.time(link.url) not in window or link.copied_from is None:
            continue
        source_outlet = prov.articles[link.copied_from].outlet
        copy_outlet = prov.articles[link.url].outlet
        for url, outlet in ((link.url, copy_outlet), (link.copied_from, source_outlet)):
            date = time_iso(prov.time(url))
            if date is not None and (outlet not in first_date or date < first_date[outlet]):
                first_date[outlet] = date
        if source_outlet == copy_outlet:
            continue
        pairs[(source_outlet, copy_outlet)].append(link)
        copying[copy_outlet].add(link.url)
        copied[source_outlet].add(link.copied_from)

    graph = nx.DiGraph(level="outlet", edge_direction="origin->copy", relation=RELATION)
    endpoints = {outlet for pair in pairs for outlet in pair}
    crawled = {a.outlet for url, a in prov.articles.items() if url not in prov.uncrawled}
    for outlet in sorted(set(counts) | set(first_date) | endpoints):
        articles = counts.get(outlet, 0)
        graph.add_node(
            outlet,
            name=names.get(outlet, outlet),
            domain=outlet,
            kind=kinds.get(outlet, "outlet"),
            in_store=outlet in crawled,
            articles=articles,
            originals=originals.get(outlet, 0),
            copies=len(copying.get(outlet, ())),
            copied=len(copied.get(outlet, ())),
            copy_share=round(len(copying.get(outlet, ())) / articles, 4) if articles else 0.0,
            copied_share=round(len(copied.get(outlet, ())) / articles, 4) if articles else 0.0,
            date=first_date.get(outlet),
        )
    for (source, target), links in sorted(pairs.items()):
        if len(links) < min_weight:
            continue
        lags = [link.lag_hours for link in links if link.lag_hours is not None]
        dates = sorted(d for d in (time_iso(prov.time(link.url)) for link in links) if d)
        attributed = sum(1 for link in links if link.attributed)
        graph.add_edge(
            source,
            target,
            relation=RELATION,
            weight=len(links),
            attributed=attributed,
            attributed_share=round(attributed / len(links), 4),
            median_lag_hours=_rounded(median(lags)) if lags else None,
            p90_lag_hours=_rounded(percentile(lags, 0.9)),
            first=dates[0] if dates else None,
            last=dates[-1] if dates else None,
            date=dates[0] if dates else None,
        )
    return graph


def unique_links(prov: Provenance) -> list[tuple[Family, CopyLink]]:
    """Every copy link once: a bridge article copies each of its stories, but once per source."""
    seen: set[tuple[str, str | None]] = set()
    found = []
    for family, link in prov.links():
        if (link.url, link.copied_from) not in seen:
            seen.add((link.url, link.copied_from))
            found.append((family, link))
    return found


def ego_network(graph: nx.DiGraph, outlet: str, radius: int = 1) -> nx.DiGraph:
    """``outlet`` and everything within ``radius`` steps of it, either edge direction.

    In the outlet graph the centre is the outlet node; in the article graph it is every
    article of the outlet. An unknown outlet gives an empty graph.
    """
    if graph.graph.get("level") == "outlet" or outlet in graph:
        centres: Iterable[str] = [outlet] if outlet in graph else []
    else:
        centres = [n for n, data in graph.nodes(data=True) if data.get("outlet") == outlet]
    undirected = graph.to_undirected(as_view=True)
    keep: set[str] = set()
    for centre in centres:
        keep.update(nx.single_source_shortest_path_length(undirected, centre, cutoff=radius))
    return graph.subgraph(keep).copy()
