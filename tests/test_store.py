"""The SQLite store: idempotent writes, safe opening, no half-written rows."""

import sqlite3
import subprocess
import sys
import zlib

import pytest

from crawler.store import NotACrossPostDatabase, Store, StoreError


def _page(url="http://a.test/story/", fetched_at="2020-10-27T10:00:00+00:00"):
    return {"url": url, "final_url": url, "status": 200, "body": b"<html>body</html>",
            "fetched_at": fetched_at, "outcome": "article", "headers": {"Content-Type": "text/html"}}


def _article(url="http://a.test/story/", title="A story"):
    return {"url": url, "outlet": "a.test", "title": title, "text": "Some text " * 50,
            "sitename": "A Outlet", "attribution_lines": ["Source: http://b.test/x"]}


def test_fresh_database_has_schema_and_reopens(tmp_path):
    path = tmp_path / "c.db"
    with Store(path) as store:
        assert store.counts() == {"crawls": 0, "outlets": 0, "articles": 0, "captures": 0}
    with Store(path) as store:  # migrations applied twice are a no-op
        assert "articles_fts" in store.db.table_names()
        assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_same_article_twice_is_stored_once_and_keeps_first_seen(tmp_path):
    with Store(tmp_path / "c.db") as store:
        first = store.save_page(_page(fetched_at="2020-10-27T10:00:00+00:00"), _article())
        second = store.save_page(_page(fetched_at="2020-10-29T10:00:00+00:00"),
                                 _article(title="A story (updated)"))
        assert first == second
        row = store.article("http://a.test/story/")
        assert row["first_seen"] == "2020-10-27T10:00:00+00:00"
        assert row["last_seen"] == "2020-10-29T10:00:00+00:00"
        assert row["title"] == "A story (updated)"
        assert store.counts()["articles"] == 1
        assert store.counts()["captures"] == 2


def test_raw_body_is_kept_compressed(tmp_path):
    with Store(tmp_path / "c.db") as store:
        store.save_page(_page(), _article())
        raw = store.db.execute("select body, body_size from captures").fetchone()
        assert zlib.decompress(raw[0]) == b"<html>body</html>"
        assert raw[1] == len(b"<html>body</html>")
        assert store.capture_body(1) == b"<html>body</html>"


def test_full_text_search_over_titles_and_text(tmp_path):
    with Store(tmp_path / "c.db") as store:
        store.save_page(_page(), _article(title="Ceasefire collapses in Karabakh"))
        hits = list(store.db["articles"].search("karabakh"))
        assert [h["url"] for h in hits] == ["http://a.test/story/"]


def test_failed_write_leaves_no_half_row(tmp_path):
    with Store(tmp_path / "c.db") as store:
        bad = _article()
        del bad["outlet"]  # KeyError after the capture row was inserted
        with pytest.raises(KeyError):
            store.save_page(_page(), bad)
        assert store.counts()["captures"] == 0
        assert store.counts()["articles"] == 0


def test_not_a_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("just some text")
    with pytest.raises(NotACrossPostDatabase, match="not a SQLite database"):
        Store(path)
    assert path.read_text() == "just some text"


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table customers (id integer primary key, name text)")
    conn.commit()
    conn.close()
    with pytest.raises(NotACrossPostDatabase, match="customers"):
        Store(path)
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert tables == {"customers"}


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "missing" / "c.db")


def test_crawl_rows_record_arguments_and_stats(tmp_path):
    with Store(tmp_path / "c.db") as store:
        crawl_id = store.start_crawl("outlets", {"start": ["http://a.test/"]}, {"DOWNLOAD_DELAY": 0})
        store.finish_crawl(crawl_id, "finished", {"item_scraped_count": 3})
        row = store.db["crawls"].get(crawl_id)
        assert row["finish_reason"] == "finished"
        assert '"item_scraped_count": 3' in row["stats"]
        assert row["started_at"] <= row["ended_at"]


def _count_elsewhere(path) -> int:
    """Rows seen by another process with a read-write connection, which checkpoints (and
    deletes the write-ahead log) on close when it believes it is the last one."""
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "print(c.execute('select count(*) from articles').fetchone()[0]); c.close()")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, timeout=60, check=True)
    return int(out.stdout)


def test_batch_commits_together_and_survives_other_connections(tmp_path):
    path = tmp_path / "c.db"
    store = Store(path)
    store.begin_batch()
    store.save_page(_page(), _article())
    # Other connections, here and elsewhere, see nothing of the batch until it is committed,
    # and opening them takes nothing away from it.
    Store(path).close()
    assert _count_elsewhere(path) == 0
    url = "http://a.test/other/"
    store.save_page(_page(url), _article(url))
    store.commit_batch()
    assert _count_elsewhere(path) == 2
    store.close()
    assert _count_elsewhere(path) == 2


def test_failed_step_in_a_batch_undoes_only_itself(tmp_path):
    path = tmp_path / "c.db"
    with Store(path) as store:
        store.begin_batch()
        store.save_page(_page(), _article())
        with pytest.raises(sqlite3.IntegrityError), store.transaction():
            store.db.execute("insert into outlets (domain) values ('b.test')")
            store.db.execute("insert into outlets (domain) values ('b.test')")
        store.commit_batch()
    assert _count_elsewhere(path) == 1
    assert [r[0] for r in sqlite3.connect(path).execute("select domain from outlets")] == ["a.test"]
