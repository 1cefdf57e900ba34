"""datasketch imported without scipy's integration package: the same bands, the same index."""

import subprocess
import sys
import textwrap

import pytest
from datasketch.lsh import _optimal_param

from dedupe._datasketch import _EQUAL_WEIGHTS, optimal_param


@pytest.mark.parametrize(("threshold", "num_perm"), sorted(_EQUAL_WEIGHTS))
def test_the_table_of_bands_is_datasketchs_choice(threshold, num_perm):
    assert optimal_param(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)


def test_other_thresholds_and_weights_ask_datasketch():
    assert optimal_param(0.45, 100) == _optimal_param(0.45, 100, 0.5, 0.5)
    assert optimal_param(0.5, 128, (0.3, 0.7)) == _optimal_param(0.5, 128, 0.3, 0.7)


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120, check=True)  # fmt: skip
    return done.stdout.strip()


def test_signing_and_the_band_index_load_no_integration():
    out = _run("""
        import sys
        from dedupe.matcher import Matcher
        matcher = Matcher()
        matcher.add(1, " ".join(f"word{i}" for i in range(200)), "a.test")
        print("scipy.integrate" in sys.modules)
    """)
    assert out == "False"


def test_datasketchs_own_lsh_still_integrates_with_scipy():
    out = _run("""
        import sys
        from dedupe._datasketch import MinHashLSH
        lsh = MinHashLSH(threshold=0.45, num_perm=100)
        import scipy.integrate
        print(scipy.integrate.__file__ is not None, (lsh.b, lsh.r))
    """)
    assert out == f"True {_optimal_param(0.45, 100, 0.5, 0.5)}"
