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
from dataclasses import replace

from lxml.html import HtmlElement

from crawler.urls import brand_of

from . import _html
from . import outlets as _outlets
from ._html import HtmlText
from .names import Found, looks_like_domain, name_key
from .outlets import OutletDirectory, registered_domain
from .registry import Registry, Source, default_registry
from .resolve import FORM_OF_KIND, Attribution, Context, credit, meta_credit
from .scan import candidate_lines, lines_of, scan
from .statedate import stated_origin

__all__ = [
    "FORMS",
    "KINDS",
    "WIRE_SERVICES",
    "Attribution",
    "OutletDirectory",
    "Registry",
    "Source",
    "attribution_lines",
    "author_attributions",
    "credits_with_lines",
    "default_registry",
    "find_attributions",
    "name_key",
    "read_page",
    "registered_domain",
    "stated_origin_date",
]

KINDS = (
    "original-source",
    "originally-published",
    "first-appeared",
    "also-appeared",
    "source-url",
    "republished",
    "reprinted",
    "contributed",
    "courtesy",
    "read-more",
    "via",
    "wire-dateline",
    "copyright",
    "canonical",
    "byline",
    "sign-off",
    "provider-label",
    "print-issue",
    "metadata",
)
FORMS = tuple(dict.fromkeys(FORM_OF_KIND.values()))

_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]*)\)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\"'\]]+", re.IGNORECASE)
_ANGLE_URL = re.compile(r"<((?:https?://)[^>\s]+)>")
_BY = re.compile(r"(?:by|por|par|von|di|da|door|от|автор)\b", re.IGNORECASE)
_MAX_AUTHOR = 300  # an author field longer than this is no byline
_NEAR = 400  # characters between a copyright line and the statement it belongs to


def attribution_lines(text: str) -> list[str]:
    """The lines of an article that state a source, whitespace-normalised, in order."""
    return candidate_lines(_strip_markup(text)[0])


def author_attributions(
    author: str | None,
    page_url: str,
    own_outlet: str | None = None,
    directory: OutletDirectory | None = None,
) -> list[Attribution]:
    """Credits in an author field that comes with an article rather than in its text (an
    ingest record's ``author``): "Associated Press", "Jane Doe, Reuters", "By PTI".

    The field is read as the byline it stands for, so a reporter's own name is no credit and
    the page's own outlet is left out, as in the text.
    """
    value = " ".join((author or "").split())
    if not value or len(value) > _MAX_AUTHOR:
        return []
    line = value if _BY.match(value) else f"By {value}"
    return [
        replace(hit, kind="byline", sentence=f"author: {value}", form="byline")
        for hit in find_attributions(line, None, page_url, own_outlet, directory)
        if hit.form in ("byline", "sign-off")
    ]


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
    return credits_with_lines(text, html, page_url, own_outlet, directory)[0]


def credits_with_lines(
    text: str | None,
    html: str | HtmlText | None,
    page_url: str,
    own_outlet: str | None = None,
    directory: OutletDirectory | None = None,
) -> tuple[list[Attribution], list[str]]:
    """:func:`find_attributions` and the lines of ``text`` that state a credit (the page's
    own notices included, as :func:`attribution_lines` gives them), from one reading of the
    text: extraction needs both, and the scan is most of what credits cost."""
    own = registered_domain(own_outlet) if own_outlet else registered_domain(page_url)
    directory = directory or OutletDirectory()
    if isinstance(html, _html.HtmlText):
        page = html
    else:
        page = _html.parse(html, page_url) if html else None
    own_keys = _own_keys(own, directory, page.site_name if page else None)
    ctx = Context(own, own_keys, directory)
    registry = directory.registry

    text_found: list[tuple[Found, str | None]] = []
    clean = ""
    lines: list[str] = []
    if text:
        clean, links = _strip_markup(text)
        scanned = scan(clean, ctx.known, registry, own=ctx.is_own_name)
        lines = lines_of(clean, scanned)
        text_found = [
            (f, f.url or links.get(f.name))
            for f in scanned
            if not (page and _only_in_captions(clean, f, page))
        ]
    html_found: list[tuple[Found, str | None]] = []
    if page and page.text:
        found_html = scan(page.text, ctx.known, registry, title_at=page.title_at, whole_page=True)
        statements = [f.start for f in found_html if f.kind != "copyright"]
        for f in found_html:
            if page.in_caption(f.start):
                continue  # "Quelle: dpa" under a photo, "… REUTERS" closing a caption
            url = _link_for(f, page, own)
            # Whole pages carry site footers and chart captions: there a copyright line counts
            # only beside another statement (Global Research's footer), a "Source:" only with a
            # link or a known agency.
            if f.kind == "copyright" and not any(abs(f.start - s) < _NEAR for s in statements):
                continue
            if f.kind == "source-url" and not (
                url or f.url or looks_like_domain(f.name) or registry.find(f.name)
            ):
                continue
            html_found.append((f, url))

    origin = stated_origin(clean, own_keys) if clean else None
    if origin is None and page:
        origin = stated_origin(page.from_title, own_keys)
    results: list[Attribution] = []
    index: dict[tuple[str, str], int] = {}
    if text_found or html_found:
        # Domains the page itself links to resolve names written beside them ("SHTF Plan" when
        # the footer also says "Visit www.SHTFplan.com"). Only credits read them, and most
        # pages have none: the links are parsed only then.
        low = (text or "").lower()
        # The expression is tried at every position of the text: only a text with an address
        # in it is searched.
        found_urls = _URL.findall(text or "") if "http" in low or "www." in low else []
        links = found_urls + [a.href for a in (page.anchors if page else [])]
        for link in dict.fromkeys(links):
            ctx.local.add_domain(link)
    hits = [credit(found, url, ctx) for found, url in text_found + html_found]
    hits += [meta_credit(meta, ctx) for meta in (page.metadata if page else [])]
    for hit in hits:
        if hit is None:
            continue
        key = (hit.form or hit.kind, name_key(hit.name) or hit.url or "")
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
                    form="canonical",
                    source_kind="outlet",
                )
            )
    if origin:
        results = [_with_origin_date(hit, origin, directory) for hit in results]
    return results, lines


def _only_in_captions(clean: str, found: Found, page: _html.HtmlText) -> bool:
    """True when the line a text credit stands on is, on the page, only ever inside a figure
    or an image's caption box ("Quelle: AFP" under a chart): it credits the picture."""
    line = clean[clean.rfind("\n", 0, found.start) + 1 :].split("\n", 1)[0].strip()
    if len(line) < 4 or not page.captions:
        return False
    at = page.text.find(line)
    if at < 0:
        return False
    while at >= 0:
        if not page.in_caption(at):
            return False
        at = page.text.find(line, at + 1)
    return True


def _strip_markup(text: str) -> tuple[str, dict[str, str]]:
    """Text with markdown links reduced to their labels, and the label -> URL map."""
    links: dict[str, str] = {}

    def label(m: re.Match[str]) -> str:
        if m.group(2) and m.group(2) != "#":
            links.setdefault(m.group(1).strip(), m.group(2))
        return m.group(1)

    # Each expression is tried at every position: only a text holding what it starts
    # with is searched.
    if "](" in text:
        text = _MARKDOWN_LINK.sub(label, text)
    return (_ANGLE_URL.sub(r"\1", text) if "<http" in text else text), links


def _own_keys(
    own: str | None, directory: OutletDirectory | None, site_name: str | None
) -> set[str]:
    keys: set[str] = set()
    if own:
        keys |= (directory or OutletDirectory()).keys_for(own)
    if site_name:
        keys.add(name_key(site_name))
    return {k for k in keys if k}


def _is_own_host(url: str, page_url: str) -> bool:
    if registered_domain(url) == registered_domain(page_url):
        return True
    # The same publication under another spelling of its domain (jamaica-gleaner.com for
    # jamaica.gleaner.com): a canonical link there names the page itself, not a source.
    brand = brand_of(url)
    return len(brand) >= 6 and brand == brand_of(page_url)


def _link_for(found: Found, page: _html.HtmlText, own: str | None) -> str | None:
    # A link back into the page's own site (an author page, a tag) is not the source.
    for anchor in page.links_in(found.start, found.end):
        if registered_domain(anchor.href) not in (None, own):
            return anchor.href
    return None


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


def __getattr__(name: str) -> object:
    if name == "WIRE_SERVICES":  # name key -> outlet of every wire service, built on first use
        return _outlets.WIRE_SERVICES
    raise AttributeError(name)
