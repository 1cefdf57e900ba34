"""Ground truth of the sample web, for tests of crawling, dedupe, provenance and the graph.

Everything is plain data (strings, tuples, dicts, frozen dataclasses); URLs are the
canonical article URLs (``http://``, canonical host, no query).

Outlets and articles
    ``OUTLETS``: tuple of ``OutletInfo`` (domain, host, name, start_url, robots_url,
    sitemap_urls, post_sitemap_urls, feed_url, feed_format, disallowed_url).
    ``ARTICLES``: tuple of ``ArticleInfo`` (url, outlet [registered domain], host, name
    [outlet display name], title, author, published [ISO 8601 with offset], published_date,
    in_sitemap, in_feed, links_only, declared_canonical, amp_url, text).
    ``in_feed`` means listed in a well-formed feed (the broken feed counts for nothing);
    ``links_only`` articles are in neither sitemap nor feed and are found only by following
    in-site links. ``text`` is the visible body text plus the copy's credit lines.

Planted relations
    ``RELATIONS``: tuple of ``Relation(copy_url, origin_url, kind, credited)``; kinds:
    ``attributed-copy`` (verbatim, credits its source), ``edited-copy`` (reworded, uncredited),
    ``copy`` (verbatim, uncredited), ``excerpt`` (first third + read-more link), ``chain``
    (each hop of a chain A→B→C), ``wire`` (wire story run by a client), ``canonical-copy``
    (uncredited in the text, rel=canonical points at the origin).
    ``KINDS``, ``ATTRIBUTIONS`` (copy URL → the statement it carries), ``CHAINS`` (tuples
    A, B, C), ``INDEPENDENT_PAIRS`` (same event, independent text: never a copy),
    ``FLAGSHIP_COPY_URL`` / ``FLAGSHIP_ORIGIN_URL`` (Global Research ← South Front).
    ``WIRE_STORY`` (``wire.WireStory``): a story of an agency outside the sample web (the
    Associated Press) run by several outlets; its copies are not in ``RELATIONS`` (their
    origin is no article) and read as originals to ``origin_of``. ``story_key(url)`` names
    an article's story (its root origin, or the agency's domain for a ``WIRE_STORY`` copy);
    ``family_keys()`` names every story with copies, the wire story included.
    ``REPUBLICATIONS``: ``RELATIONS`` plus ``WIRE_RELATIONS`` (whose credited copies have the
    agency's domain as ``origin_url``), what counts of copies per outlet are made of;
    ``source_outlet(origin_url)`` is the outlet of either.

Traps and crawl expectations
    ``ROBOTS_DISALLOWED_URLS`` (linked from every page of their outlet, never to be fetched),
    ``SITEMAP_404_URLS``, ``BROKEN_FEED_URLS``, ``AMP_URLS`` (AMP URL → canonical URL),
    ``TRACKING_URLS`` (a linked URL with utm parameters → canonical URL), ``WWW_REDIRECTS``
    (non-canonical host URL → canonical), ``GR_SITEWIDE_TEXT`` (Global Research's note and
    disclaimer paragraphs), ``QUIRKS`` (name → URL on quirks.test; see ``quirks``).

Functions
    ``all_article_urls()``, ``article(url)``, ``outlet(domain_or_host)``,
    ``articles_of(domain)``, ``start_urls()``, ``sitemap_article_urls()``,
    ``feed_article_urls()``, ``links_only_urls()``, ``relations(kind=None)``,
    ``origin_of(url)`` (direct source), ``root_origin(url)``, ``story_family(url)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import articles as _articles
from . import boilerplate, feeds, quirks
from .model import Relation, markup_to_text
from .outlets import OUTLETS as _OUTLETS
from .site import site_for
from .wire import WIRE_RELATIONS, WIRE_STORY, WireStory

__all__ = [
    "AMP_URLS",
    "ARTICLES",
    "ATTRIBUTIONS",
    "BROKEN_FEED_URLS",
    "CHAINS",
    "FLAGSHIP_COPY_URL",
    "FLAGSHIP_ORIGIN_URL",
    "GR_SITEWIDE_TEXT",
    "INDEPENDENT_PAIRS",
    "KINDS",
    "OUTLETS",
    "QUIRKS",
    "RELATIONS",
    "REPUBLICATIONS",
    "ROBOTS_DISALLOWED_URLS",
    "SITEMAP_404_URLS",
    "TRACKING_URLS",
    "WIRE_RELATIONS",
    "WIRE_STORY",
    "WWW_REDIRECTS",
    "ArticleInfo",
    "OutletInfo",
    "Relation",
    "WireStory",
    "all_article_urls",
    "article",
    "articles_of",
    "family_keys",
    "feed_article_urls",
    "links_only_urls",
    "origin_of",
    "outlet",
    "relations",
    "root_origin",
    "sitemap_article_urls",
    "source_outlet",
    "start_urls",
    "story_family",
    "story_key",
]


@dataclass(frozen=True)
class OutletInfo:
    domain: str
    host: str
    name: str
    start_url: str
    robots_url: str
    sitemap_urls: tuple[str, ...]  # as listed in robots.txt
    post_sitemap_urls: tuple[str, ...]
    feed_url: str
    feed_format: str  # "rss", "atom" or "broken"
    disallowed_url: str


@dataclass(frozen=True)
class ArticleInfo:
    url: str
    outlet: str
    host: str
    name: str
    title: str
    author: str
    published: str
    published_date: str
    in_sitemap: bool
    in_feed: bool
    links_only: bool
    declared_canonical: str
    amp_url: str | None
    text: str


def _outlet_info(o) -> OutletInfo:
    s = site_for(o)
    sitemaps = [o.url("/sitemap_index.xml")] + (
        [o.url("/news-sitemap.xml")] if o.news_sitemap else []
    )
    return OutletInfo(
        domain=o.domain,
        host=o.host,
        name=o.name,
        start_url=o.url("/"),
        robots_url=o.url("/robots.txt"),
        sitemap_urls=tuple(sitemaps),
        post_sitemap_urls=tuple(
            o.url(feeds.sitemap_name(n)) for n in range(1, len(s.sitemap_chunks) + 1)
        ),
        feed_url=o.url("/feed/"),
        feed_format=o.feed_format,
        disallowed_url=o.url(o.disallowed_path),
    )


def _article_info(a) -> ArticleInfo:
    o = next(x for x in _OUTLETS if x.key == a.outlet)
    url = _articles.url_of(a)
    in_feed = o.feed_format != "broken" and a in site_for(o).feed_items
    return ArticleInfo(
        url=url,
        outlet=o.domain,
        host=o.host,
        name=o.name,
        title=a.title,
        author=a.author,
        published=a.published.isoformat(),
        published_date=a.published.date().isoformat(),
        in_sitemap=a.in_sitemap,
        in_feed=in_feed,
        links_only=not a.in_sitemap and not in_feed,
        declared_canonical=a.canonical or url,
        amp_url=f"{url}amp/" if o.amp else None,
        text="\n\n".join(markup_to_text(p) for p in a.paragraphs + a.tail),
    )


OUTLETS: tuple[OutletInfo, ...] = tuple(_outlet_info(o) for o in _OUTLETS)
ARTICLES: tuple[ArticleInfo, ...] = tuple(_article_info(a) for a in _articles.ARTICLES)
RELATIONS: tuple[Relation, ...] = tuple(_articles.RELATIONS)
REPUBLICATIONS: tuple[Relation, ...] = RELATIONS + WIRE_RELATIONS
KINDS: tuple[str, ...] = (
    "attributed-copy",
    "edited-copy",
    "copy",
    "excerpt",
    "chain",
    "wire",
    "canonical-copy",
)
ATTRIBUTIONS: dict[str, str] = dict(_articles.ATTRIBUTIONS)
CHAINS: tuple[tuple[str, ...], ...] = _articles.CHAINS
INDEPENDENT_PAIRS: tuple[tuple[str, str], ...] = _articles.INDEPENDENT_PAIRS
FLAGSHIP_COPY_URL, FLAGSHIP_ORIGIN_URL = _articles.FLAGSHIP

ROBOTS_DISALLOWED_URLS: tuple[str, ...] = tuple(o.disallowed_url for o in OUTLETS)
SITEMAP_404_URLS: tuple[str, ...] = tuple(
    next(o for o in _OUTLETS if o.key == key).url(path)
    for key, path in _articles.SITEMAP_404_PATHS.items()
)
BROKEN_FEED_URLS: tuple[str, ...] = tuple(o.feed_url for o in OUTLETS if o.feed_format == "broken")
AMP_URLS: dict[str, str] = {a.amp_url: a.url for a in ARTICLES if a.amp_url}
TRACKING_URLS: dict[str, str] = {}
for _o in _OUTLETS:
    _first = site_for(_o).articles[0]
    TRACKING_URLS[
        _articles.url_of(_first) + "?utm_source=homepage&utm_medium=featured&utm_campaign=frontpage"
    ] = _articles.url_of(_first)
_libya = _articles.sf_libya
TRACKING_URLS[
    _articles.url_of(_libya) + "?utm_source=eurasiamonitor&utm_medium=referral&utm_campaign=digest"
] = _articles.url_of(_libya)
WWW_REDIRECTS: dict[str, str] = {
    (f"http://{o.domain}/" if o.host.startswith("www.") else f"http://www.{o.host}/"): o.start_url
    for o in OUTLETS
}
GR_SITEWIDE_TEXT: tuple[str, ...] = (boilerplate.GR_NOTE_TO_READERS,) + boilerplate.GR_DISCLAIMER
QUIRKS: dict[str, str] = {name: quirks.BASE + path for name, path in quirks.PATHS.items()}

_BY_URL = {a.url: a for a in ARTICLES}


def all_article_urls() -> list[str]:
    """Canonical URLs of every article, in manifest order."""
    return [a.url for a in ARTICLES]


def article(url: str) -> ArticleInfo:
    """The article at canonical ``url`` (KeyError if unknown)."""
    return _BY_URL[url]


def outlet(domain_or_host: str) -> OutletInfo:
    """The outlet by registered domain or host (``www.`` accepted)."""
    key = domain_or_host.lower().removeprefix("www.")
    for o in OUTLETS:
        if o.domain == key:
            return o
    raise KeyError(domain_or_host)


def articles_of(domain: str) -> list[ArticleInfo]:
    d = outlet(domain).domain
    return [a for a in ARTICLES if a.outlet == d]


def start_urls() -> list[str]:
    """The home page of every outlet (quirks.test excluded)."""
    return [o.start_url for o in OUTLETS]


def sitemap_article_urls() -> list[str]:
    return [a.url for a in ARTICLES if a.in_sitemap]


def feed_article_urls() -> list[str]:
    return [a.url for a in ARTICLES if a.in_feed]


def links_only_urls() -> list[str]:
    return [a.url for a in ARTICLES if a.links_only]


def relations(kind: str | None = None) -> list[Relation]:
    return [r for r in RELATIONS if kind is None or r.kind == kind]


def origin_of(url: str) -> str | None:
    """The URL ``url`` was copied from directly, or ``None`` for an original."""
    return next((r.origin_url for r in RELATIONS if r.copy_url == url), None)


def root_origin(url: str) -> str:
    """The first publication of ``url``'s story (``url`` itself for an original)."""
    seen = {url}
    while (up := origin_of(url)) is not None and up not in seen:
        seen.add(up)
        url = up
    return url


def story_family(url: str) -> set[str]:
    """Every article of ``url``'s story (origin and all copies, transitively)."""
    root = root_origin(url)
    return {a.url for a in ARTICLES if root_origin(a.url) == root}


def story_key(url: str) -> str:
    """The story ``url`` belongs to: its root origin, or the agency's domain for a copy of
    ``WIRE_STORY`` (whose first publication is outside the sample web)."""
    return WIRE_STORY.agency_outlet if url in WIRE_STORY.copies else root_origin(url)


def family_keys() -> set[str]:
    """``story_key`` of every story that has copies (a family of two or more articles)."""
    return {root_origin(r.copy_url) for r in RELATIONS} | {WIRE_STORY.agency_outlet}


def source_outlet(origin_url: str) -> str:
    """The outlet of a relation's origin: an article's outlet, or the agency's domain."""
    return origin_url if origin_url == WIRE_STORY.agency_outlet else article(origin_url).outlet
