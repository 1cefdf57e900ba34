"""Corpora that were not crawled here: JSONL, CSV and WARC files through the crawl's own path.

- :mod:`.records` — :class:`Record` and :class:`Problem`, what readers yield;
- :mod:`.inputs` — opening a file and reading JSONL/CSV records from it;
- :mod:`.warc` — reading WARC/ARC archives (warcio);
- :mod:`.prepare` — a record to a capture and an article, signed (what worker processes run);
- :mod:`.ingester` — storage and matching of those records in batches.

May import: ``crawler.extract``, ``crawler.crawl.extraction``, ``crawler.store``,
``crawler.matching``, ``crawler.decisions``; never the CLI.
"""
