"""`crosspost ingest` of WARC files: real Common Crawl, ClueWeb and wget files, and the
WARC files `crosspost crawl --warc` writes, which must give the crawl's own articles."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import FAST, SHARED_DATA, rows, run_cli

from crawler.cli import cli
from crawler.sampleweb import truth

SAMPLES = SHARED_DATA / "warc_samples"


def ingest(*args: str):
    return CliRunner().invoke(cli, ["ingest", "--silent", "--jobs", "1", *args],
                              catch_exceptions=False)  # fmt: skip


@pytest.fixture(scope="module")
def real_warcs(tmp_path_factory):
    if not SAMPLES.exists():
        pytest.skip(f"{SAMPLES} not found: the WARC tests need ../shared/data")
    db = tmp_path_factory.mktemp("warc") / "warc.db"
    files = sorted(str(p) for p in SAMPLES.glob("*.warc.gz"))
    result = ingest("--db", str(db), *files)
    return db, files, result


def test_real_warcs_are_ingested_without_a_traceback(real_warcs):
    db, _, result = real_warcs
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    outlets = {r["outlet"] for r in rows(db, "select distinct outlet from articles")}
    # Common Crawl's sports site, ClueWeb's shop, wget's blogs.
    assert {"live-radsport.ch", "uraharajuku.st", "creativecommons.org"} <= outlets
    assert len(rows(db, "select id from articles")) >= 40
    # wget's own log and arguments (metadata:// resources) are not pages.
    assert "wget" not in result.output


def test_clueweb_quirks_charset_and_impossible_dates(real_warcs):
    db, _, _ = real_warcs
    shop = rows(db, "select a.text, a.first_seen, c.status, c.encoding, c.headers from articles a "
                    "join captures c on c.id = a.capture_id where a.outlet = 'uraharajuku.st'")  # fmt: skip
    assert len(shop) == 29
    # EUC-JP decoded; WARC-Date 2008-10-294 is impossible, the HTTP Date header is used.
    assert all("新作入荷" in r["text"] for r in shop)
    assert all(r["first_seen"].startswith("2009-01-") for r in shop)
    assert {r["status"] for r in shop} == {200} and {r["encoding"] for r in shop} == {"euc_jp"}
    assert all("Content-Encoding" in r["headers"] for r in shop)


def test_real_warcs_twice_store_nothing_twice(real_warcs):
    db, files, _ = real_warcs
    before = [len(rows(db, f"select * from {t}")) for t in ("articles", "captures", "matches")]
    again = ingest("--db", str(db), *files)
    assert again.exit_code == 0 and " 0 stored" in again.output, again.output
    assert [len(rows(db, f"select * from {t}")) for t in ("articles", "captures", "matches")] == before


def test_a_truncated_warc_keeps_what_came_before(tmp_path):
    if not SAMPLES.exists():
        pytest.skip(f"{SAMPLES} not found")
    data = (SAMPLES / "dolma_sample-0001.warc.gz").read_bytes()
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(data[: len(data) // 2])
    result = ingest("--db", str(tmp_path / "b.db"), str(broken))
    assert result.exit_code == 0, result.output
    assert "broken.warc.gz" in result.output
    assert rows(tmp_path / "b.db", "select count(*) n from articles")[0]["n"] >= 3
    # The record the cut went through is a problem, counted and named, not silently dropped.
    assert "skipped 1: truncated record" in result.output
    assert "truncated record (the file ends" in result.output


def test_every_cut_of_a_warc_counts_its_last_record(tmp_path):
    """Cut anywhere, the records read plus the one reported cut off account for the file."""
    if not SAMPLES.exists():
        pytest.skip(f"{SAMPLES} not found")
    from crawler.ingest.inputs import InputFile

    data = (SAMPLES / "resiliparse_cc_warcfile.warc.gz").read_bytes()
    whole = InputFile(_write(tmp_path / "whole.warc.gz", data))
    complete = list(whole)
    assert not [p for p in complete if getattr(p, "reason", "") == "truncated record"]
    for fraction in (0.3, 0.5, 0.77, 0.95):
        items = list(InputFile(_write(tmp_path / "cut.warc.gz", data[: int(len(data) * fraction)])))
        cut = [p for p in items if getattr(p, "reason", "") == "truncated record"]
        assert len(cut) == 1, fraction
        # Every item before the cut is as in the whole file.
        assert [i.source.split()[-1] for i in items[:-1]] == [
            i.source.split()[-1] for i in complete[: len(items) - 1]]


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_not_a_warc_is_reported(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_text("this is not a WARC file\n" * 10)
    result = ingest("--db", str(tmp_path / "c.db"), str(path))
    # Nothing could be read: reported, and the exit status says so.
    assert result.exit_code == 1, result.output
    assert "not a readable WARC" in result.output and "0 stored" in result.output
    assert "Error: no record could be read from fake.warc" in result.output


def test_warc_written_by_a_crawl_gives_the_crawls_articles(sample_web, tmp_path):
    crawl_db, ingest_db, warcs = tmp_path / "crawl.db", tmp_path / "ingest.db", tmp_path / "warc"
    starts = [truth.outlet(d).start_url for d in ("southfront.test", "globalresearch.test")]
    result = run_cli(["crawl", "--db", str(crawl_db), "--warc", str(warcs), *starts, *FAST],
                     proxy=sample_web.proxy_url)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    files = sorted(str(p) for p in warcs.glob("*.warc.gz"))
    assert files
    result = ingest("--db", str(ingest_db), *files)
    assert result.exit_code == 0, result.output
    crawled = {r["url"]: r for r in rows(crawl_db, "select url, outlet, title, text_hash from articles")}
    ingested = {r["url"]: r for r in rows(ingest_db, "select url, outlet, title, text_hash from articles")}
    assert set(ingested) == set(crawled)
    for url, row in crawled.items():
        assert (ingested[url]["outlet"], ingested[url]["title"]) == (row["outlet"], row["title"])
    ids = {r["url"]: r["id"] for r in rows(ingest_db, "select id, url from articles")}
    pairs = {frozenset((r["a"], r["b"])) for r in rows(ingest_db, "select a, b from matches")}
    assert frozenset((ids[truth.FLAGSHIP_COPY_URL], ids[truth.FLAGSHIP_ORIGIN_URL])) in pairs
    [credit] = rows(ingest_db, "select a.name from attributions a join articles b on b.id = "
                               "a.article_id where b.url = ? and a.kind = 'original-source'",
                    (truth.FLAGSHIP_COPY_URL,))  # fmt: skip
    assert credit["name"] == "South Front"


def _warc_of_pages(path, pages: list[tuple[str, str, bytes]]):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, content_type, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                       protocol="HTTP/1.1")  # fmt: skip
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body),
                                                          http_headers=headers))  # fmt: skip
    return path


def test_a_page_reencoded_to_utf8_under_an_old_meta_charset_is_read_as_utf8(tmp_path):
    """A page saved as UTF-8 that still says <meta charset=GB2312> (as archived copies of
    Chinese news sites do) is read as UTF-8; a page really in GB2312 still as GB2312."""
    story = "新华社北京4月24日电 国务院总理今天主持召开国务院常务会议，研究部署推进新型城镇化建设等工作。"
    paragraphs = "".join(f"<p>{story}第{n}段。</p>" for n in range(12))
    html = ("<html><head><meta http-equiv=Content-Type content='text/html; charset=GB2312'>"
            f"<title>国务院常务会议</title></head><body><article>{paragraphs}</article></body></html>")
    warc = _warc_of_pages(tmp_path / "cn.warc.gz", [
        ("http://politics.example.cn/n1/2024/0424/utf8.html", "text/html", html.encode("utf-8")),
        ("http://politics.example.cn/n1/2024/0424/gb.html", "text/html", html.encode("gb2312")),
        # The header's charset wins over everything.
        ("http://politics.example.cn/n1/2024/0424/header.html", "text/html; charset=gb2312",
         html.encode("gb2312")),
    ])  # fmt: skip
    db = tmp_path / "cn.db"
    result = ingest("--db", str(db), "--no-match", str(warc))
    assert result.exit_code == 0, result.output
    texts = {r["url"].rsplit("/", 1)[1]: r["text"] for r in rows(db, "select url, text from articles")}
    assert set(texts) == {"utf8.html", "gb.html", "header.html"}, result.output
    for name, text in texts.items():
        assert "新华社北京4月24日电" in text, (name, text[:200])
