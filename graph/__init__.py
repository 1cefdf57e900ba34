"""The republication graph: provenance decisions, outlet/article graphs, exports."""
