"""crosspost: track how news articles travel between outlets.

The ``crawler`` package is the Scrapy project and the application shell (store, CLI);
``dedupe`` and ``graph`` are pure libraries it feeds.
"""

__version__ = "0.1.0"
