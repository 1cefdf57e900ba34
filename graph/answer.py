"""Provenance of one article: the Lookup JSON contract of DESIGN.md and a terminal rendering.

``lookup(provenance, url)`` returns::

    {"query", "found", "article", "origin", "copies", "conflicts"}

``copies`` lists every member of the story family except the origin, whichever member was
queried, each with ``copied_from`` (the URL it was taken from; a chain A→B→C shows C copied
from B), ``similarity`` and ``containment`` (of the copy and ``copied_from``, ``null`` when
they are linked by attribution only), the ``attribution`` sentence (``null`` when the copy
credits nobody, then ``attributed`` is false) and ``lag_hours`` (hours after ``copied_from``;
``lag_hours_from_origin`` is measured from the origin). Extra keys beyond the contract:
``basis``, ``confidence``, ``attributed``, ``kind``, ``attribution_kind``, ``title``,
``crawled``, ``date``/``date_basis`` (the time actually used) and the two containment directions.

An unknown URL gives ``found: false`` with ``article``/``origin`` ``null`` and empty lists.
The caller canonicalises the URL first (the store's identity rule); this module compares
URLs as given.
"""

from __future__ import annotations

import textwrap

from .direction import CopyLink, Family, Provenance
from .timing import lag_hours, time_iso


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


def _article_dict(prov: Provenance, url: str) -> dict:
    art = prov.articles[url]
    time = prov.time(url)
    return {
        "url": url,
        "outlet": art.outlet,
        "outlet_name": art.outlet_name,
        "title": art.title,
        "published_at": art.published_at,
        "date": time_iso(time),
        "date_basis": time.label,
        "crawled": url not in prov.uncrawled,
    }


def _copy_dict(prov: Provenance, family: Family, link: CopyLink) -> dict:
    entry = _article_dict(prov, link.url)
    attribution = link.attribution
    entry.update(
        {
            "copied_from": link.copied_from,
            "similarity": _round(link.similarity),
            "containment": _round(link.containment),
            "containment_copy_in_source": _round(link.containment_copy_in_source),
            "containment_source_in_copy": _round(link.containment_source_in_copy),
            "kind": link.text_kind,
            # Only words a reader sees; a rel=canonical credit shows as attribution_kind.
            "attribution": attribution.sentence if attribution and link.attributed else None,
            "attribution_kind": attribution.kind if attribution else None,
            "attributed": link.attributed,
            "lag_hours": link.lag_hours,
            "lag_hours_from_origin": lag_hours(prov.time(family.origin), prov.time(link.url)),
            "basis": list(link.basis),
            "confidence": link.confidence,
        }
    )
    return entry


def not_found(query: str) -> dict:
    """The ``found: false`` answer for a URL the store does not know."""
    return {
        "query": query,
        "found": False,
        "article": None,
        "origin": None,
        "copies": [],
        "conflicts": [],
    }


def lookup(prov: Provenance, url: str, query: str | None = None) -> dict:
    """The Lookup JSON for ``url``; ``query`` is the URL as the user typed it (default ``url``)."""
    query = url if query is None else query
    if url not in prov.articles:
        return not_found(query)
    article = _article_dict(prov, url)
    family = prov.family(url)
    if family is None:
        # A page with no known copies is, as far as the crawl knows, its own origin.
        origin = _article_dict(prov, url)
        origin.update({"basis": ["no_known_copies"], "confidence": 0.5})
        credits = [
            {"kind": a.kind, "sentence": a.sentence, "outlet": a.outlet, "url": a.url}
            for a in prov.attributions.get(url, ())
        ]
        article["role"] = "unique"
        if credits:
            article["credits"] = credits
        return {
            "query": query,
            "found": True,
            "article": article,
            "origin": origin,
            "copies": [],
            "conflicts": [],
            "family_size": 1,
        }
    origin = _article_dict(prov, family.origin)
    origin.update({"basis": list(family.origin_basis), "confidence": family.origin_confidence})
    article["role"] = "origin" if url == family.origin else "copy"
    return {
        "query": query,
        "found": True,
        "article": article,
        "origin": origin,
        "copies": [_copy_dict(prov, family, link) for link in family.copies],
        "conflicts": [c.as_dict() for c in family.conflicts],
        "family_size": len(family.members),
    }


def _fmt_hours(value: float | None) -> str:
    if value is None:
        return "lag ?"
    if abs(value) >= 48:
        return f"{value / 24:+.1f} d"
    return f"{value:+.1f} h"


def _when(entry: dict) -> str:
    return (entry.get("date") or "undated")[:16]


def render_text(result: dict, width: int = 100) -> str:
    """A readable terminal rendering of a :func:`lookup` result."""
    lines: list[str] = []
    if not result.get("found"):
        return f"Not found: {result.get('query')}\nThe store has no article with this URL.\n"
    art, origin = result["article"], result["origin"]
    lines.append(f"Query   {result['query']}")
    title = f"  “{art['title']}”" if art.get("title") else ""
    lines.append(f"Article {art['outlet']}  {_when(art)}{title}")
    lines.append("")
    basis = ", ".join(origin["basis"])
    lines.append(f"Origin  {origin['outlet']}  {_when(origin)}  {origin['url']}")
    crawled = "" if origin.get("crawled", True) else "  (not crawled: known from a link)"
    lines.append(f"        basis: {basis}; confidence {origin['confidence']:.2f}{crawled}")
    copies = result["copies"]
    lines.append("")
    lines.append(f"Copies ({len(copies)})" if copies else "No known copies.")
    children: dict[str, list[dict]] = {}
    for entry in copies:
        children.setdefault(entry["copied_from"], []).append(entry)

    def walk(parent: str, depth: int, seen: set[str]) -> None:
        for entry in children.get(parent, ()):
            if entry["url"] in seen:
                continue
            seen.add(entry["url"])
            pad = "  " * depth
            marker = "➜ " if entry["url"] == art["url"] else "  "
            sim = (
                f"sim {entry['similarity']:.2f}" if entry["similarity"] is not None else "sim  -  "
            )
            cont = f"cont {entry['containment']:.2f}" if entry["containment"] is not None else ""
            credit = "credited" if entry["attributed"] else "UNCREDITED"
            lines.append(
                f"{marker}{pad}└ {entry['outlet']}  {_when(entry)}  {_fmt_hours(entry['lag_hours'])}"
                f"  {sim} {cont}  {credit}  conf {entry['confidence']:.2f}"
            )
            lines.append(f"  {pad}  {entry['url']}")
            if entry["attribution"]:
                quote = textwrap.shorten(entry["attribution"], width=max(30, width - 8 - len(pad)))
                lines.append(f"  {pad}  “{quote}”")
            walk(entry["url"], depth + 1, seen)

    seen: set[str] = set()
    walk(origin["url"], 1, seen)
    for entry in copies:  # anything not reachable from the origin (should not happen)
        if entry["url"] not in seen:
            lines.append(f"    ? {entry['outlet']}  {entry['url']} (from {entry['copied_from']})")
    conflicts = result["conflicts"]
    if conflicts:
        lines.append("")
        lines.append(f"Conflicts ({len(conflicts)})")
        for c in conflicts:
            wrapped = textwrap.wrap(f"{c['kind']}: {c['message']}", width=width - 4)
            lines.extend("  ! " + w if i == 0 else "    " + w for i, w in enumerate(wrapped))
    return "\n".join(lines) + "\n"
