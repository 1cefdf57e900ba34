"""The records of a provenance decision, indexed: matches by pair, credits by article.

:class:`EvidenceIndex` also connects the records into components (text matches, credits that
link an article, ``rel=canonical`` inside the record set) and adds a stand-in article for a
linked source page that was never crawled, dated by the date the copy states for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from .families import UnionFind, is_site_root, url_host_outlet
from .records import Article, Attribution, Match

logger = logging.getLogger(__name__)


def match_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def score(match: Match | None) -> float:
    """How much text two articles share: the best of similarity and both containments."""
    if match is None:
        return 0.0
    return max(match.similarity, match.containment_a_in_b, match.containment_b_in_a)


class EvidenceIndex:
    """Articles, matches and attributions indexed for family decisions."""

    def __init__(
        self,
        articles: Iterable[Article],
        matches: Iterable[Match],
        attributions: Iterable[Attribution],
    ) -> None:
        self.articles: dict[str, Article] = {a.url: a for a in articles}
        self.uncrawled: set[str] = set()
        self.matches: dict[tuple[str, str], Match] = {}
        self.neighbours: dict[str, list[str]] = {}
        self.attributions: dict[str, list[Attribution]] = {}
        #: Dates other pages state for an article ("South Front 27 October 2020").
        self.stated: dict[str, list[str]] = {}
        #: Pairs joined by a credit or a rel=canonical (not by text), and by article.
        self.credit_pairs: set[tuple[str, str]] = set()
        self.credit_neighbours: dict[str, list[str]] = {}
        #: The credit that made a stand-in article for an uncrawled page.
        self.stand_in_credit: dict[str, Attribution] = {}
        self.uf = UnionFind()
        self._add_matches(matches)
        self._add_attributions(attributions)
        for article in list(self.articles.values()):
            canonical = article.declared_canonical
            if canonical and canonical != article.url and canonical in self.articles:
                self._join(article.url, canonical)

    def _join(self, a: str, b: str) -> None:
        self.uf.union(a, b)
        key = match_key(a, b)
        if key not in self.credit_pairs:
            self.credit_pairs.add(key)
            self.credit_neighbours.setdefault(a, []).append(b)
            self.credit_neighbours.setdefault(b, []).append(a)

    def _add_matches(self, matches: Iterable[Match]) -> None:
        skipped = 0
        for m in matches:
            if m.a == m.b or m.a not in self.articles or m.b not in self.articles:
                skipped += 1
                continue
            key = match_key(m.a, m.b)
            known = self.matches.get(key)
            if known is None:
                self.neighbours.setdefault(m.a, []).append(m.b)
                self.neighbours.setdefault(m.b, []).append(m.a)
            if known is None or score(m) > score(known):
                self.matches[key] = m
            self.uf.union(m.a, m.b)
        if skipped:
            logger.debug("skipped %d matches naming unknown articles", skipped)

    def _add_attributions(self, attributions: Iterable[Attribution]) -> None:
        for at in attributions:
            if at.article not in self.articles:
                continue
            self.attributions.setdefault(at.article, []).append(at)
            target = self._article_target(at)
            if target is not None:
                self._join(at.article, target)
                if at.stated_date:
                    self.stated.setdefault(target, []).append(at.stated_date)

    def _article_target(self, at: Attribution) -> str | None:
        """The article an attribution links to, adding a stand-in for a page never crawled."""
        if not at.url or at.url == at.article or is_site_root(at.url):
            return None
        if at.url not in self.articles:
            outlet = at.outlet or url_host_outlet(at.url)
            if not outlet:
                return None
            self.articles[at.url] = Article(
                url=at.url,
                outlet=outlet,
                published_at=at.stated_date,
                date_source="stated" if at.stated_date else None,
                outlet_name=at.name if at.source_kind else None,
            )
            self.uncrawled.add(at.url)
            self.stand_in_credit[at.url] = at
        return at.url

    def match(self, a: str, b: str) -> Match | None:
        return self.matches.get(match_key(a, b))

    def linked(self, a: str, b: str) -> bool:
        """Whether a credit or rel=canonical joins ``a`` and ``b`` directly."""
        return match_key(a, b) in self.credit_pairs
