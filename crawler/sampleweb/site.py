"""URL routing of the sample outlets: maps (host, path, query) to a ``Response``.

Everything here is pure (no sockets): the server turns a ``Response`` into HTTP. Pages are
rendered once and cached, so repeated fetches are byte-identical and ETags stay valid.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs

from . import feeds
from .articles import ARTICLES, SITEMAP_404_PATHS, url_of
from .boilerplate import STATIC_PAGES
from .model import Article, Outlet
from .outlets import OUTLETS, by_host
from .parts import author_slug, slug_name
from .render import Renderer

HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
_PAGED = re.compile(r"^(?P<base>/(?:(?:category|tag|author)/[^/]+/)?)page/(?P<n>\d+)/$")


@dataclass
class Response:
    """An HTTP response before serialisation.

    ``stream`` (with ``length``) replaces ``body`` for bodies generated on the fly.
    ``stall`` is called after the first chunk of a streamed body (used to simulate slow
    servers). ``conditional`` enables ETag/Last-Modified handling.
    """

    status: int
    body: bytes = b""
    content_type: str = HTML
    headers: list[tuple[str, str]] = field(default_factory=list)
    last_modified: datetime | None = None
    conditional: bool = False
    stream: Iterator[bytes] | None = None
    length: int | None = None
    stall: Callable[[], None] | None = None


def text_response(
    status: int, text: str, content_type: str = "text/plain; charset=utf-8"
) -> Response:
    return Response(status, text.encode("utf-8"), content_type)


def redirect(status: int, location: str) -> Response:
    return Response(
        status,
        f"Moved: {location}\n".encode(),
        "text/plain; charset=utf-8",
        [("Location", location)],
    )


class OutletSite:
    """All pages of one outlet."""

    def __init__(self, outlet: Outlet, articles: list[Article]) -> None:
        self.outlet = outlet
        self.articles = sorted(articles, key=lambda a: a.published, reverse=True)
        self.renderer = Renderer(outlet, self.articles, url_of)
        self.by_path = {a.path: a for a in self.articles}
        self.by_id = {a.post_id: a for a in self.articles}
        self.updated = max(a.last_modified for a in self.articles)
        listed = [a for a in self.articles if a.in_sitemap]
        self.feed_items = listed[: feeds.FEED_SIZE]
        entries = [(url_of(a), a.last_modified) for a in reversed(listed)]
        if outlet.key in SITEMAP_404_PATHS:
            entries.insert(1, (outlet.url(SITEMAP_404_PATHS[outlet.key]), self.updated))
        self.sitemap_chunks = feeds.post_sitemap_chunks(outlet, entries)
        self.listings: dict[str, tuple[str, list[Article]]] = {"/": ("Latest News", self.articles)}
        for slug, name in outlet.categories:
            self.listings[f"/category/{slug}/"] = (
                f"Category: {name}",
                [a for a in self.articles if a.category == slug],
            )
        for tag in sorted({t for a in self.articles for t in a.tags}):
            self.listings[f"/tag/{tag}/"] = (
                f"Tag: {slug_name(tag)}",
                [a for a in self.articles if tag in a.tags],
            )
        for author in sorted({a.author for a in self.articles}):
            self.listings[f"/author/{author_slug(author)}/"] = (
                f"Author: {author}",
                [a for a in self.articles if a.author == author],
            )
        # Global Research links regions in its article headers as tags.
        for a in self.articles:
            for region in a.extra.get("regions", ()):
                _, members = self.listings.setdefault(
                    f"/tag/{author_slug(region)}/", (f"Tag: {region}", [])
                )
                if a not in members:
                    members.append(a)
        self._cache: dict[str, Response | None] = {}
        self.static = dict(STATIC_PAGES)
        self.static[outlet.disallowed_path] = (
            outlet.disallowed_title,
            "This area is reserved. Please log in to continue.",
        )
        if outlet.key == "globalresearch":
            self.static["/become-a-member/"] = (
                "Become a Member",
                "Members support independent research and receive our newsletter.",
            )
        if outlet.key == "southfront":
            self.static["/donate/"] = ("Donate", "Support our work with a donation.")
            self.static["/support/"] = ("Support us", "Become a patron of our analysis.")

    def _xml(self, text: str, ctype: str = XML) -> Response:
        return Response(200, text.encode("utf-8"), ctype, conditional=True)

    def _page(self, path: str) -> Response | None:
        # Rendered once: identical bytes on every request keep ETags valid.
        if path not in self._cache:
            self._cache[path] = self._render(path)
        return self._cache[path]

    def _render(self, path: str) -> Response | None:
        o = self.outlet
        if path == "/robots.txt":
            return Response(200, feeds.robots(o).encode(), "text/plain; charset=utf-8")
        if path == "/sitemap_index.xml":
            return self._xml(feeds.sitemap_index(o, self.sitemap_chunks, self.updated))
        for n, chunk in enumerate(self.sitemap_chunks, 1):
            if path == feeds.sitemap_name(n):
                return self._xml(feeds.urlset(chunk))
        if path == "/page-sitemap.xml":
            return self._xml(feeds.page_sitemap(o, self.updated))
        if path == "/category-sitemap.xml":
            return self._xml(feeds.category_sitemap(o, self.updated))
        if path == "/news-sitemap.xml" and o.news_sitemap:
            return self._xml(
                feeds.news_sitemap(o, [a for a in self.articles if a.in_sitemap], url_of)
            )
        if path == "/feed/":
            if o.feed_format == "atom":
                return self._xml(
                    feeds.atom(o, self.feed_items, url_of), "application/atom+xml; charset=UTF-8"
                )
            maker = feeds.broken_rss if o.feed_format == "broken" else feeds.rss
            return self._xml(
                maker(o, self.feed_items, url_of), "application/rss+xml; charset=UTF-8"
            )
        if path in self.by_path:
            a = self.by_path[path]
            return Response(
                200,
                self.renderer.article(a).encode(),
                last_modified=a.last_modified,
                conditional=True,
            )
        if o.amp and path.endswith("/amp/") and path[: -len("amp/")] in self.by_path:
            a = self.by_path[path[: -len("amp/")]]
            return Response(
                200, self.renderer.amp(a).encode(), last_modified=a.last_modified, conditional=True
            )
        if path in self.static:
            title, text = self.static[path]
            return Response(200, self.renderer.static(path, title, text).encode(), conditional=True)
        base, page = path, 1
        m = _PAGED.match(path)
        if m:
            base, page = m.group("base"), int(m.group("n"))
        if base in self.listings:
            heading, items = self.listings[base]
            per = o.per_page
            pages = max(1, math.ceil(len(items) / per))
            if page > pages or (m and page == 1):
                return None
            html = self.renderer.listing(
                heading=heading,
                items=items[(page - 1) * per : page * per],
                page=page,
                pages=pages,
                base_path=base,
                featured=base == "/",
            )
            return Response(200, html.encode(), conditional=True)
        return None

    def respond(self, path: str, query: str) -> Response:
        if path == "/" and query:
            q = parse_qs(query)
            # WordPress shortlinks (the RSS guid) redirect to the permalink.
            if "p" in q and q["p"][0].isdigit() and int(q["p"][0]) in self.by_id:
                return redirect(301, url_of(self.by_id[int(q["p"][0])]))
        if path == "/sitemap.xml":
            return redirect(301, self.outlet.url("/sitemap_index.xml"))
        if path == "/feed":
            return redirect(301, self.outlet.url("/feed/"))
        found = self._page(path)
        if found is not None:
            return found
        if not path.endswith("/") and self._page(path + "/") is not None:
            return redirect(301, self.outlet.url(path + "/") + (f"?{query}" if query else ""))
        return Response(404, self.renderer.not_found().encode())


_SITES: dict[str, OutletSite] = {}


def site_for(outlet: Outlet) -> OutletSite:
    if outlet.key not in _SITES:
        _SITES[outlet.key] = OutletSite(outlet, [a for a in ARTICLES if a.outlet == outlet.key])
    return _SITES[outlet.key]


def respond(host: str, path: str, query: str) -> Response | None:
    """The response of a sample outlet, or ``None`` when ``host`` is not one of them."""
    outlet = by_host(host)
    if outlet is None:
        return None
    if host.lower() != outlet.host:
        target = outlet.url(path) + (f"?{query}" if query else "")
        return redirect(301, target)
    return site_for(outlet).respond(path, query)


def all_outlet_sites() -> list[OutletSite]:
    return [site_for(o) for o in OUTLETS]
