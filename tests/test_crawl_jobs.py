"""Crawl jobs: outlets files, following credited sources, incremental re-crawls, --since,
WARC output, progress and the ``crawls`` listing. Real crawls in a subprocess, on loopback."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import contextmanager

import pytest
from conftest import FAST, ROOT, rows, run_cli
from scrapy.http import Request, XmlResponse

from crawler.crawl.outlets_file import OutletsFileError, load_outlets
from crawler.sampleweb import truth

SAMPLE_OUTLETS = ROOT / "examples" / "sample-outlets.toml"


@contextmanager
def generated_web(articles: int, outlets: int, edition: int):
    """The generated sample web in its own process; yields its proxy URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.sampleweb.generated", "--articles", str(articles),
         "--outlets", str(outlets), "--edition", str(edition)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("http://"), line
        yield line
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# -- outlets file ---------------------------------------------------------------------------
def test_outlets_file_parses_names_domains_and_limits(tmp_path):
    outlets = load_outlets(SAMPLE_OUTLETS)
    assert {e.name for e in outlets.outlets} == {o.name for o in truth.OUTLETS}
    assert set(truth.start_urls()) <= set(outlets.start_urls)
    assert outlets.limits()["southfront.test"]["max_pages"] == 500
    bad = tmp_path / "bad.toml"
    bad.write_text('[[outlet]]\nname = "X"\nstart = ["ftp://x.test/"]\n')
    with pytest.raises(OutletsFileError, match="not an http"):
        load_outlets(bad)
    bad.write_text('[[outlet]]\nname = "X"\ndomains = ["x.test"]\nmax_pages = -3\n')
    with pytest.raises(OutletsFileError, match="max_pages"):
        load_outlets(bad)


def test_malformed_outlets_file_is_a_usage_error(tmp_path):
    bad = tmp_path / "o.toml"
    bad.write_text("[[outlet]\n")
    result = run_cli(["crawl", "--db", str(tmp_path / "o.db"), "--outlets", str(bad)])
    assert result.returncode == 2
    assert "--outlets" in result.stderr and "Traceback" not in result.stderr


def test_outlets_file_crawl_stores_the_registry(sample_web, tmp_path):
    db = tmp_path / "reg.db"
    outlets = tmp_path / "two.toml"
    outlets.write_text(
        '[[outlet]]\nname = "South Front"\ndomains = ["southfront.test"]\n'
        'aliases = ["SouthFront"]\nstart = ["http://southfront.test/"]\nmax_pages = 12\n'
        '[[outlet]]\nname = "Wire Desk"\ndomains = ["newswire.test"]\n'
        'feeds = ["http://newswire.test/feed/"]\n'
    )
    result = run_cli(["crawl", "--db", str(db), "--outlets", str(outlets), *FAST,
                      "--no-follow-attribution"], proxy=sample_web.proxy_url)
    assert result.returncode == 0, result.stderr[-2000:]
    [state] = rows(db, "select value from state where key = 'outlets.registry'")
    registry = {e["name"]: e for e in json.loads(state["value"])}
    assert registry["South Front"] == {"name": "South Front", "domains": ["southfront.test"],
                                       "aliases": ["SouthFront"]}
    names = {r["domain"]: r["name"] for r in rows(db, "select domain, name from outlets")}
    assert names["newswire.test"] == "Wire Desk"
    # max_pages: requests admitted for South Front in this run
    [n] = rows(db, "select count(*) as n from frontier where outlet = 'southfront.test'")
    assert n["n"] <= 12


# -- following sources ----------------------------------------------------------------------
def test_global_research_alone_stores_the_south_front_originals_it_credits(sample_web, tmp_path):
    db = tmp_path / "gr.db"
    result = run_cli(["crawl", "--db", str(db), truth.outlet("globalresearch.test").start_url,
                      *FAST], proxy=sample_web.proxy_url)
    assert result.returncode == 0, result.stderr[-2000:]
    stored = {r["url"] for r in rows(db, "select url from articles")}
    credited = {r.origin_url for r in truth.RELATIONS
                if r.copy_url.startswith("http://www.globalresearch.test/")
                and r.origin_url.startswith("http://southfront.test/")}
    assert credited and credited <= stored
    assert truth.FLAGSHIP_ORIGIN_URL in stored
    # only the credited articles, not the rest of South Front
    southfront = {u for u in stored if u.startswith("http://southfront.test/")}
    assert southfront == credited
    via = rows(db, "select request from frontier where url = ?", (truth.FLAGSHIP_ORIGIN_URL,))
    assert json.loads(via[0]["request"])["meta"]["discovered_via"] == "attribution"


def test_no_follow_attribution_stays_on_the_job_outlets(sample_web, tmp_path):
    db = tmp_path / "nf.db"
    result = run_cli(["crawl", "--db", str(db), truth.outlet("globalresearch.test").start_url,
                      "--no-follow-attribution", *FAST], proxy=sample_web.proxy_url)
    assert result.returncode == 0, result.stderr[-2000:]
    outlets = {r["outlet"] for r in rows(db, "select distinct outlet from articles")}
    assert outlets == {"globalresearch.test"}


# -- discovery ------------------------------------------------------------------------------
def test_news_sitemap_publication_date_becomes_a_hint():
    from crawler.spiders.outlets import OutletSpider

    body = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        b"<loc>http://newswire.test/a/</loc><news:news><news:publication>"
        b"<news:name>Newswire</news:name></news:publication>"
        b"<news:publication_date>2021-02-18T21:05:00+00:00</news:publication_date>"
        b"</news:news></url></urlset>"
    )
    spider = OutletSpider(start="http://newswire.test/")
    response = XmlResponse("http://newswire.test/news-sitemap.xml", body=body,
                           request=Request("http://newswire.test/news-sitemap.xml"))
    requests = [r for r in spider.parse_sitemap(response) if isinstance(r, Request)]
    assert len(requests) == 1
    assert requests[0].meta["hints"]["news_publication_date"] == "2021-02-18T21:05:00+00:00"
    assert requests[0].meta["listed_date"] == "2021-02-18T21:05:00+00:00"


def test_since_skips_older_sitemap_and_feed_entries(sample_web, tmp_path):
    db = tmp_path / "since.db"
    result = run_cli(["crawl", "--db", str(db), *truth.start_urls(), "--since", "2021-01-01",
                      "--no-follow-links", "--no-follow-attribution", *FAST],
                     proxy=sample_web.proxy_url)
    assert result.returncode == 0, result.stderr[-2000:]
    stored = {r["url"] for r in rows(db, "select url from articles")}
    listed = set(truth.sitemap_article_urls()) | set(truth.feed_article_urls())
    newer = {a.url for a in truth.ARTICLES if a.url in listed and a.published >= "2021-01-01"}
    older = {a.url for a in truth.ARTICLES if a.published < "2020-12-01"}
    assert newer and newer <= stored
    assert not (older & stored)
    assert run_cli(["crawl", "--since", "yesterday", "http://a.test/"]).returncode == 2


# -- incremental re-crawl -------------------------------------------------------------------
def test_recrawl_fetches_only_new_or_changed_pages_and_keeps_versions(tmp_path):
    db = tmp_path / "inc.db"
    start = ["http://gen0.test/", "http://gen1.test/"]
    with generated_web(100, 2, edition=1) as proxy:
        first = run_cli(["crawl", "--db", str(db), *start, *FAST], proxy=proxy)
    assert first.returncode == 0, first.stderr[-2000:]
    before = {r["url"]: r for r in rows(db, "select * from articles")}
    assert len(before) == 100
    with generated_web(100, 2, edition=2) as proxy:
        second = run_cli(["crawl", "--db", str(db), *start, *FAST], proxy=proxy)
    assert second.returncode == 0, second.stderr[-2000:]
    [run1, run2] = rows(db, "select id, job from crawls order by id")
    assert run1["job"] == run2["job"]
    outcomes = {r["outcome"]: r["n"] for r in rows(
        db, "select outcome, count(*) as n from captures where crawl_id = ? group by outcome",
        (run2["id"],))}
    fetched_articles = outcomes.get("article", 0)
    # 2% new articles and every 25th changed; the rest is skipped or answered 304
    assert outcomes.get("not-modified", 0) > 0
    assert fetched_articles < 60
    after = {r["url"]: r for r in rows(db, "select * from articles")}
    assert len(after) == 102
    versions = rows(db, "select v.*, a.url from article_versions v "
                        "join articles a on a.id = v.article_id")
    changed = {v["url"] for v in versions}
    assert len(changed) >= 4
    for v in versions:
        assert v["version"] == 1
        assert v["text"] == before[v["url"]]["text"]
        assert "corrected after publication" in after[v["url"]]["text"]
        assert after[v["url"]]["first_seen"] == before[v["url"]]["first_seen"]
    unchanged = set(before) - changed
    assert all(after[u]["last_seen"] >= before[u]["last_seen"] for u in unchanged)


# -- WARC -----------------------------------------------------------------------------------
def test_warc_files_hold_every_exchange_and_read_back_with_warcio(sample_web, tmp_path):
    from warcio.archiveiterator import ArchiveIterator

    db, warcs = tmp_path / "w.db", tmp_path / "warc"
    before = len(sample_web.requests)
    result = run_cli(["crawl", "--db", str(db), truth.outlet("southfront.test").start_url,
                      "--warc", str(warcs), "--no-follow-attribution", *FAST],
                     proxy=sample_web.proxy_url)
    assert result.returncode == 0, result.stderr[-2000:]
    served = len(sample_web.requests) - before
    files = sorted(warcs.glob("*.warc.gz"))
    assert files
    kinds: dict[str, int] = {}
    responses = {}
    concurrent = set()
    for path in files:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                kinds[record.rec_type] = kinds.get(record.rec_type, 0) + 1
                if record.rec_type in ("request", "response"):
                    assert record.rec_headers.get_header("WARC-Target-URI").startswith("http://")
                    assert record.rec_headers.get_header("WARC-Date").endswith("Z")
                if record.rec_type == "response":
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    responses[uri] = (record.http_headers.get_statuscode(),
                                      record.content_stream().read())
                if record.rec_type == "request":
                    concurrent.add(record.rec_headers.get_header("WARC-Concurrent-To"))
    assert kinds["warcinfo"] == len(files)
    assert kinds["request"] == kinds["response"]
    # robots.txt fetched by the robots middleware goes through the downloader as well
    assert kinds["response"] == served
    status, body = responses[truth.FLAGSHIP_ORIGIN_URL]
    assert status == "200"
    assert b"<html" in body.lower()  # content-encoding decoded by the reader
    assert None not in concurrent


# -- progress and the crawls listing --------------------------------------------------------
def test_progress_line_and_crawls_listing(sample_web, tmp_path):
    db = tmp_path / "p.db"
    result = run_cli(["crawl", "--db", str(db), truth.outlet("dailyledger.test").start_url,
                      "--progress", "--no-follow-attribution", *FAST], proxy=sample_web.proxy_url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "pages fetched" in result.stderr and "pages/s" in result.stderr
    assert "articles stored" in result.stdout  # the summary table
    listing = run_cli(["crawls", "--db", str(db), "--json"])
    assert listing.returncode == 0, listing.stderr
    [crawl] = json.loads(listing.stdout)
    assert crawl["finish_reason"] == "finished"
    assert crawl["articles_stored"] == len(truth.articles_of("dailyledger.test"))
    assert crawl["pages_fetched"] > crawl["articles_stored"]
    text = run_cli(["crawls", "--db", str(db)])
    assert text.returncode == 0 and crawl["job"] in text.stdout


def test_progress_is_off_when_stderr_is_not_a_terminal(sample_web, tmp_path):
    result = run_cli(["crawl", "--db", str(tmp_path / "q.db"),
                      truth.outlet("dailyledger.test").start_url, "--no-follow-links",
                      "--no-follow-attribution", *FAST], proxy=sample_web.proxy_url)
    assert result.returncode == 0
    assert "pages/s" not in result.stderr
