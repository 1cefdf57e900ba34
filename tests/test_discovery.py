"""Telling listing pages from articles, and reading feeds safely."""

import pytest

from crawler.crawl.discovery import BrokenFeed, is_listing_url, parse_feed, start_kind


@pytest.mark.parametrize(
    "url",
    [
        "http://a.test/",
        "http://a.test/category/world/",
        "http://a.test/category/world/page/3/",
        "http://a.test/tag/nato/",
        "http://a.test/author/jane-doe/",
        "http://a.test/feed/",
        "http://a.test/2020/10/",
        "http://a.test/?s=ceasefire",
    ],
)
def test_listing_pages_are_not_articles(url):
    assert is_listing_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://a.test/2020/10/27/ceasefire-collapses/",
        "http://a.test/news/ceasefire-collapses",
        "http://a.test/ceasefire-collapses/5728999",
    ],
)
def test_article_urls_are_articles(url):
    assert not is_listing_url(url)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://a.test/", "site"),
        ("http://a.test/robots.txt", "robots"),
        ("http://a.test/sitemap_index.xml", "sitemap"),
        ("http://a.test/post-sitemap.xml.gz", "sitemap"),
        ("http://a.test/feed/", "feed"),
        ("http://a.test/news.rss", "feed"),
        ("http://a.test/2020/10/27/story/", "page"),
    ],
)
def test_start_kinds(url, kind):
    assert start_kind(url) == kind


def test_rss_and_atom_entries():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
      <item><link>http://a.test/one/</link><pubDate>Tue, 27 Oct 2020 10:00:00 +0000</pubDate></item>
      <item><link>/two/</link></item></channel></rss>"""
    entries = parse_feed(rss, "http://a.test/feed/")
    assert [e["url"] for e in entries] == ["http://a.test/one/", "http://a.test/two/"]
    assert entries[0]["published"].startswith("Tue, 27 Oct 2020")
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry>
      <link rel="alternate" href="http://a.test/three/"/><published>2020-10-27T10:00:00Z</published>
      </entry></feed>"""
    assert parse_feed(atom, "http://a.test/")[0] == {
        "url": "http://a.test/three/", "published": "2020-10-27T10:00:00Z"}


@pytest.mark.parametrize(
    "body", [b"<html><body>not a feed</body></html>", b"", b"\x00\x01binary", b"<rss><channel><item>"],
)
def test_broken_feeds_raise_a_clear_error(body):
    try:
        entries = parse_feed(body, "http://a.test/feed/")
    except BrokenFeed as exc:
        assert str(exc)
    else:  # lxml's recovering parser may salvage a truncated feed, but never invents entries
        assert entries == []


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xxe = f"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>
      <rss><channel><item><link>http://a.test/&x;</link></item></channel></rss>""".encode()
    entries = parse_feed(xxe, "http://a.test/feed/")
    assert all("TOPSECRET" not in e["url"] for e in entries)
