"""Loopback HTTP server for the sample web: serves every outlet by hostname and acts as a
forward proxy, so a crawler can use ``http_proxy=http://127.0.0.1:PORT``.

Requests with an absolute URI (``GET http://southfront.test/x HTTP/1.1``) are routed by the
URI's host, other requests by the ``Host`` header. Any host that is not a sample outlet gets
a 502, so nothing is ever forwarded off the machine.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import sys
import threading
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import urlsplit

from . import quirks, site
from .site import Response

logger = logging.getLogger(__name__)

SERVER_NAME = "nginx"  # what most of the real outlets present


class SampleWebServer(ThreadingHTTPServer):
    """The server; ``requests`` logs ``(host, path_with_query, status)`` for every request."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], *, verbose: bool = False) -> None:
        super().__init__(address, Handler)
        self.verbose = verbose
        self.stopping = threading.Event()
        self.quirks = quirks.Quirks(self.stopping)
        self.requests: list[tuple[str, str, int]] = []
        self._log_lock = threading.Lock()

    def handle_error(self, request, client_address) -> None:
        # Clients that hang up (timeouts in tests, crawlers cancelling a huge download) are
        # normal here; anything else is a bug worth a traceback.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        logger.exception("error while serving %s", client_address)

    def record(self, host: str, path: str, status: int) -> None:
        with self._log_lock:
            self.requests.append((host, path, status))


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


def _not_modified(headers, etag: str | None, last_modified: datetime | None) -> bool:
    inm = headers.get("If-None-Match")
    if inm is not None:
        # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return etag is not None and (etag in tags or "*" in tags)
    ims = headers.get("If-Modified-Since")
    if ims and last_modified is not None:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return last_modified.replace(microsecond=0) <= since
    return False


class Handler(BaseHTTPRequestHandler):
    server: SampleWebServer
    protocol_version = "HTTP/1.1"
    server_version = SERVER_NAME
    sys_version = ""
    timeout = 60  # idle keep-alive connections

    def log_message(self, format: str, *args) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def _target(self) -> tuple[str, str, str]:
        raw = self.path
        if raw.startswith(("http://", "https://")):
            parts = urlsplit(raw)
            host = parts.hostname or ""
            path, query = parts.path or "/", parts.query
        else:
            host = (
                (self.headers.get("Host") or "").rsplit(":", 1)[0]
                if not (self.headers.get("Host") or "").startswith("[")
                else ""
            )
            path, _, query = raw.partition("?")
        return host.lower().rstrip("."), path, query

    def _route(self, host: str, path: str, query: str) -> Response:
        if host == quirks.HOST:
            return self.server.quirks.respond(path, query)
        found = site.respond(host, path, query)
        if found is None:
            return site.text_response(
                502,
                f"502 Bad Gateway: {host or 'no host'} is not a sample outlet; "
                "this proxy does not forward requests off the machine.\n",
            )
        return found

    def _handle(self, head: bool) -> None:
        host, path, query = self._target()
        try:
            resp = self._route(host, path, query)
        except Exception:  # a bug in a page must not kill the connection thread silently
            logger.exception("error serving %s%s", host, path)
            resp = site.text_response(500, "Internal Server Error\n")
        self._logged_as = (host, path + (f"?{query}" if query else ""))
        self._send(resp, head)

    def send_response(self, code: int, message: str | None = None) -> None:
        # Logged before the response leaves: a client that reads the log right after its
        # response arrives must find the request there.
        logged_as = getattr(self, "_logged_as", None)
        if logged_as is not None:
            self.server.record(*logged_as, code)
            self._logged_as = None
        super().send_response(code, message)

    def _send(self, resp: Response, head: bool) -> int:
        body = resp.body
        etag = _etag(body) if resp.conditional and resp.stream is None else None
        if (
            resp.status == 200
            and resp.conditional
            and _not_modified(self.headers, etag, resp.last_modified)
        ):
            self.send_response(304)
            if etag:
                self.send_header("ETag", etag)
            if resp.last_modified:
                self.send_header(
                    "Last-Modified",
                    format_datetime(resp.last_modified.astimezone(UTC), usegmt=True),
                )
            self.end_headers()
            return 304
        gzipped = (
            resp.stream is None
            and len(body) > 512
            and "gzip" in (self.headers.get("Accept-Encoding") or "").lower()
        )
        if gzipped:
            # mtime=0 keeps the compressed bytes stable between requests.
            body = gzip.compress(body, mtime=0)
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header(
            "Content-Length", str(resp.length if resp.stream is not None else len(body))
        )
        for name, value in resp.headers:
            self.send_header(name, value)
        if etag:
            self.send_header("ETag", etag)
        if resp.last_modified:
            self.send_header(
                "Last-Modified",
                format_datetime(resp.last_modified.astimezone(UTC), usegmt=True),
            )
        if resp.conditional:
            self.send_header("Vary", "Accept-Encoding")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if head:
            return resp.status
        try:
            if resp.stream is None:
                self.wfile.write(body)
            else:
                for i, chunk in enumerate(resp.stream):
                    self.wfile.write(chunk)
                    if i == 0 and resp.stall:
                        self.wfile.flush()
                        resp.stall()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        return resp.status

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    def do_CONNECT(self) -> None:
        # No tunnelling: HTTPS through this proxy would leave the machine.
        host = self.path.rsplit(":", 1)[0].lower()
        self.send_response(502)
        msg = b"502 Bad Gateway: CONNECT is not supported by the sample web proxy.\n"
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(msg)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(msg)
        self.close_connection = True
        self.server.record(host, "CONNECT", 502)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 1 << 20))
        host, path, _ = self._target()
        msg = b"405 Method Not Allowed\n"
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(msg)))
        self.end_headers()
        self.wfile.write(msg)
        self.server.record(host, path, 405)


class SampleWeb:
    """The sample web on loopback, served from a daemon thread.

    >>> with SampleWeb() as web:            # doctest: +SKIP
    ...     proxies = {"http": web.proxy_url}
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False) -> None:
        self.server = SampleWebServer((host, port), verbose=verbose)
        self.host = host
        self.port: int = self.server.server_address[1]
        self._thread = threading.Thread(
            target=self.server.serve_forever,
            name="sampleweb",
            kwargs={"poll_interval": 0.1},
            daemon=True,
        )
        self._thread.start()

    @property
    def proxy_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def requests(self) -> list[tuple[str, str, int]]:
        """Every request served so far, as ``(host, path_with_query, status)``."""
        return self.server.requests

    def close(self) -> None:
        self.server.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
