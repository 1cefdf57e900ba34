"""A process that dies in the middle of saving a store's side file (`<db>.index`,
`<db>.boilerplate`), for the tests of what such a crash leaves behind."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_SCRIPT = """
import os, sys, zlib
sys.path.insert(0, {root!r})
sys.path.insert(0, {tests!r})
from crawler.matching import StoreMatcher
from crawler.store import Store
import dedupe.persist as persist
{imports}

calls = 0
def crc32(data, value=0):
    global calls
    calls += 1
    if calls == {after}:
        os._exit(3)  # the process dies here, mid-write
    return zlib.crc32(data, value)

with Store({db!r}) as store:
    matching = StoreMatcher(store)
{steps}
    # From here on, checksums are only computed by the writer of the file under test.
    persist.zlib = type("Z", (), {{"crc32": staticmethod(crc32)}})
    matching.reverify()
"""


def die_while_saving(db: Path, after: int, imports: str, steps: str) -> subprocess.CompletedProcess:
    """Run ``steps`` (statements with ``store`` and ``matching`` at hand) in a new process
    on ``db``, then end the run with ``reverify``, which saves the side files; the process
    dies (exit status 3) at the ``after``-th checksum computed while saving."""
    script = _SCRIPT.format(root=str(ROOT), tests=str(ROOT / "tests"), imports=imports,
                            after=after, db=str(db),
                            steps=textwrap.indent(textwrap.dedent(steps).strip(), "    "))  # fmt: skip
    return subprocess.run([sys.executable, "-c", script], check=False, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
