"""Lines that look like credits and are not: dates after "first published", photo credits
and captions, the page's own outlet or its corporate parent, and sentences inside the story.
None of them may be stored."""

from __future__ import annotations

import pytest

from crawler.extract.credits import find_attributions

STORY = "The council voted on Tuesday to extend the program for another two years.\n" * 3


@pytest.mark.parametrize(
    "text,url",
    [
        # a date is not a source
        ("First published on 8 April 2020\n" + STORY, "https://www.example.org/a"),
        (STORY + "First published on 8 April 2020", "https://www.example.org/a"),
        (STORY + "This article was first published in 2019.", "https://www.example.org/a"),
        (STORY + "Originally published on Monday, March 3.", "https://www.example.org/a"),
        # photo and video credits, captions
        ("Protesters gather in the square. (AP Photo/Evan Vucci)\n" + STORY, "https://www.example.org/a"),
        ("Photo courtesy of the Smith family\n" + STORY, "https://www.example.org/a"),
        ("Foto: dpa\n" + STORY, "https://www.example.de/a"),
        ("Image: Reuters\n" + STORY, "https://www.example.org/a"),
        ("Photo: Pablo Martinez Monsivais, AP\n" + STORY, "https://www.example.org/a"),
        ("( REUTERS/Jonathan Ernst/Reuters )\n" + STORY, "https://www.example.org/a"),
        ("Credit: The Associated Press\n" + STORY, "https://www.example.org/a"),
        ("Toni L. Sandys / The Washington Post / Getty Images\n" + STORY, "https://www.example.org/a"),
        ("Fabrizio Bensch/REUTERS\n" + STORY, "https://www.example.de/a"),
        (STORY + "Springer is part of Springer Nature.\nSpringer Nature", "https://www.springer.com/de/x"),
        (STORY + "© BART DEWAELE", "https://www.example.be/a"),
        # the page's own outlet, under any of its names and domains
        (STORY + "Originally published on Live Science.", "https://www.livescience.com/planet-earth/x"),
        ("LONDON (Reuters) - " + STORY, "https://www.reuters.com/world/x"),
        ("WASHINGTON (AP) — " + STORY, "https://apnews.com/article/x"),
        ("By BBC News\n" + STORY, "https://www.bbc.com/news/world-1"),
        ("HELSINKI, Finland (CNN) - " + STORY, "https://edition.cnn.com/2018/07/16/x"),
        ("Quelle: ntv.de\n" + STORY, "https://www.n-tv.de/politik/x"),
        # its corporate parent
        (STORY + "© 2024 CBS Interactive Inc. All Rights Reserved.", "https://www.cbsnews.com/news/x"),
        (STORY + "© 2024 Future US, Inc. Full 7th Floor, 130 West 42nd Street.", "https://www.space.com/x"),
        (STORY + "Copyright 2024 NBCUniversal Media, LLC. All rights reserved.", "https://www.nbcnews.com/x"),
        (STORY + "© 2018 ABC News Internet Ventures.", "https://abcnews.go.com/Politics/x"),
        (STORY + "Copyright 2020 Sunbeam Television Corp. All rights reserved.", "https://wsvn.com/news/x"),
        # sentences inside the story
        ("The species first appeared in West Michigan in the 1990s, officials said.\n" + STORY
         + "The beetle, native to Asia, first appeared in West Michigan a decade later, according to the "
         "state agriculture department, which has tracked it since then across several counties.\n" + STORY,
         "https://www.example.org/a"),
        (STORY + "The company said it would cut 500 jobs, according to Reuters.\n" + STORY, "https://www.example.org/a"),
        (STORY + "Officials told AFP the talks would resume on Friday.\n" + STORY, "https://www.example.org/a"),
        (STORY + "Reuters reported on Monday that the deal was close.\n" + STORY, "https://www.example.org/a"),
        # furniture: share buttons, a lone person's byline, a site's own name
        ("Flipboard\n" + STORY, "https://www.foxnews.com/politics/x"),
        ("By Michael Bloomberg\n" + STORY, "https://www.example.org/a"),
        ("By Jane Doe\n" + STORY, "https://www.example.org/a"),
        # a hat tip thanks whoever pointed to something (a quote's reference), no source
        (STORY + "h/t Preamble to the U.S. Constitution @ vocabulary.com", "https://www.example.org/a"),
    ],
    ids=lambda v: v[:50] if isinstance(v, str) and not v.startswith("http") else "",
)
def test_not_a_credit(text: str, url: str) -> None:
    assert find_attributions(text, None, url) == []


def test_photo_credit_in_html_caption_is_not_stored() -> None:
    html = (
        "<html><body><h1>Summit</h1><figure><img src='x.jpg'><figcaption>Leaders meet. "
        "(AP Photo/Pablo Martinez Monsivais)</figcaption></figure>"
        f"<p>{STORY}</p><p>Foto: dpa</p></body></html>"
    )
    assert find_attributions(None, html, "https://www.example.org/a") == []


def test_names_in_figures_credit_pictures() -> None:
    html = (
        "<html><body><h1>Match</h1><figure><img src='x.jpg'><figcaption>Fans unveil a banner."
        "</figcaption><p>REUTERS</p></figure><figure><img src='chart.png'><p>Quelle: AFP</p></figure>"
        f"<p>{STORY}</p></body></html>"
    )
    assert find_attributions(None, html, "https://www.example.org/a") == []
    # captions built of plain <div>s beside a <picture>
    divs = html.replace("<figure>", "<div><div>").replace("</figure>", "</div></div>")
    assert find_attributions(None, divs, "https://www.example.org/a") == []
    # the same name as the article's own byline line is a credit
    byline = html.replace("<figure><img src='x.jpg'>", "<p>REUTERS</p><figure><img src='x.jpg'>", 1)
    assert [h.outlet for h in find_attributions(None, byline, "https://www.example.org/a")] == ["reuters.com"]


def test_own_name_in_metadata_is_not_a_credit() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"author": {"@type": "Organization", "name": "Reuters"}, '
        '"publisher": {"@type": "Organization", "name": "Thomson Reuters"}}</script></head>'
        f"<body><h1>Markets</h1><p>{STORY}</p></body></html>"
    )
    assert find_attributions(None, html, "https://www.reuters.com/markets/x") == []


@pytest.mark.parametrize("source", ["Quelle: AFP", "Source: CDC, Chicago Department of Public Health", "Kilde: NTB"])
def test_a_source_line_under_a_chart_in_the_extracted_text_credits_the_chart(source: str) -> None:
    # The extracted text keeps the chart's caption and source line; on the page both stand in
    # the image's box, so the line credits the chart, not the article.
    para = STORY.strip().replace("\n", " ")
    html = (
        "<html><body><h1>Trade</h1>"
        f"<p>{para}</p>"
        "<div><div><div><picture><img src='chart.png'></picture></div></div>"
        f"<div>Trade with Iran has fallen sharply.</div><div>{source}</div><hr></div>"
        f"<p>{para}</p><p>{para}</p></body></html>"
    )
    text = f"{para}\nTrade with Iran has fallen sharply.\n{source}\n{para}\n{para}"
    url = "https://www.example.org/a"
    assert find_attributions(text, html, url) == []
    # the same line closing the article, outside any image's box, is the article's source
    closing = html.replace("</body>", f"<p>{source}</p></body>")
    assert find_attributions(text + "\n" + source, closing, url) != []
