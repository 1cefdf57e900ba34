"""Stored provenance decisions: one decision, read alike by lookup, the API, stats, export
and the Datasette views; written whole, so a reader never sees half of a rematch."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ROOT, SHARED_DATA, rows, run_cli
from serve_tools import get_json, server

from crawler import decisions
from crawler.lookup import lookup_url
from crawler.records import load_family
from crawler.sampleweb import truth
from crawler.store import Store

MULTIOUTLET = SHARED_DATA / "articlecomparisons_multioutlet"
# every planted republication (the sample web may also carry an agency's wire story)
REPUBLICATIONS = getattr(truth, "REPUBLICATIONS", truth.RELATIONS)


def copy_store(src: Path, dst: Path) -> Path:
    conn = sqlite3.connect(src)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copy(src, dst)
    return dst


@pytest.fixture(scope="module")
def sample(full_crawl, tmp_path_factory):
    return copy_store(full_crawl[0], tmp_path_factory.mktemp("decisions") / "sample.db")


def stats_json(db: Path) -> dict:
    done = run_cli(["stats", "--db", str(db), "--json"], timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def assert_views_agree_with_stats(db: Path) -> dict:
    report = stats_json(db)
    view = {r["outlet"]: r for r in rows(db, "select * from outlet_summary")}
    assert report["outlets"], "no outlets to compare"
    for row in report["outlets"]:
        got = view[row["outlet"]]
        for key in ("articles", "originals", "originals_copied_by_others", "copies",
                    "attributed_copies", "copied_by_others"):
            assert got[key] == row[key], (row["outlet"], key, got[key], row[key])
        assert got["attribution_rate"] == pytest.approx(row["attribution_rate"]), row["outlet"]
        assert got["median_lag_hours"] == pytest.approx(row["median_lag_hours"], abs=0.011)
    pairs = {(r["source"], r["copied_by"]): r
             for r in rows(db, "select * from republications_by_outlet_pair")}
    done = run_cli(["stats", "--db", str(db), "--json", "--table", "pairs", "--top", "0"],
                   timeout=300)
    stat_pairs = json.loads(done.stdout)["pairs"]
    assert set(pairs) == {(p["source"], p["copied_by"]) for p in stat_pairs}
    for p in stat_pairs:
        got = pairs[(p["source"], p["copied_by"])]
        assert got["republications"] == p["republications"]
        assert got["attributed"] == p["attributed"]
        assert got["attribution_rate"] == pytest.approx(p["attribution_rate"])
        assert got["median_lag_hours"] == pytest.approx(p["median_lag_hours"], abs=0.011)
    return report


def test_a_crawl_stores_its_decisions(sample):
    with Store(sample, readonly=True) as store:
        state = decisions.status(store)
        run = store.get_state("decisions")
    assert state.current, state
    assert run["trigger"] == "crawl" and run["rules_version"] == decisions.rules_version()
    assert run["articles"] == len(truth.ARTICLES)
    stored = {r["url"] for r in rows(sample, "select url from decisions where in_store = 1")}
    assert stored == set(truth.all_article_urls())


def test_views_agree_with_stats_on_the_sample_web(sample):
    report = assert_views_agree_with_stats(sample)
    by = {r["outlet"]: r for r in report["outlets"]}
    # The disagreements of the views that decided in SQL, gone.
    copies = Counter(truth.article(r.copy_url).outlet for r in REPUBLICATIONS)
    credited = Counter(truth.article(r.copy_url).outlet for r in REPUBLICATIONS if r.credited)
    assert by["eurasiamonitor.test"]["copies"] == copies["eurasiamonitor.test"]
    assert by["dailyledger.test"]["attribution_rate"] == pytest.approx(
        credited["dailyledger.test"] / copies["dailyledger.test"])
    # Global Research has two originals; its copy of South Front that others took is no original
    assert by["globalresearch.test"]["originals_copied_by_others"] <= by["globalresearch.test"]["originals"]
    credits = [r["attribution"] for r in rows(sample, "select attribution from article_provenance")]
    assert not [c for c in credits if c and "<link" in c]
    uncredited = rows(sample, "select * from article_provenance where attributed = 0")
    assert uncredited and all(r["attribution"] is None for r in uncredited)


def _lookups(db: Path) -> dict[str, dict]:
    with Store(db, readonly=True) as store:
        return {url: lookup_url(store, url) for url in truth.all_article_urls()}


def _decided(answer: dict) -> dict:
    """What one answer decides: origin, each copy's source and credit."""
    origin = answer["origin"]
    return {
        "origin": (origin["url"], origin.get("name"), origin.get("in_store", True)),
        "copies": {c["url"]: (c["copied_from"], c["attributed"], c["attribution"])
                   for c in answer["copies"]},
    }


def _source_outlet(answer: dict, copy: dict, outlets: dict[str, str]) -> str | None:
    """The outlet a lookup says a copy was taken from (an agency's, for its copies)."""
    if copy.get("copied_from_origin") and answer["origin"].get("in_store") is False:
        return answer["origin"]["outlet"]
    return outlets.get(copy["copied_from"]) if copy["copied_from"] else None


def test_one_decision_everywhere(sample, tmp_path):
    answers = _lookups(sample)
    assert all(a["found"] and a["decided"]["stored"] for a in answers.values())
    # the API and page answer the same, article by article
    with server(sample) as base:
        for url, answer in answers.items():
            status, api = get_json(base + "api/provenance?url=" + quote(url, safe=""))
            assert status == 200
            assert _decided(api) == _decided(answer), url
    # the decisions table says the same for every copy (an agency's copies name it by its
    # key in the table, by its link or null in the answer)
    outlets = {url: a["article"]["outlet"] for url, a in answers.items()}
    links, sources = {}, {}
    for answer in answers.values():
        for c in answer["copies"]:
            links[c["url"]] = (c["copied_from"], c["attributed"], c["attribution"])
            sources[c["url"]] = _source_outlet(answer, c, outlets)
    for row in rows(sample, "select * from decisions where role = 'copy'"):
        source = row["copied_from"]
        if source is not None and source == row["origin"] and not row["origin_in_store"]:
            source = row["origin_url"]
        assert links[row["url"]] == (source, bool(row["attributed"]), row["credit"]), row["url"]
        assert sources[row["url"]] == row["copied_from_outlet"], row["url"]
    # stats counts what the lookups show
    copies, credited = Counter(), Counter()
    for url, (_source, attributed, _sentence) in links.items():
        if sources[url] and sources[url] != outlets[url]:
            copies[outlets[url]] += 1
            credited[outlets[url]] += attributed
    report = stats_json(sample)
    for row in report["outlets"]:
        assert row["copies"] == copies[row["outlet"]], row["outlet"]
        assert row["attributed_copies"] == credited[row["outlet"]], row["outlet"]
    # the exported article graph has one edge per copy, from its source
    out = tmp_path / "articles.json"
    done = run_cli(["export", str(out), "--db", str(sample), "--level", "article",
                    "--no-communities"], timeout=120)
    assert done.returncode == 0, done.stderr
    keys = {row["url"]: row["copied_from"] for row in
            rows(sample, "select url, copied_from from decisions where role = 'copy'")}
    edges = {(e["source"], e["target"]): e["attributed"]
             for e in json.loads(out.read_text())["links"]}
    assert edges == {(keys[url], url): attributed
                     for url, (src, attributed, _s) in links.items() if keys[url] is not None}


def _recorded_rules(db: Path, version: str) -> None:
    conn = sqlite3.connect(db)
    value = json.loads(conn.execute("select value from state where key = 'decisions'").fetchone()[0])
    value["rules_version"] = version
    conn.execute("update state set value = ? where key = 'decisions'", [json.dumps(value)])
    conn.commit()
    conn.close()


def test_stale_decisions_are_decided_in_memory_read_only_and_stored_once_by_a_writer(
        sample, tmp_path):
    db = copy_store(sample, tmp_path / "stale.db")
    _recorded_rules(db, "older-rules")
    with Store(db, readonly=True) as store:
        assert decisions.status(store).reason == "rules"
        answer = lookup_url(store, truth.FLAGSHIP_COPY_URL)
    assert answer["decided"]["stored"] is False and "other rules" in answer["decided"]["note"]
    assert answer["origin"]["url"] == truth.FLAGSHIP_ORIGIN_URL  # still answered
    first = run_cli(["stats", "--db", str(db)], timeout=120)
    assert first.returncode == 0 and "decided again and stored" in first.stderr
    second = run_cli(["stats", "--db", str(db)], timeout=120)
    assert "note:" not in second.stderr and first.stdout == second.stdout
    with Store(db, readonly=True) as store:
        assert decisions.status(store).current


def test_a_store_from_before_the_decisions_table_still_answers(sample, tmp_path):
    db = copy_store(sample, tmp_path / "old.db")
    conn = sqlite3.connect(db)
    for view in ("article_provenance", "outlet_copies", "republications_by_outlet_pair",
                 "outlet_summary", "story_families", "decisions_run"):
        conn.execute(f"drop view {view}")
    conn.execute("drop table decisions")
    conn.execute("drop table decision_families")
    for (trigger,) in conn.execute("select name from sqlite_master where type = 'trigger' "
                                   "and name like 'evidence_%'").fetchall():
        conn.execute(f"drop trigger {trigger}")
    conn.execute("drop table evidence_changes")
    conn.execute("delete from state where key = 'decisions'")
    conn.execute("delete from _sqlite_migrations where name in "
                 "('m007_decisions', 'm009_decision_views', 'm010_evidence_counter')")
    conn.commit()
    conn.close()
    with Store(db, readonly=True) as store:
        answer = lookup_url(store, truth.FLAGSHIP_COPY_URL)
    assert answer["decided"]["stored"] is False
    assert answer["origin"]["url"] == truth.FLAGSHIP_ORIGIN_URL
    # another writer holds the file (a crawl): decided in memory, with a note, not stored
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        done = run_cli(["stats", "--db", str(db), "--json"], timeout=120)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert done.returncode == 0 and "decided now, not stored" in done.stderr
    assert json.loads(done.stdout)["summary"]["copies"] == len(REPUBLICATIONS)
    # free again: the next reader that can write stores them, once
    again = run_cli(["stats", "--db", str(db), "--json"], timeout=120)
    assert "decided again and stored" in again.stderr and again.stdout == done.stdout
    assert "note:" not in run_cli(["stats", "--db", str(db)], timeout=120).stderr


def test_a_page_stored_after_the_decisions_makes_them_stale(sample, tmp_path):
    from serve_tools import save_article

    db = copy_store(sample, tmp_path / "later.db")
    with Store(db) as store:
        assert decisions.status(store).current
        store.set_state("signature.params.note", {"unrelated": True})  # not evidence
        assert decisions.status(store).current
        save_article(store, "http://late.test/story/", "late.test", "Late", "Some words " * 30)
        assert decisions.status(store).reason == "evidence"
        answer = lookup_url(store, "http://late.test/story/")
    assert answer["found"] and answer["decided"]["stored"] is False


# -- a reader during a rematch ------------------------------------------------------------
STORY = ("The harbour authority confirmed on Tuesday that the northern terminal will close "
         "for repairs after inspectors found cracks in the pier supports, and ferry services "
         "will move to the southern quay until the work is finished. ")


def _filler(n: int) -> str:
    words = [f"w{(n * 7919 + i * 104729) % 100003}" for i in range(220)]
    return " ".join(words) + "."


@pytest.fixture()
def family_store(tmp_path):
    """Five outlets running one story, among 1,500 unrelated articles, ingested."""
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(5):
            text = (STORY * 6) + f"Reported by desk {i}."
            out.write(json.dumps({"url": f"https://outlet{i}.test/harbour/", "text": text,
                                  "published_at": f"2024-03-0{i + 1}T10:00:00+00:00"}) + "\n")
        for n in range(1500):
            out.write(json.dumps({"url": f"https://filler{n % 40}.test/a/{n}",
                                  "text": _filler(n)}) + "\n")
    db = tmp_path / "family.db"
    done = run_cli(["ingest", "--db", str(db), "--silent", str(path)], timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return db


def test_a_lookup_during_rematch_sees_the_whole_family(family_store):
    url = "https://outlet3.test/harbour/"
    with Store(family_store, readonly=True) as store:
        assert store.get_state("decisions")["trigger"] == "ingest"
        assert lookup_url(store, url)["family_size"] == 5
        article_id = store.db.execute("select id from articles where url = ?", [url]).fetchone()[0]
    seen: list[int] = []
    evidence: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        with Store(family_store, readonly=True) as store:
            while not stop.is_set():
                seen.append(lookup_url(store, url)["family_size"])
                # what deciding from the evidence of the moment would say
                evidence.append(len(load_family(store, article_id).articles))

    proc = subprocess.Popen([sys.executable, "-m", "crawler", "rematch", "--db",
                             str(family_store), "--silent"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        out, err = proc.communicate(timeout=300)
    finally:
        stop.set()
        thread.join(30)
    assert proc.returncode == 0, err[-2000:]
    assert len(seen) >= 5
    assert min(evidence) < 5, "the rematch never cleared the matches while the reader read"
    assert set(seen) == {5}
    with Store(family_store, readonly=True) as store:
        assert store.get_state("decisions")["trigger"] == "rematch"
        assert lookup_url(store, url)["family_size"] == 5


# -- an ingested real corpus -----------------------------------------------------------------
@pytest.fixture(scope="module")
def wire_corpus(tmp_path_factory):
    source = MULTIOUTLET / "helsinki_articles.csv"
    if not source.exists():
        pytest.skip(f"{source} not found: this test needs ../shared/data")
    csv.field_size_limit(1 << 30)
    tmp = tmp_path_factory.mktemp("wire")
    path, db = tmp / "helsinki.jsonl", tmp / "helsinki.db"
    with open(source, newline="", encoding="utf-8") as f, path.open("w", encoding="utf-8") as out:
        for row in csv.DictReader(f):
            out.write(json.dumps({
                "url": f"https://{row['publisher']}/articlecomparisons/helsinki/{row['id']}",
                "text": row["text"].replace(" ### ", "\n"), "fetched_at": row["scrape_time"],
            }) + "\n")
    done = run_cli(["ingest", "--db", str(db), "--silent", str(path)], timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return db


def test_views_agree_with_stats_on_an_ingested_real_corpus(wire_corpus):
    started = time.monotonic()
    report = assert_views_agree_with_stats(wire_corpus)
    assert report["summary"]["copies"] > 50  # dense wire reuse: something to compare
    assert time.monotonic() - started < 300
    with Store(wire_corpus, readonly=True) as store:
        assert store.get_state("decisions")["trigger"] == "ingest"


# -- decided a batch of story families at a time ------------------------------------------------
def _stored_rows(db: Path) -> tuple[list, list, dict]:
    conn = sqlite3.connect(db)
    try:
        articles = conn.execute("select * from decisions order by rowid").fetchall()
        families = conn.execute("select * from decision_families order by family_id").fetchall()
        run = json.loads(conn.execute(
            "select value from state where key = 'decisions'").fetchone()[0])
    finally:
        conn.close()
    for key in ("decided_at", "seconds", "trigger"):
        run.pop(key)
    return articles, families, run


def _whole_and_batched(db: Path, tmp_path: Path, sizes: tuple[int, ...]) -> None:
    """The decisions stored a batch at a time are, row for row, those decided over the
    whole store at once (family ids, origins, links, order, the run's figures)."""
    from crawler.decisions import stored
    from crawler.records import load_all

    whole = copy_store(db, tmp_path / "whole.db")
    with Store(whole) as store:
        stored.write(store, load_all(store).provenance(), trigger="test")
    expected = _stored_rows(whole)
    assert expected[0] and expected[1], "nothing decided: nothing to compare"
    for size in sizes:
        batched = copy_store(db, tmp_path / f"batched-{size}.db")
        with Store(batched) as store:
            decisions.decide_and_store(store, "test", batch=size)
        got = _stored_rows(batched)
        assert got[2] == expected[2], size
        assert got[1] == expected[1], size
        assert got[0] == expected[0], size


def test_batched_decisions_are_the_whole_store_decisions_on_the_sample_web(sample, tmp_path):
    _whole_and_batched(sample, tmp_path, (1, 7, 10_000))


def test_batched_decisions_are_the_whole_store_decisions_on_a_real_corpus(wire_corpus, tmp_path):
    _whole_and_batched(wire_corpus, tmp_path, (1, 50))


def test_batches_join_stories_as_the_decisions_do(tmp_path):
    """Pages never crawled, canonicals, site roots and links without a host join or keep
    apart exactly as deciding the whole store does."""
    db = tmp_path / "joins.db"
    pages = {  # url: (declared canonical, [(credit url, credited outlet)])
        "https://a.test/1": (None, [("https://origin.test/story", "origin.test")]),
        "https://b.test/1": (None, [("https://origin.test/story", None)]),
        "https://c.test/1": ("https://origin.test/story", []),
        "https://d.test/1": (None, [("https://origin.test/", "origin.test")]),
        "https://e.test/1": (None, [("/relative/page", None)]),
        "https://f.test/1": (None, [("/relative/page", "f-source.test")]),
        "https://g.test/1": (None, [("https://a.test/1", None)]),
        "https://h.test/1": ("https://h.test/1", []),
        "https://i.test/1": ("https://e.test/1", []),
    }
    with Store(db) as store:
        with store.transaction():
            conn = store.db.conn
            for url, (canonical, _credits) in pages.items():
                outlet = url.split("/")[2]
                conn.execute("insert or ignore into outlets (domain, first_seen, last_seen) "
                             "values (?, '2024-01-01', '2024-01-01')", [outlet])
                conn.execute(
                    "insert into articles (url, outlet, declared_canonical, published_at, "
                    "first_seen, last_seen, text) values (?, ?, ?, ?, '2024-01-01', "
                    "'2024-01-01', '')", [url, outlet, canonical, f"2024-01-0{len(url) % 9 + 1}"])
            ids = dict(conn.execute("select url, id from articles"))
            for url, (_canonical, credits) in pages.items():
                for link, outlet in credits:
                    conn.execute("insert into attributions (article_id, kind, sentence, url, "
                                 "outlet) values (?, 'source-url', 'Source', ?, ?)",
                                 [ids[url], link, outlet])
    _whole_and_batched(db, tmp_path, (1, 2, 100))
    with Store(db) as store:
        decisions.decide_and_store(store, "test", batch=1)
        prov, _decided = decisions.whole_store(store)
    family = prov.family("https://a.test/1")
    assert set(family.members) == {"https://a.test/1", "https://b.test/1", "https://c.test/1",
                                   "https://g.test/1", "https://origin.test/story"}
    assert prov.family("https://d.test/1") is None  # a home page names an outlet
    assert set(prov.family("https://e.test/1").members) >= {"https://i.test/1"}
    assert prov.family("https://h.test/1") is None
