"""The sample web over real HTTP on 127.0.0.1: proxy routing, discovery documents, article
pages, conditional requests, fault paths, and the ground-truth manifest."""

from __future__ import annotations

import gzip
import html
import http.client
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import deque
from datetime import datetime
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pytest
from lxml import etree
from lxml import html as lxml_html

from crawler.sampleweb import SampleWeb, truth
from crawler.sampleweb.quirks import CP1251_TITLE, WRONG_CHARSET_TITLE, huge_length

TIMEOUT = 10
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
REPO = Path(__file__).resolve().parents[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def web():
    with SampleWeb() as server:
        yield server


class Fetcher:
    def __init__(self, proxy_url: str) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({"http": proxy_url}), _NoRedirect()
        )

    def __call__(
        self, url: str, headers: dict | None = None, method: str = "GET", timeout: float = TIMEOUT
    ):
        req = urllib.request.Request(url, headers=headers or {}, method=method)
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as err:
            with err:
                return err.code, err.headers, err.read()


@pytest.fixture(scope="module")
def fetch(web):
    return Fetcher(web.proxy_url)


def _text(body: bytes) -> str:
    return " ".join(lxml_html.fromstring(body).text_content().split())


def _shingles(text: str, k: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}


def _jaccard(a: str, b: str) -> float:
    x, y = _shingles(a), _shingles(b)
    return len(x & y) / len(x | y)


# ------------------------------------------------------------------ routing
def test_proxy_routes_absolute_uri(fetch):
    status, headers, body = fetch("http://southfront.test/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=UTF-8"
    assert int(headers["Content-Length"]) == len(body)
    assert b"South Front" in body


def test_host_header_routing(web):
    conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=TIMEOUT)
    try:
        conn.request("GET", "/robots.txt", headers={"Host": "dailyledger.test"})
        resp = conn.getresponse()
        body = resp.read()
        assert resp.status == 200
        assert b"Sitemap: http://dailyledger.test/sitemap_index.xml" in body
        # Keep-alive: a second request on the same connection, another host.
        conn.request("GET", "/robots.txt", headers={"Host": "newswire.test:80"})
        resp = conn.getresponse()
        assert resp.status == 200 and b"news-sitemap.xml" in resp.read()
    finally:
        conn.close()


def test_unknown_host_is_502(fetch, web):
    status, headers, body = fetch("http://example.com/")
    assert status == 502
    assert headers["Content-Type"].startswith("text/plain")
    assert len(body) < 300
    assert ("example.com", "/", 502) in web.requests


def test_connect_is_refused(web):
    with socket.create_connection(("127.0.0.1", web.port), timeout=TIMEOUT) as sock:
        sock.sendall(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
        assert sock.recv(64).startswith(b"HTTP/1.1 502")


def test_www_variants_redirect_to_canonical_host(fetch):
    for url, target in truth.WWW_REDIRECTS.items():
        status, headers, _ = fetch(url)
        assert status == 301 and headers["Location"] == target
    status, headers, _ = fetch("http://globalresearch.test/feed/")
    assert headers["Location"] == "http://www.globalresearch.test/feed/"


def test_post_is_not_allowed(web):
    conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=TIMEOUT)
    try:
        conn.request("POST", "http://southfront.test/newsletter/subscribe/", body=b"email=x")
        assert conn.getresponse().status == 405
    finally:
        conn.close()


# ------------------------------------------------------------------ discovery documents
def test_robots_txt(fetch):
    for o in truth.OUTLETS:
        status, headers, body = fetch(o.robots_url)
        assert status == 200 and headers["Content-Type"].startswith("text/plain")
        rp = RobotFileParser()
        rp.parse(body.decode().splitlines())
        assert rp.site_maps() == list(o.sitemap_urls)
        assert not rp.can_fetch("crosspost", o.disallowed_url)
        assert rp.can_fetch("crosspost", o.start_url)
        for a in truth.articles_of(o.domain):
            assert rp.can_fetch("crosspost", a.url)


def test_sitemaps_are_well_formed_and_complete(fetch):
    for o in truth.OUTLETS:
        status, _, body = fetch(o.sitemap_urls[0])
        assert status == 200
        index = etree.fromstring(body)
        assert index.tag == f"{SM}sitemapindex"
        locs = [e.findtext(f"{SM}loc") for e in index.iter(f"{SM}sitemap")]
        assert all(e.findtext(f"{SM}lastmod") for e in index.iter(f"{SM}sitemap"))
        assert [u for u in locs if "/post-sitemap" in u] == list(o.post_sitemap_urls)
        listed: list[str] = []
        for sm in o.post_sitemap_urls:
            status, _, body = fetch(sm)
            assert status == 200
            for url in etree.fromstring(body).iter(f"{SM}url"):
                listed.append(url.findtext(f"{SM}loc"))
                assert datetime.fromisoformat(url.findtext(f"{SM}lastmod")).tzinfo is not None
        expected = {a.url for a in truth.articles_of(o.domain) if a.in_sitemap}
        expected |= {u for u in truth.SITEMAP_404_URLS if urlsplit(u).hostname == o.host}
        assert sorted(listed) == sorted(expected)
        for other in locs:
            status, _, body = fetch(other)
            assert status == 200
            etree.fromstring(body)


def test_news_sitemap(fetch):
    status, _, body = fetch("http://newswire.test/news-sitemap.xml")
    assert status == 200
    dates = [e.text for e in etree.fromstring(body).iter(f"{NEWS}publication_date")]
    assert len(dates) == len([a for a in truth.articles_of("newswire.test") if a.in_sitemap])
    assert all(datetime.fromisoformat(d).tzinfo is not None for d in dates)


def test_sitemap_404_urls(fetch):
    assert truth.SITEMAP_404_URLS
    for url in truth.SITEMAP_404_URLS:
        status, _, body = fetch(url)
        assert status == 404 and b"can\xe2\x80\x99t be found" in body


def test_feeds(fetch):
    for o in truth.OUTLETS:
        status, headers, body = fetch(o.feed_url)
        assert status == 200
        if o.feed_format == "broken":
            assert o.feed_url in truth.BROKEN_FEED_URLS
            with pytest.raises(etree.XMLSyntaxError):
                etree.fromstring(body)
            continue
        root = etree.fromstring(body)
        if o.feed_format == "atom":
            assert headers["Content-Type"].startswith("application/atom+xml")
            links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]
        else:
            assert headers["Content-Type"].startswith("application/rss+xml")
            links = [i.findtext("link") for i in root.iter("item")]
        assert sorted(links) == sorted(a.url for a in truth.articles_of(o.domain) if a.in_feed)


def test_feed_shortlink_redirects(fetch):
    status, headers, _ = fetch("http://southfront.test/?p=80112")
    assert status == 301 and headers["Location"] == truth.FLAGSHIP_ORIGIN_URL


# ------------------------------------------------------------------ article pages
def test_every_article_page(fetch):
    for a in truth.ARTICLES:
        status, headers, body = fetch(a.url)
        assert status == 200, a.url
        doc = lxml_html.fromstring(body)
        assert doc.xpath("string(//h1)") == a.title
        assert doc.xpath('string(//meta[@property="og:title"]/@content)') == a.title
        assert doc.xpath('string(//meta[@property="og:site_name"]/@content)') == a.name
        assert doc.xpath('string(//meta[@property="og:type"]/@content)') == "article"
        assert (
            doc.xpath('string(//meta[@property="article:published_time"]/@content)') == a.published
        )
        assert doc.xpath('string(//link[@rel="canonical"]/@href)') == a.declared_canonical
        feed = doc.xpath('//link[@rel="alternate"]/@href')
        assert feed == [truth.outlet(a.outlet).feed_url]
        ld = json.loads(doc.xpath('string(//script[@type="application/ld+json"])'))
        assert ld["@type"] == "NewsArticle" and ld["headline"] == a.title
        assert ld["datePublished"] == a.published and ld["publisher"]["name"] == a.name
        assert ld["author"]["name"] == a.author
        assert headers["Last-Modified"] and headers["ETag"]
        page = _text(body)
        for para in a.text.split("\n\n"):
            if not para.startswith("http"):
                assert " ".join(para.split()) in page, (a.url, para[:40])


def test_dates_are_plausible_and_copies_come_later():
    for a in truth.ARTICLES:
        when = datetime.fromisoformat(a.published)
        assert when.tzinfo is not None and 2020 <= when.year <= 2021
    for r in truth.RELATIONS:
        copy, origin = truth.article(r.copy_url), truth.article(r.origin_url)
        assert datetime.fromisoformat(copy.published) > datetime.fromisoformat(origin.published)


def test_global_research_sitewide_text_on_every_page(fetch):
    gr = truth.outlet("globalresearch.test")
    pages = [a.url for a in truth.articles_of(gr.domain)]
    pages += [gr.start_url, gr.start_url + "category/global-economy/", gr.start_url + "about/"]
    assert len(pages) >= 9
    for url in pages:
        status, _, body = fetch(url)
        assert status == 200
        text = _text(body)
        for para in truth.GR_SITEWIDE_TEXT:
            assert " ".join(para.split()) in text, url


def test_flagship_crosspost_follows_global_research_conventions(fetch):
    status, _, body = fetch(truth.FLAGSHIP_COPY_URL)
    assert status == 200
    text = _text(body)
    origin = truth.article(truth.FLAGSHIP_ORIGIN_URL)
    for needle in (
        "By South Front",
        "Global Research, October 28, 2020",
        "South Front 27 October 2020",
        "Region: Asia, Europe",
        "Theme: Intelligence, Militarization and WMD",
        "The original source of this article is South Front",
        "Copyright © South Front, South Front, 2020",
        "SUPPORT SOUTHFRONT",
        "Articles by: South Front",
    ):
        assert needle in text, needle
    doc = lxml_html.fromstring(body)
    credit = doc.xpath('//p[starts-with(normalize-space(), "The original source")]/a/@href')
    assert credit == [origin.url]
    assert origin.published_date == "2020-10-27"
    assert truth.article(truth.FLAGSHIP_COPY_URL).published_date == "2020-10-28"
    assert len(truth.articles_of("globalresearch.test")) >= 6


def test_attribution_statements_and_canonicals(fetch):
    for r in truth.RELATIONS:
        _, _, body = fetch(r.copy_url)
        text = _text(body)
        statement = truth.ATTRIBUTIONS.get(r.copy_url)
        assert (statement is not None) == r.credited, r
        if statement:
            assert statement in text, r
        canonical = lxml_html.fromstring(body).xpath('string(//link[@rel="canonical"]/@href)')
        assert (canonical == r.origin_url) == (r.kind == "canonical-copy")
    kinds = {r.kind for r in truth.RELATIONS}
    assert kinds == set(truth.KINDS)
    for phrase in (
        "first appeared on",
        "Source: http://",
        "Republished from",
        "via South Front",
        "originally published on",
        "Read more at",
    ):
        assert any(phrase in s for s in truth.ATTRIBUTIONS.values()), phrase


def test_planted_text_relationships():
    def body(url: str) -> str:
        return truth.article(url).text

    for r in truth.relations("edited-copy"):
        assert 0.3 < _jaccard(body(r.copy_url), body(r.origin_url)) < 0.9
    for r in truth.relations("excerpt"):
        copy, origin = body(r.copy_url), body(r.origin_url)
        first = copy.split("\n\n")[0]
        assert origin.startswith(first)
        assert len(copy) < len(origin) / 2
    for r in truth.relations("copy") + truth.relations("chain") + truth.relations("canonical-copy"):
        assert body(r.origin_url).split("\n\n")[0] in body(r.copy_url)
    wire = truth.relations("wire")
    assert len({r.copy_url for r in wire if r.origin_url == wire[0].origin_url}) >= 3
    for r in wire:
        assert "(Newswire Press) —" in body(r.copy_url)
    for a, b in truth.INDEPENDENT_PAIRS:
        assert _jaccard(body(a), body(b)) < 0.05
        assert truth.origin_of(a) is None and truth.origin_of(b) is None
    chain = truth.CHAINS[0]
    assert truth.origin_of(chain[2]) == chain[1] and truth.origin_of(chain[1]) == chain[0]
    assert truth.root_origin(chain[2]) == chain[0]


def test_amp_and_tracking_variants_point_to_canonical(fetch):
    assert truth.AMP_URLS and truth.TRACKING_URLS
    for variant, canonical in list(truth.AMP_URLS.items()) + list(truth.TRACKING_URLS.items()):
        status, _, body = fetch(variant)
        assert status == 200, variant
        doc = lxml_html.fromstring(body)
        assert (
            doc.xpath('string(//link[@rel="canonical"]/@href)')
            == truth.article(canonical).declared_canonical
        )
        assert doc.xpath("string(//h1)") == truth.article(canonical).title


def test_pagination(fetch):
    status, _, body = fetch("http://southfront.test/category/military-analysis/page/2/")
    assert status == 200
    links = set(lxml_html.fromstring(body).xpath('//h2[@class="entry-title"]/a/@href'))
    assert links and links <= set(truth.all_article_urls())
    assert fetch("http://southfront.test/category/military-analysis/page/9/")[0] == 404
    assert fetch("http://southfront.test/page/2/")[0] == 200
    status, headers, _ = fetch("http://southfront.test/category/military-analysis")
    assert status == 301 and headers["Location"].endswith("/category/military-analysis/")


def _crawl(fetch, start: str) -> tuple[set[str], set[str]]:
    """Breadth-first crawl of one outlet honouring robots.txt; returns (pages, external links)."""
    host = urlsplit(start).hostname
    rp = RobotFileParser()
    rp.parse(fetch(urljoin(start, "/robots.txt"))[2].decode().splitlines())
    seen, external = {start}, set()
    queue = deque([start])
    while queue:
        url = queue.popleft()
        status, headers, body = fetch(url)
        if status != 200 or not headers["Content-Type"].startswith("text/html"):
            continue
        for href in lxml_html.fromstring(body).xpath("//a/@href"):
            link = urldefrag(urljoin(url, href))[0]
            parts = urlsplit(link)
            if parts.scheme != "http":
                continue
            if parts.hostname != host:
                external.add(link)
                continue
            link = link.split("?")[0]
            if link not in seen and rp.can_fetch("crosspost", link):
                seen.add(link)
                queue.append(link)
    return seen, external


def test_link_following_finds_every_article_and_respects_robots(fetch, web):
    all_external: set[str] = set()
    for o in truth.OUTLETS:
        pages, external = _crawl(fetch, o.start_url)
        all_external |= external
        assert {a.url for a in truth.articles_of(o.domain)} <= pages, o.domain
    for url in truth.ROBOTS_DISALLOWED_URLS:
        parts = urlsplit(url)
        assert not any(h == parts.hostname and p.startswith(parts.path) for h, p, _ in web.requests)
    assert not any("quirks.test" in u for u in all_external)
    # Links-only articles exist and are outside sitemaps and feeds.
    assert len(truth.links_only_urls()) >= 3
    assert not set(truth.links_only_urls()) & set(truth.sitemap_article_urls())
    # Attribution links lead to other outlets.
    assert truth.FLAGSHIP_ORIGIN_URL in all_external


def test_disallowed_pages_are_real_and_linked(fetch):
    for o in truth.OUTLETS:
        assert fetch(o.disallowed_url)[0] == 200
        _, _, body = fetch(o.start_url)
        assert o.disallowed_url in lxml_html.fromstring(body).xpath("//a/@href")


# ------------------------------------------------------------------ HTTP semantics
def test_conditional_get_head_and_gzip(fetch):
    url = truth.FLAGSHIP_ORIGIN_URL
    status, headers, body = fetch(url)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert modified == "Tue, 27 Oct 2020 10:40:00 GMT"
    assert fetch(url, {"If-None-Match": etag})[0] == 304
    assert fetch(url, {"If-None-Match": '"nope"'})[0] == 200
    assert fetch(url, {"If-Modified-Since": modified})[0] == 304
    assert fetch(url, {"If-Modified-Since": "Mon, 26 Oct 2020 10:40:00 GMT"})[0] == 200
    status, headers, head_body = fetch(url, method="HEAD")
    assert status == 200 and head_body == b"" and int(headers["Content-Length"]) == len(body)
    status, headers, zipped = fetch(url, {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped) == body
    assert fetch(url)[2] == body  # stable bytes across requests


# ------------------------------------------------------------------ quirks.test
def test_quirks_charsets(fetch):
    status, headers, body = fetch(truth.QUIRKS["cp1251"])
    assert status == 200 and headers["Content-Type"] == "text/html"
    assert b'charset="windows-1251"' in body and CP1251_TITLE in body.decode("cp1251")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    _, headers, body = fetch(truth.QUIRKS["wrong_charset"])
    assert headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert WRONG_CHARSET_TITLE in body.decode("utf-8")


def test_quirks_bodies(fetch):
    status, headers, body = fetch(truth.QUIRKS["binary"])
    assert status == 200 and headers["Content-Type"].startswith("text/html") and len(body) == 4096
    status, headers, body = fetch(truth.QUIRKS["empty"])
    assert status == 200 and body == b"" and headers["Content-Length"] == "0"
    status, headers, body = fetch(truth.QUIRKS["pdf"])
    assert headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF-")
    status, headers, _ = fetch(truth.QUIRKS["huge"], method="HEAD")
    assert int(headers["Content-Length"]) == huge_length(20) == 20 * 1024 * 1024
    status, headers, body = fetch(truth.QUIRKS["huge"], timeout=30)
    assert len(body) == 20 * 1024 * 1024 and body.rstrip().endswith(b"</html>")
    status, headers, body = fetch(truth.QUIRKS["huge"] + "?mb=1")
    assert len(body) == 1024 * 1024


def test_quirks_redirect_loop(fetch):
    status, headers, _ = fetch(truth.QUIRKS["redirect_loop"])
    assert status == 302
    status2, headers2, _ = fetch(headers["Location"])
    assert status2 == 302 and headers2["Location"] == truth.QUIRKS["redirect_loop"]


def test_quirks_slow_page(fetch):
    start = time.monotonic()
    status, _, body = fetch(truth.QUIRKS["slow"] + "?seconds=1")
    assert status == 200 and body.endswith(b"<!-- done -->\n")
    assert 1.0 <= time.monotonic() - start < 8
    with pytest.raises((TimeoutError, socket.timeout)):
        fetch(truth.QUIRKS["slow"] + "?seconds=3", timeout=0.5)


def test_quirks_retryable_errors(fetch):
    key = uuid.uuid4().hex
    assert fetch(truth.QUIRKS["flaky"] + f"?k={key}")[0] == 500
    assert fetch(truth.QUIRKS["flaky"] + f"?k={key}")[0] == 200
    status, headers, _ = fetch(truth.QUIRKS["rate_limited"] + f"?k={key}")
    assert status == 429 and headers["Retry-After"] == "1"
    assert fetch(truth.QUIRKS["rate_limited"] + f"?k={key}")[0] == 200
    for _ in range(2):
        status, headers, _ = fetch(truth.QUIRKS["always_429"])
        assert status == 429 and headers["Retry-After"] == "1"


def test_quirks_counters_are_per_server():
    with SampleWeb() as other:
        assert Fetcher(other.proxy_url)(truth.QUIRKS["flaky"])[0] == 500


# ------------------------------------------------------------------ manifest
def test_truth_manifest_shape():
    assert len(truth.OUTLETS) >= 6 and len(truth.ARTICLES) >= 40
    urls = truth.all_article_urls()
    assert len(urls) == len(set(urls))
    for r in truth.RELATIONS:
        assert r.kind in truth.KINDS
        assert truth.article(r.copy_url) and truth.article(r.origin_url)
        assert len(r) == 4  # (copy_url, origin_url, kind, credited)
    originals = [a for a in truth.ARTICLES if truth.origin_of(a.url) is None]
    assert len(originals) >= 20
    assert all(len(a.text.split()) >= 150 for a in originals)
    assert truth.outlet("www.globalresearch.test").host == "www.globalresearch.test"
    assert truth.outlet("globalresearch.test").domain == "globalresearch.test"
    assert truth.story_family(truth.FLAGSHIP_ORIGIN_URL) == {
        truth.FLAGSHIP_ORIGIN_URL,
        truth.FLAGSHIP_COPY_URL,
    }
    assert set(truth.QUIRKS) >= {
        "cp1251",
        "wrong_charset",
        "binary",
        "empty",
        "huge",
        "pdf",
        "redirect_loop",
        "slow",
        "flaky",
        "rate_limited",
    }


# ------------------------------------------------------------------ command line
def test_module_runs_as_a_subprocess():
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.sampleweb", "--port", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout=20)
        assert line and re.fullmatch(r"http://127\.0\.0\.1:\d+\n", line[0]), line
        status, _, body = Fetcher(line[0].strip())(truth.FLAGSHIP_COPY_URL)
        assert status == 200 and html.escape("South Front") in body.decode()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    assert proc.stderr.read() == ""  # no request log without --verbose
