"""Who copies whom, how fast, and whether they say so: rows for tables, JSON and CSV.

Every function returns a list of flat dicts with the same keys in every row, so the CLI can
print them as a table or dump them as JSON/CSV without knowing what they hold.

An origin outside the store (a wire agency credited by the copies) has a row of its own:
no articles, its families as ``originals`` and the copies that credit it as
``copied_by_others``. A bridge article (in two families) counts once per source it copies;
a copy whose source is undetermined counts as a copy of nobody.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from statistics import median

from .build import TimeWindow, percentile, unique_links
from .decisions import Provenance


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def outlet_rows(
    prov: Provenance, *, since: str | datetime | None = None, until: str | datetime | None = None
) -> list[dict]:
    """Per outlet: articles, originals, copies, copied by others, attribution rate, median lag.

    ``copies`` are its articles taken from another outlet; ``attribution_rate`` is the share of
    those that credit their source; ``copied_by_others`` counts its articles republished by
    another outlet; ``median_lag_hours`` is how long it takes to republish. Sorted by copies,
    then articles.
    """
    window = TimeWindow(since, until)
    rows: dict[str, dict] = {}

    def row(outlet: str) -> dict:
        if outlet not in rows:
            rows[outlet] = {
                "outlet": outlet,
                "name": outlet,
                "articles": 0,
                "originals": 0,
                "copies": 0,
                "attributed_copies": 0,
                "attribution_rate": None,
                "copied_by_others": 0,
                "median_lag_hours": None,
            }
        return rows[outlet]

    for url, article in prov.articles.items():
        if url in prov.uncrawled or (not window.open and prov.time(url) not in window):
            continue
        entry = row(article.outlet)
        entry["articles"] += 1
        if article.outlet_name:
            entry["name"] = article.outlet_name
    # An origin outside the store is undated: in a window it counts when a copy of it does,
    # as its family does in ``summary``.
    with_copies = {f.id for f, link in unique_links(prov) if prov.time(link.url) in window}
    for family in prov.families:
        if family.external is not None:
            if family.id not in with_copies:
                continue
            entry = row(prov.articles[family.origin].outlet)
            entry["name"] = family.external.name
            entry["originals"] += 1
        elif prov.time(family.origin) in window and family.origin not in prov.uncrawled:
            row(prov.articles[family.origin].outlet)["originals"] += 1
    lags: dict[str, list[float]] = defaultdict(list)
    copied: dict[str, set[str]] = defaultdict(set)
    for _family, link in unique_links(prov):
        if prov.time(link.url) not in window or link.copied_from is None:
            continue
        copy_outlet = prov.articles[link.url].outlet
        source_outlet = prov.articles[link.copied_from].outlet
        if copy_outlet == source_outlet:
            continue
        entry = row(copy_outlet)
        entry["copies"] += 1
        entry["attributed_copies"] += int(link.attributed)
        if link.lag_hours is not None:
            lags[copy_outlet].append(link.lag_hours)
        # An external origin is one key across families: count its copies instead.
        copied[source_outlet].add(link.url if prov.is_external(link.copied_from) else link.copied_from)
    for outlet, entry in rows.items():
        if entry["copies"]:
            entry["attribution_rate"] = round(entry["attributed_copies"] / entry["copies"], 4)
        entry["copied_by_others"] = len(copied.get(outlet, ()))
        if lags.get(outlet):
            entry["median_lag_hours"] = _round(median(lags[outlet]))
    return sorted(rows.values(), key=lambda r: (-r["copies"], -r["articles"], r["outlet"]))


def pair_rows(
    prov: Provenance,
    *,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
    limit: int | None = 20,
) -> list[dict]:
    """Top (source outlet, copying outlet) pairs: who copies whom, most republications first."""
    window = TimeWindow(since, until)
    pairs: dict[tuple[str, str], list] = defaultdict(list)
    for _family, link in unique_links(prov):
        if prov.time(link.url) not in window or link.copied_from is None:
            continue
        source = prov.articles[link.copied_from].outlet
        copy = prov.articles[link.url].outlet
        if source != copy:
            pairs[(source, copy)].append(link)
    rows = []
    for (source, copy), links in pairs.items():
        lags = [link.lag_hours for link in links if link.lag_hours is not None]
        attributed = sum(1 for link in links if link.attributed)
        rows.append(
            {
                "source": source,
                "copied_by": copy,
                "republications": len(links),
                "attributed": attributed,
                "attribution_rate": round(attributed / len(links), 4),
                "median_lag_hours": _round(median(lags)) if lags else None,
                "p90_lag_hours": _round(percentile(lags, 0.9)),
            }
        )
    rows.sort(key=lambda r: (-r["republications"], r["source"], r["copied_by"]))
    return rows if limit is None else rows[:limit]


def summary(
    prov: Provenance, *, since: str | datetime | None = None, until: str | datetime | None = None
) -> dict:
    """Totals: articles, families, copies, unattributed copies, conflicts, and the families
    whose origin is outside the store and copies whose source is undetermined.

    With ``since``/``until``: articles dated in the window, copies dated in it, and the
    families that have such a copy or an origin dated in it.
    """
    window = TimeWindow(since, until)
    if window.open:
        articles = len(prov.articles) - len(prov.uncrawled)
    else:
        articles = sum(
            1 for url in prov.articles if url not in prov.uncrawled and prov.time(url) in window
        )
    copies = []
    families = {}
    for family, link in unique_links(prov):
        if prov.time(link.url) in window:
            copies.append(link)
            families[family.id] = family
    for family in prov.families:
        if prov.time(family.origin) in window:
            families[family.id] = family
    return {
        "articles": articles,
        "families": len(families),
        "copies": len(copies),
        "unattributed_copies": sum(1 for link in copies if not link.attributed),
        "families_with_conflicts": sum(1 for family in families.values() if family.conflicts),
        "external_origins": sum(1 for family in families.values() if family.external),
        "undetermined_copies": sum(1 for link in copies if link.copied_from is None),
    }
