"""Provenance lookup over a small hand-made store: URL variants, pasted text, odd cases, CLI."""

from __future__ import annotations

import hashlib
import json
import random

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.lookup import (
    ProvenanceError,
    find_article,
    lookup_text,
    lookup_url,
    render_text,
    url_variants,
)
from crawler.matching import StoreMatcher
from crawler.store import Store
from crawler.urls import BadURL, canonical_url

TOP_KEYS = {"query", "found", "article", "origin", "copies", "conflicts"}

ORIGIN = "http://origin.test/2021/01/01/the-story/"
COPY = "https://www.copy.test/news/the-story-copied/"
COPY_AMP = "https://www.copy.test/news/the-story-copied/amp/"
COPY_MOBILE = "https://m.copy.test/news/the-story-copied/"
CYCLE_A = "http://cycle-a.test/a-story/"
CYCLE_B = "http://cycle-b.test/b-story/"
CONFLICT = "http://conflict.test/two-credits/"
NOT_ARTICLE = "http://origin.test/privacy-policy/"

_WORDS = [
    "minister",
    "parliament",
    "border",
    "troops",
    "agreement",
    "ceasefire",
    "market",
    "energy",
    "pipeline",
    "gas",
    "oil",
    "election",
    "vote",
    "court",
    "ruling",
    "protest",
    "capital",
    "region",
    "province",
    "village",
    "river",
    "bridge",
    "port",
    "harbour",
    "fleet",
    "aircraft",
    "convoy",
    "shelling",
    "artillery",
    "report",
    "statement",
    "officials",
    "spokesman",
    "analysts",
    "investors",
    "bank",
    "currency",
    "inflation",
    "exports",
    "imports",
    "sanctions",
    "talks",
    "summit",
]


def _text(seed: int, words: int = 400) -> str:
    rng = random.Random(seed)
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(" ".join(rng.choice(_WORDS) for _ in range(12)).capitalize() + ".")
    return " ".join(sentences)


STORY = _text(1)
OTHER = _text(2)
THIRD = _text(3)


def _article(url, outlet, text, published, *, fetched=None, canonical=None, attributions=()):
    return {
        "url": canonical_url(url),
        "fetched_url": fetched or url,
        "declared_canonical": canonical,
        "outlet": outlet,
        "title": f"Title of {url}",
        "published_at": published,
        "date_source": "jsonld",
        "text": text,
        "text_hash": hashlib.sha1(text.encode()).hexdigest(),
        "attributions": [dict(a) for a in attributions],
    }


def _capture(url, final=None, outcome="article", reason=None):
    return {
        "url": url,
        "final_url": final or url,
        "status": 200,
        "content_type": "text/html",
        "body": b"<html></html>",
        "fetched_at": "2021-02-01T00:00:00+00:00",
        "outcome": outcome,
        "reason": reason,
    }


def _credit(sentence, outlet, url=None, kind="original-source"):
    return {"kind": kind, "sentence": sentence, "name": outlet, "url": url, "outlet": outlet}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("lookup") / "lookup.db"
    with Store(path) as store:
        matcher = StoreMatcher(store)
        pages = [
            (_capture(ORIGIN), _article(ORIGIN, "origin.test", STORY, "2021-01-01T08:00:00Z")),
            # The copy was fetched through its AMP page, whose canonical names the article.
            (
                _capture(COPY_AMP),
                _article(
                    COPY,
                    "copy.test",
                    STORY + " The original source of this article is Origin.",
                    "2021-01-02T08:00:00Z",
                    fetched=COPY_AMP,
                    canonical=COPY,
                    attributions=[
                        _credit(
                            "The original source of this article is Origin", "origin.test", ORIGIN
                        )
                    ],
                ),
            ),
            # A and B credit each other: a cycle.
            (
                _capture(CYCLE_A),
                _article(
                    CYCLE_A,
                    "cycle-a.test",
                    OTHER,
                    "2021-03-01T08:00:00Z",
                    attributions=[_credit("Source: B", "cycle-b.test", CYCLE_B, "source-url")],
                ),
            ),
            (
                _capture(CYCLE_B),
                _article(
                    CYCLE_B,
                    "cycle-b.test",
                    OTHER,
                    "2021-03-02T08:00:00Z",
                    attributions=[_credit("Source: A", "cycle-a.test", CYCLE_A, "source-url")],
                ),
            ),
            # One page naming two different sources that are not in the store.
            (
                _capture(CONFLICT),
                _article(
                    CONFLICT,
                    "conflict.test",
                    THIRD,
                    "2021-04-01T08:00:00Z",
                    attributions=[
                        _credit(
                            "Originally published by Alpha",
                            "alpha.test",
                            "http://alpha.test/one/",
                            "originally-published",
                        ),
                        _credit("Source: Beta", "beta.test", "http://beta.test/two/", "source-url"),
                    ],
                ),
            ),
        ]
        for capture, article in pages:
            article_id = store.save_page(capture, article)
            matcher.add(article_id, article["text"], article["outlet"], article["text_hash"])
        matcher.finish()
        store.save_page(
            _capture(
                NOT_ARTICLE,
                outcome="skipped",
                reason="main text too short for an article (150 characters)",
            ),
            None,
        )
    return path


@pytest.fixture()
def store(db):
    with Store(db, readonly=True) as s:
        yield s


@pytest.mark.parametrize(
    "query",
    [
        COPY,
        COPY.replace("https://", "http://"),
        COPY.replace("www.", ""),
        COPY.replace("www.copy.test", "WWW.Copy.TEST"),
        COPY + "?utm_source=twitter&utm_medium=social",
        COPY + "#comments",
        COPY.rstrip("/"),
        COPY_AMP,
        COPY_MOBILE,
        "http://copy.test/news/the-story-copied?utm_campaign=x#top",
    ],
)
def test_url_variants_find_the_same_article(store, query):
    result = lookup_url(store, query)
    assert result["found"] is True, query
    assert result["query"] == query
    assert result["article"]["url"] == canonical_url(COPY)
    assert result["origin"]["url"] == canonical_url(ORIGIN)
    assert result["found_by"]


def test_found_by_says_how(store):
    assert find_article(store, COPY)[1] == "url"
    assert find_article(store, COPY_AMP)[1] in ("fetched_url", "capture")
    assert find_article(store, COPY.replace("https://", "http://"))[1].endswith("+variant")


def test_url_variants_lists_the_given_url_first():
    variants = url_variants(COPY + "#x")
    assert variants[0] == COPY + "#x"
    assert canonical_url(COPY) in variants
    assert COPY.replace("https://www.", "http://") in variants


def test_contract_shape_and_copy(store):
    result = json.loads(json.dumps(lookup_url(store, ORIGIN)))
    assert TOP_KEYS <= result.keys()
    assert result["article"]["url"] == result["origin"]["url"] == canonical_url(ORIGIN)
    [copy] = result["copies"]
    assert copy["url"] == canonical_url(COPY)
    assert copy["copied_from"] == canonical_url(ORIGIN)
    assert copy["attributed"] is True
    assert copy["attribution"] == "The original source of this article is Origin"
    assert copy["lag_hours"] == 24.0
    assert copy["similarity"] > 0.9


def test_unknown_url_is_found_false(store):
    result = lookup_url(store, "https://nowhere.test/a?b=1")
    assert result == {
        "query": "https://nowhere.test/a?b=1",
        "found": False,
        "article": None,
        "origin": None,
        "copies": [],
        "conflicts": [],
    }
    assert render_text(result).startswith("Not found")


def test_page_that_is_not_an_article_says_why(store):
    result = lookup_url(store, NOT_ARTICLE)
    assert result["found"] is False
    assert "too short" in result["reason"]
    assert render_text(result).startswith("Not an article")


@pytest.mark.parametrize(
    "bad", ["ftp://origin.test/x", "not a url", "", "http://:80/", "http://a.test:99999/"]
)
def test_malformed_url_raises_bad_url(store, bad):
    with pytest.raises(BadURL):
        lookup_url(store, bad)


def test_attribution_cycle_is_answered_with_a_conflict(store):
    for url in (CYCLE_A, CYCLE_B):
        result = lookup_url(store, url)
        assert result["found"] is True
        assert result["origin"]["url"] == CYCLE_A  # the earlier of the two
        kinds = [c["kind"] for c in result["conflicts"]]
        assert "attribution-cycle" in kinds
        assert "Conflicts" in render_text(result)


def test_conflicting_attributions_are_listed(store):
    result = lookup_url(store, CONFLICT)
    assert result["found"] is True
    [conflict] = result["conflicts"]
    assert conflict["kind"] == "conflicting-attributions"
    assert "alpha.test" in conflict["message"] and "beta.test" in conflict["message"]
    [copy] = [c for c in result["copies"] if c["url"] == CONFLICT]
    assert copy["confidence"] < 0.95  # a decision touched by a conflict is less sure
    text = render_text(result)
    assert "Conflicts" in text and "alpha.test" in text


# -- pasted text --------------------------------------------------------------------------
@pytest.fixture()
def writable(db):
    with Store(db) as s:
        yield s


def test_text_lookup_finds_the_articles_and_the_origin(writable):
    excerpt = STORY[: len(STORY) // 2]
    result = lookup_text(writable, excerpt)
    assert TOP_KEYS <= result.keys()
    assert result["found"] is True
    assert {m["url"] for m in result["matches"]} == {canonical_url(ORIGIN), canonical_url(COPY)}
    assert all(m["containment"] > 0.9 for m in result["matches"])
    assert all(m["family_origin"] == canonical_url(ORIGIN) for m in result["matches"])
    assert result["origin"]["url"] == canonical_url(ORIGIN)
    assert "appears in 2 stored article" in render_text(result)


def test_text_lookup_of_unknown_text_is_found_false(writable):
    result = lookup_text(writable, _text(99))
    assert result["found"] is False and result["matches"] == []


def test_text_lookup_refuses_tiny_text(writable):
    with pytest.raises(ProvenanceError, match="too short"):
        lookup_text(writable, "a few words")


def test_text_lookup_needs_a_writable_store(store):
    with pytest.raises(ProvenanceError, match="writing"):
        lookup_text(store, STORY)


# -- the command --------------------------------------------------------------------------
def _run(*args, input=None):
    return CliRunner().invoke(cli, ["lookup", *args], input=input)


def test_cli_json_prints_the_contract(db):
    result = _run(COPY_AMP + "?utm_source=x", "--db", str(db), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert TOP_KEYS <= data.keys()
    assert data["origin"]["outlet"] == "origin.test"


def test_cli_text_output(db):
    result = _run(COPY, "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "Origin  origin.test" in result.output
    assert "credited" in result.output


def test_cli_unknown_url_exits_zero(db):
    result = _run("http://nowhere.test/x", "--db", str(db), "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["found"] is False


@pytest.mark.parametrize("bad", ["ftp://a.test/x", "nohost", "http://a.test:port/"])
def test_cli_malformed_url_exits_two(db, bad):
    result = _run(bad, "--db", str(db))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Invalid value for URL" in result.output


def test_cli_needs_url_or_text(db):
    assert _run("--db", str(db)).exit_code == 2
    assert _run(COPY, "--text", "-", "--db", str(db)).exit_code == 2


def test_cli_missing_database_is_an_error(tmp_path):
    result = _run(COPY, "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: no store at")
    assert not (tmp_path / "none.db").exists()


def test_cli_text_from_stdin_and_file(db, tmp_path):
    result = _run("--text", "-", "--db", str(db), "--json", input=STORY)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["origin"]["url"] == canonical_url(ORIGIN)
    path = tmp_path / "pasted.txt"
    path.write_text(STORY, encoding="utf-8")
    result = _run("--text", str(path), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "appears in 2 stored article" in result.output
    result = _run("--text", str(tmp_path / "missing.txt"), "--db", str(db))
    assert result.exit_code == 2


def test_cli_cycle_and_not_article_never_traceback(db):
    for url in (CYCLE_A, NOT_ARTICLE, CONFLICT):
        result = _run(url, "--db", str(db))
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
