"""Machine-readable discovery documents: robots.txt, sitemaps (Yoast-style index, posts,
pages, categories, Google News) and feeds (RSS 2.0, Atom, and one deliberately broken RSS).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from .boilerplate import STATIC_PAGES
from .model import Article, Outlet, markup_to_html, markup_to_text

FEED_SIZE = 5

_URLSET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{extra}>\n{body}</urlset>\n'
)


def robots(outlet: Outlet) -> str:
    lines = [
        "User-agent: *",
        "Disallow: /wp-admin/",
        "Allow: /wp-admin/admin-ajax.php",
        "Disallow: /?s=",
        f"Disallow: {outlet.disallowed_path}",
        "",
        f"Sitemap: {outlet.url('/sitemap_index.xml')}",
    ]
    if outlet.news_sitemap:
        lines.append(f"Sitemap: {outlet.url('/news-sitemap.xml')}")
    return "\n".join(lines) + "\n"


def _iso(when: datetime) -> str:
    return when.isoformat()


def post_sitemap_chunks(
    outlet: Outlet, entries: list[tuple[str, datetime]]
) -> list[list[tuple[str, datetime]]]:
    size = outlet.post_sitemap_size
    return [entries[i : i + size] for i in range(0, len(entries), size)] or [[]]


def sitemap_name(n: int) -> str:
    return "/post-sitemap.xml" if n == 1 else f"/post-sitemap{n}.xml"


def sitemap_index(
    outlet: Outlet, chunks: list[list[tuple[str, datetime]]], site_updated: datetime
) -> str:
    parts = []
    for n, chunk in enumerate(chunks, 1):
        last = max((w for _, w in chunk), default=site_updated)
        parts.append(
            f"<sitemap><loc>{outlet.url(sitemap_name(n))}</loc><lastmod>{_iso(last)}</lastmod></sitemap>\n"
        )
    for name in ("/page-sitemap.xml", "/category-sitemap.xml"):
        parts.append(
            f"<sitemap><loc>{outlet.url(name)}</loc><lastmod>{_iso(site_updated)}</lastmod></sitemap>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(parts)
        + "</sitemapindex>\n"
    )


def urlset(entries: list[tuple[str, datetime | None]]) -> str:
    body = "".join(
        f"<url><loc>{escape(loc)}</loc>"
        + (f"<lastmod>{_iso(w)}</lastmod>" if w else "")
        + "</url>\n"
        for loc, w in entries
    )
    return _URLSET.format(extra="", body=body)


def page_sitemap(outlet: Outlet, site_updated: datetime) -> str:
    return urlset([(outlet.url("/"), site_updated)] + [(outlet.url(p), None) for p in STATIC_PAGES])


def category_sitemap(outlet: Outlet, site_updated: datetime) -> str:
    return urlset(
        [(outlet.url(f"/category/{slug}/"), site_updated) for slug, _ in outlet.categories]
    )


def news_sitemap(outlet: Outlet, articles: list[Article], url_of) -> str:
    body = "".join(
        f"<url><loc>{url_of(a)}</loc><news:news><news:publication><news:name>{escape(outlet.name)}</news:name>"
        f"<news:language>en</news:language></news:publication>"
        f"<news:publication_date>{_iso(a.published)}</news:publication_date>"
        f"<news:title>{escape(a.title)}</news:title></news:news></url>\n"
        for a in articles
    )
    return _URLSET.format(
        extra=' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"', body=body
    )


def _summary(a: Article) -> str:
    return " ".join(markup_to_text(a.paragraphs[0]).split()[:40]) + " […]"


def _content(a: Article) -> str:
    html = "".join(f"<p>{markup_to_html(p)}</p>" for p in a.paragraphs + a.tail)
    return html.replace("]]>", "]]&gt;")


def rss(outlet: Outlet, articles: list[Article], url_of) -> str:
    items = []
    for a in articles:
        url = url_of(a)
        items.append(
            f"<item><title>{escape(a.title)}</title><link>{url}</link>"
            f"<comments>{url}#comments</comments>"
            f"<dc:creator><![CDATA[{a.author}]]></dc:creator>"
            f"<pubDate>{format_datetime(a.published)}</pubDate>"
            f"<category><![CDATA[{outlet.category_name(a.category)}]]></category>"
            f'<guid isPermaLink="false">{outlet.url(f"/?p={a.post_id}")}</guid>'
            f"<description><![CDATA[{_summary(a)}]]></description>"
            f"<content:encoded><![CDATA[{_content(a)}]]></content:encoded></item>\n"
        )
    built = max((a.last_modified for a in articles), default=datetime(2021, 1, 1, tzinfo=UTC))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        f"<channel><title>{escape(outlet.name)}</title>"
        f'<atom:link href="{outlet.url("/feed/")}" rel="self" type="application/rss+xml"/>'
        f"<link>{outlet.url('/')}</link><description>{escape(outlet.tagline)}</description>"
        f"<lastBuildDate>{format_datetime(built)}</lastBuildDate><language>{outlet.language}</language>"
        "<generator>https://wordpress.org/?v=5.6</generator>\n"
        + "".join(items)
        + "</channel>\n</rss>\n"
    )


def broken_rss(outlet: Outlet, articles: list[Article], url_of) -> str:
    """A feed a broken plugin would emit: an unescaped ampersand and a truncated tail."""
    good = rss(outlet, articles, url_of)
    good = good.replace(
        "<title>Free Thinker Blog</title>", "<title>Free Thinker Blog & Friends</title>", 1
    )
    cut = good.rfind("</item>")
    return good[: cut - 40]


def atom(outlet: Outlet, articles: list[Article], url_of) -> str:
    entries = []
    for a in articles:
        url = url_of(a)
        entries.append(
            f"<entry><title>{escape(a.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{url}"/>'
            f"<id>tag:{outlet.domain},{a.published:%Y-%m-%d}:{a.post_id}</id>"
            f"<published>{_iso(a.published)}</published><updated>{_iso(a.last_modified)}</updated>"
            f"<author><name>{escape(a.author)}</name></author>"
            f'<category term="{escape(a.category)}" label="{escape(outlet.category_name(a.category))}"/>'
            f"<summary>{escape(_summary(a))}</summary>"
            f'<content type="html">{escape(_content(a))}</content></entry>\n'
        )
    updated = max((a.last_modified for a in articles), default=datetime(2021, 1, 1, tzinfo=UTC))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<title>{escape(outlet.name)}</title><subtitle>{escape(outlet.tagline)}</subtitle>"
        f'<link rel="self" href="{outlet.url("/feed/")}"/><link rel="alternate" href="{outlet.url("/")}"/>'
        f"<id>{outlet.url('/')}</id><updated>{_iso(updated)}</updated>\n"
        + "".join(entries)
        + "</feed>\n"
    )
