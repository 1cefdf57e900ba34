"""A DNS-rebinding lab, run inside a private network namespace (``unshare -n -m``).

    unshare -n -m python tests/rebinding_lab.py OUT.json

It brings up loopback, points a bind-mounted /etc/resolv.conf at a small DNS server on
127.0.0.1:53 (standard library only), starts a target HTTP server on 127.0.0.1 and ::1 that
must never be asked for anything, and runs ``crosspost lookup --fetch`` (and
``crosspost serve --allow-fetch``) for real against names whose answers change:

- ``pair-*``: a query for A that comes with a query for AAAA (``getaddrinfo``, the guard)
  gets a public address; an A query alone (``gethostbyname``, Scrapy's default resolver)
  gets 127.0.0.1;
- ``firstN-*``: the first N A answers are public, every later one is 127.0.0.1;
- ``v6-*``: A public, AAAA ``::1``;
- ``loop-*``: always 127.0.0.1; ``pub-*``: always public.

The public answers lead nowhere (the namespace has no route out), so only the loopback
answers can reach a server. The target's log is the proof. Results go to OUT.json.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from pathlib import Path

PUBLIC_V4 = "93.184.216.34"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"
ROOT = Path(__file__).resolve().parents[1]
ARTICLE = (b"<html><head><title>Internal payroll</title></head><body><article><h1>Internal "
           b"payroll</h1><p>"
           + b"This page is on the operator's own network and must never be fetched for a user. "
           * 30 + b"</p></article></body></html>")


# -- DNS ---------------------------------------------------------------------------------------
def _qname(packet: bytes) -> tuple[str, int]:
    labels, at = [], 12
    while packet[at]:
        length = packet[at]
        labels.append(packet[at + 1:at + 1 + length].decode("ascii", "replace"))
        at += 1 + length
    return ".".join(labels).lower(), at + 1


class RebindingDNS:
    """Answers A/AAAA per the strategy named by the first label's prefix."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 53))
        self.sock.settimeout(0.02)
        self.a_answers: dict[str, int] = {}
        self.log: list[tuple[str, str, str]] = []  # (name, qtype, answer)
        self.pending: list[tuple[float, bytes, tuple, str]] = []
        self.arrivals: list[tuple] = []
        self.stop = False

    def _reply(self, query: bytes, client, qtype: int, addresses: list[str],
               rcode: int = 0) -> None:
        name, end = _qname(query)
        question = query[12:end + 4]
        answers = b""
        for address in addresses:
            if qtype == 1:
                rdata = socket.inet_pton(socket.AF_INET, address)
            else:
                rdata = socket.inet_pton(socket.AF_INET6, address)
            answers += struct.pack("!HHHIH", 0xC00C, qtype, 1, 0, len(rdata)) + rdata
        flags = 0x8180 | rcode
        header = struct.pack("!HHHHHH", struct.unpack("!H", query[:2])[0], flags, 1,
                             len(addresses), 0, 0)
        self.sock.sendto(header + question + answers, client)
        self.log.append((name, {1: "A", 28: "AAAA"}.get(qtype, str(qtype)),
                         ",".join(addresses) or ("NXDOMAIN" if rcode else "-")))

    def _a_for(self, name: str, alone: bool) -> str:
        kind = name.split(".")[0].split("-")[0]
        count = self.a_answers.get(name, 0)
        self.a_answers[name] = count + 1
        if kind == "pair":
            return "127.0.0.1" if alone else PUBLIC_V4
        if kind.startswith("first"):
            return PUBLIC_V4 if count < int(kind[5:]) else "127.0.0.1"
        if kind == "loop":
            return "127.0.0.1"
        return PUBLIC_V4

    def handle(self, query: bytes, client) -> None:
        name, end = _qname(query)
        qtype = struct.unpack("!H", query[end:end + 2])[0]
        if not name.endswith("rebind.example.com"):
            self._reply(query, client, qtype, [], rcode=3)
            return
        kind = name.split(".")[0].split("-")[0]
        self.arrivals.append((round(time.monotonic(), 3), name, qtype, client[1]))
        if qtype == 28:
            self._reply(query, client, qtype, ["::1"] if kind == "v6" else [])
            # an A query from the same socket is part of the same getaddrinfo
            for item in [p for p in self.pending if p[2] == client and p[3] == name]:
                self.pending.remove(item)
                self._reply(item[1], client, 1, [self._a_for(name, alone=False)])
        elif qtype == 1:
            if kind == "pair":
                self.pending.append((time.monotonic() + 0.3, query, client, name))
            else:
                self._reply(query, client, 1, [self._a_for(name, alone=False)])
        else:
            self._reply(query, client, qtype, [])

    def serve(self) -> None:
        while not self.stop:
            try:
                query, client = self.sock.recvfrom(4096)
                self.handle(query, client)
            except socket.timeout:
                pass
            except (OSError, IndexError, struct.error):
                continue
            now = time.monotonic()
            for item in [p for p in self.pending if p[0] <= now]:
                self.pending.remove(item)
                self._reply(item[1], item[2], 1, [self._a_for(item[3], alone=True)])


# -- HTTP servers ------------------------------------------------------------------------------
def _handler(log: list):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            log.append(f"{self.headers.get('Host')} {self.path}")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(ARTICLE)))
            self.end_headers()
            self.wfile.write(ARTICLE)

        def log_message(self, *args):
            pass

    return Handler


class _V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def start(server: HTTPServer) -> None:
    threading.Thread(target=server.serve_forever, daemon=True).start()


# -- the runs ----------------------------------------------------------------------------------
_BOOT = """import os, sys
root = os.environ.get("LAB_PYTHONPATH")
if root:  # another checkout of crosspost: the editable install's finder must not win
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
    sys.path.insert(0, root)
"""


def _env(proxy: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    if os.environ.get("LAB_PYTHONPATH"):
        boot = Path(tempfile.mkdtemp(prefix="boot-"))
        (boot / "sitecustomize.py").write_text(_BOOT)
        env["PYTHONPATH"] = str(boot)
    if proxy:
        env["http_proxy"] = proxy
    return env


def lookup(url: str, db: Path, proxy: str | None = None) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "lookup", url, "--fetch", "--json", "--db", str(db)],
        capture_output=True, text=True, timeout=90, env=_env(proxy), check=False, cwd=db.parent)
    return {"url": url, "rc": done.returncode, "stdout": done.stdout[-2000:],
            "stderr": done.stderr[-3000:]}


def via_api(url: str, db: Path) -> dict:
    subprocess.run([sys.executable, "-c", "import sys; from crawler.store import Store; "
                    "Store(sys.argv[1]).close()", str(db)], env=_env(), check=True, timeout=60,
                   cwd=db.parent)
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", str(db), "--port", "0",
         "--allow-fetch"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=_env(), cwd=db.parent)
    try:
        base = proc.stdout.readline().strip()
        query = urllib.parse.urlencode({"url": url, "fetch": "true"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(f"{base}api/provenance?{query}", timeout=120) as answer:
                status, body = answer.status, answer.read().decode()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read().decode()
        return {"url": url, "status": status, "body": body[-2000:]}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def crawl(start: str, db: Path, *settings: str) -> dict:
    args = ["crawl", "--db", str(db), start, "--no-follow-links", "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_ENABLED=false", "-s", "CROSSPOST_EXTRACT_PROCESSES=0"]
    for setting in settings:
        args += ["-s", setting]
    done = subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, timeout=120, env=_env(), check=False, cwd=db.parent)
    return {"url": start, "rc": done.returncode, "stdout": done.stdout[-2000:],
            "stderr": done.stderr[-3000:]}


def _crediting(source: str) -> bytes:
    body = ARTICLE.split(b"<p>", 1)[1].split(b"</p>", 1)[0]
    return (b"<html><head><title>Harbour plan approved</title></head><body><article><h1>"
            b"Harbour plan approved</h1><p>" + body + b"</p><p>Source: <a href=\"" + source.encode()
            + b"\">" + source.encode() + b"</a></p></article></body></html>")


def _credits(db: Path) -> list[str]:
    import sqlite3

    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT url FROM articles")]
    finally:
        conn.close()


def main(out: str, cases: list[str]) -> None:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    work = Path(tempfile.mkdtemp(prefix="rebind-"))
    resolv = work / "resolv.conf"
    resolv.write_text("nameserver 127.0.0.1\noptions timeout:2 attempts:1\n")
    subprocess.run(["mount", "--bind", str(resolv), "/etc/resolv.conf"], check=True)
    dns = RebindingDNS()
    threading.Thread(target=dns.serve, daemon=True).start()
    target_log: list[str] = []
    target = ThreadingHTTPServer(("127.0.0.1", 0), _handler(target_log))
    port = target.server_address[1]
    start(target)
    start(_V6Server(("::1", port), _handler(target_log)))
    proxy_log: list[str] = []
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _handler(proxy_log))
    start(proxy)
    proxy_url = f"http://127.0.0.1:{proxy.server_address[1]}"
    # an outlet on loopback (listed, so not guarded) whose articles credit the target
    outlet_pages: dict[str, bytes] = {}
    outlet_log: list[str] = []

    class Outlet(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            outlet_log.append(self.path)
            body = outlet_pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    outlet = ThreadingHTTPServer(("127.0.0.1", 0), Outlet)
    start(outlet)
    results = {}
    for case in cases:
        kind, _, how = case.partition(":")
        name = f"{kind}-{len(results)}.rebind.example.com"
        url = f"http://{name}:{port}/news/payroll-{len(results)}"
        before, before_proxy = len(target_log), len(proxy_log)
        db = work / f"{len(results)}.db"
        if how.startswith("crawl"):
            path = f"/news/2024/05/03/harbour-plan-approved-{len(results)}"
            outlet_pages[path] = _crediting(url)
            allowed = [f"CROSSPOST_FETCH_ALLOW_HOSTS={name}:{port}"] if how == "crawl-allowed" else []
            run = crawl(f"http://127.0.0.1:{outlet.server_address[1]}{path}", db, *allowed)
            run["outlet_hits"] = [hit for hit in outlet_log if hit == path]
            run["credits"] = _credits(db)
        elif how == "api":
            run = via_api(url, db)
        else:
            run = lookup(url, db, proxy_url if how == "proxy" else None)
        run["target_hits"] = target_log[before:]
        run["proxy_hits"] = proxy_log[before_proxy:]
        run["dns"] = [entry for entry in dns.log if entry[0] == name]
        run["arrivals"] = [entry for entry in dns.arrivals if entry[1] == name]
        results[case] = run
    dns.stop = True
    Path(out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    import urllib.error
    import urllib.parse

    main(sys.argv[1], sys.argv[2:])
