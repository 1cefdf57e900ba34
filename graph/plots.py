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
    # Disc area tells articles stored only when outlets differ; alike, discs are drawn alike.
    sized = top_articles >= 1.5 * min(articles)
    sizes = [200 + 2200 * math.sqrt(a / top_articles) if sized else 900.0 for a in articles]
    index = {node: i for i, node in enumerate(sub)}  # sizes follow the subgraph's node order
    communities = [int(sub.nodes[n].get("community", 0) or 0) for n in sub]
    coloured = len(set(communities)) > 1
    colours = [_rgb(c) if coloured else _rgb(0) for c in communities]
    weights = [float(d.get("weight", 1)) for _, _, d in sub.edges(data=True)]
    top_weight = max(weights, default=1.0)
    widths = [0.8 + 6 * w / top_weight for w in weights]
    shares = [float(d.get("attributed_share", 1.0)) for _, _, d in sub.edges(data=True)]
    edge_colours = [(0.35, 0.35, 0.35, 0.7) if s >= 0.5 else (0.1, 0.1, 0.1, 0.9) for s in shares]
    styles = ["solid" if s >= 0.5 else (0, (3, 2)) for s in shares]
    arrows = nx.draw_networkx_edges(
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
    ax.margins(0.12)  # before labelling: the labels are placed in display coordinates
    _label_clear(ax, sub, pos, [sizes[index[n]] for n in pos], arrows)
    key = ["arrow: origin → republisher; line width: articles republished",
           "solid: mostly credited; dashed: mostly uncredited",
           "disc area: articles stored" if sized
           else "discs drawn alike: the outlets hold about as many articles"]
    ax.set_title("Who republishes whom\n" + "; ".join(key[:2]) + "\n" + key[2], fontsize=10.5)
    if coloured:
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], marker="o", linestyle="", markersize=10,
                          markerfacecolor=_rgb(c), markeredgecolor="white",
                          label=f"community {i + 1}")
                   for i, c in enumerate(sorted(set(communities)))]
        ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=9,
                  title="community: outlets that\nrepublish each other most",
                  title_fontsize=9, alignment="left")
    return _finish(plt, fig, path)


def _label_clear(ax, sub: nx.DiGraph, pos: dict, sizes: list[float], arrows: list) -> None:
    """Each name beside its disc where it covers the fewest discs, names and arrowheads:
    eight places around the disc are tried, facing away from the drawing's centre first
    (edges run inwards), then eight a little further out."""
    fig = ax.figure
    fig.canvas.draw()  # the arrows' paths exist once drawn
    renderer = fig.canvas.get_renderer()
    nodes = list(pos)
    centres = {n: ax.transData.transform(pos[n]) for n in nodes}
    radii = {n: math.sqrt(size) / 2 * fig.dpi / 72 for n, size in zip(nodes, sizes)}
    tips = []
    for arrow in arrows if isinstance(arrows, list) else []:
        vertices = arrow.get_path().vertices
        if len(vertices) >= 3:
            tips.append(vertices[-3])
    cx = sum(x for x, _ in pos.values()) / len(pos)
    cy = sum(y for _, y in pos.values()) / len(pos)
    placed = []

    def cost(box, node) -> float:
        total = 0.0
        for other in nodes:
            (x, y), r = centres[other], radii[other]
            nx_, ny_ = min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1)
            if (nx_ - x) ** 2 + (ny_ - y) ** 2 < r * r:
                total += 1000
        total += 300 * sum(1 for b in placed if box.overlaps(b))
        total += 50 * sum(1 for t in tips if box.contains(*t))
        return total

    order = sorted(nodes, key=lambda n: -radii[n])
    for node in order:
        x, y = pos[node]
        away = math.atan2(y - cy, x - cx) if (x, y) != (cx, cy) else -math.pi / 2
        best = None
        places = [(ring, turn) for ring in (1.0, 1.8)
                  for turn in (0, 45, -45, 90, -90, 135, -135, 180)]
        for step, (ring, turn) in enumerate(places):
            angle = away + math.radians(turn)
            dx, dy = math.cos(angle), math.sin(angle)
            gap = (radii[node] * 72 / fig.dpi + 5) * ring
            text = ax.annotate(
                str(sub.nodes[node].get("name") or node), (x, y),
                xytext=(dx * gap, dy * gap), textcoords="offset points",
                ha="left" if dx > 0.35 else "right" if dx < -0.35 else "center",
                va="bottom" if dy > 0.35 else "top" if dy < -0.35 else "center",
                fontsize=9, zorder=3,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.75},
            )
            box = text.get_window_extent(renderer)
            score = cost(box, node) + step  # the outward place wins a tie
            if best is None or score < best[0]:
                if best is not None:
                    best[1].remove()
                best = (score, text, box)
            else:
                text.remove()
            if score == 0:
                break
        placed.append(best[2])


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
    # Lags span minutes to months: bins at human steps, drawn as equal-width bars whose
    # edges are the ticks, from the first bin holding a copy to the last.
    edges = [e for e in LAG_EDGES if e < max(values)] + [next(
        (e for e in LAG_EDGES if e >= max(values)), max(values))]
    if len(edges) < 2:
        edges = [0.0, LAG_EDGES[1]]
    def counts(vals: list[float]) -> list[int]:
        out = [0] * (len(edges) - 1)
        for v in vals:
            i = next((k for k in range(len(edges) - 1) if v < edges[k + 1]), len(edges) - 2)
            out[i] += 1
        return out

    both = [counts([max(v, 0.0) for v in credited]), counts([max(v, 0.0) for v in uncredited])]
    used = [i for i in range(len(edges) - 1) if both[0][i] or both[1][i]]
    lo, hi = used[0], used[-1] + 1
    xs = list(range(hi - lo))
    ax.bar(xs, both[0][lo:hi], width=1.0, align="edge", color=_rgb(0),
           label="credits its source", edgecolor="white")
    ax.bar(xs, both[1][lo:hi], width=1.0, align="edge", bottom=both[0][lo:hi], color=_rgb(2),
           label="uncredited", edgecolor="white")
    ax.set_xticks(range(hi - lo + 1))
    ax.set_xticklabels([_hours_label(e) for e in edges[lo:hi + 1]])
    ax.set_xlim(0, hi - lo)
    ax.set_xlabel("time after the source was published (each bar: from one tick to the next)")
    ax.set_ylabel("republished articles")
    ax.yaxis.set_major_locator(_integer_locator())  # counts: no half articles
    ax.set_title(f"How fast copies follow their source (n = {len(values)})")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(plt, fig, path)


# Bin edges of the lag histogram, in hours: 15 min, 1 h, 3 h … 1 year.
LAG_EDGES = (0.0, 0.25, 1, 3, 6, 12, 24, 48, 72, 168, 336, 720, 2160, 4320, 8760, 17520)


def _hours_label(hours: float) -> str:
    if hours == 0:
        return "0"
    if hours < 1:
        return f"{hours * 60:g} min"
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
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    # Every tick carries its year: a chart read alone must say when.
    formatter = mdates.ConciseDateFormatter(locator, show_offset=False)
    formatter.formats = ["%Y", "%b %Y", "%d %b %Y", "%d %b %Y %H:%M", "%H:%M", "%S.%f"]
    formatter.zero_formats = list(formatter.formats)
    ax.xaxis.set_major_formatter(formatter)
    ax.set_ylabel(f"republished articles per {'week' if weekly else 'day'}")
    ax.yaxis.set_major_locator(_integer_locator())
    ax.set_title("Republications over time")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(plt, fig, path)


def _days(n: int):
    from datetime import timedelta

    return timedelta(days=n)
