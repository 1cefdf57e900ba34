"""Worker processes for CPU-bound work (extraction, credit parsing) beside the main process,
and how a long command stops on Ctrl-C.

Ctrl-C in a terminal sends SIGINT to every process of the foreground group, workers included.
Workers ignore it: the parent alone decides how to stop, then ends them. The first Ctrl-C stops
the command cleanly (the current batch committed or dropped, never half-written); a second
one ends the process at once.
"""

from __future__ import annotations

import _thread
import logging
import multiprocessing
import multiprocessing.context
import multiprocessing.resource_tracker
import os
import signal
import sys
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, NoReturn

logger = logging.getLogger(__name__)

# Exit status of a process ended by Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED_STATUS = 128 + signal.SIGINT

_pools: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()
_interrupts = 0
_watchdog: threading.Timer | None = None


def _exit_with_parent(parent: int, niceness: int = 0) -> None:
    """A worker outlives a parent killed with SIGKILL (nothing tells it); it checks every
    second and leaves when its parent is gone, instead of holding memory forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if niceness > 0:
        try:
            os.nice(niceness)
        except (AttributeError, OSError):  # no nice() on this platform: equal shares
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


@contextmanager
def _sigint_ignored():
    """SIGINT ignored while a worker is started: an ignored signal stays ignored across exec,
    so the new interpreter never turns a Ctrl-C into a traceback, even while importing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if sys.unraisablehook is _redeliver:
            sys.unraisablehook = _redeliver.previous  # type: ignore[attr-defined]


class _QuietStart:
    """A multiprocessing Process started with SIGINT ignored (classes at module level: a
    spawned worker unpickles its Process by name)."""

    def start(self) -> None:
        with _sigint_ignored():
            super().start()  # type: ignore[misc]


class _QuietSpawnProcess(_QuietStart, multiprocessing.context.SpawnProcess):
    pass


class _QuietForkProcess(_QuietStart, multiprocessing.context.ForkProcess):
    pass


class _QuietSpawnContext(multiprocessing.context.SpawnContext):
    Process = _QuietSpawnProcess


class _QuietForkContext(multiprocessing.context.ForkContext):
    Process = _QuietForkProcess


def _quiet_resource_tracker() -> None:
    """Start multiprocessing's resource tracker without its warning about the semaphores of
    workers ended by Ctrl-C: it removes them all the same, and the user was already told."""
    previous = os.environ.get("PYTHONWARNINGS")
    quiet = "ignore:resource_tracker:UserWarning"
    os.environ["PYTHONWARNINGS"] = f"{previous},{quiet}" if previous else quiet
    try:
        multiprocessing.resource_tracker.ensure_running()
    finally:
        if previous is None:
            os.environ.pop("PYTHONWARNINGS", None)
        else:
            os.environ["PYTHONWARNINGS"] = previous


def worker_pool(processes: int, niceness: int = 0, *, fork: bool = False) -> ProcessPoolExecutor:
    """A pool of ``processes`` workers that leave with this process. ``niceness`` lowers
    their CPU priority: where one process is a pipeline's bound (the one that stores and
    matches) and its workers only have to keep ahead of it, they should take the CPU it
    leaves instead of slowing it down on a machine with as many cores as processes.

    Workers are spawned (a new interpreter each) unless ``fork``: forked workers start at
    once with the modules this process has loaded, instead of each loading them again. Only
    a process with no other thread may fork (a thread holding a lock at that instant leaves
    it held forever in the child), so with other threads running the workers are spawned."""
    _quiet_resource_tracker()
    # Spawn by default: forking a process that runs a Twisted reactor (a crawl) is unsafe.
    forking = fork and threading.active_count() == 1
    pool = ProcessPoolExecutor(
        processes,
        mp_context=_QuietForkContext() if forking else _QuietSpawnContext(),
        initializer=_exit_with_parent,
        initargs=(os.getpid(), niceness),
    )
    _pools.add(pool)
    return pool


# How long the first Ctrl-C may take to stop cleanly before the process ends anyway (an
# unfinished batch is then rolled back by SQLite, and a resumed crawl fetches it again).
CLEAN_STOP_SECONDS = 10.0


def stop_workers() -> None:
    """End every worker process of this process now (their work is dropped)."""
    for pool in list(_pools):
        end_pool(pool)


def end_pool(pool: ProcessPoolExecutor) -> None:
    """End one pool's processes now, without waiting for their work (which is dropped) or
    for their interpreters to shut down."""
    # The executor keeps its processes in a private mapping, which `shutdown` clears: taken
    # first. Without it, the workers still leave within a second through their parent watch.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass


def interrupted() -> bool:
    """Whether Ctrl-C (SIGINT) has been received."""
    return _interrupts > 0


def _say(line: str) -> None:
    try:
        sys.stdout.flush()
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def exit_now(line: str) -> NoReturn:
    """Print ``line``, end the workers and leave with the Ctrl-C status, without waiting for
    threads (a thread pool blocked in a library must not keep the process alive)."""
    _say(line)
    stop_workers()
    logging.shutdown()
    os._exit(INTERRUPTED_STATUS)


def on_interrupt(first: Callable[[], Any] | None = None) -> None:
    """Handle SIGINT from now on: the first calls ``first`` (default: raise
    KeyboardInterrupt where the main thread is), any later one ends the process at once."""

    def handler(signum: int, frame: Any) -> None:
        global _interrupts, _watchdog
        _interrupts += 1
        if _interrupts > 1:
            exit_now("Interrupted again: stopped at once.")
        # A library may catch the interrupt: whatever happens to the clean stop, it may not
        # become a hang.
        _watchdog = threading.Timer(
            CLEAN_STOP_SECONDS, exit_now, ["Interrupted: the clean stop took too long; stopped."]
        )
        _watchdog.daemon = True
        _watchdog.start()
        if first is None:
            if sys.unraisablehook is not _redeliver:
                _redeliver.previous = sys.unraisablehook  # type: ignore[attr-defined]
                sys.unraisablehook = _redeliver
            raise KeyboardInterrupt
        _say("Stopping cleanly (Ctrl-C again to stop at once) ...")
        first()

    signal.signal(signal.SIGINT, handler)


def _redeliver(unraisable: Any) -> None:
    """Python swallows an exception raised in a finaliser or a weakref callback, printing a
    traceback: a Ctrl-C that lands there would be lost, and the clean stop wait for the
    watchdog. Deliver it again, once the callback is over, as the same first Ctrl-C."""
    global _interrupts
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and _interrupts == 1:
        if _watchdog is not None:
            _watchdog.cancel()
        _interrupts = 0
        # From another thread: signalled from here, the handler would raise inside this hook.
        again = threading.Timer(0.01, _thread.interrupt_main, [signal.SIGINT])
        again.daemon = True
        again.start()
        return
    _redeliver.previous(unraisable)  # type: ignore[attr-defined]


_redeliver.previous = sys.__unraisablehook__  # type: ignore[attr-defined]


@contextmanager
def interrupt_handling():
    """Ctrl-C handling for a command run in the main thread; the previous handler is put
    back afterwards (tests run commands in-process)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    global _interrupts
    previous = signal.getsignal(signal.SIGINT)
    _interrupts = 0
    on_interrupt()
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
