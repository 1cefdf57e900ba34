"""Credits that stand without a cue word, or in phrasings found on real republished pages:
shared sign-offs, address lines, notes about the source, "also appeared", hat tips, "written
by A, of X", and the look-alikes that must stay out (references, fact boxes, story lines)."""

from __future__ import annotations

import pytest

from crawler.extract.credits import find_attributions

STORY = "\n".join(
    f"Paragraph {i} of the story goes on about the matter at hand." for i in range(12)
)


def found(text: str, url: str, html: str | None = None) -> list[tuple[str, str, str | None]]:
    return [(h.form, h.name, h.outlet) for h in find_attributions(text, html, url)]


def closing(line: str, url: str = "https://beforeitsnews.com/a/story-1") -> list:
    return found(f"Headline of the piece\n{STORY}\n{line}", url)


@pytest.mark.parametrize(
    "line,expected",
    [
        (
            "A version of this piece also appeared on National Review Online.",
            [("footer", "National Review Online", None)],
        ),
        (
            "This article previously appeared in The Fresno Bee.",
            [("footer", "The Fresno Bee", None)],
        ),
        (
            (
                "This article is a joint publication of The Nation and Workday Magazine, a "
                "nonprofit newsroom devoted to holding the powerful accountable through the "
                "perspective of workers."
            ),
            [("footer", "The Nation", None), ("footer", "Workday Magazine", None)],
        ),
        (
            "h/t SteveLendmanBlog and IHR (Institute For Historical Review)",
            [("via", "SteveLendmanBlog", None), ("via", "Institute For Historical Review", None)],
        ),
        ("Hat tip to Zero Hedge", [("via", "Zero Hedge", None)]),
        ("BVINEWS.COM", [("sign-off", "BVINEWS.COM", "bvinews.com")]),
        (
            (
                "LifeNews.com is an independent news agency devoted to reporting news that "
                "affects the pro-life community."
            ),
            [("sign-off", "LifeNews.com", "lifenews.com")],
        ),
    ],
)
def test_closing_credits(line: str, expected: list) -> None:
    assert closing(line) == expected


def test_shared_signoff_credits_the_other_outlet() -> None:
    url = "https://wochenblatt.cc/itaipu-hat-sechs-neue-ausschreibungen/"
    assert closing("Wochenblatt / Última Hora", url) == [("sign-off", "Última Hora", None)]
    # Without the page's own name, two names are a photographer and an agency, or a heading.
    assert closing("Politik / Wirtschaft", url) == []


def test_writer_of_an_outlet_in_an_editors_note() -> None:
    text = (
        "ATTN: Phone Security 101\nThe post below was written by Joseph Tye, of TX CopBlock, "
        f"and posted at various other alternative media outlets.\n{STORY}"
    )
    assert found(text, "https://beforeitsnews.com/a/1") == [("byline", "TX CopBlock", None)]
    affiliation = "Title\nThis article was written by Jane Doe of the University of Chicago.\n"
    assert found(affiliation + STORY, "https://beforeitsnews.com/a/1") == []


@pytest.mark.parametrize(
    "line",
    [
        "h/t Preamble to the U.S. Constitution @ vocabulary.com",  # a reference for a quote
        "The study was previously published in Nature and reviewed by peers.",
        "https://www.youtube.com/watch?v=abc123",  # a link to a page is a reference
        "setup.py",  # a file name under a country's domain
        "www.beforeitsnews.com",  # the page's own address
    ],
)
def test_look_alikes_are_not_credits(line: str) -> None:
    assert closing(line) == []


def test_an_address_line_inside_the_story_counts_only_in_capitals() -> None:
    middle = "\n".join(STORY.split("\n")[:6])
    rest = "\n".join(STORY.split("\n")[6:])
    url = "https://beforeitsnews.com/a/1"
    assert found(f"T\n{middle}\nwww.wompstompfilms.com\n{rest}", url) == []
    assert found(f"T\n{middle}\nBVINEWS.COM\n{rest}", url) == [
        ("sign-off", "BVINEWS.COM", "bvinews.com")
    ]


def test_a_source_line_in_a_fact_box_credits_the_box() -> None:
    html = (
        "<html><body><article><h1>Title</h1>"
        + "".join(f"<p>Paragraph {i} of the story goes on.</p>" for i in range(8))
        + '<amedia-factbox><h3 class="title">Fakta om fødselsdepresjon</h3>'
        "<p>Om lag én av ti kvinner opplever depressive symptomer.</p>"
        "<p><i>Kilde: Helsenorge.no</i></p></amedia-factbox>"
        '<div class="fact-box"><p>Quelle: dpa</p></div>'
        "</article></body></html>"
    )
    assert found("", "https://www.nettavisen.no/kjendis/x/s/5-95-1", html) == []
    # The same line closing the article is the article's credit.
    html_closing = html.replace(
        '<div class="fact-box"><p>Quelle: dpa</p></div>', "<p>Quelle: dpa</p>"
    )
    assert ("source-url", "dpa", "dpa.com") in found(
        "", "https://www.zdfheute.de/x-100.html", html_closing
    )


def test_shared_byline_in_metadata() -> None:
    html = (
        '<html><head><meta property="og:article:author" content="AFP/The Local"></head>'
        "<body><h1>Meet the Swede</h1><p>Story text.</p></body></html>"
    )
    assert found("", "https://www.thelocal.se/20200428/meet-the-swede", html) == [
        ("byline", "AFP", "afp.com")
    ]


def test_aggregator_labels_and_source_lines_under_the_title() -> None:
    url = "https://news.yahoo.com/mccain-trump-meeting-putin-120000000.html"
    text = f"McCain: Trump's meeting with Putin 'should not move forward'\nLocal 10 Miami•\n{STORY}"
    assert found(text, url) == [("provider-label", "Local 10 Miami", None)]
    byline = "By Alexandra Tremayne-Pengelly •\n"  # a reporter, whatever the bullet
    assert found("Title\n" + byline + STORY, "https://observer.com/2024/x") == []
    nbc = "Census director resigns\nMay 10, 2017, 12:56 AM UTC\n/ Source: Associated Press\n"
    assert found(nbc + STORY, "https://www.nbcnews.com/politics/x") == [
        ("source-url", "Associated Press", "apnews.com")
    ]


def test_a_photographers_line_after_a_caption_credits_the_photo() -> None:
    gallery = (
        "Fullscreen\nTrump arrives at Stansted Airport, Thursday, July 12, 2018. "
        "(AP Photo/Pablo Martinez Monsivais) ORG XMIT: GRBM130\nPablo Martinez Monsivais, AP\n"
    )
    assert found(gallery + STORY, "https://www.azcentral.com/picture-gallery/x") == []
    # The same line opening a story is the agency's byline.
    assert found(
        "Title\nPablo Martinez Monsivais, AP\n" + STORY, "https://www.azcentral.com/x"
    ) == [("byline", "AP", "apnews.com")]
