"""HTML rendering of the sample outlets: WordPress-like article, listing and static pages.

Pages carry the boilerplate real news sites have (menus, widgets, share buttons, related
links, comment counts, footers) because that noise is what extraction and duplicate
detection must cope with.
"""

from __future__ import annotations

from html import escape

from . import boilerplate
from .model import Article, Outlet, markup_to_html, markup_to_text
from .parts import (
    author_slug,
    comment_count,
    human_date,
    jsonld,
    paragraph,
    share_buttons,
    slug_name,
)
from .texts_analysis import SF_SUPPORT

_STYLE = (
    "body{font-family:Georgia,serif;margin:0;color:#222}"
    ".site-header{border-bottom:4px solid var(--accent);padding:1em}"
    ".menu{list-style:none;display:flex;gap:1em;padding:0}"
    "#content{display:flex;gap:2em;padding:1em}.site-main{flex:3}.widget-area{flex:1}"
    ".share-buttons a{margin-right:.5em}.site-footer{background:#222;color:#ddd;padding:1em}"
)


class Renderer:
    """Renders pages for one outlet; ``site`` supplies the outlet's article lists."""

    def __init__(self, outlet: Outlet, articles: list[Article], url_of) -> None:
        self.outlet = outlet
        self.articles = articles  # newest first
        self.url_of = url_of

    # ------------------------------------------------------------------ layout
    def _feed_link(self) -> str:
        o = self.outlet
        kind = "application/atom+xml" if o.feed_format == "atom" else "application/rss+xml"
        return f'<link rel="alternate" type="{kind}" title="{escape(o.name)} &raquo; Feed" href="{o.url("/feed/")}">'

    def _nav(self) -> str:
        o = self.outlet
        items = [f'<li class="menu-item"><a href="{o.url("/")}">Home</a></li>']
        items += [
            f'<li class="menu-item"><a href="{o.url(f"/category/{slug}/")}">{escape(name)}</a></li>'
            for slug, name in o.categories
        ]
        items.append(f'<li class="menu-item"><a href="{o.url("/about/")}">About</a></li>')
        items.append(
            f'<li class="menu-item"><a href="{o.url(o.disallowed_path)}">'
            f"{escape(o.disallowed_title)}</a></li>"
        )
        return (
            f'<nav id="site-navigation" class="main-navigation" aria-label="Primary">'
            f'<ul id="primary-menu" class="menu">{"".join(items)}</ul></nav>'
        )

    def _sidebar(self) -> str:
        o = self.outlet
        popular = sorted(self.articles, key=lambda a: (-comment_count(a), a.post_id))[:4]
        pop = "".join(
            f'<li><a href="{self.url_of(a)}">{escape(a.title)}</a> '
            f'<span class="comment-count">({comment_count(a)})</span></li>'
            for a in popular
        )
        cats = "".join(
            f'<li class="cat-item"><a href="{o.url(f"/category/{s}/")}">{escape(n)}</a></li>'
            for s, n in o.categories
        )
        tags = sorted({t for a in self.articles for t in a.tags})[:12]
        cloud = " ".join(
            f'<a href="{o.url(f"/tag/{t}/")}" class="tag-cloud-link">{escape(slug_name(t))}</a>'
            for t in tags
        )
        return (
            '<aside id="secondary" class="widget-area">'
            f'<section class="widget widget_popular_posts"><h2 class="widget-title">Popular Posts</h2><ul>{pop}</ul></section>'
            '<section class="widget widget_newsletter"><h2 class="widget-title">Newsletter</h2>'
            f"<p>{escape(boilerplate.NEWSLETTER[o.key])}</p>"
            f'<form action="{o.url("/newsletter/subscribe/")}" method="post"><input type="email" name="email" placeholder="Your email address">'
            '<button type="submit">Subscribe</button></form>'
            f'<p><a href="{o.url("/about/")}?utm_source=sidebar&amp;utm_medium=newsletter_box">Why subscribe?</a></p></section>'
            f'<section class="widget widget_categories"><h2 class="widget-title">Categories</h2><ul>{cats}</ul></section>'
            f'<section class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2><div class="tagcloud">{cloud}</div></section>'
            "</aside>"
        )

    def _footer(self, site_notice: bool) -> str:
        o = self.outlet
        gr = ""
        # Article pages carry the notice inside the article, as Global Research prints it.
        if o.key == "globalresearch" and site_notice:
            gr = (
                '<div class="site-disclaimer">'
                + "".join(
                    f"<p>{escape(p)}</p>"
                    for p in (boilerplate.GR_NOTE_TO_READERS,) + boilerplate.GR_DISCLAIMER
                )
                + "</div>"
            )
        links = "".join(
            f'<li><a href="{o.url(p)}">{escape(t)}</a></li>'
            for p, t in (
                ("/about/", "About"),
                ("/contact/", "Contact"),
                ("/privacy-policy/", "Privacy Policy"),
                (o.disallowed_path, o.disallowed_title),
            )
        )
        return (
            f'<footer id="colophon" class="site-footer">{gr}<ul class="footer-menu">{links}</ul>'
            f'<div class="site-info">Copyright © {o.founded}–2021 {escape(o.name)}. All rights reserved. '
            '<span class="sep"> | </span>Proudly powered by WordPress</div></footer>'
        )

    def layout(
        self,
        *,
        title: str,
        canonical: str,
        main: str,
        head: str = "",
        body_class: str = "home blog",
        site_notice: bool = True,
    ) -> str:
        o = self.outlet
        return (
            f'<!DOCTYPE html>\n<html lang="{o.language}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n"
            + (f'<link rel="canonical" href="{escape(canonical)}">\n' if canonical else "")
            + f"{self._feed_link()}\n"
            f'<meta property="og:site_name" content="{escape(o.name)}">\n'
            f'<meta name="generator" content="WordPress 5.6">\n{head}'
            f"<style>:root{{--accent:{o.accent}}}{_STYLE}</style>\n</head>\n"
            f'<body class="{body_class}">\n<div id="page" class="site">\n'
            '<a class="skip-link screen-reader-text" href="#content">Skip to content</a>\n'
            '<header id="masthead" class="site-header"><div class="site-branding">'
            f'<p class="site-title"><a href="{o.url("/")}" rel="home">{escape(o.name)}</a></p>'
            f'<p class="site-description">{escape(o.tagline)}</p></div>{self._nav()}'
            f'<form role="search" method="get" class="search-form" action="{o.url("/")}">'
            '<input type="search" class="search-field" name="s" placeholder="Search …"></form>'
            "</header>\n"
            f'<div id="content" class="site-content"><main id="main" class="site-main">\n{main}\n</main>'
            f"{self._sidebar()}</div>\n{self._footer(site_notice)}\n</div>\n</body>\n</html>\n"
        )

    # ------------------------------------------------------------------ articles
    def _meta(self, article: Article, canonical: str) -> str:
        o = self.outlet
        desc = markup_to_text(article.paragraphs[0])[:200]
        tags = "".join(
            f'<meta property="article:tag" content="{escape(slug_name(t))}">\n'
            for t in article.tags
        )
        return (
            f'<meta name="description" content="{escape(desc)}">\n'
            '<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{escape(article.title)}">\n'
            f'<meta property="og:url" content="{escape(canonical)}">\n'
            f'<meta property="og:description" content="{escape(desc)}">\n'
            f'<meta property="article:published_time" content="{article.published.isoformat()}">\n'
            f'<meta property="article:modified_time" content="{article.last_modified.isoformat()}">\n'
            f'<meta property="article:section" content="{escape(o.category_name(article.category))}">\n'
            f'{tags}<meta name="author" content="{escape(article.author)}">\n'
            '<meta name="twitter:card" content="summary_large_image">\n'
            f'<script type="application/ld+json">{jsonld(o, article, self.url_of(article))}</script>\n'
        )

    def _byline(self, article: Article) -> str:
        o = self.outlet
        when = article.published
        return (
            f'<div class="entry-meta"><span class="byline">By <span class="author vcard">'
            f'<a class="url fn n" href="{o.url(f"/author/{author_slug(article.author)}/")}">'
            f"{escape(article.author)}</a></span></span> "
            f'<span class="posted-on"><time class="entry-date published" datetime="{when.isoformat()}">'
            f"{human_date(when, o)}</time></span> "
            f'<span class="comments-link"><a href="{self.url_of(article)}#comments">'
            f"{comment_count(article)} Comments</a></span></div>"
        )

    def _gr_head(self, article: Article) -> str:
        o, x = self.outlet, article.extra
        regions = ", ".join(
            f'<a href="{o.url(f"/tag/{author_slug(r)}/")}">{escape(r)}</a>' for r in x["regions"]
        )
        themes = ", ".join(
            f'<a href="{o.url(f"/category/{article.category}/")}">{escape(t)}</a>'
            for t in x["themes"]
        )
        src = ""
        if x["source_name"] != o.name:
            d = x["source_date"]
            src = (
                f'<p class="source-date"><a href="{escape(x["source_url"])}">{escape(x["source_name"])}</a> '
                f"{d.day} {d:%B %Y}</p>"
            )
        return (
            f'<div class="author-byline">By <a href="{o.url(f"/author/{author_slug(article.author)}/")}">'
            f"{escape(article.author)}</a></div>"
            f'<div class="article-dates"><p class="gr-date">Global Research, {human_date(article.published, o)}</p>{src}</div>'
            f'<div class="article-tags"><p>Region: {regions}</p><p>Theme: {themes}</p></div>'
        )

    def _content(self, article: Article) -> str:
        paras = list(article.paragraphs)
        support: list[str] = []
        if self.outlet.key == "globalresearch":
            # Global Research inserts its reader note before the origin's own appeal.
            if tuple(paras[-len(SF_SUPPORT) :]) == SF_SUPPORT:
                support, paras = paras[-len(SF_SUPPORT) :], paras[: -len(SF_SUPPORT)]
            paras += ["*", boilerplate.GR_NOTE_TO_READERS]
        body = "".join(paragraph(p) for p in paras + support)
        tail = "".join(f'<p class="source-credit">{markup_to_html(p)}</p>' for p in article.tail)
        # Global Research prints its member links and disclaimer inside the article body, so
        # text extractors keep them: the shared-boilerplate trap for duplicate detection.
        after = self._gr_after(article) if self.outlet.key == "globalresearch" else ""
        return f'<div class="entry-content">{body}{tail}{after}</div>'

    def _gr_after(self, article: Article) -> str:
        o = self.outlet
        links = "".join(
            f'<p><a href="{escape(h if h.startswith("http") else o.url(h))}">{escape(t)}</a></p>'
            for h, t in boilerplate.GR_MEMBER_LINKS
        )
        by = (
            f'<p>Articles by: <a href="{o.url(f"/author/{author_slug(article.author)}/")}">'
            f"{escape(article.author)}</a></p>"
        )
        disc = "".join(f"<p>{escape(p)}</p>" for p in boilerplate.GR_DISCLAIMER)
        return f'{links}{by}<div class="disclaimer">{disc}</div>'

    def _related(self, article: Article) -> str:
        same = [a for a in self.articles if a is not article and a.category == article.category]
        rest = [a for a in self.articles if a is not article and a not in same]
        track = (
            "?utm_source=related&amp;utm_medium=internal"
            if self.outlet.key == "dailyledger"
            else ""
        )
        items = "".join(
            f'<li><a href="{self.url_of(a)}{track}">{escape(a.title)}</a></li>'
            for a in (same + rest)[:3]
        )
        return f'<section class="related-posts"><h3>Related Articles</h3><ul>{items}</ul></section>'

    def article(self, article: Article) -> str:
        o = self.outlet
        own = self.url_of(article)
        canonical = article.canonical or own
        head = self._meta(article, canonical)
        if o.amp:
            head += f'<link rel="amphtml" href="{own}amp/">\n'
        cat = o.category_name(article.category)
        sub = (
            f'<p class="entry-subtitle">{escape(article.subtitle)}</p>' if article.subtitle else ""
        )
        meta = self._gr_head(article) if o.key == "globalresearch" else self._byline(article)
        tags = ", ".join(
            f'<a href="{o.url(f"/tag/{t}/")}" rel="tag">{escape(slug_name(t))}</a>'
            for t in article.tags
        )
        main = (
            f'<article id="post-{article.post_id}" class="post-{article.post_id} post type-post '
            f'status-publish format-standard hentry category-{article.category}">'
            f'<header class="entry-header"><div class="entry-categories">'
            f'<a href="{o.url(f"/category/{article.category}/")}" rel="category tag">{escape(cat)}</a></div>'
            f'<h1 class="entry-title">{escape(article.title)}</h1>{sub}{meta}</header>'
            f"{share_buttons(own, article.title)}{self._content(article)}"
            f'<footer class="entry-footer"><span class="tags-links">Tags: {tags}</span></footer>'
            f"{share_buttons(own, article.title)}{self._related(article)}"
            f'<div id="comments" class="comments-area"><h2 class="comments-title">'
            f"{comment_count(article)} thoughts on “{escape(article.title)}”</h2>"
            '<div id="respond" class="comment-respond"><h3>Leave a Reply</h3>'
            "<p>Your email address will not be published.</p></div></div></article>"
        )
        return self.layout(
            title=f"{article.title} - {o.name}",
            canonical=canonical,
            main=main,
            head=head,
            site_notice=False,
            body_class=f"post-template-default single single-post postid-{article.post_id}",
        )

    def amp(self, article: Article) -> str:
        """The AMP variant: minimal markup whose rel=canonical is the main article URL."""
        o = self.outlet
        own = self.url_of(article)
        body = "".join(paragraph(p) for p in article.paragraphs)
        return (
            f'<!doctype html>\n<html ⚡ lang="{o.language}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(article.title)} - {escape(o.name)}</title>\n"
            f'<link rel="canonical" href="{own}">\n'
            '<meta name="viewport" content="width=device-width">\n'
            '<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
            f'<meta property="og:site_name" content="{escape(o.name)}">\n'
            f'<script type="application/ld+json">{jsonld(o, article, own)}</script>\n'
            "<style amp-boilerplate>body{visibility:hidden}</style>\n</head>\n<body>\n"
            f'<header><a href="{o.url("/")}">{escape(o.name)}</a></header>\n'
            f"<article><h1>{escape(article.title)}</h1>{self._byline(article)}{body}</article>\n"
            f'<footer><a href="{own}">View full version</a> · © {escape(o.name)}</footer>\n'
            "</body>\n</html>\n"
        )

    # ------------------------------------------------------------------ listings
    def listing(
        self,
        *,
        heading: str,
        items: list[Article],
        page: int,
        pages: int,
        base_path: str,
        featured: bool = False,
    ) -> str:
        o = self.outlet
        cards = []
        for i, a in enumerate(items):
            url = self.url_of(a)
            if featured and i == 0:
                url += "?utm_source=homepage&utm_medium=featured&utm_campaign=frontpage"
            summary = " ".join(markup_to_text(a.paragraphs[0]).split()[:40]) + " […]"
            cards.append(
                f'<article class="post-{a.post_id} post type-post hentry"><h2 class="entry-title">'
                f'<a href="{escape(url)}" rel="bookmark">{escape(a.title)}</a></h2>{self._byline(a)}'
                f'<div class="entry-summary"><p>{escape(summary)}</p></div>'
                f'<a class="more-link" href="{escape(url)}">Continue reading</a></article>'
            )
        main = f'<header class="page-header"><h1 class="page-title">{escape(heading)}</h1></header>'
        main += "".join(cards) + self._pagination(base_path, page, pages)
        canonical = o.url(base_path if page == 1 else f"{base_path}page/{page}/")
        title = o.name if base_path == "/" and page == 1 else f"{heading} - {o.name}"
        return self.layout(title=title, canonical=canonical, main=main)

    def _pagination(self, base: str, page: int, pages: int) -> str:
        if pages <= 1:
            return ""
        o = self.outlet

        def href(n: int) -> str:
            return o.url(base if n == 1 else f"{base}page/{n}/")

        parts = []
        if page > 1:
            parts.append(f'<a class="prev page-numbers" href="{href(page - 1)}">« Previous</a>')
        for n in range(1, pages + 1):
            parts.append(
                f'<span aria-current="page" class="page-numbers current">{n}</span>'
                if n == page
                else f'<a class="page-numbers" href="{href(n)}">{n}</a>'
            )
        if page < pages:
            parts.append(f'<a class="next page-numbers" href="{href(page + 1)}">Next »</a>')
        return f'<nav class="navigation pagination" aria-label="Posts"><div class="nav-links">{"".join(parts)}</div></nav>'

    def static(self, path: str, title: str, text: str) -> str:
        main = (
            f'<article class="page type-page"><h1 class="entry-title">{escape(title)}</h1>'
            f'<div class="entry-content"><p>{escape(text)}</p></div></article>'
        )
        return self.layout(
            title=f"{title} - {self.outlet.name}",
            canonical=self.outlet.url(path),
            main=main,
            body_class="page-template-default page",
        )

    def not_found(self) -> str:
        main = (
            '<section class="error-404 not-found"><h1 class="page-title">Oops! That page can’t be found.</h1>'
            "<p>It looks like nothing was found at this location. Maybe try a search?</p></section>"
        )
        return self.layout(
            title=f"Page not found - {self.outlet.name}",
            canonical="",
            main=main,
            body_class="error404",
        )
