"""A real ``redis-server`` on 127.0.0.1 for the Redis-mode tests (never a fake one).

``redis_server`` starts ``redis-server --port <free port> --save '' --appendonly no``
in a temporary directory, waits (bounded) until it answers PING, and kills it at the end.
Tests skip with a clear message only when no ``redis-server`` binary is installed
(``apt-get install redis-server``; ``.ci/run`` installs it).

``crosspost`` starts a ``python -m crawler`` worker, writer or push against it, and ``finish``
waits for one with a bounded timeout.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(directory: Path, port: int | None = None) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = port or free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(directory), "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"redis-server exited with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return proc, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not answer PING within 15 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)


@contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """A redis-server in ``directory`` for the duration of the block; yields its URL. The
    tests' ``redis_url`` fixture (``tests/conftest.py``) starts one per test module."""
    proc, url = start_redis(directory)
    try:
        yield url
    finally:
        stop(proc)


def crosspost(args: list[str], proxy: str | None = None, *, env: dict[str, str] | None = None,
              scrapy_deprecations_fatal: bool = False) -> subprocess.Popen:
    """``python -m crawler <args>`` in its own session (so ``finish`` can kill the worker and
    its extraction process together), stdout and stderr captured as text.

    Any proxy of the caller's environment is dropped: the process reaches only ``proxy`` (the
    loopback web's), if given. ``env`` adds variables; ``scrapy_deprecations_fatal`` makes
    Scrapy's deprecation warnings errors in the process, as ``conftest.run_cli`` does.
    """
    environ = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "no_proxy")}
    environ.update(env or {})
    if proxy:
        environ["http_proxy"] = proxy
    if scrapy_deprecations_fatal:
        environ["PYTHONWARNINGS"] = "error::DeprecationWarning:scrapy"
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", *args], cwd=ROOT, env=environ, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip


def finish(proc: subprocess.Popen, timeout: float = 150, *,
           no_traceback: bool = False) -> tuple[str, str]:  # fmt: skip
    """Wait for a ``crosspost`` process and return its (stdout, stderr); fail the test if it
    runs past ``timeout`` seconds (its whole process group is killed) or exits non-zero, and,
    with ``no_traceback``, if it printed a traceback even though it exited 0."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"timed out:\n{out}\n{err[-3000:]}")
    assert proc.returncode == 0, f"{out}\n{err[-3000:]}"
    if no_traceback:
        assert "Traceback" not in err, err[-3000:]
    return out, err
