"""Bad input ends in a clear message or a recorded skip, never a traceback or a half row."""

from __future__ import annotations

import socket

import pytest
from conftest import FAST, rows, run_cli

from crawler.sampleweb import truth


@pytest.fixture(scope="module")
def quirks_crawl(sample_web, tmp_path_factory):
    db = tmp_path_factory.mktemp("quirks") / "q.db"
    urls = [truth.QUIRKS[name] for name in
            ("cp1251", "wrong_charset", "binary", "empty", "huge", "pdf", "redirect_loop")]
    result = run_cli(["crawl", "--db", str(db), "--no-follow-links", *urls, *FAST],
                     proxy=sample_web.proxy_url)
    return db, result


def _capture(db, name):
    url = truth.QUIRKS[name]
    found = rows(db, "select * from captures where url = ?", (url,))
    assert found, f"no capture recorded for {url}"
    return found[-1]


def test_no_traceback_and_a_summary(quirks_crawl):
    _, result = quirks_crawl
    assert "Traceback" not in result.stderr
    assert "crawl finished" in result.stdout


def test_charset_declared_only_in_meta_is_honoured(quirks_crawl):
    db, _ = quirks_crawl
    from crawler.sampleweb import quirks

    capture = _capture(db, "cp1251")
    assert capture["encoding"] in ("cp1251", "windows-1251")
    articles = rows(db, "select * from articles where id = ?", (capture["article_id"],))
    if articles:  # long enough to be an article: the Cyrillic must be intact
        assert quirks.CP1251_TITLE in (articles[0]["title"] or "") + articles[0]["text"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("binary", "binary"),
        ("empty", "empty"),
        ("pdf", "not HTML"),
        ("huge", "larger than download max size"),
        ("redirect_loop", "redirect"),
    ],
)
def test_unusable_pages_are_recorded_with_a_reason(quirks_crawl, name, reason):
    db, _ = quirks_crawl
    capture = _capture(db, name)
    assert capture["outcome"] in ("skipped", "error")
    assert reason.lower() in capture["reason"].lower()
    assert capture["article_id"] is None


def test_unreachable_host_is_a_clear_error(tmp_path):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_cli(["crawl", "--db", str(tmp_path / "u.db"), f"http://127.0.0.1:{port}/story/",
                      *FAST, "-s", "RETRY_TIMES=0"])
    assert result.returncode == 1
    assert "Error: nothing could be fetched" in result.stderr
    assert "Connection was refused" in result.stderr
    assert "Traceback" not in result.stderr
    [capture] = rows(tmp_path / "u.db", "select outcome, reason from captures")
    assert capture["outcome"] == "error"
