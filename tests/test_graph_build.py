"""Outlet and article graphs, filters, communities, stats rows and charts."""

from __future__ import annotations

import pytest

from graph.build import RELATION, article_graph, ego_network, outlet_graph, percentile
from graph.communities import add_communities, detect_communities
from graph.direction import decide_provenance
from graph.errors import PlotError
from graph.samples import CHAIN, EDITED, GR, SAME_EVENT, SF, sample_records
from graph.stats import outlet_rows, pair_rows, summary
from graph.synthetic import synthetic_records


@pytest.fixture(scope="module")
def prov():
    return decide_provenance(*sample_records())


def test_article_graph_points_origin_to_copy(prov):
    graph = article_graph(prov)
    assert graph.has_edge(SF, GR) and not graph.has_edge(GR, SF)
    assert graph.has_edge(GR, CHAIN)  # the chain: copied from Global Research
    edge = graph[SF][GR]
    assert edge["relation"] == RELATION == "republished_by"
    assert edge["similarity"] == pytest.approx(0.91)
    assert edge["attribution_kind"] == "original-source"
    assert edge["lag_hours"] == 24.0
    assert graph[SF][EDITED]["attributed"] is False
    assert graph.nodes[GR]["outlet"] == "globalresearch.ca"
    assert graph.nodes[SF]["role"] == "origin"
    assert SAME_EVENT not in graph
    assert SAME_EVENT in article_graph(prov, include_singletons=True)
    assert graph.graph["edge_direction"] == "origin->copy"


def test_outlet_graph_counts(prov):
    graph = outlet_graph(prov)
    sf, gr = graph.nodes["southfront.org"], graph.nodes["globalresearch.ca"]
    assert sf["name"] == "South Front" and sf["domain"] == "southfront.org"
    assert sf["articles"] == 1 and sf["originals"] == 1 and sf["copied_share"] == 1.0
    assert gr["copies"] == 1 and gr["copy_share"] == 1.0 and gr["copied"] == 1
    edge = graph["southfront.org"]["globalresearch.ca"]
    assert edge["weight"] == 1
    assert edge["attributed_share"] == 1.0
    assert edge["median_lag_hours"] == 24.0
    assert graph["southfront.org"]["edited-news.test"]["attributed_share"] == 0.0
    assert "independent-view.test" in graph  # an outlet with no copies is still a node


def test_filters(prov):
    late = article_graph(prov, since="2020-10-30")
    assert GR not in late or not late.has_edge(SF, GR)
    assert late.has_edge(GR, CHAIN)
    early = outlet_graph(prov, until="2020-10-28T23:00:00Z")
    assert early.has_edge("southfront.org", "globalresearch.ca")
    assert not early.has_edge("globalresearch.ca", "chain-reposts.test")
    heavy = outlet_graph(prov, min_weight=2)
    assert heavy.number_of_edges() == 0 and heavy.number_of_nodes() > 0
    with pytest.raises(ValueError, match="ISO-8601"):
        outlet_graph(prov, since="last tuesday")


def test_ego_network(prov):
    ego = ego_network(outlet_graph(prov), "globalresearch.ca")
    assert set(ego) == {"globalresearch.ca", "southfront.org", "chain-reposts.test"}
    articles = ego_network(article_graph(prov), "globalresearch.ca")
    assert set(articles) == {GR, SF, CHAIN}
    assert ego_network(outlet_graph(prov), "unknown.test").number_of_nodes() == 0


def test_communities_are_deterministic():
    prov = decide_provenance(*synthetic_records(3000, 800, outlets=20))
    graph = outlet_graph(prov)
    first = detect_communities(graph)
    assert first == detect_communities(graph)
    count = add_communities(graph)
    assert count == len(set(first.values())) >= 1
    assert all(isinstance(d["community"], int) for _, d in graph.nodes(data=True))
    assert detect_communities(outlet_graph(decide_provenance([]))) == {}


def test_stats_rows(prov):
    rows = outlet_rows(prov)
    by_outlet = {r["outlet"]: r for r in rows}
    assert set(rows[0]) == set(rows[-1])  # same keys in every row
    gr = by_outlet["globalresearch.ca"]
    assert gr["copies"] == 1 and gr["attribution_rate"] == 1.0 and gr["median_lag_hours"] == 24.0
    assert by_outlet["edited-news.test"]["attribution_rate"] == 0.0
    assert by_outlet["southfront.org"]["copied_by_others"] == 1
    assert by_outlet["southfront.org"]["attribution_rate"] is None
    pairs = pair_rows(prov)
    assert {"source", "copied_by", "republications", "attribution_rate"} <= set(pairs[0])
    assert ("southfront.org", "globalresearch.ca") in {(p["source"], p["copied_by"]) for p in pairs}
    totals = summary(prov)
    assert totals["families"] == 2 and totals["copies"] == 6 and totals["unattributed_copies"] == 2


def test_percentile():
    assert percentile([], 0.9) is None
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([0.0, 10.0], 0.9) == pytest.approx(9.0)


def test_plots_write_pngs(tmp_path, prov):
    pytest.importorskip("matplotlib", reason="charts need matplotlib (pip install matplotlib)")
    from graph.plots import plot_lag_histogram, plot_outlet_graph, plot_republications_over_time

    graph = outlet_graph(prov)
    add_communities(graph)
    for path in (
        plot_outlet_graph(graph, tmp_path / "outlets.png"),
        plot_lag_histogram(prov, tmp_path / "lag.png"),
        plot_republications_over_time(prov, tmp_path / "time.png"),
    ):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    empty = decide_provenance([])
    plot_lag_histogram(empty, tmp_path / "empty.png")
    plot_outlet_graph(outlet_graph(empty), tmp_path / "empty-graph.png")
    with pytest.raises(PlotError, match="directory does not exist"):
        plot_lag_histogram(prov, tmp_path / "missing" / "lag.png")
