"""What the store keeps of a fetched page: its capture row and its URL's validators.

Shared by the crawl's store pipeline and the Redis writer, so a page is recorded the same way
whichever process stores it.
"""

from __future__ import annotations

from typing import Any

from crawler.items import PageItem


def header(headers: dict[str, str], name: str) -> str | None:
    """A response header by case-insensitive name."""
    return next((v for k, v in headers.items() if k.lower() == name), None)


def outcome_of(page: PageItem, article: dict[str, Any] | None) -> str:
    """The capture's outcome: article, not-modified, not-fetched, error, listing or skipped."""
    if article is not None:
        return "article"
    if page.not_modified:
        return "not-modified"
    if page.skip_reason:
        return "not-fetched"
    if page.error:
        return "error"
    if page.is_listing:
        return "listing"
    return "skipped"


def capture_of(
    page: PageItem,
    article: dict[str, Any] | None,
    reason: str | None,
    crawl_id: int | None,
    state_url: str | None,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(capture row, URL validators for ``state_url``) of a page; no validators without a
    ``state_url`` or for a response that carries none."""
    capture = {
        "crawl_id": crawl_id,
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "content_type": page.content_type,
        "headers": page.headers,
        "body": page.body,
        "encoding": page.encoding,
        "fetched_at": page.fetched_at,
        "outcome": outcome_of(page, article),
        "reason": (
            ("; ".join(page.notes) or None)
            if article is not None
            else (reason or page.error or page.skip_reason)
        ),
    }
    if page.notes and article is None and capture["reason"]:
        capture["reason"] += " (" + "; ".join(page.notes) + ")"
    state = None
    if state_url and page.status in (200, 304):
        state = {
            "url": state_url,
            "etag": header(page.headers, "etag"),
            "last_modified": header(page.headers, "last-modified"),
            "listed_date": page.listed_date,
            "status": page.status,
            "not_modified": page.not_modified,
        }
    return capture, state
