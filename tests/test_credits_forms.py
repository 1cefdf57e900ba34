"""Credits in every form a reader sees them: bylines, author fields, datelines with any dash,
sign-offs, aggregator provider labels, contributors, print issues, copyright lines, metadata.
Each stored credit says its form and what the credited party is."""

from __future__ import annotations

import json

import pytest

from crawler.extract.credits import FORMS, find_attributions

PAGE = "https://www.localpaper.example/news/story-123"
BODY = "The president met his counterpart on Monday for talks that lasted two hours.\n" * 3


def credits(text: str | None, html: str | None = None, url: str = PAGE) -> list[tuple]:
    return [(h.form, h.name, h.outlet, h.source_kind) for h in find_attributions(text, html, url)]


@pytest.mark.parametrize(
    "text,expected",
    [
        # bylines naming an agency or an outlet
        ("By The Associated Press\n" + BODY, ("byline", "The Associated Press", "apnews.com", "wire")),
        ("By Reuters staff\n" + BODY, ("byline", "Reuters", "reuters.com", "wire")),
        ("PTI\n" + BODY, ("byline", "PTI", "ptinews.com", "wire")),
        ("By JOSH BOAK Associated Press\n" + BODY, ("byline", "Associated Press", "apnews.com", "wire")),
        ("Jonathan Lemire, Jill Colvin and Vladimir Isachenkov, Associated Press\n" + BODY,
         ("byline", "Associated Press", "apnews.com", "wire")),
        ("Geoff Mulvihill | Associated Press\n" + BODY, ("byline", "Associated Press", "apnews.com", "wire")),
        ("The Associated Press | Sunday, July 15, 2018, 11:30 a.m.\n" + BODY,
         ("byline", "The Associated Press", "apnews.com", "wire")),
        ("AFP, MANILA\n" + BODY, ("byline", "AFP", "afp.com", "wire")),
        ("Posted 5:57 am, July 16, 2018, by Associated Press , Updated at 06:00AM\n" + BODY,
         ("byline", "Associated Press", "apnews.com", "wire")),
        ("By     JONATHAN LEMIRE     and      VLADIMIR ISACHENKOV          Associated Press\n" + BODY,
         ("byline", "Associated Press", "apnews.com", "wire")),
        ("KVELLER via JTA — The state swore in its first Native American justice.\n" + BODY,
         ("dateline", "JTA", "jta.org", "wire")),
        (BODY + "Weitere Quellen • AP", ("source-url", "AP", "apnews.com", "wire")),
        ("By Philip Rucker and Seung Min Kim The Washington Post\n" + BODY,
         ("byline", "The Washington Post", "washingtonpost.com", "outlet")),
        # datelines with every dash, including mis-decoded ones
        ("VENICE, Italy (AP) — " + BODY, ("dateline", "AP", "apnews.com", "wire")),
        ("VENICE, Italy (AP) â€\" " + BODY, ("dateline", "AP", "apnews.com", "wire")),
        ("VENICE, Italy (AP) Ã¢Â€Â” " + BODY, ("dateline", "AP", "apnews.com", "wire")),
        ("LONDON (Reuters) - " + BODY, ("dateline", "Reuters", "reuters.com", "wire")),
        ("TURNBERRY/GLASGOW, Scotland (Reuters) -- " + BODY, ("dateline", "Reuters", "reuters.com", "wire")),
        ("HELSINKI, Finland (CNN) - " + BODY, ("dateline", "CNN", "cnn.com", "outlet")),
        ("ISLAMABAD, Dec 3 (APP): " + BODY, ("dateline", "APP", "app.com.pk", "wire")),
        # sign-offs that are only a name
        (BODY + "— Reuters", ("sign-off", "Reuters", "reuters.com", "wire")),
        (BODY + "AP", ("sign-off", "AP", "apnews.com", "wire")),
        (BODY + "(AFP)", ("sign-off", "AFP", "afp.com", "wire")),
        (BODY + "The New York Times", ("sign-off", "The New York Times", "nytimes.com", "outlet")),
        (BODY + "sak/Reuters", ("sign-off", "Reuters", "reuters.com", "wire")),
        (BODY + "atimes.com", ("sign-off", "atimes.com", "atimes.com", "outlet")),
        ("by Giovani – Liveanddare.com\n" + BODY, ("byline", "Liveanddare.com", "liveanddare.com", "outlet")),
        (BODY + "Jill Colvin is an Associated Press writer.", ("sign-off", "Associated Press", "apnews.com", "wire")),
        # "via" lines, bare or in brackets
        (BODY + "via Geeks Are Sexy", ("via", "Geeks Are Sexy", None, None)),
        (BODY + "(via Geeks Are Sexy)\nMore stories", ("via", "Geeks Are Sexy", None, None)),
        (BODY + "[via The Guardian]", ("via", "The Guardian", "theguardian.com", "outlet")),
        # contributors
        (BODY + "Information for this article was contributed by Jane Doe of The New York Times.",
         ("contributed", "The New York Times", "nytimes.com", "outlet")),
        (BODY + "Fox News' Gregg Re and The Associated Press contributed to this report.",
         ("contributed", "The Associated Press", "apnews.com", "wire")),
        (BODY + "(With inputs from PTI)", ("contributed", "PTI", "ptinews.com", "wire")),
        # print issues
        (BODY + "This story originally appeared in the February issue of Seattle Magazine.",
         ("print-issue", "Seattle Magazine", None, None)),
        # copyright lines naming another outlet
        (BODY + "©The Daily Telegraph", ("copyright", "The Daily Telegraph", "telegraph.co.uk", "outlet")),
        (BODY + "© 2024 The Associated Press. All rights reserved.",
         ("copyright", "The Associated Press", "apnews.com", "wire")),
        (BODY + "Copyright 2018 by CNN NewSource. All rights reserved.",
         ("copyright", "CNN NewSource", "cnn.com", "syndicator")),
    ],
    ids=lambda v: v[:45] if isinstance(v, str) else None,
)
def test_text_forms(text: str, expected: tuple) -> None:
    assert expected in credits(text)


def test_aggregator_provider_labels() -> None:
    yahoo = "https://news.yahoo.com/trump-putin-summit-123.html"
    assert ("provider-label", "Fox Nation", "foxnation.com", "outlet") in credits(
        "Trump and Putin meet\nFox Nation • 2h\n" + BODY, url=yahoo
    )
    msn = "https://www.msn.com/en-us/news/world/summit/ar-AA1"
    assert ("provider-label", "Reuters", "reuters.com", "wire") in credits(
        "Provided by Reuters\n" + BODY, url=msn
    )


def _html(head: str, body: str = "") -> str:
    return f"<html><head>{head}</head><body><h1>Summit</h1><p>{BODY}</p>{body}</body></html>"


def _ld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_metadata_fields() -> None:
    page = _html(
        _ld({"@context": "https://schema.org", "@type": "NewsArticle",
             "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Organization", "name": "Associated Press"}],
             "isBasedOn": "https://www.reuters.com/world/summit-2018-07-16/"})
        + '<meta name="syndication-source" content="https://www.theguardian.com/world/2018/jul/16/summit">'
        + '<link rel="original-source" href="https://www.bbc.co.uk/news/world-123">'
    )
    found = {(h.form, h.outlet, h.source_kind) for h in find_attributions(None, page, PAGE)}
    assert ("byline", "apnews.com", "wire") in found  # author field naming an agency
    assert ("metadata", "reuters.com", "wire") in found  # isBasedOn
    assert ("metadata", "theguardian.com", "outlet") in found  # syndication-source
    assert ("metadata", "bbc.co.uk", "outlet") in found  # link rel=original-source
    # a person in the author field credits nobody
    assert all(h.name != "Jane Doe" for h in find_attributions(None, page, PAGE))


def test_publisher_counts_only_when_it_is_an_agency_or_on_an_aggregator() -> None:
    own_company = _html(_ld({"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "Gannett"}}))
    assert credits(None, own_company) == []
    wire = _html(_ld({"@type": "NewsArticle", "sourceOrganization": {"name": "Agence France-Presse"}}))
    assert ("metadata", "Agence France-Presse", "afp.com", "wire") in credits(None, wire)
    on_msn = _html(_ld({"@type": "NewsArticle", "publisher": {"name": "The Independent"}}))
    assert ("metadata", "The Independent", "independent.co.uk", "outlet") in credits(
        None, on_msn, "https://www.msn.com/en-gb/news/uk/x/ar-AA2"
    )


def test_initials_beside_an_agency_anywhere_on_a_page() -> None:
    page = _html("", "<p>" + "More of the story follows here. " * 40 + "</p>" * 1 + "<p>sak/Reuters</p>")
    assert ("sign-off", "Reuters", "reuters.com", "wire") in credits(None, page)


def test_byline_in_html_near_the_title() -> None:
    page = _html("", "").replace("<h1>Summit</h1>", "<h1>Summit</h1><p class='byline'>By Associated Press</p>")
    assert ("byline", "Associated Press", "apnews.com", "wire") in credits(None, page)


def test_every_stored_credit_says_its_form() -> None:
    text = "By Reuters staff\nLONDON (Reuters) - " + BODY + "Source: https://www.bbc.co.uk/news/x\n© The Guardian 2020"
    hits = find_attributions(text, None, PAGE)
    assert hits and all(h.form in FORMS for h in hits)
    assert {h.form for h in hits} >= {"byline", "dateline", "source-url"}


def test_padded_lines_do_not_stall_the_scan() -> None:
    # Real pages pad bylines and captions with thousands of spaces; the scan stays linear.
    padded = "By" + " " * 20000 + "JONATHAN LEMIRE" + " " * 20000 + "Associated Press\n" + BODY
    assert ("byline", "Associated Press", "apnews.com", "wire") in credits(padded)
    page = _html("", "<div>" + "Caption text" + " " * 20000 + "more caption" + " " * 20000 + "</div>")
    assert credits(None, page) == []
