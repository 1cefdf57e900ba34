"""The republication graph: provenance decisions, outlet/article graphs, exports.

A pure library over records (networkx); it reads no files but the ones it is told to write.

    from graph import Article, Match, Attribution, decide_provenance, lookup
    prov = decide_provenance(articles, matches, attributions)
    lookup(prov, url)                     # the Lookup JSON of DESIGN.md
    write_graph(outlet_graph(prov), "out.gexf")

Edges point **origin → copy** (``relation="republished_by"``): see :mod:`graph.build`.
"""

from .answer import lookup, not_found, render_text
from .build import RELATION, article_graph, ego_network, outlet_graph
from .clean import clean_graph
from .communities import add_communities, detect_communities
from .decisions import RULES_VERSION, Conflict, CopyLink, ExternalOrigin, Family, Provenance
from .direction import decide_provenance
from .errors import ExportError, GraphError, PlotError
from .export import FORMATS, format_for, write_graph
from .records import Article, Attribution, Match
from .stats import outlet_rows, pair_rows, summary

__all__ = [
    "FORMATS",
    "RELATION",
    "RULES_VERSION",
    "Article",
    "Attribution",
    "Conflict",
    "CopyLink",
    "ExportError",
    "ExternalOrigin",
    "Family",
    "GraphError",
    "Match",
    "PlotError",
    "Provenance",
    "add_communities",
    "article_graph",
    "clean_graph",
    "decide_provenance",
    "detect_communities",
    "ego_network",
    "format_for",
    "lookup",
    "not_found",
    "outlet_graph",
    "outlet_rows",
    "pair_rows",
    "render_text",
    "summary",
    "write_graph",
]
