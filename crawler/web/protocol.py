"""uvicorn's HTTP/1.1 protocols, hardened against slow and oversized requests.

uvicorn (0.55) has no request-header timeout, no header size limit with httptools (its
``h11_max_incomplete_event_size`` applies to h11 only), and its ``limit_concurrency`` counts
open connections, idle ones included, so a few hundred idle sockets made every other
request answer 503. These subclasses of both parsers' protocols add:

- a header timeout: a connection must complete its request line and headers within
  ``header_timeout`` seconds of opening (or of its first byte after a response); else it is
  closed (408 when a request had started);
- a header size cap, ``max_header_bytes``, the same with either parser: more is answered 431
  and the connection closed, without buffering the rest;
- idle eviction: above ``max_connections`` open connections, the oldest connections that
  are waiting for headers are closed, so idle sockets cannot crowd out requests;
- JSON errors with the security headers for what uvicorn answers itself (malformed
  requests: 400).

Concurrency is limited per request, not per connection, by
:class:`crawler.web.middleware.ConcurrencyLimit` (JSON 503 with ``Retry-After``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import resource
from http import HTTPStatus
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from crawler.web.middleware import SECURITY_HEADERS

logger = logging.getLogger(__name__)

__all__ = ["HEADER_TIMEOUT", "MAX_HEADER_BYTES", "error_bytes", "hardened_protocol"]

#: Seconds a connection has to send its request line and headers.
HEADER_TIMEOUT = 10.0
#: Request line and headers together; browsers send a few kilobytes.
MAX_HEADER_BYTES = 32 * 1024


def default_max_connections() -> int:
    """Half the process's open-file limit, at most 4096: sockets beyond it evict idle ones."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        soft = 8192
    return max(64, min(4096, soft // 2))


def error_bytes(status: int, message: str) -> bytes:
    """A complete HTTP/1.1 error answer: JSON body, security headers, connection close."""
    body = json.dumps({"error": {"status": status, "message": message}}).encode()
    lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}".encode(),
             b"content-type: application/json", b"content-length: " + str(len(body)).encode(),
             b"connection: close"]
    lines += [name + b": " + value for name, value in SECURITY_HEADERS]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class _Hardened:
    """What both parsers' protocols share; ``_awaiting_headers`` is parser-specific."""

    header_timeout = HEADER_TIMEOUT
    max_header_bytes = MAX_HEADER_BYTES
    max_connections = 1024

    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    connections: set[Any]

    def _awaiting_headers(self) -> bool:
        raise NotImplementedError

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._header_bytes = 0
        self._header_timer: asyncio.TimerHandle | None = None
        self._opened = self.loop.time()
        self._arm_header_timer()
        if len(self.connections) > self.max_connections:
            self._evict_idle()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)  # type: ignore[misc]

    def data_received(self, data: bytes) -> None:
        if self._awaiting_headers():
            self._header_bytes += len(data)
        super().data_received(data)  # type: ignore[misc]
        if self.transport.is_closing():
            return
        if not self._awaiting_headers():
            self._disarm_header_timer()
            self._header_bytes = 0
        elif self._header_bytes > self.max_header_bytes:
            self.refuse(431, f"request headers too large (at most {self.max_header_bytes} bytes)")
        elif self._header_timer is None:
            self._arm_header_timer()

    # -- timers and eviction ---------------------------------------------------------------
    def _arm_header_timer(self) -> None:
        self._disarm_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout, self._header_timeout)

    def _disarm_header_timer(self) -> None:
        if getattr(self, "_header_timer", None) is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timeout(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or not self._awaiting_headers():
            return
        if self._header_bytes:
            self.refuse(408, f"request headers not received within {self.header_timeout:g} s")
        else:
            self.transport.close()

    def _evict_idle(self) -> None:
        excess = len(self.connections) - self.max_connections
        idle = sorted((c for c in self.connections
                       if c is not self and isinstance(c, _Hardened) and c._awaiting_headers()
                       and not c.transport.is_closing()), key=lambda c: c._opened)
        for connection in idle[:excess]:
            connection.transport.close()
        if excess > len(idle):
            logger.warning("%d connections open, none of them idle", len(self.connections))

    # -- answers ---------------------------------------------------------------------------
    def refuse(self, status: int, message: str) -> None:
        self._disarm_header_timer()
        if not self.transport.is_closing():
            self.transport.write(error_bytes(status, message))
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        if getattr(self, "_too_large", False):
            self.refuse(431, f"request headers too large (at most {self.max_header_bytes} bytes)")
        else:
            self.refuse(400, "malformed HTTP request")


class HardenedH11(_Hardened, H11Protocol):
    def _awaiting_headers(self) -> bool:
        return self.conn.their_state is h11.IDLE

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        next_event = self.conn.next_event

        def checked() -> Any:
            # A head that arrives whole in one read never trips h11's incomplete-event limit.
            event = next_event()
            if isinstance(event, h11.Request):
                size = len(event.target) + sum(len(n) + len(v) + 4 for n, v in event.headers)
                if size > self.max_header_bytes:
                    self._too_large = True
                    raise h11.RemoteProtocolError("request head too large", 431)
            return event

        self.conn.next_event = checked  # type: ignore[method-assign]


def _httptools_class() -> type:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class HardenedHttpTools(_Hardened, HttpToolsProtocol):
        _in_headers = True

        def _awaiting_headers(self) -> bool:
            cycle = self.cycle
            return self._in_headers or cycle is None or cycle.response_complete

        def on_message_begin(self) -> None:
            self._in_headers = True
            self._head_size = 0
            super().on_message_begin()

        # A head that arrives whole in one read is measured here, as the parser reads it;
        # raising makes httptools fail the request, answered by send_400_response.
        def on_url(self, url: bytes) -> None:
            self._grow(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._grow(len(name) + len(value) + 4)
            super().on_header(name, value)

        def _grow(self, size: int) -> None:
            self._head_size = getattr(self, "_head_size", 0) + size
            if self._head_size > self.max_header_bytes:
                self._too_large = True
                raise ValueError("request head too large")

        def on_headers_complete(self) -> None:
            self._in_headers = False
            super().on_headers_complete()

    return HardenedHttpTools


def hardened_protocol(parser: str = "auto", *, header_timeout: float = HEADER_TIMEOUT,
                      max_header_bytes: int = MAX_HEADER_BYTES,
                      max_connections: int | None = None) -> type:
    """The protocol class for uvicorn's ``http=`` option: ``"h11"``, ``"httptools"`` or
    ``"auto"`` (httptools when installed, as uvicorn does)."""
    base: type = HardenedH11
    if parser in ("auto", "httptools"):
        try:
            base = _httptools_class()
        except ImportError:
            if parser == "httptools":
                raise
    return type(base.__name__, (base,), {
        "header_timeout": header_timeout,
        "max_header_bytes": max_header_bytes,
        "max_connections": max_connections or default_max_connections(),
    })
