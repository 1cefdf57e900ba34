"""Spiders that discover and fetch outlet pages (Scrapy's ``spiders/`` of the template).

They yield :class:`crawler.items.PageItem` and requests; they never touch the store.
"""
