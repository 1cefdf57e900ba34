"""The charts of `stats --plot`, read back from the drawn figures: labels clear of discs and
arrowheads, colours and sizes explained, lag bins on their ticks, dates with their year."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("matplotlib", reason="charts need matplotlib (pip install matplotlib)")

from graph import plots
from graph.build import outlet_graph
from graph.communities import add_communities
from graph.direction import decide_provenance
from graph.synthetic import synthetic_records


@pytest.fixture(scope="module")
def prov():
    return decide_provenance(*synthetic_records(1500, 400, outlets=12, days=500))


@pytest.fixture
def figures(monkeypatch):
    """The figures the plot functions draw, kept open to be inspected."""
    kept = []

    def finish(plt, fig, path):
        fig.canvas.draw()
        kept.append(fig)
        return plots._save(fig, path)

    monkeypatch.setattr(plots, "_finish", finish)
    yield kept
    import matplotlib.pyplot as plt

    for fig in kept:
        plt.close(fig)


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_outlet_graph_labels_clear_discs_and_arrowheads(prov, figures, tmp_path):
    from matplotlib.collections import PathCollection
    from matplotlib.patches import FancyArrowPatch

    graph = outlet_graph(prov)
    add_communities(graph)
    plots.plot_outlet_graph(graph, tmp_path / "outlets.png", top=12)
    fig = figures[0]
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_text()]
    assert len(labels) == len(graph.subgraph(
        [n for n in graph if graph.degree(n, weight="weight") > 0][:12]))
    boxes = [t.get_window_extent(renderer).expanded(0.98, 0.9) for t in labels]
    discs = next(c for c in ax.collections if isinstance(c, PathCollection))
    centres = ax.transData.transform(discs.get_offsets())
    radii = [(s ** 0.5) / 2 * fig.dpi / 72 for s in discs.get_sizes()]
    for box in boxes:
        for (x, y), r in zip(centres, radii):
            nearest_x, nearest_y = min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1)
            assert (nearest_x - x) ** 2 + (nearest_y - y) ** 2 > (0.9 * r) ** 2
    # an arrowhead's tip is never under a label
    tips = [p.get_path().vertices[-3] for p in ax.patches if isinstance(p, FancyArrowPatch)]
    covered = [tip for tip in tips for box in boxes if box.contains(*tip)]
    assert len(covered) <= len(tips) // 20, covered
    # colours and sizes are explained
    title = ax.get_title()
    assert "disc area: articles stored" in title or "discs drawn alike" in title
    legend = ax.get_legend()
    assert legend is not None and "community" in legend.get_title().get_text()


def test_outlets_alike_are_drawn_alike_with_a_note(prov, figures, tmp_path):
    graph = outlet_graph(prov)
    for node in graph:
        graph.nodes[node]["articles"] = 50
        graph.nodes[node]["community"] = 0
    plots.plot_outlet_graph(graph, tmp_path / "alike.png")
    ax = figures[0].axes[0]
    discs = ax.collections[-1]
    assert len(set(discs.get_sizes())) == 1
    assert "discs drawn alike" in ax.get_title()
    assert ax.get_legend() is None  # one community: no colour to explain


def test_lag_histogram_starts_at_the_data_and_bins_sit_on_ticks(prov, figures, tmp_path):
    plots.plot_lag_histogram(prov, tmp_path / "lag.png")
    ax = figures[0].axes[0]
    bars = [p for p in ax.patches if p.get_height() > 0]
    edges = sorted({round(p.get_x(), 6) for p in ax.patches}
                   | {round(p.get_x() + p.get_width(), 6) for p in ax.patches})
    assert [round(t, 6) for t in ax.get_xticks()] == edges
    assert ax.get_xlim()[0] == min(p.get_x() for p in bars)  # no empty region first
    assert ax.get_xlim()[1] == max(p.get_x() + p.get_width() for p in bars)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert all(labels) and len(set(labels)) == len(labels)


def test_over_time_ticks_carry_the_year(prov, figures, tmp_path):
    plots.plot_republications_over_time(prov, tmp_path / "time.png")
    ax = figures[0].axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(labels) >= 3
    assert all(re.search(r"\b(19|20)\d\d\b", label) for label in labels), labels
