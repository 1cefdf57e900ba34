"""The web page in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from serve_tools import save_article, save_match, server

from crawler.sampleweb import truth
from crawler.store import Store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
XSS_TITLE = "<script>alert(1)</script>"
XSS_CREDIT = 'Originally published by <img src=x onerror="window.__pwned=1"><b>Evil</b> Outlet'


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium here: apt-get install chromium (.ci/run does)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(full_crawl):
    with server(full_crawl[0]) as url:
        yield url


def _page(browser, width=1100, height=900):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("dialog", lambda dialog: (page.errors.append(f"dialog: {dialog.message}"),
                                      dialog.dismiss()))
    return page


def _look_up(page, site, query):
    page.goto(site, wait_until="domcontentloaded")
    page.fill("#query", query)
    page.click("#go")


def test_flagship_url_shows_origin_copies_and_graph(browser, site, tmp_path):
    page = _page(browser)
    _look_up(page, site, truth.FLAGSHIP_COPY_URL)
    page.wait_for_selector(".timeline .event", timeout=15000)
    origin = page.locator(".origin-card")
    assert "South Front" in origin.inner_text()
    assert "this page is a copy" in origin.inner_text().lower()
    events = page.locator(".timeline .event")
    assert events.count() >= 2
    mine = page.locator(".event.queried")
    assert "Global Research" in mine.inner_text()
    assert "The original source of this article is South Front" in mine.inner_text()
    assert page.locator(".origin-card a.out").get_attribute("href") == truth.FLAGSHIP_ORIGIN_URL
    assert page.locator(".family-graph .node").count() == events.count()
    page.locator(".family-graph .node.origin").click()
    assert page.locator(".event.picked").count() == 1
    assert "?url=" in page.url  # the answer has a shareable address
    page.screenshot(path=str(tmp_path / "flagship.png"), full_page=True)
    page.screenshot(path="/tmp/crosspost-page.png", full_page=True)
    assert page.errors == []


def test_phone_width_has_no_sideways_scroll(browser, site, tmp_path):
    page = _page(browser, width=375, height=800)
    _look_up(page, site, truth.FLAGSHIP_COPY_URL)
    page.wait_for_selector(".timeline .event", timeout=15000)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 375
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    page.screenshot(path="/tmp/crosspost-page-phone.png", full_page=True)
    assert page.errors == []


def test_search_words_and_unknown_url(browser, site):
    page = _page(browser)
    _look_up(page, site, "ceasefire")
    page.wait_for_selector(".hits li", timeout=15000)
    assert page.locator(".hits mark").count() >= 1
    page.locator(".hits li a").first.click()
    page.wait_for_selector(".origin-card", timeout=15000)
    _look_up(page, site, "http://nowhere.test/missing/")
    page.wait_for_selector("#status.warn", timeout=15000)
    assert "not in the store" in page.inner_text("#status")
    # the browser logs the API's 404 answer to the unknown URL; nothing else may fail
    assert [e for e in page.errors if "404" not in e] == []


def test_outlet_page_lists_sources_and_republishers(browser, site):
    page = _page(browser)
    page.goto(site + "outlets/southfront.test")
    page.wait_for_selector("dl.stats", timeout=15000)
    text = page.inner_text("#outlet-view")
    assert "South Front" in text and "Top republishers" in text
    assert "globalresearch.test" in text
    page.goto(site + "outlets")
    page.wait_for_selector("table tbody tr", timeout=15000)
    assert page.locator("table tbody tr").count() >= 7
    assert page.errors == []


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A store whose scraped strings carry markup and a javascript: link."""
    db = tmp_path_factory.mktemp("xss") / "hostile.db"
    text = "Ordinary words about a harbour strike in the northern port city. " * 8
    with Store(db) as store:
        origin = save_article(store, "http://origin.test/strike/", "origin.test", XSS_TITLE,
                              text, published_at="2024-01-01T10:00:00+00:00")
        copy = save_article(
            store, "http://copier.test/strike/", "copier.test", '"><svg onload=alert(2)>', text,
            published_at="2024-01-02T10:00:00+00:00",
            attributions=[{"kind": "originally-published", "sentence": XSS_CREDIT,
                           "name": "Evil", "url": "javascript:alert(3)",
                           "outlet": "origin.test"}])
        save_match(store, copy, origin)
    with server(db) as url:
        yield url


def test_scraped_markup_renders_as_text(browser, hostile_site):
    page = _page(browser)
    _look_up(page, hostile_site, "http://copier.test/strike/")
    page.wait_for_selector(".timeline .event", timeout=15000)
    page.wait_for_timeout(300)
    body = page.inner_text("#result")
    assert XSS_TITLE in body  # visible, as text
    assert XSS_CREDIT in body
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#result script, #result img, #result svg b, #result b").count() == 0
    hrefs = page.eval_on_selector_all("a", "els => els.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h and h.lower().startswith("javascript:")]
    assert [e for e in page.errors if "dialog" in e] == []


# -- the home page, outlet pages, words, the family graph ----------------------------------
PHONE = 390


def test_home_page_shows_the_store_and_two_example_lookups(browser, site, tmp_path):
    page = _page(browser)
    page.goto(site, wait_until="domcontentloaded")
    page.wait_for_selector("#home .examples li a", timeout=15000)
    figures = dict(zip(page.locator("#home dt").all_inner_texts(),
                       page.locator("#home dd").all_inner_texts(), strict=True))
    assert figures["Articles"] == str(len(truth.ARTICLES))
    assert figures["Outlets"] == str(len(truth.OUTLETS))
    assert figures["Story families"] == str(len(truth.family_keys()))
    assert "Last crawl" in page.inner_text("#home")
    links = page.locator("#home .examples li a")
    assert links.count() == 2
    urls = [page.evaluate("h => new URL(h, location.href).searchParams.get('url')",
                          links.nth(i).get_attribute("href")) for i in range(2)]
    assert len(set(urls)) == 2 and all(u in truth.all_article_urls() for u in urls)
    page.screenshot(path="/tmp/crosspost-home.png", full_page=True)
    links.first.click()
    page.wait_for_selector(".origin-card", timeout=15000)
    assert page.locator("#home").is_hidden()
    assert page.errors == []


def test_outlet_page_names_outlets_and_counts_its_own_originals(browser, site):
    page = _page(browser)
    page.goto(site + "outlets/globalresearch.test")
    page.wait_for_selector("dl.stats", timeout=15000)
    figures = dict(zip(page.locator("dl.stats dt").all_inner_texts(),
                       page.locator("dl.stats dd").all_inner_texts(), strict=True))
    originals = {truth.root_origin(r.copy_url) for r in truth.RELATIONS}
    own = [u for u in originals if truth.article(u).outlet == "globalresearch.test"]
    assert figures["Originals"] == str(len(own))
    assert figures["Originals copied by others"] == str(len(own))
    sources = page.locator("table").first.locator("tbody tr td:first-child")
    assert sources.first.locator("a").inner_text() == "South Front"
    assert sources.first.locator(".domain").inner_text() == "southfront.test"
    assert page.errors == []


def test_phone_width_outlet_tables_cut_nothing_off(browser, site):
    page = _page(browser, width=PHONE, height=800)
    for path in ("outlets", "outlets/southfront.test"):
        page.goto(site + path)
        page.wait_for_selector("table tbody tr", timeout=15000)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
        overflow = page.evaluate("""() => [...document.querySelectorAll('td')]
            .map(td => td.getBoundingClientRect()).filter(r => r.right > innerWidth + 0.5).length""")
        assert overflow == 0, path
        # every figure is shown with its column name
        cell = page.locator("tbody tr").first.locator("td").nth(1)
        assert page.evaluate("td => getComputedStyle(td, '::before').content", cell.element_handle()) != "none"
    page.screenshot(path="/tmp/crosspost-outlets-phone.png", full_page=True)
    assert page.errors == []


def _label_edge_overlaps(page) -> list:
    return page.evaluate("""() => {
        const boxes = (sel) => [...document.querySelectorAll(sel)].map(n => n.getBBox());
        const labels = boxes('.family-graph .labels text');
        const edges = boxes('.family-graph .edges path');
        const hits = [];
        for (const l of labels) for (const e of edges) {
            if (l.x < e.x + e.width && e.x < l.x + l.width && l.y < e.y + e.height && e.y < l.y + l.height)
                hits.push([l.x, l.y, e.x, e.y]);
        }
        return hits;
    }""")


def _why(page) -> str:
    return page.inner_text(".origin-card .basis")


@pytest.mark.parametrize("width", [1100, PHONE])
def test_every_family_reads_in_words_without_labels_crossed(browser, site, width):
    page = _page(browser, width=width, height=900)
    origins = sorted({truth.root_origin(r.copy_url) for r in truth.RELATIONS})
    for url in origins:
        page.goto(site + "?url=" + url)
        page.wait_for_selector(".timeline .event", timeout=15000)
        page.wait_for_selector(".family-graph .labels text", timeout=15000)
        assert _label_edge_overlaps(page) == [], url
        text = page.inner_text("#result")
        assert "expanded" not in text and "contained" not in text, url
        credited = page.locator(".event .badge.credited").count()
        if "credit" in _why(page):
            assert credited >= 1, (url, _why(page))
    assert page.errors == []


@pytest.fixture(scope="module")
def wire_site(tmp_path_factory):
    """Three sites run an agency story; two credit the agency in a byline, one carries the
    whole story and more, crediting nobody."""
    db = tmp_path_factory.mktemp("wire") / "wire.db"
    story = "Floodwater rose through the river town overnight as crews worked to shore up levees. " * 8
    credit = {"kind": "byline", "form": "byline", "sentence": "By The Associated Press",
              "name": "The Associated Press", "outlet": "apnews.com", "source_kind": "wire"}
    with Store(db) as store:
        a = save_article(store, "http://first.test/flood/", "first.test", "River town floods",
                         story, published_at="2024-05-01T10:00:00+00:00", attributions=[credit])
        b = save_article(store, "http://second.test/flood/", "second.test", "River town floods",
                         story, published_at="2024-05-01T12:00:00+00:00", attributions=[credit])
        c = save_article(store, "http://third.test/flood/", "third.test", "Floods: the full story",
                         story + " Local volunteers filled sandbags at the school.",
                         published_at="2024-05-02T09:00:00+00:00")
        save_match(store, b, a)
        store.save_matches(c, None, None, [
            {"a": c, "b": a, "jaccard": 0.8, "containment_a_in_b": 0.8, "containment_b_in_a": 1.0,
             "kind": "expanded"},
            {"a": c, "b": b, "jaccard": 0.8, "containment_a_in_b": 0.8, "containment_b_in_a": 1.0,
             "kind": "expanded"}])
        from crawler.decisions import decide_and_store
        decide_and_store(store, "test")
    with server(db) as url:
        yield url


@pytest.mark.parametrize("width", [1100, PHONE])
def test_an_agency_origin_is_shown_by_name_and_kind_without_a_broken_link(browser, wire_site,
                                                                          width):
    page = _page(browser, width=width)
    page.goto(wire_site + "?url=http://third.test/flood/")
    page.wait_for_selector(".timeline .event", timeout=15000)
    card = page.locator(".origin-card")
    assert "The Associated Press" in card.inner_text() and "wire agency" in card.inner_text()
    hrefs = card.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert all(h and not h.endswith("null") for h in hrefs)
    assert "open the original page" not in card.inner_text()
    assert "2 copies credit it" in _why(page)
    labels = page.locator(".family-graph .labels text").all_text_contents()
    # the name, shortened to the name column on a phone (the node's tooltip holds it whole)
    assert labels[0].rstrip("…") and "The Associated Press".startswith(labels[0].rstrip("…"))
    assert len(labels[0]) >= 10
    assert page.locator(".family-graph .edges path.credited").count() == 2
    assert _label_edge_overlaps(page) == []
    mine = page.locator(".event.queried")
    assert "carries the whole original plus more" in mine.inner_text()
    assert "no credit" in mine.inner_text()
    page.screenshot(path=f"/tmp/crosspost-agency-{width}.png", full_page=True)
    assert page.errors == []
