"""``crosspost browse`` (Datasette) and the SQL views over the stored decisions."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import rows
from serve_tools import free_port, get_json, process

from crawler.sampleweb import truth
from crawler.store import Store

VIEWS = {"article_provenance", "republications_by_outlet_pair", "outlet_summary",
         "outlet_copies", "story_families", "decisions_run"}


@pytest.fixture(scope="module")
def store_copy(full_crawl, tmp_path_factory):
    db = tmp_path_factory.mktemp("browse") / "news.db"
    shutil.copy(full_crawl[0], db)
    Store(db).close()  # applies the migrations, views included
    return db


def test_views_exist_and_apply_once(store_copy):
    names = {r["name"] for r in rows(store_copy, "select name from sqlite_master where type='view'")}
    assert VIEWS <= names
    Store(store_copy).close()  # a second time is a no-op
    for name in ("m004_views", "m007_decisions", "m009_decision_views"):
        applied = rows(store_copy, "select name from _sqlite_migrations where name = ?", (name,))
        assert len(applied) == 1, name


def test_article_provenance_view_gives_each_copy_its_origin_and_evidence(store_copy):
    found = rows(store_copy, "select * from article_provenance where copy_url = ?",
                 (truth.FLAGSHIP_COPY_URL,))
    assert len(found) == 1
    row = found[0]
    assert row["source_url"] == row["origin_url"] == truth.FLAGSHIP_ORIGIN_URL
    assert row["origin_in_store"] == 1 and row["origin_kind"] == "article"
    assert json.loads(row["basis"])[0] == "attribution" and row["attributed"] == 1
    assert "South Front" in row["attribution"]
    assert row["lag_hours"] > 0 and row["similarity"] > 0.3


def test_story_families_view_lists_origins_and_sizes(store_copy):
    families = rows(store_copy, "select * from story_families")
    assert len(families) == len(truth.family_keys())
    # the wire story's origin is the agency, outside the store: no URL, its outlet
    assert {f["origin_url"] or f["origin_outlet"] for f in families} == truth.family_keys()
    assert sum(f["copies"] for f in families) == len(truth.REPUBLICATIONS)
    run = rows(store_copy, "select * from decisions_run")[0]
    assert run["trigger"] == "crawl" and run["articles"] == len(truth.ARTICLES)


def test_outlet_pair_view_counts_republications(store_copy):
    pairs = {(r["source"], r["copied_by"]): r for r in
             rows(store_copy, "select * from republications_by_outlet_pair")}
    pair = pairs[("southfront.test", "globalresearch.test")]
    assert pair["republications"] >= 2 and pair["attribution_rate"] == 1.0
    assert all(source != copy for source, copy in pairs)


@pytest.fixture(scope="module")
def datasette(store_copy):
    pytest.importorskip("datasette", reason="the browse extra is not installed")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with process(["browse", "--db", str(store_copy), "--port", str(port)],
                 probe=url + "-/versions.json", timeout=90):
        yield url + store_copy.stem


def test_browse_serves_the_views(datasette):
    status, body = get_json(datasette + "/article_provenance.json?_shape=array&_size=100")
    assert status == 200
    assert any(r["copy_url"] == truth.FLAGSHIP_COPY_URL for r in body)
    status, body = get_json(datasette + "/republications_by_outlet_pair.json?_shape=array")
    assert status == 200 and body
    status, body = get_json(datasette + ".json")
    assert status == 200
    assert VIEWS <= {v["name"] for v in body["views"]}


def test_browse_full_text_search(datasette):
    status, body = get_json(datasette + "/articles.json?_search=Karabakh&_shape=array&_col=title")
    assert status == 200
    assert body
    titles = " ".join(r["title"] for r in body).lower()
    assert "karabakh" in titles
    # search syntax is escaped, not parsed
    status, _ = get_json(datasette + '/articles.json?_search=%22OR%20(&_shape=array')
    assert status == 200
