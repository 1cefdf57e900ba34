"""Crawling beyond one machine: workers share a Redis frontier, one writer owns the store.

- :mod:`.connection` — Redis URLs, key names, request (de)serialisation;
- :mod:`.frontier` — scrapy-redis scheduler with leased requests and the duplicate filter;
- :mod:`.worker` — a crawl worker process;
- :mod:`.politeness` — per-outlet delay and concurrency shared by all workers;
- :mod:`.stream` — the items stream from workers to the writer;
- :mod:`.entries` — what the writer accepts from the stream (schema, bounded inflation, HMAC);
- :mod:`.writer` — the single writer that stores and matches what workers fetched;
- :mod:`.lsh` — the LSH index kept in Redis;
- :mod:`.commands` — glue between the CLI and the above.

Needs the ``redis`` extra (``pip install 'crosspost[redis]'``). May import: ``crawler.crawl``,
``crawler.store``, ``crawler.matching``, ``crawler.spiders``.
"""
