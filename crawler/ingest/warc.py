"""Reading HTML pages out of WARC files (Common Crawl, the Internet Archive, wget, ClueWeb).

Each ``response`` record (and ``resource`` record) holding HTML becomes an ingest `Record`
with what a crawl would have kept of the fetch: the target URL, the HTTP status and
headers, the raw body, and the body decoded the way Scrapy decodes it (charset from the
``Content-Type`` header, then ``<meta>``, then a BOM, then a guess: w3lib's
``html_to_unicode``). warcio undoes chunked transfer and gzip/deflate content encodings.

Other records (requests, metadata, warcinfo, revisits) carry no page and are passed over;
responses that are redirects, errors, not HTML, or listing pages (a site's home, category,
tag and feed pages, which a crawl does not take for articles either) are counted as skipped
with their reason. A record cut off by the end of the file (a truncated download, a crawl
killed while writing) is a problem too, never silently dropped or stored half.
Real WARCs bend the standard (ClueWeb writes impossible dates such as
``2008-10-294T05:21:46-0700``): a date that cannot be read falls back to the response's
``Date`` header, then to the time of ingest.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import BinaryIO

from w3lib.encoding import html_to_unicode, http_content_type_encoding
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from crawler.crawl.discovery import is_listing_url
from crawler.ingest.records import MAX_RECORD_BYTES, Problem, Record

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
# An article page larger than this is not an article (extract refuses 5M characters).
MAX_BODY_BYTES = MAX_RECORD_BYTES
_PAGE_RECORDS = ("response", "resource")


def _warc_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _http_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).astimezone(UTC).isoformat(timespec="seconds")
    except (TypeError, ValueError, IndexError):
        return None


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) or b"<html" in head


def _starts_like_an_archive(stream: BinaryIO) -> bool:
    head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 64)
        except zlib.error:
            return False
    return head.lstrip().startswith((b"WARC/", b"filedesc://"))


def decode_html(content_type: str | None, body: bytes) -> tuple[str, str]:
    """(encoding, text) of an archived page. A charset in the HTTP header wins (w3lib's
    order: header, byte-order mark, ``<meta>``, detection), except that a body which is valid
    UTF-8 with non-ASCII bytes is read as UTF-8 when only its ``<meta>`` says otherwise:
    pages saved or re-served after re-encoding keep their old ``<meta charset=GB2312>``,
    and text in a legacy CJK or Cyrillic encoding is practically never valid UTF-8 by chance.
    """
    if http_content_type_encoding(content_type) is None and not body.isascii():
        try:
            return "utf-8", body.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            pass
    return html_to_unicode(content_type, body)


def read_warc(
    stream: BinaryIO, name: str, *, max_body_bytes: int = MAX_BODY_BYTES
) -> Iterator[Record | Problem]:
    """The HTML pages of a WARC (or ARC) stream, gzipped per record or not."""
    if not _starts_like_an_archive(stream):
        yield Problem(name, "not a readable WARC", "it does not start with a WARC or ARC record")
        return
    try:
        records = ArchiveIterator(stream, arc2warc=True)
        for number, record in enumerate(records, 1):
            source = f"{name} record {number}"
            item = None
            if record.rec_type in _PAGE_RECORDS:
                item = _page(record, source, max_body_bytes)
            if _cut_off(record):
                yield Problem(source, "truncated record",
                              f"the file ends {record.raw_stream.limit:,} bytes before the "
                              f"end of this {record.rec_type} record")
                continue
            if item is not None:
                yield item
    except ArchiveLoadFailed as exc:
        yield Problem(name, "not a readable WARC", str(exc).strip().splitlines()[0][:200])


def _cut_off(record) -> bool:
    """Whether the file ended inside this record: the rest of its declared length is read
    (in chunks, never whole), and what could not be read is the part cut off."""
    raw = record.raw_stream
    while raw.read(65536):
        pass
    return bool(getattr(raw, "limit", 0))


def _page(record, source: str, max_body_bytes: int) -> Record | Problem | None:
    headers = record.rec_headers
    url = (headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    if record.rec_type == "resource" and not url.lower().startswith(("http://", "https://")):
        return None  # a crawler's own log or settings (wget's metadata:// resources)
    if not url:
        return Problem(source, "no url", "record has no WARC-Target-URI")
    http = record.http_headers if record.rec_type == "response" else None
    status = None
    if http is not None:
        try:
            status = int(http.get_statuscode() or 0)
        except ValueError:
            status = 0
        if 300 <= status < 400:
            return Problem(source, "redirect", f"HTTP {status} at {url}")
        if not 200 <= status < 300:
            return Problem(source, "not a success", f"HTTP {status} at {url}")
        content_type = http.get_header("Content-Type")
    else:
        content_type = headers.get_header("Content-Type")
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime and mime not in HTML_TYPES:
        return Problem(source, "not HTML", f"{mime} at {url}")
    if is_listing_url(url):
        # The crawl does not take home, category, tag or feed pages for articles either.
        return Problem(source, "listing page", url)
    body = record.content_stream().read(max_body_bytes + 1)
    if len(body) > max_body_bytes:
        return Problem(source, "record too large",
                       f"more than {max_body_bytes:,} bytes at {url} (--max-record-size)")
    if not mime and not _looks_like_html(body):
        return Problem(source, "not HTML", f"no content type and no HTML at {url}")
    encoding, html = decode_html(content_type, body)
    fetched_at = (
        _warc_date(headers.get_header("WARC-Date"))
        or _http_date(http.get_header("Date") if http is not None else None)
    )
    return Record(
        source=source,
        url=url,
        html=html,
        fetched_at=fetched_at,
        status=status,
        content_type=content_type,
        headers=dict(http.headers) if http is not None else None,
        body=body,
        encoding=encoding,
    )
