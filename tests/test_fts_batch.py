"""Bulk writes add a batch's full-text rows in one statement: the same search results as the
row-by-row trigger, an intact FTS5 index, and the deferral never left set."""

from __future__ import annotations

import sqlite3

import pytest
from test_ingest import story

from crawler.store import Store

QUERIES = ["police", "said", "drought OR harbour", '"the government"', "title*", "updated",
           "nothing"]


def pages(seed: int, n: int = 30) -> list[tuple[dict, dict | None]]:
    found = []
    for i in range(n):
        url = f"https://outlet{i % 4}.example.com/{seed}/{i}"
        capture = {"url": url, "outcome": "article", "fetched_at": "2024-01-01T00:00:00+00:00"}
        if i % 7 == 3:
            found.append(({**capture, "outcome": "listing"}, None))
            continue
        text = story(seed * 100 + i, 80) + ("\nThe government said so." if i % 3 else "")
        found.append((capture, {"url": url, "outlet": f"outlet{i % 4}.example.com",
                                "title": f"Title {seed} {i}", "text": text,
                                "text_hash": f"{seed}-{i}"}))  # fmt: skip
    return found


def batches() -> list[list[tuple[dict, dict | None]]]:
    first, second = pages(1), pages(2)
    # The second batch updates articles of the first, and stores one of its own twice
    # (an article inserted, then updated, in one batch).
    updated = [(c, {**a, "text": a["text"] + "\nAn update.", "title": "Updated"})
               for c, a in first[:6] if a is not None]  # fmt: skip
    twice = [(c, {**a, "text": "Rewritten once more by the desk.", "title": "Again"})
             for c, a in second[:4] if a is not None]  # fmt: skip
    return [first, second + updated + twice, pages(3)]


def results(db) -> dict[str, list[tuple[str, str]]]:
    conn = sqlite3.connect(db)
    try:
        # rank 1: check the index against the articles table, not only its own structure.
        conn.execute("insert into articles_fts (articles_fts, rank) values ('integrity-check', 1)")
        return {
            q: conn.execute(
                "select a.url, snippet(articles_fts, 1, '[', ']', '…', 8) from articles_fts "
                "join articles a on a.rowid = articles_fts.rowid where articles_fts match ? "
                "order by articles_fts.rank, a.url",
                [q],
            ).fetchall()
            for q in QUERIES
        }
    finally:
        conn.close()


def test_bulk_writes_search_like_row_by_row_writes(tmp_path):
    bulk, single = tmp_path / "bulk.db", tmp_path / "single.db"
    with Store(bulk) as store:
        for batch in batches():
            store.bulk.save_pages(batch)
        assert store.db.execute("select deferred from fts_control").fetchall() == [(0,)]
    with Store(single) as store:
        for batch in batches():
            for capture, article in batch:
                store.save_page(capture, article)
    trigger = tmp_path / "trigger.db"
    with Store(trigger) as store:
        store.bulk.batch_full_text = False
        for batch in batches():
            store.bulk.save_pages(batch)
    # FTS5's own merge settings, as before the store set its own: the same results.
    defaults = tmp_path / "defaults.db"
    with Store(defaults) as store:
        settings = dict(store.db.execute("select k, v from articles_fts_config"))
        assert (settings["automerge"], settings["hashsize"]) == (8, 8 << 20)
        store.db.execute("delete from articles_fts_config where k in ('automerge', 'hashsize')")
    with Store(defaults) as store:
        for batch in batches():
            store.bulk.save_pages(batch)
    found = results(bulk)
    assert found == results(single) == results(trigger) == results(defaults)
    assert len(found["said"]) > 50 and found["nothing"] == []
    assert len(found["updated"]) == 5  # the titles of the five articles updated
    rewritten = sqlite3.connect(bulk).execute(
        "select count(*) from articles_fts where articles_fts match 'rewritten'"
    ).fetchone()[0]
    assert rewritten == 3  # the three articles stored twice, indexed once with their last text


def test_failed_batch_leaves_no_rows_and_no_deferral(tmp_path):
    db = tmp_path / "c.db"
    with Store(db) as store:
        store.bulk.save_pages(pages(1))
        bad = pages(2)
        bad[5] = (bad[5][0], {"url": bad[5][0]["url"]})  # no outlet: the batch fails
        with pytest.raises(KeyError):
            store.bulk.save_pages(bad[:4] + [bad[5]] + bad[6:])
        assert store.db.execute("select deferred from fts_control").fetchall() == [(0,)]
        # A page stored alone afterwards is indexed by the trigger.
        store.save_page(*pages(4, 2)[0])
    found = results(db)
    assert not any("/2/" in url for url, _ in found["said"])
    assert any("/4/0" in url for url, _ in found["said"])
