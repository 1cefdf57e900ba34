"""The HTTP API, against a real ``crosspost serve`` process over a real crawl of the sample web."""

from __future__ import annotations

import json
import shutil
import sqlite3
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")
pytest.importorskip("uvicorn", reason="the serve extra is not installed")

from serve_tools import get, get_json, save_article, server

from crawler.sampleweb import truth
from crawler.store import Store

FLAGSHIP = truth.FLAGSHIP_COPY_URL
ORIGIN = truth.FLAGSHIP_ORIGIN_URL


@pytest.fixture(scope="module")
def api(full_crawl):
    db, _result, _requests = full_crawl
    with server(db) as url:
        yield url


@pytest.fixture(scope="module")
def crawl_db(full_crawl):
    return full_crawl[0]


def provenance(api, url):
    return get_json(f"{api}api/provenance?url={quote(url, safe='')}")


def test_health(api):
    assert get_json(api + "api/health") == (200, {"status": "ok"})


def test_flagship_provenance_is_the_lookup_json(api):
    status, body = provenance(api, FLAGSHIP)
    assert status == 200
    assert {"query", "found", "article", "origin", "copies", "conflicts"} <= set(body)
    assert body["found"] is True and body["query"] == FLAGSHIP
    assert body["origin"]["url"] == ORIGIN
    assert body["origin"]["outlet"] == "southfront.test"
    copy = next(c for c in body["copies"] if c["url"] == FLAGSHIP)
    assert copy["copied_from"] == ORIGIN
    assert "South Front" in copy["attribution"]
    assert copy["lag_hours"] > 0 and 0 < copy["similarity"] <= 1


def test_url_variants_find_the_same_article(api):
    variant = FLAGSHIP.replace("http://", "https://") + "/?utm_source=newsletter#comments"
    status, body = provenance(api, variant)
    assert status == 200, body
    assert body["query"] == variant
    assert body["article"]["url"] == FLAGSHIP


@pytest.mark.parametrize("url", ["http://nowhere.test/never-crawled/", "http://[::1]/"])
def test_unknown_url_is_404_with_found_false(api, url):
    status, body = provenance(api, url)
    assert status == 404
    assert body["found"] is False and body["copies"] == []
    assert body["error"]["status"] == 404 and body["error"]["message"]


@pytest.mark.parametrize("bad", ["ftp://southfront.test/x", "javascript:alert(1)", "not a url",
                                 "http://", "http://host:99999/", "http://[::1/",
                                 "http://exa mple.test/"])
def test_malformed_url_is_400(api, bad):
    status, body = provenance(api, bad)
    assert status == 400
    assert body["error"]["status"] == 400 and "URL" in body["error"]["message"]


def test_missing_or_oversized_parameters_are_422(api):
    status, body = get_json(api + "api/provenance")
    assert status == 422 and "url" in body["error"]["message"]
    status, body = provenance(api, "http://a.test/" + "x" * 5000)
    assert status == 422
    status, body = get_json(api + "api/search?q=war&per_page=1000")
    assert status == 422 and "per_page" in body["error"]["message"]


def test_search_finds_titles_and_text_and_pages(api):
    status, body = get_json(api + "api/search?q=ceasefire")
    assert status == 200 and body["total"] >= 2
    hit = body["results"][0]
    assert {"url", "outlet", "title", "published_at", "snippet", "highlights"} <= set(hit)
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower().startswith("ceasefire")
    _, first = get_json(api + "api/search?q=ceasefire&per_page=1&page=1")
    _, second = get_json(api + "api/search?q=ceasefire&per_page=1&page=2")
    assert first["total"] == second["total"] == body["total"]
    assert first["pages"] == body["total"]
    assert first["results"][0]["url"] != second["results"][0]["url"]
    _, only = get_json(api + "api/search?q=ceasefire&outlet=southfront.test")
    assert only["results"] and {r["outlet"] for r in only["results"]} == {"southfront.test"}


@pytest.mark.parametrize("q", ['"', "ceasefire OR", "NEAR(a b", "title:war", "*", "a AND (b",
                               "'; drop table articles; --", "\x00", "ceasefire^2 -war"])
def test_search_syntax_never_breaks_the_server(api, q):
    status, body = get_json(f"{api}api/search?q={quote(q, safe='')}")
    assert status in (200, 400), body
    if status == 400:
        assert body["error"]["message"]


def test_outlets_and_one_outlet(api):
    status, body = get_json(api + "api/outlets")
    assert status == 200
    domains = {row["outlet"] for row in body["outlets"]}
    assert {"southfront.test", "globalresearch.test"} <= domains
    status, body = get_json(api + "api/outlets/southfront.test")
    assert status == 200
    assert body["outlet"]["name"] == "South Front"
    assert "globalresearch.test" in {p["copied_by"] for p in body["top_republishers"]}
    assert body["recent_articles"]
    status, body = get_json(api + "api/outlets/globalresearch.test")
    assert "southfront.test" in {p["source"] for p in body["top_sources"]}
    status, body = get_json(api + "api/outlets/unknown.test")
    assert status == 404 and "unknown.test" in body["error"]["message"]


def test_outlet_graph_is_node_link_json(api):
    status, body = get_json(api + "api/graph?level=outlet")
    assert status == 200
    assert body["directed"] is True
    nodes = {node["id"] for node in body["nodes"]}
    assert {"southfront.test", "globalresearch.test"} <= nodes
    edges = {(link["source"], link["target"]) for link in body["links"]}
    assert ("southfront.test", "globalresearch.test") in edges
    status, body = get_json(api + "api/graph?level=article")
    assert status == 200 and (ORIGIN, FLAGSHIP) in {(e["source"], e["target"]) for e in body["links"]}
    status, body = get_json(api + "api/graph?level=galaxy")
    assert status == 422


def _origin_text(db) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("select text from articles where url = ?", [ORIGIN]).fetchone()[0]


def test_lookup_text_finds_where_a_text_appeared(api, crawl_db):
    text = _origin_text(crawl_db)[:1500]
    status, _h, raw = get(api + "api/lookup-text", data=text.encode(), method="POST",
                          headers={"Content-Type": "text/plain; charset=utf-8"})
    body = json.loads(raw)
    assert status == 200, body
    urls = {m["url"] for m in body["matches"]}
    assert ORIGIN in urls and FLAGSHIP in urls
    assert body["origin"]["url"] == ORIGIN
    status, body = get_json(api + "api/lookup-text", method="POST",
                            data=json.dumps({"text": text}).encode(),
                            headers={"Content-Type": "application/json"})
    assert status == 200 and body["origin"]["url"] == ORIGIN


@pytest.mark.parametrize(
    ("data", "ctype", "expected"),
    [
        (b"too short", "text/plain", 422),
        (b"{not json", "application/json", 400),
        (b'{"txt": "x"}', "application/json", 422),
        (b"\xff\xfe\xfa", "text/plain", 400),
        (b"<xml/>", "application/xml", 415),
        (("word " * 60).encode(), "text/plain", 404),
    ],
)
def test_lookup_text_errors(api, data, ctype, expected):
    status, body = get_json(api + "api/lookup-text", method="POST", data=data,
                            headers={"Content-Type": ctype})
    assert status == expected, body
    assert body["error"]["status"] == expected


def _connection(api):
    import http.client

    host, port = api.removeprefix("http://").rstrip("/").split(":")
    return http.client.HTTPConnection(host, int(port), timeout=10)


def test_announced_body_over_the_limit_is_413_before_it_is_sent(api):
    conn = _connection(api)
    conn.putrequest("POST", "/api/lookup-text")
    conn.putheader("Content-Type", "text/plain")
    conn.putheader("Content-Length", str(1024 * 1024 + 1))
    conn.endheaders()  # the body never follows: the server must not wait for it
    response = conn.getresponse()
    assert response.status == 413
    assert "too large" in json.loads(response.read())["error"]["message"]
    conn.close()


def test_streamed_body_over_the_limit_is_413(api):
    conn = _connection(api)
    chunks = (b"b" * 65536 for _ in range(20))  # 1.25 MiB without a Content-Length
    conn.request("POST", "/api/lookup-text", body=chunks, encode_chunked=True,
                 headers={"Content-Type": "text/plain", "Transfer-Encoding": "chunked"})
    response = conn.getresponse()
    assert response.status == 413
    assert json.loads(response.read())["error"]["status"] == 413
    conn.close()


def test_errors_are_json_and_answers_carry_security_headers(api):
    status, headers, body = get(api + "api/no-such-thing")
    assert status == 404 and json.loads(body)["error"]["status"] == 404
    status, headers, body = get(api + "api/health", method="DELETE")
    assert status == 405 and json.loads(body)["error"]["status"] == 405
    status, headers, _ = get(api)
    assert status == 200 and headers["content-type"].startswith("text/html")
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "server" not in headers


def test_foreign_host_header_is_refused(api):
    status, _headers, _body = get(api + "api/health", headers={"Host": "rebound.example.com"})
    assert status == 400


def test_openapi_document_lists_every_endpoint(api):
    status, doc = get_json(api + "openapi.json")
    assert status == 200 and doc["openapi"].startswith("3.")
    assert {"/api/provenance", "/api/search", "/api/outlets", "/api/outlets/{domain}",
            "/api/graph", "/api/lookup-text", "/api/health"} <= set(doc["paths"])
    assert "requestBody" in doc["paths"]["/api/lookup-text"]["post"]


def test_static_files_and_pages(api):
    for path in ("static/app.js", "static/family-graph.js", "static/app.css",
                 "outlets", "outlets/southfront.test"):
        status, _h, body = get(api + path)
        assert status == 200 and body, path
    status, _h, _b = get(api + "static/../../crawler/store.py")
    assert status == 404


def test_serves_while_a_crawl_writes(crawl_db, tmp_path):
    """Readers keep answering while a writer holds the write lock, and see its commits."""
    db = tmp_path / "live.db"
    shutil.copy(crawl_db, db)
    with server(db) as url:
        store = Store(db)
        try:
            store.db.conn.execute("BEGIN IMMEDIATE")  # a crawl in the middle of a write
            store.db.conn.execute("update articles set title = 'changing' where id = 1")
            try:
                status, body = provenance(url, FLAGSHIP)
                assert status == 200 and body["found"]
            finally:
                store.db.conn.execute("COMMIT")
            save_article(store, "http://late.test/fresh-story/", "late.test", "Zanzibar fresh story",
                         "Zanzibar " * 40)
            status, body = get_json(url + "api/search?q=zanzibar")
            assert status == 200 and body["total"] == 1
            status, body = get_json(url + "api/outlets/late.test")
            assert status == 200 and body["outlet"]["articles"] == 1
        finally:
            store.close()


def test_serve_refuses_a_missing_database(tmp_path):
    from conftest import run_cli

    result = run_cli(["serve", "--db", str(tmp_path / "none.db"), "--port", "0"], timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")
    assert "does not exist" in result.stderr or "no store at" in result.stderr
