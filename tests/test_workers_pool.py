"""Worker pools end when told to, without waiting for the workers' own shutdown."""

import os
import time

from crawler.workers import end_pool, worker_pool


def test_end_pool_terminates_idle_workers():
    pool = worker_pool(2)
    pids = {pool.submit(os.getpid).result(timeout=60) for _ in range(4)}
    processes = list(pool._processes.values())
    end_pool(pool)
    deadline = time.monotonic() + 10
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pids and not any(p.is_alive() for p in processes)
    # Ended by a signal, not by the sentinel a shutdown sends.
    assert all(p.exitcode is not None and p.exitcode < 0 for p in processes)
