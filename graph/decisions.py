"""The results of provenance decisions: families, copy links, conflicts.

:func:`graph.direction.decide_provenance` returns a :class:`Provenance`; look an article up
with ``family(url)``. A :class:`Family` has one ``origin`` and a :class:`CopyLink` per copy
(``copied_from``, ``basis``, ``confidence``, ``attributed``, the text match and the lag).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .records import Article, Attribution, Match
from .timing import NO_DATE, TimeEvidence, best_time


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
    copied_from: str
    basis: tuple[str, ...]
    confidence: float
    attributed: bool
    attribution: Attribution | None
    match: Match | None
    lag_hours: float | None

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

    @property
    def copies(self) -> list[CopyLink]:
        return [self.links[url] for url in self.members if url in self.links]

    def chain(self, url: str) -> list[str]:
        """``url``, what it was copied from, and so on up to the origin."""
        path = [url]
        while path[-1] in self.links and len(path) <= len(self.members):
            path.append(self.links[path[-1]].copied_from)
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

    def article(self, url: str) -> Article | None:
        return self.articles.get(url)

    def family(self, url: str) -> Family | None:
        index = self.family_of.get(url)
        return None if index is None else self.families[index]

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
