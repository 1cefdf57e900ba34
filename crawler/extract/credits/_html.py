"""Page text rebuilt from HTML with the position of every link, so a statement's anchor can be found.

Extraction may drop a page's footer, where republishers put "The original source of this
article is X"; the HTML keeps it, and keeps which URL the name links to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from .metadata import MetaCredit
from .metadata import read as read_metadata

_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "blockquote",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "dl",
    "pre",
    "main",
    "nav",
    "form",
    "hr",
    "address",
    "time",
}
_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "head",
    "iframe",
    "select",
    "option",
    "button",
}


@dataclass
class Anchor:
    start: int
    end: int
    href: str


@dataclass
class HtmlText:
    """The page as lines of text, the links inside it, and the head metadata that matters here."""

    text: str = ""
    anchors: list[Anchor] = field(default_factory=list)
    canonical: str | None = None
    site_name: str | None = None
    title_at: int = 0  # offset of the first <h1>: the article header starts there
    metadata: list[MetaCredit] = field(default_factory=list)
    # figure, caption and fact-box spans
    captions: list[tuple[int, int]] = field(default_factory=list)

    def in_caption(self, offset: int) -> bool:
        """True inside a <figure>, a <figcaption> or a fact box: there a name credits a
        picture, or the facts of the box ("Kilde: Helsenorge.no" closing "Fakta om …")."""
        return any(start <= offset < end for start, end in self.captions)

    @property
    def from_title(self) -> str:
        return self.text[self.title_at :]

    def links_in(self, start: int, end: int) -> list[Anchor]:
        return [a for a in self.anchors if a.start < end and a.end > start]


def parse(html: str | lxml_html.HtmlElement, base_url: str | None) -> HtmlText | None:
    """The page as text with its links; ``html`` may be a parsed tree, which is only read."""
    if isinstance(html, str):
        try:
            tree = lxml_html.fromstring(html)
        except (ValueError, etree.ParserError):
            return None
    else:
        tree = html
    out = HtmlText()
    for href in tree.xpath(
        '//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href'
    ):
        if href.strip():
            try:
                out.canonical = urljoin(base_url or "", href.strip())
            except ValueError:
                continue
            break
    for value in tree.xpath('//meta[@property="og:site_name" or @name="og:site_name"]/@content'):
        if value.strip():
            out.site_name = value.strip()
            break
    try:
        out.metadata = read_metadata(tree, base_url)
    except (ValueError, etree.XPathError):  # odd markup must not lose the page's other credits
        out.metadata = []
    media_boxes = _media_boxes(tree)
    parts: list[str] = []
    length = 0

    def emit(piece: str | None, raw: bool = False) -> None:
        nonlocal length
        if piece:
            if not raw:
                # Source newlines are layout, not structure; only block breaks end a line.
                piece = piece.replace("\n", " ").replace("\r", " ")
            parts.append(piece)
            length += len(piece)

    def join(href: str) -> str | None:
        if href.startswith(("http://", "https://")):
            return href
        try:
            return urljoin(base_url or "", href)
        except ValueError:  # malformed hrefs ("http://[ccpa-preferences]") are common enough
            return None

    # Iterative walk: real pages nest deep enough to hit Python's recursion limit.
    seen_title: list[int] = []
    body = tree.find("body")
    stack: list[tuple[bool, object, int]] = [(False, body if body is not None else tree, 0)]
    while stack:
        closing, el, start = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        block = tag in _BLOCKS
        if closing:
            if tag in ("figure", "figcaption", "picture") or id(el) in media_boxes or _fact_box(tag, el):
                out.captions.append((start, length))
            if tag == "a" and el.get("href"):
                href = el.get("href").strip()
                url = None if href.startswith(("#", "javascript:", "mailto:")) else join(href)
                if url:
                    out.anchors.append(Anchor(start, length, url))
            if block:
                emit("\n", raw=True)
            emit(el.tail)
            continue
        if not tag or tag in _SKIP:
            emit(el.tail)  # comments and processing instructions still carry a tail
            continue
        if block:
            emit("\n", raw=True)
        if tag == "h1" and not seen_title:
            seen_title.append(length)
        stack.append((True, el, length))
        emit(el.text)
        stack.extend((False, child, 0) for child in reversed(el))
    out.text = "".join(parts)
    out.title_at = seen_title[0] if seen_title else 0
    return out


_FACT_BOX = re.compile(r"(?<![a-z])(?:fact|fakta)|infobox|info-box|infokasten", re.IGNORECASE)


def _fact_box(tag: str, el: object) -> bool:
    """A box of facts beside the story (``<amedia-factbox>``, ``class="fact-box"``)."""
    if _FACT_BOX.search(tag):
        return True
    classes = el.get("class")  # type: ignore[attr-defined]
    return bool(classes) and _FACT_BOX.search(classes) is not None


_CAPTION_CHARS = 300  # a box holding an image and at most this much text is the image's caption


def _media_boxes(tree) -> dict[int, object]:
    """Elements that hold an image and little text besides: captions built of plain <div>s
    ("<picture/><div>Fans unveil a banner</div><div>REUTERS</div>"), where a name credits
    the picture. Up to three levels above each image."""
    # Keyed by id() with the element kept as the value: lxml reuses the proxy of a node only
    # while a reference to it is alive, so the ids stay valid as long as the dict does.
    boxes: dict[int, object] = {}
    for image in tree.iter("img", "picture", "video"):
        box = None
        node = image.getparent()
        for _ in range(3):
            if node is None or node.tag in ("body", "html", "article", "main"):
                break
            if len(node.text_content()) > _CAPTION_CHARS:
                break
            box = node
            node = node.getparent()
        if box is not None:
            boxes[id(box)] = box
    return boxes
