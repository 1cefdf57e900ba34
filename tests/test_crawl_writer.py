"""The crawl's writer process: it stores and matches exactly what the crawling process would,
a failure of it stops the crawl with an error instead of a hang, and it leaves with a killed
crawl. Real processes, real SQLite files, the sample webs on loopback."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from pathlib import Path

from conftest import FAST, ROOT, rows, run_cli
from test_crawl_jobs import generated_web

from crawler.crawl.extraction import extract_or_reason
from crawler.crawl.storing import (
    ADMIT,
    PAGE,
    PageWrite,
    apply_batch,
    close_writer,
    open_matching,
    open_writer,
    write_batch,
)
from crawler.items import PageItem
from crawler.sampleweb import truth
from crawler.store import Store
from crawler.urls import outlet_of
from crawler.workers import worker_pool
from dedupe.signature import SignatureParams

JOB = "writer-test"


def _batches(crawl_db: Path, size: int = 8) -> list[list[tuple]]:
    """The article pages of a real crawl as the pipelines hand them over: each page admitted
    to the frontier, then stored, in batches."""
    captures = rows(
        crawl_db,
        "select url, final_url, status, content_type, body, encoding, "
        "fetched_at from captures where outcome = 'article' order by id",
    )
    params = SignatureParams()
    ops: list[tuple] = []
    for c in captures:
        html = zlib.decompress(c["body"]).decode(c["encoding"] or "utf-8")
        page = PageItem(
            url=c["url"],
            final_url=c["final_url"],
            status=c["status"],
            content_type=c["content_type"],
            body=html.encode(),
            encoding=c["encoding"],
            fetched_at=c["fetched_at"],
            frontier_url=c["url"],
        )
        article, reason, prepared = extract_or_reason(html, c["final_url"], params, {})
        assert article is not None, reason
        ops.append((ADMIT, JOB, [(c["url"], outlet_of(c["url"]), "{}")]))
        ops.append((PAGE, JOB, PageWrite(page, article, None, None, prepared)))
    return [ops[i : i + 2 * size] for i in range(0, len(ops), 2 * size)]


def _new_store(path: Path) -> None:
    with Store(path) as store:
        store.jobs.open_job(JOB, {})


def _results(db: Path) -> dict[str, object]:
    return {
        "articles": rows(db, "select url, title, text_hash, outlet from articles order by url"),
        "matches": rows(
            db,
            "select a.url, b.url, m.kind, m.jaccard, m.containment_a_in_b, "
            "m.containment_b_in_a from matches m join articles a on a.id = m.a "
            "join articles b on b.id = m.b order by 1, 2",
        ),
        "signatures": rows(
            db,
            "select a.url, s.signature from signatures s "
            "join articles a on a.id = s.article_id order by 1",
        ),
        "frontier": rows(db, "select url, state from frontier order by url"),
        "captures": rows(db, "select url, outcome, status from captures order by id"),
    }


def test_the_writer_process_stores_and_matches_as_the_crawling_process_does(full_crawl, tmp_path):
    """Same pages, same order: the crawling process storing texts its extraction worker
    signed, and the writer process signing them itself, leave identical stores."""
    crawl_db, _, _ = full_crawl
    batches = _batches(crawl_db)
    here, there = tmp_path / "here.db", tmp_path / "there.db"

    _new_store(here)
    with Store(here) as store:
        matching, _ = open_matching(store, True)
        for batch in batches:
            apply_batch(store, matching, batch)
        matching.finish()

    _new_store(there)
    pool = worker_pool(1)
    try:
        params, caught_up = pool.submit(open_writer, str(there), True).result(timeout=120)
        assert params == SignatureParams() and caught_up == 0
        # The writer signs texts itself (prepared None), as it does in a crawl.
        unsigned = [
            [
                (k, j, dataclasses.replace(w, prepared=None)) if k == PAGE else (k, j, w)
                for k, j, w in batch
            ]
            for batch in batches
        ]
        futures = [pool.submit(write_batch, batch) for batch in unsigned]
        results = [f.result(timeout=120) for f in futures]
        pool.submit(close_writer).result(timeout=120)
    finally:
        pool.shutdown(wait=True)

    assert sum(r.articles for r in results) == len(rows(crawl_db, "select id from articles"))
    assert not any(r.errors for r in results)
    assert sum(r.matches for r in results) > 0
    mine, theirs = _results(here), _results(there)
    assert mine["matches"] and mine["signatures"]
    for table in mine:
        assert [tuple(r) for r in theirs[table]] == [tuple(r) for r in mine[table]], table
    assert {r["state"] for r in theirs["frontier"]} == {"done"}


def test_a_crawl_with_the_writer_process_finds_what_one_without_it_finds(
    sample_web, full_crawl, tmp_path
):  # fmt: skip
    writer_db, _, _ = full_crawl  # the default: CROSSPOST_STORE_PROCESS on
    db = tmp_path / "in-process.db"
    result = run_cli(
        [
            "crawl",
            "--db",
            str(db),
            *truth.start_urls(),
            *FAST,
            "-s",
            "CROSSPOST_STORE_PROCESS=False",
        ],
        proxy=sample_web.proxy_url,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    def found(path: Path) -> tuple[set, set]:
        articles = {r["url"] for r in rows(path, "select url from articles")}
        pairs = {
            frozenset((r[0], r[1]))
            for r in rows(
                path,
                "select a.url, b.url from matches m join articles a on a.id = m.a "
                "join articles b on b.id = m.b",
            )
        }
        return articles, pairs

    assert found(db) == found(writer_db)
    for path in (db, writer_db):
        assert not rows(path, "select url from frontier where state != 'done'")
        assert rows(path, "select state from crawl_jobs")[0]["state"] == "finished"


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                out.append(int(entry))
    return out


def _holds(pid: int, path: Path) -> bool:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                return True
        except OSError:
            continue
    return False


def _writer_of(crawl: subprocess.Popen, db: Path, timeout: float = 60) -> int:
    """The crawl's writer: its child process that has the store open."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and crawl.poll() is None:
        for child in _children(crawl.pid):
            if _holds(child, db.resolve()):
                return child
        time.sleep(0.1)
    raise AssertionError("no writer process holds the store")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _slow_crawl(db: Path, proxy: str, start: list[str]) -> subprocess.Popen:
    env = {**os.environ, "http_proxy": proxy, "PYTHONWARNINGS": "ignore"}
    env.pop("no_proxy", None)
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", "crawl", "--db", str(db), *start, *FAST,
         "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "DOWNLOAD_DELAY=0.05"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def _wait_for_articles(db: Path, crawl: subprocess.Popen, n: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and crawl.poll() is None:
        with contextlib.suppress(sqlite3.Error):  # the store is being created
            if rows(db, "select count(*) n from articles")[0]["n"] >= n:
                return
        time.sleep(0.2)
    raise AssertionError("the crawl stored nothing in two minutes")


def test_a_writer_that_dies_stops_the_crawl_with_an_error_and_the_job_resumes(tmp_path):
    db = tmp_path / "w.db"
    start = [f"http://gen{n}.test/" for n in range(2)]
    with generated_web(articles=300, outlets=2, edition=1) as proxy:
        crawl = _slow_crawl(db, proxy, start)
        try:
            writer = _writer_of(crawl, db)
            _wait_for_articles(db, crawl, 5)
            os.kill(writer, signal.SIGKILL)
            _, err = crawl.communicate(timeout=60)
        finally:
            if crawl.poll() is None:
                os.killpg(crawl.pid, signal.SIGKILL)
                crawl.wait(timeout=30)
        assert "Storing failed" in err and "resumes the job" in err, err[-3000:]
        assert "Traceback" not in err, err[-3000:]
        assert crawl.returncode != 0  # a script sees that this run did not store its pages
        [job] = rows(db, "select state from crawl_jobs")
        assert job["state"] == "running"  # left to resume
        stored = rows(db, "select count(*) n from articles")[0]["n"]
        assert 5 <= stored < 300

        again = run_cli(["crawl", "--db", str(db), *start, *FAST], proxy=proxy)
        assert again.returncode == 0, again.stderr[-3000:]
    assert rows(db, "select count(*) n from articles")[0]["n"] == 300
    assert rows(db, "select state from crawl_jobs")[0]["state"] == "finished"
    assert not rows(db, "select url from frontier where state != 'done'")


def test_a_killed_crawl_leaves_no_writer_behind_and_no_half_written_page(tmp_path):
    db = tmp_path / "k.db"
    start = [f"http://gen{n}.test/" for n in range(2)]
    with generated_web(articles=300, outlets=2, edition=1) as proxy:
        crawl = _slow_crawl(db, proxy, start)
        try:
            writer = _writer_of(crawl, db)
            _wait_for_articles(db, crawl, 20)
            os.kill(crawl.pid, signal.SIGKILL)  # the crawling process alone
            crawl.wait(timeout=30)
            deadline = time.monotonic() + 10
            while _alive(writer) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not _alive(writer), "the writer outlived the killed crawl"
        finally:
            try:
                os.killpg(crawl.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    # every stored article came with its capture, its frontier entry done and its signature
    assert not rows(
        db,
        "select a.id from articles a left join captures c on c.id = a.capture_id "
        "where c.id is null",
    )
    assert not rows(
        db, "select a.url from articles a join frontier f on f.url = a.url where f.state != 'done'"
    )
    assert not rows(
        db,
        "select a.id from articles a left join signatures s "
        "on s.article_id = a.id where s.article_id is null",
    )
    # every page marked done was stored (listings and robots.txt included)
    done = {r["url"] for r in rows(db, "select url from frontier where state = 'done'")}
    captured = {r["url"] for r in rows(db, "select url from captures")}
    assert done and done <= captured


def test_a_store_the_writer_refuses_stops_the_crawl_at_once(sample_web, full_crawl, tmp_path):
    crawl_db, _, _ = full_crawl
    db = tmp_path / "refused.db"
    with Store(crawl_db) as source:
        source.db.conn.execute(f"vacuum into '{db}'")
    with Store(db) as store:  # signed with parameters this code would not make
        store.set_state("dedupe.params", {**SignatureParams().to_dict(), "text_version": 0})
    before = rows(db, "select count(*) n from captures")[0]["n"]
    began = time.monotonic()
    result = run_cli(
        ["crawl", "--db", str(db), *truth.start_urls(), *FAST, "--restart"],
        proxy=sample_web.proxy_url,
        timeout=120,
    )
    assert time.monotonic() - began < 60
    assert "Storing failed" in result.stderr and "crosspost rematch" in result.stderr, (
        result.stderr[-3000:]
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert rows(db, "select count(*) n from captures")[0]["n"] == before
    assert rows(db, "select state from crawl_jobs")[0]["state"] == "running"
