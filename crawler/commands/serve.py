"""``crosspost serve``: the JSON API and the web page over a store, under uvicorn."""

from __future__ import annotations

import ipaddress
import logging
import socket
import sys

import click

from crawler.commands.options import db_option, open_store

logger = logging.getLogger(__name__)

MISSING = "the HTTP server needs the 'serve' extra ({name} is missing): pip install 'crosspost[serve]'"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: any free port), so the real port is known
    before the server starts."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def loopback_names(sock: socket.socket) -> list[str]:
    """The Host header values a server on loopback answers to: the usual loopback names and
    the address it really listens on (``127.0.0.2`` is loopback too), so its printed URL
    works."""
    from crawler.web.app import LOOPBACK_HOSTS

    bound = sock.getsockname()[0]
    return [*LOOPBACK_HOSTS, bound, f"[{bound}]" if ":" in bound else bound]


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}/"


@click.command()
@db_option()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Host names the server answers to (repeatable; default: loopback names "
                   "when listening on loopback, any name otherwise).")
@click.option("--allow-fetch", is_flag=True,
              help="Let /api/provenance?fetch=true fetch unknown URLs (behind the fetch guard: "
                   "public http(s) addresses only) and store them.")
@click.option("--access-log", is_flag=True, help="Log every request to stderr.")
@click.option("--http", "parser", type=click.Choice(["auto", "httptools", "h11"]),
              default="auto", show_default=True,
              help="HTTP/1.1 parser (auto: httptools when installed). Both get the same "
                   "header timeout and size limit.")
@click.option("--header-timeout", type=click.FloatRange(0.1, 600), default=10.0,
              show_default=True, metavar="SECONDS",
              help="Close connections that have not sent a complete request head by then.")
@click.option("--max-requests", type=click.IntRange(1, 100000), default=128, show_default=True,
              help="Requests in progress at once; more are answered 503 (JSON, Retry-After).")
@click.option("--max-connections", type=click.IntRange(8, 1000000), default=None,
              help="Open connections beyond which the oldest idle ones are closed "
                   "(default: half the open-file limit, at most 4096).")
def serve(db_path, host, port, allowed_hosts, allow_fetch, access_log, parser, header_timeout,
          max_requests, max_connections) -> None:
    """Serve the provenance API and web page over the store (read-only).

    Prints the server's URL on stdout, then answers until interrupted. The API is described
    at /openapi.json; the page is at /. The store may be written by a running crawl at the
    same time.
    """
    try:
        import uvicorn

        from crawler.web import create_app
    except ImportError as exc:
        raise click.ClickException(MISSING.format(name=exc.name)) from None
    from crawler.web.protocol import MAX_HEADER_BYTES, hardened_protocol

    open_store(db_path, readonly=True).close()
    sock = bind(host, port)
    loopback = is_loopback(sock.getsockname()[0])
    hosts = list(allowed_hosts) or (loopback_names(sock) if loopback else ["*"])
    app = create_app(db_path, allowed_hosts=hosts, allow_fetch=allow_fetch,
                     max_requests=max_requests)
    protocol = hardened_protocol(parser, header_timeout=header_timeout,
                                 max_connections=max_connections)
    config = uvicorn.Config(
        app,
        http=protocol,  # header timeout and size cap, idle eviction, JSON errors
        log_level="info" if access_log else "warning",
        access_log=access_log,
        server_header=False,
        timeout_keep_alive=5,
        # Requests are limited by the app (JSON 503s); uvicorn's limit counts idle sockets.
        limit_concurrency=None,
        # Above the protocol's own cap, which answers 431 first with either parser.
        h11_max_incomplete_event_size=MAX_HEADER_BYTES + 512 * 1024,
        lifespan="on",
    )
    click.echo(url_of(sock))
    sys.stdout.flush()
    uvicorn.Server(config).run(sockets=[sock])
