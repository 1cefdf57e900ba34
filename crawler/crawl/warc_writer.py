"""Writing every exchange of a crawl to WARC files (``crosspost crawl --warc DIR``).

Each response is written as a ``request`` record and a ``response`` record (linked by
``WARC-Concurrent-To``), gzip-compressed per record, into files of at most
``CROSSPOST_WARC_MAX_SIZE`` bytes. Responses are captured as they came off the wire, before
decompression, so the payload keeps its ``Content-Encoding``: a WARC reader decodes it as it
would any other archive. Redirects, errors and 304s are archived too.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import __version__

logger = logging.getLogger(__name__)

# Hop-by-hop framing that no longer describes the body once Scrapy has de-chunked it.
_DROPPED_HEADERS = {b"transfer-encoding", b"content-length", b"connection", b"keep-alive"}


def _warc_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class RotatingWarcWriter:
    """WARC files ``<prefix>-<UTC time>-<pid>-<n>.warc.gz`` in one directory, a new file when
    the current one passes ``max_size`` bytes. Each record is flushed as written, so a killed
    crawl leaves readable files."""

    def __init__(self, directory: str | Path, *, prefix: str = "crosspost",
                 max_size: int = 1024**3) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_size = max_size
        self.stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self.serial = 0
        self.fh = None
        self.writer: WARCWriter | None = None
        self.paths: list[Path] = []

    def _open(self) -> None:
        self.close()
        self.serial += 1
        path = self.directory / f"{self.prefix}-{self.stamp}-{os.getpid()}-{self.serial:05d}.warc.gz"
        self.fh = path.open("ab")
        self.paths.append(path)
        self.writer = WARCWriter(self.fh, gzip=True)
        info = self.writer.create_warcinfo_record(
            path.name,
            {"software": f"crosspost/{__version__} (Scrapy)", "format": "WARC File Format 1.1",
             "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"},
        )
        self.writer.write_record(info)

    def write(self, request: Request, response: Response, when: datetime | None = None) -> None:
        if self.writer is None or self.fh.tell() >= self.max_size:
            self._open()
        date = _warc_date(when or datetime.now(UTC))
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req_headers = [("Host", parts.netloc)] + [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, values in request.headers.items()
            for v in values
            if k.lower() not in (b"host", b"proxy-authorization")
        ]
        req_record = self.writer.create_warc_record(
            request.url, "request",
            payload=BytesIO(request.body or b""),
            http_headers=StatusAndHeaders(f"{request.method} {target} HTTP/1.1", req_headers,
                                          is_http_request=True),
            warc_headers_dict={"WARC-Date": date},
        )
        body = response.body or b""
        resp_headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, values in response.headers.items()
            for v in values
            if k.lower() not in _DROPPED_HEADERS
        ]
        resp_headers.append(("Content-Length", str(len(body))))
        try:
            phrase = HTTPStatus(response.status).phrase
        except ValueError:
            phrase = "Unknown"
        protocol = getattr(response, "protocol", None) or "HTTP/1.1"
        resp_record = self.writer.create_warc_record(
            request.url, "response",
            payload=BytesIO(body),
            http_headers=StatusAndHeaders(f"{response.status} {phrase}", resp_headers,
                                          protocol=protocol),
            warc_headers_dict={"WARC-Date": date},
        )
        resp_id = resp_record.rec_headers.get_header("WARC-Record-ID")
        req_record.rec_headers.add_header("WARC-Concurrent-To", resp_id)
        self.writer.write_record(resp_record)
        self.writer.write_record(req_record)
        self.fh.flush()

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
        self.fh = None
        self.writer = None


class WarcMiddleware:
    """Downloader middleware next to the downloader: archives every response as received.

    Enabled by ``CROSSPOST_WARC_DIR``."""

    def __init__(self, crawler: Crawler, directory: str, max_size: int) -> None:
        self.crawler = crawler
        self.writer = RotatingWarcWriter(directory, max_size=max_size)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcMiddleware:
        directory = crawler.settings.get("CROSSPOST_WARC_DIR")
        if not directory:
            raise NotConfigured
        return cls(crawler, directory,
                   crawler.settings.getint("CROSSPOST_WARC_MAX_SIZE", 1024**3))

    def process_response(self, request: Request, response: Response) -> Response:
        if "cached" in response.flags:  # answered without a fetch: archived when it was fetched
            return response
        try:
            self.writer.write(request, response)
            self.crawler.stats.inc_value("crosspost/warc_records", 2)
        except OSError as exc:  # a full disk must not end a months-long crawl silently
            logger.error("Cannot write WARC record for %s: %s", request.url, exc)
            self.crawler.stats.inc_value("crosspost/warc_errors")
        return response

    def spider_closed(self, spider: object) -> None:
        self.writer.close()
