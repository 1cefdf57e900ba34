"""Data model of the sample web: outlets, articles and the relations planted between them.

Article bodies are lists of paragraphs in a tiny markup: ``[text](url)`` becomes a link, and
everything else is plain text that the renderer escapes. The same paragraphs give the plain
text that the ground truth exposes, so the HTML and the manifest cannot drift apart.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


@dataclass(frozen=True)
class Outlet:
    """One sample news site.

    ``host`` is the canonical hostname; the other of ``host``/``www.host`` redirects to it.
    ``domain`` is the registered domain, the outlet's identity (``www.`` stripped).
    """

    key: str
    domain: str
    host: str
    name: str
    tagline: str
    description: str
    categories: tuple[tuple[str, str], ...]
    feed_format: str = "rss"  # "rss", "atom" or "broken"
    news_sitemap: bool = False
    amp: bool = False
    disallowed_path: str = "/print-edition/"
    disallowed_title: str = "Print edition archive"
    accent: str = "#a00"
    language: str = "en-US"
    founded: int = 2005
    per_page: int = 4
    post_sitemap_size: int = 1000

    @property
    def base(self) -> str:
        return f"http://{self.host}"

    def url(self, path: str) -> str:
        return self.base + path

    def category_name(self, slug: str) -> str:
        return dict(self.categories)[slug]


@dataclass(frozen=True)
class Article:
    """One article page.

    ``paragraphs`` is the post content as published (see module markup). ``head`` and
    ``tail`` hold republisher blocks rendered around the body (bylines, dates, credits):
    they are part of the post content, as a republisher's CMS would store them.
    """

    outlet: str
    path: str
    title: str
    published: datetime
    author: str
    category: str
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    post_id: int
    modified: datetime | None = None
    subtitle: str = ""
    head: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()
    in_sitemap: bool = True
    canonical: str | None = None  # a rel=canonical pointing elsewhere (another outlet)
    dateline: str = ""  # wire dateline such as "VIENNA (Newswire Press) —"
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def last_modified(self) -> datetime:
        return self.modified or self.published


class Relation(NamedTuple):
    """A planted republication: ``copy_url`` was copied from ``origin_url``.

    ``credited`` says whether the copy's visible text names its source.
    """

    copy_url: str
    origin_url: str
    kind: str
    credited: bool


def markup_to_html(text: str) -> str:
    """Escape a paragraph and turn ``[text](url)`` into links."""
    out: list[str] = []
    pos = 0
    for m in _LINK.finditer(text):
        out.append(html.escape(text[pos : m.start()], quote=False))
        out.append(
            f'<a href="{html.escape(m.group(2))}">{html.escape(m.group(1), quote=False)}</a>'
        )
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def markup_to_text(text: str) -> str:
    """The visible text of a paragraph (links reduced to their anchor text)."""
    return _LINK.sub(lambda m: m.group(1), text)


def word_count(paragraphs: tuple[str, ...] | list[str]) -> int:
    return sum(len(markup_to_text(p).split()) for p in paragraphs)
