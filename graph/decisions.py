"""The results of provenance decisions: families, copy links, conflicts.

:func:`graph.direction.decide_provenance` returns a :class:`Provenance`; look an article up
with ``family(url)``. A :class:`Family` has one ``origin`` and a :class:`CopyLink` per copy
(``copied_from``, ``basis``, ``confidence``, ``attributed``, the text match and the lag).

What a store of decisions keeps, per family: ``origin`` (an article URL, or the key of an
:class:`ExternalOrigin`), ``origin_basis``, ``origin_confidence``, ``external`` (name, kind,
outlet, url of an origin outside the store, else ``None``) and the conflicts; per copy
(:class:`CopyLink`): ``url``, ``copied_from`` (``None`` when the source is undetermined),
``basis``, ``confidence``, ``attributed``, the credit (``attribution``) and the match scores,
``lag_hours``. :data:`RULES_VERSION` names the rules that made them.

``basis`` entries: ``attribution`` (a credit a reader sees), ``metadata`` (a credit only in
the page's structured data), ``canonical`` (``rel=canonical``), ``text`` (the two articles'
own verified match), then the time evidence (``published_at``, ``stated_date``, ``lastmod``,
``first_seen``). A link never rests on time alone: an empty ``basis`` means the copy's source
is undetermined (``copied_from`` is ``None`` and a ``source-undetermined`` conflict says why).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .records import Article, Attribution, Match
from .timing import NO_DATE, TimeEvidence, best_time

#: Version of the decision rules; stored next to decisions so stale ones can be recomputed.
RULES_VERSION = "2026.12-external-origins"
#: Prefix of the keys of origins outside the store that no URL identifies.
EXTERNAL_PREFIX = "external:"


@dataclass(frozen=True, slots=True)
class ExternalOrigin:
    """A family's origin that is no article in the store: a wire agency, a print issue, an
    outlet never crawled.

    ``key`` is its identity among ``Provenance.articles`` (the credited URL when one is
    linked, else ``external:<outlet or name>``); ``outlet`` the registered domain when known
    (else ``None``); ``kind`` is ``wire``, ``syndicator``, ``outlet`` or ``print``;
    ``credited_by`` the members crediting it.
    """

    key: str
    name: str
    outlet: str | None
    kind: str
    url: str | None
    credited_by: tuple[str, ...] = ()
    #: Whether the store holds articles of ``outlet`` (just not this story); None: unknown.
    outlet_in_store: bool | None = None

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "outlet": self.outlet,
            "kind": self.kind,
            "url": self.url,
            "credited_by": list(self.credited_by),
            "outlet_in_store": self.outlet_in_store,
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """Evidence that disagrees with a decision. ``kind`` is a short stable name."""

    kind: str
    message: str
    urls: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "message": self.message, "urls": list(self.urls)}


@dataclass(frozen=True, slots=True)
class CopyLink:
    """The decision for one copy: where it was copied from, on what basis, how sure."""

    url: str
    copied_from: str | None
    basis: tuple[str, ...]
    confidence: float
    attributed: bool
    attribution: Attribution | None
    match: Match | None
    lag_hours: float | None

    @property
    def determined(self) -> bool:
        """Whether evidence names this copy's source (else ``copied_from`` is ``None``)."""
        return self.copied_from is not None

    @property
    def similarity(self) -> float | None:
        return self.match.similarity if self.match else None

    @property
    def containment_copy_in_source(self) -> float | None:
        return self.match.containment_of(self.url) if self.match else None

    @property
    def containment_source_in_copy(self) -> float | None:
        return self.match.containment_in(self.url) if self.match else None

    @property
    def containment(self) -> float | None:
        """How much of the shorter text lies in the other (excerpts and expanded copies alike)."""
        if self.match is None:
            return None
        return max(self.match.containment_a_in_b, self.match.containment_b_in_a)

    @property
    def text_kind(self) -> str | None:
        """``near-duplicate``, ``excerpt`` (copy inside source) or ``expanded`` (source inside copy).

        The match's own kind says whether one text lies inside the other; containment says
        which way round, relative to this copy.
        """
        if self.match is None:
            return None
        inside, around = self.containment_copy_in_source, self.containment_source_in_copy
        if self.match.kind == "near-duplicate" and abs(inside - around) <= 0.2:
            return "near-duplicate"
        return "excerpt" if inside >= around else "expanded"


@dataclass(frozen=True)
class Family:
    """A story family: its origin, every member, and a :class:`CopyLink` per copy."""

    id: int
    origin: str
    origin_basis: tuple[str, ...]
    origin_confidence: float
    members: tuple[str, ...]
    links: Mapping[str, CopyLink]
    conflicts: tuple[Conflict, ...] = ()
    external: ExternalOrigin | None = None

    @property
    def origin_in_store(self) -> bool:
        return self.external is None

    @property
    def copies(self) -> list[CopyLink]:
        return [self.links[url] for url in self.members if url in self.links]

    def chain(self, url: str) -> list[str]:
        """``url``, what it was copied from, and so on up to the origin."""
        path = [url]
        while path[-1] in self.links and len(path) <= len(self.members):
            source = self.links[path[-1]].copied_from
            if source is None:
                break
            path.append(source)
        return path


@dataclass
class Provenance:
    """Provenance decisions over a record set; look things up by article URL."""

    articles: dict[str, Article]
    families: list[Family]
    family_of: dict[str, int]
    times: dict[str, TimeEvidence]
    uncrawled: set[str] = field(default_factory=set)
    attributions: dict[str, list[Attribution]] = field(default_factory=dict)
    #: Origins outside the store by key (also stand-in articles in ``articles``, in
    #: ``uncrawled``); one agency is one key across every family it originates.
    external: dict[str, ExternalOrigin] = field(default_factory=dict)
    #: Articles in more than one family (a roundup carrying two stories): every family id.
    bridges: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def article(self, url: str) -> Article | None:
        return self.articles.get(url)

    def family(self, url: str) -> Family | None:
        """The family of ``url`` (for a bridge article, the first of its families)."""
        index = self.family_of.get(url)
        return None if index is None else self.families[index]

    def families_of(self, url: str) -> list[Family]:
        """Every family ``url`` belongs to: one, or several for a bridge article."""
        if url in self.bridges:
            return [self.families[i] for i in self.bridges[url]]
        found = self.family(url)
        return [] if found is None else [found]

    def is_external(self, key: str | None) -> bool:
        """Whether ``key`` is an origin outside the store (an agency, a page never crawled)."""
        return key is not None and key in self.external

    def time(self, url: str) -> TimeEvidence:
        """Time evidence for ``url`` (computed on demand for articles outside families)."""
        found = self.times.get(url)
        if found is None:
            article = self.articles.get(url)
            found = best_time(article) if article else TimeEvidence(None, NO_DATE)
        return found

    def links(self) -> Iterator[tuple[Family, CopyLink]]:
        """Every copy decision, family by family."""
        for family in self.families:
            for link in family.copies:
                yield family, link
