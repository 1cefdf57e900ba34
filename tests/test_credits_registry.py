"""The registry of wire services, syndicators, aggregators and owners as data; extending it
from an outlets file; multi-brand hosts as outlets of their own; credits stored with their
form and credited party in a real SQLite store."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.crawl.outlets_file import OutletsFileError, load_outlets
from crawler.extract.credits import OutletDirectory, default_registry, find_attributions
from crawler.urls import outlet_of

REPO = Path(__file__).resolve().parents[1]
BODY = "The council voted on Tuesday to extend the program for another two years.\n" * 3


@pytest.mark.parametrize(
    "name,outlet,kind",
    [
        ("AP", "apnews.com", "wire"),
        ("The Associated Press", "apnews.com", "wire"),
        ("Reuters", "reuters.com", "wire"),
        ("dpa", "dpa.com", "wire"),
        ("新华社", "news.cn", "wire"),
        ("ТАСС", "tass.com", "wire"),
        ("РИА Новости", "ria.ru", "wire"),
        ("اے پی پی", "app.com.pk", "wire"),
        ("पीटीआई", "ptinews.com", "wire"),
        ("Anadolu Ajansı", "aa.com.tr", "wire"),
        ("Yonhap", "yna.co.kr", "wire"),
        ("Tribune Content Agency", "tribunecontentagency.com", "syndicator"),
        ("Washington Post Writers Group", "washingtonpost.com", "syndicator"),
        ("Yahoo News", "news.yahoo.com", "aggregator"),
        ("MSN", "msn.com", "aggregator"),
        ("SyndiGate", "syndigate.info", "aggregator"),
        ("ABC News", "abcnews.go.com", "outlet"),
    ],
)
def test_registry_names_in_every_script(name: str, outlet: str, kind: str) -> None:
    source = default_registry().find(name)
    assert source is not None and (source.outlet, source.kind) == (outlet, kind)


def test_short_forms_match_as_written() -> None:
    registry = default_registry()
    assert registry.find("AP") and registry.find("dpa")
    assert registry.find("Ap") is None and registry.find("app") is None  # "app" is a word


@pytest.mark.parametrize(
    "url,outlet",
    [
        ("https://abcnews.go.com/Politics/story?id=1", "abcnews.go.com"),
        ("https://go.com/", "go.com"),
        ("https://espn.go.com/nfl/story", "espn.com"),
        ("https://news.yahoo.com/trump-putin-123.html", "news.yahoo.com"),
        ("https://uk.news.yahoo.com/x-123.html", "news.yahoo.com"),
        ("https://www.yahoo.com/news/x-123.html", "news.yahoo.com"),
        ("https://www.yahoo.com/lifestyle/x-123.html", "yahoo.com"),
        ("https://finance.yahoo.com/news/x", "finance.yahoo.com"),
        ("https://www.msn.com/en-us/news/world/x/ar-AA1", "msn.com"),
        ("https://www.globalresearch.ca/x/1", "globalresearch.ca"),
    ],
)
def test_multi_brand_hosts_are_their_own_outlet(url: str, outlet: str) -> None:
    assert outlet_of(url) == outlet


def test_credits_on_a_multi_brand_host_know_their_own_outlet() -> None:
    # ABC News's own name on abcnews.go.com is no credit; go.com's other brands are others.
    assert find_attributions("By ABC News\n" + BODY, None, "https://abcnews.go.com/US/x") == []
    hits = find_attributions("By The Associated Press\n" + BODY, None, "https://abcnews.go.com/US/x")
    assert [(h.outlet, h.source_kind) for h in hits] == [("apnews.com", "wire")]


def test_outlets_file_adds_agencies_and_hosts(tmp_path: Path) -> None:
    path = tmp_path / "outlets.toml"
    path.write_text(
        '[[outlet]]\nname = "Agenzia Nova"\nkind = "wire"\ndomains = ["agenzianova.com"]\n'
        'abbreviations = ["Nova"]\n\n'
        '[[outlet]]\nname = "Weather Desk"\nhosts = ["weather.bigportal.test"]\n\n'
        '[[outlet]]\nname = "Old style"\ndomains = ["oldstyle.test"]\naliases = ["OS"]\n',
        encoding="utf-8",
    )
    outlets = load_outlets(path)
    assert outlets.outlets[0].registry_entry()["kind"] == "wire"
    assert "kind" not in outlets.outlets[2].registry_entry()  # old files stay as they were
    assert outlet_of("https://weather.bigportal.test/today") == "weather.bigportal.test"
    assert outlet_of("https://sports.bigportal.test/today") == "bigportal.test"
    directory = OutletDirectory.from_registry(outlets.registry())
    hits = find_attributions("ROMA (Nova) - " + BODY, None, "https://www.giornale.test/a", None, directory)
    assert [(h.form, h.outlet, h.source_kind, h.source_name) for h in hits] == [
        ("dateline", "agenzianova.com", "wire", "Agenzia Nova")
    ]


def test_outlets_file_rejects_an_unknown_kind(tmp_path: Path) -> None:
    path = tmp_path / "outlets.toml"
    path.write_text('[[outlet]]\nname = "X"\nkind = "newswire"\ndomains = ["x.test"]\n', encoding="utf-8")
    with pytest.raises(OutletsFileError, match="kind"):
        load_outlets(path)


def test_ingest_stores_form_and_credited_party(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Summit</title></head><body><article><h1>Leaders meet in Helsinki</h1>"
        "<p>By The Associated Press</p>"
        "<p>HELSINKI (AP) — " + "The leaders met on Monday for talks that lasted two hours. " * 6 + "</p>"
        "<p>" + "Officials from both sides described the meeting as constructive and frank. " * 4 + "</p>"
        "</article></body></html>"
    )
    records = tmp_path / "pages.jsonl"
    records.write_text(
        json.dumps({"url": "https://abcnews.go.com/Politics/summit/story?id=1", "html": html}) + "\n"
        + json.dumps({"url": "https://www.localpaper.test/summit", "text": "Source: Reuters\n" + BODY}) + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "c.db"
    cli = Path(sys.executable).with_name("crosspost")
    run = subprocess.run([str(cli), "ingest", str(records), "--db", str(db), "--silent", "--jobs", "1"],
                         check=False, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    con = sqlite3.connect(db)
    rows = con.execute(
        "select a.outlet, t.form, t.outlet, t.source_kind, t.source_name from attributions t "
        "join articles a on a.id = t.article_id order by t.id"
    ).fetchall()
    assert ("abcnews.go.com", "byline", "apnews.com", "wire", "Associated Press") in rows
    assert ("abcnews.go.com", "dateline", "apnews.com", "wire", "Associated Press") in rows
    assert ("localpaper.test", "source-url", "reuters.com", "wire", "Reuters") in rows
    assert all(form for _, form, *_ in rows)



@pytest.mark.parametrize("opening", ["ROMA (Nova) - ", "By MARIO ROSSI Agenzia Nova\n"])
def test_an_entry_added_after_a_scan_is_found_by_the_next_scan(opening: str) -> None:
    # Scans keep tables built from a registry; an entry added to the same registry later
    # must reach the next scan.
    directory = OutletDirectory()
    directory.add_entry({"name": "Agencia Ejemplar", "kind": "wire", "domains": ["ejemplar.test"]})
    registry = directory.registry
    url = "https://www.giornale.test/a"
    assert find_attributions(opening + BODY, None, url, None, directory) == []
    directory.add_entry(
        {"name": "Agenzia Nova", "kind": "wire", "domains": ["agenzianova.com"], "abbreviations": ["Nova"]}
    )
    assert directory.registry is registry
    hits = find_attributions(opening + BODY, None, url, None, directory)
    assert [(h.outlet, h.source_kind) for h in hits] == [("agenzianova.com", "wire")]


def test_ingest_reads_agencies_and_outlets_in_a_records_author_field(tmp_path: Path) -> None:
    # The credit is only in the record's author field, never in the text.
    records = tmp_path / "records.jsonl"
    lines = [
        {"url": "https://www.localpaper.test/a", "author": "Associated Press", "text": BODY},
        {"url": "https://www.localpaper.test/b", "author": "Jane Doe, Reuters", "text": BODY},
        {"url": "https://www.localpaper.test/c", "author": "Jane Doe", "text": BODY},
        {"url": "https://www.localpaper.test/d", "author": "By The New York Times", "text": BODY},
        {"url": "https://apnews.com/article/e", "author": "Associated Press", "text": BODY},
        # the text's byline already credits the agency: one byline credit, not two
        {"url": "https://www.localpaper.test/f", "author": "PTI", "text": "By PTI\n" + BODY},
    ]
    records.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    db = tmp_path / "c.db"
    cli = Path(sys.executable).with_name("crosspost")
    run = subprocess.run([str(cli), "ingest", str(records), "--db", str(db), "--silent", "--jobs", "1"],
                         check=False, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    con = sqlite3.connect(db)
    rows = con.execute(
        "select a.url, t.form, t.outlet, t.source_kind from attributions t "
        "join articles a on a.id = t.article_id order by a.url, t.id"
    ).fetchall()
    by_url: dict[str, list[tuple[str, str, str]]] = {}
    for url, *rest in rows:
        by_url.setdefault(url.rsplit("/", 1)[-1], []).append(tuple(rest))
    assert by_url.pop("a") == [("byline", "apnews.com", "wire")]
    assert by_url.pop("b") == [("byline", "reuters.com", "wire")]
    assert by_url.pop("d") == [("byline", "nytimes.com", "outlet")]
    assert len(by_url.pop("f")) == 1
    assert by_url == {}  # no credit for a reporter's name, none for AP on apnews.com
