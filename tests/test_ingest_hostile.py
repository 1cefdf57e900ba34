"""`crosspost ingest` against hostile and broken corpus files: memory bounded by the record
cap whatever the longest line, one bad field never losing a batch, binary and empty files
refused without echoing their bytes, and a non-zero exit when nothing could be read.

The memory tests run the real CLI in a subprocess and read its peak RSS from the kernel."""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
import zlib

import pytest
from conftest import ROOT, rows
from test_ingest import story

_MIB = 1 << 20


def _good(n: int) -> dict:
    return {"url": f"https://good.example.com/story-{n}", "text": story(100 + n),
            "title": f"Good story {n}"}  # fmt: skip


def _run(*args: str, timeout: float = 300) -> tuple[subprocess.CompletedProcess, int]:
    """Run ``crosspost ingest`` in a child of a fresh interpreter; (result, child peak RSS in
    bytes). RUSAGE_CHILDREN of that interpreter sees only this one ingest (and its workers)."""
    probe = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run([sys.executable, '-m', 'crawler', 'ingest', '--silent', *sys.argv[1:]],"
        " capture_output=True, text=True)\n"
        "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr)\n"
        "print('PEAK_KIB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(r.returncode)\n"
    )
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=timeout)  # fmt: skip
    peak = int(result.stdout.rsplit("PEAK_KIB", 1)[1].split()[0]) * 1024
    print(f"peak RSS {peak / _MIB:.0f} MiB: ingest {' '.join(args[-1:])}")
    return result, peak


@pytest.fixture(scope="module")
def baseline_rss(tmp_path_factory):
    """Peak RSS of the same ingest over a small file: what loading crosspost costs."""
    tmp = tmp_path_factory.mktemp("baseline")
    path = tmp / "small.jsonl"
    path.write_text("".join(json.dumps(_good(n)) + "\n" for n in range(3)))
    result, peak = _run("--db", str(tmp / "b.db"), "--jobs", "1", str(path))
    assert result.returncode == 0, result.stderr
    return peak


def test_a_200_mb_jsonl_line_is_reported_and_the_rest_stored(tmp_path, baseline_rss):
    path = tmp_path / "big.jsonl"
    with open(path, "wb") as f:
        f.write(json.dumps(_good(1)).encode() + b"\n")
        f.write(b'{"url": "https://bomb.example.com/x", "text": "')
        block = b"word " * (_MIB // 5)
        for _ in range(200):
            f.write(block)
        f.write(b'"}\n')
        f.write(json.dumps(_good(2)).encode() + b"\n")
    assert path.stat().st_size > 200 * _MIB
    db = tmp_path / "c.db"
    result, peak = _run("--db", str(db), "--jobs", "1", str(path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "3 read, 2 stored" in result.stdout
    assert "skipped 1: record too large" in result.stdout
    assert "big.jsonl line 2: record too large (200.0 MiB; the limit is 16.0 MiB" in result.stderr
    assert {r["url"] for r in rows(db, "select url from articles")} == {
        "https://good.example.com/story-1", "https://good.example.com/story-2"}
    # The line is never held whole: peak memory stays near the cost of a small ingest.
    assert peak - baseline_rss < 100 * _MIB, (peak, baseline_rss)


# The reported bomb is 8 GiB (minutes to inflate here); 1 GiB keeps the test short and is
# already 64 times the cap. CROSSPOST_BOMB_GIB=8 runs the full size.
_BOMB_GIB = int(os.environ.get("CROSSPOST_BOMB_GIB", "1"))


def test_a_gzip_bomb_without_a_newline_is_passed_over(tmp_path, baseline_rss):
    """A few MB on disk, gigabytes inflated, no newline: the good record before it is kept,
    the bomb is one problem, memory stays bounded. Gzip members concatenate into one
    stream, so the file is built from one compressed 64 MiB block of zeros."""
    path = tmp_path / "bomb.jsonl.gz"
    zeros = gzip.compress(b"0" * (64 * _MIB), compresslevel=9)
    with open(path, "wb") as f:
        f.write(gzip.compress(json.dumps(_good(1)).encode() + b'\n{"url": "https://b.example/", "text": "'))
        for _ in range(16 * _BOMB_GIB):
            f.write(zeros)
    assert path.stat().st_size < 16 * _MIB
    db = tmp_path / "c.db"
    result, peak = _run("--db", str(db), "--jobs", "1", str(path), timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "2 read, 1 stored" in result.stdout and "Traceback" not in result.stderr
    assert f"bomb.jsonl.gz line 2: record too large ({_BOMB_GIB}.0 GiB (cut off at the end of the file)" in result.stderr
    assert [r["url"] for r in rows(db, "select url from articles")] == ["https://good.example.com/story-1"]
    assert peak - baseline_rss < 100 * _MIB, (peak, baseline_rss)


def test_a_huge_csv_field_is_reported_and_the_rest_stored(tmp_path, baseline_rss):
    path = tmp_path / "big.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["url", "title", "text"])
        first = _good(1)
        writer.writerow([first["url"], first["title"], first["text"]])
        f.write('https://bomb.example.com/x,Bomb,"')
        for _ in range(100):  # one quoted field of 100 MiB over many lines
            f.write(("lorem ipsum " * 1000 + "\n") * 87)
        f.write('"\r\n')
        second = _good(2)
        writer.writerow([second["url"], second["title"], second["text"]])
    db = tmp_path / "c.db"
    result, peak = _run("--db", str(db), "--jobs", "1", "--max-record-size", "4M", str(path))
    assert result.returncode == 0, result.stderr[-2000:]
    bomb_line = 3 + first["text"].count("\n")  # the header, then the first row's lines
    assert f"big.csv line {bomb_line}: record too large (99.6 MiB; the limit is 4.0 MiB" in result.stderr
    assert "3 read, 2 stored" in result.stdout  # the rest of the quoted field is passed over
    stored = {r["url"] for r in rows(db, "select url from articles")}
    assert stored == {"https://good.example.com/story-1", "https://good.example.com/story-2"}
    assert peak - baseline_rss < 100 * _MIB, (peak, baseline_rss)


def test_a_huge_csv_line_without_a_newline(tmp_path):
    path = tmp_path / "line.csv"
    first = _good(1)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["url", "text"])
        writer.writerow([first["url"], first["text"]])
        f.write("https://bomb.example.com/x," + "y" * (3 * _MIB) + "\n")
        second = _good(2)
        writer.writerow([second["url"], second["text"]])
    db = tmp_path / "c.db"
    result, _ = _run("--db", str(db), "--jobs", "1", "--max-record-size", "1M", str(path))
    assert result.returncode == 0, result.stderr[-2000:]
    bomb_line = 3 + first["text"].count("\n")
    assert f"line.csv line {bomb_line}: record too large (3.0 MiB; the limit is 1.0 MiB" in result.stderr
    assert {r["url"] for r in rows(db, "select url from articles")} == {
        "https://good.example.com/story-1", "https://good.example.com/story-2"}


def test_max_record_size_is_checked(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(_good(1)) + "\n")
    from click.testing import CliRunner

    from crawler.cli import cli

    result = CliRunner().invoke(cli, ["ingest", "--db", str(tmp_path / "c.db"),
                                      "--max-record-size", "lots", str(path)])  # fmt: skip
    assert result.exit_code == 2 and "is not a size" in result.output


# -- lone surrogates ---------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["title", "author", "outlet", "published_at", "fetched_at",
                                   "url", "text"])  # fmt: skip
def test_a_lone_surrogate_in_any_field_skips_only_that_record(tmp_path, field):
    from click.testing import CliRunner

    from crawler.cli import cli

    bad = _good(2)
    bad[field] = (bad.get(field) or "x") + "\ud800"
    path = tmp_path / "s.jsonl"
    # json.dumps writes the lone surrogate as the escape "\ud800", as a broken exporter does.
    path.write_text("".join(json.dumps(r) + "\n" for r in (_good(1), bad, _good(3))))
    db = tmp_path / "s.db"
    for _ in range(2):  # the same file again works the same way
        result = CliRunner().invoke(cli, ["ingest", "--silent", "--db", str(db), str(path)])
        assert result.exit_code == 0, result.output
        assert "3 read" in result.output and "skipped 1: invalid text" in result.output
        assert f"s.jsonl line 2: invalid text ({field} holds a lone surrogate" in result.output
        assert {r["url"] for r in rows(db, "select url from articles")} == {
            "https://good.example.com/story-1", "https://good.example.com/story-3"}


# -- XML declarations -------------------------------------------------------------------------

_PAGE = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html><html lang="en"><head>'
         "<title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>")


def _page(title: str) -> str:
    body = "".join(f"<p>{line}.</p>" for line in story(7).split("\n"))
    return _PAGE.format(title=title, body=body)


def test_html_with_an_xml_declaration_in_jsonl_csv_and_warc(tmp_path):
    from click.testing import CliRunner
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from crawler.cli import cli

    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text(json.dumps({"url": "https://www.msn.com/en-us/news/ar-1", "html": _page("From JSONL")}) + "\n")
    table = tmp_path / "p.csv"
    with open(table, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["url", "html"], ["https://www.msn.com/en-us/news/ar-2", _page("From CSV")]])
    warc = tmp_path / "p.warc.gz"
    with open(warc, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")  # fmt: skip
        writer.write_record(writer.create_warc_record(
            "https://www.msn.com/en-us/news/ar-3", "response",
            payload=__import__("io").BytesIO(_page("From WARC").encode()), http_headers=headers))
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, ["ingest", "--silent", "--db", str(db), str(jsonl), str(table), str(warc)])
    assert result.exit_code == 0, result.output
    assert "3 read, 3 stored" in result.output, result.output
    assert sorted(r["title"] for r in rows(db, "select title from articles")) == [
        "From CSV", "From JSONL", "From WARC"]


# -- files that hold nothing readable ------------------------------------------------------------


def _cli(*args):
    from click.testing import CliRunner

    from crawler.cli import cli

    return CliRunner().invoke(cli, ["ingest", "--silent", *args])


def test_a_binary_file_named_csv_is_refused_without_echoing_it(tmp_path):
    path = tmp_path / "program.csv"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 40 + b"\n,url\n")
    result = _cli("--db", str(tmp_path / "b.db"), str(path))
    assert result.exit_code == 1
    assert "Error:" in result.output and "not a CSV text file" in result.output
    assert "ELF" not in result.output and "\x00" not in result.output
    assert result.output.isprintable() or set(result.output) - set(
        "".join(chr(c) for c in range(32, 127))) <= {"\n", "…", "’"}


def test_odd_header_names_are_shown_printable(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes("id,na\u200bme,\x1b[31mred\n1,2,3\n".encode())
    result = _cli("--db", str(tmp_path / "b.db"), str(path))
    assert result.exit_code == 1 and "missing column(s): url" in result.output
    assert "\x1b" not in result.output


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf"])
def test_an_empty_csv_is_refused(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    result = _cli("--db", str(tmp_path / "e.db"), str(path))
    assert result.exit_code == 1
    assert "Error:" in result.output and "the file is empty; a CSV needs a header row" in result.output


def test_a_jsonl_of_only_invalid_lines_exits_non_zero(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"not json\n\xff\xfe binary \x00\n[1, 2]\n{\"no\": \"url\"}\n")
    result = _cli("--db", str(tmp_path / "j.db"), str(path))
    assert result.exit_code == 1, result.output
    assert "4 read, 0 stored" in result.output
    assert "Error: no record could be read from bad.jsonl" in result.output
    assert "\x00" not in result.output and "\xff" not in result.output


def test_an_empty_jsonl_exits_non_zero(tmp_path):
    path = tmp_path / "none.jsonl"
    path.write_bytes(b"")
    result = _cli("--db", str(tmp_path / "j.db"), str(path))
    assert result.exit_code == 1 and "no records found" in result.output


def test_a_corrupt_gzip_is_a_problem_not_a_traceback(tmp_path):
    path = tmp_path / "c.jsonl.gz"
    data = gzip.compress(("".join(json.dumps(_good(n)) + "\n" for n in range(5))).encode())
    path.write_bytes(data[: len(data) // 2] + zlib.compress(b"garbage")[:20])
    result = _cli("--db", str(tmp_path / "g.db"), str(path))
    assert "Traceback" not in result.output
    assert "unreadable file" in result.output


def test_problems_never_print_control_bytes(tmp_path):
    """A URL or content type quoted from a file is shown escaped, never as raw bytes."""
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({"url": "javascript:\x1b[2J\x07", "text": "x"}) + "\n")
    result = _cli("--db", str(tmp_path / "o.db"), str(path))
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "odd.jsonl line 1: bad URL" in result.output


def test_a_warc_without_html_pages_was_still_read(tmp_path):
    """Redirects and images are read, not broken: exit 0 with them listed as skipped."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "media.warc.gz"
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for url, status, ctype in (("https://a.example/logo.png", "200 OK", "image/png"),
                                   ("https://a.example/old", "301 Moved", "text/html")):
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(b"\x89PNG"), http_headers=headers))
    result = _cli("--db", str(tmp_path / "m.db"), str(path))
    assert result.exit_code == 0, result.output
    assert "skipped 1: not HTML" in result.output and "skipped 1: redirect" in result.output


@pytest.mark.parametrize("name", ["mac.csv", "mac.csv.gz"])
def test_a_csv_with_bare_cr_line_ends(tmp_path, name):
    """Old Mac exports end lines with CR alone; a quoted field may still hold one."""
    body = "url,title,text\r" + "".join(
        f'{_good(n)["url"]},"Title\r{n}","{_good(n)["text"].replace(chr(10), chr(13))}"\r'
        for n in range(3))
    path = tmp_path / name
    path.write_bytes(gzip.compress(body.encode()) if name.endswith(".gz") else body.encode())
    result = _cli("--db", str(tmp_path / "m.db"), str(path))
    assert result.exit_code == 0 and "3 read, 3 stored" in result.output, result.output
