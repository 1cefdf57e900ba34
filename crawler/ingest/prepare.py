"""Preparing corpus records for the store, as an ingest's worker processes run it.

A record becomes a capture (what the crawl keeps of a fetched page) and an article: HTML is
extracted like a crawled page, a ``text`` is taken as given with its attribution lines
parsed; the crawl's identity rules give its URL and outlet. With the store's signature
parameters the text is also tokenised and signed here, so that the process that stores and
matches (the ingest's bound) does not have to.

This module is what a worker process imports, so it imports only what preparing needs: the
store, the matcher's indexes, the decisions and the crawl's Scrapy machinery stay out of the
worker (they cost it about a second of start-up CPU, on the cores the ingest needs), and HTML
extraction is loaded with the first HTML record.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from crawler.extract.credits import (
    author_attributions,
    credits_with_lines,
    name_key,
    registered_domain,
)
from crawler.extract.dates import parse_datetime
from crawler.ingest.records import Problem, Record
from crawler.urls import BadURL, canonical_url, outlet_of
from dedupe.matcher import Presigned, presign
from dedupe.shingles import Tokens, tokenize

if TYPE_CHECKING:
    import numpy as np

    from dedupe.signature import SignatureParams

logger = logging.getLogger(__name__)

_ATTRIBUTION_WINDOW = 50_000

Prepared = tuple[dict | None, dict | None, Problem | None, "tuple[Tokens, Presigned] | None"]


def _utcnow() -> str:
    # As `crawler.store.utcnow`, without loading the store (sqlite-utils) into a worker.
    return datetime.now(UTC).isoformat(timespec="seconds")


def _canonical_or_none(url: str | None) -> str | None:
    try:
        return canonical_url(url) if url else None
    except BadURL:
        return None


def _normalized_date(value: str | None) -> str | None:
    parsed = parse_datetime(value)
    if parsed is None:
        return None
    moment, day = parsed
    return moment.astimezone(UTC).isoformat() if moment else day.isoformat()


def _capture(record: Record, outcome: str, reason: str | None) -> dict[str, Any]:
    body = record.body
    if body is None and record.html is not None:
        body = record.html.encode("utf-8", "replace")
    return {
        "url": record.url,
        "final_url": record.url,
        "status": record.status,
        "content_type": record.content_type or ("text/html" if record.html else None),
        "headers": record.headers,
        "body": body,
        "encoding": record.encoding,
        "fetched_at": record.fetched_at or _utcnow(),
        "outcome": outcome,
        "reason": reason,
    }


def prepare(record: Record) -> tuple[dict[str, Any] | None, dict[str, Any] | None, Problem | None]:
    """(capture, article, problem) for one record: the crawl's extraction and identity."""
    try:
        fetched_url = canonical_url(record.url)
    except BadURL as exc:
        return None, None, Problem(record.source, "bad URL", str(exc))
    given_outlet = record.outlet
    if record.html is not None:
        # Loaded with the first HTML record: a text corpus's workers never need trafilatura.
        from crawler.crawl.extraction import article_identity
        from crawler.extract.page import NotAnArticle, extract_article

        try:
            article = extract_article(record.html, record.url)
        except NotAnArticle as exc:
            reason = str(exc)
            return _capture(record, "skipped", reason), None, Problem(record.source, "not an article", reason)
        except Exception as exc:  # a parser bug on one page must not stop the ingest
            logger.exception("extraction failed on %s", record.url)
            reason = f"extraction failed: {type(exc).__name__}: {exc}"
            return _capture(record, "skipped", reason), None, Problem(record.source, "extraction failed", str(exc))
        article["url"] = article_identity(record.url, article.get("declared_canonical"))
        article["outlet"] = outlet_of(article["url"])
    else:
        text = record.text.replace("\r\n", "\n").replace("\r", "\n").strip()
        outlet = outlet_of(fetched_url)
        # Credits sit at the top or the bottom of an article; a huge text (a book, a
        # log) is only parsed there, or it would take seconds.
        if len(text) > 2 * _ATTRIBUTION_WINDOW:
            scanned = text[:_ATTRIBUTION_WINDOW] + "\n" + text[-_ATTRIBUTION_WINDOW:]
        else:
            scanned = text
        hits, credit_lines = credits_with_lines(scanned, None, fetched_url, own_outlet=outlet)
        article = {
            "url": fetched_url,
            "outlet": outlet,
            "text": text,
            "text_hash": hashlib.sha1(text.encode("utf-8")).hexdigest(),
            "attribution_lines": credit_lines,
            "attributions": [asdict(hit) for hit in hits],
        }
    article["fetched_url"] = record.url
    if record.author:
        # An author field naming an agency or outlet ("Associated Press") is a byline credit.
        seen = {(h.get("form"), name_key(h.get("name") or "")) for h in article.get("attributions", [])}
        for hit in author_attributions(record.author, article["url"], own_outlet=article.get("outlet")):
            if (hit.form, name_key(hit.name)) not in seen:
                article.setdefault("attributions", []).append(asdict(hit))
    for hit in article.get("attributions", []):
        hit["url"] = _canonical_or_none(hit.get("url"))
    # What the record states beats what extraction guessed.
    if record.title:
        article["title"] = record.title
    if record.author:
        article["author"] = record.author
    given_date = _normalized_date(record.published_at)
    if given_date:
        article["published_at"], article["date_source"] = given_date, "input"
    if given_outlet and registered_domain(given_outlet) is None:
        # A display name ("South Front") names the outlet, so attributions resolve to it.
        # A domain is only a check: the URL decides the outlet, as in a crawl.
        article["sitename"] = given_outlet
    return _capture(record, "article", None), article, None


def _prepare_safely(record: Record) -> tuple[dict | None, dict | None, Problem | None]:
    try:
        return prepare(record)
    except Exception as exc:  # a bug on one record must not lose the others
        logger.exception("cannot prepare %s", record.source)
        return None, None, Problem(record.source, "preparation failed", f"{type(exc).__name__}: {exc}")


def prepare_batch(
    records: list[Record],
    sign: SignatureParams | None = None,
    boilerplate: dict[str, np.ndarray] | None = None,
) -> list[Prepared]:
    """`prepare` for each record; with ``sign`` (the store's signature parameters) each
    article's text is also tokenised and signed here, without the paragraphs
    ``boilerplate`` (outlet -> its known boilerplate keys, sorted) names, so that the
    process that stores and matches the batches (the ingest's bound) does not have to."""
    prepared: list[Prepared] = []
    known = boilerplate or {}
    for record in records:
        capture, article, problem = _prepare_safely(record)
        signed = None
        if article is not None and sign is not None:
            tokens = tokenize(article["text"] or "")
            signed = (tokens, presign(tokens, sign, known.get(article["outlet"])))
        prepared.append((capture, article, problem, signed))
    return prepared


