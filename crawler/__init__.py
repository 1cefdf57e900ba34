"""crosspost: track how news articles travel between outlets.

``crawler`` is the Scrapy project (``settings``, ``items``, ``pipelines``, ``middlewares``,
``extensions``, ``spiders/``) and the application around it, one package per concept:
``store/`` (SQLite), ``extract/`` (text, dates, ``credits/``), ``crawl/`` (runner, frontier,
discovery, fetch guard), ``ingest/`` (JSONL, CSV, WARC corpora), ``distributed/`` (Redis
mode), ``decisions/`` (stored provenance decisions), ``web/`` (HTTP API and page),
``commands/`` (the CLI), ``sampleweb/`` (the bundled sample outlets); ``lookup`` answers
provenance lookups. It may import ``dedupe`` and ``graph``, the pure libraries it feeds;
they never import it.
"""

__version__ = "0.2.0"
