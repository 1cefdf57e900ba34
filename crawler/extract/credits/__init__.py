"""Attribution statements: where a page says its article came from.

A republisher that credits its source ("The original source of this article is South Front",
"Source: https://…", "The post … appeared first on Universe Today", a rel=canonical link to
another outlet) gives the strongest evidence of who copied whom. This package finds those
statements in an article's extracted text and its HTML, ties each name to the link drawn
around it, resolves it to an outlet, and leaves out the page's own boilerplate ("Copyright ©
Global Research" on a Global Research page, "via email", share prompts).

Pure functions over strings: no network, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml.html import HtmlElement

from . import _html
from ._html import HtmlText
from .outlets import WIRE_SERVICES, OutletDirectory, looks_like_domain, name_key, registered_domain
from .patterns import KINDS, Found, candidate_lines, clean_text, scan
from .statedate import stated_origin

__all__ = [
    "read_page",
    "KINDS",
    "Attribution",
    "OutletDirectory",
    "attribution_lines",
    "find_attributions",
    "name_key",
    "registered_domain",
    "stated_origin_date",
]

_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]*)\)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\"'\]]+", re.IGNORECASE)
_ANGLE_URL = re.compile(r"<((?:https?://)[^>\s]+)>")
_NEAR = 400  # characters between a copyright line and the statement it belongs to
_NOT_OUTLETS = {"wordpress", "poweredbywordpress", "wordpresscom", "allrightsreserved", "thispage"}


@dataclass(frozen=True)
class Attribution:
    """One statement naming a source.

    ``name`` is the source as written; ``url`` the link on it (absolute), ``outlet`` the
    registered domain it resolves to, ``stated_date`` the ISO day the page gives for the
    original, ``author`` the person named beside the outlet ("Authored by A via X").
    """

    kind: str
    sentence: str
    name: str
    url: str | None = None
    outlet: str | None = None
    stated_date: str | None = None
    author: str | None = None


def attribution_lines(text: str) -> list[str]:
    """The lines of an article that state a source, whitespace-normalised, in order."""
    return candidate_lines(_strip_markup(text)[0])


def stated_origin_date(
    text: str, own_outlet: str | None = None, directory: OutletDirectory | None = None
) -> str | None:
    """ISO day the republisher gives for the original ("South Front 27 October 2020"), or None."""
    own = registered_domain(own_outlet) if own_outlet else None
    found = stated_origin(_strip_markup(text)[0], _own_keys(own, directory, None))
    return found[1] if found else None


def read_page(html: str | HtmlElement, page_url: str) -> HtmlText | None:
    """The page's text and links as the parser reads them. Extraction calls this on its own
    parsed tree before trafilatura prunes it, so the HTML is parsed once."""
    return _html.parse(html, page_url)


def find_attributions(
    text: str | None,
    html: str | HtmlText | None,
    page_url: str,
    own_outlet: str | None = None,
    directory: OutletDirectory | None = None,
) -> list[Attribution]:
    """Every statement in ``text`` and ``html`` that names another outlet as the source.

    ``html`` is the page's HTML, or what :func:`read_page` made of it. ``own_outlet`` is the
    page's registered domain (derived from ``page_url`` when None); statements resolving to
    it are the page's own boilerplate and are left out.
    """
    own = registered_domain(own_outlet) if own_outlet else registered_domain(page_url)
    directory = directory or OutletDirectory()
    if isinstance(html, _html.HtmlText):
        page = html
    else:
        page = _html.parse(html, page_url) if html else None
    own_keys = _own_keys(own, directory, page.site_name if page else None)
    # Domains the page itself links to resolve names written beside them ("SHTF Plan" when
    # the footer also says "Visit www.SHTFplan.com").
    local = OutletDirectory()
    for link in _URL.findall(text or "") + [a.href for a in (page.anchors if page else [])]:
        local.add_domain(link)

    text_found: list[tuple[Found, str | None]] = []
    clean = ""
    if text:
        clean, links = _strip_markup(text)
        text_found = [(f, f.url or links.get(f.name)) for f in scan(clean)]
    html_found: list[tuple[Found, str | None]] = []
    if page and page.text:
        found_html = scan(page.text)
        statements = [f.start for f in found_html if f.kind != "copyright"]
        for f in found_html:
            url = _link_for(f, page, own)
            # Whole pages carry site footers and chart captions: there a copyright line counts
            # only beside another statement (Global Research's footer), a "Source:" only with a link.
            if f.kind == "copyright" and not any(abs(f.start - s) < _NEAR for s in statements):
                continue
            if f.kind == "source-url" and not (url or f.url or looks_like_domain(f.name)):
                continue
            html_found.append((f, url))

    origin = stated_origin(clean, own_keys) if clean else None
    if origin is None and page:
        origin = stated_origin(page.from_title, own_keys)
    results: list[Attribution] = []
    index: dict[tuple[str, str], int] = {}
    for found, url in text_found + html_found:
        hit = _resolve(found, url, own, own_keys, directory, local)
        if hit is None:
            continue
        key = (hit.kind, name_key(hit.name) or hit.url or "")
        if key in index:
            prior = results[index[key]]
            if not prior.url and hit.url:
                # Text hits come first; the HTML adds the link the text lost.
                results[index[key]] = replace(prior, url=hit.url, outlet=prior.outlet or hit.outlet)
            continue
        index[key] = len(results)
        results.append(hit)

    if page and page.canonical:
        canonical = registered_domain(page.canonical)
        if canonical and own and canonical != own and not _is_own_host(page.canonical, page_url):
            results.append(
                Attribution(
                    "canonical",
                    f'<link rel="canonical" href="{page.canonical}">',
                    canonical,
                    page.canonical,
                    canonical,
                )
            )
    if origin:
        results = [_with_origin_date(hit, origin, directory) for hit in results]
    return results


def _strip_markup(text: str) -> tuple[str, dict[str, str]]:
    """Text with markdown links reduced to their labels, and the label -> URL map."""
    links: dict[str, str] = {}

    def label(m: re.Match[str]) -> str:
        if m.group(2) and m.group(2) != "#":
            links.setdefault(m.group(1).strip(), m.group(2))
        return m.group(1)

    text = _MARKDOWN_LINK.sub(label, text)
    return _ANGLE_URL.sub(r"\1", text), links


def _own_keys(
    own: str | None, directory: OutletDirectory | None, site_name: str | None
) -> set[str]:
    keys: set[str] = set()
    if own:
        keys |= (directory or OutletDirectory()).keys_for(own)
    if site_name:
        keys.add(name_key(site_name))
    return {k for k in keys if k}


def _is_own_name(name: str, own_keys: set[str]) -> bool:
    key = name_key(name)
    if key in own_keys:
        return True
    # "Example Media Group" on example.com, "VICE US" on vice.com; a short label only takes a
    # short suffix, so "Newsweek" is not taken for news.com.au.
    for k in own_keys:
        if len(k) >= 4 and key.startswith(k) and (len(k) >= 5 or len(key) - len(k) <= 3):
            return True
        if len(key) >= 5 and k.startswith(key):
            return True
    return False


def _is_own_host(url: str, page_url: str) -> bool:
    return registered_domain(url) == registered_domain(page_url)


def _link_for(found: Found, page: _html.HtmlText, own: str | None) -> str | None:
    # A link back into the page's own site (an author page, a tag) is not the source.
    for anchor in page.links_in(found.start, found.end):
        if registered_domain(anchor.href) not in (None, own):
            return anchor.href
    return None


def _resolve(
    found: Found,
    url: str | None,
    own: str | None,
    own_keys: set[str],
    directory: OutletDirectory,
    local: OutletDirectory,
) -> Attribution | None:
    name, author = found.name, found.author
    if found.kind == "copyright" and found.holders:
        # The page's own outlet among the holders makes the line its own notice.
        if any(_is_own_name(h, own_keys) or directory.resolve(h) == own for h in found.holders):
            return None
        outlets = [h for h in found.holders if directory.resolve(h) or local.resolve(h)]
        if outlets and outlets[0] != name:
            author, name = name, outlets[0]
    if not url and (
        looks_like_domain(name) and re.match(r"(?:https?://|www\.)", name, re.IGNORECASE)
    ):
        url = name if "://" in name else "http://" + name
    url_outlet = registered_domain(url) if url else None
    outlet = url_outlet if url_outlet and url_outlet != own else None
    outlet = (
        outlet
        or directory.resolve(name)
        or local.resolve(name)
        or (url_outlet if url_outlet != own else None)
    )
    if found.kind == "wire-dateline":
        outlet = outlet or WIRE_SERVICES.get(name_key(name))
    if own and (outlet == own or (not outlet and _is_own_name(name, own_keys))):
        return None
    if found.kind == "copyright" and (
        name_key(name) in _NOT_OUTLETS or _is_own_name(name, own_keys)
    ):
        return None
    return Attribution(found.kind, clean_text(found.sentence), name, url, outlet, found.day, author)


def _with_origin_date(
    hit: Attribution, origin: tuple[str, str], directory: OutletDirectory
) -> Attribution:
    if hit.stated_date:
        return hit
    name, day = origin
    same = name_key(name) == name_key(hit.name) or (
        hit.outlet and directory.resolve(name) == hit.outlet
    )
    return replace(hit, stated_date=day) if same else hit
