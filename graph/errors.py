"""Exceptions of the graph package.

``GraphError`` is the base; the CLI turns any of them into ``Error: ...``.
"""


class GraphError(Exception):
    """Base class of errors raised by the graph package."""


class ExportError(GraphError):
    """A graph could not be written: unknown format, missing directory, unwritable file."""


class PlotError(GraphError):
    """A chart could not be drawn, e.g. because matplotlib is not installed."""
