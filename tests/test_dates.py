"""Publication dates: each source on small pages, the vote between them, and accuracy on real pages."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html

from crawler.extract.dates import DateEvidence, parse_datetime, published_date

REPO = Path(__file__).resolve().parents[1]
FUNDUS = REPO.parent / "shared" / "data" / "fundus_parser_testdata"
NOW = datetime(2024, 6, 1, tzinfo=UTC)


def page(head: str = "", body: str = "<p>Text of the article.</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def ld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def test_jsonld_article_normalised_to_utc() -> None:
    html = page(ld({"@type": "NewsArticle", "datePublished": "2020-10-27T23:30:00+02:00"}))
    evidence = published_date(html, now=NOW)
    assert (evidence.value, evidence.source) == ("2020-10-27T21:30:00+00:00", "jsonld")
    assert isinstance(evidence, DateEvidence)


def test_a_timed_value_is_kept_when_sources_agree_on_the_day() -> None:
    html = page(
        ld({"@type": "NewsArticle", "datePublished": "2020-10-27"})
        + '<meta property="article:published_time" content="2020-10-27T08:00:00Z">'
    )
    evidence = published_date(html, now=NOW)
    assert (evidence.value, evidence.source) == ("2020-10-27T08:00:00+00:00", "meta")
    assert "jsonld" in evidence.agree


def test_jsonld_graph() -> None:
    html = page(
        ld(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {"@type": "WebSite", "name": "South Front"},
                    {
                        "@type": ["Article"],
                        "datePublished": "2020-10-27T10:00:00Z",
                        "dateModified": "2020-11-02T10:00:00Z",
                    },
                ],
            }
        )
    )
    assert published_date(html, now=NOW).value == "2020-10-27T10:00:00+00:00"


def test_article_object_beats_webpage() -> None:
    html = page(
        ld(
            [
                {"@type": "WebPage", "datePublished": "2019-01-01"},
                {"@type": "BlogPosting", "datePublished": "2020-10-27"},
            ]
        )
    )
    assert published_date(html, now=NOW).value == "2020-10-27"


def test_meta_tag() -> None:
    html = page('<meta property="article:published_time" content="2021-03-04T05:06:07-05:00">')
    evidence = published_date(html, now=NOW)
    assert (evidence.value, evidence.source) == ("2021-03-04T10:06:07+00:00", "meta")


def test_time_in_article_header() -> None:
    body = (
        '<aside><time datetime="2024-05-30">teaser</time></aside>'
        '<article><header><time datetime="2021-07-08T09:00:00Z">8 July</time></header><p>Text.</p></article>'
    )
    evidence = published_date(page(body=body), now=NOW)
    assert (evidence.value, evidence.source) == ("2021-07-08T09:00:00+00:00", "time")


def test_day_only_stays_day_only() -> None:
    assert (
        published_date(page('<meta name="date" content="2022-02-03">'), now=NOW).value
        == "2022-02-03"
    )


def test_time_without_offset_keeps_the_day() -> None:
    # A wall-clock time with no offset cannot be put in UTC honestly.
    assert (
        published_date(page('<meta name="pubdate" content="2022-02-03 23:50">'), now=NOW).value
        == "2022-02-03"
    )


def test_future_dates_are_dropped() -> None:
    html = page(
        ld({"@type": "NewsArticle", "datePublished": "2031-01-01"})
        + '<meta property="article:published_time" content="2024-05-02">'
    )
    assert published_date(html, now=NOW).value == "2024-05-02"


def test_dates_before_1995_are_dropped() -> None:
    html = page(
        ld({"@type": "NewsArticle", "datePublished": "1970-01-01T00:00:00Z"})
        + '<meta property="article:published_time" content="2019-04-05">'
    )
    assert published_date(html, now=NOW).value == "2019-04-05"


def test_two_agreeing_sources_beat_a_trusted_lone_one() -> None:
    html = page(
        ld({"@type": "NewsArticle", "datePublished": "2020-01-01"})
        + '<meta property="article:published_time" content="2020-10-27T08:00:00Z">',
        '<article><header><time datetime="2020-10-27">27 Oct</time></header><p>Text.</p></article>',
    )
    evidence = published_date(html, "https://a.test/2020/10/27/story", now=NOW)
    assert evidence.value == "2020-10-27T08:00:00+00:00"
    assert evidence.source == "meta" and "time" in evidence.agree and "url" in evidence.agree


def test_url_date_alone() -> None:
    evidence = published_date(
        page(body="<p>No dates here at all.</p>"), "https://a.test/2019/07/14/story.html", now=NOW
    )
    assert evidence is not None and evidence.day == "2019-07-14"


def test_no_date_and_bad_input() -> None:
    assert published_date(page(body="<p>Nothing.</p>"), "https://a.test/story", now=NOW) is None
    assert published_date("", now=NOW) is None


def test_given_tree_is_left_intact() -> None:
    html = page(
        '<meta property="article:published_time" content="2021-03-04">',
        "<article><header><time datetime='2021-03-04'>x</time></header><p>Text.</p></article>",
    )
    tree = lxml_html.document_fromstring(html)
    before = lxml_html.tostring(tree)
    assert published_date(html, "https://a.test/x", tree=tree, now=NOW).day == "2021-03-04"
    assert lxml_html.tostring(tree) == before


@pytest.mark.parametrize(
    "value,moment,day",
    [
        ("2020-10-27T14:03:00Z", "2020-10-27T14:03:00+00:00", date(2020, 10, 27)),
        ("2020-10-27 14:03:00+0200", "2020-10-27T14:03:00+02:00", date(2020, 10, 27)),
        ("2020-10-27T14:03:00.123-04:00", "2020-10-27T14:03:00-04:00", date(2020, 10, 27)),
        ("20201027", None, date(2020, 10, 27)),
        ("Tue, 27 Oct 2020", None, None),
    ],
)
def test_parse_datetime(value: str, moment: str | None, day: date | None) -> None:
    parsed = parse_datetime(value)
    if day is None:
        assert parsed is None
    else:
        assert parsed[1] == day
        assert (parsed[0].isoformat() if parsed[0] else None) == moment


@pytest.mark.skipif(
    not (FUNDUS / "test_data").is_dir(), reason=f"fundus test data absent: {FUNDUS}"
)
def test_beats_each_single_tool_on_real_pages() -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "accuracy_dates.py"),
            "--json",
            "--data",
            str(FUNDUS),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    tools = json.loads(out.stdout)["tools"]
    ours = tools["crosspost"]["right"]
    assert ours >= tools["trafilatura"]["right"], tools
    assert ours >= tools["htmldate"]["right"], tools
