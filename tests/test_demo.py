"""`crosspost demo` on a fresh machine: serve, crawl, detect, export, look up."""

from conftest import run_cli

from crawler.sampleweb import truth


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
