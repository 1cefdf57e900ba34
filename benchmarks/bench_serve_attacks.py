"""The HTTP server under attack: requests/s and p99 latency with idle sockets and huge headers.

    python benchmarks/bench_serve_attacks.py            # 3,000 requests per scenario
    python benchmarks/bench_serve_attacks.py --quick    # 600 requests

Starts ``crosspost serve`` on 127.0.0.1 (an empty store: ``/api/health`` measures the
server, not the store) with each HTTP parser, and drives it with a bounded asyncio/httpx load
(fixed request count and concurrency, loopback only) in three scenarios:

- ``normal``: the load alone (the baseline of the same run);
- ``idle``: the same while an attacker holds ``--idle`` TCP connections that send nothing,
  reopening each one the server closes;
- ``big-header``: the same while ``--senders`` threads each send 64 MB request headers, one
  after another.

``--before`` adds the same scenarios against the server as configured before its hardening
(uvicorn's own protocol, ``limit_concurrency=256``), for comparison. Prints one table:
successful requests/s, p50/p99 latency of every request sent, failed requests (non-200 or
no answer), requests not sent within ``--max-seconds`` (the server was too slow), what the attacker achieved, and the
server's RSS after the scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import select
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from attack_tools import empty_store, request, rss_kib, send_big_header  # noqa: E402

#: The server as ``crosspost serve`` ran it before the hardening.
BEFORE = """
import socket, sys, uvicorn
from crawler.web import create_app
sock = socket.socket(); sock.bind(("127.0.0.1", 0)); sock.listen(2048)
print(f"http://127.0.0.1:{sock.getsockname()[1]}/", flush=True)
config = uvicorn.Config(create_app(sys.argv[1]), log_level="warning", access_log=False,
                        server_header=False, timeout_keep_alive=5, limit_concurrency=256,
                        h11_max_incomplete_event_size=16 * 1024, lifespan="on",
                        http=sys.argv[2])
uvicorn.Server(config).run(sockets=[sock])
"""


class Server:
    def __init__(self, db: Path, parser: str, before: bool) -> None:
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        if before:
            args = [sys.executable, "-c", BEFORE, str(db), parser]
        else:
            args = [sys.executable, "-m", "crawler", "serve", "--db", str(db), "--port", "0",
                    "--http", parser]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, env=env, cwd=REPO)
        line = self.proc.stdout.readline().strip()
        self.port = int(line.rstrip("/").rsplit(":", 1)[1])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if request("127.0.0.1", self.port, "/api/health", timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


# -- attackers ---------------------------------------------------------------------------------
class IdleHolder(threading.Thread):
    """Holds ``count`` silent connections, reopening those the server closes."""

    def __init__(self, port: int, count: int) -> None:
        super().__init__(daemon=True)
        self.port, self.count = port, count
        self.stop = threading.Event()
        self.samples: list[int] = []
        self.reopened = 0

    def run(self) -> None:
        socks: list[socket.socket] = []
        while not self.stop.is_set():
            while len(socks) < self.count and not self.stop.is_set():
                try:
                    socks.append(socket.create_connection(("127.0.0.1", self.port), timeout=2))
                except OSError:
                    break
            readable, _, _ = select.select(socks, [], [], 0.2)
            for sock in readable:  # a silent socket turns readable only when closed
                sock.close()
                socks.remove(sock)
                self.reopened += 1
            self.samples.append(len(socks))
        for sock in socks:
            sock.close()

    def achieved(self) -> str:
        held = statistics.mean(self.samples) if self.samples else 0
        return f"{held:.0f} held on average, {self.reopened} closed by the server"


class BigHeaders(threading.Thread):
    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.stop = threading.Event()
        self.results: list[tuple[int, int, float]] = []

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                status, _, _, sent, seconds = send_big_header("127.0.0.1", self.port,
                                                              64 * 1024 * 1024, timeout=30)
            except OSError:
                status, sent, seconds = -1, 0, 0.0
            self.results.append((status, sent, seconds))


def big_summary(threads: list[BigHeaders]) -> str:
    results = [r for t in threads for r in t.results]
    if not results:
        return "no 64 MB header finished"
    statuses = sorted({r[0] for r in results})
    sent = statistics.median(r[1] for r in results) / 1024
    seconds = statistics.median(r[2] for r in results)
    return (f"{len(results)} sent; answers {statuses}; median {sent:.0f} KiB sent before "
            f"the server closed, in {seconds:.2f} s")


# -- load --------------------------------------------------------------------------------------
async def load(port: int, total: int, concurrency: int,
               max_seconds: float) -> tuple[float, list[float], int, int]:
    """Send ``total`` requests, ``concurrency`` at a time. Returns successful requests/s,
    latencies, failures (non-200 answers and transport errors) and requests not sent within
    ``max_seconds`` (a starved server must not stall the benchmark)."""
    latencies: list[float] = []
    failed = 0
    unsent = 0
    queue = iter(range(total))
    deadline = time.perf_counter() + max_seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits,
                                 timeout=10, trust_env=False) as client:
        async def worker() -> None:
            nonlocal failed, unsent
            for _ in queue:
                started = time.perf_counter()
                if started > deadline:
                    unsent += 1
                    continue
                try:
                    answer = await client.get("/api/health")
                    ok = answer.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                failed += not ok

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return (len(latencies) - failed) / elapsed, latencies, failed, unsent


def scenario(db: Path, parser: str, before: bool, attack: str, args) -> dict:
    server = Server(db, parser, before)
    attackers: list[threading.Thread] = []
    try:
        if attack == "idle":
            attackers = [IdleHolder(server.port, args.idle)]
        elif attack == "big-header":
            attackers = [BigHeaders(server.port) for _ in range(args.senders)]
        for attacker in attackers:
            attacker.start()
        time.sleep(1.0 if attackers else 0)  # let the attack take hold
        rate, latencies, failed, unsent = asyncio.run(
            load(server.port, args.requests, args.concurrency, args.max_seconds)
        )
        rss = rss_kib(server.proc.pid) / 1024
    finally:
        for attacker in attackers:
            attacker.stop.set()
        for attacker in attackers:
            attacker.join(timeout=70)
        server.stop()
    if attack == "idle":
        achieved = attackers[0].achieved()
    elif attack == "big-header":
        achieved = big_summary(attackers)
    else:
        achieved = "-"
    latencies.sort()
    if not latencies:
        latencies = [float("nan")]
    return {
        "server": "before" if before else "hardened", "parser": parser, "attack": attack,
        "rps": rate, "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[int(len(latencies) * 0.99)] * 1000, "failed": failed, "unsent": unsent,
        "achieved": achieved, "rss": rss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--idle", type=int, default=300, help="idle connections held")
    parser.add_argument("--senders", type=int, default=4, help="64 MB header senders")
    parser.add_argument("--parsers", default="httptools,h11")
    parser.add_argument(
        "--max-seconds", type=float, default=60, help="requests not sent by then count as failed"
    )
    parser.add_argument(
        "--before",
        action="store_true",
        help="also measure the server as configured before its hardening",
    )
    args = parser.parse_args()
    args.requests = args.requests or (600 if args.quick else 3000)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        db = empty_store(Path(tmp) / "bench.db")
        for name in args.parsers.split(","):
            for before in [False, True] if args.before else [False]:
                for attack in ("normal", "idle", "big-header"):
                    rows.append(scenario(db, name, before, attack, args))
                    row = rows[-1]
                    print(
                        f"  {row['server']:8} {name:9} {attack:10} {row['rps']:7.0f} req/s "
                        f"p99 {row['p99']:7.1f} ms failed {row['failed']}",
                        file=sys.stderr,
                    )
    print(
        f"\n{args.requests} GET /api/health per scenario, {args.concurrency} concurrent, "
        f"loopback; idle attack {args.idle} connections, big-header attack "
        f"{args.senders} senders of 64 MB headers\n"
    )
    print(
        f"| server | parser | attack | req/s | p50 ms | p99 ms | failed | not sent in "
        f"{args.max_seconds:g} s | attacker achieved | server RSS MB |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---|---:|")
    for row in rows:
        print(
            f"| {row['server']} | {row['parser']} | {row['attack']} | {row['rps']:.0f} | "
            f"{row['p50']:.1f} | {row['p99']:.1f} | {row['failed']} | {row['unsent']} | "
              f"{row['achieved']} | "
            f"{row['rss']:.0f} |"
        )


if __name__ == "__main__":
    main()
