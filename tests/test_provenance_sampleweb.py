"""Who copied whom on the sample web: every planted relation, looked up after one real crawl."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import run_cli

from crawler.cli import cli
from crawler.lookup import lookup_text, lookup_url
from crawler.sampleweb import truth
from crawler.store import Store

TOP_KEYS = {"query", "found", "article", "origin", "copies", "conflicts"}
ARTICLE_KEYS = {"url", "outlet", "title", "published_at"}
ORIGIN_KEYS = {"url", "outlet", "published_at", "basis", "confidence"}
COPY_KEYS = {
    "url",
    "outlet",
    "published_at",
    "copied_from",
    "similarity",
    "containment",
    "attribution",
    "lag_hours",
}


@pytest.fixture(scope="module")
def store(full_crawl):
    db, _, _ = full_crawl
    with Store(db, readonly=True) as s:
        yield s


def _copy(result, url):
    return {c["url"]: c for c in result["copies"]}[url]


@pytest.mark.parametrize("relation", truth.RELATIONS, ids=lambda r: f"{r.kind}:{r.copy_url}")
def test_planted_relation_is_found(store, relation):
    result = lookup_url(store, relation.copy_url)
    assert result["found"] is True
    assert result["origin"]["url"] == truth.root_origin(relation.copy_url)
    copy = _copy(result, relation.copy_url)
    assert copy["copied_from"] == relation.origin_url
    assert copy["attributed"] is relation.credited
    if not relation.credited:
        assert copy["attribution"] is None
    # the family is the planted story, whichever member is asked
    members = {result["origin"]["url"], *(c["url"] for c in result["copies"])}
    assert truth.story_family(relation.copy_url) <= members


@pytest.mark.parametrize("copy_url", sorted(truth.ATTRIBUTIONS))
def test_planted_attribution_is_found(store, copy_url):
    copy = _copy(lookup_url(store, copy_url), copy_url)
    assert truth.ATTRIBUTIONS[copy_url] in (copy["attribution"] or "")


@pytest.mark.parametrize("pair", truth.INDEPENDENT_PAIRS, ids=lambda p: p[0])
def test_same_event_articles_are_not_one_family(store, pair):
    a, b = pair
    for one, other in ((a, b), (b, a)):
        result = lookup_url(store, one)
        assert result["found"] is True
        members = {result["origin"]["url"], *(c["url"] for c in result["copies"])}
        assert other not in members


def test_flagship_lookup_json(full_crawl):
    db, _, _ = full_crawl
    result = CliRunner().invoke(cli, ["lookup", truth.FLAGSHIP_COPY_URL, "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert TOP_KEYS <= data.keys()
    assert data["query"] == truth.FLAGSHIP_COPY_URL and data["found"] is True
    assert ARTICLE_KEYS <= data["article"].keys() and ORIGIN_KEYS <= data["origin"].keys()
    assert data["article"]["outlet"] == "globalresearch.test"
    origin = data["origin"]
    assert origin["url"] == truth.FLAGSHIP_ORIGIN_URL
    assert origin["outlet"] == "southfront.test"
    assert origin["published_at"].startswith("2020-10-27")
    assert origin["basis"][0] == "attribution" and origin["confidence"] >= 0.9
    [copy] = data["copies"]
    assert COPY_KEYS <= copy.keys()
    assert copy["url"] == truth.FLAGSHIP_COPY_URL
    assert copy["copied_from"] == truth.FLAGSHIP_ORIGIN_URL
    assert copy["attribution"] == "The original source of this article is South Front"
    assert copy["lag_hours"] == pytest.approx(26.5, abs=0.05)
    assert copy["containment"] > 0.95
    assert data["conflicts"] == []


def test_flagship_text_output(full_crawl):
    db, _, _ = full_crawl
    result = CliRunner().invoke(cli, ["lookup", truth.FLAGSHIP_COPY_URL, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Origin  southfront.test" in result.output
    assert "+26.5 h" in result.output and "credited" in result.output


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [*truth.AMP_URLS.items(), *truth.TRACKING_URLS.items()],
)
def test_amp_and_tracking_variants_find_the_article(store, variant, canonical):
    result = lookup_url(store, variant)
    assert result["found"] is True
    assert result["article"]["url"] == canonical


def test_scheme_host_and_fragment_variants(store):
    url = truth.FLAGSHIP_COPY_URL
    for variant in (
        url.replace("http://", "https://"),
        url.replace("www.", ""),
        url.replace("www.globalresearch.test", "WWW.GlobalResearch.TEST"),
        url + "#comments",
        url + "/",
    ):
        assert lookup_url(store, variant)["article"]["url"] == url, variant


def test_pasted_text_finds_the_story(full_crawl, tmp_path):
    db, _, _ = full_crawl
    copy = tmp_path / "lookup.db"
    for suffix in ("", "-wal", "-shm"):
        if db.with_name(db.name + suffix).exists():
            shutil.copy(db.with_name(db.name + suffix), tmp_path / f"lookup.db{suffix}")
    text = truth.article(truth.FLAGSHIP_ORIGIN_URL).text
    pasted = text[len(text) // 4 : len(text) // 4 + 1500]
    with Store(copy) as store:
        result = lookup_text(store, pasted)
    assert result["found"] is True
    assert {m["url"] for m in result["matches"]} >= {
        truth.FLAGSHIP_ORIGIN_URL,
        truth.FLAGSHIP_COPY_URL,
    }
    assert result["origin"]["url"] == truth.FLAGSHIP_ORIGIN_URL
    assert all(m["family_origin"] == truth.FLAGSHIP_ORIGIN_URL for m in result["matches"])


def test_fetch_through_the_sample_web(sample_web, tmp_path):
    """Two unknown URLs fetched one by one into an empty store: the second is matched
    against the first and answered with its origin, without a crawl job."""
    db = str(tmp_path / "fetch.db")
    args = ["lookup", "--fetch", "--json", "--db", db, "--allow-host", ".test"]
    first = run_cli([*args, truth.FLAGSHIP_ORIGIN_URL], proxy=sample_web.proxy_url, timeout=120)
    assert first.returncode == 0, first.stderr[-2000:]
    assert json.loads(first.stdout)["fetched"]["status"] == 200
    second = run_cli(
        [*args, truth.FLAGSHIP_COPY_URL + "?utm_source=newsletter"],
        proxy=sample_web.proxy_url,
        timeout=120,
    )
    assert second.returncode == 0, second.stderr[-2000:]
    data = json.loads(second.stdout)
    assert data["found"] is True and data["fetched"]
    assert data["origin"]["url"] == truth.FLAGSHIP_ORIGIN_URL
    copy = _copy(data, truth.FLAGSHIP_COPY_URL)
    assert copy["similarity"] is not None and copy["containment"] > 0.95
    assert copy["lag_hours"] == pytest.approx(26.5, abs=0.05)
