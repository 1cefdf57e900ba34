"""A :class:`graph.Provenance` as rows of the ``decisions`` and ``decision_families`` tables,
and those rows back as a Provenance.

The flat columns are for people and SQL (the Datasette views); the ``record`` columns keep
the whole decision (:mod:`.codec`), so a reader rebuilds exactly what was decided and hands
it to the same code that renders lookups, stats and exports.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from graph import Attribution, Family, Provenance
from graph.records import Article
from graph.timing import TimeEvidence, lag_hours, time_iso

from .codec import decode, decoder_for, encode

# Provenance fields kept per article row (the rest, small, go in the run's state).
_PER_ARTICLE = ("articles", "families", "family_of", "times", "uncrawled", "attributions",
                "bridges")  # fmt: skip


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _external(prov: Provenance, key: str | None) -> Any:
    found = getattr(prov, "external", None) or {}
    return found.get(key) if key is not None else None


def _origin_columns(prov: Provenance, family: Family | None, url: str) -> dict[str, Any]:
    key = family.origin if family else url
    external = getattr(family, "external", None) if family else None
    external = external or _external(prov, key)
    article = prov.articles.get(key)
    if external is not None:
        # the outlet its stand-in article carries: the one stats counts it under
        outlet = article.outlet if article is not None else external.outlet
        return {"origin": key, "origin_url": external.url, "origin_outlet": outlet,
                "origin_name": external.name, "origin_kind": external.kind,
                "origin_in_store": 0}  # fmt: skip
    return {
        "origin": key,
        "origin_url": key,
        "origin_outlet": article.outlet if article else None,
        "origin_name": (article.outlet_name or article.outlet) if article else None,
        "origin_kind": "article",
        "origin_in_store": int(key not in prov.uncrawled),
    }


def _outlet_of(prov: Provenance, key: str | None) -> str | None:
    if key is None:
        return None
    article = prov.articles.get(key)
    if article is not None:
        return article.outlet
    external = _external(prov, key)
    return external.outlet if external is not None else None


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def _link_columns(prov: Provenance, family: Family, url: str) -> dict[str, Any]:
    link = family.links.get(url)
    if link is None:
        return {}
    credit: Attribution | None = link.attribution
    return {
        "copied_from": link.copied_from,
        "copied_from_outlet": _outlet_of(prov, link.copied_from),
        "basis": _dumps(list(link.basis)),
        "confidence": link.confidence,
        "attributed": int(bool(link.attributed)),
        # Only words a reader sees: a rel=canonical or metadata credit is no sentence.
        "credit": credit.sentence if credit is not None and link.attributed else None,
        "credit_kind": credit.kind if credit else None,
        "credit_form": getattr(credit, "form", None) if credit else None,
        "credit_outlet": credit.outlet if credit else None,
        "credit_url": credit.url if credit else None,
        "similarity": _round(link.similarity),
        "containment": _round(link.containment),
        "containment_copy_in_source": _round(link.containment_copy_in_source),
        "containment_source_in_copy": _round(link.containment_source_in_copy),
        "text_kind": link.text_kind,
        "lag_hours": link.lag_hours,
        "lag_hours_from_origin": lag_hours(prov.time(family.origin), prov.time(url)),
    }


def article_rows(prov: Provenance, ids: dict[str, int]) -> Iterator[dict[str, Any]]:
    """One row per article and family (``ids``: article id by URL, for crawled articles)."""
    bridges = getattr(prov, "bridges", None) or {}
    conflicts_of: dict[tuple[int, str], list[str]] = {}
    for family in prov.families:
        for conflict in family.conflicts:
            for url in conflict.urls:
                conflicts_of.setdefault((family.id, url), []).append(conflict.kind)

    def row(url: str, family: Family | None) -> dict[str, Any]:
        article = prov.articles[url]
        time = prov.time(url)
        role = "unique" if family is None else "origin" if url == family.origin else "copy"
        record = {"article": encode(article), "time": encode(time),
                  "attributions": encode(prov.attributions.get(url, [])),
                  "bridges": encode(bridges.get(url)) if url in bridges else None}
        external = _external(prov, url)
        return {
            "url": url,
            "family_id": family.id if family else None,
            "article_id": ids.get(url),
            "outlet": article.outlet if article.outlet else (external.outlet if external else None),
            "outlet_name": article.outlet_name or (external.name if external else None),
            "in_store": int(url not in prov.uncrawled),
            "role": role,
            **_origin_columns(prov, family, url),
            **({} if family is None else _link_columns(prov, family, url)),
            "date": time_iso(time),
            "date_basis": time.label,
            "conflicts": _dumps(sorted(set(conflicts_of.get((family.id, url), ()))))
            if family else "[]",
            "primary_family": int(family is None or prov.family_of.get(url) == family.id),
            "record": _dumps(record),
        }

    for family in prov.families:
        for url in family.members:
            if url in prov.articles:
                yield row(url, family)
    for url in prov.articles:
        if url not in prov.family_of and url not in bridges:
            yield row(url, None)


def family_rows(prov: Provenance) -> Iterator[dict[str, Any]]:
    for family in prov.families:
        yield {
            "family_id": family.id,
            **_origin_columns(prov, family, family.origin),
            "origin_basis": _dumps(list(family.origin_basis)),
            "origin_confidence": family.origin_confidence,
            "size": len(family.members),
            "conflicts": _dumps([c.as_dict() for c in family.conflicts]),
            "record": _dumps(encode(family)),
        }


def extras(prov: Provenance) -> dict[str, Any]:
    """The Provenance's other fields (origins outside the store …), small, as JSON data."""
    return {f.name: encode(getattr(prov, f.name)) for f in dataclasses.fields(prov)
            if f.init and f.name not in _PER_ARTICLE}  # fmt: skip


class Families(Sequence):
    """Some families of a store, indexed by family id like ``Provenance.families``."""

    def __init__(self, families: Iterable[Family]) -> None:
        self._by_id = {f.id: f for f in families}
        self._order = sorted(self._by_id)

    def __getitem__(self, index):  # type: ignore[override]
        return self._by_id[index]

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[Family]:
        return (self._by_id[i] for i in self._order)


def rebuild(family_records: Iterable[str], article_records: Iterable[tuple],
            extra: dict[str, Any], *, dense: bool) -> Provenance:
    """A Provenance from stored rows: family ``record`` JSON, and per article
    ``(url, family_id, in_store, primary_family, record, title, outlet name)``. The title
    and outlet name are read live from the articles and outlets tables: they are no
    decision, and may change."""
    family_of_record = decoder_for(Family)
    families = [family_of_record(json.loads(raw)) for raw in family_records]
    articles: dict[str, Article] = {}
    times: dict[str, TimeEvidence] = {}
    family_of: dict[str, int] = {}
    uncrawled: set[str] = set()
    attributions: dict[str, list[Attribution]] = {}
    bridges: dict[str, Any] = {}
    hints = typing.get_type_hints(Provenance)
    article_of, time_of = decoder_for(Article), decoder_for(TimeEvidence)
    credits_of = decoder_for(list[Attribution])
    bridges_of = decoder_for(typing.get_args(hints["bridges"])[1]) if "bridges" in hints else None
    for url, family_id, in_store, primary, raw, title, outlet_name in article_records:
        if family_id is not None and primary:
            family_of[url] = family_id
        if url in articles:
            continue
        record = json.loads(raw)
        fields = record["article"]
        if in_store:
            fields["title"], fields["outlet_name"] = title, outlet_name
        articles[url] = article_of(fields)
        times[url] = time_of(record["time"])
        if not in_store:
            uncrawled.add(url)
        if record.get("attributions"):
            attributions[url] = credits_of(record["attributions"])
        if record.get("bridges") is not None and bridges_of is not None:
            bridges[url] = bridges_of(record["bridges"])
    families.sort(key=lambda f: f.id)
    if not dense:  # only some families: keep no pointer to the others
        loaded = {f.id for f in families}
        family_of = {u: i for u, i in family_of.items() if i in loaded}
        bridges = {u: tuple(i for i in ids if i in loaded) for u, ids in bridges.items()}
        bridges = {u: ids for u, ids in bridges.items() if len(ids) > 1}
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(Provenance):
        if f.init and f.name in extra and f.name not in _PER_ARTICLE:
            kwargs[f.name] = decode(hints[f.name], extra[f.name])
    if "bridges" in hints:
        kwargs["bridges"] = bridges
    return Provenance(
        articles=articles,
        families=families if dense else Families(families),  # type: ignore[arg-type]
        family_of=family_of,
        times=times,
        uncrawled=uncrawled,
        attributions=attributions,
        **kwargs,
    )
