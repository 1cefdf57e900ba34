"""Charts as PNG (or any format matplotlib writes): the outlet graph, lag, spread over time.

matplotlib is optional: ``pip install matplotlib``. Without it every function raises
:class:`~graph.errors.PlotError` saying so. The Agg backend is used, so no display is needed.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime
from pathlib import Path

import networkx as nx

from .build import TimeWindow
from .clean import PALETTE
from .direction import CopyLink, Provenance
from .errors import PlotError


def _integer_locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _pyplot():
    try:
        import matplotlib
    except ImportError as exc:
        raise PlotError(
            "charts need matplotlib, which is not installed: pip install matplotlib"
        ) from exc
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: str | Path) -> Path:
    path = Path(path)
    if not path.parent.is_dir():
        raise PlotError(f"directory does not exist: {str(path.parent)!r}")
    fig.savefig(path, dpi=130, bbox_inches="tight", facecolor="white")
    return path


def _rgb(index: int) -> tuple[float, float, float]:
    r, g, b = PALETTE[index % len(PALETTE)]
    return (r / 255, g / 255, b / 255)


def plot_outlet_graph(graph: nx.DiGraph, path: str | Path, *, top: int = 40) -> Path:
    """Draw the outlet graph: size = articles, colour = community, width = republications.

    Only the ``top`` outlets by republication volume are drawn, so labels stay readable.
    """
    plt = _pyplot()
    volume = {n: graph.degree(n, weight="weight") for n in graph.nodes}
    keep = sorted((n for n in graph if volume[n] > 0), key=lambda n: (-volume[n], str(n)))[:top]
    sub = graph.subgraph(keep)
    fig, ax = plt.subplots(figsize=(11, 8.5))
    ax.set_axis_off()
    if sub.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "No republications to draw", ha="center", va="center", fontsize=14)
        return _finish(plt, fig, path)
    undirected = nx.Graph()
    undirected.add_nodes_from(sub.nodes)
    for u, v, d in sub.edges(data=True):
        w = float(d.get("weight", 1)) + (
            undirected[u][v]["weight"] if undirected.has_edge(u, v) else 0
        )
        undirected.add_edge(u, v, weight=w)
    pos = (
        nx.kamada_kawai_layout(undirected)
        if len(sub) <= 60
        else nx.spring_layout(undirected, seed=7)
    )
    # kamada_kawai squeezes disconnected parts together; spread them with a weak spring pass.
    pos = nx.spring_layout(undirected, pos=pos, seed=7, iterations=30, k=1.8 / math.sqrt(len(sub)))
    articles = [max(1, int(sub.nodes[n].get("articles", 1) or 1)) for n in sub]
    top_articles = max(articles)
    sizes = [200 + 2200 * math.sqrt(a / top_articles) for a in articles]
    index = {node: i for i, node in enumerate(sub)}  # sizes follow the subgraph's node order
    colours = [_rgb(int(sub.nodes[n].get("community", 0) or 0)) for n in sub]
    weights = [float(d.get("weight", 1)) for _, _, d in sub.edges(data=True)]
    top_weight = max(weights, default=1.0)
    widths = [0.8 + 6 * w / top_weight for w in weights]
    shares = [float(d.get("attributed_share", 1.0)) for _, _, d in sub.edges(data=True)]
    edge_colours = [(0.35, 0.35, 0.35, 0.7) if s >= 0.5 else (0.1, 0.1, 0.1, 0.9) for s in shares]
    styles = ["solid" if s >= 0.5 else (0, (3, 2)) for s in shares]
    nx.draw_networkx_edges(
        sub,
        pos,
        ax=ax,
        width=widths,
        edge_color=edge_colours,
        style=styles,
        arrows=True,
        arrowsize=16,
        arrowstyle="-|>",
        node_size=sizes,
        connectionstyle="arc3,rad=0.12",
    )
    nx.draw_networkx_nodes(
        sub, pos, ax=ax, node_size=sizes, node_color=colours, edgecolors="white", linewidths=1.5
    )
    for node, (x, y) in pos.items():
        name = str(sub.nodes[node].get("name") or node)
        ax.annotate(
            name,
            (x, y),
            # node_size is an area in points²: start the label just below the disc
            xytext=(0, -(math.sqrt(sizes[index[node]]) / 2 + 4)),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=9,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.set_title(
        "Who republishes whom (arrow: origin → republisher; width: articles;\n"
        "solid: mostly credited, dashed: mostly uncredited; colour: community)",
        fontsize=11,
    )
    ax.margins(0.12)
    return _finish(plt, fig, path)


def _finish(plt, fig, path: str | Path) -> Path:
    try:
        return _save(fig, path)
    finally:
        plt.close(fig)


def _links(
    prov: Provenance, since: str | datetime | None, until: str | datetime | None
) -> list[CopyLink]:
    """Copy links whose copy is dated in the window (all of them without bounds)."""
    window = TimeWindow(since, until)
    return [link for _, link in prov.links() if prov.time(link.url) in window]


def plot_lag_histogram(
    prov: Provenance,
    path: str | Path,
    *,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
) -> Path:
    """Histogram of republication lag (hours after the source), credited vs uncredited copies.

    ``since``/``until`` keep copies dated in that window, as the stats tables do.
    """
    plt = _pyplot()
    links = _links(prov, since, until)
    credited = [link.lag_hours for link in links if link.lag_hours is not None and link.attributed]
    uncredited = [
        link.lag_hours for link in links if link.lag_hours is not None and not link.attributed
    ]
    fig, ax = plt.subplots(figsize=(9, 5))
    values = [max(v, 0.0) for v in credited + uncredited]
    if not values:
        ax.text(0.5, 0.5, "No dated republications", ha="center", va="center", fontsize=14)
        ax.set_axis_off()
        return _finish(plt, fig, path)
    # Lags span minutes to months: log-spaced bins from 15 minutes up.
    top = max(values + [1.0])
    edges = [0.0] + [0.25 * 2**i for i in range(int(math.log2(max(top, 0.25) / 0.25)) + 2)]
    ax.hist(
        [[max(v, 0.0) for v in credited], [max(v, 0.0) for v in uncredited]],
        bins=edges,
        stacked=True,
        color=[_rgb(0), _rgb(2)],
        label=["credits its source", "uncredited"],
        edgecolor="white",
    )
    ax.set_xscale("symlog", linthresh=0.25)
    ticks = [t for t in (0, 1, 6, 24, 72, 168, 720, 2160, 8760) if t <= edges[-1]]
    ax.set_xticks(ticks)
    ax.set_xticklabels([_hours_label(t) for t in ticks])
    ax.set_xlabel("time after the source was published")
    ax.set_ylabel("republished articles")
    ax.yaxis.set_major_locator(_integer_locator())  # counts: no half articles
    ax.set_title(f"How fast copies follow their source (n = {len(values)})")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(plt, fig, path)


def _hours_label(hours: float) -> str:
    if hours == 0:
        return "0"
    if hours < 24:
        return f"{hours:g} h"
    if hours < 168:
        return f"{hours / 24:g} d"
    if hours < 720:
        return f"{hours / 168:g} wk"
    if hours < 8760:
        return f"{hours / 720:g} mo"
    return f"{hours / 8760:g} y"


def plot_republications_over_time(
    prov: Provenance,
    path: str | Path,
    *,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
) -> Path:
    """Republications per day (or week, for long spans), credited vs uncredited, stacked."""
    plt = _pyplot()
    import matplotlib.dates as mdates

    days: list[tuple[datetime, bool]] = []
    for link in _links(prov, since, until):
        when = prov.time(link.url).when
        if when is not None:
            days.append((when.replace(hour=0, minute=0, second=0, microsecond=0), link.attributed))
    fig, ax = plt.subplots(figsize=(10, 4.8))
    if not days:
        ax.text(0.5, 0.5, "No dated republications", ha="center", va="center", fontsize=14)
        ax.set_axis_off()
        return _finish(plt, fig, path)
    first, last = min(d for d, _ in days), max(d for d, _ in days)
    weekly = (last - first).days > 120
    if weekly:
        days = [(d - _days(d.weekday()), a) for d, a in days]
    counts = Counter(days)
    buckets = sorted({d for d, _ in counts})
    credited = [counts.get((d, True), 0) for d in buckets]
    uncredited = [counts.get((d, False), 0) for d in buckets]
    width = 6.0 if weekly else 0.85
    ax.bar(buckets, credited, width=width, color=_rgb(0), label="credits its source")
    ax.bar(buckets, uncredited, width=width, bottom=credited, color=_rgb(2), label="uncredited")
    ax.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set_ylabel(f"republished articles per {'week' if weekly else 'day'}")
    ax.yaxis.set_major_locator(_integer_locator())
    ax.set_title("Republications over time")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(plt, fig, path)


def _days(n: int):
    from datetime import timedelta

    return timedelta(days=n)
