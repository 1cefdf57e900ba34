"""Provenance decisions on small hand-built record sets modelled on real crossposts."""

from __future__ import annotations

import pytest

from graph.direction import decide_provenance
from graph.records import Article, Attribution, Match
from graph.samples import (
    CHAIN,
    EDITED,
    EXCERPT,
    GR,
    SAME_EVENT,
    SF,
    WIRE,
    WIRE_1,
    WIRE_2,
    sample_records,
)


@pytest.fixture(scope="module")
def prov():
    return decide_provenance(*sample_records())


def kinds(family) -> list[str]:
    return [c.kind for c in family.conflicts]


def test_south_front_is_origin_of_global_research(prov):
    family = prov.family(GR)
    assert family is prov.family(SF)
    assert family.origin == SF
    assert family.origin_basis == ("attribution", "published_at")
    assert family.origin_confidence >= 0.9
    link = family.links[GR]
    assert link.copied_from == SF
    assert link.attributed is True
    assert link.basis[0] == "attribution"
    assert link.attribution.sentence == "The original source of this article is South Front"
    assert link.lag_hours == 24.0
    assert family.conflicts == ()


def test_unattributed_edited_copy_is_flagged(prov):
    link = prov.family(EDITED).links[EDITED]
    assert link.copied_from == SF
    assert link.attributed is False
    assert link.attribution is None
    assert link.basis == ("text", "published_at")
    assert 0 < link.confidence < 0.9


def test_excerpt_is_a_copy_contained_in_its_source(prov):
    link = prov.family(EXCERPT).links[EXCERPT]
    assert link.copied_from == SF
    assert link.text_kind == "excerpt"
    assert link.containment_copy_in_source == pytest.approx(0.97)
    assert link.containment == pytest.approx(0.97)
    assert link.similarity == pytest.approx(0.22)


def test_chain_credits_intermediate_outlet(prov):
    family = prov.family(CHAIN)
    assert family.links[CHAIN].copied_from == GR
    assert family.chain(CHAIN) == [CHAIN, GR, SF]
    # The chain copy has only a crawl time: the weakest time evidence is named.
    assert family.links[CHAIN].basis == ("attribution", "first_seen")


def test_wire_story_on_three_outlets(prov):
    family = prov.family(WIRE_1)
    assert family.origin == WIRE
    assert set(family.members) == {WIRE, WIRE_1, WIRE_2}
    assert {family.links[u].copied_from for u in (WIRE_1, WIRE_2)} == {WIRE}
    # "2020-11-02" (no time) is not earlier than 06:00 that day: no false conflict.
    assert family.conflicts == ()
    assert family.links[WIRE_2].text_kind == "expanded"


def test_same_event_different_text_is_not_a_family(prov):
    assert prov.family(SAME_EVENT) is None
    assert prov.article(SAME_EVENT) is not None


def test_every_member_belongs_to_exactly_one_family(prov):
    seen = [url for family in prov.families for url in family.members]
    assert len(seen) == len(set(seen))
    assert len(prov.families) == 2


def art(url: str, outlet: str, published: str | None = None, **kw) -> Article:
    return Article(url, outlet, published_at=published, **kw)


def test_chain_by_url_attributions():
    a, b, c = "https://a.test/1", "https://b.test/1", "https://c.test/1"
    records = [
        art(a, "a.test", "2021-01-01"),
        art(b, "b.test", "2021-01-02"),
        art(c, "c.test", "2021-01-03"),
    ]
    attributions = [
        Attribution(c, "via", "via B", "b.test", b),
        Attribution(b, "original-source", "Originally published at A", "a.test", a),
    ]
    prov = decide_provenance(records, [], attributions)
    family = prov.family(c)
    assert family.origin == a
    assert family.chain(c) == [c, b, a]
    assert all(link.attributed for link in family.copies)


def test_attribution_beats_dates_and_conflict_is_reported():
    # B credits A, but A is dated after B: attribution wins, the disagreement is kept.
    a, b = "https://a.test/x", "https://b.test/x"
    records = [art(a, "a.test", "2021-03-05T12:00:00Z"), art(b, "b.test", "2021-03-04T12:00:00Z")]
    prov = decide_provenance(
        records,
        [Match(a, b, 0.9, 0.95, 0.95)],
        [Attribution(b, "original-source", "The original source is A", "a.test", a)],
    )
    family = prov.family(a)
    assert family.origin == a
    assert family.links[b].copied_from == a
    assert kinds(family) == ["attribution-vs-date"]
    assert set(family.conflicts[0].urls) == {a, b}
    assert family.links[b].confidence < 0.95
    assert family.origin_confidence < 0.95


def test_member_dated_before_credited_origin_is_reported():
    a, b, c = "https://a.test/x", "https://b.test/x", "https://c.test/x"
    records = [
        art(a, "a.test", "2021-03-02T00:00:00Z"),
        art(b, "b.test", "2021-03-03T00:00:00Z"),
        art(c, "c.test", "2021-03-01T00:00:00Z"),
    ]
    prov = decide_provenance(
        records,
        [Match(a, b, 0.9, 0.9, 0.9), Match(b, c, 0.9, 0.9, 0.9)],
        [Attribution(b, "appeared-first", "This article first appeared on A", "a.test", a)],
    )
    family = prov.family(a)
    assert family.origin == a
    # C shares text only with B, which is dated after it, and credits nobody: no link is
    # guessed from dates, the source is reported as undetermined.
    assert kinds(family) == ["earlier-than-origin", "source-undetermined"]
    link = family.links[c]
    assert link.attributed is False
    assert link.copied_from is None and link.basis == ()


def test_attribution_cycle_is_reported_not_fatal():
    a, b = "https://a.test/x", "https://b.test/x"
    records = [art(a, "a.test", "2021-01-01T10:00:00Z"), art(b, "b.test", "2021-01-01T15:00:00Z")]
    attributions = [
        Attribution(a, "via", "via B", "b.test", b),
        Attribution(b, "via", "via A", "a.test", a),
    ]
    prov = decide_provenance(records, [Match(a, b, 0.95, 0.95, 0.95)], attributions)
    family = prov.family(a)
    assert family.origin == a  # the earlier one
    assert family.links[b].copied_from == a
    assert "attribution-cycle" in kinds(family)


def test_three_way_cycle_without_dates():
    urls = [f"https://o{i}.test/story" for i in range(3)]
    records = [art(u, f"o{i}.test") for i, u in enumerate(urls)]
    attributions = [
        Attribution(urls[i], "via", f"via {i + 1}", f"o{(i + 1) % 3}.test", urls[(i + 1) % 3])
        for i in range(3)
    ]
    prov = decide_provenance(records, [], attributions)
    family = prov.family(urls[0])
    assert family is not None and len(family.members) == 3
    assert "attribution-cycle" in kinds(family)
    assert len(family.links) == 2
    for url in family.members:
        assert family.chain(url)[-1] == family.origin


def test_missing_dates_fall_back_to_first_seen():
    a, b = "https://a.test/x", "https://b.test/x"
    records = [
        art(a, "a.test", None, first_seen="2021-05-01T08:00:00Z"),
        art(b, "b.test", None, first_seen="2021-05-02T08:00:00Z"),
    ]
    prov = decide_provenance(records, [Match(a, b, 0.9, 0.9, 0.9)], [])
    family = prov.family(a)
    assert family.origin == a
    assert family.origin_basis == ("first_seen",)
    assert family.links[b].basis == ("text", "first_seen")
    assert family.links[b].lag_hours == 24.0
    assert family.origin_confidence < 0.8


def test_page_date_beats_first_seen_and_sitemap():
    # B was crawled first, but A's page date is earlier than B's sitemap lastmod.
    a, b = "https://a.test/x", "https://b.test/x"
    records = [
        art(a, "a.test", "2021-05-01", date_source="jsonld", first_seen="2021-06-10T00:00:00Z"),
        art(b, "b.test", "2021-05-03", date_source="sitemap", first_seen="2021-06-01T00:00:00Z"),
    ]
    prov = decide_provenance(records, [Match(a, b, 0.9, 0.9, 0.9)], [])
    family = prov.family(a)
    assert family.origin == a
    assert family.links[b].basis == ("text", "lastmod")


def test_stated_date_dates_an_uncrawled_source():
    # The copy links to an article never crawled, and states its date.
    src, copy = "https://southfront.org/a-story/", "https://www.globalresearch.ca/a-story/1"
    prov = decide_provenance(
        [art(copy, "globalresearch.ca", "2020-10-28")],
        [],
        [
            Attribution(
                copy,
                "original-source",
                "South Front 27 October 2020",
                "southfront.org",
                src,
                "27 October 2020",
            )
        ],
    )
    family = prov.family(copy)
    assert family.origin == src
    assert src in prov.uncrawled
    assert prov.time(src).label == "stated_date"
    assert family.links[copy].lag_hours == 24.0


def test_undated_family_is_flagged():
    a, b = "https://a.test/x", "https://b.test/x"
    prov = decide_provenance([art(a, "a.test"), art(b, "b.test")], [Match(a, b, 0.9, 0.9, 0.9)])
    family = prov.family(a)
    assert kinds(family) == ["undated"]
    assert family.origin_confidence <= 0.25


def test_same_day_tie_is_flagged():
    a, b = "https://a.test/x", "https://b.test/x"
    records = [art(a, "a.test", "2021-01-01"), art(b, "b.test", "2021-01-01T09:00:00Z")]
    prov = decide_provenance(records, [Match(a, b, 0.9, 0.9, 0.9)])
    assert kinds(prov.family(a)) == ["date-tie"]


def test_canonical_pointing_at_other_outlet_is_evidence():
    a, b = "https://a.test/x", "https://b.test/x"
    records = [
        art(a, "a.test", "2021-01-02"),
        art(b, "b.test", "2021-01-01", declared_canonical="https://www.a.test/x?ref=1"),
    ]
    prov = decide_provenance(records, [Match(a, b, 0.9, 0.9, 0.9)])
    family = prov.family(a)
    assert family.origin == a
    assert family.links[b].basis[0] == "canonical"
    assert "attribution-vs-date" in kinds(family)


def test_wire_credit_to_outlet_outside_the_crawl():
    a, b = "https://a.test/x", "https://b.test/x"
    records = [art(a, "a.test", "2021-01-01T08:00:00Z"), art(b, "b.test", "2021-01-01T09:00:00Z")]
    attributions = [
        Attribution(a, "wire-dateline", "(AP) —", "apnews.com"),
        Attribution(b, "wire-dateline", "(AP) —", "apnews.com"),
    ]
    prov = decide_provenance(records, [Match(a, b, 0.97, 0.98, 0.98)], attributions)
    family = prov.family(a)
    # Both copies credit AP, which is no article in the store: AP is the origin, and the
    # copies hang under it side by side instead of in a date chain.
    assert family.origin == "external:apnews.com"
    assert family.external is not None and family.external.outlet == "apnews.com"
    assert family.origin_basis == ("attribution",)
    for url in (a, b):
        assert family.links[url].copied_from == family.origin
        assert family.links[url].attributed is True
        assert family.links[url].basis == ("attribution",)
    assert family.conflicts == ()


def test_bad_records_do_not_crash():
    a = "https://a.test/x"
    prov = decide_provenance(
        [art(a, "a.test", "not a date", first_seen="also not")],
        [Match(a, "https://unknown.test/", 0.9, 0.9, 0.9), Match(a, a, 1, 1, 1)],
        [
            Attribution("https://unknown.test/y", "via", "via X", "x.test"),
            Attribution(a, "via", "via own site", "a.test"),
            Attribution(a, "source-url", "Source: https://b.test/", None, "https://b.test/"),
        ],
    )
    assert prov.families == []
    assert prov.family(a) is None
    assert decide_provenance([]).families == []
