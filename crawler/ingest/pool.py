"""The worker processes that prepare an ingest's records, started as early as possible.

A spawned worker imports what preparing needs (credit parsing, URL rules, tokenising and
signing: about half a second of CPU) before it prepares anything. `crosspost ingest` starts
the workers before it loads its own modules (the store, the matcher) and opens the store,
so that these start-ups overlap, and the workers prepare every batch. An input of one batch
or less is prepared in the ingesting process alone: workers would cost more than they save
(`Ingester` still starts them with a second batch, should a small compressed file hold
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
    pool = worker_pool(jobs, niceness=WORKER_NICENESS)
    # A spawning executor starts a process when work is submitted and no worker is idle:
    # one task a worker starts them all, and has each load what preparing needs.
    for _ in range(jobs):
        pool.submit(load_preparing)
    return pool


def load_preparing() -> None:
    """What a worker runs first: the preparing modules, loaded before the first batch comes."""
    import crawler.ingest.prepare  # noqa: F401
