"""Graph files: GEXF against the published 1.3 schema and read by graphology, round-trips.

The GEXF 1.3 XSD as published declares the viz elements (color, position, size, thickness,
shape) in the main GEXF namespace instead of the viz namespace, so it rejects every file
with viz data (see shared/data/gexf_schema/1.3/SOURCE.md). ``gexf_tools`` repairs only
those namespace declarations, in a temporary copy, before validating.
"""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest
from gexf_tools import SCHEMA_DIR, assert_valid, gexf_schema_or_skip, graphology_reader

from graph.build import article_graph, outlet_graph
from graph.communities import add_communities
from graph.direction import decide_provenance
from graph.errors import ExportError
from graph.export import format_for, write_graph
from graph.samples import GR, SF, sample_records


@pytest.fixture(scope="module")
def gexf_schema():
    return gexf_schema_or_skip()


@pytest.fixture(scope="session")
def graphology():
    return graphology_reader()


@pytest.fixture(scope="module")
def prov():
    return decide_provenance(*sample_records())


@pytest.fixture(scope="module")
def outlets(prov):
    graph = outlet_graph(prov)
    add_communities(graph)
    return graph


@pytest.fixture(scope="module")
def articles(prov):
    graph = article_graph(prov)
    add_communities(graph)
    return graph


@pytest.mark.parametrize("name", ["outlets.gexf", "outlets.gexf.gz"])
def test_outlet_gexf_validates_and_graphology_reads_it(
    tmp_path, outlets, gexf_schema, graphology, name
):
    path = tmp_path / name
    write_graph(outlets, path)
    assert_valid(gexf_schema, path)
    read = graphology(path)
    assert read["type"] == "directed"
    assert read["order"] == outlets.number_of_nodes()
    assert read["size"] == outlets.number_of_edges()
    edges = {(e["source"], e["target"]): e["attrs"] for e in read["edges"]}
    assert set(edges) == set(outlets.edges)
    for (u, v), attrs in edges.items():
        assert attrs["weight"] == outlets[u][v]["weight"]
        assert attrs["date"] == outlets[u][v]["date"]
        assert attrs["relation"] == "republished_by"
    sf = read["nodes"]["southfront.org"]
    assert sf["label"] == "South Front"
    assert sf["articles"] == 1
    assert sf["community"] == outlets.nodes["southfront.org"]["community"]
    assert sf["color"].startswith("rgba(")
    assert sf["size"] > 0
    assert ("southfront.org", "globalresearch.ca") in edges


def test_article_gexf_is_dynamic(tmp_path, articles, gexf_schema, graphology):
    from lxml import etree

    path = tmp_path / "articles.gexf"
    write_graph(articles, path)
    assert_valid(gexf_schema, path)
    doc = etree.parse(str(path))
    ns = {"g": "http://gexf.net/1.3"}
    graph_el = doc.find("g:graph", ns)
    assert graph_el.get("mode") == "dynamic"
    assert graph_el.get("timeformat") == "date"
    starts = {n.get("id"): n.get("start") for n in doc.iterfind(".//g:node", ns)}
    assert starts[SF] == "2020-10-27"
    assert starts[GR] == "2020-10-28"
    edge = next(e for e in doc.iterfind(".//g:edge", ns) if e.get("target") == GR)
    assert edge.get("source") == SF  # origin → copy
    assert edge.get("start") == "2020-10-28"
    read = graphology(path)
    assert read["order"] == articles.number_of_nodes()
    assert read["size"] == articles.number_of_edges()
    gr_edge = next(e for e in read["edges"] if e["target"] == GR)
    assert gr_edge["source"] == SF
    assert gr_edge["attrs"]["attribution"] == "The original source of this article is South Front"
    assert gr_edge["attrs"]["lag_hours"] == 24
    assert read["nodes"][GR]["date"] == "2020-10-28T10:00:00Z"


def test_gexf_round_trip_networkx(tmp_path, outlets):
    path = tmp_path / "o.gexf"
    write_graph(outlets, path)
    back = nx.read_gexf(path)
    assert set(back.nodes) == set(outlets.nodes)
    assert {(u, v) for u, v in back.edges()} == set(outlets.edges)
    assert back["southfront.org"]["globalresearch.ca"]["weight"] == 1.0
    assert back.nodes["southfront.org"]["start"] == "2020-10-27"
    assert back.nodes["southfront.org"]["label"] == "South Front"


def test_graphml_round_trip(tmp_path, articles):
    path = tmp_path / "a.graphml"
    write_graph(articles, path)
    back = nx.read_graphml(path)
    assert set(back.nodes) == set(articles.nodes)
    assert set(back.edges) == set(articles.edges)
    assert back[SF][GR]["similarity"] == pytest.approx(0.91)
    assert back[SF][GR]["basis"] == "attribution; published_at"
    assert back.nodes[GR]["outlet"] == "globalresearch.ca"
    assert back.nodes[GR]["color"].startswith("#")


def test_json_round_trip(tmp_path, outlets):
    path = tmp_path / "o.json"
    write_graph(outlets, path)
    data = json.loads(path.read_text())
    assert {"nodes", "links"} <= data.keys()
    for node in data["nodes"]:
        assert {"id", "label", "x", "y", "size", "color"} <= node.keys()
    back = nx.node_link_graph(data, edges="links")
    assert set(back.edges) == set(outlets.edges)
    assert back["southfront.org"]["globalresearch.ca"]["weight"] == 1.0


def test_csv_is_gephi_spreadsheet_format(tmp_path, outlets):
    written = write_graph(outlets, tmp_path / "o.csv")
    assert [p.name for p in written] == ["o.nodes.csv", "o.edges.csv"]
    with written[0].open() as handle:
        nodes = list(csv.DictReader(handle))
    with written[1].open() as handle:
        edges = list(csv.DictReader(handle))
    assert list(nodes[0])[:2] == ["Id", "Label"]
    assert list(edges[0])[:4] == ["Source", "Target", "Type", "Weight"]
    assert {n["Id"] for n in nodes} == set(outlets.nodes)
    assert {(e["Source"], e["Target"]) for e in edges} == set(outlets.edges)
    assert all(e["Type"] == "Directed" for e in edges)
    assert all(float(e["Weight"]) >= 1 for e in edges)
    # a directory gets nodes.csv and edges.csv
    folder = tmp_path / "dir"
    folder.mkdir()
    assert [p.name for p in write_graph(outlets, folder)] == ["nodes.csv", "edges.csv"]


def messy_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_node(
        "a",
        title="Bad\x00 title\x07 with <b>markup</b> & \x1f\nnewline",
        date="2021-01-01",
        score=None,
        tags=["x", "y"],
        meta={"k": 1},
        mixed=1,
        start="not ours",
        label=None,
    )
    graph.add_node("b", title=None, date=None, mixed=2.5, end="2022", viz="bogus")
    graph.add_node(3, title="numeric id", mixed="text", nan=float("nan"))
    graph.add_edge("a", "b", weight=None, note=None, basis=("a", "b"), date="2021-01-02T05:00:00Z")
    graph.add_edge("b", 3, weight=2, id="custom", type="odd")
    return graph


@pytest.mark.parametrize("suffix", [".gexf", ".gexf.gz", ".graphml", ".json", ".csv"])
def test_messy_attributes_export_everywhere(tmp_path, suffix, request):
    written = write_graph(messy_graph(), tmp_path / f"messy{suffix}")
    for path in written:
        assert path.stat().st_size > 0
    if suffix.startswith(".gexf"):
        if SCHEMA_DIR.is_dir():
            assert_valid(request.getfixturevalue("gexf_schema"), written[0])
        back = nx.read_gexf(written[0])
        assert back.nodes["a"]["label"] == "Bad title with <b>markup</b> & newline"
        assert back.nodes["a"]["tags"] == "x; y"
        assert back.nodes["a"]["start_"] == "not ours"
        assert back.nodes["3"]["mixed"] == "text"
    if suffix == ".graphml":
        back = nx.read_graphml(written[0])
        assert back.nodes["a"]["title"] == "Bad title with <b>markup</b> & newline"
        assert "score" not in back.nodes["a"]


@pytest.mark.parametrize("suffix", [".gexf", ".gexf.gz", ".graphml", ".json", ".csv"])
def test_empty_graph_exports(tmp_path, suffix, request):
    written = write_graph(nx.DiGraph(), tmp_path / f"empty{suffix}")
    assert all(p.exists() for p in written)
    if suffix.startswith(".gexf") and SCHEMA_DIR.is_dir():
        assert_valid(request.getfixturevalue("gexf_schema"), written[0])


def test_empty_provenance_graphs():
    prov = decide_provenance([])
    assert outlet_graph(prov).number_of_nodes() == 0
    assert article_graph(prov).number_of_nodes() == 0


def test_missing_directory_and_unknown_extension(tmp_path, outlets):
    with pytest.raises(ExportError, match="directory does not exist"):
        write_graph(outlets, tmp_path / "nope" / "o.gexf")
    with pytest.raises(ExportError, match="unknown export format.*gexf"):
        write_graph(outlets, tmp_path / "o.xlsx")
    with pytest.raises(ExportError):
        format_for("gexf")
    assert format_for("A.GEXF.GZ") == "gexf"
