"""Spiders that discover and fetch outlet pages."""
