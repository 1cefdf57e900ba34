"""The JSON API: provenance of a URL or a pasted text, search, outlets and the graph.

Every route reads through :class:`crawler.web.reader.StoreReader`; none writes.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from crawler import lookup as provenance
from crawler.urls import BadURL
from crawler.web.errors import ApiError, ErrorBody
from crawler.web.reader import BadSearch, StoreReader, TooLarge, UnknownOutlet

#: The longest URL the API looks up (browsers and servers rarely accept more).
MAX_URL_CHARS = 4096
#: The longest text ``/api/lookup-text`` accepts, in characters.
MAX_TEXT_CHARS = 200_000

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "Bad request (malformed URL or query)"),
        (404, "Not in the store"),
        (413, "Request or answer too large"),
        (422, "Invalid parameters"),
        (502, "The page could not be fetched (fetching servers only)"),
        (503, "Busy: try again shortly"),
    )
}

_TEXT_BODY = {
    "requestBody": {
        "required": True,
        "description": "The pasted text: JSON `{\"text\": ...}` or a text/plain body.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {"text": {"type": "string", "maxLength": MAX_TEXT_CHARS}},
                },
                "example": {"text": "Paste a paragraph or more of the article here ..."},
            },
            "text/plain": {"schema": {"type": "string", "maxLength": MAX_TEXT_CHARS}},
        },
    }
}


def _reader(request: Request) -> StoreReader:
    return request.app.state.reader


async def _text_of(request: Request) -> str:
    body = await request.body()
    kind = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "the body is not UTF-8 text") from None
    if kind == "application/json":
        try:
            data = json.loads(decoded)
        except ValueError as exc:
            raise ApiError(400, f"the body is not valid JSON: {exc}") from None
        except RecursionError:
            raise ApiError(400, "the body is not usable JSON: nested too deeply") from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ApiError(422, 'expected a JSON object {"text": "..."}')
        text = data["text"]
    elif kind in ("text/plain", ""):
        text = decoded
    else:
        raise ApiError(415, f"unsupported content type {kind!r}: send text/plain or JSON")
    if len(text) > MAX_TEXT_CHARS:
        raise ApiError(413, f"text too long ({len(text)} characters; at most {MAX_TEXT_CHARS})")
    return text


router = APIRouter(prefix="/api", responses=ERRORS)


@router.get("/health", summary="Liveness check", tags=["meta"])
def health() -> dict[str, str]:
    """Answers at once without touching the store: the server's own latency floor."""
    return {"status": "ok"}


@router.get("/provenance", summary="Where a URL's story first appeared, and every copy",
            tags=["provenance"])
def provenance_of(
    request: Request,
    url: Annotated[str, Query(min_length=1, max_length=MAX_URL_CHARS,
                              description="The article's URL, as copied from the browser.")],
    fetch: Annotated[bool, Query(description="Fetch the page when the store does not know "
                                             "it (only on servers run with --allow-fetch).")]
    = False,
) -> dict[str, Any]:
    """The Lookup JSON of the story family holding ``url``: its origin, each copy with the
    source it was copied from, similarity, attribution sentence and lag. URL variants
    (http/https, www, trailing slash, AMP/mobile, tracking parameters) find the same article.
    An unknown URL answers 404 with ``found: false`` beside the error, unless ``fetch`` is
    given and the server allows fetching: then the page is fetched behind the fetch guard
    (a forbidden address answers 400, a failed fetch 502)."""
    reader = _reader(request)
    fetcher = request.app.state.fetcher
    try:
        result = provenance.lookup_url(reader.store(), url)
    except BadURL as exc:
        raise ApiError(400, str(exc)) from None
    except ValueError as exc:
        # URL parsers below the lookup (w3lib) reject some hosts, e.g. bracketed IPv6
        # literals, with a plain ValueError: the store cannot hold such a URL
        if fetch and fetcher is not None:
            return _fetch(fetcher, url)
        raise ApiError(400, f"malformed URL {url!r}: {exc}") from None
    if result["found"]:
        return result
    if fetch and fetcher is not None:
        return _fetch(fetcher, url)
    message = result.get("reason") or "the store has no article with this URL"
    if fetch:
        message += " (this server does not fetch unknown URLs)"
    raise ApiError(404, message, extra=result)


def _fetch(fetcher, url: str) -> dict[str, Any]:
    from crawler.web.fetching import FetchBusy, FetchFailed, FetchRefused

    try:
        result = fetcher.lookup(url)
    except FetchRefused as exc:
        raise ApiError(400, str(exc)) from None
    except FetchBusy as exc:
        raise ApiError(503, str(exc), headers={"Retry-After": "30"}) from None
    except FetchFailed as exc:
        raise ApiError(502, f"cannot fetch the page: {exc}") from None
    if not result.get("found"):
        raise ApiError(404, result.get("reason") or "the fetched page holds no article",
                       extra=result)
    return result


@router.post("/lookup-text", summary="Where a pasted text appeared", tags=["provenance"],
             openapi_extra=_TEXT_BODY)
async def lookup_text(request: Request) -> dict[str, Any]:
    """The stored articles that carry the text (``matches``: similarity and containment),
    and the Lookup JSON of the best match's story family. 404 when no article carries it;
    422 when the text is too short to match reliably."""
    text = await _text_of(request)
    reader = _reader(request)

    def work(store, index):
        return provenance.lookup_text(store, text, matcher=index)

    try:
        result = await run_in_threadpool(reader.in_text_thread, work)
    except provenance.ProvenanceError as exc:
        raise ApiError(422, str(exc)) from None
    if not result["found"]:
        raise ApiError(404, "no stored article contains this text", extra=result)
    return result


@router.get("/search", summary="Full-text search over titles and texts", tags=["articles"])
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words to find.")],
    page: Annotated[int, Query(ge=1, le=500)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    outlet: Annotated[str | None, Query(max_length=253,
                                        description="Only this outlet's articles.")] = None,
) -> dict[str, Any]:
    """Articles whose title or text hold every word of ``q`` (stemmed), best first. Query
    syntax is not interpreted: quotes, ``OR``, ``NEAR`` and ``*`` are searched as words.
    ``highlights`` are ``[start, end)`` ranges of the matched words in ``snippet``."""
    try:
        return _reader(request).search(q, page, per_page, outlet)
    except BadSearch as exc:
        raise ApiError(400, str(exc)) from None


@router.get("/summary", summary="What the store holds, and example lookups", tags=["meta"])
def store_summary(request: Request) -> dict[str, Any]:
    """Articles, outlets, story families and copies in the store, its last crawl or ingest,
    two example articles to look up (copies in its largest families), and where the
    decisions come from (``decided``: stored, or decided now on a stale store)."""
    return _reader(request).summary()


@router.get("/outlets", summary="Every outlet with its republication figures", tags=["outlets"])
def outlets(request: Request) -> dict[str, Any]:
    """Per outlet: articles, originals, copies of others, attribution rate, copied by
    others, median lag; most copies first."""
    rows = _reader(request).outlets()
    return {"count": len(rows), "outlets": rows}


@router.get("/outlets/{domain}", summary="One outlet: top sources and top republishers",
            tags=["outlets"])
def outlet(
    request: Request,
    domain: Annotated[str, Path(min_length=1, max_length=253,
                                description="Registered domain, e.g. southfront.org")],
) -> dict[str, Any]:
    """The outlet's figures, the outlets it copies most (``top_sources``), those that copy
    it most (``top_republishers``) and its latest articles."""
    try:
        return _reader(request).outlet(domain)
    except UnknownOutlet as exc:
        raise ApiError(404, str(exc)) from None


@router.get("/graph", summary="The republication graph as node-link JSON", tags=["graph"])
def republication_graph(
    request: Request,
    level: Annotated[Literal["outlet", "article"], Query()] = "outlet",
) -> dict[str, Any]:
    """``networkx.node_link_data`` of the cleaned graph (edges ``links``, pointing origin →
    copy): outlets weighted by republications, or articles. Large article graphs are refused
    with 413: export them with ``crosspost export``."""
    try:
        return _reader(request).graph(level)
    except TooLarge as exc:
        raise ApiError(413, str(exc)) from None
