"""Politeness across Redis workers: a delay-bound crawl with one worker against two, same run.

Many outlets of the generated sample web (``crawler.sampleweb.generated``), each with a
0.5 s delay, served on loopback from this process with a log of each request's arrival time
(``tests/timed_web.py``) and, like a real site, a response time (``--latency``, 0.5 s); a
``redis-server`` on a free loopback port. Each worker keeps at most ``CONCURRENT_REQUESTS``
requests going, so its rate is bound by waiting on the sites (response time, then each
outlet's delay before its next request), not by CPU, and a second worker crawls other outlets
at the same time. The outlets' limits are shared by all workers (``SharedPoliteness``), so the
last row (the shared slots turned off, every worker polite on its own) shows what the limits
prevent: two workers sending one outlet requests closer together than its delay.

On loopback with no response time (``--latency 0``) a worker is bound by this 2-core
machine's CPU instead (the workers, their extraction processes, Redis and the site share it),
and a second worker adds little.

Rates are measured on the server's log, from the first to the last request of the run
(worker start-up and the final idle wait left out). "closest gap" is the smallest interval
between two consecutive requests to one outlet over the whole run.

    python benchmarks/bench_politeness.py [--outlets 48] [--per-outlet 10] [--delay 0.5]
                                          [--latency 0.5] [--concurrency 4] [--no-baseline]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the timestamped loopback site

from timed_web import TimedWeb


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(tmp: Path) -> tuple[subprocess.Popen, str]:
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("Error: redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp)],
                            stdout=subprocess.DEVNULL)  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(150):
        try:
            redis.Redis.from_url(url).ping()
            return proc, url
        except redis.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("Error: redis-server did not start")


def _cli(args: list[str], proxy: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "no_proxy")}
    env["http_proxy"] = proxy
    return subprocess.Popen([sys.executable, "-m", "crawler", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def _wait(proc: subprocess.Popen, timeout: float = 900) -> str:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        sys.exit(f"Error: {' '.join(proc.args[2:5])} did not finish in {timeout:.0f} s")
    if proc.returncode != 0:
        sys.exit(f"Error: {' '.join(proc.args[2:5])} failed:\n{err[-3000:]}")
    return out


def crawl(url: str, prefix: str, args: argparse.Namespace, workers: int, shared: bool) -> dict:
    settings = {
        "DOWNLOAD_DELAY": args.delay,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": args.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_TIMEOUT": 20,
        "LOG_LEVEL": "WARNING",
        "CROSSPOST_REDIS_MAX_BACKLOG": 0,  # no writer runs: the crawl alone is measured
        "CROSSPOST_REDIS_SHARED_POLITENESS": shared,
    }
    sets = [x for name, value in settings.items() for x in ("-s", f"{name}={value}")]
    with TimedWeb(args.outlets * args.per_outlet, args.outlets, args.latency) as web:
        _wait(_cli(["crawl", "--redis", url, "--redis-prefix", prefix, "--push",
                    *web.start_urls()], web.proxy_url))  # fmt: skip
        worker = ["crawl", "--redis", url, "--redis-prefix", prefix, "--idle-exit", "2",
                  "--no-follow-links", "--no-follow-attribution", "--no-progress", *sets]  # fmt: skip
        started = time.monotonic()
        procs = [_cli(worker, web.proxy_url) for _ in range(workers)]
        outputs = [_wait(p) for p in procs]
        wall = time.monotonic() - started
        times = sorted(t for t, _, _ in web.server.log)
        gaps = [g for per_host in web.gaps().values() for g in per_host]
    span = times[-1] - times[0]
    per_worker = [int(re.search(r"pages fetched\s+(\d+)", o).group(1)) for o in outputs]
    return {"requests": len(times), "span": span, "rate": (len(times) - 1) / span,
            "wall": wall, "closest": min(gaps), "per_worker": per_worker,
            "too_close": sum(g < args.delay - 0.002 for g in gaps)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outlets", type=int, default=48)
    parser.add_argument("--per-outlet", type=int, default=10, help="articles per outlet")
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--latency", type=float, default=0.5, help="response time of the site")
    parser.add_argument("--concurrency", type=int, default=4,
                        help="CONCURRENT_REQUESTS of each worker")  # fmt: skip
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the run without shared slots")  # fmt: skip
    args = parser.parse_args(argv)
    runs = [("1 worker, shared limits", 1, True), ("2 workers, shared limits", 2, True)]
    if not args.no_baseline:
        runs.append(("2 workers, per-worker limits (before)", 2, False))
    tmp = Path(tempfile.mkdtemp(prefix="bench-polite-"))
    proc, url = _start_redis(tmp)
    results = {}
    try:
        for n, (label, workers, shared) in enumerate(runs):
            results[label] = crawl(url, f"bench{n}", args, workers, shared)
            print(f"  {label}: {results[label]['rate']:.1f} requests/s", file=sys.stderr)
    finally:
        proc.kill()
        proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    base = results[runs[0][0]]["rate"]
    print(f"\n{args.outlets} outlets, {args.delay} s delay each, {args.latency} s response time, "
          f"CONCURRENT_REQUESTS={args.concurrency} per worker, AutoThrottle off\n")  # fmt: skip
    print("| crawl | requests | requests/s | vs 1 worker | crawl s | wall s | closest gap s "
          "| gaps < delay | requests per worker |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for label, r in results.items():
        print(f"| {label} | {r['requests']:,} | {r['rate']:.1f} | {r['rate'] / base:.2f}x "
              f"| {r['span']:.1f} | {r['wall']:.1f} | {r['closest']:.3f} | {r['too_close']} "
              f"| {' + '.join(f'{n:,}' for n in r['per_worker'])} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
