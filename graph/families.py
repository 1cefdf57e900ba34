"""Story families: connected components of text matches and article-to-article attributions.

A family is the set of articles that share a text (a near-duplicate, an excerpt, an expanded
copy) or that link to each other as source. Articles about the same event with different
text and no attribution link never end up in one family. An attribution naming only an
outlet does not join families: it is resolved later to that outlet's member of the family.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit


class UnionFind:
    """Disjoint sets over hashable items, with path halving and union by size."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._size: dict[str, int] = {}

    def add(self, item: str) -> None:
        if item not in self._parent:
            self._parent[item] = item
            self._size[item] = 1

    def find(self, item: str) -> str:
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        self.add(a)
        self.add(b)
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] += self._size[rb]

    def groups(self) -> Iterator[list[str]]:
        """Every set with two or more members, members sorted, sets in a stable order."""
        by_root: dict[str, list[str]] = {}
        for item in self._parent:
            by_root.setdefault(self.find(item), []).append(item)
        found = [sorted(members) for members in by_root.values() if len(members) > 1]
        found.sort(key=lambda members: members[0])
        return iter(found)


def components(pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components (two or more members) of an undirected edge list."""
    uf = UnionFind()
    for a, b in pairs:
        if a != b:
            uf.union(a, b)
    return list(uf.groups())


def url_host_outlet(url: str) -> str | None:
    """The host of ``url`` without ``www.``: a stand-in outlet for pages never crawled.

    Not a registered domain (that needs the public suffix list, which the store applies);
    good enough to compare against known outlets with :func:`host_in_outlet`.
    """
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def host_in_outlet(url: str, outlet: str) -> bool:
    """Whether ``url``'s host is ``outlet`` or one of its subdomains."""
    host = url_host_outlet(url)
    if host is None or not outlet:
        return False
    return host == outlet or host.endswith("." + outlet)


def is_site_root(url: str) -> bool:
    """A link to an outlet's home page names the outlet, not an article."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    return path in ("", "/") and "?" not in url
