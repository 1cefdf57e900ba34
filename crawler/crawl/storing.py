"""How a crawl's writes reach the store: in batches, each batch one transaction.

A batch is a list of operations in the order the crawl made them: frontier entries admitted,
frontier entries done, and fetched pages (a page's capture, its article, its URL state and its
frontier "done" mark, then the match of its article). Applying a batch in order keeps the
frontier's promise: the links found on a page are recorded before, or with, the page that is
marked done, so a crash loses at most the batch not committed yet, which a resumed crawl
fetches again.

The same code stores a batch in the crawling process (``CROSSPOST_STORE_PROCESS = False``) and
in the writer process beside it (:func:`open_writer`, :func:`write_batch`, :func:`close_writer`
run there, one writer per process).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from crawler.extract.captures import capture_of
from crawler.items import PageItem
from crawler.matching import StoreMatcher
from crawler.store import Store
from dedupe.signature import SignatureParams

logger = logging.getLogger(__name__)

ADMIT, DONE, PAGE = "admit", "done", "page"


@dataclass
class PageWrite:
    """One fetched page for the store: what the pipelines made of it."""

    page: PageItem
    article: dict[str, Any] | None
    reason: str | None
    crawl_id: int | None
    # (tokens, presigned) made by the extraction worker, or None to tokenise when matching.
    prepared: Any = None


@dataclass
class BatchResult:
    """What storing a batch did, for the crawl's stats."""

    outcomes: dict[str, int] = field(default_factory=dict)
    articles: int = 0
    matches: int = 0
    # (url, why) of each page that could not be stored; the rest of the batch was.
    errors: list[tuple[str, str]] = field(default_factory=list)


def store_page(
    store: Store, matching: StoreMatcher | None, job: str | None, write: PageWrite
) -> tuple[str, int | None, int]:
    """Store one page with its frontier entry marked done, then match its article.
    Returns (capture outcome, article id or None, matches found)."""
    page, article = write.page, write.article
    capture, state = capture_of(page, article, write.reason, write.crawl_id, page.frontier_url)
    article_id = store.jobs.save_fetch(
        capture, article, job=job, frontier_url=page.frontier_url, state=state
    )
    found = 0
    if article_id is not None and matching is not None:
        tokens, presigned = write.prepared or (None, None)
        try:
            found = len(matching.add(article_id, article["text"], article["outlet"],
                                     article.get("text_hash"), tokens, presigned))  # fmt: skip
        except ValueError as exc:  # stored, but its text cannot be signed: say so, go on
            logger.error("Cannot match article %d: %s", article_id, exc)
    return capture["outcome"], article_id, found


def apply_batch(store: Store, matching: StoreMatcher | None, ops: list[tuple]) -> BatchResult:
    """Apply ``ops`` in order in one transaction. A page that cannot be stored is undone alone
    (its savepoint) and reported; a frontier write that fails fails the batch, after the
    steps before it are committed (each step is whole: a page with its done mark)."""
    result = BatchResult()
    store.begin_batch()
    try:
        for op in ops:
            kind = op[0]
            if kind == ADMIT:
                store.jobs.frontier_add(op[1], op[2])
            elif kind == DONE:
                store.jobs.frontier_done(op[1], op[2])
            else:
                _store_one(store, matching, op[1], op[2], result)
    finally:
        store.commit_batch()
    return result


def _store_one(store: Store, matching: StoreMatcher | None, job: str | None,
               write: PageWrite, result: BatchResult) -> None:  # fmt: skip
    try:
        outcome, article_id, found = store_page(store, matching, job, write)
    except Exception as exc:  # one bad page must not lose the batch (nor stop the crawl)
        logger.debug("cannot store %s", write.page.url, exc_info=True)
        result.errors.append((write.page.url, f"{type(exc).__name__}: {exc}"))
        return
    result.outcomes[outcome] = result.outcomes.get(outcome, 0) + 1
    if article_id is not None:
        result.articles += 1
        result.matches += found


def open_matching(store: Store, match: bool) -> tuple[StoreMatcher | None, int]:
    """The store's matcher (None when not matching), and how many articles an earlier run
    left unmatched and were matched now."""
    if not match:
        return None, 0
    matching = StoreMatcher(store)
    return matching, matching.catch_up()


# -- the writer process ---------------------------------------------------------------------
@dataclass
class _Writer:
    store: Store
    matching: StoreMatcher | None


_writer: _Writer | None = None


def open_writer(db_path: str, match: bool) -> tuple[SignatureParams | None, int]:
    """In the writer process: open the store and its matcher. Returns the signature
    parameters the extraction workers sign with, and the articles caught up."""
    global _writer
    store = Store(db_path)
    try:
        matching, caught_up = open_matching(store, match)
    except BaseException:
        store.close()
        raise
    _writer = _Writer(store, matching)
    return (matching.matcher.params if matching else None), caught_up


def write_batch(ops: list[tuple]) -> BatchResult:
    """In the writer process: store one batch (see :func:`apply_batch`)."""
    if _writer is None:
        raise RuntimeError("the writer process has no store open")
    return apply_batch(_writer.store, _writer.matching, ops)


def close_writer() -> None:
    """In the writer process: re-verify this run's matches, save the boilerplate model and
    close the store."""
    global _writer
    writer, _writer = _writer, None
    if writer is None:
        return
    try:
        if writer.matching is not None:
            writer.matching.finish()
    finally:
        writer.store.close()
