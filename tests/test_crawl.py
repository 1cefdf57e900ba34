"""Real crawls of the sample web, asserted on the SQLite rows they leave."""

from __future__ import annotations

import json
from datetime import datetime

from conftest import FAST, rows, run_cli

from crawler.sampleweb import truth


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_every_article_is_stored_once_by_canonical_url(full_crawl):
    db, _, _ = full_crawl
    stored = [r["url"] for r in rows(db, "select url from articles")]
    assert len(stored) == len(set(stored))
    assert set(stored) == set(truth.all_article_urls())


def test_articles_carry_outlet_title_and_published_date(full_crawl):
    db, _, _ = full_crawl
    by_url = {r["url"]: r for r in rows(db, "select * from articles")}
    for info in truth.ARTICLES:
        row = by_url[info.url]
        assert row["outlet"] == info.outlet
        assert row["title"] == info.title
        assert _utc(row["published_at"]) == _utc(info.published), info.url
        assert row["date_source"]


def test_robots_disallowed_pages_are_never_fetched(full_crawl):
    db, _, requests = full_crawl
    fetched = {f"http://{host}{path}" for host, path, _ in requests}
    for url in truth.ROBOTS_DISALLOWED_URLS:
        assert url not in fetched
    blocked = rows(db, "select url, reason from captures where outcome = 'not-fetched'")
    assert {r["url"] for r in blocked} >= set(truth.ROBOTS_DISALLOWED_URLS)
    assert all("robots.txt" in r["reason"] for r in blocked)


def test_discovery_uses_sitemaps_feeds_and_links(full_crawl):
    _, _, requests = full_crawl
    fetched = {(host, path) for host, path, _ in requests}
    assert all(("robots.txt" in path) or True for _, path in fetched)
    for outlet in truth.OUTLETS:
        host = outlet.host
        assert (host, "/robots.txt") in fetched
        for sitemap in outlet.sitemap_urls:
            assert (host, sitemap.split(host, 1)[1]) in fetched
    # links-only articles can only have been found by following links within an outlet
    stored_links_only = set(truth.links_only_urls())
    assert stored_links_only, "the sample web plants links-only articles"


def test_tracking_and_amp_variants_collapse_to_one_article(full_crawl):
    db, _, requests = full_crawl
    stored = {r["url"] for r in rows(db, "select url from articles")}
    for variant, canonical in {**truth.TRACKING_URLS, **truth.AMP_URLS}.items():
        assert variant not in stored
        assert canonical in stored
    fetched = {f"http://{h}{p}" for h, p, _ in requests}
    # tracking-parameter links are fetched once, under their canonical URL
    assert not any("utm_source" in url for url in fetched)


def test_global_research_footer_is_kept_for_the_attribution_parser(full_crawl):
    db, _, _ = full_crawl
    [row] = rows(db, "select * from articles where url = ?", (truth.FLAGSHIP_COPY_URL,))
    lines = json.loads(row["attribution_lines"])
    assert "The original source of this article is South Front" in lines
    assert row["outlet"] == "globalresearch.test"
    assert row["author"] == "South Front"
    assert row["sitename"] == "Global Research"
    assert "The original source of this article is South Front" in row["text"]


def test_broken_pages_are_recorded_with_their_reason(full_crawl):
    db, _, _ = full_crawl
    reasons = {r["url"]: r["reason"] for r in rows(db, "select url, reason from captures "
                                                       "where outcome != 'article'")}
    for url in truth.SITEMAP_404_URLS:
        assert reasons[url] == "HTTP 404"
    for url in truth.BROKEN_FEED_URLS:
        assert reasons[url].startswith("broken feed")


def test_crawl_job_is_recorded(full_crawl):
    db, result, _ = full_crawl
    [crawl] = rows(db, "select * from crawls")
    assert crawl["finish_reason"] == "finished"
    assert crawl["ended_at"] >= crawl["started_at"]
    args = json.loads(crawl["args"])
    assert args["start"] == list(truth.start_urls())
    stats = json.loads(crawl["stats"])
    assert stats["crosspost/articles_stored"] >= len(truth.ARTICLES)
    assert json.loads(crawl["settings"])["DOWNLOAD_DELAY"] == "0"
    assert f"{len(truth.ARTICLES)} articles from {len(truth.OUTLETS)} outlets" in result.stdout


def test_captures_keep_raw_html(full_crawl):
    import zlib

    db, _, _ = full_crawl
    [row] = rows(db, "select c.body from captures c join articles a on a.capture_id = c.id "
                     "where a.url = ?", (truth.FLAGSHIP_ORIGIN_URL,))
    html = zlib.decompress(row["body"]).decode("utf-8")
    assert "<link rel=\"canonical\"" in html or "rel='canonical'" in html


def test_recrawl_stores_nothing_twice(sample_web, tmp_path):
    db = tmp_path / "again.db"
    start = [truth.outlet("southfront.test").start_url]
    for _ in range(2):
        result = run_cli(["crawl", "--db", str(db), *start, *FAST], proxy=sample_web.proxy_url)
        assert result.returncode == 0, result.stderr[-2000:]
    urls = [r["url"] for r in rows(db, "select url from articles")]
    assert len(urls) == len(set(urls)) == len(truth.articles_of("southfront.test"))
    assert len(rows(db, "select id from crawls")) == 2


def test_scrapy_crawl_from_the_repo_root_runs_the_same_spider(sample_web, tmp_path):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    db = tmp_path / "scrapy.db"
    env = {**os.environ, "http_proxy": sample_web.proxy_url}
    env.pop("no_proxy", None)
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "outlets",
         "-a", f"start={truth.outlet('southfront.test').start_url}",
         "-s", f"CROSSPOST_DB={db}", "-s", "LOG_LEVEL=WARNING", *FAST],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(rows(db, "select id from articles")) == len(truth.articles_of("southfront.test"))
