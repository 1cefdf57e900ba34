"""`crosspost rematch`: re-signing the store with new parameters and thresholds."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import rows
from test_ingest import story, write_jsonl

from crawler.cli import cli
from dedupe import SignatureParams, deserialize


def run(*args: str):
    return CliRunner().invoke(cli, [*args], catch_exceptions=False)


def corpus():
    origin = story(11)
    return [
        {"url": "https://origin.example.com/a", "text": origin},
        {"url": "https://copy.example.net/a", "text": origin.replace("said", "stated")},
        # An excerpt with a paragraph of its own: about 3/4 of it is in the origin.
        {"url": "https://excerpt.example.org/a",
         "text": "\n".join(origin.split("\n")[:3]) + "\n" + story(14, 40)},
        {"url": "https://other.example.org/b", "text": story(12)},
    ]


def pairs(db):
    return {(r["a"], r["b"]): r["kind"] for r in rows(db, "select * from matches")}


def test_rematch_with_new_parameters_finds_the_same_matches_and_is_kept(tmp_path):
    db = tmp_path / "c.db"
    assert run("ingest", "--db", str(db), str(write_jsonl(tmp_path / "a.jsonl", corpus()))).exit_code == 0
    before = pairs(db)
    assert len(before) == 3
    result = run("rematch", "--db", str(db), "--num-perm", "64", "--shingle-size", "4")
    assert result.exit_code == 0, result.output
    assert "rematched 4 articles" in result.output and "3 matches" in result.output
    assert pairs(db) == before
    saved = json.loads(rows(db, "select value from state where key = 'dedupe.params'")[0]["value"])
    assert saved["num_perm"] == 64 and saved["shingle_size"] == 4
    params = SignatureParams(num_perm=64, shingle_size=4)
    for row in rows(db, "select signature from signatures"):
        assert len(deserialize(row["signature"], params).minhash) == 64
    # Later ingests use the store's parameters instead of refusing them.
    more = [{"url": "https://late.example.com/a", "text": corpus()[0]["text"]}]
    result = run("ingest", "--db", str(db), "--silent", str(write_jsonl(tmp_path / "b.jsonl", more)))
    assert result.exit_code == 0, result.output
    assert "matches: 3 found" in result.output


def test_store_signed_with_other_parameters_is_refused_naming_rematch(tmp_path):
    db = tmp_path / "c.db"
    run("ingest", "--db", str(db), "--silent", str(write_jsonl(tmp_path / "a.jsonl", corpus())))
    # As if signed by an older crosspost that shingled texts differently.
    import sqlite3

    conn = sqlite3.connect(db)
    params = json.loads(conn.execute("select value from state where key = 'dedupe.params'").fetchone()[0])
    params["text_version"] = 0
    conn.execute("update state set value = ? where key = 'dedupe.params'", [json.dumps(params)])
    conn.commit()
    conn.close()
    more = write_jsonl(tmp_path / "b.jsonl", [{"url": "https://late.example.com/a", "text": story(13)}])
    refused = run("ingest", "--db", str(db), "--silent", str(more))
    assert refused.exit_code == 1
    assert refused.output.startswith("Error: ") and "crosspost rematch" in refused.output
    assert "text_version=0" in refused.output
    fixed = run("rematch", "--db", str(db))
    assert fixed.exit_code == 0, fixed.output
    assert run("ingest", "--db", str(db), "--silent", str(more)).exit_code == 0


def test_thresholds_change_what_matches_and_bad_ones_are_usage_errors(tmp_path):
    db = tmp_path / "c.db"
    run("ingest", "--db", str(db), "--silent", str(write_jsonl(tmp_path / "a.jsonl", corpus())))
    assert "excerpt" in pairs(db).values()
    result = run("rematch", "--db", str(db), "--threshold", "containment=0.9",
                 "--threshold", "near-duplicate=0.6")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert set(pairs(db).values()) == {"near-duplicate"}
    for bad in ("lsh=1", "containment=0", "speed=3", "min_shingles=2.5", "containment"):
        result = run("rematch", "--db", str(db), "--threshold", bad)
        assert result.exit_code == 2, (bad, result.output)
        assert "--threshold" in result.output
    assert run("rematch", "--db", str(db), "--num-perm", "8").exit_code == 2


def test_rematch_learns_boilerplate_before_matching(tmp_path):
    footer = ("Disclaimer: The contents of this article are of sole responsibility of the "
              "author(s). The Centre for Research on Globalization will not be responsible "
              "for any inaccurate or incorrect statement in this article. The Centre grants "
              "permission to cross-post original articles on community internet sites as "
              "long as the text and title are not modified.")  # fmt: skip
    records = [
        {"url": f"https://www.globalresearch.ca/story-{i}/{i}", "text": story(20 + i, 40) + "\n" + footer}
        for i in range(5)
    ]
    db = tmp_path / "c.db"
    path = write_jsonl(tmp_path / "gr.jsonl", records)
    assert run("ingest", "--db", str(db), "--silent", "--no-match", str(path)).exit_code == 0
    assert not pairs(db)
    result = run("rematch", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert not pairs(db), "articles matched through their shared footer"
    # The same corpus matched online: early matches on the footer are dropped at the end.
    db2 = tmp_path / "online.db"
    result = run("ingest", "--db", str(db2), "--silent", str(path))
    assert result.exit_code == 0 and not pairs(db2), result.output


def test_only_matches_whose_outlets_learnt_boilerplate_since_are_verified_again(tmp_path):
    from test_index_persist import add

    from crawler.matching import StoreMatcher
    from crawler.store import Store

    footer = ("Disclaimer: The contents of this article are of sole responsibility of the "
              "author(s). The Centre for Research on Globalization will not be responsible "
              "for any inaccurate or incorrect statement in this article. The Centre grants "
              "permission to cross-post original articles on community internet sites as "
              "long as the text and title are not modified.")  # fmt: skip
    origin = story(11)
    records = [
        # Two articles of one outlet match on their footer, before it is known as one...
        *[(f"https://www.globalresearch.ca/s/{i}", "globalresearch.ca", story(20 + i, 40) + "\n" + footer)
          for i in range(2)],
        # ...a real copy between outlets that repeat nothing...
        ("https://origin.example.com/a", "origin.example.com", origin),
        ("https://copy.example.net/a", "copy.example.net", origin.replace("said", "stated")),
        # ...and the outlet's third article makes the footer its boilerplate.
        ("https://www.globalresearch.ca/s/2", "globalresearch.ca", story(22, 40) + "\n" + footer),
    ]  # fmt: skip
    with Store(tmp_path / "c.db") as store:
        matching = StoreMatcher(store)
        add(store, matching, records)
        assert len(pairs(tmp_path / "c.db")) == 2
        verified = []
        verify = matching.matcher.verify
        matching.matcher.verify = lambda a, b: verified.append((a, b)) or verify(a, b)
        assert matching.reverify() == (1, 1)
    # Only the footer match was verified again, and dropped; the copy was kept as found.
    assert verified == [(2, 1)]
    assert list(pairs(tmp_path / "c.db")) == [(4, 3)]
