"""A Ctrl-C that lands while a finaliser or weakref callback runs: Python swallows the
exception there (and prints a traceback); the command must still stop cleanly at once."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, time, weakref
    from crawler.workers import interrupt_handling

    class Thing:
        pass

    def callback(_ref):
        # the signal arrives while the callback runs: its handler raises in here
        os.kill(os.getpid(), signal.SIGINT)
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            pass

    with interrupt_handling():
        try:
            thing = Thing()
            ref = weakref.ref(thing, callback)
            del thing
            end = time.monotonic() + 8
            while time.monotonic() < end:
                time.sleep(0.01)
            print("not interrupted")
        except KeyboardInterrupt:
            print("stopped cleanly")
    """
)


def test_a_ctrl_c_inside_a_weakref_callback_still_stops_the_command() -> None:
    began = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert run.stdout.strip() == "stopped cleanly", (run.stdout, run.stderr[-2000:])
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, run.stderr
    assert time.monotonic() - began < 6  # not the clean-stop watchdog's 10 s
