"""Ctrl-C as a terminal sends it: SIGINT to the whole process group, workers included.

The first stops the command cleanly with one line on how to resume and exit status 130; a
second stops it at once; never a traceback, a hang or a page dumped into the log.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FAST, ROOT, run_cli

from crawler.sampleweb import truth

INTERRUPTED = 130


def start(args: list[str], proxy: str | None = None) -> subprocess.Popen:
    env = dict(os.environ)
    for name in ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY", "CROSSPOST_DB"):
        env.pop(name, None)
    if proxy:
        env["http_proxy"] = proxy
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", *args], cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def count(db: Path, sql: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the command to get going")
        time.sleep(0.05)


def ctrl_c(proc: subprocess.Popen, times: int = 1, timeout: float = 30) -> tuple[str, str, float]:
    """SIGINT to the process group; returns stdout, stderr and the seconds it took to end."""
    began = time.monotonic()
    for i in range(times):
        if i:
            time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"still running {timeout} s after Ctrl-C; stderr: {err[-2000:]}")
    return out, err, time.monotonic() - began


def assert_group_gone(proc: subprocess.Popen, timeout: float = 5) -> None:
    """No worker process of the command outlives it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail("worker processes outlived the interrupted command")


def assert_clean(proc: subprocess.Popen, err: str, resume: str) -> None:
    assert proc.returncode == INTERRUPTED, err[-3000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-3000:]
    assert "Error processing" not in err and "BrokenProcessPool" not in err, err[-3000:]
    assert "Aborted!" not in err
    lines = [line for line in err.splitlines() if line.startswith("Interrupted")]
    assert len(lines) == 1 and resume in lines[0], err[-3000:]
    assert len(err) < 4000, err[-3000:]
    assert_group_gone(proc)


def slow_crawl_args(db: Path, processes: int = 2) -> list[str]:
    # politeness delay on: the crawl lasts long enough to be interrupted in its middle
    return ["crawl", "--db", str(db), *truth.start_urls(), *FAST,
            "-s", "DOWNLOAD_DELAY=0.3", "-s", f"CROSSPOST_EXTRACT_PROCESSES={processes}"]


def test_ctrl_c_stops_a_crawl_cleanly_and_the_same_command_resumes(sample_web, tmp_path):
    db = tmp_path / "crawl.db"
    args = slow_crawl_args(db)
    proc = start(args, proxy=sample_web.proxy_url)
    wait_for(lambda: count(db, "select count(*) from articles") >= 3)
    _, err, _ = ctrl_c(proc)
    assert_clean(proc, err, "run the same command again")
    stored = count(db, "select count(*) from articles")
    assert 3 <= stored < len(truth.ARTICLES)
    # nothing half-written: every stored article has the capture it came from
    assert count(db, "select count(*) from articles a left join captures c "
                     "on c.id = a.capture_id where c.id is null") == 0
    again = run_cli(args, proxy=sample_web.proxy_url)
    assert again.returncode == 0, again.stderr[-3000:]
    assert count(db, "select count(*) from articles") == len(truth.ARTICLES)


def test_a_second_ctrl_c_stops_a_crawl_at_once(sample_web, tmp_path):
    db = tmp_path / "crawl.db"
    proc = start(slow_crawl_args(db), proxy=sample_web.proxy_url)
    wait_for(lambda: count(db, "select count(*) from captures") >= 1)
    _, err, took = ctrl_c(proc, times=2, timeout=15)
    assert proc.returncode == INTERRUPTED, err[-3000:]
    assert "Traceback" not in err and "stopped at once" in err
    assert took < 10
    assert_group_gone(proc)


def test_ctrl_c_stops_the_demo_without_a_hang(tmp_path):
    db = tmp_path / "demo.db"
    proc = start(["demo", "--db", str(db)])
    wait_for(lambda: count(db, "select count(*) from captures") >= 1)
    out, err, _ = ctrl_c(proc)
    assert_clean(proc, err, "crosspost demo")
    assert "Aborted" not in out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    from benchmarks.bench_ingest import generate

    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    generate(path, 6000)
    return path


def test_ctrl_c_stops_an_ingest_and_the_same_ingest_completes(corpus, tmp_path):
    db = tmp_path / "ingest.db"
    args = ["ingest", "--db", str(db), str(corpus), "--jobs", "2", "--batch-size", "200"]
    proc = start(args)
    wait_for(lambda: count(db, "select count(*) from articles") >= 400, timeout=120)
    _, err, _ = ctrl_c(proc)
    assert_clean(proc, err, "run the same ingest again")
    stored = count(db, "select count(*) from articles")
    assert 400 <= stored < 6000
    again = run_cli(args + ["--silent"], timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    assert count(db, "select count(*) from articles") > stored


def test_ctrl_c_stops_rematch_and_serve(corpus, tmp_path):
    db = tmp_path / "store.db"
    made = run_cli(["ingest", "--db", str(db), str(corpus), "--silent", "--no-match"],
                   timeout=300)
    assert made.returncode == 0, made.stderr[-3000:]

    proc = start(["rematch", "--db", str(db), "--silent"])
    time.sleep(3)  # the matcher loads and starts signing
    assert proc.poll() is None, "rematch ended before it could be interrupted"
    _, err, _ = ctrl_c(proc)
    assert_clean(proc, err, "crosspost rematch again")

    proc = start(["serve", "--db", str(db), "--port", "0"])
    url = proc.stdout.readline()
    assert url.startswith("http://127.0.0.1:"), proc.stderr.read()[-2000:]
    _, err, _ = ctrl_c(proc, timeout=20)
    assert_clean(proc, err, "server has stopped")
