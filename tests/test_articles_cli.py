"""`crosspost articles`: the stored articles themselves, and the pages that failed, streamed."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from conftest import ROOT, rows, run_cli

from crawler.sampleweb import truth
from crawler.store.exports import ARTICLE_COLUMNS, FAILED_COLUMNS, FAMILY_COLUMNS


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_every_article_with_its_metadata_credits_and_family(full_crawl):
    db, _, _ = full_crawl
    result = run_cli(["articles", "--db", str(db)])
    assert result.returncode == 0, result.stderr
    records = _jsonl(result.stdout)
    by_url = {r["url"]: r for r in records}
    assert len(records) == len(by_url) == len(truth.ARTICLES)
    assert f"{len(truth.ARTICLES)} articles written" in result.stderr
    for info in truth.ARTICLES:
        # the article's key: its own URL, or its canonical one on the same outlet
        record = next(r for url in (info.url, info.declared_canonical) if (r := by_url.get(url))
                      and r["outlet"] == info.outlet)
        assert record["title"] == info.title and record["text"]
    copy = by_url[truth.FLAGSHIP_COPY_URL]
    assert any("The original source of this article is South Front" in c["sentence"]
               for c in copy["credits"])
    family = copy["family"]
    assert family["role"] == "copy" and family["origin_url"] == truth.FLAGSHIP_ORIGIN_URL
    assert family["copied_from"] == truth.FLAGSHIP_ORIGIN_URL and family["attributed"] is True
    assert family["basis"] and family["lag_hours"] > 0
    # every copy the sample web planted names the article it was copied from
    for relation in truth.relations():
        got = by_url[relation.copy_url]["family"]
        assert got is not None and got["role"] == "copy", relation
    assert by_url[truth.FLAGSHIP_ORIGIN_URL]["family"]["role"] == "origin"


def test_csv_columns_filters_and_output_file(full_crawl, tmp_path):
    db, _, _ = full_crawl
    out = tmp_path / "articles.csv"
    result = run_cli(["articles", "--db", str(db), "-o", str(out), "--no-text",
                      "--outlet", "globalresearch.test", "--since", "2020-10-01",
                      "--until", "2020-10-31"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [c for c in ARTICLE_COLUMNS if c != "text"] + ["credits"] + [
        c if c.startswith("family") else f"family_{c}" for c in FAMILY_COLUMNS]
    expected = {a.url for a in truth.articles_of("globalresearch.test")
                if "2020-10-01" <= a.published_date <= "2020-10-31"}
    assert expected and {r["url"] for r in table} == expected
    assert all(r["published_at"][:7] == "2020-10" for r in table)
    copy = next(r for r in table if r["url"] == truth.FLAGSHIP_COPY_URL)
    assert copy["family_origin_url"] == truth.FLAGSHIP_ORIGIN_URL
    assert json.loads(copy["credits"])
    assert not list(tmp_path.glob(".*partial"))


def test_outlet_by_name_and_unknown_outlet(full_crawl):
    db, _, _ = full_crawl
    name, domain = rows(db, "select name, domain from outlets where name is not null "
                            "and domain = 'southfront.test'")[0]
    by_name = run_cli(["articles", "--db", str(db), "--outlet", name, "--no-text"])
    assert by_name.returncode == 0, by_name.stderr
    assert {r["outlet"] for r in _jsonl(by_name.stdout)} == {domain}
    unknown = run_cli(["articles", "--db", str(db), "--outlet", "southfrnt"])
    assert unknown.returncode == 2 and "no outlet 'southfrnt'" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_failed_and_skipped_pages_with_their_reasons(full_crawl):
    db, _, _ = full_crawl
    result = run_cli(["articles", "--db", str(db), "--failed", "--format", "csv"])
    assert result.returncode == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(table[0]) == list(FAILED_COLUMNS)
    stored = rows(db, "select distinct url from captures c where outcome in "
                      "('error', 'skipped', 'not-fetched') and id = "
                      "(select max(id) from captures where url = c.url)")
    assert {r["url"] for r in table} == {r["url"] for r in stored} and table
    assert all(r["reason"] and r["outcome"] for r in table)
    article_urls = {r["url"] for r in rows(db, "select url from articles")}
    assert not article_urls & {r["url"] for r in table}


def test_missing_store_is_named_and_not_created(tmp_path):
    db = tmp_path / "nowhere" / "x.db"
    result = run_cli(["articles", "--db", str(db)])
    assert result.returncode == 1
    assert "no store at" in result.stderr and "crosspost crawl" in result.stderr
    assert not db.exists() and not db.parent.exists()


def _peak_rss_mib(args: list[str]) -> float:
    """The command's own high-water mark (VmHWM of its address space: getrusage's maxrss of
    a child would count the memory of this test process it was forked from)."""
    from benchmarks.bench_articles import CLI

    result = subprocess.run([sys.executable, "-c", CLI, *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    kib = [int(line.split()[1]) for line in result.stderr.splitlines()
           if line.startswith("PEAK_KIB ")]
    return kib[-1] / 1024


def test_memory_stays_flat_as_the_store_grows(tmp_path):
    from benchmarks.bench_ingest import generate

    peaks = {}
    for n in (1_000, 12_000):
        corpus, db = tmp_path / f"c{n}.jsonl", tmp_path / f"s{n}.db"
        generate(corpus, n)
        made = run_cli(["ingest", "--db", str(db), str(corpus), "--silent", "--no-match"],
                       timeout=600)
        assert made.returncode == 0, made.stderr[-2000:]
        corpus.unlink()
        peaks[n] = _peak_rss_mib(["articles", "--db", str(db)])
    # twelve times the articles (about 60 MB more text): the same memory, within noise
    assert peaks[12_000] < peaks[1_000] + 15, peaks
