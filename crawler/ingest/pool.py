"""The worker processes that prepare an ingest's records, started as early as possible.

Preparing needs credit parsing, URL rules, tokenising and signing: about half a second of
CPU to load. `crosspost ingest` loads them, then forks the workers before it loads its own
modules (the store, the matcher) and opens the store: the workers start with them loaded,
and their start-up overlaps the rest of the ingest's. The first batches are small (see
`Ingester`), so that storing starts while the workers prepare the next. An input of one
batch or less is prepared in the ingesting process alone: workers would cost more than they
save (`Ingester` still starts them with a second batch, should a small compressed file hold
more).

This module is imported before everything else an ingest needs: it imports nothing heavy.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

from crawler.workers import worker_pool

# Preparing workers yield the CPU to the process that stores and matches in input order and
# so bounds the ingest: on 2 cores with --jobs 2, equal shares slowed it by a third.
WORKER_NICENESS = 10
# A batch of HTML or text is cut at this many characters so that workers share the work.
BATCH_CHARS = 2_000_000


def start_workers(jobs: int, input_bytes: int) -> ProcessPoolExecutor | None:
    """``jobs`` preparing workers for an input of ``input_bytes`` bytes (as stored: a gzipped
    file holds more), or None when it is one batch or less, or ``jobs`` is 1. The workers
    are started now, each loading the preparing modules."""
    if jobs < 2 or input_bytes <= BATCH_CHARS:
        return None
    # Loaded here, then forked: the workers start with it (this process needs it too),
    # instead of each spending half a second of CPU loading it again.
    load_preparing()
    pool = worker_pool(jobs, niceness=WORKER_NICENESS, fork=True)
    # An executor starts its processes when work is first submitted (a spawning one, one
    # when no worker is idle): one task a worker starts them all now.
    for _ in range(jobs):
        pool.submit(load_preparing)
    return pool


def load_preparing() -> None:
    """What a worker runs first: the preparing modules, loaded before the first batch comes."""
    import crawler.ingest.prepare  # noqa: F401
