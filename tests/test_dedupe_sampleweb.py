"""Near-duplicate detection end to end on the sample web: every planted copy is matched,
nothing else is, and Global Research's site-wide footer makes no matches."""

from __future__ import annotations

import itertools

import pytest
from conftest import rows

from crawler.sampleweb import truth


@pytest.fixture(scope="module")
def stored(full_crawl):
    db, _, _ = full_crawl
    ids = {r["url"]: r["id"] for r in rows(db, "select id, url from articles")}
    texts = {r["id"]: r["text"] for r in rows(db, "select id, text from articles")}
    matches = {(r["a"], r["b"]): r["kind"] for r in rows(db, "select a, b, kind from matches")}
    return ids, texts, matches


def _kind(matches, a, b):
    """The match's kind as seen from a (excerpt/expanded flip with the direction)."""
    if (a, b) in matches:
        return matches[(a, b)]
    if (b, a) in matches:
        flip = {"excerpt": "expanded", "expanded": "excerpt"}
        return flip.get(matches[(b, a)], matches[(b, a)])
    return None


@pytest.mark.parametrize("relation", truth.RELATIONS, ids=lambda r: f"{r.kind}:{r.copy_url}")
def test_every_planted_relation_is_a_stored_match(stored, relation):
    ids, _, matches = stored
    copy, origin = ids[relation.copy_url], ids[relation.origin_url]
    kind = _kind(matches, copy, origin)
    assert kind is not None, f"{relation.kind} copy {relation.copy_url} not matched to its origin"
    if relation.kind == "excerpt":
        assert kind == "excerpt"
    elif relation.kind in ("copy", "attributed-copy", "canonical-copy"):
        assert kind == "near-duplicate"


def test_every_chain_hop_is_matched(stored):
    ids, _, matches = stored
    assert truth.CHAINS
    for chain in truth.CHAINS:
        for upstream, downstream in itertools.pairwise(chain):
            assert _kind(matches, ids[downstream], ids[upstream]) is not None, (upstream, downstream)


@pytest.mark.parametrize("pair", truth.INDEPENDENT_PAIRS, ids=lambda p: p[0])
def test_independent_same_event_articles_are_not_matched(stored, pair):
    ids, _, matches = stored
    assert _kind(matches, ids[pair[0]], ids[pair[1]]) is None


def test_matches_stay_within_story_families(stored):
    ids, _, matches = stored
    urls = {v: k for k, v in ids.items()}
    strays = [
        (urls[a], urls[b]) for a, b in matches
        if truth.story_key(urls[a]) != truth.story_key(urls[b])
    ]  # fmt: skip
    assert not strays


def test_global_research_footer_makes_no_matches(stored):
    ids, texts, matches = stored
    gr = {ids[a.url] for a in truth.articles_of("globalresearch.test")}
    assert len(gr) >= 3
    # The footer is really in the stored texts: the test would be empty otherwise.
    footer = truth.GR_SITEWIDE_TEXT[-1][:60]
    assert sum(footer in texts[i] for i in gr) >= 3
    urls = {v: k for k, v in ids.items()}
    for a, b in matches:
        if a in gr and b in gr:
            assert truth.story_key(urls[a]) == truth.story_key(urls[b]), (urls[a], urls[b])
