"""Write a graph to GEXF (``.gexf``, ``.gexf.gz``), GraphML, node-link JSON or CSV.

The format comes from the file name. Every writer first runs :func:`graph.clean.clean_graph`.

- GEXF 1.3 (Gephi): dynamic -- nodes and edges carry ``start`` dates (``timeformat="date"``)
  so Gephi's timeline animates the spread -- with viz colour, size and position.
- GraphML (yEd, Cytoscape, igraph, Gephi).
- JSON: node-link (``{"nodes": [...], "links": [{"source", "target", ...}]}``) as D3 and
  sigma.js load it, with ``label``, ``x``, ``y``, ``size`` and ``color`` on nodes.
- CSV: ``NAME.nodes.csv`` (``Id,Label,...``) and ``NAME.edges.csv``
  (``Source,Target,Type,Weight,...``) in Gephi's spreadsheet-import format, for ``NAME.csv``;
  a directory gets ``nodes.csv`` and ``edges.csv``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from .clean import clean_graph
from .errors import ExportError

FORMATS = {
    ".gexf": "gexf",
    ".gexf.gz": "gexf",
    ".graphml": "graphml",
    ".json": "json",
    ".csv": "csv",
}
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def format_for(path: str | Path) -> str:
    """The export format named by ``path``'s extension; :class:`ExportError` if unknown."""
    name = Path(path).name.lower()
    for suffix in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return FORMATS[suffix]
    if Path(path).is_dir():
        return "csv"
    known = ", ".join(FORMATS)
    raise ExportError(f"unknown export format for {str(path)!r}: use one of {known}")


def write_graph(graph: nx.Graph, path: str | Path, *, layout: bool = True) -> list[Path]:
    """Write ``graph`` to ``path`` in the format its extension names; returns the files written."""
    path = Path(path)
    fmt = format_for(path)
    directory = path if path.is_dir() else path.parent
    if not directory.is_dir():
        raise ExportError(f"directory does not exist: {str(directory)!r}")
    cleaned = clean_graph(graph, fmt, layout=layout)
    try:
        if fmt == "gexf":
            return [_write_gexf(cleaned, path)]
        if fmt == "graphml":
            nx.write_graphml(cleaned, path, named_key_ids=True)
            return [path]
        if fmt == "json":
            return [_write_json(cleaned, path)]
        return _write_csv(cleaned, path)
    except OSError as exc:
        raise ExportError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from exc


def gexf_bytes(cleaned: nx.Graph) -> bytes:
    """GEXF 1.3 of an already cleaned graph.

    networkx writes GEXF 1.3 with a misspelt XML Schema-instance namespace and a ``name``
    attribute the 1.3 schema does not allow on ``<graph>``; both are repaired here.
    """
    writer = GEXFWriter(graph=cleaned, version="1.3", prettyprint=True)
    writer.xml.set("xmlns:xsi", _XSI)
    writer.graph_element.attrib.pop("name", None)
    if writer.graph_element.get("timeformat"):
        writer.graph_element.set("timeformat", "date")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _write_gexf(cleaned: nx.Graph, path: Path) -> Path:
    data = gexf_bytes(cleaned)
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "wb") as handle:
            handle.write(data)
    else:
        path.write_bytes(data)
    return path


def _write_json(cleaned: nx.Graph, path: Path) -> Path:
    data = nx.node_link_data(cleaned, edges="links")
    with path.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return path


# CSV column order, as documented (docs/exports.md): the identity columns, the attributes
# in the order a reader wants them, any others alphabetically, then drawing columns.
NODE_ORDER = ["Id", "Label", "name", "domain", "url", "outlet", "title", "kind", "in_store",
              "articles", "originals", "copies", "copied", "copy_share", "copied_share",
              "date", "date_basis", "role", "family"]
EDGE_ORDER = ["Source", "Target", "Type", "Weight", "relation", "attributed",
              "attributed_share", "median_lag_hours", "p90_lag_hours", "first", "last",
              "similarity", "containment", "attribution", "basis", "confidence", "lag_hours"]
DRAWING = ["community", "color", "r", "g", "b", "size", "x", "y"]


def _columns(rows: list[dict], first: list[str]) -> list[str]:
    seen = {key for row in rows for key in row}
    head = [c for c in first if c in seen or c in first[:4]]
    tail = [c for c in DRAWING if c in seen]
    return head + sorted(seen - set(head) - set(tail)) + tail


def _write_csv(cleaned: nx.Graph, path: Path) -> list[Path]:
    if path.is_dir():
        nodes_path, edges_path = path / "nodes.csv", path / "edges.csv"
    else:
        stem = path.name[: -len(".csv")]
        nodes_path, edges_path = (
            path.with_name(f"{stem}.nodes.csv"),
            path.with_name(f"{stem}.edges.csv"),
        )
    node_rows = []
    for node, data in cleaned.nodes(data=True):
        row = {"Id": node, "Label": data.get("label", node)}
        row.update({k: v for k, v in data.items() if k != "label"})
        node_rows.append(row)
    edge_type = "Directed" if cleaned.is_directed() else "Undirected"
    edge_rows = []
    for u, v, data in cleaned.edges(data=True):
        row = {"Source": u, "Target": v, "Type": edge_type, "Weight": data.get("weight", 1.0)}
        row.update({k: v for k, v in data.items() if k != "weight"})
        edge_rows.append(row)
    for target, rows, first in (
        (nodes_path, node_rows, NODE_ORDER),
        (edges_path, edge_rows, EDGE_ORDER),
    ):
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=_columns(rows, first))
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {k: str(v).lower() if isinstance(v, bool) else v for k, v in row.items()}
                )
    return [nodes_path, edges_path]
