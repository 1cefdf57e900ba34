"""What the writer accepts from the items stream: a schema for entries, bounded inflation,
and an optional HMAC that proves an entry came from a worker holding the shared key.

The writer trusts nothing it reads from Redis. :func:`check_entry` turns a stream entry into
``(page, article, reason)`` or raises :class:`BadEntry` with the reason, which the writer
puts in the dead-letter stream (``{p}:dead``) before acknowledging the entry, so one bad entry
never stops the crawl nor comes back at the next start:

- every field has its type, required fields are present (an article has a non-empty ``text``,
  a ``url`` and the ``outlet`` of that URL), URLs are absolute http(s) URLs, no string holds a
  lone surrogate (SQLite and every UTF-8 consumer refuse them), sizes are bounded;
- the body is inflated in one bounded step: at most ``max_body`` bytes come out
  (``DOWNLOAD_MAXSIZE``, as for a fetched response), so a small zlib bomb costs nothing;
- with a shared key (``CROSSPOST_REDIS_HMAC_KEY``), each entry carries ``mac``, an
  HMAC-SHA256 over the crawl's key prefix and every other field; an entry without a valid one
  is refused.
"""

from __future__ import annotations

import hmac
import json
import os
import zlib
from datetime import datetime
from hashlib import sha1, sha256
from typing import Any

from crawler.items import PageItem
from crawler.urls import BadURL, check_url, outlet_of

HMAC_ENV = "CROSSPOST_REDIS_HMAC_KEY"
MAX_PAGE_JSON = 1024 * 1024  # headers, hints and notes of one page
MAX_DEPTH = 8

_PAGE_STR = ("final_url", "encoding", "content_type", "fetched_at", "error", "skip_reason",
             "discovered_via", "frontier_url", "listed_date")  # fmt: skip
_ARTICLE_STR = ("fetched_url", "declared_canonical", "title", "author", "sitename",
                "description", "published_at", "date_source", "language", "text_hash")  # fmt: skip
_FIELDS = {b"page", b"body", b"article", b"reason", b"mac"}


class BadEntry(ValueError):
    """A stream entry the writer refuses; the message is the reason."""


def hmac_key_from(value: str | bytes | None = None) -> bytes | None:
    """The shared key: ``value`` (a setting) or the environment variable, None when unset."""
    value = value or os.environ.get(HMAC_ENV) or None
    if value is None:
        return None
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def entry_mac(fields: dict[Any, bytes], key: bytes, prefix: str) -> bytes:
    """HMAC-SHA256 (hex) over the prefix and every field but ``mac``, length-prefixed so that
    no two different entries give the same message."""
    mac = hmac.new(key, digestmod=sha256)
    mac.update(b"crosspost-item-v1\0" + prefix.encode("utf-8") + b"\0")
    named = {(n if isinstance(n, bytes) else n.encode()): v for n, v in fields.items()}
    for name in sorted(named):
        if name == b"mac":
            continue
        value = named[name]
        mac.update(len(name).to_bytes(8, "big") + name + len(value).to_bytes(8, "big") + value)
    return mac.hexdigest().encode("ascii")


def check_entry(fields: dict[bytes, bytes], *, max_body: int, hmac_key: bytes | None = None,
                prefix: str = "crosspost") -> tuple[PageItem, dict[str, Any] | None, str | None]:  # fmt: skip
    """(page, article or None, reason or None) of a stream entry, or :class:`BadEntry`."""
    unknown = set(fields) - _FIELDS
    if unknown:
        raise BadEntry(f"unknown fields {sorted(n.decode('latin-1')[:40] for n in unknown)}")
    if hmac_key is not None:
        given = fields.get(b"mac", b"")
        if not hmac.compare_digest(given, entry_mac(fields, hmac_key, prefix)):
            raise BadEntry("HMAC missing or wrong: not signed with the crawl's shared key")
    if b"page" not in fields:
        raise BadEntry("no page field")
    page_data = _json(fields[b"page"], "page", MAX_PAGE_JSON)
    page = _page(page_data)
    if b"body" in fields:
        page.body = inflate(fields[b"body"], max_body)
    article = None
    if b"article" in fields:
        # Extracted text is never larger than the body it came from, plus JSON escaping.
        article = _article(_json(fields[b"article"], "article", 2 * max_body + MAX_PAGE_JSON))
    reason = _text(fields.get(b"reason", b""), "reason", 64 * 1024) or None
    return page, article, reason


def inflate(data: bytes, limit: int) -> bytes:
    """``data`` inflated, refusing to produce more than ``limit`` bytes."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise BadEntry(f"body is not zlib data: {exc}") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise BadEntry(f"body inflates past {limit:,} bytes (DOWNLOAD_MAXSIZE)")
    if not inflater.eof:
        raise BadEntry("body is truncated zlib data")
    return out


def _text(raw: bytes, name: str, limit: int) -> str:
    if len(raw) > limit:
        raise BadEntry(f"{name} is {len(raw):,} bytes, over {limit:,}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadEntry(f"{name} is not UTF-8: {exc}") from None


def _json(raw: bytes, name: str, limit: int) -> dict[str, Any]:
    text = _text(raw, name, limit)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BadEntry(f"{name} is not JSON: {str(exc)[:200]}") from None
    if not isinstance(data, dict):
        raise BadEntry(f"{name} is not a JSON object")
    _clean(data, name, 0)
    return data


def _clean(value: Any, where: str, depth: int) -> None:
    """No lone surrogates anywhere (keys included), no deep nesting."""
    if depth > MAX_DEPTH:
        raise BadEntry(f"{where} is nested too deeply")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BadEntry(f"{where} holds a lone surrogate (invalid Unicode)") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _clean(key, f"{where} key", depth + 1)
            _clean(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _clean(item, f"{where}[{n}]", depth + 1)


def _url(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise BadEntry(f"{where} is not a URL string")
    try:
        url = check_url(value)
        outlet_of(url)
    except BadURL as exc:
        raise BadEntry(f"{where}: {exc}") from None
    if len(url) > 8192:
        raise BadEntry(f"{where} is longer than 8,192 characters")
    return url


def _optional(data: dict[str, Any], names: tuple[str, ...], where: str) -> None:
    for name in names:
        if data.get(name) is not None and not isinstance(data[name], str):
            raise BadEntry(f"{where}.{name} is not a string")


def _page(data: dict[str, Any]) -> PageItem:
    known = set(PageItem.__dataclass_fields__) - {"body", "html"}
    unknown = set(data) - known
    if unknown:
        raise BadEntry(f"page has unknown fields {sorted(unknown)[:5]}")
    data["url"] = _url(data.get("url"), "page.url")
    _optional(data, _PAGE_STR, "page")
    if data.get("final_url") is not None:
        _url(data["final_url"], "page.final_url")
    status = data.get("status")
    if status is not None and (type(status) is not int or not 100 <= status <= 599):
        raise BadEntry(f"page.status {status!r} is not an HTTP status")
    for name in ("is_listing", "not_modified"):
        if name in data and type(data[name]) is not bool:
            raise BadEntry(f"page.{name} is not true or false")
    headers = data.get("headers", {})
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise BadEntry("page.headers is not an object of strings")
    if not isinstance(data.get("hints", {}), dict):
        raise BadEntry("page.hints is not an object")
    notes = data.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise BadEntry("page.notes is not a list of strings")
    if data.get("fetched_at") is not None:
        _date(data["fetched_at"], "page.fetched_at")
    return PageItem(**data)


def _article(data: dict[str, Any]) -> dict[str, Any]:
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadEntry("article has no text")
    url = _url(data.get("url"), "article.url")
    _optional(data, _ARTICLE_STR, "article")
    if data.get("fetched_url") is not None:
        _url(data["fetched_url"], "article.fetched_url")
    if data.get("outlet") != outlet_of(url):
        raise BadEntry(f"article.outlet {str(data.get('outlet'))[:80]!r} is not the outlet of "
                       f"its URL ({outlet_of(url)})")  # fmt: skip
    lines = data.get("attribution_lines", [])
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise BadEntry("article.attribution_lines is not a list of strings")
    hits = data.get("attributions", [])
    if not isinstance(hits, list) or not all(
        isinstance(hit, dict)
        and all(v is None or isinstance(v, (str, int, float)) for v in hit.values())
        for hit in hits
    ):
        raise BadEntry("article.attributions is not a list of flat objects")
    # Computed here, never taken from the entry: the store decides "unchanged" by this hash.
    data["text_hash"] = sha1(text.encode("utf-8")).hexdigest()
    return data


def _date(value: str, where: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise BadEntry(f"{where} {value[:40]!r} is not an ISO date") from None
