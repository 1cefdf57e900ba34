"""Crawling with Scrapy beyond the template files: what to fetch, when, and from where.

- :mod:`.runner` — runs a crawl in this process with the project's settings;
- :mod:`.frontier` — the resumable per-job frontier kept in the store;
- :mod:`.discovery` — sitemaps, feeds and listing pages;
- :mod:`.outlets_file` — the outlets file (TOML/CSV/text);
- :mod:`.fetch` and :mod:`.fetchguard` — one-off fetches for lookups and the guard that keeps
  them off private networks;
- :mod:`.warc_writer` — WARC output of what was fetched;
- :mod:`.extraction` — what the extraction worker processes run (light imports);
- :mod:`.batching` and :mod:`.storing` — the crawling process's batches for the writer
  process, and the writer process that stores and matches them;
- :mod:`.addresses`, :mod:`.resolver` and :mod:`.guardmiddleware` — which addresses a crawl
  may reach.

May import: Scrapy, ``crawler.store``, ``crawler.items``, ``crawler.urls``, ``crawler.spiders``,
``crawler.matching`` and ``crawler.workers`` (the writer and extraction processes),
``crawler.extract``.
"""
