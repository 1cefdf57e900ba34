"""``crosspost export`` on a real crawl of the sample web: every format, filters, bad input.

Expected graphs come from the sample web's ground truth (``crawler.sampleweb.truth``): an
outlet edge ``origin outlet -> republishing outlet`` for every planted relation, weighted by
how many articles that outlet took from the other.
"""

from __future__ import annotations

import csv
import gzip
import json
import shutil
import sqlite3
from collections import Counter
from datetime import UTC, datetime

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import run_cli
from gexf_tools import assert_valid, gexf_schema_or_skip, graphology_reader
from lxml import etree

from crawler.cli import cli
from crawler.sampleweb import truth
from crawler.store import Store

GEXF_NS = {"g": "http://gexf.net/1.3"}


@pytest.fixture(scope="module")
def gexf_schema():
    return gexf_schema_or_skip()


@pytest.fixture(scope="session")
def graphology():
    return graphology_reader()


def utc(published: str) -> datetime:
    return datetime.fromisoformat(published).astimezone(UTC)


def utc_text(published: str) -> str:
    return utc(published).strftime("%Y-%m-%dT%H:%M:%SZ")


def outlet_of(url: str) -> str:
    return truth.source_outlet(url)  # an article's outlet, or the wire agency's domain


AGENCY = truth.WIRE_STORY.agency_outlet
NODES = {o.domain: o.name for o in truth.OUTLETS} | {AGENCY: truth.WIRE_STORY.agency}


def expected_edges(since: datetime | None = None, until: datetime | None = None) -> Counter:
    """(origin outlet, copying outlet) -> planted republications, copies dated in the window."""
    edges: Counter = Counter()
    for rel in truth.REPUBLICATIONS:
        when = utc(truth.article(rel.copy_url).published)
        if (since and when < since) or (until and when > until):
            continue
        edges[(outlet_of(rel.origin_url), outlet_of(rel.copy_url))] += 1
    return edges


def first_copy_dates() -> dict[tuple[str, str], str]:
    dates: dict[tuple[str, str], str] = {}
    for rel in truth.REPUBLICATIONS:
        pair = (outlet_of(rel.origin_url), outlet_of(rel.copy_url))
        when = utc_text(truth.article(rel.copy_url).published)
        dates[pair] = min(dates.get(pair, when), when)
    return dates


class Ran:
    """What a CLI run left: exit status, stdout, stderr (a subprocess or click's runner)."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def export(db, out, *args: str, subprocess: bool = False) -> Ran:
    """``crosspost export``: as a real process for the main paths, in-process (fast) otherwise."""
    argv = ["export", str(out), "--db", str(db), *args]
    if subprocess:
        done = run_cli(argv, timeout=120)
        result = Ran(done.returncode, done.stdout, done.stderr)
    else:
        ran = CliRunner().invoke(cli, argv)
        if ran.exception and not isinstance(ran.exception, SystemExit):
            raise ran.exception
        result = Ran(ran.exit_code, ran.stdout, ran.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def outlet_gexf(full_crawl, tmp_path_factory):
    db, _, _ = full_crawl
    out = tmp_path_factory.mktemp("export") / "outlets.gexf"
    result = export(db, out, subprocess=True)
    assert result.returncode == 0, result.stderr
    return out, result


def test_outlet_gexf_opens_in_graphology_with_the_planted_edges(outlet_gexf, graphology,
                                                                gexf_schema):
    path, result = outlet_gexf
    assert f"wrote {path}: {len(NODES)} nodes, {len(expected_edges())} edges" in result.stdout
    assert_valid(gexf_schema, path)
    read = graphology(path)
    assert read["type"] == "directed"
    assert set(read["nodes"]) == set(NODES)
    edges = {(e["source"], e["target"]): e["attrs"] for e in read["edges"]}
    expected = expected_edges()
    assert {pair: attrs["weight"] for pair, attrs in edges.items()} == dict(expected)
    flagship = (truth.article(truth.FLAGSHIP_ORIGIN_URL).outlet,
                truth.article(truth.FLAGSHIP_COPY_URL).outlet)
    assert flagship == ("southfront.test", "globalresearch.test")
    south_front_to_gr = sum(
        1 for rel in truth.RELATIONS
        if outlet_of(rel.origin_url) == "southfront.test"
        and outlet_of(rel.copy_url) == "globalresearch.test"
    )
    assert edges[flagship]["weight"] == south_front_to_gr == 2
    assert edges[flagship]["relation"] == "republished_by"
    for pair, date in first_copy_dates().items():
        assert edges[pair]["date"] == date, pair
    for outlet in truth.OUTLETS:
        node = read["nodes"][outlet.domain]
        assert node["label"] == outlet.name
        assert node["articles"] == len(truth.articles_of(outlet.domain))
        assert isinstance(node["community"], int)
        assert node["color"].startswith("rgba(") and node["size"] > 0


def test_outlet_gexf_is_dynamic_for_gephis_timeline(outlet_gexf):
    path, _ = outlet_gexf
    doc = etree.parse(str(path))
    graph_el = doc.find("g:graph", GEXF_NS)
    assert graph_el.get("mode") == "dynamic" and graph_el.get("timeformat") == "date"
    edge_starts = {(e.get("source"), e.get("target")): e.get("start")
                   for e in doc.iterfind(".//g:edge", GEXF_NS)}
    node_starts = {n.get("id"): n.get("start") for n in doc.iterfind(".//g:node", GEXF_NS)}
    for (source, target), date in first_copy_dates().items():
        start = edge_starts[(source, target)]
        assert start >= date[:10]  # never before the republication ...
        # ... or its nodes (an agency outside the store has no date: its node has no start)
        assert all(start >= node_starts[n] for n in (source, target) if node_starts[n])
        assert node_starts[target]


@pytest.mark.parametrize("suffix", [".gexf.gz", ".graphml", ".json", ".csv"])
def test_every_format_round_trips(full_crawl, tmp_path, suffix, graphology, gexf_schema):
    db, _, _ = full_crawl
    out = tmp_path / f"outlets{suffix}"
    result = export(db, out)
    assert result.returncode == 0, result.stderr
    expected = dict(expected_edges())
    if suffix == ".gexf.gz":
        assert_valid(gexf_schema, out)
        read = graphology(out)
        got = {(e["source"], e["target"]): e["attrs"]["weight"] for e in read["edges"]}
        with gzip.open(out) as handle:
            back = nx.read_gexf(handle)
        assert {(u, v): d["weight"] for u, v, d in back.edges(data=True)} == expected
    elif suffix == ".graphml":
        back = nx.read_graphml(out)
        got = {(u, v): d["weight"] for u, v, d in back.edges(data=True)}
        assert back.nodes["southfront.test"]["name"] == "South Front"
        assert back.nodes["southfront.test"]["color"].startswith("#")
    elif suffix == ".json":
        data = json.loads(out.read_text())
        back = nx.node_link_graph(data, edges="links")
        got = {(u, v): d["weight"] for u, v, d in back.edges(data=True)}
        assert all({"id", "label", "x", "y", "size", "color"} <= n.keys() for n in data["nodes"])
    else:
        nodes_file, edges_file = tmp_path / "outlets.nodes.csv", tmp_path / "outlets.edges.csv"
        assert f"wrote {nodes_file}: {len(NODES)} nodes" in result.stdout
        assert f"wrote {edges_file}: {len(expected)} edges" in result.stdout
        with nodes_file.open(newline="") as handle:
            nodes = list(csv.DictReader(handle))
        with edges_file.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert list(nodes[0])[:2] == ["Id", "Label"]
        assert list(rows[0])[:4] == ["Source", "Target", "Type", "Weight"]
        assert {n["Id"]: n["Label"] for n in nodes} == NODES
        assert all(row["Type"] == "Directed" for row in rows)
        got = {(row["Source"], row["Target"]): float(row["Weight"]) for row in rows}
    assert got == expected


def test_article_graph_has_an_edge_for_every_planted_relation(full_crawl, tmp_path,
                                                             graphology, gexf_schema):
    db, _, _ = full_crawl
    out = tmp_path / "articles.gexf"
    result = export(db, out, "--level", "article", subprocess=True)
    assert result.returncode == 0, result.stderr
    assert "article graph" in result.stdout
    assert_valid(gexf_schema, out)
    read = graphology(out)
    edges = {(e["source"], e["target"]): e["attrs"] for e in read["edges"]}
    for rel in truth.REPUBLICATIONS:
        # the agency's story is one node, named after it: no article of it is in the store
        origin = "external:" + AGENCY if rel.origin_url == AGENCY else rel.origin_url
        assert (origin, rel.copy_url) in edges, (rel.kind, rel.copy_url)
    # and nothing else: no same-event false copies
    assert len(edges) == len(truth.REPUBLICATIONS)
    for a, b in truth.INDEPENDENT_PAIRS:
        assert (a, b) not in edges and (b, a) not in edges
    flagship = edges[(truth.FLAGSHIP_ORIGIN_URL, truth.FLAGSHIP_COPY_URL)]
    assert "South Front" in flagship["attribution"]
    copy = read["nodes"][truth.FLAGSHIP_COPY_URL]
    assert copy["label"] == truth.article(truth.FLAGSHIP_COPY_URL).title
    assert copy["outlet"] == "globalresearch.test"
    assert copy["date"] == utc_text(truth.article(truth.FLAGSHIP_COPY_URL).published)
    for a, b, c in truth.CHAINS:  # a chain is two hops, not a star
        assert (a, b) in edges and (b, c) in edges and (a, c) not in edges


def test_since_until_keep_republications_dated_in_the_window(full_crawl, tmp_path):
    db, _, _ = full_crawl
    out = tmp_path / "window.json"
    result = export(db, out, "--since", "2021-01-01", "--until", "2021-03-01")
    assert result.returncode == 0, result.stderr
    back = nx.node_link_graph(json.loads(out.read_text()), edges="links")
    got = {(u, v): d["weight"] for u, v, d in back.edges(data=True)}
    since = datetime(2021, 1, 1, tzinfo=UTC)
    until = datetime(2021, 3, 1, 23, 59, 59, tzinfo=UTC)  # a bare --until day counts whole
    expected = dict(expected_edges(since, until))
    assert got == expected
    assert ("newswire.test", "dailyledger.test") in got  # two of its three wire copies
    assert got[("newswire.test", "dailyledger.test")] == 2
    assert ("southfront.test", "globalresearch.test") not in got


def test_min_weight_drops_light_edges(full_crawl, tmp_path):
    db, _, _ = full_crawl
    out = tmp_path / "heavy.graphml"
    assert export(db, out, "--min-weight", "2").returncode == 0
    back = nx.read_graphml(out)
    assert {(u, v) for u, v in back.edges} == {
        pair for pair, n in expected_edges().items() if n >= 2
    }
    assert len(back) == len(NODES)  # outlets (and the wire agency) stay


@pytest.mark.parametrize("name", ["Global Research", "www.globalresearch.test"])
def test_outlet_exports_its_ego_network(full_crawl, tmp_path, name):
    db, _, _ = full_crawl
    out = tmp_path / "ego.json"
    result = export(db, out, "--outlet", name)
    assert result.returncode == 0, result.stderr
    assert "around globalresearch.test" in result.stdout
    back = nx.node_link_graph(json.loads(out.read_text()), edges="links")
    full = expected_edges()
    centre = "globalresearch.test"
    keep = {centre} | {v for u, v in full if u == centre} | {u for u, v in full if v == centre}
    assert set(back.nodes) == keep
    assert {(u, v) for u, v in back.edges} == {(u, v) for u, v in full if u in keep and v in keep}


def test_article_level_ego_network_holds_the_outlets_articles(full_crawl, tmp_path):
    db, _, _ = full_crawl
    out = tmp_path / "ego-articles.graphml"
    assert export(db, out, "--level", "article", "--outlet", "South Front").returncode == 0
    back = nx.read_graphml(out)
    for rel in truth.RELATIONS:
        if outlet_of(rel.origin_url) == "southfront.test":
            assert back.has_edge(rel.origin_url, rel.copy_url)
    _, gr_hop, em_hop = truth.CHAINS[0]  # a chain that never touches South Front
    assert gr_hop not in back and em_hop not in back
    assert {data["outlet"] for _, data in back.nodes(data=True)} >= {"southfront.test"}


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_unknown_outlet_is_an_error(full_crawl, tmp_path):
    db, _, _ = full_crawl
    result = invoke("export", str(tmp_path / "x.gexf"), "--db", str(db), "--outlet", "Pravda")
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown outlet: 'Pravda'")
    assert "southfront.test" in result.output
    assert not (tmp_path / "x.gexf").exists()


def test_missing_directory_unknown_extension_and_bad_dates(full_crawl, tmp_path):
    db, _, _ = full_crawl
    missing = invoke("export", str(tmp_path / "nope" / "x.gexf"), "--db", str(db))
    assert missing.exit_code == 1
    assert "Error: directory does not exist" in missing.output
    unknown = invoke("export", str(tmp_path / "x.xlsx"), "--db", str(db))
    assert unknown.exit_code == 2
    assert "unknown export format" in unknown.output and ".gexf" in unknown.output
    bad_date = invoke("export", str(tmp_path / "x.gexf"), "--db", str(db), "--since", "soon")
    assert bad_date.exit_code == 2 and "not a date: 'soon'" in bad_date.output
    backwards = invoke("export", str(tmp_path / "x.gexf"), "--db", str(db),
                       "--since", "2021-02-01", "--until", "2021-01-01")
    assert backwards.exit_code == 2 and "later than --until" in backwards.output
    no_db = invoke("export", str(tmp_path / "x.gexf"), "--db", str(tmp_path / "none.db"))
    assert no_db.exit_code == 1 and "none.db" in no_db.output
    assert "does not exist" in no_db.output or "no store at" in no_db.output
    assert not list(tmp_path.iterdir())


def test_a_directory_gets_nodes_and_edges_csv(full_crawl, tmp_path):
    db, _, _ = full_crawl
    result = invoke("export", str(tmp_path), "--db", str(db), "--no-communities")
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == {"nodes.csv", "edges.csv"}
    header = (tmp_path / "nodes.csv").read_text().splitlines()[0].split(",")
    assert "community" not in header


@pytest.mark.parametrize("suffix", [".gexf", ".csv"])
def test_empty_store_gives_a_valid_empty_graph(tmp_path, suffix, gexf_schema):
    db = tmp_path / "empty.db"
    Store(db).close()
    out = tmp_path / f"empty{suffix}"
    result = export(db, out, subprocess=suffix == ".gexf")
    assert result.returncode == 0, result.stderr
    assert "holds no articles yet" in result.stderr
    assert "0 nodes" in result.stdout
    if suffix == ".gexf":
        assert_valid(gexf_schema, out)
        assert nx.read_gexf(out).number_of_nodes() == 0
    else:
        assert (tmp_path / "empty.nodes.csv").read_text().startswith("Id,Label")


def test_control_characters_and_markup_in_the_store_export_cleanly(full_crawl, tmp_path,
                                                                   gexf_schema, graphology):
    db, _, _ = full_crawl
    messy = tmp_path / "messy.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copy(db, messy)
    title = "Ceasefire\x00 <b>collapsed</b> & \x07\x1b[31mred\x1f\nagain \ufffe"
    conn = sqlite3.connect(messy)
    conn.execute("update articles set title = ? where url = ?", (title, truth.FLAGSHIP_COPY_URL))
    conn.execute("update outlets set name = ? where domain = 'globalresearch.test'",
                 ("Global\x0b <i>Research</i>\x08",))
    conn.commit()
    conn.close()
    for level, name in (("article", "a.gexf"), ("outlet", "o.gexf.gz")):
        out = tmp_path / name
        result = export(messy, out, "--level", level)
        assert result.returncode == 0, result.stderr
        assert_valid(gexf_schema, out)
        read = graphology(out)
        if level == "article":
            label = read["nodes"][truth.FLAGSHIP_COPY_URL]["label"]
            assert label == "Ceasefire <b>collapsed</b> & [31mred again"
        else:
            assert read["nodes"]["globalresearch.test"]["label"] == "Global <i>Research</i>"
    for name in ("a.graphml", "a.json", "a.csv"):
        assert export(messy, tmp_path / name, "--level", "article").returncode == 0
    assert "<b>collapsed</b>" in nx.read_graphml(tmp_path / "a.graphml").nodes[
        truth.FLAGSHIP_COPY_URL]["title"]
    json.loads((tmp_path / "a.json").read_text())
    with (tmp_path / "a.nodes.csv").open(newline="") as handle:
        labels = {row["Id"]: row["Label"] for row in csv.DictReader(handle)}
    assert "\x00" not in labels[truth.FLAGSHIP_COPY_URL]
