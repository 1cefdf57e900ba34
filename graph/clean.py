"""Make a graph writable: one function, run once before any export.

File formats are stricter than networkx graphs. networkx's GEXF writer fails on ``None``,
takes lists for time series, writes a non-schema ``timeformat`` for integer times, and turns
``label``, ``start``, ``end``, ``viz``, ``weight`` into GEXF structure; GraphML holds only
scalars; XML 1.0 cannot hold most control characters at all. :func:`clean_graph` returns a
new graph in which

- ``None``, NaN and infinities are dropped; lists, tuples and sets are joined with ``"; "``;
  dicts become JSON text; datetimes become ISO-8601 text;
- every attribute has one type across all nodes (and across all edges): mixed int/float
  becomes float, any other mix becomes text;
- strings lose control characters and runs of whitespace, and non-characters XML rejects;
- ordinary data named like GEXF structure (``end``, ``id``, ``pid``, ``spells``, ...) is
  renamed with a trailing underscore; ``label``, ``start``, ``viz``/colour/size and
  ``weight`` are set here, on purpose:

  * ``label``: the article title or outlet name;
  * ``start``: the ``date`` attribute as ``YYYY-MM-DD`` (GEXF ``timeformat="date"``), never
    before the start of an edge's endpoints, so Gephi's timeline shows the spread;
  * colour by ``community`` (or outlet), size by article count (or degree), and a layout
    position with ``z`` -- as ``viz`` for GEXF, as flat ``color``/``r``/``g``/``b``/``size``/
    ``x``/``y`` attributes for the other formats.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime

import networkx as nx

from .timing import parse_time

# GEXF structure and networkx writer internals: never ordinary data.
_STRUCTURAL = {
    "label",
    "start",
    "end",
    "viz",
    "weight",
    "id",
    "pid",
    "spells",
    "slices",
    "parents",
    "type",
    "key",
    "networkx_key",
    "mode",
}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Twelve colours that stay apart on white and for most colour-blind readers (Tableau 10 + 2).
PALETTE = [
    (78, 121, 167),
    (242, 142, 43),
    (225, 87, 89),
    (118, 183, 178),
    (89, 161, 79),
    (237, 201, 72),
    (176, 122, 161),
    (255, 157, 167),
    (156, 117, 95),
    (186, 176, 172),
    (31, 119, 180),
    (148, 103, 189),
]
_LAYOUT_LIMIT = 5000  # spring layout beyond this is slow and unreadable anyway
FORMATS_FLAT = ("graphml", "json", "csv")


def clean_text(value: str) -> str:
    """Text without control characters, with single spaces."""
    return _SPACE.sub(" ", _CONTROL.sub(" ", value)).strip()


def _clean_value(value: object) -> object | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        parts = [clean_text(str(v)) for v in items if v is not None]
        return "; ".join(p for p in parts if p)
    if isinstance(value, dict):
        return clean_text(json.dumps(value, default=str, sort_keys=True))
    if hasattr(value, "item"):  # numpy scalars
        return _clean_value(value.item())
    return clean_text(str(value))


def _clean_attrs(items: list[dict]) -> None:
    """Clean attribute dicts in place and give each key one type across all of them."""
    types: dict[str, set[type]] = {}
    for data in items:
        for key in list(data):
            value = _clean_value(data.pop(key))
            if value is None or value == "":
                continue
            name = f"{key}_" if key in _STRUCTURAL else clean_text(str(key)) or "attr"
            data[name] = value
            types.setdefault(name, set()).add(type(value))
    for name, found in types.items():
        if len(found) == 1:
            continue
        target: type = float if found <= {int, float} else str
        for data in items:
            if name in data:
                value = data[name]
                data[name] = target(str(value).lower() if isinstance(value, bool) else value)


def _day(value: object) -> str | None:
    """``YYYY-MM-DD`` from an ISO date or timestamp (UTC), or ``None``."""
    if not isinstance(value, str):
        return None
    if _DAY.match(value):
        return value
    when = parse_time(value)
    return when.date().isoformat() if when else None


def _colour_keys(graph: nx.Graph) -> dict[object, object]:
    key = "community" if any("community" in d for _, d in graph.nodes(data=True)) else "outlet"
    values = {n: d.get(key, d.get("domain", n)) for n, d in graph.nodes(data=True)}
    # Most frequent groups get the first, most distinct colours.
    counts: dict[object, int] = {}
    for value in values.values():
        counts[value] = counts.get(value, 0) + 1
    order = sorted(counts, key=lambda v: (-counts[v], str(v)))
    index = {value: i for i, value in enumerate(order)}
    return {node: index[value] for node, value in values.items()}


def _sizes(graph: nx.Graph) -> dict[object, float]:
    raw = {}
    for node, data in graph.nodes(data=True):
        count = data.get("articles")
        raw[node] = float(count) if isinstance(count, (int, float)) else float(graph.degree(node))
    top = max(raw.values(), default=0.0) or 1.0
    # Square root so that area, not radius, tracks the count.
    return {node: round(4.0 + 36.0 * math.sqrt(value / top), 2) for node, value in raw.items()}


def _layout(graph: nx.Graph) -> dict[object, tuple[float, float]]:
    if graph.number_of_nodes() == 0 or graph.number_of_nodes() > _LAYOUT_LIMIT:
        return {}
    pos = nx.spring_layout(graph.to_undirected(as_view=True), seed=7, weight=None)
    return {n: (round(float(x) * 500, 2), round(float(y) * 500, 2)) for n, (x, y) in pos.items()}


def clean_graph(graph: nx.Graph, fmt: str = "gexf", *, layout: bool = True) -> nx.Graph:
    """A writable copy of ``graph`` for ``fmt`` (``gexf``, ``graphml``, ``json``, ``csv``).

    The input is not changed. Node ids become strings.
    """
    colours = _colour_keys(graph)
    sizes = _sizes(graph)
    positions = _layout(graph) if layout else {}
    result = graph.__class__()
    result.graph.update(
        {k: v for k, v in ((k, _clean_value(v)) for k, v in graph.graph.items()) if v is not None}
    )
    ids = {node: clean_text(str(node)) or f"node-{i}" for i, node in enumerate(graph.nodes)}
    nodes = [dict(data) for _, data in graph.nodes(data=True)]
    edges = [dict(data) for _, _, data in graph.edges(data=True)]
    weights = [data.get("weight") for data in edges]
    _clean_attrs(nodes)
    _clean_attrs(edges)
    node_start: dict[str, str] = {}
    for (node, original), data in zip(graph.nodes(data=True), nodes, strict=True):
        label = original.get("title") or original.get("name") or node
        data["label"] = clean_text(str(label)) or ids[node]
        r, g, b = PALETTE[colours[node] % len(PALETTE)]
        x, y = positions.get(node, (0.0, 0.0))
        start = _day(original.get("date"))
        if fmt == "gexf":
            viz = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": sizes[node]}
            if node in positions:
                viz["position"] = {"x": x, "y": y, "z": 0.0}
            data["viz"] = viz
            if start:
                data["start"] = start
                node_start[ids[node]] = start
        else:
            data.update(
                {"color": f"#{r:02x}{g:02x}{b:02x}", "r": r, "g": g, "b": b, "size": sizes[node]}
            )
            if node in positions:
                data.update({"x": x, "y": y})
        result.add_node(ids[node], **data)
    for (u, v, original), data, weight in zip(graph.edges(data=True), edges, weights, strict=True):
        data.pop("weight_", None)
        if (
            isinstance(weight, (int, float))
            and not isinstance(weight, bool)
            and math.isfinite(weight)
        ):
            data["weight"] = float(weight)
        if fmt == "gexf":
            starts = [
                s
                for s in (
                    _day(original.get("date")),
                    node_start.get(ids[u]),
                    node_start.get(ids[v]),
                )
                if s
            ]
            if _day(original.get("date")) and starts:
                data["start"] = max(starts)  # an edge cannot exist before its nodes
        result.add_edge(ids[u], ids[v], **data)
    return result
