"""datasketch, imported without loading scipy's integration package until it is used.

``import datasketch`` imports ``datasketch.lsh``, which runs ``from scipy.integrate import
quad``: about 0.3 s of scipy (integration, optimisation, special functions) in every process
that signs a text, extraction workers included, although only ``MinHashLSH``'s choice of
bands integrates anything. Here datasketch is imported with a stand-in ``scipy.integrate``
whose ``quad`` imports the real one on its first call and hands over to it: datasketch
computes exactly what it computes otherwise, and a process that never builds a
``MinHashLSH`` never loads the package. The stand-in is only seen while datasketch itself
is imported; any later ``import scipy.integrate`` gets the real module.

`optimal_param` is datasketch's choice of (bands, rows) for an LSH threshold: the common
choices are kept in a table (checked against datasketch's own function by the tests), so
that the in-memory band index needs no integration either.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types
from typing import Any

__all__ = ["LeanMinHash", "MinHash", "MinHashLSH", "optimal_param"]

_lock = threading.Lock()


def _quad(*args: Any, **kwargs: Any) -> Any:
    return importlib.import_module("scipy.integrate").quad(*args, **kwargs)


def _import_datasketch() -> types.ModuleType:
    with _lock:
        if "datasketch" in sys.modules or "scipy.integrate" in sys.modules:
            return importlib.import_module("datasketch")
        stand_in = types.ModuleType("scipy.integrate", "loads scipy.integrate on first use")
        stand_in.quad = _quad  # type: ignore[attr-defined]
        sys.modules["scipy.integrate"] = stand_in
        try:
            return importlib.import_module("datasketch")
        finally:
            if sys.modules.get("scipy.integrate") is stand_in:
                del sys.modules["scipy.integrate"]


_datasketch = _import_datasketch()
LeanMinHash = _datasketch.LeanMinHash
MinHash = _datasketch.MinHash
MinHashLSH = _datasketch.MinHashLSH

# datasketch's `_optimal_param(threshold, num_perm, 0.5, 0.5)` for common thresholds and
# signature sizes (it integrates twice for each of about 600 (bands, rows) pairs).
_EQUAL_WEIGHTS = {
    (0.3, 64): (21, 3), (0.4, 64): (16, 4), (0.5, 64): (14, 4), (0.6, 64): (10, 6),
    (0.7, 64): (8, 8), (0.8, 64): (5, 11), (0.9, 64): (3, 21),
    (0.3, 128): (37, 3), (0.4, 128): (32, 4), (0.5, 128): (25, 5), (0.6, 128): (18, 7),
    (0.7, 128): (14, 9), (0.8, 128): (9, 13), (0.9, 128): (5, 25),
    (0.3, 256): (64, 4), (0.4, 256): (51, 5), (0.5, 256): (42, 6), (0.6, 256): (32, 8),
    (0.7, 256): (25, 10), (0.8, 256): (17, 15), (0.9, 256): (9, 28),
}  # fmt: skip


def optimal_param(threshold: float, num_perm: int,
                  weights: tuple[float, float] = (0.5, 0.5)) -> tuple[int, int]:  # fmt: skip
    """(bands, rows) of datasketch's ``MinHashLSH`` for ``threshold`` and ``num_perm``."""
    if weights == (0.5, 0.5) and (threshold, num_perm) in _EQUAL_WEIGHTS:
        return _EQUAL_WEIGHTS[(threshold, num_perm)]
    from datasketch.lsh import _optimal_param

    b, r = _optimal_param(threshold, num_perm, *weights)
    return int(b), int(r)
