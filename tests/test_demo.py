"""`crosspost demo` on a fresh machine: serve, crawl, detect, export, look up."""

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, rows, run_cli

from crawler.demo import DEMO_MARK
from crawler.sampleweb import truth
from crawler.store import Store


def test_demo_crawls_the_sample_web_and_answers_the_flagship_lookup(tmp_path):
    db = tmp_path / "demo.db"
    result = run_cli(["demo", "--db", str(db)])
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert f"{len(truth.ARTICLES)} article" in out
    for outlet in truth.OUTLETS:
        assert outlet.domain in out
    assert "The original source of this article is South Front" in out
    # the provenance lookup of the Global Research copy names South Front as the origin
    origin_line = next(line for line in out.splitlines() if line.startswith("Origin"))
    assert "southfront.test" in origin_line and truth.FLAGSHIP_ORIGIN_URL in origin_line
    assert "+26.5 h" in out
    gexf = db.with_suffix(".gexf")
    assert gexf.exists() and f"{gexf}" in out
    assert "Traceback" not in result.stderr


def _user_store(path):
    """A real store a user made with `crosspost ingest`."""
    corpus = path.parent / "mine.jsonl"
    corpus.write_text(json.dumps({
        "url": "https://example.org/news/1", "title": "Mine",
        "text": "A story of the user's own that the demo must never touch. " * 20,
    }) + "\n", encoding="utf-8")
    result = run_cli(["ingest", "--db", str(path), str(corpus), "--silent", "--no-match"])
    assert result.returncode == 0, result.stderr
    return path.read_bytes()


def _demo(args, env_db=None, cwd=ROOT, path=None):
    env = dict(os.environ)
    env.pop("CROSSPOST_DB", None)
    if env_db:
        env["CROSSPOST_DB"] = str(env_db)
    if path is not None:
        env["PATH"] = path
    return subprocess.run([str(ROOT / ".venv" / "bin" / "crosspost"), "demo", *args], env=env,
                          cwd=cwd, capture_output=True, text=True, timeout=240, check=False)


@pytest.mark.parametrize("how", ["env", "--db", "--keep"])
def test_demo_refuses_a_store_it_did_not_create(tmp_path, how):
    db = tmp_path / "mine.db"
    before = _user_store(db)
    if how == "env":
        result = _demo([], env_db=db)
    else:
        result = _demo(["--db", str(db)] + (["--keep"] if how == "--keep" else []))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "--db" in result.stderr
    assert "1 article)" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before
    assert rows(db, "select title from articles")[0]["title"] == "Mine"
    assert not db.with_suffix(".gexf").exists()


def test_demo_marks_its_store_and_prints_commands_that_work_from_here(tmp_path):
    db = tmp_path / "demo.db"
    # as after `make demo`: the virtualenv is not activated, so crosspost is not on PATH
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                           if not (Path(p) / "crosspost").exists())
    result = _demo(["--db", str(db)], path=path)
    assert result.returncode == 0, result.stderr[-3000:]
    with Store(db, readonly=True) as store:
        assert store.get_state(DEMO_MARK)
    hints = [line.strip() for line in result.stdout.splitlines()
             if line.strip().startswith(".venv/bin/crosspost ")]
    assert hints, result.stdout[-2000:]
    stats = next(line for line in hints if " stats " in line)
    ran = subprocess.run(shlex.split(stats), cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env=dict(os.environ, PATH=path), check=False)
    assert ran.returncode == 0, ran.stderr
    assert "activate" in result.stdout
    # its own marked store is run again without --keep
    again = _demo(["--db", str(db), "--port", "0"], env_db=None, path=path)
    assert again.returncode == 0, again.stderr[-2000:]
