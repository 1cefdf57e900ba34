"""Run ``crosspost serve`` (or ``crosspost browse``) in a subprocess on 127.0.0.1 for tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY"):
        env.pop(name, None)
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def get(url: str, *, timeout: float = 10, headers: dict | None = None,
        data: bytes | None = None, method: str | None = None) -> tuple[int, dict, bytes]:
    """(status, headers with lower-case names, body) of one request; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, _lower(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, _lower(exc.headers), exc.read()


def get_json(url: str, **kwargs) -> tuple[int, dict]:
    status, _headers, body = get(url, **kwargs)
    return status, json.loads(body)


def wait_until_up(url: str, *, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        try:
            status, _, _ = get(url, timeout=2)
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer at {url} within {timeout} s")


@contextmanager
def server(db: Path, *args: str, timeout: float = 30,
           env: dict[str, str] | None = None) -> Iterator[str]:
    """``crosspost serve --db DB --port 0 ARGS`` on 127.0.0.1; yields its base URL.
    ``env`` adds environment variables (e.g. a proxy)."""
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", str(db), "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=log, text=True, env={**_env(), **(env or {})}, cwd=ROOT,
    )
    first: list[str] = []
    reader = threading.Thread(target=lambda: first.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    try:
        url = first[0].strip() if first else ""
        if not url.startswith("http://127.0.0.1:"):
            log.seek(0)
            raise RuntimeError(f"crosspost serve printed no URL: {log.read()[-2000:]}")
        wait_until_up(url + "api/health", proc=proc, timeout=timeout)
        yield url
    finally:
        stop(proc)
        log.close()


@contextmanager
def process(args: list[str], probe: str, *, timeout: float = 60) -> Iterator[subprocess.Popen]:
    """Any ``crosspost`` command that serves HTTP, until ``probe`` answers."""
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen([sys.executable, "-m", "crawler", *args], stdout=log,
                            stderr=subprocess.STDOUT, text=True, env=_env(), cwd=ROOT)
    try:
        try:
            wait_until_up(probe, proc=proc, timeout=timeout)
        except RuntimeError as exc:
            log.seek(0)
            raise RuntimeError(f"{exc}: {log.read()[-2000:]}") from None
        yield proc
    finally:
        stop(proc)
        log.close()


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    if proc.stdout:
        proc.stdout.close()


def save_article(store, url: str, outlet: str, title: str, text: str, *,
                 published_at: str | None = None, attributions: list[dict] | None = None) -> int:
    """Store one article the way a crawl would (a capture and the article it holds)."""
    capture = {"url": url, "final_url": url, "status": 200, "content_type": "text/html",
               "fetched_at": "2024-01-02T00:00:00+00:00", "outcome": "article",
               "body": f"<html><title>{title}</title><p>{text}</p></html>".encode()}
    article = {"url": url, "fetched_url": url, "outlet": outlet, "title": title, "text": text,
               "published_at": published_at, "text_hash": str(hash(text)),
               "attributions": attributions or []}
    return store.save_page(capture, article)


def save_match(store, copy_id: int, origin_id: int, similarity: float = 0.9) -> None:
    store.save_matches(copy_id, None, None, [{
        "a": copy_id, "b": origin_id, "jaccard": similarity, "containment_a_in_b": 0.95,
        "containment_b_in_a": 0.9, "kind": "near-duplicate"}])
