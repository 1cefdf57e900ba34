"""Input records of the graph package: articles, text matches and attribution statements.

The graph package is a pure library: the store loads these records (from SQLite, JSONL, or
anything else) and hands them over; nothing here reads files or the network.

- :class:`Article` -- one page, identified by its canonical URL. ``outlet`` is the registered
  domain (``globalresearch.ca``). Dates are ISO-8601 strings, UTC when no offset is given.
  ``date_source`` says where ``published_at`` came from (``jsonld``, ``htmldate``, ``meta``,
  ``stated``, ``sitemap``, ``feed`` ...): page dates beat stated dates beat sitemap/feed dates
  beat ``first_seen`` (the crawl time).
- :class:`Match` -- undirected text evidence between two articles from near-duplicate
  detection: Jaccard ``similarity`` and containment in both directions
  (``containment_a_in_b`` is the share of ``a``'s shingles found in ``b``).
- :class:`Attribution` -- a statement on page ``article`` naming its source ("The original
  source of this article is South Front"). ``outlet`` is the resolved source domain, ``url``
  the linked source article if any, ``stated_date`` the origin date the page states.
  ``form`` says where on the page the credit is (``byline``, ``dateline``, ``sign-off``,
  ``provider-label``, ``metadata``, ``footer``, ``canonical`` ...), ``source_kind`` what the
  credited party is (``wire``, ``syndicator``, ``aggregator``, ``outlet``, ``print``),
  ``name`` the source as written and ``source_in_store`` whether the store holds articles of
  the credited outlet (``None``: not known).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Match kinds produced by near-duplicate detection.
MATCH_KINDS = ("near-duplicate", "excerpt", "expanded")


@dataclass(frozen=True, slots=True)
class Article:
    """One article; ``url`` (canonical) is its identity."""

    url: str
    outlet: str
    title: str | None = None
    published_at: str | None = None
    date_source: str | None = None
    first_seen: str | None = None
    outlet_name: str | None = None
    declared_canonical: str | None = None
    #: What the outlet is when a registry says (``wire``, ``syndicator``, ``aggregator``).
    outlet_kind: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """Text evidence that articles ``a`` and ``b`` share their text (no direction)."""

    a: str
    b: str
    similarity: float
    containment_a_in_b: float
    containment_b_in_a: float
    kind: str = "near-duplicate"

    def containment_in(self, url: str) -> float:
        """Share of the *other* article's text that is found in ``url``'s text."""
        return self.containment_b_in_a if url == self.a else self.containment_a_in_b

    def containment_of(self, url: str) -> float:
        """Share of ``url``'s text that is found in the other article."""
        return self.containment_a_in_b if url == self.a else self.containment_b_in_a

    def other(self, url: str) -> str:
        return self.b if url == self.a else self.a


@dataclass(frozen=True, slots=True)
class Attribution:
    """A statement on page ``article`` crediting a source outlet and/or source article."""

    article: str
    kind: str
    sentence: str | None = None
    outlet: str | None = None
    url: str | None = None
    stated_date: str | None = None
    form: str | None = None
    source_kind: str | None = None
    name: str | None = None
    source_in_store: bool | None = None

    @property
    def visible(self) -> bool:
        """Whether a reader of the page sees this credit (not a rel=canonical or metadata)."""
        return self.kind != "canonical" and self.form not in INVISIBLE_FORMS


#: Credit forms a reader of the page does not see.
INVISIBLE_FORMS = frozenset({"canonical", "metadata"})
#: Credited parties that label another outlet's story and are never its origin.
AGGREGATOR = "aggregator"
