"""What the CLI says: one hint for a missing store, URLs typed as in a browser, suggestions
for an unknown URL, plurals, one unit per lag column, an empty window named as such."""

from __future__ import annotations

import re

import pytest
from conftest import run_cli

from crawler.commands.options import outcome_counts, plural, with_scheme
from crawler.sampleweb import truth


@pytest.mark.parametrize("command", [["stats"], ["lookup", "http://a.test/x"], ["articles"],
                                     ["export", "out.gexf"], ["crawls"], ["serve"]])
def test_a_reader_pointed_at_a_missing_store_says_how_to_make_one(tmp_path, command):
    db = tmp_path / "no-such-dir" / "x.db"
    result = run_cli([*command, "--db", str(db)], cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "cannot create" not in result.stderr and "Traceback" not in result.stderr
    assert "crosspost crawl" in result.stderr and "--db" in result.stderr
    assert not db.parent.exists()


def test_a_url_without_scheme_is_looked_up_as_https(full_crawl):
    db, _, _ = full_crawl
    bare = truth.FLAGSHIP_COPY_URL.split("://", 1)[1]
    result = run_cli(["lookup", bare, "--db", str(db)])
    assert result.returncode == 0, result.stderr
    assert "Origin" in result.stdout and truth.FLAGSHIP_ORIGIN_URL in result.stdout
    bad = run_cli(["lookup", "not a url", "--db", str(db)])
    assert bad.returncode == 2 and "Error:" in bad.stderr


def test_an_unknown_url_suggests_stored_ones_of_the_same_path_or_outlet(full_crawl):
    db, _, _ = full_crawl
    path = truth.FLAGSHIP_ORIGIN_URL.split("/", 3)[3]
    moved = run_cli(["lookup", f"https://elsewhere.test/{path}", "--db", str(db)])
    assert moved.returncode == 0
    assert "Stored URLs like it:" in moved.stdout and truth.FLAGSHIP_ORIGIN_URL in moved.stdout
    cut = truth.FLAGSHIP_ORIGIN_URL.rstrip("/")[:-12]
    partial = run_cli(["lookup", cut, "--db", str(db)])
    lines = partial.stdout.split("Stored URLs like it:")[1].split()
    assert lines[0] == truth.FLAGSHIP_ORIGIN_URL


def test_stored_urls_of_a_path_are_found_through_an_index_not_a_scan(full_crawl):
    """A mistyped URL is a common lookup: on a store of millions its suggestions must not
    read every article's row."""
    import sqlite3

    from crawler.store.schema import URL_PATH

    db, _, _ = full_crawl
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        path = "/" + truth.FLAGSHIP_ORIGIN_URL.split("/", 3)[3]
        plan = " ".join(row[-1] for row in conn.execute(
            f"explain query plan select url from articles where {URL_PATH} in (?, ?) limit 5",
            [path, path + "/"]))  # fmt: skip
        assert "articles_url_path" in plan, plan
        found = conn.execute(f"select url from articles where {URL_PATH} = ?", [path]).fetchall()
        assert (truth.FLAGSHIP_ORIGIN_URL,) in found
    finally:
        conn.close()


def test_stats_over_an_empty_window_says_so_and_lags_keep_one_unit(full_crawl):
    db, _, _ = full_crawl
    empty = run_cli(["stats", "--db", str(db), "--since", "2030-01-01"])
    assert empty.returncode == 0, empty.stderr
    assert "no articles dated in this window" in empty.stdout
    assert "no articles in the store" not in empty.stdout
    table = run_cli(["stats", "--db", str(db)]).stdout
    pairs = table.split("Who copies whom")[1].split("\n\n")[0]
    units = {m.group(1) for m in re.finditer(r"\d\.\d (h|d)\s*$", pairs, re.MULTILINE)}
    assert len(units) == 1, pairs


def test_plurals():
    assert [plural(n, w) for n, w in [(1, "article"), (42, "article"), (1, "community"),
                                      (3, "community"), (0, "outlet")]] == [
        "1 article", "42 articles", "1 community", "3 communities", "0 outlets"]
    assert outcome_counts({"article": 1, "listing": 2, "error": 1}) == \
        "2 listings, 1 article, 1 error"


@pytest.mark.parametrize(("typed", "meant"), [
    ("example.com/a", "https://example.com/a"), ("www.example.org", "https://www.example.org"),
    ("http://example.com/a", "http://example.com/a"), ("example.com:8080/a", "https://example.com:8080/a"),
    ("not a url", "not a url"), ("/etc/passwd", "/etc/passwd"), ("ftp://x.test/", "ftp://x.test/"),
    ("mailto:a@b.test", "mailto:a@b.test"),
])
def test_with_scheme(typed, meant):
    assert with_scheme(typed) == meant
