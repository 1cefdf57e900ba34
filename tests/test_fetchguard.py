"""The fetch guard: forbidden address forms, DNS answers, and redirects refused mid-fetch.

Redirect tests run ``crosspost lookup --fetch`` in a subprocess against a server on
127.0.0.1 that redirects wherever it is told. Requests for other addresses go through the
same server acting as a proxy, so even a broken guard sends nothing off this machine; the
server's log then shows whether a forbidden target was requested at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT

from crawler.crawl.fetchguard import (
    ForbiddenURL,
    check_fetch_url,
    forbidden_reason,
    parse_ip,
)
from crawler.crawl.guardmiddleware import FetchGuardMiddleware

FORBIDDEN = [
    # loopback, every way IPv4 can be written
    ("http://127.0.0.1/", "loopback"),
    ("http://127.0.0.1:8080/admin", "loopback"),
    ("http://127.255.255.254/", "loopback"),
    ("http://2130706433/", "loopback"),
    ("http://0x7f.1/", "loopback"),
    ("http://017700000001/", "loopback"),
    ("http://127.1/", "loopback"),
    ("http://0x7f000001/", "loopback"),
    ("http://0177.0.0.1/", "loopback"),
    ("http://0x7F.0x00.0x00.0x01/", "loopback"),
    ("http://127.0.1/", "loopback"),
    ("http://127.0.0.1./", "loopback"),
    ("http://%31%32%37.0.0.1/", "loopback"),
    ("http://①②⑦.0.0.1/", "loopback"),
    ("http://user:pw@127.0.0.1/", "loopback"),
    ("http://8.8.8.8@127.0.0.1/", "loopback"),
    ("http://127.0.0.1\\@8.8.8.8/", "loopback"),
    ("https://localhost/", "local host name"),
    ("http://LOCALHOST:80/", "local host name"),
    ("http://api.localhost/", "local host name"),
    # IPv6 and IPv4 inside IPv6
    ("http://[::1]/", "loopback"),
    ("http://[0:0:0:0:0:0:0:1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://[::ffff:169.254.169.254]/", "link-local"),
    ("http://[::ffff:10.0.0.1]/", "private"),
    ("http://[::127.0.0.1]/", "loopback"),
    ("http://[64:ff9b::a9fe:a9fe]/", "link-local"),
    ("http://[2002:7f00:1::]/", "loopback"),
    ("http://[2002:a00:1::1]/", "private"),
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "loopback"),
    ("http://[fe80::1]/", "link-local"),
    ("http://[fe80::1%25eth0]/", "link-local"),
    ("http://[fc00::1]/", "private"),
    ("http://[fd12:3456::1]/", "private"),
    ("http://[ff02::1]/", "multicast"),
    ("http://[::]/", "unspecified"),
    ("http://[fec0::1]/", "site-local"),
    # cloud metadata, private networks and the other special IPv4 ranges
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://0xa9fea9fe/", "link-local"),
    ("http://2852039166/", "link-local"),
    ("http://10.0.0.1/", "private"),
    ("http://10.1/", "private"),
    ("http://172.16.0.1/", "private"),
    ("http://172.31.255.255/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://0300.0250.1.1/", "private"),
    ("http://100.64.0.1/", "shared"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://0/", "unspecified"),
    ("http://224.0.0.1/", "multicast"),
    ("http://239.255.255.250:1900/", "multicast"),
    ("http://240.0.0.1/", "address 240.0.0.1"),
    ("http://255.255.255.255/", "address 255.255.255.255"),
    ("http://192.0.2.10/", "address 192.0.2.10"),
    ("http://198.18.0.1/", "address 198.18.0.1"),
    # local names and schemes
    ("http://intranet/", "local host name"),
    ("http://printer.local/", "local host name"),
    ("http://db.internal/", "local host name"),
    ("http://nas.home.arpa/", "local host name"),
    ("ftp://8.8.8.8/", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("gopher://8.8.8.8:70/", "only http and https"),
    ("javascript:alert(1)", "only http and https"),
    ("http:///path-only", "no host"),
    ("", "empty URL"),
]


def _no_dns(host: str, port: int) -> list[str]:
    raise AssertionError(f"no DNS lookup expected for {host}")


@pytest.mark.parametrize(("url", "why"), FORBIDDEN)
def test_forbidden_forms_are_refused_with_a_clear_reason(url, why):
    resolve = None if "local" in why else _no_dns
    with pytest.raises(ForbiddenURL) as info:
        check_fetch_url(url, resolve=resolve)
    assert why in info.value.reason, info.value.reason
    assert str(info.value).startswith("refusing to fetch") or why == "empty URL"


def test_there_are_at_least_forty_forbidden_forms():
    assert len(FORBIDDEN) >= 40


@pytest.mark.parametrize(
    "url",
    [
        "http://8.8.8.8/",
        "https://1.1.1.1:8443/x",
        "http://[2001:4860:4860::8888]/",
        "http://[::ffff:8.8.8.8]/",
        "http://134744072/",
        "http://[2002:808:808::1]/",
    ],
)
def test_public_addresses_pass(url):
    check_fetch_url(url, resolve=_no_dns)


def _resolver(table):
    def resolve(host, port):
        if host not in table:
            raise OSError(f"[Errno -2] Name or service not known: {host}")
        return table[host]

    return resolve


def test_names_are_refused_when_any_address_is_forbidden():
    resolve = _resolver(
        {
            "news.example.org": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
            "rebind.example.org": ["93.184.216.34", "127.0.0.1"],
            "metadata.example.org": ["169.254.169.254"],
            "mapped.example.org": ["::ffff:192.168.0.1"],
            "v6only.example.org": ["fd00::5"],
        }
    )
    check_fetch_url("https://news.example.org/story", resolve=resolve)
    for host, why in [
        ("rebind", "loopback address 127.0.0.1"),
        ("metadata", "link-local"),
        ("mapped", "private address 192.168.0.1"),
        ("v6only", "private address fd00::5"),
    ]:
        with pytest.raises(ForbiddenURL, match=why):
            check_fetch_url(f"http://{host}.example.org/", resolve=resolve)
    with pytest.raises(ForbiddenURL, match="does not resolve"):
        check_fetch_url("http://nowhere.example.org/", resolve=resolve)


def test_localhost_resolves_to_loopback_with_the_system_resolver():
    # /etc/hosts answers: no network involved.
    with pytest.raises(ForbiddenURL, match="local host name"):
        check_fetch_url("http://localhost/")


def test_allow_private_and_allow_hosts():
    check_fetch_url("http://127.0.0.1/", allow_private=True)
    check_fetch_url("http://southfront.test/x", allow_private=True)  # unresolvable, allowed
    with pytest.raises(ForbiddenURL, match="only http"):
        check_fetch_url("ftp://127.0.0.1/", allow_private=True)
    check_fetch_url("http://127.0.0.1:8001/", allow_hosts=["127.0.0.1:8001"])
    with pytest.raises(ForbiddenURL):
        check_fetch_url("http://127.0.0.1:8002/", allow_hosts=["127.0.0.1:8001"])
    check_fetch_url("http://www.southfront.test/", allow_hosts=[".test"], resolve=_no_dns)
    check_fetch_url("http://[::1]:9/", allow_hosts=["[::1]:9"])
    with pytest.raises(ForbiddenURL):
        check_fetch_url(
            "http://southfront.test.evil.example/", allow_hosts=[".test"], resolve=_resolver({})
        )


def test_address_helpers():
    assert str(parse_ip("0x7f.1")) == "127.0.0.1"
    assert str(parse_ip("[::1]")) == "::1"
    assert parse_ip("example.org") is None
    assert parse_ip("1.2.3.4.5") is None
    assert parse_ip("256.1.1.1") is None
    assert parse_ip("08.1.1.1") is None  # not octal, not decimal: a name
    assert parse_ip("0x7_f.1") is None and parse_ip("+127.1") is None
    assert forbidden_reason(parse_ip("8.8.8.8")) is None
    assert forbidden_reason(parse_ip("127.0.0.1")) == "loopback address 127.0.0.1"


def test_middleware_reads_its_settings():
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(settings_dict={"CROSSPOST_FETCH_ALLOW_HOSTS": "a.test,127.0.0.1:5"})
    mw = FetchGuardMiddleware.from_crawler(crawler)
    assert mw.allow_private is False
    assert mw.allow_hosts == ("a.test", "127.0.0.1:5")
    mw.check("http://127.0.0.1:5/")
    with pytest.raises(ForbiddenURL):
        mw.check("http://127.0.0.1:6/")


# -- redirects, end to end ------------------------------------------------------------------
ARTICLE_HTML = """<!doctype html><html lang="en"><head><title>Harbour talks resume</title>
<meta property="og:site_name" content="Loopback News">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Harbour talks resume",
"datePublished":"2021-06-01T09:00:00Z"}</script></head><body><article><h1>Harbour talks resume</h1>
%s</article></body></html>"""
PARAGRAPH = (
    "<p>Negotiators for the port authority and the dockworkers met again on Tuesday "
    "after a week without talks, officials said, and both sides described the "
    "session as constructive while warning that the wage gap remained wide.</p>"
)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        host = parts.netloc or self.headers.get("Host", "")
        self.server.log.append((host, parts.path or "/"))
        if parts.path == "/robots.txt":
            self._send(200, "text/plain", b"User-agent: *\nAllow: /\n")
        elif parts.path == "/article":
            self._send(200, "text/html; charset=utf-8", (ARTICLE_HTML % (PARAGRAPH * 6)).encode())
        elif parts.path == "/redirect":
            target = parse_qs(parts.query)["to"][0]
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(404, "text/plain", b"not found")

    def _send(self, status, ctype, body):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def redirector():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.log = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _lookup_args(server, target, db):
    port = server.server_address[1]
    url = f"http://127.0.0.1:{port}/redirect?to={target}"
    return [
        "lookup",
        "--fetch",
        "--json",
        url,
        "--db",
        str(db),
        "--allow-host",
        f"127.0.0.1:{port}",
    ]


REDIRECTS = {
    # allowed: the control case, fetched and answered
    "allowed": ("http://127.0.0.1:{port}/article", None, False),
    # loopback targets that really answer: only the guard stops them
    "localhost": ("http://localhost:{port}/article", "local host name", False),
    "ipv6-loopback": ("http://[::1]:{port}/article", "loopback address ::1", False),
    "hex-short": ("http://0x7f.1:{port}/article", "loopback address 127.0.0.1", False),
    # elsewhere: through the loopback server as proxy, so nothing leaves the machine
    "metadata": (
        "http://169.254.169.254/latest/meta-data/",
        "link-local address 169.254.169.254",
        True,
    ),
    "file-scheme": ("file:///etc/passwd", "not followed", False),
}


@pytest.fixture(scope="module")
def redirect_runs(redirector, tmp_path_factory):
    """Every redirect case as its own ``crosspost lookup --fetch`` process, run side by side;
    returns {case: (process result, requests the server saw)}."""
    port = redirector.server_address[1]
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"):
        env.pop(name, None)
    procs = {}
    for case, (target, _, proxy) in REDIRECTS.items():
        db = tmp_path_factory.mktemp(case) / "f.db"
        case_env = {**env, "http_proxy": base} if proxy else env
        procs[case] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "crawler",
                *_lookup_args(redirector, target.format(port=port), db),
            ],
            env=case_env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    results = {}
    for case, proc in procs.items():
        try:
            out, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        results[case] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    return results, list(redirector.log)


def test_redirect_to_an_allowed_page_is_fetched_and_answered(redirect_runs, redirector):
    port = redirector.server_address[1]
    result = redirect_runs[0]["allowed"]
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    assert data["found"] is True
    assert data["article"]["title"] == "Harbour talks resume"
    assert data["fetched"]["final_url"] == f"http://127.0.0.1:{port}/article"


@pytest.mark.parametrize("case", [c for c in REDIRECTS if c != "allowed"])
def test_redirect_to_a_forbidden_address_is_refused(redirect_runs, case):
    result = redirect_runs[0][case]
    _, why, _ = REDIRECTS[case]
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert "Error: cannot fetch" in result.stderr, result.stderr[-1500:]
    assert why in result.stderr, result.stderr[-1500:]
    if case != "file-scheme":
        assert "forbidden URL" in result.stderr


def test_no_forbidden_target_was_ever_requested(redirect_runs):
    _, log = redirect_runs
    # Only the allowed case reached /article, once; nothing asked the proxy for other hosts.
    assert [host for host, path in log if path == "/article"] == [
        host for host, path in log if path == "/article" and host.startswith("127.0.0.1:")
    ]
    assert len([1 for _, path in log if path == "/article"]) == 1
    assert all(path in ("/redirect", "/robots.txt", "/article") for _, path in log), log


def test_forbidden_start_url_is_refused_before_any_request(redirector, tmp_path):
    from click.testing import CliRunner

    from crawler.cli import cli

    before = len(redirector.log)
    port = redirector.server_address[1]
    db = tmp_path / "f.db"
    result = CliRunner().invoke(
        cli, ["lookup", "--fetch", f"http://127.0.0.1:{port}/article", "--db", str(db)]
    )
    assert result.exit_code == 1
    assert "refusing to fetch" in result.output
    assert "loopback address 127.0.0.1" in result.output
    assert redirector.log[before:] == []
    assert not db.exists()


# -- the IANA special-purpose registries, as data ---------------------------------------------
def _registry_samples():
    from crawler.crawl.addresses import special_blocks

    for block in special_blocks():
        net = block.network
        for ip in {net.network_address, net.broadcast_address, net[net.num_addresses // 2]}:
            yield pytest.param(block, ip, id=f"{net}-{ip}")


@pytest.mark.parametrize("block,ip", list(_registry_samples()))
def test_every_special_purpose_block_not_globally_reachable_is_refused(block, ip):
    from crawler.crawl.addresses import special_block

    if special_block(ip).fetchable:
        return  # a more specific block the registry marks globally reachable
    if ip.version == 6 and (ip.ipv4_mapped or ip.sixtofour or ip.teredo
                            or str(block.network).startswith("64:ff9b:")):
        return  # judged by the IPv4 address inside (tested above)
    host = f"[{ip}]" if ip.version == 6 else str(ip)
    with pytest.raises(ForbiddenURL):
        check_fetch_url(f"http://{host}/", resolve=None)


@pytest.mark.parametrize("address", ["192.0.0.8", "192.0.0.9", "192.0.0.10", "192.0.0.171",
                                     "192.88.99.1", "100:0:0:1::1", "3fff::1", "5f00::1",
                                     "2001:30::1", "::ffff:192.0.0.8", "64:ff9b::c000:8"])
def test_blocks_python_misses_are_refused(address):
    """``ipaddress`` calls these global on some Python versions; the registry does not."""
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(ForbiddenURL):
        check_fetch_url(f"http://{host}/", resolve=None)
    with pytest.raises(ForbiddenURL) as caught:
        check_fetch_url("http://news.example.com/", resolve=_resolver({"news.example.com": [address]}))
    assert "not public" in caught.value.rule


def test_globally_reachable_blocks_outside_protocol_assignments_pass():
    for address in ("192.31.196.1", "192.175.48.6", "2620:4f:8000::1"):
        check_fetch_url(f"http://{address if ':' not in address else f'[{address}]'}/",
                        resolve=None)


def test_a_refusal_over_dns_has_a_rule_without_the_address():
    with pytest.raises(ForbiddenURL) as caught:
        check_fetch_url("http://intranet-db.example.org/",
                        resolve=_resolver({"intranet-db.example.org": ["10.20.30.40"]}))
    assert "10.20.30.40" in caught.value.reason
    assert "10.20.30.40" not in caught.value.rule and "not public" in caught.value.rule
