"""Peak memory of `crosspost ingest` over hostile files, next to a small file's (baseline).

    python benchmarks/bench_ingest_hostile.py            # 200 MB line, 1 GiB gzip bomb, 100 MiB CSV field
    python benchmarks/bench_ingest_hostile.py --bomb-gib 8

Each input is a good record, the hostile one, and (but for the bomb) another good record.
Every run is ``python -m crawler ingest --jobs 1`` in a subprocess of a fresh interpreter;
peak RSS is that interpreter's RUSAGE_CHILDREN (the ingest alone). The baseline is the same
command over a three-record file, in the same run: with records read in bounded chunks,
every row stays within a few tens of MiB of it whatever the input size.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIB = 1 << 20
TEXT = " ".join(["The council said the new bridge over the river would open next week."] * 40)


def good(n: int) -> dict:
    return {"url": f"https://good.example.com/story-{n}", "text": f"Story {n}. {TEXT}"}


def peak_of(args: list[str]) -> tuple[float, float, str]:
    probe = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run([sys.executable, '-m', 'crawler', 'ingest', '--silent', '--jobs', '1',"
        " *sys.argv[1:]], capture_output=True, text=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(r.stdout.splitlines()[0] if r.stdout else r.stderr[-200:])\n"
    )
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.splitlines()  # fmt: skip
    return int(out[0]) / 1024, time.perf_counter() - started, out[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-gib", type=int, default=1)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        small = tmp / "small.jsonl"
        small.write_text("".join(json.dumps(good(n)) + "\n" for n in range(3)))
        line = tmp / "line.jsonl"
        with open(line, "wb") as f:
            f.write(json.dumps(good(1)).encode() + b'\n{"url": "https://bomb.example/", "text": "')
            for _ in range(200):
                f.write(b"word " * (MIB // 5))
            f.write(b'"}\n' + json.dumps(good(2)).encode() + b"\n")
        bomb = tmp / "bomb.jsonl.gz"
        zeros = gzip.compress(b"0" * (64 * MIB), compresslevel=9)
        with open(bomb, "wb") as f:
            f.write(gzip.compress(json.dumps(good(1)).encode() + b'\n{"url": "https://b.example/", "text": "'))
            for _ in range(16 * options.bomb_gib):
                f.write(zeros)
        field = tmp / "field.csv"
        with open(field, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerows([["url", "text"], [good(1)["url"], good(1)["text"]]])
            f.write('https://bomb.example/,"' + ("lorem ipsum " * 1000 + "\n") * 8700 + '"\r\n')
            writer.writerow([good(2)["url"], good(2)["text"]])
        rows = [
            ("baseline: 3 small records", small, []),
            ("one 200 MB JSONL line", line, []),
            (f"{options.bomb_gib} GiB gzip stream without a newline ({bomb.stat().st_size / MIB:.0f} MB file)", bomb, []),
            ("one 100 MiB CSV field, --max-record-size 4M", field, ["--max-record-size", "4M"]),
        ]
        print(f"{'input':<52} {'input size':>11} {'peak RSS':>9} {'vs base':>8} {'seconds':>8}  summary")
        base = None
        for label, path, extra in rows:
            peak, seconds, summary = peak_of(["--db", str(tmp / f"{path.stem}.db"), *extra, str(path)])
            base = base if base is not None else peak
            size = path.stat().st_size if path.suffix != ".gz" else options.bomb_gib << 30
            print(f"{label:<52} {size / MIB:>8.0f} MiB {peak:>5.0f} MiB {peak - base:>+6.0f} MiB "
                  f"{seconds:>8.1f}  {summary}")


if __name__ == "__main__":
    main()
