"""Origins outside the store, evidence on every link, and families split at bridge articles.

Small record sets shaped like real wire republication: copies of an agency story crediting
the agency in bylines and datelines, aggregator pages labelling their provider, a roundup
carrying two stories.
"""

from __future__ import annotations

import random

import networkx as nx
import pytest
from gexf_tools import assert_valid, gexf_schema_or_skip

from graph import article_graph, lookup, outlet_graph, outlet_rows, render_text, summary
from graph.direction import decide_provenance
from graph.export import write_graph
from graph.records import Article, Attribution, Match

A = "https://daily-one.test/world/summit"
B = "https://daily-two.test/news/summit"
C = "https://daily-three.test/2021/summit"
AP = "external:apnews.com"


def art(url: str, outlet: str, published: str | None = None, **kw) -> Article:
    return Article(url, outlet, published_at=published, **kw)


def ap_credit(url: str, form: str, sentence: str) -> Attribution:
    return Attribution(
        url,
        form,
        sentence,
        "apnews.com",
        form=form,
        source_kind="wire",
        name="The Associated Press",
        source_in_store=False,
    )


def wire_records():
    articles = [
        art(A, "daily-one.test", "2021-06-01T08:00:00Z"),
        art(B, "daily-two.test", "2021-06-01T09:00:00Z"),
        art(C, "daily-three.test", "2021-06-01T10:00:00Z"),
    ]
    matches = [
        Match(A, B, 0.95, 0.97, 0.97),
        Match(B, C, 0.90, 0.95, 0.93),
        Match(A, C, 0.91, 0.94, 0.96),
    ]
    credits = [
        ap_credit(A, "byline", "By The Associated Press"),
        ap_credit(B, "dateline", "HELSINKI (AP) —"),
        ap_credit(C, "sign-off", "AP"),
    ]
    return articles, matches, credits


def evidence_between(prov, family, link) -> bool:
    """Whether the link's two ends carry their own evidence: a match or a credit."""
    if prov.articles[link.url] and link.match is not None:
        assert {link.match.a, link.match.b} == {link.url, link.copied_from}
        return True
    credit = link.attribution
    if link.basis and link.basis[0] in ("attribution", "metadata") and credit is not None:
        if prov.is_external(link.copied_from):
            return True
        source = prov.articles[link.copied_from]
        return credit.url == link.copied_from or credit.outlet == source.outlet
    if link.basis and link.basis[0] == "canonical":
        return prov.articles[link.url].declared_canonical is not None
    return False


def test_copies_crediting_an_agency_hang_under_it_side_by_side():
    prov = decide_provenance(*wire_records())
    family = prov.family(A)
    assert family.origin == AP
    assert not family.origin_in_store
    external = family.external
    assert (external.name, external.outlet, external.kind, external.url) == (
        "The Associated Press",
        "apnews.com",
        "wire",
        None,
    )
    assert set(external.credited_by) == {A, B, C}
    assert family.origin_basis == ("attribution",)
    for url in (A, B, C):
        link = family.links[url]
        assert link.copied_from == AP  # not B copied from A by date
        assert link.attributed and link.basis == ("attribution",)
    assert family.conflicts == ()
    assert prov.family_of.get(AP) is None and AP in prov.uncrawled


def test_lookup_json_and_terminal_name_the_agency():
    prov = decide_provenance(*wire_records())
    answer = lookup(prov, B)
    origin = answer["origin"]
    assert origin["url"] is None and origin["in_store"] is False
    assert origin["name"] == "The Associated Press" and origin["kind"] == "wire"
    assert origin["outlet"] == "apnews.com" and origin["credited_by"] == 3
    assert origin["basis"] == ["attribution"]
    assert {c["url"] for c in answer["copies"]} == {A, B, C}
    for copy in answer["copies"]:
        assert copy["copied_from"] is None
        assert copy["copied_from_origin"] is True
        assert copy["copied_from_name"] == "The Associated Press"
        assert copy["copied_from_in_store"] is False
        assert copy["source_determined"] is True
    text = render_text(answer)
    assert (
        "Origin: The Associated Press (wire agency, not in the store) — credited by 3 copies"
        in text
    )
    assert text.count("credited  conf") == 3 and "    ? " not in text  # all under the agency


def test_agency_page_in_the_store_is_the_origin():
    articles, matches, credits = wire_records()
    page = "https://apnews.com/article/summit-0123"
    articles.append(art(page, "apnews.com", "2021-06-01T07:00:00Z", outlet_kind="wire"))
    matches.append(Match(page, A, 0.96, 0.97, 0.98))
    prov = decide_provenance(articles, matches, credits)
    family = prov.family(A)
    assert family.origin == page and family.origin_in_store
    assert all(family.links[u].copied_from == page for u in (A, B, C))
    answer = lookup(prov, A)
    assert answer["origin"]["in_store"] is True and answer["origin"]["kind"] == "wire"


def test_aggregator_is_never_the_origin_its_provider_is():
    yahoo = "https://news.yahoo.test/summit-120000.html"
    msn = "https://www.msn.test/en-us/news/summit/ar-AA1"
    articles = [
        art(yahoo, "news.yahoo.test", "2021-06-01T08:00:00Z"),
        art(msn, "msn.test", "2021-06-01T09:00:00Z"),
    ]
    credits = [
        Attribution(yahoo, "provider-label", "Fox Nation •", "foxnation.test",
                    form="provider-label", source_kind="outlet", name="Fox Nation"),
        Attribution(msn, "provider-label", "Yahoo News", "news.yahoo.test",
                    form="provider-label", source_kind="aggregator", name="Yahoo News"),
        Attribution(msn, "provider-label", "Fox Nation", "foxnation.test",
                    form="provider-label", source_kind="outlet", name="Fox Nation"),
    ]  # fmt: skip
    prov = decide_provenance(articles, [Match(yahoo, msn, 0.98, 0.99, 0.99)], credits)
    family = prov.family(yahoo)
    assert family.origin == "external:foxnation.test"
    assert family.external.name == "Fox Nation"
    assert family.links[yahoo].copied_from == family.origin
    # MSN labels both Yahoo News and Fox Nation: whichever it names, it leads to Fox Nation.
    assert family.chain(msn)[-1] == family.origin


def test_a_provider_label_names_the_conduit_not_the_writer():
    # AP's "The Latest" on Yahoo News twice: one copy labels its provider "Channel 8 San
    # Diego" and carries "WASHINGTON (AP) -"; the other only labels "Star Tribune".
    one = "https://news.yahoo.test/latest-democrats-1.html"
    two = "https://news.yahoo.test/latest-democrats-2.html"
    articles = [
        art(one, "news.yahoo.test", "2018-07-13T17:00:00Z"),
        art(two, "news.yahoo.test", "2018-07-13T18:00:00Z"),
    ]
    credits = [
        Attribution(one, "provider-label", "Channel 8 San Diego•", None,
                    form="provider-label", name="Channel 8 San Diego"),
        ap_credit(one, "dateline", "WASHINGTON (AP) -"),
        Attribution(two, "provider-label", "Star Tribune•", "startribune.test",
                    form="provider-label", source_kind="outlet", name="Star Tribune"),
    ]  # fmt: skip
    prov = decide_provenance(articles, [Match(one, two, 0.9, 0.95, 0.95)], credits)
    family = prov.family(one)
    assert family.origin == AP
    assert family.external.name == "The Associated Press"


def test_a_credit_to_an_aggregator_alone_names_no_origin():
    a, b = A, B
    credits = [
        Attribution(b, "via", "via Yahoo News", "news.yahoo.test",
                    form="footer", source_kind="aggregator", name="Yahoo News"),
    ]  # fmt: skip
    articles = [art(a, "daily-one.test", "2021-06-01"), art(b, "daily-two.test", "2021-06-02")]
    prov = decide_provenance(articles, [Match(a, b, 0.9, 0.9, 0.9)], credits)
    family = prov.family(a)
    assert family.origin == a and family.external is None
    assert family.links[b].copied_from == a and family.links[b].basis[0] == "text"


def test_uncredited_copy_hangs_under_the_member_it_shares_text_with():
    articles, matches, credits = wire_records()
    late = "https://late.test/summit"
    early = "https://early.test/summit"
    articles += [art(late, "late.test", "2021-06-02"), art(early, "early.test", "2021-05-31")]
    matches += [Match(late, C, 0.8, 0.9, 0.85), Match(early, B, 0.8, 0.9, 0.85)]
    prov = decide_provenance(articles, matches, credits)
    family = prov.family(A)
    assert family.origin == AP
    # late shares text with C (earlier) only: C is its source, on that text.
    assert family.links[late].copied_from == C
    assert family.links[late].basis[0] == "text" and family.links[late].match is not None
    # early shares text only with B, dated after it, and credits nobody: undetermined.
    link = family.links[early]
    assert link.copied_from is None and link.basis == () and not link.attributed
    [conflict] = [c for c in family.conflicts if c.kind == "source-undetermined"]
    assert early in conflict.urls and "daily-two.test" in conflict.message
    answer = lookup(prov, early)
    [entry] = [c for c in answer["copies"] if c["url"] == early]
    assert entry["copied_from"] is None and entry["source_determined"] is False
    assert entry["basis"] == [] and entry["copied_from_origin"] is False
    assert "Source undetermined (1)" in render_text(answer)


def test_member_sharing_text_only_through_others_is_not_linked_to_the_origin():
    # The story A → B → C by text only; C shares nothing with A.
    a, b, c = "https://a.test/1", "https://b.test/1", "https://c.test/1"
    articles = [art(a, "a.test", "2021-01-01"), art(b, "b.test", "2021-01-02"),
                art(c, "c.test", "2021-01-03")]  # fmt: skip
    prov = decide_provenance(
        articles, [Match(a, b, 0.6, 0.7, 0.7), Match(b, c, 0.6, 0.7, 0.7)], []
    )
    family = prov.family(a)
    assert family.links[c].copied_from == b


def test_canonical_only_copy_is_not_called_attributed():
    a, b = "https://a.test/x", "https://b.test/x"
    articles = [art(a, "a.test", "2021-01-01"),
                art(b, "b.test", "2021-01-02", declared_canonical=a)]  # fmt: skip
    prov = decide_provenance(articles, [Match(a, b, 0.9, 0.9, 0.9)])
    family = prov.family(a)
    assert family.links[b].basis[0] == "canonical" and not family.links[b].attributed
    assert "attribution" not in family.origin_basis
    assert family.origin_basis[0] == "canonical"


def test_metadata_credit_is_its_own_basis_and_not_seen_by_readers():
    a, b = "https://a.test/x", "https://b.test/x"
    credit = Attribution(b, "isBasedOn", None, "a.test", a, form="metadata")
    articles = [art(a, "a.test", "2021-01-01"), art(b, "b.test", "2021-01-02")]
    prov = decide_provenance(articles, [Match(a, b, 0.9, 0.9, 0.9)], [credit])
    link = prov.family(a).links[b]
    assert link.copied_from == a and link.basis[0] == "metadata" and not link.attributed
    assert lookup(prov, b)["origin"]["basis"][0] == "metadata"


def roundup_records():
    """Two stories (A, B) each run by two sites, and a later digest carrying half of each."""
    a1, a2 = "https://one.test/a", "https://two.test/a"
    b1, b2 = "https://three.test/b", "https://four.test/b"
    digest = "https://digest.test/daily-roundup"
    articles = [
        art(a1, "one.test", "2021-02-01T08:00:00Z"),
        art(a2, "two.test", "2021-02-01T09:00:00Z"),
        art(b1, "three.test", "2021-02-01T10:00:00Z"),
        art(b2, "four.test", "2021-02-01T11:00:00Z"),
        art(digest, "digest.test", "2021-02-01T18:00:00Z"),
    ]
    matches = [
        Match(a1, a2, 0.93, 0.95, 0.96),
        Match(b1, b2, 0.9, 0.94, 0.93),
        # the digest holds all of A and of B, each about half of the digest's text
        Match(digest, a1, 0.45, 0.48, 0.97, "expanded"),
        Match(digest, b2, 0.43, 0.46, 0.95, "expanded"),
    ]
    return (a1, a2, b1, b2, digest), articles, matches


def test_bridge_article_does_not_merge_two_stories():
    (a1, a2, b1, b2, digest), articles, matches = roundup_records()
    prov = decide_provenance(articles, matches, [])
    fam_a, fam_b = prov.family(a1), prov.family(b1)
    assert fam_a is not fam_b
    assert set(fam_a.members) == {a1, a2, digest}
    assert set(fam_b.members) == {b1, b2, digest}
    assert fam_a.origin == a1 and fam_b.origin == b1
    # the digest is a copy in each family, of the member it shares text with
    assert fam_a.links[digest].copied_from == a1
    assert fam_b.links[digest].copied_from == b2
    assert [f.id for f in prov.families_of(digest)] == sorted([fam_a.id, fam_b.id])
    answer = lookup(prov, digest)
    assert len(answer["other_families"]) == 1
    # the digest counts once as a copy per source, never merging the two stories' outlets
    assert summary(prov)["copies"] == 4
    assert summary(prov)["families"] == 2


def test_origin_with_excerpts_of_different_paragraphs_stays_one_story():
    (a1, *_, digest), articles, matches = roundup_records()
    # The same shape, but the "digest" is dated first: it is the source both sides excerpt.
    articles[-1] = art(digest, "digest.test", "2021-01-31T08:00:00Z")
    prov = decide_provenance(articles, matches, [])
    assert len(prov.families) == 1 and prov.bridges == {}
    assert prov.family(a1).origin == digest


def test_every_link_carries_evidence_between_its_two_articles():
    rng = random.Random(13)
    urls = [f"https://o{i % 9}.test/s{i}" for i in range(60)]
    articles = [
        art(u, f"o{i % 9}.test", f"2021-03-{1 + rng.randrange(20):02d}T{rng.randrange(24):02d}:00:00Z")
        for i, u in enumerate(urls)
    ]
    matches, credits = [], []
    for _ in range(90):
        a, b = rng.sample(urls, 2)
        sim = rng.uniform(0.3, 0.99)
        matches.append(Match(a, b, sim, rng.uniform(0.5, 1), rng.uniform(0.5, 1)))
    for u in rng.sample(urls, 15):
        credits.append(ap_credit(u, "dateline", "(AP) —"))
    for _ in range(10):
        a, b = rng.sample(urls, 2)
        credits.append(Attribution(a, "via", "via X", f"o{urls.index(b) % 9}.test", b))
    prov = decide_provenance(articles, matches, credits)
    checked = 0
    for family, link in prov.links():
        if link.copied_from is None:
            assert link.basis == () and any(
                c.kind == "source-undetermined" and link.url in c.urls for c in family.conflicts
            ) or link.url in prov.uncrawled
            continue
        assert link.basis[0] in ("attribution", "metadata", "canonical", "text"), link
        assert evidence_between(prov, family, link), link
        checked += 1
    assert checked > 30


def test_graph_exports_hold_the_agency_as_a_node(tmp_path):
    prov = decide_provenance(*wire_records())
    graph = article_graph(prov)
    assert graph.nodes[AP]["kind"] == "wire" and graph.nodes[AP]["in_store"] is False
    assert graph.nodes[AP]["name"] == "The Associated Press"
    assert set(graph.successors(AP)) == {A, B, C}
    outlets = outlet_graph(prov)
    assert outlets.nodes["apnews.com"]["kind"] == "wire"
    assert outlets.nodes["apnews.com"]["in_store"] is False
    assert set(outlets.successors("apnews.com")) == {
        "daily-one.test",
        "daily-two.test",
        "daily-three.test",
    }
    for built, name in ((graph, "articles"), (outlets, "outlets")):
        gexf = tmp_path / f"{name}.gexf"
        write_graph(built, gexf)
        assert_valid(gexf_schema_or_skip(), gexf)
        graphml = tmp_path / f"{name}.graphml"
        write_graph(built, graphml)
        back = nx.read_graphml(graphml)
        assert back.number_of_edges() == built.number_of_edges() == 3


def test_stats_count_copies_under_the_agency():
    prov = decide_provenance(*wire_records())
    rows = {row["outlet"]: row for row in outlet_rows(prov)}
    agency = rows["apnews.com"]
    assert agency["name"] == "The Associated Press"
    assert agency["articles"] == 0 and agency["originals"] == 1
    assert agency["copied_by_others"] == 3
    for outlet in ("daily-one.test", "daily-two.test", "daily-three.test"):
        assert rows[outlet]["copies"] == 1 and rows[outlet]["attribution_rate"] == 1.0
    totals = summary(prov)
    assert totals["external_origins"] == 1 and totals["copies"] == 3
    assert totals["articles"] == 3


@pytest.mark.parametrize("credits", [0, 1])
def test_an_outlet_credited_by_more_copies_than_a_member_is_the_origin(credits):
    articles, matches, _ = wire_records()
    wire = [ap_credit(A, "byline", "By AP"), ap_credit(B, "byline", "By AP")][: credits + 1]
    member = [Attribution(C, "via", "via Daily One", "daily-one.test", A)]
    prov = decide_provenance(articles, matches, wire + member)
    family = prov.family(A)
    if credits:  # two copies credit AP, one credits A (which credits AP): AP
        assert family.origin == AP
        assert family.chain(C) == [C, A, AP]
    else:  # A credits AP and C credits A: A leads on to AP
        assert family.origin == AP and family.links[A].copied_from == AP


def test_two_digests_carrying_the_same_two_stories_do_not_merge_them():
    (a1, a2, b1, b2, digest), articles, matches = roundup_records()
    second = "https://weekly.test/digest"
    articles.append(art(second, "weekly.test", "2021-02-01T20:00:00Z"))
    matches += [
        Match(second, a2, 0.44, 0.47, 0.96, "expanded"),
        Match(second, b1, 0.42, 0.45, 0.94, "expanded"),
        Match(second, digest, 0.9, 0.95, 0.95),
    ]
    prov = decide_provenance(articles, matches, [])
    fam_a, fam_b = prov.family(a1), prov.family(b1)
    assert fam_a is not fam_b
    assert {a1, a2, digest, second} == set(fam_a.members)
    assert {b1, b2, digest, second} == set(fam_b.members)
    for family in (fam_a, fam_b):
        for link in family.copies:
            assert link.copied_from is None or link.match is not None


def test_synthetic_corpus_invariants():
    from graph.synthetic import synthetic_records

    articles, matches, credits = synthetic_records(3000, 1500, outlets=40, seed=3)
    prov = decide_provenance(articles, matches, credits)
    assert prov.families
    for family in prov.families:
        assert family.members[0] == family.origin
        assert len(set(family.members)) == len(family.members)
        for link in family.copies:
            assert link.url != family.origin
            if link.copied_from is None:
                assert link.basis == ()
                continue
            assert link.copied_from in family.members
            assert evidence_between(prov, family, link), link
            chain = family.chain(link.url)
            assert chain[-1] == family.origin or family.links.get(chain[-1]) is not None
