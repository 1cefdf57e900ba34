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
