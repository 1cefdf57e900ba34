"""A real ``redis-server`` on 127.0.0.1 for the Redis-mode tests (never a fake one).

``redis_server`` starts ``redis-server --port <free port> --save '' --appendonly no``
in a temporary directory, waits (bounded) until it answers PING, and kills it at the end.
Tests skip with a clear message only when no ``redis-server`` binary is installed
(``apt-get install redis-server``; ``.ci/run`` installs it).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


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
    """A redis-server in ``directory`` for the duration of the block; yields its URL.

    Use it in a module-scoped fixture::

        @pytest.fixture(scope="module")
        def redis_url(tmp_path_factory):
            with redis_server(tmp_path_factory.mktemp("redis")) as url:
                yield url
    """
    proc, url = start_redis(directory)
    try:
        yield url
    finally:
        stop(proc)
