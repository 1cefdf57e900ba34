"""Raw-socket helpers for attacking a real ``crosspost serve`` (tests and benchmarks)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECURITY = ("content-security-policy", "x-content-type-options", "referrer-policy",
            "x-frame-options")


def empty_store(path: Path) -> Path:
    subprocess.run([sys.executable, "-c", "import sys; from crawler.store import Store; "
                    "Store(sys.argv[1]).close()", str(path)], check=True, timeout=60, cwd=ROOT)
    return path


@contextmanager
def serving(db: Path, *args: str, host: str = "127.0.0.1") -> Iterator[tuple[str, int, int]]:
    """``crosspost serve`` on ``host``, port 0; yields (host, port, pid)."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", str(db), "--host", host,
         "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        line = proc.stdout.readline().strip()
        if not line:
            raise RuntimeError(f"serve did not start: {proc.stderr.read()[-2000:]}")
        port = int(line.rstrip("/").rsplit(":", 1)[1])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if request(host, port, "/api/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)
        yield host, port, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def read_answer(sock: socket.socket, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of one HTTP/1.1 answer read from ``sock``; status 0 when the
    server closed without answering."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            return 0, {}, data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body[:length]


def request(host: str, port: int, path: str, *, headers: str = "", timeout: float = 10,
            method: str = "GET", body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection((host, port), timeout=timeout) as sock:
        head = (f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
                f"Content-Length: {len(body)}\r\n{headers}\r\n")
        sock.sendall(head.encode() + body)
        return read_answer(sock, timeout)


def is_json_error(status: int, headers: dict[str, str], body: bytes) -> bool:
    """A JSON error answer with the usual security headers."""
    if not headers.get("content-type", "").startswith("application/json"):
        return False
    if any(name not in headers for name in SECURITY):
        return False
    try:
        return json.loads(body)["error"]["status"] == status
    except (ValueError, KeyError, TypeError):
        return False


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def send_big_header(host: str, port: int, size: int, *, timeout: float = 30) -> tuple[
        int, dict[str, str], bytes, int, float]:
    """Send a request whose one header is ``size`` bytes, until the server stops reading.
    Returns (status, headers, body, bytes sent, seconds)."""
    started = time.monotonic()
    sent = 0
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(f"GET /api/health HTTP/1.1\r\nHost: {host}\r\nX-Big: ".encode())
        block = b"a" * 65536
        try:
            while sent < size and time.monotonic() - started < timeout:
                sock.sendall(block)
                sent += len(block)
            sock.sendall(b"\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        try:
            status, headers, body = read_answer(sock, timeout=10)
        except (ConnectionResetError, socket.timeout):
            status, headers, body = 0, {}, b""
    return status, headers, body, sent, time.monotonic() - started
