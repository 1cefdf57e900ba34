"""The Lookup JSON contract (DESIGN.md) and its terminal rendering."""

from __future__ import annotations

import json

import pytest

from graph.answer import lookup, render_text
from graph.direction import decide_provenance
from graph.records import Article, Attribution, Match
from graph.samples import CHAIN, EDITED, EXCERPT, GR, SAME_EVENT, SF, sample_records

FAMILY = [SF, GR, EDITED, EXCERPT, CHAIN]
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
def prov():
    return decide_provenance(*sample_records())


@pytest.mark.parametrize("url", FAMILY)
def test_contract_shape_whichever_member_is_queried(prov, url):
    result = json.loads(json.dumps(lookup(prov, url)))  # JSON-serialisable as is
    assert TOP_KEYS <= result.keys()
    assert result["query"] == url
    assert result["found"] is True
    assert ARTICLE_KEYS <= result["article"].keys()
    assert result["article"]["url"] == url
    assert ORIGIN_KEYS <= result["origin"].keys()
    assert result["origin"]["url"] == SF
    assert result["origin"]["outlet"] == "southfront.org"
    assert isinstance(result["origin"]["basis"], list)
    assert 0.0 <= result["origin"]["confidence"] <= 1.0
    # Every member but the origin, whichever was queried.
    assert sorted(c["url"] for c in result["copies"]) == sorted(set(FAMILY) - {SF})
    for copy in result["copies"]:
        assert COPY_KEYS <= copy.keys()
        assert copy["copied_from"] in FAMILY
        assert isinstance(copy["attributed"], bool)
    assert isinstance(result["conflicts"], list)


def test_contract_values_for_global_research(prov):
    result = lookup(prov, GR)
    assert result["article"]["outlet"] == "globalresearch.ca"
    assert result["origin"]["basis"] == ["attribution", "published_at"]
    copy = {c["url"]: c for c in result["copies"]}[GR]
    assert copy["copied_from"] == SF
    assert copy["similarity"] == pytest.approx(0.91)
    assert copy["containment"] == pytest.approx(0.99)
    assert copy["attribution"] == "The original source of this article is South Front"
    assert copy["lag_hours"] == 24.0
    unattributed = {c["url"]: c for c in result["copies"]}[EDITED]
    assert unattributed["attribution"] is None
    assert unattributed["attributed"] is False
    assert result["conflicts"] == []


def test_unknown_url_is_found_false(prov):
    result = lookup(prov, "https://nowhere.test/a", query="nowhere.test/a")
    assert result == {
        "query": "nowhere.test/a",
        "found": False,
        "article": None,
        "origin": None,
        "copies": [],
        "conflicts": [],
    }
    assert "Not found" in render_text(result)


def test_article_without_copies_is_its_own_origin(prov):
    result = lookup(prov, SAME_EVENT)
    assert result["found"] is True
    assert result["origin"]["url"] == SAME_EVENT
    assert result["copies"] == []


def test_conflicts_in_lookup_and_text():
    a, b = "https://a.test/x", "https://b.test/x"
    prov = decide_provenance(
        [
            Article(a, "a.test", published_at="2021-03-05"),
            Article(b, "b.test", published_at="2021-03-04"),
        ],
        [Match(a, b, 0.9, 0.95, 0.95)],
        [Attribution(b, "original-source", "Originally published by A", "a.test", a)],
    )
    result = lookup(prov, b)
    assert [c["kind"] for c in result["conflicts"]] == ["attribution-vs-date"]
    assert set(result["conflicts"][0]) == {"kind", "message", "urls"}
    text = render_text(result)
    assert "attribution-vs-date" in text


def test_text_rendering_shows_chain_and_credit(prov):
    text = render_text(lookup(prov, CHAIN))
    assert "Origin  southfront.org" in text
    assert "UNCREDITED" in text
    assert "The original source of this article is South Front" in text
    lines = text.splitlines()
    gr_line = next(i for i, line in enumerate(lines) if "globalresearch.ca" in line and "└" in line)
    chain_line = next(
        i for i, line in enumerate(lines) if "chain-reposts.test" in line and "└" in line
    )
    # The chain copy is drawn under Global Research, indented one step further.
    assert chain_line > gr_line
    assert lines[chain_line].index("└") > lines[gr_line].index("└")
