"""From a fetched page to an article: text, metadata, dates and credits.

- :mod:`.page` — trafilatura text and metadata, the article record;
- :mod:`.dates` — publication dates (JSON-LD, meta tags, htmldate, trafilatura);
- :mod:`.credits` — who the page credits, in every form a reader sees;
- :mod:`.captures` — the capture row of a fetched page.

May import: ``crawler.urls``, ``crawler.items`` and the extraction libraries; never the store.
"""
