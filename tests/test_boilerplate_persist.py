"""The boilerplate model saved as arrays next to the store: a store opened from them matches
exactly as one opened from the whole model as JSON (the form stores kept before, migrated at
their next run), and a damaged or foreign file keeps the boilerplate already learnt."""

from __future__ import annotations

import json
import logging
import random
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from crash_tools import die_while_saving
from test_index_persist import add, family_corpus, index_of
from test_ingest import story

from crawler.index_file import BOILERPLATE_KEY, FILE_KEY, load_boilerplate
from crawler.matching import StoreMatcher
from crawler.store import Store
from dedupe.boilerplate import BoilerplateModel
from dedupe.persist import read_index, write_index

FOOTER = ("Note to readers: please click the share button above. Forward this article to "
          "your email lists. Crosspost on your blog site, internet forums, and so on.")  # fmt: skip
DISCLAIMER = ("Disclaimer: the contents of this article are of sole responsibility of the "
              "author. The Centre will not be responsible for any inaccurate statement.")  # fmt: skip
OUTLET = "gr.example.org"


def file_of(db: Path) -> Path:
    return Path(f"{db}.boilerplate")


def first_run(seed: int = 0) -> list[tuple[str, str, str]]:
    """Copies across outlets, one outlet's disclaimer learnt as boilerplate, and its
    note to readers seen in two articles only: on its way to becoming boilerplate."""
    records = family_corpus(6, seed=seed)
    for i in range(4):
        records.append((f"https://{OUTLET}/a/{seed}/{i}", OUTLET,
                        story(seed * 100 + i, 120) + "\n" + DISCLAIMER
                        + ("\n" + FOOTER if i < 2 else "")))  # fmt: skip
    return records


def second_run(seed: int = 0) -> list[tuple[str, str, str]]:
    """More copies, and articles of the outlet that share only its note to readers."""
    records = family_corpus(4, seed=seed + 50)
    for i in range(3):
        text = story(seed * 100 + 60 + i, 120) + "\n" + FOOTER
        records.append((f"https://{OUTLET}/b/{seed}/{i}", OUTLET, text))
        records.append((f"https://copy{i}.example.net/{seed}", f"copy{i}.example.net", text))
    return records


def copy_store(db: Path, target: Path) -> Path:
    """The store (with its write-ahead log) and its index file, copied; no boilerplate file."""
    source, copy = sqlite3.connect(db), sqlite3.connect(target)
    source.backup(copy)
    source.close()
    copy.close()
    shutil.copy(index_of(db), index_of(target))
    return target


def run(db: Path, records) -> None:
    """A run: store and match the records, then finish (which saves the model)."""
    with Store(db) as store:
        matching = StoreMatcher(store)
        add(store, matching, records)
        matching.reverify()


def matches(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "select a, b, kind, jaccard, containment_a_in_b, containment_b_in_a from matches "
            "order by a, b"
        ).fetchall()
    finally:
        conn.close()


def model_of(db: Path) -> BoilerplateModel:
    with Store(db) as store:
        model = load_boilerplate(store)
    assert model is not None
    return model


def as_json(db: Path, target: Path) -> Path:
    """A copy of the store holding its whole model as one JSON document, as stores did."""
    copy_store(db, target)
    model = model_of(db)
    with Store(target) as store:
        store.set_state(BOILERPLATE_KEY, model.to_dict())
    assert not file_of(target).exists()
    return target


def test_arrays_give_back_the_model_json_gives_back():
    rng = random.Random(3)
    model = BoilerplateModel(max_pending=300)
    for article in range(2_000):
        outlet = f"outlet{article % 5}.example" if article % 97 else "ünïcode.example"
        keys = [rng.getrandbits(64) for _ in range(4)] + [article % 7, 2**64 - 1 - article % 3]
        model.observe(outlet, keys)
    saved = model.to_dict()
    arrays = {k: np.concatenate(v) if isinstance(v, list) else v
              for k, v in model.pending_arrays().items()}  # fmt: skip
    small = model.to_dict(pending=False)
    assert len(json.dumps(small)) < len(json.dumps(saved)) / 20
    from_arrays = BoilerplateModel.from_dict(small, arrays)
    from_json = BoilerplateModel.from_dict(json.loads(json.dumps(saved)))
    assert from_arrays.to_dict() == from_json.to_dict() == saved
    for outlet in model.outlets():
        assert list(from_arrays._outlets[outlet].pending.items()) == list(
            from_json._outlets[outlet].pending.items()
        )
    # Both learn the same from here on, in the same order.
    for article in range(500):
        keys = [rng.getrandbits(64) for _ in range(3)] + [article % 11]
        outlet = f"outlet{article % 5}.example"
        assert from_arrays.observe(outlet, keys) == from_json.observe(outlet, keys)
    for outlet in model.outlets():
        assert from_arrays.version(outlet) == from_json.version(outlet)
        assert from_arrays.boilerplate(outlet).tolist() == from_json.boilerplate(outlet).tolist()
    assert from_arrays.to_dict() == from_json.to_dict()


def test_outlets_not_observed_are_saved_again_as_they_were(tmp_path):
    model = BoilerplateModel()
    for article in range(300):
        model.observe(f"o{article % 3}.example", [article, 10_000 + article % 5, 7])
    write_index(tmp_path / "a", {}, model.pending_arrays())
    reread = BoilerplateModel.from_dict(model.to_dict(pending=False), read_index(tmp_path / "a")[1])
    reread.observe("o1.example", [1, 2, 3])  # one outlet read back into its table
    write_index(tmp_path / "b", {}, reread.pending_arrays())
    again = BoilerplateModel.from_dict(reread.to_dict(pending=False), read_index(tmp_path / "b")[1])
    model.observe("o1.example", [1, 2, 3])
    assert again.to_dict() == model.to_dict()


def test_store_opened_from_the_file_matches_as_from_json(tmp_path):
    db = tmp_path / "c.db"
    run(db, first_run())
    state = json.loads(sqlite3.connect(db).execute(
        "select value from state where key = ?", [BOILERPLATE_KEY]).fetchone()[0])  # fmt: skip
    assert FILE_KEY in state and file_of(db).exists()
    assert not any(o["pending"] for o in state["outlets"].values())
    # What readers of the state alone (the web server's lookups) see: the same boilerplate.
    model = model_of(db)
    assert BoilerplateModel.from_dict(state).boilerplate(OUTLET).tolist() == (
        model.boilerplate(OUTLET).tolist()
    )
    assert len(model.boilerplate(OUTLET)) >= 1  # the disclaimer
    legacy = as_json(db, tmp_path / "legacy.db")
    assert model_of(legacy).to_dict() == model.to_dict()

    run(db, second_run())
    run(legacy, second_run())
    assert matches(db) == matches(legacy)
    assert len(matches(db)) > 10
    # The note to readers became boilerplate on its third article, after the reopen, in both.
    for store in (db, legacy):
        assert model_of(store).to_dict() == model_of(db).to_dict()
        assert len(model_of(store).boilerplate(OUTLET)) > len(model.boilerplate(OUTLET))
    ids = {url: i for i, url in sqlite3.connect(db).execute("select id, url from articles")}
    outlet_only = [ids[f"https://{OUTLET}/b/0/{i}"] for i in range(3)]
    assert not [m for m in matches(db) if m[0] in outlet_only and m[1] in outlet_only]
    # The store kept as JSON was saved in two parts by its run.
    assert file_of(legacy).exists()
    with Store(legacy) as store:
        assert FILE_KEY in store.get_state(BOILERPLATE_KEY)


def test_sample_web_matches_the_same_from_the_file_and_from_json(full_crawl, tmp_path):
    crawled, _, _ = full_crawl
    assert file_of(crawled).exists(), "the crawl did not save its boilerplate file"
    db = copy_store(crawled, tmp_path / "crawl.db")
    shutil.copy(file_of(crawled), file_of(db))
    legacy = as_json(db, tmp_path / "legacy.db")
    found = {}
    for store_path in (db, legacy):
        with Store(store_path) as store:
            matching = StoreMatcher(store)
            assert matching.source == "file"
            rows = store.db.execute("select id, text, outlet from articles order by id").fetchall()
            found[store_path] = {
                article_id: (
                    sorted(matching.matcher.candidates(signature)) if signature else None,
                    sorted((m.key_b, m.kind, round(m.jaccard, 6))
                           for m in matching.match_text(text or "", outlet)),
                )
                for article_id, text, outlet in rows
                for signature in [matching.matcher.sign(text or "", outlet)]
            }  # fmt: skip
    assert found[db] == found[legacy]
    assert sum(1 for c, m in found[db].values() if m) > 40
    assert model_of(db).to_dict() == model_of(legacy).to_dict()


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x40
    path.write_bytes(bytes(data))


def _garbage(path: Path) -> None:
    path.write_bytes(b"not arrays" * 100)


def _missing(path: Path) -> None:
    path.unlink()


def _an_older_file(path: Path) -> None:
    shutil.copy(path.with_name("older.boilerplate"), path)


def _another_store(path: Path) -> None:
    shutil.copy(path.with_name("other.db.boilerplate"), path)


@pytest.mark.parametrize(
    "damage", [_truncate, _flip_a_byte, _garbage, _missing, _an_older_file, _another_store]
)
def test_unusable_file_keeps_the_boilerplate_learnt(tmp_path, caplog, damage):
    db = tmp_path / "c.db"
    run(db, first_run())
    shutil.copy(file_of(db), tmp_path / "older.boilerplate")
    run(db, family_corpus(2, seed=9))  # a later run: a later generation of the file
    run(tmp_path / "other.db", first_run())
    saved = model_of(db)
    saved.to_dict()  # read out of the file's mapping before the file is damaged in place
    damage(file_of(db))
    with caplog.at_level(logging.WARNING, logger="crawler.index_file"):
        model = model_of(db)
    assert "ignoring the boilerplate file" in caplog.text
    for outlet in saved.outlets():
        assert model.boilerplate(outlet).tolist() == saved.boilerplate(outlet).tolist()
        assert model.version(outlet) == saved.version(outlet)
    # The note to readers (seen twice) is counted again; the store still opens and matches.
    assert not model._outlets[OUTLET].pending and saved._outlets[OUTLET].pending
    run(db, second_run())
    assert len(matches(db)) > 10
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="crawler.index_file"):
        reopened = model_of(db)
    assert "ignoring" not in caplog.text, "the run did not save a usable file again"
    assert len(reopened.boilerplate(OUTLET)) >= len(saved.boilerplate(OUTLET))


def test_in_memory_store_keeps_the_whole_model_in_its_state():
    with Store(":memory:") as store:
        matching = StoreMatcher(store)
        add(store, matching, first_run())
        matching.reverify()
        state = store.get_state(BOILERPLATE_KEY)
        assert FILE_KEY not in state and state["outlets"][OUTLET]["pending"]
        assert load_boilerplate(store).to_dict() == state


@pytest.mark.parametrize("after", [1, 6])
def test_crash_while_saving_leaves_the_model_saved_before(tmp_path, caplog, after):
    db = tmp_path / "c.db"
    run(db, first_run())
    before, saved = file_of(db).read_bytes(), model_of(db).to_dict()
    result = die_while_saving(
        db, after,
        imports="from test_boilerplate_persist import second_run\nfrom test_index_persist import add",
        steps="add(store, matching, second_run())\nmatching.save_index()",
    )  # fmt: skip
    assert result.returncode == 3, result.stderr[-2000:]
    assert list(tmp_path.glob(".c.db.boilerplate.tmp-*")), "the crash left no partial file"
    assert file_of(db).read_bytes() == before
    with caplog.at_level(logging.WARNING, logger="crawler.index_file"):
        assert model_of(db).to_dict() == saved
    assert "ignoring" not in caplog.text
    run(db, family_corpus(1, seed=12))  # the next save removes the partial file
    assert not list(tmp_path.glob(".c.db.boilerplate.tmp-*"))
