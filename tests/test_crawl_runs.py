"""How runs are recorded and listed: `crosspost crawls` after a real ingest, a crawl of an
unreachable host and a crawl killed with SIGKILL; an unreachable host's failure logged once
and its robots.txt fetched once. Real processes, on loopback."""

from __future__ import annotations

import json
import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time

import pytest
from conftest import FAST, ROOT, rows, run_cli
from test_crawl_jobs import generated_web
from test_ingest import story

from crawler.sampleweb import truth


class _Hangup(socketserver.BaseRequestHandler):
    """A host that takes the connection and hangs up before answering."""

    def handle(self) -> None:
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = self.request.recv(4096)
            if not chunk:
                break
            data += chunk
        line = data.split(b"\r\n", 1)[0].decode("latin-1")
        self.server.log.append(line.split(" ")[1] if line.count(" ") >= 2 else line)
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
        self.request.close()


@pytest.fixture
def dead_host():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Hangup)
    server.daemon_threads = True
    server.log = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _crawls(db) -> list[dict]:
    listing = run_cli(["crawls", "--db", str(db), "--json"])
    assert listing.returncode == 0, listing.stderr
    return json.loads(listing.stdout)


def test_unreachable_host_is_logged_once_and_recorded_as_failed(dead_host, tmp_path):
    port = dead_host.server_address[1]
    db = tmp_path / "u.db"
    result = run_cli(["crawl", "--db", str(db), f"http://127.0.0.1:{port}/", *FAST,
                      "-s", "RETRY_TIMES=1", "-s", "RETRY_BACKOFF_BASE=0.05"])
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    # What it prints agrees with the exit status too.
    assert "crawl finished (failed)" in result.stdout, result.stdout
    # robots.txt is fetched once (one try and its one retry), shared by the robots policy
    # and the sitemap discovery that reads it too.
    assert dead_host.log.count("/robots.txt") == 2, dead_host.log
    assert dead_host.log.count("/") == 2, dead_host.log
    log_lines = [line for line in result.stderr.splitlines() if " WARNING: " in line or " ERROR: " in line]
    page = f"http://127.0.0.1:{port}/"
    assert sum(1 for line in log_lines if line.rstrip().endswith(page) or f"{page}:" in line
               or f"{page}>" in line) == 1, log_lines  # fmt: skip
    assert not [line for line in log_lines if "Gave up retrying" in line or "Error downloading" in line]
    assert sum(1 for line in log_lines if "robots.txt of 127.0.0.1" in line) == 1
    # The recorded run agrees with the exit status.
    [run] = _crawls(db)
    assert run["status"] == "failed" and run["finish_reason"] == "failed"
    assert run["errors"] == 2 and run["articles_stored"] == 0


def test_robots_txt_is_fetched_once_per_site(sample_web, tmp_path):
    before = len(sample_web.requests)
    outlet = truth.outlet("dailyledger.test")
    result = run_cli(["crawl", "--db", str(tmp_path / "r.db"), outlet.start_url,
                      "--no-follow-attribution", *FAST], proxy=sample_web.proxy_url)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    requests = sample_web.requests[before:]
    robots = [path for host, path, *_ in requests if host == outlet.host and path == "/robots.txt"]
    assert len(robots) == 1, robots
    # The sitemaps it names were still found through it.
    assert any(path.endswith(".xml") for host, path, *_ in requests if host == outlet.host)


def test_ingest_runs_are_listed_with_their_counts(tmp_path):
    corpus = tmp_path / "eight.jsonl"
    with open(corpus, "w") as f:
        for n in range(8):
            f.write(json.dumps({"url": f"https://e{n % 3}.example.com/{n}", "text": story(200 + n)}) + "\n")
        f.write("not json\n")
        f.write(json.dumps({"url": "https://e.example.com/empty", "text": " "}) + "\n")
    db = tmp_path / "i.db"
    result = run_cli(["ingest", "--silent", "--db", str(db), str(corpus)])
    assert result.returncode == 0, result.stderr
    [run] = _crawls(db)
    assert run["kind"] == "ingest" and run["job"] == "ingest" and run["status"] == "finished"
    assert run["files"] == [str(corpus)]
    assert (run["records_read"], run["articles_stored"], run["problems"]) == (10, 8, 2)
    assert run["elapsed_seconds"] is not None and run["elapsed_seconds"] >= 0
    text = run_cli(["crawls", "--db", str(db)])
    [line] = [line for line in text.stdout.splitlines() if "ingest eight.jsonl" in line]
    assert "finished" in line
    # read, articles, 304, errors (problems for an ingest), seconds
    assert line.split()[-5:-1] == ["10", "8", "0", "2"], line


def _articles_of_run(db, crawl_id: int) -> int:
    return rows(db, "select count(distinct article_id) n from captures where crawl_id = ?",
                (crawl_id,))[0]["n"]


def test_a_killed_crawl_is_listed_as_killed_with_what_it_stored(tmp_path):
    db = tmp_path / "k.db"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    with generated_web(articles=400, outlets=2, edition=1) as proxy:
        env["http_proxy"] = proxy
        start = [f"http://gen{n}.test/" for n in range(2)]
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler", "crawl", "--db", str(db), *start, *FAST,
             "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "DOWNLOAD_DELAY=0.05"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 120
            stored = 0
            while time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.5)
                try:
                    stored = rows(db, "select count(*) n from articles")[0]["n"]
                except Exception:  # the store is being created
                    continue
                if stored >= 5:
                    break
            assert proc.poll() is None, "the crawl ended before it could be killed"
            assert stored >= 5, "the crawl stored nothing in two minutes"
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    [run] = _crawls(db)
    assert run["status"] == "killed" and run["ended_at"] is None
    assert run["articles_stored"] == _articles_of_run(db, run["id"]) >= 5
    assert run["pages_fetched"] >= run["articles_stored"]
    text = run_cli(["crawls", "--db", str(db)])
    assert " killed " in text.stdout


def test_statuses_of_runs_that_ended_or_not(tmp_path):
    """interrupted (Ctrl-C: Scrapy says "shutdown"), running (its process is there: this
    one), killed (its process is gone), and a run from before processes were recorded."""
    from crawler.extensions import run_outcome
    from crawler.store import Store

    db = tmp_path / "s.db"
    with Store(db) as store:
        stopped = store.start_crawl("outlets", {}, {})
        store.finish_crawl(stopped, run_outcome(store, stopped, "shutdown"), {})
        running = store.start_crawl("ingest", {"files": ["a.jsonl"]}, {})
        gone = subprocess.Popen([sys.executable, "-c", "pass"])
        gone.wait()
        killed = store.start_crawl("outlets", {}, {})
        store.db.execute("update crawls set args = json_set(args, '$.pid', ?) where id = ?",
                         [gone.pid, killed])
        old = store.start_crawl("outlets", {}, {})
        store.db.execute("update crawls set args = '{}' where id = ?", [old])
    status = {run["id"]: run["status"] for run in _crawls(db)}
    assert status == {stopped: "interrupted", running: "running", killed: "killed",
                      old: "not finished"}
