"""An agency story run by several sample outlets: the agency is the origin, end to end.

The Associated Press is not in the sample web: its story reaches the store only through the
outlets that ran it, crediting it in a dateline, a byline and a closing "AP" line, plus one
lightly edited copy that credits nobody (``truth.WIRE_STORY``). After one real crawl the
agency must be the origin — outside the store, named, a wire — in `crosspost lookup`, the
HTTP API, the page in a real browser, the exported graph and `crosspost stats`.
"""

from __future__ import annotations

import json
import re
import shutil
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import pytest
from conftest import rows, run_cli
from lxml import html as lxml_html

from crawler.sampleweb import truth

WIRE = truth.WIRE_STORY
CREDITED = sorted(WIRE.credits)
MEMBERS = set(WIRE.copies)
AGENCY_ID = "external:" + WIRE.agency_outlet  # the agency's node in the article graph


def _outlet(url: str) -> str:
    return truth.article(url).outlet


def _lookup(db: Path, url: str) -> dict:
    result = run_cli(["lookup", url, "--db", str(db), "--json"], timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def _check_answer(data: dict, asked: str) -> None:
    """The Lookup JSON of any member of the wire story, whoever asks."""
    assert data["found"] is True and data["article"]["url"] == asked
    origin = data["origin"]
    assert origin["in_store"] is False and origin["crawled"] is False
    assert origin["url"] is None  # no copy links the agency's own page
    assert "Associated Press" in origin["name"] and origin["kind"] == WIRE.agency_kind
    assert origin["outlet"] == WIRE.agency_outlet
    assert origin["basis"][0] == "attribution" and origin["credited_by"] == len(WIRE.credits)
    copies = {c["url"]: c for c in data["copies"]}
    assert set(copies) == MEMBERS  # the independent report of the event is not one of them
    for url, (form, statement) in WIRE.credits.items():
        c = copies[url]
        # side by side under the agency: never a date chain among the crediting copies
        assert c["copied_from"] is None and c["copied_from_origin"] is True, url
        assert c["copied_from_in_store"] is False and "Associated Press" in c["copied_from_name"]
        assert c["attributed"] is True and c["attribution_form"] == form, url
        assert statement in c["attribution"], url
        assert c["basis"][0] == "attribution" and c["lag_hours"] is None
    for url, source in WIRE.uncredited.items():
        c = copies[url]
        assert c["attributed"] is False and c["attribution"] is None
        if c["source_determined"]:
            # hung under a member it shares text with, on that text: never on dates alone
            assert c["copied_from"] == source and c["copied_from"] in MEMBERS
            assert c["basis"][0] == "text" and c["containment"] > 0.5
        else:
            assert c["copied_from"] is None and c["basis"] == []
            assert any(k["kind"] == "source-undetermined" for k in data["conflicts"])
    assert data["family_size"] == len(MEMBERS) + 1


# ------------------------------------------------------------------ the ground truth
def _page_text(sample_web, url: str) -> str:
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": sample_web.proxy_url})
    )
    with opener.open(url, timeout=10) as response:
        return " ".join(lxml_html.fromstring(response.read()).text_content().split())


def test_each_copy_carries_its_credit_and_the_edit_carries_none(sample_web):
    for url, (_form, statement) in WIRE.credits.items():
        assert statement in _page_text(sample_web, url), url
    for url in WIRE.uncredited:
        text = _page_text(sample_web, url)
        assert "Associated Press" not in text and not re.search(r"\bAP\b", text)
    for a, b in truth.INDEPENDENT_PAIRS:
        assert truth.origin_of(a) is None and truth.origin_of(b) is None
    assert all(any(i in pair for pair in truth.INDEPENDENT_PAIRS) for i in WIRE.independent)
    assert len({_outlet(u) for u in WIRE.copies}) == len(WIRE.copies) >= 4
    assert {form for form, _ in WIRE.credits.values()} == {"dateline", "byline", "sign-off"}
    assert all(truth.story_key(u) == WIRE.agency_outlet for u in WIRE.copies)


# ------------------------------------------------------------------ crosspost lookup
@pytest.mark.parametrize("url", sorted(MEMBERS), ids=_outlet)
def test_lookup_json_names_the_agency_from_every_member(full_crawl, url):
    _check_answer(_lookup(full_crawl[0], url), url)


def test_lookup_text_says_the_agency_is_outside_the_store(full_crawl):
    result = run_cli(["lookup", CREDITED[0], "--db", str(full_crawl[0])], timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert re.search(r"Origin: (The )?Associated Press \(wire agency, not in the store\)", out)
    assert f"credited by {len(WIRE.credits)} copies" in out
    for _form, statement in WIRE.credits.values():
        assert f"“{statement}”" in out
    assert "UNCREDITED" in out


def test_independent_report_of_the_event_is_no_copy(full_crawl):
    for url in WIRE.independent:
        data = _lookup(full_crawl[0], url)
        assert data["origin"]["url"] == url and data["origin"].get("in_store", True) is True
        assert data["copies"] == []


# ------------------------------------------------------------------ the HTTP API
@pytest.fixture(scope="module")
def api(full_crawl):
    pytest.importorskip("fastapi", reason="the serve extra is not installed")
    from serve_tools import server

    with server(full_crawl[0]) as url:
        yield url


def test_api_provenance_outlets_and_graph(api):
    from serve_tools import get_json

    for url in sorted(MEMBERS):
        status, data = get_json(api + "api/provenance?url=" + urllib.parse.quote(url, safe=""))
        assert status == 200
        _check_answer(data, url)
    status, data = get_json(api + "api/outlets")
    assert status == 200
    [row] = [r for r in data["outlets"] if r["outlet"] == WIRE.agency_outlet]
    assert "Associated Press" in row["name"] and row["articles"] == 0
    assert row["copied_by_others"] == len(WIRE.credits) and row["originals"] == 1
    # the outlets list links each row to its page: the agency's answers too
    status, page = get_json(api + "api/outlets/" + WIRE.agency_outlet)
    assert status == 200 and page["outlet"]["articles"] == 0
    assert {p["copied_by"] for p in page["top_republishers"]} == {_outlet(u) for u in CREDITED}
    assert page["top_sources"] == [] and page["recent_articles"] == []
    assert get_json(api + "api/outlets/nowhere.test")[0] == 404
    status, graph = get_json(api + "api/graph?level=article")
    assert status == 200
    [node] = [n for n in graph["nodes"] if n["id"] == AGENCY_ID]
    assert node["kind"] == "wire" and node["in_store"] is False
    assert {e["target"] for e in graph["links"] if e["source"] == AGENCY_ID} == set(CREDITED)


# ------------------------------------------------------------------ crosspost stats
def _agency_row(db: Path, *window: str) -> dict | None:
    result = run_cli(["stats", "--db", str(db), "--json", *window], timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [r for r in json.loads(result.stdout)["outlets"] if r["outlet"] == WIRE.agency_outlet]
    return rows[0] if rows else None


def test_stats_window_counts_the_undated_agency_by_its_copies(full_crawl):
    db = full_crawl[0]
    # the agency has no date: a window holds it when it holds a copy crediting it
    assert _agency_row(db, "--until", "2021-03-01") is None
    assert _agency_row(db, "--since", "2030-01-01") is None
    since = datetime(2021, 3, 20, tzinfo=UTC)
    later = [u for u in CREDITED if datetime.fromisoformat(truth.article(u).published) >= since]
    row = _agency_row(db, "--since", "2021-03-20T00:00:00+00:00")
    assert row["originals"] == 1 and row["copied_by_others"] == len(later) == 2


def test_stats_has_the_agency_row_and_its_pairs(full_crawl):
    result = run_cli(["stats", "--db", str(full_crawl[0]), "--json"], timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    [row] = [r for r in report["outlets"] if r["outlet"] == WIRE.agency_outlet]
    assert "Associated Press" in row["name"]
    assert (row["articles"], row["originals"], row["copies"]) == (0, 1, 0)
    assert row["copied_by_others"] == len(WIRE.credits)
    pairs = {p["copied_by"]: p for p in report["pairs"] if p["source"] == WIRE.agency_outlet}
    assert set(pairs) == {_outlet(u) for u in CREDITED}
    assert all(p["republications"] == p["attributed"] == 1 for p in pairs.values())
    text = run_cli(["stats", "--db", str(full_crawl[0]), "--top", "0"], timeout=120).stdout
    assert re.search(r"^Associated Press\s+apnews\.com\s+0\s+1\s+0\s+3\b", text, re.MULTILINE), text


# ------------------------------------------------------------------ crosspost export
@pytest.mark.parametrize("suffix", [".gexf", ".json"])
def test_export_outlet_graph_has_the_agency_with_an_edge_to_each_republisher(
    full_crawl, tmp_path, suffix
):
    out = tmp_path / f"graph{suffix}"
    result = run_cli(["export", str(out), "--db", str(full_crawl[0])], timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    if suffix == ".gexf":
        graph = nx.read_gexf(out)
        nodes = dict(graph.nodes(data=True))
        edges = set(graph.edges())
    else:
        data = json.loads(out.read_text(encoding="utf-8"))
        nodes = {n["id"]: n for n in data["nodes"]}
        edges = {(e["source"], e["target"]) for e in data["links"]}
    agency = nodes[WIRE.agency_outlet]
    assert agency["kind"] == "wire" and agency["in_store"] in (False, "false")
    assert "Associated Press" in agency["label"]
    assert {t for s, t in edges if s == WIRE.agency_outlet} == {_outlet(u) for u in CREDITED}


def test_export_article_graph_hangs_each_credited_copy_under_the_agency(full_crawl, tmp_path):
    out = tmp_path / "articles.json"
    result = run_cli(
        ["export", str(out), "--db", str(full_crawl[0]), "--level", "article"], timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[AGENCY_ID]["in_store"] is False and nodes[AGENCY_ID]["kind"] == "wire"
    into = {}
    for e in data["links"]:
        if e["target"] in MEMBERS:
            into.setdefault(e["target"], set()).add(e["source"])
    for url in CREDITED:
        assert into[url] == {AGENCY_ID}, url
    for url, source in WIRE.uncredited.items():
        assert into.get(url, set()) <= {source}  # from a member it shares text with, or none
    # the stored decisions say the same
    got = rows(full_crawl[0], "select count(*) as n from articles")[0]["n"]
    assert got == len(truth.ARTICLES)


# ------------------------------------------------------------------ the page, in Chromium
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium here: apt-get install chromium (.ci/run does)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def test_page_shows_the_agency_as_origin_and_each_credit(browser, api, tmp_path):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(api, wait_until="domcontentloaded")
    page.fill("#query", CREDITED[0])
    page.click("#go")
    page.wait_for_selector(".timeline .event", timeout=15000)
    page.wait_for_selector(".family-graph .node", timeout=15000)
    card = page.locator(".origin-card").inner_text()
    assert "Associated Press" in card and "this page is a copy" in card.lower()
    assert "not an article in this store" in card.lower()
    assert page.locator(".origin-card a.out").count() == 0  # no page of the agency to open
    origin_row = page.locator(".timeline .event.origin").inner_text()
    assert "Associated Press" in origin_row
    assert page.locator(".timeline .event.origin .badge.outside").count() == 1
    events = page.locator(".timeline .event:not(.origin)")
    assert events.count() == len(MEMBERS)
    for url, (_form, statement) in WIRE.credits.items():
        row = page.locator(".timeline .event:not(.origin)").filter(
            has=page.locator(f'a[href="{url}"]')
        )
        text = row.first.inner_text()
        assert statement in text and "credits source" in text, url
        assert "copied from Associated Press" in text or "copied from The Associated Press" in text
    for url in WIRE.uncredited:
        row = page.locator(".timeline .event:not(.origin)").filter(
            has=page.locator(f'a[href="{url}"]')
        )
        text = row.first.inner_text()
        assert "no credit" in text
        # the agency has no date: a lag is from the copy's own source, never "after origin"
        assert "after origin" not in text
    assert page.locator(".family-graph .node").count() == len(MEMBERS) + 1
    page.screenshot(path=str(tmp_path / "wire.png"), full_page=True)
    page.screenshot(path="/tmp/crosspost-wire-page.png", full_page=True)
    assert errors == []


def test_outlets_page_opens_the_agency_and_its_republishers(browser, api):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(api + "outlets", wait_until="domcontentloaded")
    page.wait_for_selector("table tbody tr", timeout=15000)
    page.locator("table tbody tr a", has_text="Associated Press").first.click()
    page.wait_for_selector("dl.stats", timeout=15000)
    text = page.inner_text("#outlet-view")
    assert "Associated Press" in text and "Top republishers" in text
    assert "known only from the copies that credit it" in text
    for url in CREDITED:
        assert _outlet(url) in text
    page.screenshot(path="/tmp/crosspost-wire-outlet.png", full_page=True)
    assert errors == []
