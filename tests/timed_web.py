"""The generated sample web on loopback with a timestamped request log, for politeness tests
and benchmarks: ``log`` holds ``(monotonic seconds, host, path)`` as each request arrives;
``latency`` makes every response take that long, as a real site's does.

Crawlers reach it as a forward proxy (``http_proxy=http://127.0.0.1:PORT``), like the sample
web; hosts are ``gen<N>.test``.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict
from typing import Self
from urllib.parse import urlsplit

from crawler.sampleweb.generated import GeneratedWeb, GeneratedWebServer, _Handler


class _TimedHandler(_Handler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        host = (parts.hostname or (self.headers.get("Host") or "").split(":")[0]).lower()
        self.server.note(host, parts.path or "/")
        if self.server.latency:
            time.sleep(self.server.latency)  # a real site's response time
        super().do_GET()


class TimedWebServer(GeneratedWebServer):
    def __init__(self, address: tuple[str, int], web: GeneratedWeb) -> None:
        super().__init__(address, web)
        self.RequestHandlerClass = _TimedHandler
        self.log: list[tuple[float, str, str]] = []
        self.latency = 0.0
        self._lock = threading.Lock()

    def note(self, host: str, path: str) -> None:
        with self._lock:
            self.log.append((time.monotonic(), host, path))


class TimedWeb:
    """``with TimedWeb(articles, outlets) as web:`` serves from a daemon thread."""

    def __init__(self, articles: int = 60, outlets: int = 3, latency: float = 0.0) -> None:
        self.server = TimedWebServer(("127.0.0.1", 0), GeneratedWeb(articles, outlets))
        self.server.latency = latency
        self.proxy_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.1})  # fmt: skip
        self._thread.start()

    def start_urls(self) -> list[str]:
        return [f"http://gen{o}.test/" for o in range(self.server.web.outlets)]

    def by_host(self) -> dict[str, list[float]]:
        """Arrival times of the requests to each host, in order."""
        times: dict[str, list[float]] = defaultdict(list)
        for moment, host, _ in sorted(self.server.log):
            times[host].append(moment)
        return dict(times)

    def gaps(self) -> dict[str, list[float]]:
        """Seconds between consecutive requests to each host."""
        return {h: [b - a for a, b in itertools.pairwise(t)] for h, t in self.by_host().items()}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
