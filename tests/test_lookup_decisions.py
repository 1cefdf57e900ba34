"""Provenance decisions that lookups rely on: visible credit versus rel=canonical, and pages
that credit more than one outlet."""

from __future__ import annotations

from graph import Article, Attribution, Match, decide_provenance, lookup


def test_canonical_only_copy_is_not_attributed():
    a, b = "https://a.test/x", "https://b.test/x"
    prov = decide_provenance(
        [
            Article(a, "a.test", published_at="2021-01-01"),
            Article(b, "b.test", published_at="2021-01-02", declared_canonical=a),
        ],
        [Match(a, b, 0.95, 0.97, 0.97)],
    )
    link = prov.family(b).links[b]
    assert link.copied_from == a
    assert link.basis[0] == "canonical"
    assert link.attributed is False  # nothing a reader sees credits a.test
    copy = lookup(prov, b)["copies"][0]
    assert copy["attribution"] is None and copy["attributed"] is False


def test_visible_credit_plus_canonical_is_attributed():
    a, b = "https://a.test/x", "https://b.test/x"
    prov = decide_provenance(
        [
            Article(a, "a.test", published_at="2021-01-01"),
            Article(b, "b.test", published_at="2021-01-02", declared_canonical=a),
        ],
        [Match(a, b, 0.95, 0.97, 0.97)],
        [Attribution(b, "original-source", "The original source is A", "a.test", a)],
    )
    link = prov.family(b).links[b]
    assert link.attributed is True
    assert link.basis[:2] == ("attribution", "canonical")


def test_page_crediting_two_outlets_is_flagged():
    a, b, c = "https://a.test/x", "https://b.test/x", "https://c.test/x"
    prov = decide_provenance(
        [
            Article(a, "a.test", published_at="2021-01-01"),
            Article(b, "b.test", published_at="2021-01-02"),
            Article(c, "c.test", published_at="2021-01-03"),
        ],
        [Match(a, c, 0.9, 0.9, 0.9), Match(b, c, 0.9, 0.9, 0.9)],
        [
            Attribution(c, "via", "via B", "b.test", b),
            Attribution(c, "originally-published", "Originally published by A", "a.test", a),
        ],
    )
    family = prov.family(c)
    [conflict] = [x for x in family.conflicts if x.kind == "conflicting-attributions"]
    assert "a.test" in conflict.message and "b.test" in conflict.message
    assert set(conflict.urls) == {a, b, c}
    # "via" names the page it was taken from; the decision stands but is less sure.
    assert family.links[c].copied_from == b
    assert family.links[c].confidence < 0.95


def test_two_credits_to_one_outlet_are_no_conflict():
    a, b = "https://a.test/x", "https://b.test/x"
    prov = decide_provenance(
        [
            Article(a, "a.test", published_at="2021-01-01"),
            Article(b, "b.test", published_at="2021-01-02"),
        ],
        [Match(a, b, 0.9, 0.9, 0.9)],
        [
            Attribution(
                b, "original-source", "The original source of this article is A", "a.test", a
            ),
            Attribution(b, "copyright", "© A", "a.test"),
        ],
    )
    assert prov.family(b).conflicts == ()


def test_canonical_link_record_is_not_shown_as_a_credit():
    a, b = "https://a.test/x", "https://b.test/x"
    tag = f'<link rel="canonical" href="{a}">'
    prov = decide_provenance(
        [
            Article(a, "a.test", published_at="2021-01-01"),
            Article(b, "b.test", published_at="2021-01-02", declared_canonical=a),
        ],
        [Match(a, b, 0.95, 0.97, 0.97)],
        [Attribution(b, "canonical", tag, "a.test", a)],
    )
    copy = lookup(prov, b)["copies"][0]
    assert copy["copied_from"] == a
    assert copy["attributed"] is False
    assert copy["attribution"] is None
    assert copy["attribution_kind"] == "canonical"
