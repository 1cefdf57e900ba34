"""A store that is damaged, empty, on a full disk or in a read-only directory: every command
ends with a clear ``Error:`` (or answers, when it only reads), never a traceback, and the
file is left as it was.

Real files and real processes: the damage is random pages overwritten in a real store; the
full disk is a small tmpfs and the read-only directory a read-only bind mount, both in a
mount namespace of their own (skipped where ``unshare -m`` is not permitted)."""

from __future__ import annotations

import hashlib
import json
import random
import shlex
import shutil
import sqlite3
import subprocess
import sys

import pytest
from conftest import ROOT, run_cli
from test_ingest import story

_PAGE = 4096


def _corpus(path, n: int = 60):
    with open(path, "w") as f:
        for i in range(n):
            text = story(i % 20) + (f"\nSource: https://o{(i + 1) % 5}.example.com/s{i}" if i >= 20 else "")
            f.write(json.dumps({"url": f"https://o{i % 5}.example.com/s{i}", "text": text,
                                "published_at": f"2024-01-{1 + i % 28:02d}"}) + "\n")
    return path


@pytest.fixture(scope="module")
def good_store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("store")
    corpus = _corpus(tmp / "a.jsonl")
    db = tmp / "good.db"
    result = run_cli(["ingest", "--silent", "--db", str(db), str(corpus)])
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db, corpus


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _damage(path, seed: int) -> None:
    """Overwrite a fifth of the pages (never the header page) with random bytes."""
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    pages = len(data) // _PAGE
    for page in rng.sample(range(1, pages), max(1, pages // 5)):
        data[page * _PAGE : (page + 1) * _PAGE] = rng.randbytes(_PAGE)
    path.write_bytes(bytes(data))


COMMANDS = {
    "ingest": lambda db, corpus: ["ingest", "--silent", "--db", db, corpus],
    "rematch": lambda db, corpus: ["rematch", "--silent", "--db", db],
    "stats": lambda db, corpus: ["stats", "--db", db],
    "lookup": lambda db, corpus: ["lookup", "--db", db, "https://o1.example.com/s21"],
    "export": lambda db, corpus: ["export", "--db", db, db + ".gexf"],
    "crawls": lambda db, corpus: ["crawls", "--db", db],
}


WRITERS = ("ingest", "rematch")


@pytest.mark.parametrize(("command", "seed"),
                         [(c, 1) for c in sorted(COMMANDS)] + [(w, 2) for w in WRITERS])
def test_a_damaged_store_is_refused_and_left_unchanged(good_store, tmp_path, command, seed):
    source, corpus = good_store
    db = tmp_path / "damaged.db"
    shutil.copy(source, db)
    _damage(db, seed)
    before = _digest(db)
    result = run_cli(COMMANDS[command](str(db), str(corpus)), timeout=120)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    if command in WRITERS or result.returncode != 0:
        # A writer checks every page first; a reader may answer from pages that are whole.
        assert result.returncode == 1, (result.stdout, result.stderr[-2000:])
        assert "Error:" in result.stderr and "is damaged" in result.stderr
    assert _digest(db) == before
    wal = db.with_name(db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_writers_refuse_before_writing_even_when_the_damage_is_far_away(good_store, tmp_path):
    """One damaged page of old articles: an ingest of new ones would never read it, but it
    still refuses rather than write into a damaged file."""
    source, _ = good_store
    db = tmp_path / "one.db"
    shutil.copy(source, db)
    data = bytearray(db.read_bytes())
    page = len(data) // _PAGE // 2
    data[page * _PAGE : page * _PAGE + 8] = b"\xff" * 8  # the page's b-tree header
    db.write_bytes(bytes(data))
    before = _digest(db)
    fresh = tmp_path / "new.jsonl"
    fresh.write_text(json.dumps({"url": "https://new.example.com/x", "text": story(99)}) + "\n")
    result = run_cli(["ingest", "--silent", "--db", str(db), str(fresh)])
    if "is damaged" not in result.stderr:
        pytest.skip("that page held nothing SQLite's check can tell is damaged")
    assert result.returncode == 1 and _digest(db) == before


@pytest.mark.parametrize("command", ["lookup", "stats", "export", "crawls"])
def test_an_empty_file_is_not_a_store(tmp_path, command):
    db = tmp_path / "empty.db"
    db.write_bytes(b"")
    result = run_cli(COMMANDS[command](str(db), ""))
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr and "no such table" not in result.stderr
    assert f"Error: {db} is empty: it is not a crosspost store yet" in result.stderr
    assert db.read_bytes() == b""


# -- in a mount namespace of the test's own --------------------------------------------------


def _namespace_script(script: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(["unshare", "-m", "sh", "-ec", script], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)  # fmt: skip


@pytest.fixture(scope="module")
def mounts(tmp_path_factory):
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed")
    probe = tmp_path_factory.mktemp("probe")
    result = _namespace_script(f"mount -t tmpfs -o size=64k tmpfs {probe} && "
                               f"mount --bind {probe} {probe} && mount -o remount,ro,bind {probe}")
    if result.returncode != 0:
        pytest.skip(f"mount namespaces are not permitted here: {result.stderr.strip()[:200]}")


def _crosspost(*args: str) -> str:
    return " ".join(shlex.quote(a) for a in (sys.executable, "-m", "crawler", *args))


def test_a_full_disk_says_so_and_the_store_stays_intact(mounts, good_store, tmp_path):
    _, corpus = good_store
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    big = tmp_path / "big.jsonl"
    with open(big, "w") as f:
        for i in range(400):
            f.write(json.dumps({"url": f"https://big.example.com/{i}", "text": story(1000 + i, 600)}) + "\n")
    db = disk / "s.db"
    script = f"""
mount -t tmpfs -o size=3m tmpfs {disk}
{_crosspost("ingest", "--silent", "--db", str(db), str(corpus))} > {out}/first.out 2>&1
# Fill the disk, then give back 256 KiB: enough to open the store, not to take the corpus.
dd if=/dev/zero of={disk}/filler bs=64k 2>/dev/null || true
truncate -s -256K {disk}/filler
set +e
{_crosspost("ingest", "--silent", "--batch-size", "50", "--db", str(db), str(big))} > {out}/second.out 2> {out}/second.err
echo $? > {out}/rc
set -e
rm {disk}/filler
{sys.executable} -c "import sqlite3; c = sqlite3.connect('{db}'); print(c.execute('pragma integrity_check').fetchone()[0]); print(c.execute('select count(*) from articles').fetchone()[0])" > {out}/check
"""
    result = _namespace_script(script)
    assert result.returncode == 0, result.stderr
    err = (out / "second.err").read_text()
    assert (out / "rc").read_text().strip() == "1", err
    assert "Traceback" not in err and "cannot rollback" not in err
    assert "Error: the disk is full" in err
    integrity, articles = (out / "check").read_text().split()
    # Intact, and holding at least the first corpus (whole batches of the second may be in).
    assert integrity == "ok" and int(articles) >= 60


def test_a_store_in_a_read_only_directory_still_answers(mounts, good_store, tmp_path):
    source, _ = good_store
    shelf, out = tmp_path / "shelf", tmp_path / "out"
    shelf.mkdir()
    out.mkdir()
    db = shelf / "s.db"
    shutil.copy(source, db)
    conn = sqlite3.connect(db)
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    conn.close()
    for name in ("s.db-wal", "s.db-shm"):
        (shelf / name).unlink(missing_ok=True)
    script = f"""
mount --bind {shelf} {shelf}
mount -o remount,ro,bind {shelf}
set +e
{_crosspost("lookup", "--json", "--db", str(db), "https://o1.example.com/s21")} > {out}/lookup.out 2> {out}/lookup.err; echo $? >> {out}/rc
{_crosspost("stats", "--json", "--db", str(db))} > {out}/stats.out 2> {out}/stats.err; echo $? >> {out}/rc
{_crosspost("ingest", "--silent", "--db", str(db), str(tmp_path / "none.jsonl"))} > {out}/ingest.out 2> {out}/ingest.err; echo $? >> {out}/rc
{_crosspost("serve", "--db", str(db), "--port", "0")} > {out}/serve.out 2> {out}/serve.err &
server=$!
for i in $(seq 100); do grep -q "http://" {out}/serve.out && break; sleep 0.2; done
url=$(grep -o "http://[^ ]*" {out}/serve.out | head -1 | sed "s,/$,,")
timeout 30 {sys.executable} -c "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=20).read().decode())" "$url/api/provenance?url=https://o1.example.com/s21" > {out}/serve.json 2>> {out}/serve.err
kill $server; wait $server || true
"""
    (tmp_path / "none.jsonl").write_text(json.dumps({"url": "https://n.example.com/", "text": story(5)}) + "\n")
    result = _namespace_script(script)
    assert result.returncode == 0, result.stderr
    codes = (out / "rc").read_text().split()
    assert codes[:2] == ["0", "0"], [(out / f"{n}.err").read_text() for n in ("lookup", "stats")]
    assert json.loads((out / "lookup.out").read_text())["found"] is True
    assert json.loads((out / "stats.out").read_text())
    for name in ("lookup", "stats"):
        err = (out / f"{name}.err").read_text()
        assert "note: " in err and "cannot be written" in err and "Traceback" not in err
    assert json.loads((out / "serve.json").read_text())["found"] is True
    assert "cannot be written" in (out / "serve.err").read_text()
    # A writer is refused with a message, not a traceback.
    assert codes[2] == "1" and "Error:" in (out / "ingest.err").read_text()
    assert "Traceback" not in (out / "ingest.err").read_text()
