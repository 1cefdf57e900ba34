"""The candidate index file: a restart reads it instead of rebuilding from every signature,
proposes exactly the candidates of a rebuilt index (and of datasketch), catches up what
changed since it was written, and is ignored when it is damaged, stale or foreign."""

from __future__ import annotations

import hashlib
import logging
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from crash_tools import die_while_saving
from datasketch import MinHashLSH
from test_ingest import story

from crawler.matching import StoreMatcher
from crawler.store import Store
from dedupe import deserialize
from dedupe.persist import IndexFileError, read_index, write_index


def family_corpus(n_families: int = 12, seed: int = 0) -> list[tuple[str, str, str]]:
    """(url, outlet, text): stories with copies, light edits and excerpts at other outlets."""
    records = []
    for family in range(n_families):
        origin = story(seed * 1000 + family, 240)
        paragraphs = origin.split("\n")
        variants = [
            origin,
            origin.replace("the", "a"),
            "\n".join(paragraphs[: max(2, len(paragraphs) // 2)]) + "\n" + story(family + 500, 60),
        ]
        for i, text in enumerate(variants):
            outlet = f"outlet{(family + i) % 5}.example.com"
            records.append((f"https://{outlet}/{seed}/{family}/{i}", outlet, text))
    return records


def add(store: Store, matching: StoreMatcher, records) -> None:
    """Store the records as articles and match them, as an ingest does."""
    pages = [
        ({"url": url, "outcome": "article"},
         {"url": url, "outlet": outlet, "text": text, "title": url,
          "text_hash": hashlib.sha256(text.encode()).hexdigest()})
        for url, outlet, text in records
    ]  # fmt: skip
    ids = store.bulk.save_pages(pages)
    matching.add_many([(i, p[1]["text"], p[1]["outlet"], p[1]["text_hash"])
                       for i, p in zip(ids, pages)])  # fmt: skip


def build(db: Path, records) -> None:
    with Store(db) as store:
        matching = StoreMatcher(store)
        add(store, matching, records)
        matching.reverify()  # the end of a run: writes the index file


def index_of(db: Path) -> Path:
    return Path(f"{db}.index")


def candidates(db: Path) -> tuple[str, dict[int, list[int]]]:
    """Where the matcher's indexes came from, and the candidates of every stored text."""
    with Store(db) as store:
        matching = StoreMatcher(store)
        found = {}
        for article_id, text, outlet in store.db.execute("select id, text, outlet from articles"):
            signature = matching.matcher.sign(text, outlet)
            if signature is not None:
                found[article_id] = sorted(matching.matcher.candidates(signature))
        return matching.source, found


def rebuilt(db: Path, tmp_path: Path) -> dict[int, list[int]]:
    """The candidates of an index rebuilt from the signatures, on a copy of the store."""
    copy = tmp_path / f"rebuilt-{db.name}"
    copy.unlink(missing_ok=True)
    source, target = sqlite3.connect(db), sqlite3.connect(copy)
    source.backup(target)  # with what is still in the write-ahead log
    source.close()
    target.close()
    source, found = candidates(copy)
    assert source == "signatures"
    return found


def test_sample_web_crawl_saves_an_index_with_the_rebuilt_candidates(full_crawl, tmp_path):
    crawled, _, _ = full_crawl
    assert index_of(crawled).exists(), "the crawl did not save its index file"
    db = tmp_path / "crawl.db"
    shutil.copy(crawled, db)
    shutil.copy(index_of(crawled), index_of(db))
    source, found = candidates(db)
    assert source == "file"
    assert len(found) > 40 and sum(map(len, found.values())) > len(found)
    assert found == rebuilt(db, tmp_path)


def test_file_bands_give_datasketch_candidates_on_the_sample_web(full_crawl, tmp_path):
    crawled, _, _ = full_crawl
    db = tmp_path / "crawl.db"
    shutil.copy(crawled, db)
    shutil.copy(index_of(crawled), index_of(db))
    with Store(db) as store:
        matching = StoreMatcher(store)
        assert matching.source == "file"
        thresholds, params = matching.matcher.thresholds, matching.matcher.params
        reference = MinHashLSH(threshold=thresholds.lsh, num_perm=params.num_perm)
        signatures = {}
        for article_id, blob, _, _ in store.signatures():
            signature = deserialize(blob, params) if blob else None
            if signature is not None and signature.n_shingles >= thresholds.min_shingles:
                signatures[article_id] = signature
                reference.insert(article_id, signature.minhash, check_duplication=False)
        assert len(signatures) > 40
        for signature in signatures.values():
            assert set(matching.matcher._lsh.query(signature.minhash)) == set(
                reference.query(signature.minhash)
            )


def test_articles_added_and_resigned_after_the_file_are_caught_up(tmp_path):
    db = tmp_path / "c.db"
    build(db, family_corpus(seed=1))
    with Store(db) as store:
        matching = StoreMatcher(store)
        assert matching.source == "file"
        # Then a run stops without finishing: new articles, and a stored one with a new text.
        add(store, matching, family_corpus(6, seed=2))
        url, outlet, _ = family_corpus(seed=1)[0]
        add(store, matching, [(url, outlet, family_corpus(6, seed=2)[4][2])])
    source, found = candidates(db)
    assert source == "file"
    assert found == rebuilt(db, tmp_path)
    # The article re-signed with the text of another family is now a candidate of that one.
    first = sqlite3.connect(db).execute("select id from articles where url = ?", [url]).fetchone()[0]
    assert sum(first in c for c in found.values()) > 1


def test_removed_articles_leave_the_index(tmp_path):
    db = tmp_path / "c.db"
    build(db, family_corpus(seed=3))
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("delete from signatures where article_id in (1, 2)")
    conn.close()
    source, found = candidates(db)
    assert source == "file"
    assert found == rebuilt(db, tmp_path)
    assert not any({1, 2} & set(c) for c in found.values())


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x40
    path.write_bytes(bytes(data))


def _garbage(path: Path) -> None:
    path.write_bytes(b"not an index" * 100)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("damage", [_truncate, _flip_a_byte, _garbage, _empty])
def test_damaged_file_is_ignored_and_rebuilt(tmp_path, caplog, damage):
    db = tmp_path / "c.db"
    build(db, family_corpus(seed=4))
    damage(index_of(db))
    with caplog.at_level(logging.WARNING, logger="crawler.index_file"):
        source, found = candidates(db)
    assert source == "signatures"
    assert "ignoring the index file" in caplog.text
    assert found == rebuilt(db, tmp_path)
    with pytest.raises(IndexFileError):
        read_index(index_of(db))


def test_foreign_file_is_ignored(tmp_path, caplog):
    db, other = tmp_path / "c.db", tmp_path / "other.db"
    build(db, family_corpus(seed=5))
    build(other, family_corpus(seed=5))  # the same articles, another store
    shutil.copy(index_of(other), index_of(db))
    with caplog.at_level(logging.WARNING, logger="crawler.index_file"):
        source, _ = candidates(db)
    assert source == "signatures" and "another store" in caplog.text


def test_stale_files_are_ignored(tmp_path, caplog):
    db = tmp_path / "c.db"
    build(db, family_corpus(seed=6))
    old_db, old_index = tmp_path / "old.db", tmp_path / "old.index"
    shutil.copy(db, old_db)
    shutil.copy(index_of(db), old_index)
    build(db, family_corpus(4, seed=7))
    # The older file next to the newer store: the log it would need was pruned.
    shutil.copy(old_index, index_of(db))
    with caplog.at_level(logging.WARNING, logger="crawler.index_file"):
        assert candidates(db)[0] == "signatures"
    assert "older than the store's log" in caplog.text
    # The newer file next to the older store (a store restored from a copy).
    build(db, family_corpus(2, seed=8))
    shutil.copy(index_of(db), index_of(old_db))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="crawler.index_file"):
        source, found = candidates(old_db)
    assert source == "signatures" and "newer than the store" in caplog.text
    assert found == rebuilt(old_db, tmp_path)


def test_other_thresholds_rebuild(tmp_path, caplog):
    from dedupe.verify import Thresholds

    db = tmp_path / "c.db"
    build(db, family_corpus(seed=9))
    with Store(db) as store, caplog.at_level(logging.WARNING):
        matching = StoreMatcher(store, thresholds=Thresholds(lsh=0.3))
        assert matching.source == "signatures"
    assert "other parameters" in caplog.text


@pytest.mark.parametrize("after", [2, 12])
@pytest.mark.parametrize("had_file", [True, False])
def test_crash_while_writing_leaves_the_old_file_or_none(tmp_path, after, had_file):
    db = tmp_path / "c.db"
    build(db, family_corpus(seed=10))
    before = index_of(db).read_bytes()
    if not had_file:
        index_of(db).unlink()
    result = die_while_saving(
        db, after, imports="from test_index_persist import add, family_corpus",
        steps="add(store, matching, family_corpus(5, seed=11))",
    )
    assert result.returncode == 3, result.stderr[-2000:]
    assert list(tmp_path.glob(".c.db.index.tmp-*")), "the crash left no partial file"
    if had_file:
        assert index_of(db).read_bytes() == before
    else:
        assert not index_of(db).exists()
    source, found = candidates(db)
    assert source == ("file" if had_file else "signatures")
    assert found == rebuilt(db, tmp_path)
    build(db, family_corpus(1, seed=12))  # the next write removes the partial file
    assert not list(tmp_path.glob(".c.db.index.tmp-*"))
    assert candidates(db)[0] == "file"


def test_index_file_round_trip(tmp_path):
    path = tmp_path / "x.index"
    parts = [np.arange(5, dtype=np.uint64), np.arange(7, 10, dtype=np.uint64)]
    size = write_index(path, {"k": [1, "a"]}, {"runs": parts, "none": [],
                                               "grid": np.ones((3, 4), np.int32)})  # fmt: skip
    assert size == path.stat().st_size
    meta, arrays = read_index(path)
    assert meta == {"k": [1, "a"]}
    assert arrays["runs"].tolist() == [0, 1, 2, 3, 4, 7, 8, 9]
    assert len(arrays["none"]) == 0 and arrays["grid"].shape == (3, 4)
    arrays["runs"][0] = 99  # copy-on-write: the file is not changed
    assert read_index(path)[1]["runs"][0] == 0
