"""Small pieces shared by the page templates: display names, dates, share buttons,
paragraph markup and the JSON-LD ``NewsArticle`` block."""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from urllib.parse import quote

from .model import Article, Outlet, markup_to_html, markup_to_text


def slug_name(slug: str) -> str:
    """Display name of a tag or author slug."""
    special = {
        "usa": "USA",
        "nato": "NATO",
        "wto": "WTO",
        "fao": "FAO",
        "opec": "OPEC",
        "covid-19": "COVID-19",
        "new-start": "New START",
        "russia-and-fsu": "Russia and FSU",
    }
    return special.get(slug, slug.replace("-", " ").title())


def author_slug(name: str) -> str:
    keep = "".join(c if c.isalnum() else "-" for c in name.lower())
    return "-".join(part for part in keep.split("-") if part)


def human_date(when: datetime, outlet: Outlet) -> str:
    if outlet.key == "southfront":
        return f"{when.day} {when:%B %Y}"
    if outlet.key == "newswire":
        return f"{when:%B} {when.day}, {when:%Y} {when:%H:%M} UTC"
    return f"{when:%B} {when.day}, {when:%Y}"


def comment_count(article: Article) -> int:
    # Stable per article, so pages are byte-identical across runs (ETags stay valid).
    return (article.post_id * 7919) % 97


def share_buttons(url: str, title: str) -> str:
    u, t = quote(url, safe=""), quote(title, safe="")
    return (
        '<div class="share-buttons"><span>Share:</span>'
        f'<a class="share-facebook" rel="nofollow noopener" href="https://www.facebook.com/sharer/sharer.php?u={u}">Facebook</a>'
        f'<a class="share-twitter" rel="nofollow noopener" href="https://twitter.com/intent/tweet?url={u}&amp;text={t}">Twitter</a>'
        f'<a class="share-telegram" rel="nofollow noopener" href="https://t.me/share/url?url={u}">Telegram</a>'
        f'<a class="share-email" href="mailto:?subject={t}&amp;body={u}">Email</a>'
        '<a class="share-print" href="javascript:window.print()">Print</a></div>'
    )


def paragraph(text: str) -> str:
    if text.startswith("http") and text.endswith(".mp4"):
        return (
            f'<figure class="wp-block-video"><video controls src="{escape(text)}"></video>'
            f"<figcaption>{escape(text)}</figcaption></figure>"
        )
    return f"<p>{markup_to_html(text)}</p>"


def jsonld(outlet: Outlet, article: Article, page_url: str) -> str:
    org_author = article.author in ("South Front", "Newswire Press") or article.author.endswith(
        " staff"
    )
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "dateModified": article.last_modified.isoformat(),
        "author": {"@type": "Organization" if org_author else "Person", "name": article.author},
        "publisher": {
            "@type": "Organization",
            "name": outlet.name,
            "logo": {"@type": "ImageObject", "url": outlet.url("/wp-content/uploads/logo.png")},
        },
        "mainEntityOfPage": {"@type": "WebPage", "@id": page_url},
        "articleSection": outlet.category_name(article.category),
        "keywords": ", ".join(slug_name(t) for t in article.tags),
        "wordCount": sum(len(markup_to_text(p).split()) for p in article.paragraphs),
    }
    # "</" inside a script element would end it early.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
