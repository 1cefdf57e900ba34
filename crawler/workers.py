"""Worker processes for CPU-bound work (extraction, credit parsing) beside the main process."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor


def _exit_with_parent(parent: int) -> None:
    """A worker outlives a parent killed with SIGKILL (nothing tells it); it checks every
    second and leaves when its parent is gone, instead of holding memory forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def worker_pool(processes: int) -> ProcessPoolExecutor:
    # spawn, not fork: forking a process that runs a Twisted reactor is unsafe.
    return ProcessPoolExecutor(
        processes,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    )
