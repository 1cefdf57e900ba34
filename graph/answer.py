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

Origins outside the store (a wire agency, a print issue, an outlet not crawled): ``origin``
has ``in_store: false``, ``url`` the credited link or ``null``, ``name`` (display name),
``kind`` (``wire``, ``syndicator``, ``outlet``, ``print``), ``outlet`` (the domain when known,
else the name), ``outlet_in_store`` and ``credited_by`` (how many copies credit it). Every
copy says ``copied_from_origin`` (whether its source is the family origin),
``copied_from_name`` and ``copied_from_in_store``; under an external origin with no link,
``copied_from`` is ``null`` and ``copied_from_origin`` true. A copy whose source no evidence
names has ``copied_from: null``, ``copied_from_origin: false``, ``source_determined: false``
and ``basis: []`` (a ``source-undetermined`` conflict says why). An article in two families
(a roundup carrying two stories) lists the other families' origins in ``other_families``.
See docs/lookup-json.md.

An unknown URL gives ``found: false`` with ``article``/``origin`` ``null`` and empty lists.
The caller canonicalises the URL first (the store's identity rule); this module compares
URLs as given.
"""

from __future__ import annotations

import textwrap

from .decisions import EXTERNAL_PREFIX, CopyLink, ExternalOrigin, Family, Provenance
from .timing import lag_hours, time_iso

#: How the terminal names each kind of origin outside the store.
KIND_LABELS = {
    "wire": "wire agency",
    "syndicator": "syndicator",
    "print": "print publication",
    "outlet": "outlet",
}


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


def _origin_dict(prov: Provenance, family: Family) -> dict:
    """The ``origin`` object: an article, or a source outside the store."""
    external = family.external
    if external is None:
        origin = _article_dict(prov, family.origin)
        article = prov.articles[family.origin]
        origin.update(
            {
                "name": article.outlet_name or article.outlet,
                "kind": article.outlet_kind or "outlet",
                "in_store": True,
            }
        )
    else:
        origin = _external_dict(prov, external)
        origin["credited_by"] = len(external.credited_by)
    origin.update({"basis": list(family.origin_basis), "confidence": family.origin_confidence})
    return origin


def _external_dict(prov: Provenance, external: ExternalOrigin) -> dict:
    time = prov.time(external.key)
    return {
        "url": external.url,
        "outlet": external.outlet or external.name,
        "outlet_name": external.name,
        "title": None,
        "published_at": prov.articles[external.key].published_at
        if external.key in prov.articles
        else None,
        "date": time_iso(time),
        "date_basis": time.label,
        "crawled": False,
        "name": external.name,
        "kind": external.kind,
        "in_store": False,
        "outlet_in_store": external.outlet_in_store,
    }


def _source_fields(prov: Provenance, family: Family, link: CopyLink) -> dict:
    source = link.copied_from
    if source is None:
        return {
            "copied_from": None,
            "copied_from_origin": False,
            "copied_from_name": None,
            "copied_from_in_store": None,
            "source_determined": False,
        }
    external = family.external if source == family.origin else None
    article = prov.articles[source]
    return {
        "copied_from": external.url if external else source,
        "copied_from_origin": source == family.origin,
        "copied_from_name": external.name if external else article.outlet_name or article.outlet,
        "copied_from_in_store": external is None and source not in prov.uncrawled,
        "source_determined": True,
    }


def _copy_dict(prov: Provenance, family: Family, link: CopyLink) -> dict:
    entry = _article_dict(prov, link.url)
    attribution = link.attribution
    entry.update(_source_fields(prov, family, link))
    entry.update(
        {
            "similarity": _round(link.similarity),
            "containment": _round(link.containment),
            "containment_copy_in_source": _round(link.containment_copy_in_source),
            "containment_source_in_copy": _round(link.containment_source_in_copy),
            "kind": link.text_kind,
            # Only words a reader sees; a rel=canonical credit shows as attribution_kind.
            "attribution": attribution.sentence if attribution and link.attributed else None,
            "attribution_kind": attribution.kind if attribution else None,
            "attribution_form": attribution.form if attribution else None,
            "attributed": link.attributed,
            "lag_hours": link.lag_hours,
            "lag_hours_from_origin": lag_hours(prov.time(family.origin), prov.time(link.url))
            if link.copied_from is not None
            else None,
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
    if url not in prov.articles or url.startswith(EXTERNAL_PREFIX):
        return not_found(query)  # an origin outside the store is no article to look up
    article = _article_dict(prov, url)
    family = prov.family(url)
    if family is None:
        # A page with no known copies is, as far as the crawl knows, its own origin.
        origin = _article_dict(prov, url)
        own = prov.articles[url]
        origin.update(
            {
                "name": own.outlet_name or own.outlet,
                "kind": own.outlet_kind or "outlet",
                "in_store": url not in prov.uncrawled,
                "basis": ["no_known_copies"],
                "confidence": 0.5,
            }
        )
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
    article["role"] = "origin" if url == family.origin else "copy"
    answer = {
        "query": query,
        "found": True,
        "article": article,
        "origin": _origin_dict(prov, family),
        "copies": [_copy_dict(prov, family, link) for link in family.copies],
        "conflicts": [c.as_dict() for c in family.conflicts],
        "family_size": len(family.members),
    }
    others = [f for f in prov.families_of(url) if f.id != family.id]
    if others:
        answer["other_families"] = [
            {"origin": _origin_dict(prov, other), "family_size": len(other.members)}
            for other in others
        ]
    return answer


def _fmt_hours(value: float | None) -> str:
    if value is None:
        return "lag ?"
    if abs(value) >= 48:
        return f"{value / 24:+.1f} d"
    return f"{value:+.1f} h"


def _when(entry: dict) -> str:
    return (entry.get("date") or "undated")[:16]


_ORIGIN = "\x00origin"


def _external_line(origin: dict) -> str:
    """"The Associated Press (wire agency, not in the store) — credited by 3 copies"."""
    kind = KIND_LABELS.get(origin.get("kind") or "outlet", origin.get("kind") or "outlet")
    name = origin.get("name") or origin.get("outlet")
    count = origin.get("credited_by") or 0
    credited = f" — credited by {count} cop{'y' if count == 1 else 'ies'}" if count else ""
    return f"{name} ({kind}, not in the store){credited}"


def _copy_lines(lines: list[str], entry: dict, depth: int, queried: str, width: int) -> None:
    pad = "  " * depth
    marker = "➜ " if entry["url"] == queried else "  "
    sim = f"sim {entry['similarity']:.2f}" if entry["similarity"] is not None else "sim  -  "
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
    basis = ", ".join(origin["basis"]) or "none"
    if origin.get("in_store", True):
        lines.append(f"Origin  {origin['outlet']}  {_when(origin)}  {origin['url']}")
        crawled = "" if origin.get("crawled", True) else "  (not crawled: known from a link)"
    else:
        lines.append(f"Origin: {_external_line(origin)}")
        where = [origin.get("outlet") if origin.get("outlet") != origin.get("name") else None]
        where = [w for w in [*where, origin.get("url")] if w]
        if where:
            lines.append(f"        {'  '.join(where)}")
        crawled = ""
    lines.append(f"        basis: {basis}; confidence {origin['confidence']:.2f}{crawled}")
    copies = result["copies"]
    lines.append("")
    lines.append(f"Copies ({len(copies)})" if copies else "No known copies.")
    children: dict[str | None, list[dict]] = {}
    for entry in copies:
        if entry.get("source_determined", True):
            parent = _ORIGIN if entry.get("copied_from_origin") else entry["copied_from"]
            children.setdefault(parent, []).append(entry)

    def walk(parent: str, depth: int, seen: set[str]) -> None:
        for entry in children.get(parent, ()):
            if entry["url"] in seen:
                continue
            seen.add(entry["url"])
            _copy_lines(lines, entry, depth, art["url"], width)
            walk(entry["url"], depth + 1, seen)

    seen: set[str] = set()
    walk(_ORIGIN, 1, seen)
    if origin.get("url"):
        walk(origin["url"], 1, seen)
    undetermined = [e for e in copies if not e.get("source_determined", True)]
    if undetermined:
        lines.append("")
        lines.append(f"Source undetermined ({len(undetermined)}): no credit, no earlier shared text")
        for entry in undetermined:
            seen.add(entry["url"])
            _copy_lines(lines, entry, 1, art["url"], width)
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
