"""Figures over decisions that every answer shows alike (stats, the API, the page, the views).

``originals_copied_by_others``: an outlet's own originals (story families whose origin is
its article) that another outlet republished. It differs from ``copied_by_others``, which
counts every article of the outlet that others took, its copies of others included.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from graph import Provenance
from graph.build import TimeWindow


def originals_copied_by_others(
    prov: Provenance, *, since: str | datetime | None = None, until: str | datetime | None = None
) -> Counter:
    """Per outlet domain, its originals with a copy on another outlet (origin dated in the window)."""
    window = TimeWindow(since, until)
    found: Counter = Counter()
    for family in prov.families:
        origin = family.origin
        if origin not in prov.articles:
            continue
        if getattr(family, "external", None) is None:  # an agency's: counted undated
            if origin in prov.uncrawled or prov.time(origin) not in window:
                continue
        outlet = prov.articles[origin].outlet
        if any(prov.articles[link.url].outlet != outlet for link in family.copies
               if link.url in prov.articles):
            found[outlet] += 1
    return found


def add_originals_copied(rows: list[dict], prov: Provenance, **window) -> list[dict]:
    """Outlet rows (``graph.outlet_rows``) with ``originals_copied_by_others`` added."""
    counts = originals_copied_by_others(prov, **window)
    for row in rows:
        row["originals_copied_by_others"] = counts.get(row["outlet"], 0)
    return rows
