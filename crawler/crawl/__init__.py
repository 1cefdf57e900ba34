"""Crawling with Scrapy beyond the template files: what to fetch, when, and from where.

- :mod:`.runner` — runs a crawl in this process with the project's settings;
- :mod:`.frontier` — the resumable per-job frontier kept in the store;
- :mod:`.discovery` — sitemaps, feeds and listing pages;
- :mod:`.outlets_file` — the outlets file (TOML/CSV/text);
- :mod:`.fetch` and :mod:`.fetchguard` — one-off fetches for lookups and the guard that keeps
  them off private networks;
- :mod:`.warc_writer` — WARC output of what was fetched.

May import: Scrapy, ``crawler.store``, ``crawler.items``, ``crawler.urls``, ``crawler.spiders``.
"""
