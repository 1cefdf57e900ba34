"""Faults a months-long crawl meets, each on loopback: the job keeps running and the capture
records the reason. The sample web's quirks.test serves some; a raw-socket server here serves
the rest (resets mid-body, gzip bombs, hostile XML, cross-outlet redirects, duplicate URLs)."""

from __future__ import annotations

import gzip
import json
import socket
import socketserver
import struct
import threading

import pytest
from conftest import FAST, rows, run_cli

from crawler.sampleweb import truth

ARTICLE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    + "".join(f"<p>Paragraph {n} of this story says something new about item number {n * 7}, "
              f"so that the page is long enough to count as an article.</p>" for n in range(12))
    + "</article></body></html>"
)


def _response(status: str, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class _Faulty(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            data += chunk
        line = data.split(b"\r\n", 1)[0].decode("latin-1")
        path = line.split(" ")[1] if " " in line else "/"
        self.server.log.append(path)
        port = self.server.server_address[1]
        html = {"Content-Type": "text/html; charset=utf-8"}
        xml = {"Content-Type": "application/xml"}
        if path == "/reset/":
            self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                 b"Content-Length: 100000\r\n\r\n<html><body><p>half")
            # SO_LINGER 0: close with a TCP RST instead of a FIN
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.request.close()
            return
        if path == "/bomb/":
            body = gzip.compress(b"\0" * (40 * 1024 * 1024))
            out = _response("200 OK", body, {**html, "Content-Encoding": "gzip"})
        elif path == "/to-other-outlet/":
            out = _response("302 Found", b"", {"Location": f"http://localhost:{port}/landing/"})
        elif path == "/landing/":
            out = _response("200 OK", ARTICLE.format(title="Landing page").encode(), html)
        elif path == "/sitemap-broken.xml":
            out = _response("200 OK", b"<?xml version='1.0'?><urlset><url><loc>http://", xml)
        elif path == "/sitemap-xxe.xml":
            body = (
                f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM '
                f'"file://{self.server.secret}">]><urlset '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
                f"<loc>http://127.0.0.1:{port}/from-sitemap/&x;</loc></url></urlset>"
            ).encode()
            out = _response("200 OK", body, xml)
        elif path == "/feed/":
            out = _response("200 OK", b"<html><body><p>Not a feed at all</p></body></html>",
                            {"Content-Type": "application/rss+xml"})
        elif path == "/dups/":
            links = "".join(
                f'<a href="{u}">x</a>'
                for u in (f"http://LOCALHOST:{port}/story/?utm_source=a&utm_medium=b",
                          f"http://localhost:{port}/story/",
                          f"http://localhost:{port}/story/?utm_campaign=c#top")
            )
            out = _response("200 OK", f"<html><body>{links}</body></html>".encode(), html)
        elif path == "/story/":
            out = _response("200 OK", ARTICLE.format(title="The one story").encode(), html)
        else:
            out = _response("404 Not Found", b"not found", html)
        try:
            self.request.sendall(out)
        except OSError:
            pass


class _FaultServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture(scope="module")
def fault_server(tmp_path_factory):
    secret = tmp_path_factory.mktemp("secret") / "secret.txt"
    secret.write_text("TOPSECRET")
    server = _FaultServer(("127.0.0.1", 0), _Faulty)
    server.log, server.secret = [], secret
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def raw_crawl(fault_server, tmp_path_factory):
    db = tmp_path_factory.mktemp("faults") / "f.db"
    port = fault_server.server_address[1]
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        refused = sock.getsockname()[1]
    urls = [f"http://127.0.0.1:{port}{p}" for p in
            ("/reset/", "/bomb/", "/to-other-outlet/", "/sitemap-broken.xml",
             "/sitemap-xxe.xml", "/feed/")]
    urls += [f"http://localhost:{port}/dups/", f"http://127.0.0.1:{refused}/refused/"]
    result = run_cli(["crawl", "--db", str(db), *urls, *FAST, "-s", "RETRY_TIMES=0"])
    return db, result, port


@pytest.fixture(scope="module")
def quirks_crawl(sample_web, tmp_path_factory):
    db = tmp_path_factory.mktemp("quirks") / "q.db"
    urls = [truth.QUIRKS["slow"] + "?seconds=6", truth.QUIRKS["flaky"] + "?k=faults",
            truth.QUIRKS["rate_limited"] + "?k=faults", truth.QUIRKS["redirect_loop"],
            truth.QUIRKS["huge"] + "?mb=50"]
    result = run_cli(["crawl", "--db", str(db), "--no-follow-links", *urls, *FAST,
                      "-s", "DOWNLOAD_TIMEOUT=2"], proxy=sample_web.proxy_url)
    return db, result


def _capture(db, url):
    found = rows(db, "select * from captures where url = ? order by id", (url,))
    assert found, f"no capture for {url}"
    return found[-1]


def test_the_job_survives_and_reports(raw_crawl, quirks_crawl):
    for _, result, *_ in (raw_crawl, quirks_crawl):
        assert "Traceback" not in result.stderr
        assert "crawl finished (finished)" in result.stdout, result.stderr[-2000:]


def test_connection_refused_is_recorded(raw_crawl):
    db, _, _ = raw_crawl
    capture = _capture(db, next(r["url"] for r in rows(db, "select url from captures")
                                if "/refused/" in r["url"]))
    assert capture["outcome"] == "error" and "refused" in capture["reason"].lower()


def test_reset_mid_body_is_recorded(raw_crawl):
    db, _, port = raw_crawl
    capture = _capture(db, f"http://127.0.0.1:{port}/reset/")
    assert capture["outcome"] == "error"
    assert any(w in capture["reason"] for w in ("ResponseFailed", "ConnectionLost", "reset",
                                                "DataLoss", "ConnectionDone"))


def test_gzip_bomb_is_cut_at_download_maxsize(raw_crawl):
    db, _, port = raw_crawl
    capture = _capture(db, f"http://127.0.0.1:{port}/bomb/")
    assert capture["outcome"] == "error"
    assert "DOWNLOAD_MAXSIZE" in capture["reason"] or "max size" in capture["reason"]


def test_redirect_to_another_outlet_is_followed_and_noted(raw_crawl):
    db, _, port = raw_crawl
    capture = _capture(db, f"http://127.0.0.1:{port}/to-other-outlet/")
    assert capture["final_url"] == f"http://localhost:{port}/landing/"
    assert "redirected to another outlet" in capture["reason"]
    [article] = rows(db, "select * from articles where id = ?", (capture["article_id"],))
    assert article["outlet"] == "localhost"


def test_malformed_and_hostile_sitemaps(raw_crawl, fault_server):
    db, _, port = raw_crawl
    broken = _capture(db, f"http://127.0.0.1:{port}/sitemap-broken.xml")
    assert broken["outcome"] == "error" and "malformed sitemap" in broken["reason"]
    _capture(db, f"http://127.0.0.1:{port}/sitemap-xxe.xml")
    # the entity was never resolved: the secret never appears in a request or the store
    assert not any("TOPSECRET" in path for path in fault_server.log)
    assert not rows(db, "select url from captures where url like '%TOPSECRET%'")


def test_feed_that_is_html(raw_crawl):
    db, _, port = raw_crawl
    capture = _capture(db, f"http://127.0.0.1:{port}/feed/")
    assert capture["outcome"] == "error" and capture["reason"].startswith("broken feed")


def test_duplicate_urls_are_fetched_once(raw_crawl, fault_server):
    db, _, port = raw_crawl
    assert sum(1 for p in fault_server.log if p.startswith("/story/")) == 1
    assert [r["url"] for r in rows(db, "select url from articles where url like '%/story/'")] == [
        f"http://localhost:{port}/story/"]


def test_stalled_server_times_out(quirks_crawl):
    db, _ = quirks_crawl
    capture = _capture(db, truth.QUIRKS["slow"] + "?seconds=6")
    assert capture["outcome"] == "error" and "TimeoutError" in capture["reason"]


def test_500_then_success_is_retried(quirks_crawl):
    db, _ = quirks_crawl
    capture = _capture(db, truth.QUIRKS["flaky"] + "?k=faults")
    assert capture["status"] == 200 and "retried 1x" in capture["reason"]


def test_429_waits_for_retry_after(quirks_crawl):
    db, result = quirks_crawl
    capture = _capture(db, truth.QUIRKS["rate_limited"] + "?k=faults")
    assert capture["status"] == 200 and "retried 1x" in capture["reason"]
    [crawl] = rows(db, "select stats from crawls")
    assert json.loads(crawl["stats"])["retry/waited_seconds"] >= 1.0


def test_redirect_loop_and_huge_page(quirks_crawl):
    db, result = quirks_crawl
    loop = _capture(db, truth.QUIRKS["redirect_loop"])
    assert loop["outcome"] == "error" and "redirect loop" in loop["reason"]
    huge = _capture(db, truth.QUIRKS["huge"] + "?mb=50")
    assert huge["outcome"] == "error" and "max size" in huge["reason"]
    assert "larger than download max size" in result.stderr
