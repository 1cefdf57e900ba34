"""``crosspost export``: write the republication graph for Gephi, yEd, D3 or a spreadsheet.

The store's evidence is loaded as graph records (:mod:`crawler.records`), provenance is
decided, and :mod:`graph` builds the outlet or article graph and writes it; the format comes
from the file name. The date options and the store loading are shared with ``crosspost stats``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crawler.commands.options import db_option, open_store

if TYPE_CHECKING:
    import networkx as nx

LEVELS = ("outlet", "article")
_FORMAT_NAMES = {"gexf": "GEXF", "graphml": "GraphML", "json": "node-link JSON", "csv": "CSV"}


class UnknownOutlet(LookupError):
    """``--outlet`` names no outlet the store knows."""


def parse_date(value: str | None, *, end_of_day: bool = False) -> datetime | None:
    """An ISO date or timestamp (UTC unless it has an offset); a bare day may mean its last moment."""
    from graph.timing import parse_time_precision

    if value is None:
        return None
    when, day_only = parse_time_precision(value)
    if when is None:
        raise ValueError(f"not a date: {value!r} (use e.g. 2020-10-27 or 2020-10-27T15:00:00Z)")
    if day_only and end_of_day:
        # --until 2020-10-28 includes everything published that day
        when += timedelta(days=1) - timedelta(microseconds=1)
    return when


def _since(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _until(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    try:
        return parse_date(value, end_of_day=True)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def window_options(command):
    """``--since`` and ``--until``, parsed to aware datetimes."""
    command = click.option(
        "--until", metavar="DATE", callback=_until,
        help="Only republications dated up to DATE (a bare day counts whole).",
    )(command)
    return click.option(
        "--since", metavar="DATE", callback=_since,
        help="Only republications dated on or after DATE (ISO 8601, e.g. 2020-10-27).",
    )(command)


def check_window(since: datetime | None, until: datetime | None) -> None:
    if since and until and since > until:
        raise click.BadParameter("--since is later than --until", param_hint="--since")


def load_provenance(db_path: str):
    """The stored provenance decisions over the whole store (the ones lookups, the page and
    the Datasette views read), and the store's outlet directory. Stale decisions (new rules,
    or articles stored since) are decided again, and stored when the file can be written."""
    from crawler.decisions import whole_store
    from crawler.records import outlet_directory

    store = open_store(db_path, readonly=True)
    try:
        prov, decided = whole_store(store, write_path=db_path)
        if decided.note and prov.articles:
            click.echo(f"note: {decided.note}", err=True)
        return prov, outlet_directory(store)
    finally:
        store.close()


def resolve_outlet(name: str, graph: nx.DiGraph, directory) -> str:
    """The domain ``--outlet`` names: a domain, a URL or a display name known to the store."""
    known = {data.get("domain") or node for node, data in graph.nodes(data=True)}
    by_name = {
        str(data.get("name")).casefold(): data.get("domain") or node
        for node, data in graph.nodes(data=True)
        if data.get("name")
    }
    domain = by_name.get(name.strip().casefold()) or directory.resolve(name)
    if domain in known or (domain and domain in directory):
        return domain
    hint = ", ".join(sorted(known)[:8]) or "none yet"
    raise UnknownOutlet(f"unknown outlet: {name!r} (outlets in the store: {hint})")


def _counts(graph: nx.DiGraph) -> str:
    return f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"


@click.command()
@click.argument("out", metavar="OUT.{gexf,gexf.gz,graphml,json,csv}",
                type=click.Path(path_type=Path))
@db_option()
@click.option("--level", type=click.Choice(LEVELS), default="outlet", show_default=True,
              help="Outlets as nodes (edges weighted by republished articles) or articles.")
@window_options
@click.option("--min-weight", type=click.IntRange(min=1), default=1, show_default=True,
              help="Outlet level: drop edges with fewer republished articles.")
@click.option("--outlet", metavar="DOMAIN_OR_NAME",
              help="Only this outlet and its direct neighbours (its ego network).")
@click.option("--communities/--no-communities", default=True, show_default=True,
              help="Detect communities (Louvain) and colour nodes by them.")
def export(out: Path, db_path: str, level: str, since: datetime | None,
           until: datetime | None, min_weight: int, outlet: str | None,
           communities: bool) -> None:
    """Write the republication graph to OUT; the extension picks the format.

    .gexf / .gexf.gz (Gephi, dynamic: nodes and edges carry dates for the timeline),
    .graphml, .json (node-link, for D3 or sigma.js), .csv (NAME.nodes.csv and
    NAME.edges.csv in Gephi's spreadsheet format). Edges point from the original to the
    republisher.
    """
    from graph import ExportError, add_communities, article_graph, ego_network, outlet_graph
    from graph.export import format_for, write_graph

    try:
        fmt = format_for(out)
    except ExportError as exc:
        raise click.BadParameter(str(exc), param_hint="OUT") from None
    folder = out if out.is_dir() else out.parent
    if not folder.is_dir():
        raise click.ClickException(f"directory does not exist: {folder}")
    check_window(since, until)
    if min_weight > 1 and level != "outlet":
        raise click.BadParameter("applies to --level outlet only", param_hint="--min-weight")

    prov, directory = load_provenance(db_path)
    if level == "outlet":
        graph = outlet_graph(prov, since=since, until=until, min_weight=min_weight)
    else:
        graph = article_graph(prov, since=since, until=until)
    if outlet:
        try:
            centre = resolve_outlet(outlet, outlet_graph(prov), directory)
        except UnknownOutlet as exc:
            raise click.ClickException(str(exc)) from None
        graph = ego_network(graph, centre)
        graph.graph["ego"] = centre
    found = add_communities(graph) if communities else 0

    if not prov.articles:
        click.echo(f"note: {db_path} holds no articles yet; writing an empty graph "
                   "(crawl some outlets first: crosspost crawl URL...)", err=True)
    elif graph.number_of_nodes() == 0:
        click.echo("note: nothing matches the filters; writing an empty graph", err=True)
    try:
        written = write_graph(graph, out)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None

    what = f"{level} graph" + (f" around {graph.graph['ego']}" if outlet else "")
    if communities and found:
        what += f", {found} communities"
    if fmt == "csv":
        nodes_file, edges_file = written
        click.echo(f"wrote {nodes_file}: {graph.number_of_nodes()} nodes ({what})")
        click.echo(f"wrote {edges_file}: {graph.number_of_edges()} edges")
    else:
        click.echo(f"wrote {written[0]}: {_counts(graph)} ({what}; {_FORMAT_NAMES[fmt]})")
