"""Preparing workers started before the ingest loads: only for inputs of several batches,
and the store they give is the one a single process gives."""

from __future__ import annotations

import json
import random
import re
import threading

from click.testing import CliRunner
from conftest import rows, run_cli

from crawler.cli import cli
from crawler.ingest.pool import BATCH_CHARS, start_workers
from crawler.workers import end_pool, worker_pool
from dedupe.postings import SortedRuns

WORDS = ["minister", "said", "report", "talks", "border", "agreement", "election", "council",
         "police", "market", "energy", "prices", "summit", "aid", "water", "drought", "court",
         "ruling", "shares", "bank", "inflation", "housing", "protest", "river", "storm"]  # fmt: skip


def test_workers_start_only_for_inputs_of_more_than_one_batch():
    assert start_workers(1, 10 * BATCH_CHARS) is None
    assert start_workers(4, BATCH_CHARS) is None
    pool = start_workers(2, BATCH_CHARS + 1)
    try:
        # Started at once, not when the first batch is submitted.
        assert pool is not None and len(pool._processes) == 2
        assert pool.submit(sum, [1, 2]).result(timeout=60) == 3
    finally:
        end_pool(pool)


def test_workers_are_spawned_when_another_thread_runs():
    # Forking while another thread may hold a lock would leave it held in the worker.
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, args=(30,), daemon=True)
    other.start()
    try:
        pool = worker_pool(2, fork=True)
        try:
            assert pool._mp_context.get_start_method() == "spawn"
            assert pool.submit(sum, [1, 2]).result(timeout=60) == 3
        finally:
            end_pool(pool)
    finally:
        stop.set()
        other.join(timeout=10)


def _corpus(path, n: int = 700) -> None:
    rng = random.Random(5)
    texts: list[str] = []
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            if texts and rng.random() < 0.2:
                text = rng.choice(texts) + "\nRepublished with permission."
            else:
                text = "\n".join(" ".join(rng.choice(WORDS) for _ in range(70)).capitalize() + "."
                                 for _ in range(rng.randint(6, 12)))  # fmt: skip
                texts.append(text)
            footer = f"Follow outlet {i % 40} for more."
            record = {"url": f"https://o{i % 40}.example.com/{i}", "text": f"{text}\n{footer}"}
            out.write(json.dumps(record) + "\n")


def _store(db) -> tuple:
    matches = rows(db, "select a, b, kind, jaccard, containment_a_in_b from matches order by a, b")
    urls = [r["url"] for r in rows(db, "select url from articles order by id")]
    # Decisions carry the time they were made.
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+]00:00")
    decisions = sorted(stamp.sub("T", r["record"]) for r in rows(db, "select record from decisions"))
    return [tuple(m) for m in matches], urls, decisions


def test_workers_started_first_give_the_store_one_process_gives(tmp_path, monkeypatch):
    path = tmp_path / "c.jsonl"
    _corpus(path)
    assert path.stat().st_size > BATCH_CHARS  # workers start before the store opens
    stores = []
    for jobs in ("1", "2"):
        db = tmp_path / f"j{jobs}.db"
        result = CliRunner().invoke(cli, ["ingest", "--silent", "--jobs", jobs, "--db", str(db),
                                          str(path)], catch_exceptions=False)  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "700 stored" in result.output
        stores.append(_store(db))
    # As a user runs it: a process of its own, whose workers are forked, with small first
    # batches (the test process may run other threads, and its workers be spawned).
    db = tmp_path / "cli.db"
    result = run_cli(["ingest", "--silent", "--jobs", "2", "--db", str(db), str(path)])
    assert result.returncode == 0, result.stderr[-3000:]
    stores.append(_store(db))
    # Candidates looked up a batch at a time, as in a large store, give the same store.
    monkeypatch.setattr(SortedRuns, "PREFETCH_FROM", 0)
    db = tmp_path / "prefetched.db"
    result = CliRunner().invoke(cli, ["ingest", "--silent", "--jobs", "1", "--db", str(db),
                                      str(path)], catch_exceptions=False)  # fmt: skip
    assert result.exit_code == 0, result.output
    stores.append(_store(db))
    assert stores[0][0], "the corpus holds copies"
    assert stores[0] == stores[1] == stores[2] == stores[3]
