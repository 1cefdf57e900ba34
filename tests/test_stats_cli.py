"""``crosspost stats`` on a real crawl of the sample web, checked against its ground truth."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import struct
from collections import Counter, defaultdict
from datetime import UTC, datetime
from statistics import median

import pytest
from click.testing import CliRunner
from conftest import run_cli

from crawler.cli import cli
from crawler.commands.stats import PLOT_FILES, hours
from crawler.sampleweb import truth
from crawler.store import Store

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def outlet_of(url: str) -> str:
    return truth.source_outlet(url)  # an article's outlet, or the wire agency's domain


def utc(url: str) -> datetime:
    return datetime.fromisoformat(truth.article(url).published).astimezone(UTC)


def lag(rel) -> float | None:
    if rel.origin_url == truth.WIRE_STORY.agency_outlet:
        return None  # an agency credited by name has no date of its own
    return (utc(rel.copy_url) - utc(rel.origin_url)).total_seconds() / 3600


def median_lag(rels):
    """The expected median lag, ready to compare (``None`` when no copy has a lag)."""
    lags = [h for h in map(lag, rels) if h is not None]
    return pytest.approx(median(lags), abs=0.01) if lags else None


def stats(db, *args: str):
    result = CliRunner().invoke(cli, ["stats", "--db", str(db), *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="module")
def report(full_crawl):
    db, _, _ = full_crawl
    result = run_cli(["stats", "--db", str(db), "--json"], timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def test_outlet_numbers_agree_with_the_truth(report):
    copies: Counter = Counter()
    credited: Counter = Counter()
    lags: dict[str, list] = defaultdict(list)
    copied: dict[str, set[str]] = defaultdict(set)
    for rel in truth.REPUBLICATIONS:
        copier = outlet_of(rel.copy_url)
        copies[copier] += 1
        credited[copier] += rel.credited
        lags[copier].append(rel)
        copied[outlet_of(rel.origin_url)].add(rel.origin_url)
    originals = Counter(outlet_of(key) for key in truth.family_keys())
    rows = {row["outlet"]: row for row in report["outlets"]}
    agency = truth.WIRE_STORY.agency_outlet
    assert set(rows) == {o.domain for o in truth.OUTLETS} | {agency}
    # the agency is no crawled outlet: its copies are those crediting it
    assert (rows[agency]["articles"], rows[agency]["originals"]) == (0, 1)
    assert rows[agency]["copied_by_others"] == len(truth.WIRE_STORY.credits)
    for outlet in truth.OUTLETS:
        row = rows[outlet.domain]
        assert row["name"] == outlet.name
        assert row["articles"] == len(truth.articles_of(outlet.domain))
        assert row["copies"] == copies[outlet.domain], outlet.domain
        assert row["attributed_copies"] == credited[outlet.domain], outlet.domain
        assert row["copied_by_others"] == len(copied[outlet.domain]), outlet.domain
        assert row["originals"] == originals[outlet.domain], outlet.domain
        if copies[outlet.domain]:
            rate = credited[outlet.domain] / copies[outlet.domain]
            assert row["attribution_rate"] == pytest.approx(rate, abs=1e-4), outlet.domain
            assert row["median_lag_hours"] == median_lag(lags[outlet.domain])
        else:
            assert row["attribution_rate"] is None and row["median_lag_hours"] is None
    # Free Thinker Blog took five articles and credited two (two edits and a verbatim copy
    # credit nobody)
    assert rows["freethinkerblog.test"]["attribution_rate"] == 0.4


def test_pairs_agree_with_the_truth(report):
    pairs: dict[tuple[str, str], list] = defaultdict(list)
    for rel in truth.REPUBLICATIONS:
        pairs[(outlet_of(rel.origin_url), outlet_of(rel.copy_url))].append(rel)
    got = {(p["source"], p["copied_by"]): p for p in report["pairs"]}
    assert set(got) == set(pairs)
    for pair, rels in pairs.items():
        row = got[pair]
        assert row["republications"] == len(rels)
        assert row["attributed"] == sum(r.credited for r in rels)
        assert row["median_lag_hours"] == median_lag(rels)
    counts = [p["republications"] for p in report["pairs"]]
    assert counts == sorted(counts, reverse=True)
    assert report["pairs"][0] == {**report["pairs"][0], "source": "newswire.test",
                                  "copied_by": "dailyledger.test", "republications": 3}


def test_summary(report):
    total = report["summary"]
    assert total["articles"] == len(truth.ARTICLES)
    assert total["copies"] == len(truth.REPUBLICATIONS)
    assert total["unattributed_copies"] == sum(1 for r in truth.REPUBLICATIONS if not r.credited)
    assert total["families"] == len(truth.family_keys())
    assert report["window"] == {"since": None, "until": None}


def test_readable_table(full_crawl):
    db, _, _ = full_crawl
    result = stats(db)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{len(truth.ARTICLES)} articles, ")
    assert "Who copies whom (origin -> republisher)" in lines
    row = next(line for line in lines if line.startswith("South Front") and "Global Research" in line)
    assert row.split()[-4:-2] == ["2", "100%"]
    outlets = lines[lines.index("Outlets"):]
    ftb = next(line for line in outlets if line.startswith("Free Thinker Blog"))
    assert "freethinkerblog.test" in ftb and "40%" in ftb


def test_csv_and_top(full_crawl):
    db, _, _ = full_crawl
    outlets = list(csv.DictReader(io.StringIO(stats(db, "--csv").stdout)))
    assert {row["outlet"] for row in outlets} == {o.domain for o in truth.OUTLETS} | {
        truth.WIRE_STORY.agency_outlet}
    assert list(outlets[0])[:3] == ["outlet", "name", "articles"]
    pairs = list(csv.DictReader(io.StringIO(stats(db, "--csv", "--table", "pairs",
                                                  "--top", "3").stdout)))
    assert len(pairs) == 3 and pairs[0]["source"] == "newswire.test"
    assert pairs[0]["republications"] == "3"
    top = json.loads(stats(db, "--json", "--top", "2").stdout)
    assert len(top["pairs"]) == 2 and len(top["outlets"]) == 2
    only = json.loads(stats(db, "--json", "--table", "pairs").stdout)
    assert "outlets" not in only and len(only["pairs"]) == len(
        {(outlet_of(r.origin_url), outlet_of(r.copy_url)) for r in truth.REPUBLICATIONS})
    both = stats(db, "--json", "--csv")
    assert both.exit_code == 2 and "one of --json and --csv" in both.output


def test_since_until(full_crawl):
    db, _, _ = full_crawl
    since, until = datetime(2021, 1, 1, tzinfo=UTC), datetime(2021, 3, 1, 23, 59, 59, tzinfo=UTC)
    inside = [r for r in truth.REPUBLICATIONS if since <= utc(r.copy_url) <= until]
    window = json.loads(stats(db, "--json", "--since", "2021-01-01", "--until", "2021-03-01").stdout)
    assert window["summary"]["copies"] == len(inside)
    assert sum(p["republications"] for p in window["pairs"]) == len(inside)
    assert window["window"]["since"].startswith("2021-01-01T00:00:00")
    assert window["window"]["until"].startswith("2021-03-01T23:59:59")
    per_outlet = Counter(outlet_of(r.copy_url) for r in inside)
    assert {r["outlet"]: r["copies"] for r in window["outlets"] if r["copies"]} == per_outlet
    bad = stats(db, "--until", "March")
    assert bad.exit_code == 2 and "not a date" in bad.output


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC, f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_plot_writes_three_pngs(full_crawl, tmp_path):
    db, _, _ = full_crawl
    folder = tmp_path / "charts"  # created: its parent exists
    result = run_cli(["stats", "--db", str(db), "--plot", str(folder), "--top", "3"], timeout=180)
    assert result.returncode == 0, result.stderr
    for name in PLOT_FILES.values():
        assert f"wrote {folder / name}" in result.stderr
        width, height = png_size(folder / name)
        assert width >= 600 and height >= 300, (name, width, height)
        assert (folder / name).stat().st_size > 10_000  # something was drawn
    assert "Who copies whom" in result.stdout


def test_plot_errors(full_crawl, tmp_path):
    db, _, _ = full_crawl
    result = stats(db, "--plot", str(tmp_path / "no" / "charts"))
    assert result.exit_code == 1 and "directory does not exist" in result.output
    (tmp_path / "file").write_text("x")
    result = stats(db, "--plot", str(tmp_path / "file"))
    assert result.exit_code == 1 and "is a file" in result.output


def test_missing_matplotlib_says_how_to_install_it(full_crawl, tmp_path, monkeypatch):
    db, _, _ = full_crawl
    fake = tmp_path / "site" / "matplotlib"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('No module named matplotlib')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "site"))
    result = run_cli(["stats", "--db", str(db), "--plot", str(tmp_path / "charts")], timeout=120)
    assert result.returncode == 1
    assert "Error: --plot needs matplotlib" in result.stderr
    assert "pip install 'crosspost[plots]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "charts").exists()


def test_empty_store(tmp_path):
    db = tmp_path / "empty.db"
    Store(db).close()
    result = stats(db, "--json", "--plot", str(tmp_path / "charts"))
    assert result.exit_code == 0, result.output
    assert "holds no articles yet" in result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["articles"] == 0 and data["pairs"] == [] and data["outlets"] == []
    for name in PLOT_FILES.values():
        png_size(tmp_path / "charts" / name)
    text = stats(db)
    assert "(no republications found)" in text.stdout
    assert "source,copied_by" in stats(db, "--csv", "--table", "pairs").stdout


def test_names_with_control_characters_print_cleanly(full_crawl, tmp_path):
    db, _, _ = full_crawl
    messy = tmp_path / "messy.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copy(db, messy)
    conn = sqlite3.connect(messy)
    conn.execute("update outlets set name = ? where domain = 'southfront.test'",
                 ("South\x1b[2J Front\x00 <script>x</script>\n",))
    conn.commit()
    conn.close()
    text = stats(messy).stdout
    assert "\x1b" not in text and "\x00" not in text
    assert "South [2J Front <script>x</script>" in text
    data = json.loads(stats(messy, "--json").stdout)
    assert any(row["outlet"] == "southfront.test" for row in data["outlets"])


@pytest.mark.parametrize(("value", "text"), [(None, "-"), (0.5, "30 min"), (5.24, "5.2 h"),
                                             (67.92, "2.8 d"), (-2.0, "-2.0 h")])
def test_lag_for_people(value, text):
    assert hours(value) == text


def test_summary_and_charts_honour_the_window(tmp_path):
    from graph import decide_provenance, summary
    from graph.plots import plot_lag_histogram, plot_republications_over_time
    from graph.samples import sample_records

    prov = decide_provenance(*sample_records())
    everything = summary(prov)
    assert summary(prov, since="2000-01-01") == everything
    nothing = summary(prov, since="2030-01-01")
    assert nothing["copies"] == nothing["families"] == nothing["articles"] == 0
    late = summary(prov, since="2020-10-30")
    assert 0 < late["copies"] < everything["copies"]
    full = plot_lag_histogram(prov, tmp_path / "all.png").stat().st_size
    empty = plot_lag_histogram(prov, tmp_path / "none.png", since="2030-01-01").stat().st_size
    assert empty < full  # only the "No dated republications" note
    png_size(plot_republications_over_time(prov, tmp_path / "t.png", until="2020-10-29"))
