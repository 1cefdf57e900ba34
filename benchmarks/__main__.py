"""Run the benchmarks: ``python -m benchmarks [--full] [NAME ...]`` (``make bench``).

Each benchmark is a script that prints its own table; by default the quick size of each runs,
``--full`` runs the sizes reported in the README. NAME selects scripts by substring
(``python -m benchmarks minhash ingest``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts() -> list[Path]:
    return sorted([*HERE.glob("bench_*.py"), *HERE.glob("accuracy_*.py")])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the full sizes, not --quick")
    parser.add_argument("names", nargs="*", help="run only scripts whose name contains one")
    args = parser.parse_args(argv)
    failed = []
    for script in scripts():
        if args.names and not any(name in script.stem for name in args.names):
            continue
        command = [sys.executable, str(script)]
        if not args.full and "--quick" in script.read_text(encoding="utf-8"):
            command.append("--quick")
        print(f"\n=== {script.stem} ({' '.join(command[2:]) or 'default size'})", flush=True)
        started = time.monotonic()
        if subprocess.run(command, cwd=HERE.parent).returncode != 0:
            failed.append(script.stem)
        print(f"--- {script.stem}: {time.monotonic() - started:.0f} s", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
